"""Reads about programmes and enrolments, always within one organisation."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from stepahead.accounts import Actor
from stepahead.organisations.models import Organisation, Role
from stepahead.organisations.policies import role_in
from stepahead.people.models import Person
from stepahead.people.selectors import person_for_user

from .models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Invitation,
    InvitationStatus,
    Programme,
    SkillSuggestion,
    Status,
    SuggestionStatus,
    SuggestionUse,
)


def programmes_for(*, user: Actor, organisation: Organisation) -> QuerySet[Programme]:
    """Programmes the user can see: all for admins, assigned ones for managers, joined or
    invited ones for participants."""
    programmes = Programme.objects.filter(organisation=organisation)
    role = role_in(user=user, organisation=organisation)
    if role == Role.ORG_ADMIN:
        return programmes
    person = person_for_user(organisation=organisation, user=user)
    visible = Q(enrolments__person=person) | Q(invitations__person=person) if person else Q(pk__in=[])
    visible |= _joinable()  # open to every member to join
    if role == Role.PROGRAMME_MANAGER:
        visible |= Q(managers__user=user)
    return programmes.filter(visible).distinct() if role else programmes.none()


def _joinable() -> Q:
    """`Programme.open_to_join` as a query: self-enrolment on and taking enrolments."""
    late = Q(late_enrolment=True, status__in=[Status.MATCHING, Status.RUNNING])
    return Q(self_enrolment=True) & (Q(status=Status.ENROLLING) | late)


def open_to_join(*, organisation: Organisation, person: Person) -> QuerySet[Programme]:
    """Programmes open to self-enrolment that this person has not joined yet (nor been invited
    to: an invitation is answered through its own page)."""
    joined = Enrolment.objects.filter(person=person).values("programme")
    invited = Invitation.objects.filter(person=person, status=InvitationStatus.PENDING).values("programme")
    return (
        Programme.objects.filter(_joinable(), organisation=organisation)
        .exclude(pk__in=joined)
        .exclude(pk__in=invited)
        .order_by("starts_on", "name")
    )


def programme_in(*, organisation: Organisation, pk: int) -> Programme:
    """The programme with `pk` in this organisation; raises Programme.DoesNotExist otherwise,
    so an id from another organisation behaves exactly like a missing one."""
    programme = Programme.objects.get(organisation=organisation, pk=pk)
    programme.organisation = organisation  # already at hand: reading it again costs a query
    return programme


def enrolments_of(*, programme: Programme, active_only: bool = True) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.filter(programme=programme).select_related("person")
    return enrolments.filter(status=EnrolmentStatus.ACTIVE) if active_only else enrolments


def enrolment_of(*, programme: Programme, person: Person) -> Enrolment | None:
    return Enrolment.objects.filter(programme=programme, person=person).first()


def pending_invitation(*, token: str) -> Invitation | None:
    return (
        Invitation.objects.filter(token=token, status=InvitationStatus.PENDING)
        .select_related("programme__organisation", "person")
        .first()
    )


@dataclass(frozen=True, slots=True)
class QueuedName:
    """One suggested skill name waiting for HR, with everyone who typed it."""

    key: str
    label: str
    suggestions: list[SkillSuggestion]

    @property
    def as_goal(self) -> int:
        return sum(1 for s in self.suggestions if s.use == SuggestionUse.GOAL)

    @property
    def as_skill(self) -> int:
        return len(self.suggestions) - self.as_goal


def suggestion_queue(*, organisation: Organisation) -> list[QueuedName]:
    """Pending suggestions by name, the most asked for first, in one query."""
    pending = (
        SkillSuggestion.objects.filter(organisation=organisation, status=SuggestionStatus.PENDING)
        .select_related("enrolment__person", "enrolment__programme")
        .order_by("key", "created_at", "pk")
    )
    by_key: dict[str, list[SkillSuggestion]] = {}
    for suggestion in pending:
        by_key.setdefault(suggestion.key, []).append(suggestion)
    queue = [QueuedName(key, rows[0].label, rows) for key, rows in by_key.items()]
    return sorted(queue, key=lambda q: (-len(q.suggestions), q.label.lower()))


def suggestions_of(*, enrolment: Enrolment) -> list[SkillSuggestion]:
    """What the participant suggested on this enrolment and what became of it."""
    return list(enrolment.skill_suggestions.select_related("skill").order_by("status", "label"))


def pending_names(*, organisation: Organisation) -> int:
    """How many suggested names wait for HR."""
    pending = SkillSuggestion.objects.filter(organisation=organisation, status=SuggestionStatus.PENDING)
    return pending.values("key").distinct().count()


def people_to_enrol(*, programme: Programme, query: str = "") -> QuerySet[Person]:
    """Active people of the organisation not (or no longer) enrolled in the programme, found by
    name or function: whom a manager may enrol on their behalf."""
    enrolled = Enrolment.objects.filter(programme=programme, status=EnrolmentStatus.ACTIVE).values("person")
    people = Person.objects.filter(organisation=programme.organisation, is_active=True)
    people = people.exclude(pk__in=enrolled)
    for word in query.split()[:5]:
        people = people.filter(Q(name__icontains=word) | Q(function__icontains=word))
    return people.order_by("name", "pk")


def latest_events(*, enrolments: list[Enrolment]) -> dict[int, EnrolmentEvent]:
    """Each enrolment's most recent event (who enrolled, changed or withdrew it), in one query."""
    events = EnrolmentEvent.objects.filter(enrolment__in=enrolments).select_related("actor")
    latest: dict[int, EnrolmentEvent] = {}
    for event in events.order_by("enrolment_id", "-at", "-pk"):
        latest.setdefault(event.enrolment_id, event)
    return latest
