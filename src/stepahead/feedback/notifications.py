"""Emails about feedback, queued in the outbox with the answer (sent after commit). The programme
manager hears that a member said 'no' — never which member, nor their comment."""

from __future__ import annotations

from stepahead.mail.links import absolute_url
from stepahead.mail.services import queue_email
from stepahead.programmes.models import ProgrammeManager

from .models import FitCheck


def _tell_managers(check: FitCheck, template: str, key: str) -> None:
    partnership = check.partnership
    programme = partnership.programme
    managers = ProgrammeManager.objects.filter(programme=programme).select_related("user")
    for manager in managers:
        if not manager.user.email:
            continue
        queue_email(
            organisation=programme.organisation,
            to=manager.user.email,
            template=template,
            context={
                "programme": programme.name,
                "partnership": partnership.pk,
                "link": absolute_url("web:at_risk", programme.pk),
            },
            key=f"{key}:{check.pk}:u{manager.user_id}",
            related=partnership,
        )


def notify_fit_check_no(check: FitCheck) -> None:
    _tell_managers(check, "feedback/fit_check_no", "fit-check-no")


def notify_rematch_requested(check: FitCheck) -> None:
    _tell_managers(check, "feedback/rematch_requested", "rematch-requested")
