"""Writes of the outbox: queue a message, deliver it, resend it.

`queue_email` stores the rendered message in the caller's transaction and enqueues
`tasks.deliver_email` on commit: a rolled-back action sends nothing, a committed one keeps its
mail even if SMTP is down (the row retries with backoff, then shows as failed).
"""

from __future__ import annotations

import base64
import contextlib
import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from stepahead.accounts import User
from stepahead.core.retry import retry_delay
from stepahead.errors import DomainError
from stepahead.organisations.models import Organisation
from stepahead.organisations.policies import require

from .models import PENDING_STATUSES, RESENDABLE, EmailStatus, OutboundEmail
from .policies import can_resend

logger = logging.getLogger(__name__)
# A message claimed for sending this long ago belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=10)


class Attachment(NamedTuple):
    filename: str
    content: bytes | str
    mimetype: str


class Rendered(NamedTuple):
    subject: str
    text: str
    html: str


def render_email(template: str, context: Mapping[str, object]) -> Rendered:
    """templates/mail/<template>.subject.txt, .txt and (optional) .html."""
    subject = " ".join(render_to_string(f"mail/{template}.subject.txt", dict(context)).split())
    text = render_to_string(f"mail/{template}.txt", dict(context)).strip() + "\n"
    html = ""
    with contextlib.suppress(TemplateDoesNotExist):  # else a text-only message
        html = render_to_string(f"mail/{template}.html", dict(context))
    return Rendered(subject, text, html)


def queue_email(
    *,
    organisation: Organisation | None,
    to: str,
    template: str,
    context: Mapping[str, object],
    key: str,
    attachments: Sequence[Attachment] = (),
    related: models.Model | None = None,
) -> OutboundEmail:
    """Store the message (status queued) and deliver it after commit. Same key → same message."""
    existing = OutboundEmail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    rendered = render_email(template, context)
    return store_email(
        organisation=organisation,
        to=to,
        template=template,
        rendered=rendered,
        key=key,
        attachments=[_stored_attachment(a) for a in attachments],
        related=related,
    )


def store_email(
    *,
    organisation: Organisation | None,
    to: str,
    template: str,
    rendered: Rendered,
    key: str,
    attachments: list[dict[str, str]],
    related: models.Model | None = None,
    resend_of: OutboundEmail | None = None,
    requested_by: User | None = None,
) -> OutboundEmail:
    """Insert an already rendered message and enqueue its delivery on commit."""
    from django.contrib.contenttypes.models import ContentType

    fields: dict[str, object] = {
        "organisation": organisation,
        "to": to,
        "template": template[:120],
        "subject": rendered.subject[:300],
        "text_body": rendered.text,
        "html_body": rendered.html,
        "attachments": attachments,
        "next_attempt_at": timezone.now(),
        "resend_of": resend_of,
        "requested_by": requested_by,
    }
    if related is not None:
        fields["related_type"] = ContentType.objects.get_for_model(related)
        fields["related_id"] = str(related.pk)
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(key=key, **fields)
    except IntegrityError:  # the same key queued concurrently: that message stands
        return OutboundEmail.objects.get(key=key)
    transaction.on_commit(lambda: enqueue_delivery(email.pk))
    return email


class Outgoing(NamedTuple):
    """One message for `queue_emails` (the arguments of `queue_email`, without attachments)."""

    organisation: Organisation | None
    to: str
    template: str
    context: Mapping[str, object]
    key: str
    related: models.Model | None = None


def queue_emails(messages: Sequence[Outgoing]) -> list[OutboundEmail]:
    """`queue_email` for many messages at once (the nudge batch): keys already queued are
    skipped, the rest rendered now and stored with one insert in the caller's transaction, and
    one delivery task for them all is enqueued after commit. A key queued concurrently raises
    IntegrityError (the caller's transaction rolls back and may retry one by one)."""
    from django.contrib.contenttypes.models import ContentType

    existing = set(
        OutboundEmail.objects.filter(key__in=[m.key for m in messages]).values_list("key", flat=True)
    )
    now, rows = timezone.now(), []
    for message in messages:
        if message.key in existing:
            continue
        rendered = render_email(message.template, message.context)
        related = message.related
        rows.append(
            OutboundEmail(
                key=message.key,
                organisation=message.organisation,
                to=message.to,
                template=message.template[:120],
                subject=rendered.subject[:300],
                text_body=rendered.text,
                html_body=rendered.html,
                attachments=[],
                next_attempt_at=now,
                related_type=ContentType.objects.get_for_model(related) if related is not None else None,
                related_id=str(related.pk) if related is not None else "",
            )
        )
    created = OutboundEmail.objects.bulk_create(rows)
    ids = [email.pk for email in created]
    if ids:
        transaction.on_commit(lambda: enqueue_deliveries(ids))
    return created


def enqueue_deliveries(email_ids: list[int]) -> None:
    """One task delivering many messages; if enqueuing fails, `deliver_mail` sends them."""
    from .tasks import deliver_emails

    try:
        deliver_emails.enqueue(email_ids=email_ids)
    except Exception:
        logger.exception(
            "could not enqueue delivery of %s emails; deliver_mail will send them", len(email_ids)
        )


def enqueue_delivery(email_id: int, *, run_after: datetime | None = None) -> None:
    """Hand the message to the task worker. If that fails, the row stays due and the
    `deliver_mail` command (or the next retry) picks it up: never an error for the user."""
    from .tasks import deliver_email  # the task module imports this one

    try:
        task = deliver_email
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # e.g. the immediate backend: `deliver_mail` sends it when due
            task = task.using(run_after=run_after)
        task.enqueue(email_id=email_id)
    except Exception:
        logger.exception("could not enqueue delivery of email %s; deliver_mail will send it", email_id)


def _stored_attachment(attachment: Attachment) -> dict[str, str]:
    content = attachment.content
    if isinstance(content, bytes):
        return {
            "filename": attachment.filename,
            "mimetype": attachment.mimetype,
            "base64": base64.b64encode(content).decode("ascii"),
        }
    return {"filename": attachment.filename, "mimetype": attachment.mimetype, "text": content}


def deliver(*, email_id: int, now: datetime | None = None) -> str:
    """Send one message if it is due; returns its status afterwards. Safe to call twice: the
    conditional update claims the row, so a message is never sent by two workers at once and
    a `sent` one never again."""
    now = now or timezone.now()
    claimed = (
        OutboundEmail.objects.filter(pk=email_id)
        .filter(_due(now))
        .update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    email = OutboundEmail.objects.get(pk=email_id)
    if not claimed:
        return email.status
    try:
        _message_of(email).send()
    except Exception as error:  # SMTP down, refused, timed out...: record it and retry later
        logger.warning("email %s to %s not sent (attempt %s): %s", email.pk, email.to, email.attempts, error)
        return _record_failure(email, error, now)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
    )
    return EmailStatus.SENT


def _due(now: datetime) -> Q:
    return Q(status__in=PENDING_STATUSES, next_attempt_at__lte=now) | Q(
        status=EmailStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    )


def _record_failure(email: OutboundEmail, error: Exception, now: datetime) -> str:
    delay = retry_delay(email.attempts)
    status = EmailStatus.FAILED if delay is None else EmailStatus.RETRYING
    next_at = None if delay is None else now + delay
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=status, last_error=f"{type(error).__name__}: {error}"[:2000], next_attempt_at=next_at
    )
    if next_at is not None:
        enqueue_delivery(email.pk, run_after=next_at)
    return status


def _message_of(email: OutboundEmail) -> EmailMessage:
    message = EmailMultiAlternatives(subject=email.subject, body=email.text_body, to=[email.to])
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for item in email.attachments:
        content = base64.b64decode(item["base64"]) if "base64" in item else item["text"]
        message.attach(item["filename"], content, item["mimetype"])
    message.extra_headers["X-StepAhead-Message"] = str(email.pk)
    return message


def deliver_due(*, now: datetime | None = None) -> dict[str, int]:
    """Try every message that is due (cron, tests, the `deliver_mail` command); counts by outcome."""
    now = now or timezone.now()
    outcome: dict[str, int] = {}
    for email_id in OutboundEmail.objects.filter(_due(now)).order_by("pk").values_list("pk", flat=True):
        status = deliver(email_id=email_id, now=now)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome


@transaction.atomic
def resend_email(*, actor: User, email: OutboundEmail) -> OutboundEmail:
    """HR: queue a fresh copy of a sent, retrying or failed message (same content, new key).
    A retrying original stops retrying, so the person does not get it twice."""
    require(can_resend(user=actor, email=email), "You cannot resend this email.")
    if email.status not in RESENDABLE:
        raise DomainError("This email is still on its way; it can be resent once sent or failed.")
    OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.RETRYING).update(
        status=EmailStatus.FAILED, next_attempt_at=None
    )
    original = email.resend_of or email
    return store_email(
        organisation=email.organisation,
        to=email.to,
        template=email.template,
        rendered=Rendered(email.subject, email.text_body, email.html_body),
        key=f"{original.key[:150]}:resend:{uuid.uuid4().hex}",
        attachments=list(email.attachments),
        related=email.related,
        resend_of=original,
        requested_by=actor,
    )
