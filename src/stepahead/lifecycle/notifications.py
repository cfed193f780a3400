"""Emails about a partnership's life, queued in the outbox inside the caller's transaction (so a
rolled-back action sends nothing). Templates: templates/mail/lifecycle/<event>.{subject.txt,txt,html}.

Each message's key names the event and the member, so repeating an action never mails twice;
session invites are keyed by UID and SEQUENCE, so each change sends one fresh invite. Members
without an email address are skipped (the page shows everything the email would)."""

from __future__ import annotations

from collections.abc import Mapping

from stepahead.core.nudges import zone
from stepahead.mail.links import absolute_url
from stepahead.mail.services import Attachment, queue_email
from stepahead.partnerships.models import Partnership, PartnershipMember

from .models import Closure, Session, SessionStatus
from .selectors import members_of, session_invite


def _tell_members(
    partnership: Partnership,
    event: str,
    key: str,
    context: Mapping[str, object],
    *,
    attachments: tuple[Attachment, ...] = (),
    skip: PartnershipMember | None = None,
) -> int:
    members = members_of(partnership)
    sent = 0
    for member in members:
        email = member.enrolment.person.email
        if not email or (skip is not None and member.pk == skip.pk):
            continue
        others = ", ".join(m.enrolment.person.display_name for m in members if m.pk != member.pk)
        queue_email(
            organisation=partnership.organisation,
            to=email,
            template=f"lifecycle/{event}",
            context={
                "name": member.enrolment.person.display_name,
                "others": others,
                "programme": partnership.programme.name,
                "link": absolute_url("web:partnership", partnership.pk),
                **context,
            },
            key=f"lifecycle:{event}:{key}:{member.pk}",
            attachments=attachments,
            related=partnership,
        )
        sent += 1
    return sent


def agreement_ready(partnership: Partnership, number: int) -> int:
    """Everyone accepted (v1) or someone changed a confirmed agreement (v2+): read and confirm."""
    context = {"number": number, "agreement_link": absolute_url("web:agreement", partnership.pk)}
    return _tell_members(partnership, "agreement", f"{partnership.pk}:v{number}", context)


def partnership_active(partnership: Partnership) -> int:
    context = {"schedule_link": absolute_url("web:session_new", partnership.pk)}
    return _tell_members(partnership, "active", str(partnership.pk), context)


def session_changed(session: Session, *, by: PartnershipMember | None = None) -> int:
    """A new, moved or cancelled session, with its .ics (same UID, this SEQUENCE)."""
    if session.status == SessionStatus.CANCELLED:
        change = "cancelled"
    else:
        change = "scheduled" if session.sequence == 0 else "moved"
    local = session.starts_at.astimezone(zone(session.time_zone))
    context = {
        "change": change,
        "when": f"{local:%A %d %B %Y, %H:%M} ({session.time_zone})",
        "minutes": session.minutes,
        "location": session.location,
        "by": by.enrolment.person.display_name if by else "",
        "ics_link": absolute_url("web:session_ics", session.partnership_id, session.pk),
    }
    ics = Attachment("session.ics", session_invite(session), "text/calendar")
    return _tell_members(
        session.partnership, "session", f"{session.uid}:{session.sequence}", context, attachments=(ics,)
    )


def partnership_ended(partnership: Partnership, closure: Closure) -> int:
    context = {
        "early": closure.kind == "early",
        "reason": closure.get_reason_display() if closure.reason else "",
        "history_link": absolute_url("web:my_matches"),
    }
    return _tell_members(partnership, "ended", str(partnership.pk), context)
