"""The demo organisation behind `stepahead demo`: realistic data loaded through the services.

`load_demo()` creates, in one transaction, an organisation of a few hundred synthetic people
(`stepahead.synthetic`) imported through the people import, a skills taxonomy with aliases,
three logins (org admin, HR programme manager, participant) and three programmes:

- a PEER programme that is running: matched, approved, and accepted by (nearly) everyone; the
  participant login is in one of its pairs, approved and waiting for their answer;
- a TRADITIONAL programme mid-matching: a completed run whose proposals await HR review;
- a CIRCLES programme that is enrolling, with an invitation waiting for the participant;
- two running "winter cohort" programmes (pairs and circles) with partnerships in every state of
  their life, the participant's own pair active with an upcoming session (`lifecycle.demo`).

It is idempotent: when the demo organisation exists, nothing is written (`DemoOutcome.created`
is False). Mail the services send while loading goes nowhere unless `send_mail=True`.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from stepahead.accounts import User
from stepahead.feedback.demo import stage_feedback
from stepahead.insights.demo import stage_evidence
from stepahead.lifecycle.demo import stage_lives
from stepahead.mail.services import deliver_due
from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.organisations.models import Organisation, Role
from stepahead.organisations.services import add_member, create_organisation
from stepahead.partnerships.models import Partnership
from stepahead.partnerships.selectors import partnerships_of
from stepahead.partnerships.services import accept_partnership, approve_proposals
from stepahead.people.importing import import_people, preview_people_import, read_table
from stepahead.people.models import Person
from stepahead.people.services import add_skill_alias, link_person_to_user, resolve_skill, save_person
from stepahead.programmes.invitations import invite_people
from stepahead.programmes.models import Programme, Status
from stepahead.programmes.services import change_programme_status, create_programme, enrol_participant
from stepahead.synthetic import Employee, generate_employees, participants_to_csv

__all__ = [
    "ADMIN_EMAIL",
    "DEMO_PASSWORD",
    "DEMO_SLUG",
    "HR_EMAIL",
    "PARTICIPANT_EMAIL",
    "DemoOutcome",
    "demo_counts",
    "load_demo",
]

DEMO_SLUG = "demo"
DEMO_NAME = "Northwind Trading (demo)"
DOMAIN = "demo.stepahead.test"
ADMIN_EMAIL = f"admin@{DOMAIN}"
HR_EMAIL = f"hr@{DOMAIN}"
PARTICIPANT_EMAIL = f"participant@{DOMAIN}"
DEMO_PASSWORD = "stepahead-demo"  # demo data only; printed by `stepahead demo`
HEADCOUNT = 300
SEED = 2024
# Skill, other wordings HR files use for it.
ALIASES = {
    "Public speaking": ("presenting", "presentation skills"),
    "Machine learning": ("ml",),
    "Stakeholder management": ("managing stakeholders",),
}
# The share of the headcount each programme enrols (in HRIS-id order, one programme after the
# other: 80, 100 and 40 people of the default 300; the rest are in no programme yet).
PEER_SHARE, TRADITIONAL_SHARE, CIRCLES_SHARE = 4 / 15, 1 / 3, 2 / 15


@dataclass(frozen=True, slots=True)
class DemoOutcome:
    created: bool  # False: the demo was already there and nothing was written
    organisation: Organisation
    counts: dict[str, int] = field(default_factory=dict)


def load_demo(*, headcount: int = HEADCOUNT, seed: int = SEED, send_mail: bool = False) -> DemoOutcome:
    """Load the demo organisation unless it is already there."""
    existing = Organisation.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return DemoOutcome(created=False, organisation=existing, counts=demo_counts(existing))
    mailers = {} if send_mail else {"MAILERS": {"default": {"BACKEND": _QUIET_MAIL}}}
    with override_settings(**mailers):
        with transaction.atomic():
            organisation = _load(headcount, seed)
        if not send_mail:  # the outbox holds the demo's mail: "send" it nowhere now, not later
            deliver_due()
    return DemoOutcome(created=True, organisation=organisation, counts=demo_counts(organisation))


_QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


def demo_counts(organisation: Organisation) -> dict[str, int]:
    """What the demo holds, for the command's summary and for tests."""
    partnerships = Counter(
        Partnership.objects.filter(organisation=organisation).values_list("status", flat=True)
    )
    return {
        "people": organisation.people.count(),
        "skills": organisation.skills.count(),
        "aliases": organisation.skill_aliases.count(),
        "members": organisation.memberships.count(),
        "programmes": organisation.programmes.count(),
        "enrolments": sum(p.enrolments.count() for p in organisation.programmes.all()),
        "runs": organisation.match_runs.count(),
        **{f"partnerships_{status}": n for status, n in sorted(partnerships.items())},
    }


# --- loading --------------------------------------------------------------------------------------


def _load(headcount: int, seed: int) -> Organisation:
    admin, hr, participant = (_login(email) for email in (ADMIN_EMAIL, HR_EMAIL, PARTICIPANT_EMAIL))
    organisation = create_organisation(name=DEMO_NAME, slug=DEMO_SLUG, admin_user=admin)
    add_member(actor=admin, organisation=organisation, user=hr, role=Role.PROGRAMME_MANAGER)
    add_member(actor=admin, organisation=organisation, user=participant, role=Role.PARTICIPANT)
    _taxonomy(organisation, hr)
    staff = generate_employees(headcount, seed=seed, roles=True, domain=DOMAIN)
    _import(organisation, hr, staff)
    people = {p.hris_id: p for p in Person.objects.filter(organisation=organisation)}
    ordered = [(people[e.participant.id], e) for e in staff]
    ends = [round(headcount * share) for share in (PEER_SHARE, TRADITIONAL_SHARE, CIRCLES_SHARE)]
    ends = [sum(ends[: i + 1]) for i in range(3)]
    peer, traditional, circles = ordered[: ends[0]], ordered[ends[0] : ends[1]], ordered[ends[1] : ends[2]]
    you = _peer_programme(organisation, hr, admin, participant, [p for p, _ in peer])
    _traditional_programme(organisation, hr, traditional)
    _circles_programme(organisation, hr, [p for p, _ in circles], you)
    spare_first = [p for p, _ in ordered[ends[2] :]] + [p for p, _ in ordered[: ends[2]]]
    lives = stage_lives(
        hr=hr, organisation_people=spare_first, you=you, login_for=partial(_login_for, organisation, admin)
    )
    stage_feedback(hr=hr, partnerships=lives, you=participant)
    stage_evidence(hr=hr, organisation=organisation)
    return organisation


def _login_for(organisation: Organisation, admin: User, person: Person) -> User:
    """The person's login, made the first time they act in the demo."""
    person.refresh_from_db()
    return person.user or _member_login(organisation, admin, person)


def _login(email: str, *, password: str | None = DEMO_PASSWORD) -> User:
    """A user who signs in with `email` (allauth's address record marked verified)."""
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.create_user(username=email, email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _taxonomy(organisation: Organisation, hr: User) -> None:
    for name, aliases in ALIASES.items():
        skill = resolve_skill(organisation=organisation, label=name)
        for alias in aliases:
            add_skill_alias(actor=hr, skill=skill, alias=alias)


def _import(organisation: Organisation, hr: User, staff: list[Employee]) -> None:
    """The people file as HR would upload it (the spec's columns plus each person's office)."""
    rows = list(csv.reader(io.StringIO(participants_to_csv(e.participant for e in staff))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*rows[0], "location"])
    writer.writerows([*row, e.city] for row, e in zip(rows[1:], staff, strict=True))
    table = read_table(out.getvalue().encode(), filename="northwind-people.csv")
    preview = preview_people_import(organisation=organisation, table=table)
    import_people(actor=hr, organisation=organisation, preview=preview)


def _programme(
    organisation: Organisation, hr: User, name: str, mode: str, description: str, **settings: object
) -> Programme:
    today = timezone.localdate()
    programme = create_programme(
        actor=hr,
        organisation=organisation,
        name=name,
        mode=mode,
        description=description,
        starts_on=today + timedelta(days=14),
        ends_on=today + timedelta(days=14 + 180),
        **settings,
    )
    return change_programme_status(actor=hr, programme=programme, to=Status.ENROLLING)


def _run_now(hr: User, programme: Programme) -> None:
    """Start a run as the UI does and execute it here (the worker would do the same)."""
    run = start_match_run(actor=hr, programme=programme)
    execute_match_run(run_id=run.pk)


def _peer_programme(
    organisation: Organisation, hr: User, admin: User, participant: User, people: list[Person]
) -> Person:
    """Matched, approved and accepted, except the participant's pair, which awaits their answer.
    Returns the person the participant login is linked to."""
    programme = _programme(
        organisation,
        hr,
        "Peer pairs: spring cohort",
        "peer",
        "Reciprocal pairs within a grade of each other: each teaches the other a skill they want.",
    )
    for person in people:
        enrol_participant(actor=hr, programme=programme, person=person)
    _run_now(hr, programme)
    proposals = list(partnerships_of(programme=programme).prefetch_related("members__enrolment__person"))
    you = proposals[0].members.all()[0].enrolment.person
    save_person(actor=hr, organisation=organisation, hris_id=you.hris_id, email=PARTICIPANT_EMAIL)
    link_person_to_user(actor=hr, person=you, user=participant)
    approve_proposals(actor=hr, programme=programme)
    for partnership in proposals:
        for member in partnership.members.all():
            person = member.enrolment.person
            if person == you:
                continue
            user = _member_login(organisation, admin, person)
            accept_partnership(user=user, partnership=Partnership.objects.get(pk=partnership.pk))
    change_programme_status(actor=hr, programme=programme, to=Status.RUNNING)
    return you


def _member_login(organisation: Organisation, admin: User, person: Person) -> User:
    """A login for a demo person who answers a match (no password: nobody signs in as them)."""
    user = _login(person.email or f"{person.hris_id.lower()}@{DOMAIN}", password=None)
    add_member(actor=admin, organisation=organisation, user=user, role=Role.PARTICIPANT)
    link_person_to_user(actor=admin, person=person, user=user)
    return user


def _traditional_programme(
    organisation: Organisation, hr: User, people: list[tuple[Person, Employee]]
) -> None:
    """A completed run; its proposals wait for HR to review and approve them."""
    programme = _programme(
        organisation,
        hr,
        "Mentoring: leadership track",
        "traditional",
        "Senior colleagues mentor people one step behind them in the skills they want to grow.",
    )
    for person, employee in people:
        role = employee.participant.role
        mentors = role is not None and role.mentors
        enrol_participant(
            actor=hr,
            programme=programme,
            person=person,
            role=role.value if role is not None else "mentee",
            capacity=employee.participant.capacity if mentors else None,
        )
    _run_now(hr, programme)


def _circles_programme(organisation: Organisation, hr: User, people: list[Person], you: Person) -> None:
    programme = _programme(
        organisation,
        hr,
        "Peer circles: new managers",
        "circles",
        "Circles of four new managers who meet monthly to learn from each other.",
        self_enrolment=True,  # open to all: anyone can join from My programmes
    )
    for person in people:
        enrol_participant(actor=hr, programme=programme, person=person)
    invite_people(actor=hr, programme=programme, people=[you])
