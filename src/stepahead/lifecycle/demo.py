"""The demo's partnerships in every state of their life, written through the services.

Two running "winter cohort" programmes — peer pairs and peer circles — hold partnerships that
await answers, wait for their agreement, are active (past sessions logged, goals moving, the
next session booked, each with its .ics), are at risk (no session for weeks), completed on plan
with closing reflections, ended early for a no-fault reason, and declined with a reason. The
demo participant has an active pair with an upcoming session.

Services stamp the present; history is then moved into the past with plain updates of the
timestamps (the demo only), so the pages show weeks of life.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from stepahead.accounts import User
from stepahead.matchruns.mapper import Draft
from stepahead.organisations.models import Organisation
from stepahead.partnerships.models import Partnership
from stepahead.partnerships.services import (
    accept_partnership,
    approve_proposals,
    decline_partnership,
    record_proposals,
)
from stepahead.people.models import MAX_LEVEL, LevelSource, Person
from stepahead.people.services import set_development_goals, set_skill_levels
from stepahead.programmes.models import Programme, Status
from stepahead.programmes.services import change_programme_status, create_programme, enrol_participant

from .models import AgreementVersion, Goal, GoalReflection, RatingMoment, Session, SessionNote
from .services import (
    SessionLog,
    Slot,
    confirm_agreement,
    end_early,
    log_session,
    reflect_and_close,
    reflect_on_goal,
    schedule_session,
    write_note,
)

type LoginFor = Callable[[Person], User]

# (state, weeks since the partnership became active); pairs first, the participant's first.
PAIR_STATES = [
    ("active", 8), ("awaiting", 0), ("awaiting", 0), ("agreement", 0), ("agreement", 0),
    ("active", 10), ("active", 6), ("at_risk", 7), ("at_risk", 9), ("completed", 24),
    ("completed", 26), ("completed", 20), ("completed", 18), ("ended_early", 5), ("declined", 0),
]  # fmt: skip
# The skills the closers came for: each closer holds two of the three, so each skill is rated
# before and after by 5 or more people in a programme — over the insights' anonymity threshold.
CLOSERS_SKILLS = ("Stakeholder management", "Public speaking", "Machine learning")
CIRCLE_STATES = [("active", 9), ("agreement", 0), ("completed", 22), ("ended_early", 4)]
TAKEAWAYS = [
    "Walked through a real example together; agreed on one thing to try before next time.",
    "Swapped notes on what worked; the feedback on the draft was the most useful part.",
    "Practised the hard conversation twice; the second run was much calmer.",
]


def stage_lives(
    *, hr: User, organisation_people: Sequence[Person], you: Person, login_for: LoginFor
) -> list[Partnership]:
    """Create the two winter-cohort programmes and their partnerships (see the module doc)."""
    organisation = you.organisation
    others = iter(p for p in organisation_people if p.pk != you.pk)
    made, closers = [], 0
    pairs = _programme(hr, organisation, "Peer pairs: winter cohort", "peer")
    for n, (state, weeks) in enumerate(PAIR_STATES):
        people = [you, next(others)] if n == 0 else [next(others), next(others)]
        if state == "completed":
            closers = _share_goals(hr, people, closers)
        made.append(_live(hr, pairs, "pair", people, state, weeks, login_for))
    circles = _programme(hr, organisation, "Peer circles: winter cohort", "circles")
    for state, weeks in CIRCLE_STATES:
        people = [next(others) for _ in range(4 if state == "active" else 3)]
        if state == "completed":
            closers = _share_goals(hr, people, closers)
        made.append(_live(hr, circles, "circle", people, state, weeks, login_for))
    for programme in (pairs, circles):  # everyone is enrolled: the cohorts are running
        change_programme_status(actor=hr, programme=programme, to=Status.MATCHING)
        change_programme_status(actor=hr, programme=programme, to=Status.RUNNING)
    return made


def _share_goals(hr: User, people: list[Person], closers: int) -> int:
    """Give the people who will close two of `CLOSERS_SKILLS` as goals (ahead of their own first
    goal) and a self-assessed level of 1–3 in each, before their agreement records the levels
    "before". Returns the count of closers so far, which rotates the skills deterministically."""
    for n, person in enumerate(people, start=closers):
        cohort = [s for k, s in enumerate(CLOSERS_SKILLS) if k != n % len(CLOSERS_SKILLS)]
        own = list(person.goals.order_by("priority").values_list("skill__name", flat=True)[:1])
        set_development_goals(actor=hr, person=person, goals=[*cohort, *own])
        levels = dict(person.skill_levels.filter(source=LevelSource.SELF).values_list("skill__name", "level"))
        levels.update({skill: 1 + (n + k) % 3 for k, skill in enumerate(cohort)})
        set_skill_levels(actor=hr, person=person, levels=levels)
    return closers + len(people)


def _programme(hr: User, organisation: Organisation, name: str, mode: str) -> Programme:
    today = timezone.localdate()
    programme = create_programme(
        actor=hr,
        organisation=organisation,
        name=name,
        mode=mode,
        description="Running since the autumn: partnerships at every stage of their life.",
        starts_on=today - timedelta(weeks=26),
        ends_on=today + timedelta(weeks=4),
    )
    return change_programme_status(actor=hr, programme=programme, to=Status.ENROLLING)


def _live(
    hr: User,
    programme: Programme,
    kind: str,
    people: list[Person],
    state: str,
    weeks: int,
    login_for: LoginFor,
) -> Partnership:
    role = "peer" if kind == "pair" else "member"
    enrolments = [enrol_participant(actor=hr, programme=programme, person=p) for p in people]
    (partnership,) = record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft(kind, tuple((e, role) for e in enrolments), 1.5, ("Chosen for the demo",))],
    )
    approve_proposals(actor=hr, programme=programme, partnerships=[partnership])
    partnership.refresh_from_db()
    users = [login_for(p) for p in people]
    if state == "declined":
        decline_partnership(user=users[1], partnership=partnership, reason="I am moving team next month.")
    elif state != "awaiting":
        for user in users:
            accept_partnership(user=user, partnership=partnership)
        partnership.refresh_from_db()
        if state != "agreement":
            _run(partnership, users, state, weeks)
    partnership.refresh_from_db()
    return partnership


def _run(partnership: Partnership, users: list[User], state: str, weeks: int) -> None:
    """Confirm, meet, make progress, and end as the state asks — then move it all into the past."""
    for user in users:
        confirm_agreement(user=user, partnership=partnership, number=1)
    now = timezone.now()
    started = now - timedelta(weeks=weeks)
    held = 0 if state == "at_risk" else max(1, weeks // 2 - (1 if state == "ended_early" else 0))
    cadence = timedelta(days=14)
    for n in range(held):
        when = started + cadence * n + timedelta(days=3, hours=10)
        _held(partnership, users, n, min(when, now - timedelta(days=1)))
    _progress(partnership, users, weeks)
    _backdate(partnership, started)
    if state == "active":
        _upcoming(partnership, users[0], now)
    if state == "completed":
        _complete(partnership, users)
    elif state == "ended_early":
        end_early(
            user=users[0], partnership=partnership, reason="schedules", note="Our shift patterns changed."
        )


def _slot(when: datetime, minutes: int = 60) -> Slot:
    local = when.astimezone(timezone.get_current_timezone()).replace(tzinfo=None, second=0, microsecond=0)
    return Slot(
        local, timezone.get_current_timezone_name(), minutes, "https://meet.example.com/stepahead-demo"
    )


def _held(partnership: Partnership, users: list[User], n: int, when: datetime) -> None:
    session = schedule_session(user=users[n % len(users)], partnership=partnership, slot=_slot(when))
    goals = list(partnership.goals.values_list("pk", flat=True)[:2])
    members = list(partnership.members.order_by("pk"))
    log = SessionLog(
        goal_ids=goals,
        contributions={m.pk: "Brought a current piece of work to look at." for m in members[:2]},
        takeaways=TAKEAWAYS[n % len(TAKEAWAYS)],
        next_actions="Try the technique on a real task and report back.",
    )
    log_session(user=users[0], session=session, log=log)
    write_note(user=users[0], session=session, text="Good energy today.", shared=True)
    write_note(user=users[-1], session=session, text="Note to self: ask about the budget example.")
    Session.objects.filter(pk=session.pk).update(created_at=when - timedelta(days=5), logged_at=when)


def _progress(partnership: Partnership, users: list[User], weeks: int) -> None:
    for n, goal in enumerate(partnership.goals.all()):
        for step in range(1, min(3, weeks // 3) + 1):
            reflect_on_goal(
                user=users[n % len(users)],
                goal=goal,
                progress=min(100, step * (20 + 5 * n)),
                text=["Made a start.", "Used it at work this week.", "Feels natural now."][step - 1],
            )


def _backdate(partnership: Partnership, started: datetime) -> None:
    AgreementVersion.objects.filter(partnership=partnership).update(
        created_at=started - timedelta(days=3), starts_on=started.date()
    )
    Goal.objects.filter(partnership=partnership).update(created_at=started - timedelta(days=3))
    reflections = GoalReflection.objects.filter(goal__partnership=partnership).order_by("pk")
    for n, reflection in enumerate(reflections):
        GoalReflection.objects.filter(pk=reflection.pk).update(
            written_at=started + timedelta(days=10 + 9 * n)
        )
    last = partnership.sessions.filter(status="held").order_by("-starts_at").first()
    due = (last.starts_at if last else started) + timedelta(days=14)
    Partnership.objects.filter(pk=partnership.pk).update(
        approved_at=started - timedelta(days=10),
        activated_at=started,
        next_session_due_at=due,
        last_activity_at=last.starts_at if last else started,
    )
    SessionNote.objects.filter(session__partnership=partnership).update(written_at=started)


def _upcoming(partnership: Partnership, user: User, now: datetime) -> None:
    when = (now + timedelta(days=3)).replace(hour=10, minute=0)
    schedule_session(user=user, partnership=partnership, slot=_slot(when))


def _complete(partnership: Partnership, users: list[User]) -> None:
    for n, user in enumerate(users):
        member = partnership.members.get(enrolment__person__user=user)
        outcomes = {
            g.pk: ("achieved" if g.progress >= 60 else "partly")
            for g in partnership.goals.filter(owner=member)
        }
        before = member.skill_ratings.filter(moment=RatingMoment.BEFORE).order_by("skill__name")
        reflect_and_close(
            user=user,
            partnership=partnership,
            reflection="I came for one skill and left with a habit of asking for feedback.",
            outcomes=outcomes,
            levels={r.skill_id: _after(r.level, n + k) for k, r in enumerate(before)},
        )


def _after(before: int, n: int) -> int:
    """Closers rate themselves a step up in most skills; in one of three they stay level."""
    return before if n % 3 == 2 else min(MAX_LEVEL, before + 1)
