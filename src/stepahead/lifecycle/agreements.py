"""Writes for agreements and goals: the first draft on acceptance, co-writing, confirming,
progress and reflections.

An agreement's newest version is edited in place until someone confirms it; an edit after that
makes a new version that everyone confirms again (older versions stay readable). The partnership
becomes active when every member has confirmed a version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from stepahead.accounts import User
from stepahead.core.partnering import (
    Terms,
    default_terms,
    facilitator_for,
    next_session_due,
    progress_problem,
    rotated,
    terms_problems,
)
from stepahead.errors import DomainError, PermissionDenied
from stepahead.partnerships.models import Kind, MemberRole, Partnership, PartnershipMember, PartnershipStatus
from stepahead.people.models import Skill
from stepahead.people.selectors import goal_keys
from stepahead.programmes.models import Programme
from stepahead.programmes.services import require_manager

from . import notifications
from .models import AgreementConfirmation, AgreementTemplate, AgreementVersion, Goal, GoalReflection
from .policies import require_member
from .ratings import record_levels_before

EDITABLE_STATUSES = (PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE)


@dataclass(frozen=True, slots=True)
class GoalDraft:
    """A goal as the agreement form states it; `goal_id` names an existing goal being edited."""

    title: str
    success_measure: str = ""
    owner: int | None = None  # PartnershipMember pk
    goal_id: int | None = None


def template_for(programme: Programme) -> AgreementTemplate:
    """The programme's agreement template, made from the defaults the first time it is needed."""
    defaults = default_terms(today=timezone.localdate(), circle=programme.mode == "circles")
    template, _ = AgreementTemplate.objects.get_or_create(
        programme=programme,
        defaults={"confidentiality": defaults.confidentiality, "ground_rules": defaults.ground_rules},
    )
    return template


TEMPLATE_FIELDS = (
    "cadence_days",
    "session_minutes",
    "channel",
    "planned_weeks",
    "confidentiality",
    "ground_rules",
)


@transaction.atomic
def update_agreement_template(*, actor: User, programme: Programme, **values: object) -> AgreementTemplate:
    """The programme manager edits the starting point of every new agreement in the programme
    (agreements already drafted keep their terms)."""
    require_manager(actor, programme)
    unknown = set(values) - set(TEMPLATE_FIELDS)
    if unknown:
        raise DomainError(f"Unknown agreement template fields: {', '.join(sorted(unknown))}.")
    template = template_for(programme)
    for name, value in values.items():
        setattr(template, name, value.strip() if isinstance(value, str) else value)
    today = timezone.localdate()
    weeks = int(str(template.planned_weeks))
    problems = terms_problems(
        Terms(
            template.cadence_days,
            template.session_minutes,
            template.channel,
            "",
            "",
            today,
            today + timedelta(weeks=weeks),
        )
    )
    if problems or not 1 <= weeks <= 104:
        raise DomainError(" ".join(problems or ["Planned length: 1 to 104 weeks."]))
    template.save()
    return template


def draft_agreement(*, partnership: Partnership, now: datetime | None = None) -> AgreementVersion:
    """Version 1 from the programme's template, with each member's development goals as goals
    (in mentoring, the mentee's). Idempotent: an existing agreement is returned unchanged."""
    existing = partnership.agreement_versions.order_by("-number").first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    template = template_for(partnership.programme)
    terms = default_terms(
        today=timezone.localdate(now),
        circle=partnership.kind == Kind.CIRCLE,
        cadence_days=template.cadence_days,
        session_minutes=template.session_minutes,
        planned_weeks=template.planned_weeks,
        programme_ends_on=partnership.programme.ends_on,
    )
    terms = replace(
        terms,
        channel=template.channel,
        confidentiality=template.confidentiality or terms.confidentiality,
        ground_rules=template.ground_rules or terms.ground_rules,
    )
    members = list(partnership.members.select_related("enrolment__person").order_by("pk"))
    version = _new_version(partnership, 1, terms, None, now)
    if partnership.kind == Kind.CIRCLE:
        version.rotation = [m.pk for m in members]
    _sync_goals(partnership, version, _prefilled_goals(partnership, members), now)
    notifications.agreement_ready(partnership, 1)
    return version


def _prefilled_goals(partnership: Partnership, members: list[PartnershipMember]) -> list[GoalDraft]:
    names = dict(Skill.objects.filter(organisation=partnership.organisation).values_list("key", "name"))
    drafts = []
    for member in members:
        if member.role == MemberRole.MENTOR:
            continue  # mentors give in mentoring partnerships; the mentee's goals are the agreement's
        keys = member.enrolment.goals or goal_keys(member.enrolment.person)
        for key in keys:
            name = names.get(key, key)
            drafts.append(
                GoalDraft(
                    title=f"Grow my {name}",
                    success_measure=f"By the planned end I can point to a piece of work where my {name} "
                    "made the difference.",
                    owner=member.pk,
                )
            )
    return drafts


@transaction.atomic
def revise_agreement(
    *,
    user: User,
    partnership: Partnership,
    terms: Terms,
    goals: Sequence[GoalDraft],
    shared_goal: str = "",
    rotation: Sequence[int] = (),
) -> AgreementVersion:
    """A member edits the agreement. Unconfirmed: the newest version changes in place;
    confirmed by anyone: a new version, which everyone confirms again."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    member = require_member(user=user, partnership=partnership)
    if partnership.status not in EDITABLE_STATUSES:
        raise DomainError("This partnership's agreement can no longer be changed.")
    problems = terms_problems(terms)
    if problems:
        raise DomainError(" ".join(problems))
    now = timezone.now()
    current = draft_agreement(partnership=partnership, now=now)
    if current.confirmations.exists():
        current = _new_version(partnership, current.number + 1, terms, member, now)
        notifications.agreement_ready(partnership, current.number)
    else:
        _apply_terms(current, terms)
        current.created_by, current.created_at = member, now
    if partnership.kind == Kind.CIRCLE:
        current.shared_goal = shared_goal.strip()
        current.rotation = rotated(
            rotation, list(partnership.members.order_by("pk").values_list("pk", flat=True))
        )
    _sync_goals(partnership, current, goals, now)
    touch(partnership, now)
    return current


@transaction.atomic
def confirm_agreement(*, user: User, partnership: Partnership, number: int) -> AgreementVersion:
    """A member confirms version `number`, which must still be the newest (so nobody confirms
    terms that changed under them). Everyone confirmed: the partnership becomes active."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    member = require_member(user=user, partnership=partnership)
    current = partnership.agreement_versions.order_by("-number").first()
    if current is None or partnership.status not in EDITABLE_STATUSES:
        raise DomainError("There is no agreement waiting for confirmation.")
    if current.number != number:
        raise DomainError(f"The agreement changed: please read version {current.number} and confirm that.")
    now = timezone.now()
    AgreementConfirmation.objects.get_or_create(
        version=current, member=member, defaults={"confirmed_at": now}
    )
    everyone = not partnership.members.exclude(confirmations__version=current).exists()
    if everyone and partnership.status == PartnershipStatus.ACCEPTED:
        partnership.status, partnership.activated_at = PartnershipStatus.ACTIVE, now
        partnership.next_session_due_at = next_session_due(now, current.cadence_days)
        partnership.save(update_fields=["status", "activated_at", "next_session_due_at"])
        record_levels_before(partnership=partnership, now=now)  # the goals are set: where each starts
        notifications.partnership_active(partnership)
    touch(partnership, now)
    return current


def _new_version(
    partnership: Partnership, number: int, terms: Terms, member: PartnershipMember | None, now: datetime
) -> AgreementVersion:
    previous = partnership.agreement_versions.order_by("-number").first()
    version = AgreementVersion(partnership=partnership, number=number, created_by=member, created_at=now)
    if previous is not None:
        version.shared_goal, version.rotation = previous.shared_goal, previous.rotation
    _apply_terms(version, terms)
    return version


def _apply_terms(version: AgreementVersion, terms: Terms) -> None:
    version.cadence_days, version.session_minutes = terms.cadence_days, terms.session_minutes
    version.channel, version.confidentiality = terms.channel, terms.confidentiality.strip()
    version.ground_rules = terms.ground_rules.strip()
    version.starts_on, version.ends_on = terms.starts_on, terms.ends_on


def _sync_goals(
    partnership: Partnership, version: AgreementVersion, drafts: Sequence[GoalDraft], now: datetime
) -> None:
    """Make the live goals match the drafts (progress kept for goals that stay), then snapshot
    them, with the shared circle goal, into the version."""
    members = _mentee_side(partnership)
    live = {goal.pk: goal for goal in partnership.goals.filter(retired=False, owner__isnull=False)}
    kept: list[Goal] = []
    for position, draft in enumerate(drafts):
        if not draft.title.strip():
            raise DomainError(f"Goal {position + 1}: give it a title.")
        if draft.owner not in members:
            raise DomainError(
                f"Goal {position + 1}: its owner must be a member who receives in this partnership."
            )
        goal = live.pop(draft.goal_id, None) if draft.goal_id else None
        goal = goal or Goal(partnership=partnership, created_at=now)
        goal.title, goal.success_measure = draft.title.strip()[:200], draft.success_measure.strip()
        goal.owner_id, goal.position = draft.owner, position
        goal.save()
        kept.append(goal)
    Goal.objects.filter(pk__in=list(live)).update(retired=True)
    kept += _sync_shared_goal(partnership, version.shared_goal, now)
    version.goals = [
        {"id": g.pk, "owner": g.owner_id, "title": g.title, "success_measure": g.success_measure}
        for g in kept
    ]
    version.save()


def _sync_shared_goal(partnership: Partnership, text: str, now: datetime) -> list[Goal]:
    shared = partnership.goals.filter(owner__isnull=True, retired=False).first()
    if not text:
        if shared is not None:
            shared.retired = True
            shared.save(update_fields=["retired"])
        return []
    if shared is None:
        shared = Goal(partnership=partnership, created_at=now, position=99)
    shared.title = text[:200]
    shared.save()
    return [shared]


def _mentee_side(partnership: Partnership) -> set[int]:
    """Members who own goals: everyone in pairs and circles, mentees in mentoring."""
    members = partnership.members.all()
    if partnership.kind == Kind.MENTORING:
        members = members.exclude(role=MemberRole.MENTOR)
    return set(members.values_list("pk", flat=True))


@transaction.atomic
def reflect_on_goal(*, user: User, goal: Goal, progress: int, text: str = "") -> GoalReflection:
    """A member records progress on a goal, with a dated reflection; the goal shows the latest."""
    member = require_member(user=user, partnership=goal.partnership)
    problem = progress_problem(progress)
    if problem:
        raise DomainError(problem)
    if goal.partnership.status not in EDITABLE_STATUSES or goal.retired:
        raise DomainError("This goal is closed; its history stays readable.")
    now = timezone.now()
    reflection = GoalReflection.objects.create(
        goal=goal, author=member, progress=progress, text=text.strip(), written_at=now
    )
    goal.progress = progress
    goal.save(update_fields=["progress"])
    touch(goal.partnership, now)
    return reflection


def next_facilitator(partnership: Partnership) -> PartnershipMember | None:
    """Who leads the circle's next meeting, by the agreement's rotation (None outside circles)."""
    version = partnership.agreement_versions.order_by("-number").first()
    if partnership.kind != Kind.CIRCLE or version is None:
        return None
    held_or_planned = partnership.sessions.exclude(status="cancelled").count()
    members = list(partnership.members.order_by("pk").values_list("pk", flat=True))
    chosen = facilitator_for(rotated(version.rotation, members), held_or_planned)
    return None if chosen is None else partnership.members.filter(pk=chosen).first()


def touch(partnership: Partnership, now: datetime) -> None:
    """Record activity (HR's 'last activity' column)."""
    Partnership.objects.filter(pk=partnership.pk).update(last_activity_at=now)


def require_goal_owner_or_member(*, user: User, goal: Goal) -> PartnershipMember:
    """Marking a goal's outcome is for its owner (shared goals: any member)."""
    member = require_member(user=user, partnership=goal.partnership)
    if goal.owner_id is not None and goal.owner_id != member.pk:
        raise PermissionDenied("Only the goal's owner can mark how it went.")
    return member


__all__ = [
    "GoalDraft",
    "Terms",
    "confirm_agreement",
    "draft_agreement",
    "next_facilitator",
    "reflect_on_goal",
    "revise_agreement",
    "template_for",
    "touch",
    "update_agreement_template",
]
