"""Reads about partnerships and the matching pool they leave behind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django_stubs_ext import WithAnnotations

from stepahead.accounts import Actor
from stepahead.core.placement import Placement, decline_words, placement_of_unplaced
from stepahead.organisations.models import Organisation
from stepahead.people.models import Person
from stepahead.programmes.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Invitation,
    InvitationStatus,
    Programme,
)
from stepahead.programmes.selectors import enrolments_of, programmes_for

from .models import LOCKED_STATUSES, MemberRole, Partnership, PartnershipMember, PartnershipStatus, Response


@dataclass(frozen=True, slots=True)
class PoolEntry:
    """An enrolment as the next run sees it: role and capacity net of locked partnerships."""

    enrolment: Enrolment
    role: str
    capacity: int


class _Counts(TypedDict):
    enrolled: int
    invited: int
    proposals: int
    matched: int


type ProgrammeWithCounts = WithAnnotations[Programme, _Counts]


def programmes_with_counts(*, user: Actor, organisation: Organisation) -> QuerySet[ProgrammeWithCounts]:
    """The programmes the user sees (`programmes_for`), newest first, with how many people are
    enrolled and invited and how many proposals and matches each has, in a single query."""
    matched = [PartnershipStatus.APPROVED, PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE]
    return (
        programmes_for(user=user, organisation=organisation)
        .annotate(
            enrolled=_per_programme(Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE)),
            invited=_per_programme(Invitation.objects.filter(status=InvitationStatus.PENDING)),
            proposals=_per_programme(Partnership.objects.filter(status=PartnershipStatus.PROPOSED)),
            matched=_per_programme(Partnership.objects.filter(status__in=matched)),
        )
        .order_by("-created_at")
    )


def _per_programme(rows: QuerySet[Any]) -> Coalesce:
    """A count per programme as a correlated subquery: joining enrolments, invitations and
    partnerships in one query multiplies them (10,000 × 5,000 rows for one big programme)."""
    counted = rows.filter(programme=OuterRef("pk")).order_by().values("programme").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


# Partnerships that no longer hold their members: everyone in them is back in the pool.
RETURNED_TO_POOL = (PartnershipStatus.DECLINED, PartnershipStatus.WITHDRAWN)


def unplaced_enrolments(*, programme: Programme) -> QuerySet[Enrolment]:
    """Active enrolments in no live partnership (declined, unmatched or idle mentors): the
    database works it out with a subquery, whatever the size of the programme."""
    live = (
        PartnershipMember.objects.filter(partnership__programme=programme)
        .exclude(partnership__status__in=RETURNED_TO_POOL)
        .order_by()
        .values("enrolment_id")
    )
    return _active(programme).exclude(pk__in=live)


def _active(programme: Programme) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(programme=programme, status=EnrolmentStatus.ACTIVE).order_by()


def placement_of(*, programme: Programme) -> Placement[int]:
    """Active enrolment ids sorted into placed, declined and unmatched (core.placement): the one
    definition every count and list of the programme uses. The database finds who is in no live
    partnership, and which of them were in a declined one, and counts the rest, so a
    10,000-person programme never crosses into Python (two queries)."""
    in_declined = PartnershipMember.objects.filter(
        enrolment=OuterRef("pk"), partnership__status=PartnershipStatus.DECLINED
    )
    unplaced = list(
        unplaced_enrolments(programme=programme)
        .annotate(declined=Exists(in_declined))
        .values_list("pk", "role", "declined")
    )
    return placement_of_unplaced(
        placed=_active(programme).count() - len(unplaced),
        unplaced=[pk for pk, _, _ in unplaced],
        in_declined_partnership=[pk for pk, _, declined in unplaced if declined],
        mentors_only=[pk for pk, role, _ in unplaced if role == EnrolmentRole.MENTOR],
    )


@dataclass(frozen=True, slots=True)
class Decline:
    """A declined partnership as HR sees it: who said no, their words, and who else was in it."""

    partnership: Partnership
    decliner: PartnershipMember
    partners: list[PartnershipMember]


def declines_of(*, programme: Programme) -> list[Decline]:
    """The programme's declined partnerships, most recent first."""
    with_people = PartnershipMember.objects.select_related("enrolment__person")
    declined = (
        partnerships_of(programme=programme, statuses=[PartnershipStatus.DECLINED])
        .prefetch_related(None)
        .prefetch_related(Prefetch("members", queryset=with_people))  # one query, not three
        .order_by("-decided_at", "-pk")
    )
    found = []
    for partnership in declined:
        members = list(partnership.members.all())
        decliner = next((m for m in members if m.response == Response.DECLINED), members[0])
        found.append(Decline(partnership, decliner, [m for m in members if m != decliner]))
    return found


def decline_reasons(declines: list[Decline]) -> dict[int, str]:
    """For each enrolment in a declined match (`declines_of`), why they are back in the pool
    (the latest decline's words)."""
    reasons: dict[int, str] = {}
    for decline in reversed(declines):
        decliner = decline.decliner.enrolment.person.display_name
        reasons[decline.decliner.enrolment_id] = decline_words(
            reader_declined=True,
            partners=[m.enrolment.person.display_name for m in decline.partners],
            decliner=decliner,
            said=decline.decliner.decline_reason,
        )
        for member in decline.partners:
            words = decline_words(reader_declined=False, partners=[], decliner=decliner)
            reasons[member.enrolment_id] = words
    return reasons


def partnerships_of(*, programme: Programme, statuses: Iterable[str] | None = None) -> QuerySet[Partnership]:
    partnerships = Partnership.objects.filter(organisation=programme.organisation, programme=programme)
    if statuses is not None:
        partnerships = partnerships.filter(status__in=list(statuses))
    return partnerships.prefetch_related("members__enrolment__person")


def partnership_in(*, programme: Programme, pk: int) -> Partnership:
    """A partnership of this programme (raises Partnership.DoesNotExist for any other)."""
    return Partnership.objects.get(organisation=programme.organisation, programme=programme, pk=pk)


def partnerships_for_person(*, person: Person) -> QuerySet[Partnership]:
    """What a participant sees: everything sent to them (never unapproved proposals)."""
    return (
        Partnership.objects.filter(organisation=person.organisation, members__enrolment__person=person)
        .exclude(status__in=[PartnershipStatus.PROPOSED, PartnershipStatus.WITHDRAWN])
        .prefetch_related("members__enrolment__person")
        .distinct()
    )


def locked_memberships(*, programme: Programme) -> QuerySet[PartnershipMember]:
    """Members of approved, accepted or pinned partnerships: a re-run must not move them."""
    locked = Q(partnership__status__in=list(LOCKED_STATUSES)) | Q(
        partnership__status=PartnershipStatus.PROPOSED, partnership__pinned=True
    )
    return PartnershipMember.objects.filter(locked, partnership__programme=programme)


def matching_pool(*, programme: Programme) -> list[PoolEntry]:
    """Active enrolments the next run may place. Peers and circle members in a locked
    partnership are left out; a mentor keeps any spare capacity, a `both` person keeps the
    side (mentor or mentee) that is still free."""
    locked = list(locked_memberships(programme=programme).values_list("enrolment_id", "role"))
    taken = {enrolment for enrolment, _ in locked}
    mentored = {enrolment for enrolment, role in locked if role == MemberRole.MENTEE}
    mentoring = Counter(enrolment for enrolment, role in locked if role == MemberRole.MENTOR)
    pool = []
    for enrolment in enrolments_of(programme=programme):
        if not programme.is_mentoring:
            if enrolment.pk not in taken:
                pool.append(PoolEntry(enrolment, enrolment.role, 0))
            continue
        entry = _mentoring_entry(programme, enrolment, mentored, mentoring)
        if entry is not None:
            pool.append(entry)
    return pool


def _mentoring_entry(
    programme: Programme, enrolment: Enrolment, mentored: set[int], mentoring: Counter[int]
) -> PoolEntry | None:
    capacity = programme.default_capacity if enrolment.capacity is None else enrolment.capacity
    spare = capacity - mentoring[enrolment.pk]
    role = enrolment.role
    can_mentor = role in (EnrolmentRole.MENTOR, EnrolmentRole.BOTH) and spare > 0
    can_be_mentored = role in (EnrolmentRole.MENTEE, EnrolmentRole.BOTH) and enrolment.pk not in mentored
    if can_mentor and can_be_mentored:
        return PoolEntry(enrolment, role, spare)
    if can_mentor:
        return PoolEntry(enrolment, EnrolmentRole.MENTOR, spare)
    if can_be_mentored:
        return PoolEntry(enrolment, EnrolmentRole.MENTEE, 0)
    return None


# Partnerships that hold their members: a proposal under review, or sent and not ended.
LIVE_STATUSES = (PartnershipStatus.PROPOSED, *LOCKED_STATUSES)


def placed_elsewhere(*, enrolment: Enrolment, role: str, besides: Partnership | None = None) -> bool:
    """Whether this enrolment cannot take `role` in a new (or restored) group: withdrawn from the
    programme, a mentor with no spare capacity, a mentee already mentored, or a peer or circle
    member already in a live partnership (`besides`, the group itself, is not counted)."""
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return True
    if role == MemberRole.MENTOR:
        programme = enrolment.programme
        capacity = programme.default_capacity if enrolment.capacity is None else enrolment.capacity
        return live_mentee_count(enrolment=enrolment) >= capacity
    live = PartnershipMember.objects.filter(enrolment=enrolment, partnership__status__in=LIVE_STATUSES)
    if besides is not None:
        live = live.exclude(partnership=besides)
    if role == MemberRole.MENTEE:  # a `both` may mentor elsewhere and still be mentored here
        live = live.filter(role=MemberRole.MENTEE)
    return live.exists()


def live_mentee_count(*, enrolment: Enrolment) -> int:
    """Mentees a mentor has in proposed, approved or accepted partnerships."""
    return PartnershipMember.objects.filter(
        enrolment=enrolment,
        role=MemberRole.MENTOR,
        partnership__status__in=LIVE_STATUSES,
    ).count()
