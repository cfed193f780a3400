"""Who may run, view and join a programme."""

from stepahead.accounts import Actor, signed_in
from stepahead.organisations.models import Role
from stepahead.organisations.policies import role_in
from stepahead.people.models import Person
from stepahead.people.selectors import person_for_user

from .models import Enrolment, Programme, ProgrammeManager, Status


def can_manage_programme(*, user: Actor, programme: Programme) -> bool:
    """Org admins manage every programme; programme managers only those assigned to them."""
    role = role_in(user=user, organisation=programme.organisation)
    return can_manage_programme_as(role=role, user=user, programme=programme)


def can_manage_programme_as(*, role: str | None, user: Actor, programme: Programme) -> bool:
    """`can_manage_programme` for a caller that already holds the user's role in the programme's
    organisation (a page has read the membership to draw its menu: no second query)."""
    if role == Role.ORG_ADMIN:
        return True
    return (
        role == Role.PROGRAMME_MANAGER
        and signed_in(user)
        and ProgrammeManager.objects.filter(programme=programme, user=user).exists()
    )


def can_view_programme(*, user: Actor, programme: Programme) -> bool:
    """Managers, plus participants who are enrolled or invited, or may join it themselves."""
    if can_manage_programme(user=user, programme=programme):
        return True
    if programme.open_to_join and role_in(user=user, organisation=programme.organisation):
        return True
    person = person_for_user(organisation=programme.organisation, user=user)
    if person is None:
        return False
    return (
        programme.enrolments.filter(person=person).exists()
        or programme.invitations.filter(person=person).exists()
    )


def invitation_is_for(*, user: Actor, person: Person) -> bool:
    """The invited person's linked login, or any login with their email while none is linked."""
    if not signed_in(user):
        return False
    if person.user_id is not None:
        return person.user_id == user.pk
    return bool(person.email) and person.email.lower() == (user.email or "").lower()


def can_edit_enrolment(*, user: Actor, enrolment: Enrolment) -> bool:
    """The participant or a manager, and only until matching starts."""
    if not enrolment.programme.enrolment_open:
        return False
    if can_manage_programme(user=user, programme=enrolment.programme):
        return True
    return person_for_user(organisation=enrolment.programme.organisation, user=user) == enrolment.person


def can_withdraw_enrolment(*, user: Actor, enrolment: Enrolment) -> bool:
    """Managers withdraw someone at any point before the programme closes (someone leaves mid-way);
    the person themself, while they may still edit their enrolment."""
    if enrolment.programme.status != Status.CLOSED and can_manage_programme(
        user=user, programme=enrolment.programme
    ):
        return True
    return can_edit_enrolment(user=user, enrolment=enrolment)
