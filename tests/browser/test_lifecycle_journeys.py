"""Issue 13 journeys in a real browser, with axe on every page visited:

(a) two peers confirm their agreement, one schedules a session, the .ics downloads and parses,
    and the session is logged;
(b) a circle sets its facilitator rotation and the facilitator rotates from session to session.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from stepahead.lifecycle.models import Session, SessionStatus
from stepahead.partnerships.models import PartnershipStatus
from tests.integration.factories import build_world
from tests.integration.partnering import accepted, active

pytestmark = pytest.mark.browser
PASSWORD = "x-password-123"  # tests.integration.factories.make_user's


def _i(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


def sign_in(page, axe, email):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label(_i("e-?mail")).fill(email)
    page.get_by_label(_i("^password")).fill(PASSWORD)
    page.get_by_role("button", name=_i("sign in|log in")).click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "sign-in failed"


def test_peers_confirm_schedule_download_the_invite_and_log_the_session(page, axe, tmp_path):
    built = accepted(build_world())
    p = built.partnership
    for user in built.users.values():
        sign_in(page, axe, user.email)
        page.goto(f"/partnerships/{p.pk}/")
        axe(page, context="partnership, agreement to confirm")
        page.get_by_role("link", name=_i("read and edit the agreement")).click()
        page.wait_for_url(re.compile(r"/agreement/$"))
        axe(page, context="agreement page")
        page.get_by_role("button", name=_i("confirm version 1")).click()
        page.get_by_text(_i("you confirmed version 1")).wait_for()
    p.refresh_from_db()
    assert p.status == PartnershipStatus.ACTIVE

    page.get_by_role("link", name=_i("schedule a session")).click()
    axe(page, context="schedule a session")
    earlier = timezone.localtime() - timedelta(hours=2)  # held this morning, logged now
    page.get_by_label(_i("date and time")).fill(earlier.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(_i("time zone")).select_option(timezone.get_current_timezone_name())
    page.get_by_label(_i("length")).fill("45")
    page.get_by_label(_i("place or meeting link")).fill("https://meet.example/ab")
    page.get_by_role("button", name=_i("schedule and send invites")).click()
    page.get_by_text(_i("session scheduled")).wait_for()
    axe(page, context="session page")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=_i("download the calendar invite")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    path = tmp_path / "session.ics"
    download.save_as(path)
    (event,) = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    session = Session.objects.get(partnership=p)
    assert str(event["uid"]) == session.uid
    assert (event["dtend"].dt - event["dtstart"].dt) == timedelta(minutes=45)

    page.get_by_label(_i("takeaways")).fill("Window functions finally make sense.")
    page.get_by_label(_i("next actions")).fill("Rewrite the monthly report query.")
    page.get_by_role("button", name=_i("log as held")).click()
    page.get_by_text(_i("session logged")).wait_for()
    axe(page, context="logged session")
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_a_circle_rotates_its_facilitator(page, axe):
    built = active(build_world(), kind="circle", names=("A", "B", "C"), mode="circles")
    p = built.partnership
    first, second, third = (m.enrolment.person.name for m in p.members.order_by("pk"))
    sign_in(page, axe, built.users["A"].email)
    page.goto(f"/partnerships/{p.pk}/agreement/")
    axe(page, context="circle agreement")
    page.get_by_label(_i("shared goal")).fill("Each of us leads a meeting with a senior audience")
    page.get_by_label(_i("meeting 1 of each round")).select_option(label=third)
    page.get_by_label(_i("meeting 2 of each round")).select_option(label=first)
    page.get_by_label(_i("meeting 3 of each round")).select_option(label=second)
    page.get_by_role("button", name=_i("save the agreement")).click()
    page.get_by_text(_i("saved as version 2")).wait_for()
    axe(page, context="agreement version 2")

    soon = timezone.localtime() + timedelta(days=7)
    for n, leader in enumerate((third, first)):
        page.goto(f"/partnerships/{p.pk}/sessions/new/")
        page.get_by_text(_i(f"facilitator, by your rotation: {leader}")).wait_for()
        page.get_by_label(_i("date and time")).fill(
            (soon + timedelta(days=14 * n)).strftime("%Y-%m-%dT%H:%M")
        )
        page.get_by_label(_i("time zone")).select_option("Europe/London")
        page.get_by_role("button", name=_i("schedule and send invites")).click()
        page.get_by_text(_i("session scheduled")).wait_for()
        page.get_by_text(_i(f"facilitator {leader}")).wait_for()
    page.goto(f"/partnerships/{p.pk}/")
    page.get_by_text(_i(f"next facilitator: {second}")).wait_for()
    axe(page, context="circle partnership page")
