"""HR's Partnerships page and CSV: status words, filters, sessions against cadence, reasons —
and no session content through any page, export or admin screen."""

import csv
import io
from datetime import datetime

import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from stepahead.lifecycle.models import Session, SessionNote
from stepahead.lifecycle.services import (
    SessionLog,
    Slot,
    draft_agreement,
    end_early,
    log_session,
    schedule_session,
    write_note,
)
from stepahead.partnerships.models import Partnership
from stepahead.partnerships.services import decline_partnership
from tests.integration.factories import make_programme
from tests.integration.partnering import accepted, active, approved

SECRETS = ("SECRET-PRIVATE", "SECRET-SHARED", "SECRET-TAKEAWAY", "SECRET-BROUGHT", "SECRET-NEXT")


def _states(world):
    """One partnership in each state, each in its own programme; returns them by name."""
    built = {
        "awaiting": approved(world, names=("A", "B")),
        "agreement": accepted(world, names=("C", "D")),
        "active": active(world, names=("E", "F")),
        "at_risk": active(world, names=("G", "H")),
        "ended": active(world, names=("I", "J")),
        "declined": approved(world, names=("K", "L")),
    }
    decline_partnership(
        user=built["declined"].users["K"], partnership=built["declined"].partnership, reason="Too far away"
    )
    end_early(
        user=built["ended"].users["I"],
        partnership=built["ended"].partnership,
        reason="schedules",
        note="Shifts",
    )
    # Everything in one programme, so one page shows them all.
    programme = built["awaiting"].programme
    Partnership.objects.filter(pk__in=[b.partnership.pk for b in built.values()]).update(programme=programme)
    return programme, built


def _held_session_with_secrets(built):
    p, a = built.partnership, built.users[next(iter(built.users))]
    session = schedule_session(user=a, partnership=p, slot=Slot(datetime(2026, 3, 3, 10), "UTC", 55))
    with time_machine.travel("2026-03-03 12:00 +00:00", tick=False):
        member = p.members.first()
        log_session(
            user=a,
            session=session,
            log=SessionLog([], {member.pk: "SECRET-BROUGHT"}, "SECRET-TAKEAWAY", "SECRET-NEXT"),
        )
        write_note(user=a, session=session, text="SECRET-PRIVATE")
        write_note(user=a, session=session, text="SECRET-SHARED", shared=True)
    return session


@time_machine.travel("2026-03-02 09:00 +00:00", tick=False)
def test_every_status_word_filters_and_counts(world, browser_for):
    programme, built = _states(world)
    with time_machine.travel("2026-04-01 09:00 +00:00", tick=False):  # a month on: nobody has met
        browser = browser_for(world.manager)
        _held_session_with_secrets(built["active"])  # active keeps up with its cadence
        Partnership.objects.filter(pk=built["active"].partnership.pk).update(
            next_session_due_at=datetime.fromisoformat("2026-04-10T00:00:00+00:00")
        )
        url = reverse("web:partnerships", args=[programme.pk])
        page = browser.get(url).content.decode()
        assert "6 partnerships" in page
        for status, expected in {
            "awaiting": "A · B",
            "agreement": "C · D",
            "active": "E · F",
            "at_risk": "G · H",
        }.items():
            html = browser.get(url, {"status": status}).content.decode()
            assert "1 partnership." in html, status
            assert expected in html, status
        ended = browser.get(url, {"status": "ended"}).content.decode()
        assert "2 partnerships" in ended
        assert "Too far away" in ended
        assert "Our schedules did not work together: Shifts" in ended
        at_risk = browser.get(url, {"status": "at_risk"}).content.decode()
        assert "No session for longer than the agreed cadence" in at_risk
        assert browser.get(url, {"q": "E"}).content.decode().count("E · F") == 1


@time_machine.travel("2026-03-02 09:00 +00:00", tick=False)
def test_csv_exports_the_filtered_rows_without_session_content(world, browser_for):
    programme, built = _states(world)
    _held_session_with_secrets(built["active"])
    with time_machine.travel("2026-03-20 09:00 +00:00", tick=False):
        response = browser_for(world.manager).get(reverse("web:partnerships_csv", args=[programme.pk]))
        body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(body)))
    assert len(lines) == 6
    row = next(line for line in lines if line["members"] == "E · F")
    assert (row["status"], row["sessions held"], row["sessions expected"], row["cadence (days)"]) == (
        "Active",
        "1",
        "1",
        "14",
    )
    assert not any(secret in body for secret in SECRETS)


@time_machine.travel("2026-03-02 09:00 +00:00", tick=False)
def test_hr_and_admins_never_see_session_content_anywhere(world, browser_for):
    built = active(world)
    session = _held_session_with_secrets(built)
    boss = get_user_model().objects.create_superuser("root", "root@acme.test", "x-password-123")
    pages = [
        (world.manager, reverse("web:partnerships", args=[built.programme.pk])),
        (world.admin, reverse("web:partnerships", args=[built.programme.pk])),
        (world.admin, reverse("web:programme_detail", args=[built.programme.pk])),
        (boss, reverse("admin:lifecycle_session_change", args=[session.pk])),
        (boss, reverse("admin:lifecycle_session_changelist")),
        (boss, reverse("admin:partnerships_partnership_change", args=[built.partnership.pk])),
    ]
    for user, url in pages:
        response = browser_for(user).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not any(secret in html for secret in SECRETS), url
    assert SessionNote.objects.count() == 2  # the notes exist; nobody outside the members reads them
    for user in (world.manager, world.admin, boss):
        assert (
            browser_for(user).get(reverse("web:session", args=[built.partnership.pk, session.pk])).status_code
            == 404
        )
    assert Session.objects.get().minutes == 55


def test_participants_cannot_open_the_page(world, browser_for):
    built = active(world)
    response = browser_for(built.users["A"]).get(reverse("web:partnerships", args=[built.programme.pk]))
    assert response.status_code == 403


def test_the_manager_edits_the_agreement_template_new_agreements_start_from(world, browser_for):
    programme = make_programme(world)
    browser = browser_for(world.manager)
    url = reverse("web:agreement_template", args=[programme.pk])
    assert "We come prepared" in browser.get(url).content.decode()
    data = {
        "cadence_days": 21,
        "session_minutes": 45,
        "channel": "in_person",
        "planned_weeks": 12,
        "confidentiality": "Chatham House",
        "ground_rules": "Phones away",
    }
    assert browser.post(url, {**data, "session_minutes": 5}).status_code == 400
    assert browser.post(url, data).status_code == 302
    assert browser_for(world.participant).get(url).status_code == 403
    built = accepted(world)  # a new programme of its own: uses its own template
    Partnership.objects.filter(pk=built.partnership.pk).update(programme=programme)
    built.partnership.agreement_versions.all().delete()
    version = draft_agreement(partnership=Partnership.objects.get(pk=built.partnership.pk))
    assert (version.cadence_days, version.session_minutes, version.channel) == (21, 45, "in_person")
    assert version.ground_rules == "Phones away"
    assert (version.ends_on - version.starts_on).days == 84
