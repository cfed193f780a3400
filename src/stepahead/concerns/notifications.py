"""Emails about concerns. They name no details: the reader signs in to see the concern."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from stepahead.mail.links import absolute_url
from stepahead.mail.services import queue_email

from .models import Concern
from .policies import handlers_of


def notify_concern_raised(concern: Concern) -> None:
    programme = concern.partnership.programme
    for user in get_user_model().objects.filter(pk__in=handlers_of(programme)).exclude(email=""):
        queue_email(
            organisation=programme.organisation,
            to=user.email,
            template="concerns/raised",
            context={"programme": programme.name, "link": absolute_url("web:concern", concern.pk)},
            key=f"concern-raised:{concern.pk}:u{user.pk}",
            related=concern,
        )


def notify_concern_closed(concern: Concern) -> None:
    person = concern.raised_by.enrolment.person
    if not person.email:
        return
    programme = concern.partnership.programme
    queue_email(
        organisation=programme.organisation,
        to=person.email,
        template="concerns/closed",
        context={"programme": programme.name, "link": absolute_url("web:concern", concern.pk)},
        key=f"concern-closed:{concern.pk}",
        related=concern,
    )
