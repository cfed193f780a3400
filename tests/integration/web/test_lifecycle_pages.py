"""Members' lifecycle pages: agreement, scheduling with .ics and invite emails, logs, notes,
closure — and what HR can never see through pages."""

from datetime import datetime

import time_machine
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from stepahead.lifecycle.models import Session
from stepahead.lifecycle.services import Slot, schedule_session, write_note
from stepahead.mail.services import deliver_due
from stepahead.partnerships.models import PartnershipStatus
from tests.integration.partnering import accepted, active

NOW = "2026-03-02 09:00 +00:00"


def _flush():
    mail.outbox.clear()
    deliver_due(now=datetime.fromisoformat("2030-01-01T00:00:00+00:00"))
    return list(mail.outbox)


@time_machine.travel(NOW, tick=False)
def test_peers_confirm_the_agreement_through_the_pages(world, browser_for):
    built = accepted(world)
    p = built.partnership
    sent = _flush()
    agreement = [m for m in sent if m.subject.startswith("Write and confirm your agreement")]
    assert sorted(m.to[0] for m in agreement) == ["A@acme.test", "B@acme.test"]
    assert all(m.alternatives for m in agreement)  # HTML and text
    assert all("http://" in m.body for m in agreement)  # absolute links
    page = browser_for(built.users["A"]).get(reverse("web:partnership", args=[p.pk])).content.decode()
    assert "Confirm version 1" in page
    assert "Grow my sql" in page
    for name in ("A", "B"):
        response = browser_for(built.users[name]).post(
            reverse("web:agreement_confirm", args=[p.pk]), {"number": 1}
        )
        assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == PartnershipStatus.ACTIVE
    assert any("first session" in m.subject for m in _flush())


@time_machine.travel(NOW, tick=False)
def test_edit_form_makes_a_new_version_after_confirmation(world, browser_for):
    built = active(world)
    p = built.partnership
    browser = browser_for(built.users["A"])
    form = browser.get(reverse("web:agreement", args=[p.pk])).content.decode()
    assert 'name="goal-0-title"' in form
    goal = p.goals.order_by("position", "pk").first()
    data = {
        "cadence_days": 7,
        "session_minutes": 45,
        "channel": "video",
        "starts_on": "2026-03-02",
        "ends_on": "2026-09-01",
        "confidentiality": "Between us",
        "ground_rules": "Be kind",
        "goal-0-id": goal.pk,
        "goal-0-title": "Write better SQL",
        "goal-0-measure": "A query reviewed",
        "goal-0-owner": goal.owner_id,
    }
    assert browser.post(reverse("web:agreement", args=[p.pk]), data).status_code == 302
    assert p.agreement_versions.count() == 2
    old = browser.get(reverse("web:agreement_version", args=[p.pk, 1])).content.decode()
    assert "Every 14 days" in old
    bad = browser.post(reverse("web:agreement", args=[p.pk]), {**data, "ends_on": "2026-01-01"})
    assert bad.status_code == 400
    assert "Planned end" in bad.content.decode()
    assert p.agreement_versions.count() == 2


@time_machine.travel(NOW, tick=False)
def test_scheduling_sends_invites_and_the_ics_downloads_as_text_calendar(world, browser_for):
    built = active(world)
    p = built.partnership
    _flush()
    browser = browser_for(built.users["B"])
    response = browser.post(
        reverse("web:session_new", args=[p.pk]),
        {"starts_at": "2026-03-10T15:00", "time_zone": "Europe/Paris", "minutes": 60, "location": "Room 4"},
    )
    assert response.status_code == 302
    session = Session.objects.get(partnership=p)
    sent = _flush()
    assert len(sent) == 2
    name, _content, mimetype = sent[0].attachments[0]
    assert (name, mimetype) == ("session.ics", "text/calendar")
    ics = browser.get(reverse("web:session_ics", args=[p.pk, session.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert reverse("web:session_ics", args=[p.pk, session.pk]).endswith(".ics")
    (event,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["uid"]) == session.uid
    assert event["dtstart"].dt.hour == 15
    cancel = browser.post(reverse("web:session_cancel", args=[p.pk, session.pk]))
    assert cancel.status_code == 302
    (event,) = Calendar.from_ical(_flush()[0].attachments[0][1]).walk("VEVENT")
    assert (str(event["uid"]), int(event["sequence"]), str(event["status"])) == (session.uid, 1, "CANCELLED")


@time_machine.travel("2026-03-10 16:00 +00:00", tick=False)
def test_log_and_notes_are_for_members_and_private_notes_for_their_author(world, browser_for):
    built = active(world)
    p = built.partnership
    with time_machine.travel(NOW, tick=False):  # scheduled a week before it is held
        session = schedule_session(
            user=built.users["A"], partnership=p, slot=Slot(datetime(2026, 3, 10, 15), "UTC", 50)
        )
    browser = browser_for(built.users["A"])
    goal = p.goals.first()
    member_b = p.members.get(enrolment__person__hris_id="B")
    logged = browser.post(
        reverse("web:session_log", args=[p.pk, session.pk]),
        {"goals": [goal.pk], f"brought-{member_b.pk}": "SECRET-BROUGHT", "takeaways": "SECRET-TAKEAWAY"},
    )
    assert logged.status_code == 302
    write_note(user=built.users["A"], session=session, text="SECRET-PRIVATE", shared=False)
    write_note(user=built.users["A"], session=session, text="SECRET-SHARED", shared=True)
    url = reverse("web:session", args=[p.pk, session.pk])
    mine = browser.get(url).content.decode()
    theirs = browser_for(built.users["B"]).get(url).content.decode()
    assert "SECRET-PRIVATE" in mine
    assert "SECRET-SHARED" in mine
    assert "SECRET-TAKEAWAY" in mine
    assert "SECRET-PRIVATE" not in theirs
    assert "SECRET-SHARED" in theirs
    for outsider in (world.manager, world.admin, world.participant):
        response = browser_for(outsider).get(url)
        assert response.status_code == 404
        ics = browser_for(outsider).get(reverse("web:session_ics", args=[p.pk, session.pk]))
        assert ics.status_code == 404


@time_machine.travel(NOW, tick=False)
def test_ending_early_from_the_page_keeps_history_visible(world, browser_for):
    built = active(world)
    p = built.partnership
    browser = browser_for(built.users["A"])
    assert browser.get(reverse("web:close", args=[p.pk])).status_code == 200
    response = browser.post(
        reverse("web:close", args=[p.pk]), {"end": "1", "end-reason": "schedules", "end-note": ""}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == PartnershipStatus.ENDED_EARLY
    history = browser.get(reverse("web:my_matches")).content.decode()
    assert p.programme.name in history
    page = browser.get(reverse("web:partnership", args=[p.pk])).content.decode()
    assert "Ended early" in page
    assert "Grow my sql" in page
    assert any("ended" in m.subject for m in _flush())


def test_closing_on_plan_asks_each_member_their_level_now_in_their_goal_skills(world, browser_for):
    from stepahead.lifecycle.models import RatingMoment, SkillRating

    built = active(world)
    p = built.partnership
    browser = browser_for(built.users["A"])
    url = reverse("web:close", args=[p.pk])
    page = browser.get(url).content.decode()
    assert "Your level now in sql" in page
    assert "Your level now in excel" not in page  # B's goal, not A's
    goal = p.goals.get(owner__enrolment__person__hris_id="A")
    skill = SkillRating.objects.get(member__enrolment__person__hris_id="A", moment=RatingMoment.BEFORE).skill
    fields = {"close-reflection": "Learnt a lot", f"close-goal_{goal.pk}": "achieved"}
    missing = browser.post(url, fields)
    assert missing.status_code == 400
    assert "This field is required" in missing.content.decode()
    assert browser.post(url, {**fields, f"close-level_{skill.pk}": "3"}).status_code == 302
    after = SkillRating.objects.get(member__enrolment__person__hris_id="A", moment=RatingMoment.AFTER)
    assert (after.skill, after.level) == (skill, 3)
