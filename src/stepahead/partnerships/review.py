"""Manager edits of proposals, checked against the engine's hard rules before anything is saved:
swap, replace, a pair (or mentoring match) made by hand from unplaced people, someone unplaced
added to a circle. Each `*_check` says what the group would score with the engine's own reasons,
saving nothing; each edit re-checks, saves, and returns the new score — or raises
`IneligibleGroupError` naming the rule that fails (`DomainError` for anything else).
"""

from __future__ import annotations

from django.db import transaction

from stepahead.accounts import User
from stepahead.core.insights import crosses_functions
from stepahead.errors import DomainError
from stepahead.matchruns.mapper import CIRCLE, MENTORING, PAIR, GroupScore, IneligibleGroupError, score_group
from stepahead.programmes.models import Enrolment, EnrolmentRole, Programme, Status
from stepahead.programmes.services import require_manager

from .models import MemberRole, Partnership, PartnershipMember, PartnershipStatus
from .selectors import live_mentee_count, matching_pool, placed_elsewhere

__all__ = [
    "IneligibleGroupError",
    "add_to_circle",
    "circle_addition_check",
    "new_group_check",
    "pair_by_hand",
    "replace_member",
    "swap_members",
]

MOST_IN_A_CIRCLE = 5  # the engine's limit (matching.circle_is_valid: 3 to 5 members)
# Who may take each role in a mentoring match, by what they enrolled as.
CAN_TAKE = {
    MemberRole.MENTOR: (EnrolmentRole.MENTOR, EnrolmentRole.BOTH),
    MemberRole.MENTEE: (EnrolmentRole.MENTEE, EnrolmentRole.BOTH),
}


@transaction.atomic
def swap_members(
    *,
    actor: User,
    first: Partnership,
    first_enrolment: Enrolment,
    second: Partnership,
    second_enrolment: Enrolment,
) -> tuple[float, float]:
    """Exchange two people between two proposals of one programme; returns both new scores."""
    require_manager(actor, first.programme)
    first, second = _fresh(first), _fresh(second)
    if first.programme_id != second.programme_id or first.pk == second.pk:
        raise DomainError("Swaps happen between two different proposals of the same programme.")
    a, b = _member(first, first_enrolment), _member(second, second_enrolment)
    if a.role != b.role:
        raise DomainError("Swap people with the same role (mentor for mentor, mentee for mentee).")
    first_group, second_group = _group(first, a, second_enrolment), _group(second, b, first_enrolment)
    first_score = score_group(first.programme, first.kind, first_group)
    second_score = score_group(second.programme, second.kind, second_group)
    # Each member row stays in its partnership and takes the other person; `_group` has already
    # rejected a swap that would put someone twice in one group, so uniqueness holds.
    a.enrolment, b.enrolment = second_enrolment, first_enrolment
    a.save(update_fields=["enrolment"])
    b.save(update_fields=["enrolment"])
    _rescore(first, first_score, first_group)
    _rescore(second, second_score, second_group)
    return first_score.score, second_score.score


@transaction.atomic
def replace_member(*, actor: User, partnership: Partnership, leaving: Enrolment, joining: Enrolment) -> float:
    """Put someone from the pool in place of a member (who returns to the pool); new score."""
    require_manager(actor, partnership.programme)
    partnership = _fresh(partnership)
    member = _member(partnership, leaving)
    if joining.programme_id != partnership.programme_id:
        raise DomainError("That person is not enrolled in this programme.")
    if joining.pk not in {e.enrolment.pk for e in matching_pool(programme=partnership.programme)}:
        raise DomainError("That person is already placed; swap them instead.")
    if member.role == MemberRole.MENTOR:
        capacity = (
            joining.capacity if joining.capacity is not None else partnership.programme.default_capacity
        )
        if live_mentee_count(enrolment=joining) >= capacity:
            raise IneligibleGroupError("That mentor has no spare capacity.")
    elif _in_live_proposal(joining, member.role):
        raise DomainError("That person is already in another proposal; swap them instead.")
    group = _group(partnership, member, joining)
    score = score_group(partnership.programme, partnership.kind, group)
    member.enrolment = joining
    member.save(update_fields=["enrolment"])
    _rescore(partnership, score, group)
    return score.score


def new_group_check(*, actor: User, programme: Programme, members: list[tuple[Enrolment, str]]) -> GroupScore:
    """What a pair (peer mode), mentor → mentee match (mentoring modes) or circle of unplaced
    people would score, with the engine's reasons; nothing is saved."""
    require_manager(actor, programme)
    kind = group_kind(programme)
    if kind != CIRCLE and len(members) != 2:
        raise DomainError("Choose two different people.")
    _check_newcomers(programme, members)
    return score_group(programme, kind, members)


@transaction.atomic
def pair_by_hand(*, actor: User, programme: Programme, members: list[tuple[Enrolment, str]]) -> Partnership:
    """A proposal made by hand, scored and worded by the engine, pinned so a new run keeps it.
    Approved, declined or discarded like any other."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)  # one hand at a time
    scored = new_group_check(actor=actor, programme=programme, members=members)
    partnership = Partnership.objects.create(
        organisation=programme.organisation,
        programme=programme,
        kind=group_kind(programme),
        score=scored.score,
        reasons=list(scored.reasons),
        adjusted=True,
        pinned=True,
        cross_function=crosses_functions(enrolment.person.function for enrolment, _ in members),
    )
    PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=partnership, enrolment=enrolment, role=role)
        for enrolment, role in members
    )
    return partnership


def circle_addition_check(*, actor: User, partnership: Partnership, joining: Enrolment) -> GroupScore:
    """What a proposed circle would score with someone unplaced added; nothing is saved."""
    require_manager(actor, partnership.programme)
    if partnership.kind != CIRCLE or partnership.status != PartnershipStatus.PROPOSED:
        raise DomainError("People can be added only to a proposed circle.")
    members = [(m.enrolment, m.role) for m in partnership.members.select_related("enrolment__person")]
    if len(members) >= MOST_IN_A_CIRCLE:
        raise IneligibleGroupError(
            f"Circle #{partnership.pk} already has {len(members)} members, the most a circle can have."
        )
    _check_newcomers(partnership.programme, [(joining, MemberRole.MEMBER)])
    return score_group(partnership.programme, CIRCLE, [*members, (joining, MemberRole.MEMBER)])


@transaction.atomic
def add_to_circle(*, actor: User, partnership: Partnership, joining: Enrolment) -> float:
    """Add someone unplaced to a proposed circle; its new score (reasons reworded by the engine)."""
    partnership = _fresh(partnership)
    scored = circle_addition_check(actor=actor, partnership=partnership, joining=joining)
    PartnershipMember.objects.create(partnership=partnership, enrolment=joining, role=MemberRole.MEMBER)
    group = [(m.enrolment, m.role) for m in partnership.members.select_related("enrolment__person")]
    _rescore(partnership, scored, group)
    return scored.score


def group_kind(programme: Programme) -> str:
    """The kind of group the programme's mode makes."""
    if programme.mode == "circles":
        return CIRCLE
    return MENTORING if programme.is_mentoring else PAIR


def _check_newcomers(programme: Programme, members: list[tuple[Enrolment, str]]) -> None:
    """Everyone joining a group by hand: of this programme, free, and enrolled for their role."""
    if programme.status not in (Status.MATCHING, Status.RUNNING):
        raise DomainError("Groups are made by hand once matching has started.")
    if len({enrolment.pk for enrolment, _ in members}) != len(members):
        raise IneligibleGroupError("A person cannot appear twice in one group.")
    for enrolment, role in members:
        name = enrolment.person.display_name
        if enrolment.programme_id != programme.pk:
            raise DomainError(f"{name} is not enrolled in this programme.")
        if role in CAN_TAKE and enrolment.role not in CAN_TAKE[MemberRole(role)]:
            raise IneligibleGroupError(
                f"{name} enrolled as {enrolment.get_role_display().lower() or 'no role'}, "
                f"so cannot be the {role} here."
            )
        if placed_elsewhere(enrolment=enrolment, role=role):
            raise DomainError(f"{name} is already placed (or withdrawn); change their proposal instead.")


def _fresh(partnership: Partnership) -> Partnership:
    """The row as it is now, locked: a caller's copy may predate an approval."""
    return Partnership.objects.select_for_update().select_related("programme").get(pk=partnership.pk)


def _member(partnership: Partnership, enrolment: Enrolment) -> PartnershipMember:
    if partnership.status != PartnershipStatus.PROPOSED:
        raise DomainError("Only proposals can be edited; this one has already been approved or closed.")
    member = partnership.members.select_related("enrolment").filter(enrolment=enrolment).first()
    if member is None:
        raise DomainError("That person is not a member of this proposal.")
    return member


def _group(
    partnership: Partnership, replaced: PartnershipMember, newcomer: Enrolment
) -> list[tuple[Enrolment, str]]:
    """The partnership's members with one replaced, in (enrolment, role) form for scoring."""
    group = []
    for m in partnership.members.select_related("enrolment__person", "enrolment__programme"):
        if m.pk == replaced.pk:
            group.append((newcomer, m.role))
        else:
            group.append((m.enrolment, m.role))
    if len({e.pk for e, _ in group}) != len(group):
        raise IneligibleGroupError("A person cannot appear twice in one group.")
    return group


def _in_live_proposal(enrolment: Enrolment, role: str) -> bool:
    return PartnershipMember.objects.filter(
        enrolment=enrolment, role=role, partnership__status=PartnershipStatus.PROPOSED
    ).exists()


def _rescore(partnership: Partnership, scored: GroupScore, group: list[tuple[Enrolment, str]]) -> None:
    # The engine words the new members exactly as a run would have (issue 11 bug 9).
    partnership.score, partnership.adjusted = scored.score, True
    partnership.reasons = list(scored.reasons)
    partnership.cross_function = crosses_functions(enrolment.person.function for enrolment, _ in group)
    partnership.save(update_fields=["score", "adjusted", "reasons", "cross_function"])
