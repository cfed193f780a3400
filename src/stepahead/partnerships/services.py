"""Writes for partnerships: recording proposals, manager review and approval, member answers.

Status flow: proposed → approved → accepted | declined; proposed/approved → withdrawn, and
withdrawn → proposed only as the undo of a discard (`restore_proposal`).
Manual edits (swap, replace, pairs made by hand) live in `review`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from stepahead.accounts import User
from stepahead.core.insights import crosses_functions
from stepahead.errors import DomainError, PermissionDenied, TransitionError
from stepahead.lifecycle.agreements import draft_agreement
from stepahead.matchruns.mapper import Draft
from stepahead.matchruns.models import MatchRun
from stepahead.matchruns.selectors import latest_finished_run
from stepahead.people.selectors import person_for_user
from stepahead.programmes.models import Programme, Status
from stepahead.programmes.services import require_manager

from .models import Partnership, PartnershipMember, PartnershipStatus, Response
from .notifications import notify_approved, notify_declined, notify_unmatched
from .selectors import matching_pool, placed_elsewhere, placement_of

TRANSITIONS = {
    PartnershipStatus.PROPOSED: {PartnershipStatus.APPROVED, PartnershipStatus.WITHDRAWN},
    PartnershipStatus.APPROVED: {
        PartnershipStatus.ACCEPTED,
        PartnershipStatus.DECLINED,
        PartnershipStatus.WITHDRAWN,
    },
}


def record_proposals(
    *, programme: Programme, match_run: MatchRun | None, drafts: Sequence[Draft]
) -> list[Partnership]:
    """Replace the programme's unpinned proposals with a run's drafts (callers hold a transaction).
    Drafts naming someone who became locked while the run worked (approved or pinned meanwhile)
    are dropped, so a re-run never double-books a person."""
    Partnership.objects.filter(programme=programme, status=PartnershipStatus.PROPOSED, pinned=False).update(
        status=PartnershipStatus.WITHDRAWN, decided_at=timezone.now()
    )
    free = {entry.enrolment.pk for entry in matching_pool(programme=programme)}
    created = []
    for draft in drafts:
        if any(enrolment.pk not in free for enrolment, _ in draft.members):
            continue
        partnership = Partnership.objects.create(
            organisation=programme.organisation,
            programme=programme,
            match_run=match_run,
            kind=draft.kind,
            score=draft.score,
            reasons=list(draft.reasons),
            cross_function=crosses_functions(enrolment.person.function for enrolment, _ in draft.members),
        )
        PartnershipMember.objects.bulk_create(
            PartnershipMember(partnership=partnership, enrolment=enrolment, role=role)
            for enrolment, role in draft.members
        )
        created.append(partnership)
    return created


@transaction.atomic
def pin_partnership(*, actor: User, partnership: Partnership, pinned: bool = True) -> Partnership:
    """Pin a proposal so re-runs keep it and its members (or unpin it)."""
    require_manager(actor, partnership.programme)
    _require_status(partnership, PartnershipStatus.PROPOSED, "Only proposals can be pinned.")
    partnership.pinned = pinned
    partnership.save(update_fields=["pinned"])
    return partnership


@transaction.atomic
def discard_proposal(*, actor: User, partnership: Partnership) -> Partnership:
    """Drop a proposal; its members return to the pool for the next run."""
    require_manager(actor, partnership.programme)
    return _move(partnership, PartnershipStatus.WITHDRAWN)


@transaction.atomic
def restore_proposal(*, actor: User, partnership: Partnership) -> Partnership:
    """Undo a discard: the proposal comes back exactly as it was (members, score, reasons, pin),
    provided nothing has taken its place meanwhile — no matching run has finished since, and
    every member is still free (not withdrawn, not placed in another proposal)."""
    require_manager(actor, partnership.programme)
    partnership = Partnership.objects.select_for_update().select_related("programme").get(pk=partnership.pk)
    # A withdrawn partnership that was once approved was not discarded from the review board.
    if partnership.status != PartnershipStatus.WITHDRAWN or partnership.approved_at is not None:
        raise DomainError("Only a discarded proposal can be brought back.")
    if partnership.programme.status not in (Status.MATCHING, Status.RUNNING):
        raise DomainError("Proposals can only come back while the programme is matching or running.")
    run = latest_finished_run(programme=partnership.programme)
    if run and run.finished_at and partnership.decided_at and run.finished_at >= partnership.decided_at:
        raise DomainError(
            f"Matching has run since proposal #{partnership.pk} was discarded; "
            "its new proposals take its place."
        )
    taken = [
        m.enrolment.person.display_name
        for m in partnership.members.select_related("enrolment__person", "enrolment__programme")
        if placed_elsewhere(enrolment=m.enrolment, role=m.role, besides=partnership)
    ]
    if taken:
        raise DomainError(
            f"Proposal #{partnership.pk} cannot come back: {', '.join(taken)} "
            f"{'is' if len(taken) == 1 else 'are'} no longer free (placed elsewhere or withdrawn)."
        )
    partnership.status, partnership.decided_at = PartnershipStatus.PROPOSED, None
    partnership.save(update_fields=["status", "decided_at"])
    return partnership


@transaction.atomic
def approve_proposals(
    *, actor: User, programme: Programme, partnerships: Iterable[Partnership] | None = None
) -> list[Partnership]:
    """Approve the given proposals (default: every proposal of the programme) and email members,
    and everyone the proposals' runs left unmatched (and still unmatched) that they were not."""
    require_manager(actor, programme)
    chosen = Partnership.objects.select_for_update().filter(
        programme=programme, status=PartnershipStatus.PROPOSED
    )
    if partnerships is not None:
        chosen = chosen.filter(pk__in=[p.pk for p in partnerships])
    approved = list(chosen)
    if not approved:
        raise DomainError("There are no proposals to approve.")
    now = timezone.now()
    for partnership in approved:
        partnership.status, partnership.approved_at, partnership.approved_by = (
            PartnershipStatus.APPROVED,
            now,
            actor,
        )
        partnership.pinned = False  # approval locks it anyway; a pin only matters for proposals
        partnership.save(update_fields=["status", "approved_at", "approved_by", "pinned"])
        notify_approved(partnership)
    runs = MatchRun.objects.filter(pk__in={p.match_run_id for p in approved if p.match_run_id})
    notify_unmatched(programme, runs, unplaced=placement_of(programme=programme).unplaced)  # idle mentors too
    return approved


@transaction.atomic
def accept_partnership(*, user: User, partnership: Partnership) -> Partnership:
    """A member says yes; the partnership is accepted once every member has."""
    member = _member_for(user, partnership)
    _answer(member, Response.ACCEPTED)
    if not partnership.members.exclude(response=Response.ACCEPTED).exists():
        _move(partnership, PartnershipStatus.ACCEPTED)
        draft_agreement(partnership=partnership)
    return partnership


@transaction.atomic
def decline_partnership(*, user: User, partnership: Partnership, reason: str = "") -> Partnership:
    """A member says no: the partnership is declined and every member returns to the pool.
    The decliner's enrolment now avoids the others, so a re-run does not propose them again."""
    member = _member_for(user, partnership)
    _answer(member, Response.DECLINED, reason=reason)
    others = [
        m.enrolment.person for m in partnership.members.select_related("enrolment__person") if m != member
    ]
    member.enrolment.avoid.add(*others)
    notify_declined(partnership, member)
    return _move(partnership, PartnershipStatus.DECLINED)


def _member_for(user: User, partnership: Partnership) -> PartnershipMember:
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    person = person_for_user(organisation=partnership.organisation, user=user)
    member = partnership.members.filter(enrolment__person=person).first() if person else None
    if member is None:
        raise PermissionDenied("Only members of this partnership can answer it.")
    _require_status(partnership, PartnershipStatus.APPROVED, "This match is not waiting for your answer.")
    return member


def _answer(member: PartnershipMember, response: Response, *, reason: str = "") -> None:
    member.response, member.responded_at, member.decline_reason = response, timezone.now(), reason.strip()
    member.save(update_fields=["response", "responded_at", "decline_reason"])


def _move(partnership: Partnership, to: PartnershipStatus) -> Partnership:
    if to not in TRANSITIONS.get(PartnershipStatus(partnership.status), set()):
        raise TransitionError(f"A {partnership.status} partnership cannot become {to}.")
    partnership.status, partnership.decided_at = to, timezone.now()
    partnership.save(update_fields=["status", "decided_at"])
    return partnership


def _require_status(partnership: Partnership, status: PartnershipStatus, message: str) -> None:
    if partnership.status != status:
        raise DomainError(message)
