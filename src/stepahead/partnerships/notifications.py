"""Emails about partnerships. Sent after commit so a rolled-back approval never emails anyone."""

from django.conf import settings
from django.core.mail import send_mass_mail

from .models import Partnership


def notify_approved(partnership: Partnership) -> None:
    """Tell each member who they are matched with and where to answer."""
    members = list(partnership.members.select_related("enrolment__person"))
    messages = []
    for member in members:
        person = member.enrolment.person
        if not person.email:
            continue
        others = ", ".join(
            m.enrolment.person.name or m.enrolment.person.hris_id for m in members if m != member
        )
        body = (
            f"Hello {person.name or person.hris_id},\n\n"
            f"You have a proposed {partnership.get_kind_display().lower()} in "
            f"'{partnership.programme.name}' with {others}.\n"
            f"Please accept or decline: {settings.SITE_URL}/partnerships/{partnership.pk}/\n"
        )
        messages.append((f"Your match in {partnership.programme.name}", body, None, [person.email]))
    send_mass_mail(messages, fail_silently=False)


def notify_declined(partnership: Partnership, decliner_id: int) -> None:
    """Tell the other members, kindly, that the match will not go ahead and what happens next.
    The decliner's own words go to HR only (they can be personal)."""
    members = list(partnership.members.select_related("enrolment__person"))
    messages = []
    for member in members:
        person = member.enrolment.person
        if member.pk == decliner_id or not person.email:
            continue
        body = (
            f"Hello {person.name or person.hris_id},\n\n"
            f"The match we proposed to you in '{partnership.programme.name}' will not go ahead: "
            "the other person is not able to take it up. This is not a judgement on you; "
            "matches fall through for many reasons, often time or workload.\n\n"
            "You are back in the pool, and the programme team will include you in the next "
            "matching round. You do not need to do anything.\n"
        )
        messages.append((f"About your match in {partnership.programme.name}", body, None, [person.email]))
    send_mass_mail(messages, fail_silently=False)
