"""iCalendar invites: parse back with icalendar, one UID for life, SEQUENCE and cancellation."""

from datetime import UTC, datetime

from icalendar import Calendar

from stepahead.core.invites import Attendee, Invite, invite_ics

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
INVITE = Invite(
    uid="abc@stepahead",
    sequence=0,
    starts_at=datetime(2026, 3, 10, 14, tzinfo=UTC),
    time_zone="Europe/Paris",
    minutes=45,
    summary="StepAhead session: Ana and Ben",
    location="https://meet.example/x",
    organiser=Attendee("StepAhead", "noreply@stepahead.test"),
    attendees=(Attendee("Ana", "ana@acme.test"), Attendee("Ben", "ben@acme.test")),
)


def _event(text):
    calendar = Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_invite_parses_with_local_time_zone_and_attendees():
    text = invite_ics(INVITE, now=NOW)
    assert "\r\n" in text
    calendar, event = _event(text)
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == "abc@stepahead"
    start, end = event["dtstart"].dt, event["dtend"].dt
    assert (start.hour, str(start.tzinfo)) == (15, "Europe/Paris")
    assert (end - start).seconds == 45 * 60
    assert sorted(str(a) for a in event.get("attendee")) == ["mailto:ana@acme.test", "mailto:ben@acme.test"]
    assert calendar.walk("VTIMEZONE")


def test_cancellation_reuses_the_uid_with_a_higher_sequence():
    from dataclasses import replace

    _, event = _event(invite_ics(replace(INVITE, sequence=2, cancelled=True), now=NOW))
    assert (str(event["uid"]), int(event["sequence"]), str(event["status"])) == (
        "abc@stepahead",
        2,
        "CANCELLED",
    )
