"""Manager edits of proposals, checked against the engine's hard rules before anything is saved.

Each edit returns the new spec score(s) or raises `IneligibleGroupError` naming the rule that fails.
"""

from __future__ import annotations

from django.db import transaction

from stepahead.accounts import User
from stepahead.core.insights import crosses_functions
from stepahead.errors import DomainError
from stepahead.matchruns.mapper import GroupScore, IneligibleGroupError, score_group
from stepahead.programmes.models import Enrolment
from stepahead.programmes.services import require_manager

from .models import MemberRole, Partnership, PartnershipMember, PartnershipStatus
from .selectors import live_mentee_count, matching_pool

__all__ = ["IneligibleGroupError", "replace_member", "swap_members"]


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
