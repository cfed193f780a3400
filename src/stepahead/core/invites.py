"""iCalendar invites for partnership sessions (RFC 5545, through the `icalendar` library).

A session keeps one UID for life; every change bumps its SEQUENCE, and a cancellation is the same
UID with METHOD:CANCEL and STATUS:CANCELLED, so calendars update or remove the event they hold
instead of adding a second one. Pure: the caller passes the stamp time (`now`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//StepAhead//Partnership sessions//EN"


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class Invite:
    uid: str
    sequence: int
    starts_at: datetime  # aware
    time_zone: str  # IANA name the organiser chose; the event is written in it
    minutes: int
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    organiser: Attendee | None = None
    attendees: Sequence[Attendee] = ()
    cancelled: bool = False


def invite_ics(invite: Invite, *, now: datetime) -> str:
    """The invite as an iCalendar file (text with CRLF line ends, as RFC 5545 asks)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if invite.cancelled else "REQUEST")
    calendar.add_component(_event(invite, now))
    if invite.time_zone != "UTC":
        calendar.add_missing_timezones()
    text: bytes = calendar.to_ical()
    return text.decode("utf-8")


def _event(invite: Invite, now: datetime) -> Event:
    local = invite.starts_at.astimezone(ZoneInfo(invite.time_zone))
    event = Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", now.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", local)
    event.add("dtend", local + timedelta(minutes=invite.minutes))
    event.add("summary", invite.summary)
    event.add("status", "CANCELLED" if invite.cancelled else "CONFIRMED")
    if invite.location:
        event.add("location", invite.location)
    if invite.description:
        event.add("description", invite.description)
    if invite.url:
        event.add("url", invite.url)
    if invite.organiser is not None:
        event.add("organizer", _address(invite.organiser))
    for person in invite.attendees:
        event.add("attendee", _address(person, attendee=True))
    return event


def _address(person: Attendee, *, attendee: bool = False) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name)
    if attendee:
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
    return address
