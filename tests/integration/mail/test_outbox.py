"""The outbox: mail is stored with the action, delivered after commit, retried, resent.

SMTP failures are real: the SMTP backend is pointed at a local port nobody listens on."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stepahead.core.retry import MAX_ATTEMPTS
from stepahead.errors import PermissionDenied
from stepahead.mail.links import absolute_url
from stepahead.mail.models import EmailStatus, OutboundEmail
from stepahead.mail.selectors import deliveries_for
from stepahead.mail.services import Attachment, deliver_due, queue_email, resend_email
from stepahead.programmes.models import Invitation
from tests.integration.factories import make_person, make_programme
from tests.integration.web.conftest import Browser


@pytest.fixture
def browser_for():
    return Browser


LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def _closed_port() -> int:
    """A local port with nothing listening: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_down(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 2},
        }
    }


def _queue(world, key="k1", **extra):
    return queue_email(
        organisation=world.org,
        to="someone@acme.test",
        template="programmes/invitation",
        context={"name": "Ann & Bo", "programme": "Pilot", "link": absolute_url("/invitations/t/")},
        key=key,
        **extra,
    )


def test_queued_mail_is_rendered_and_sent_after_commit_only(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = _queue(world)
    assert len(callbacks) == 1  # the delivery task is enqueued on commit
    assert email.status == EmailStatus.QUEUED
    assert "Ann & Bo" in email.text_body  # plain text is not HTML-escaped
    assert "http://localhost:8000/invitations/t/" in email.text_body
    assert deliver_due() == {"sent": 1}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "You're invited to Pilot"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
    assert deliver_due() == {}  # never sent twice


def test_rolled_back_action_sends_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _queue(world)
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert deliver_due() == {}


def test_same_key_returns_the_same_message(world):
    first, second = _queue(world), _queue(world)
    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1


def test_attachments_are_kept_and_sent(world):
    _queue(world, attachments=[Attachment("session.ics", "BEGIN:VCALENDAR", "text/calendar")])
    _queue(world, key="k2", attachments=[Attachment("a.bin", b"\x00\x01", "application/octet-stream")])
    deliver_due()
    sent = {m.attachments[0].filename: m.attachments[0].content for m in mail.outbox}
    assert sent == {"session.ics": "BEGIN:VCALENDAR", "a.bin": b"\x00\x01"}


def test_unreachable_smtp_retries_with_backoff_then_fails(world, smtp_down):
    email = _queue(world)
    now = timezone.now()
    assert deliver_due(now=now) == {"retrying": 1}
    email.refresh_from_db()
    assert email.status == EmailStatus.RETRYING
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at == now + timedelta(minutes=1)
    assert deliver_due(now=now + timedelta(seconds=30)) == {}  # not due yet
    for _ in range(MAX_ATTEMPTS - 1):
        now += timedelta(hours=3)
        deliver_due(now=now)
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == (EmailStatus.FAILED, MAX_ATTEMPTS, None)


def test_a_message_claimed_by_a_dead_worker_is_tried_again(world):
    email = _queue(world)
    long_ago = timezone.now() - timedelta(hours=1)
    OutboundEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENDING, claimed_at=long_ago)
    assert deliver_due() == {"sent": 1}


def test_deliver_mail_command_sends_what_is_due(world, capsys):
    _queue(world)
    call_command("deliver_mail")
    assert "1 sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_the_delivery_task(world):
    email = _queue(world)  # autocommit: the task is enqueued at once
    call_command("db_worker", "--batch", "--no-startup-delay")
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_schedules_a_retry_when_smtp_is_down(world, smtp_down):
    email = _queue(world)
    call_command("db_worker", "--batch", "--no-startup-delay")
    email.refresh_from_db()
    assert email.status == EmailStatus.RETRYING
    retry = DBTaskResult.objects.get(status="READY")  # the next attempt, deferred
    assert retry.run_after == email.next_attempt_at
    assert retry.args_kwargs["kwargs"] == {"email_id": email.pk}


def test_inviting_with_smtp_down_answers_and_resend_delivers(
    world, browser_for, settings, smtp_down, django_capture_on_commit_callbacks
):
    """Issue 10 fault 3: the invite saved and answered 500; now the page answers, the mail waits
    with a visible status, and HR's resend delivers it once SMTP is back."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    programme = make_programme(world)
    make_person(world.org, "E1", 3, email="e1@acme.test")
    hr = browser_for(world.manager)
    with django_capture_on_commit_callbacks(execute=True):  # delivery runs inside the request
        response = hr.post(reverse("web:programme_invite", args=[programme.pk]), {"people": "E1"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(programme=programme)
    (email,) = deliveries_for(invitation)
    assert email.status == EmailStatus.RETRYING
    page = hr.get(reverse("web:enrolments", args=[programme.pk])).content.decode()
    assert "Email retrying" in page
    assert "1 retrying" in page
    settings.MAILERS = LOCMEM
    resend_url = reverse("web:email_resend", args=[programme.pk, email.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert hr.post(resend_url).status_code == 302
    assert [m.to for m in mail.outbox] == [["e1@acme.test"]]
    assert invitation.token in mail.outbox[0].body
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED  # replaced by the resend: never sent twice
    assert [e.status for e in deliveries_for(invitation)] == [EmailStatus.SENT, EmailStatus.FAILED]
    assert "Email sent" in hr.get(reverse("web:enrolments", args=[programme.pk])).content.decode()


def test_reinviting_keeps_one_message_and_resend_is_for_hr_only(world, browser_for):
    programme = make_programme(world)
    make_person(world.org, "E1", 3, email="e1@acme.test")
    hr = browser_for(world.manager)
    url = reverse("web:programme_invite", args=[programme.pk])
    hr.post(url, {"people": "E1"})
    hr.post(url, {"people": "E1"})
    (email,) = OutboundEmail.objects.all()
    deliver_due()
    resend_url = reverse("web:email_resend", args=[programme.pk, email.pk])
    assert browser_for(world.participant).post(resend_url).status_code == 403
    assert browser_for(world.other_admin).post(resend_url).status_code == 404
    with pytest.raises(PermissionDenied):
        resend_email(actor=world.participant, email=email)
    assert OutboundEmail.objects.count() == 1


def test_a_queued_message_cannot_be_resent_yet(world, browser_for):
    programme = make_programme(world)
    make_person(world.org, "E1", 3, email="e1@acme.test")
    hr = browser_for(world.manager)
    hr.post(reverse("web:programme_invite", args=[programme.pk]), {"people": "E1"})
    (email,) = OutboundEmail.objects.all()
    response = hr.post(reverse("web:email_resend", args=[programme.pk, email.pk]))
    assert response.status_code == 409
    assert "still on its way" in response.content.decode()


def test_password_reset_mail_goes_through_the_outbox(world, client):
    response = client.post("/accounts/password/reset/", {"email": "admin@acme.test"})
    assert response.status_code == 302
    (email,) = OutboundEmail.objects.filter(to="admin@acme.test")
    assert email.organisation is None
    assert mail.outbox == []
    deliver_due()
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
