"""Who may change a person's directory entry (name, email, grade, skills…).

Organisation admins may change anyone in their organisation. A programme manager may change
people who are in none of the organisation's programmes yet (a new joiner, an import of new
staff) and people enrolled in at least one programme they manage, but not someone enrolled only
in other managers' programmes: their email receives those programmes' invitations and is matched
to logins, so changing it would let one manager redirect another programme's people. Participants
change no one's entry here (their own answers go through their enrolment).
"""

from __future__ import annotations

from django.db.models import QuerySet

from stepahead.accounts import Actor, signed_in
from stepahead.organisations.models import Organisation, Role
from stepahead.organisations.policies import role_in

from .models import Person

OUT_OF_REACH = (
    "{who} is enrolled only in programmes you do not manage; an organisation admin or one of "
    "their programme managers can change their details."
)


def people_out_of_reach(*, user: Actor, organisation: Organisation) -> QuerySet[Person]:
    """The organisation's people `user` may not change (everyone, for non-HR users)."""
    people = Person.objects.filter(organisation=organisation)
    role = role_in(user=user, organisation=organisation)
    if role == Role.ORG_ADMIN:
        return people.none()
    if role != Role.PROGRAMME_MANAGER or not signed_in(user):
        return people
    # Reverse relations by name: programmes depends on people, not the other way round.
    enrolled = people.filter(enrolments__isnull=False)
    return enrolled.exclude(enrolments__programme__managers__user=user).distinct()


def can_change_person(*, user: Actor, person: Person) -> bool:
    return not people_out_of_reach(user=user, organisation=person.organisation).filter(pk=person.pk).exists()
