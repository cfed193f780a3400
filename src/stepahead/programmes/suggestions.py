"""New skill names typed on enrolment forms: pending suggestions HR decides on, never instant
organisation-wide skills (issue 11).

`save_enrolment` keeps names the organisation's list does not know out of the enrolment and
records them here (`record_suggestions`). HR then, for a name (everyone who typed it at once):
approves it as a new skill, merges it into an existing skill (the name becomes an alias, so it
is understood next time), or rejects it. Approving or merging adds the skill (with the level
given) or the goal to each suggesting enrolment; rejecting leaves the enrolments as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from stepahead.accounts import User
from stepahead.errors import DomainError
from stepahead.matching import normalise_label
from stepahead.organisations.models import Organisation
from stepahead.organisations.policies import can_manage_people, require
from stepahead.people.models import MAX_GOALS, Skill, SkillAlias
from stepahead.people.selectors import skill_for_key

from .models import Enrolment, SkillSuggestion, SuggestionStatus, SuggestionUse


def record_suggestions(*, enrolment: Enrolment, skills: Mapping[str, int], goals: Sequence[str]) -> None:
    """Replace the enrolment's pending suggestions with these unknown names (the form sends all
    its choices each time, so a name no longer typed is no longer suggested)."""
    enrolment.skill_suggestions.filter(status=SuggestionStatus.PENDING).delete()
    rows: dict[tuple[str, str], tuple[str, int | None]] = {}
    rows.update({(normalise_label(label), SuggestionUse.SKILL): (label, n) for label, n in skills.items()})
    rows.update({(normalise_label(label), SuggestionUse.GOAL): (label, None) for label in goals})
    SkillSuggestion.objects.bulk_create(
        SkillSuggestion(
            organisation_id=enrolment.programme.organisation_id,
            enrolment=enrolment,
            label=" ".join(label.split())[:120],
            key=key[:120],
            use=use,
            level=level,
        )
        for (key, use), (label, level) in rows.items()
    )


@transaction.atomic
def approve_suggestion(*, actor: User, organisation: Organisation, key: str) -> Skill:
    """Add the suggested name as a new skill and give it to everyone who suggested it."""
    pending = _pending(actor, organisation, key)
    skill = skill_for_key(organisation=organisation, key=key)  # added meanwhile (e.g. an import)
    if skill is None:
        skill = Skill.objects.create(organisation=organisation, name=pending[0].label, key=key)
    _resolve(pending, actor, skill, SuggestionStatus.APPROVED)
    return skill


@transaction.atomic
def merge_suggestion(*, actor: User, organisation: Organisation, key: str, into: Skill) -> Skill:
    """Make the suggested name an alias of an existing skill and give that skill to everyone
    who suggested it."""
    pending = _pending(actor, organisation, key)
    if into.organisation_id != organisation.pk:
        raise DomainError("That skill is not in your organisation's list.")
    if skill_for_key(organisation=organisation, key=key) is None:
        SkillAlias.objects.create(organisation=organisation, key=key, skill=into)
    _resolve(pending, actor, into, SuggestionStatus.MERGED)
    return into


@transaction.atomic
def reject_suggestion(*, actor: User, organisation: Organisation, key: str) -> int:
    """Leave the name out of the list; the enrolments keep their other skills and goals."""
    pending = _pending(actor, organisation, key)
    _resolve(pending, actor, None, SuggestionStatus.REJECTED)
    return len(pending)


def _pending(actor: User, organisation: Organisation, key: str) -> list[SkillSuggestion]:
    require(
        can_manage_people(user=actor, organisation=organisation), "Only HR staff maintain the skill list."
    )
    pending = list(
        SkillSuggestion.objects.select_for_update()
        .filter(organisation=organisation, key=key, status=SuggestionStatus.PENDING)
        .select_related("enrolment")
    )
    if not pending:
        raise DomainError("That suggestion has already been dealt with (or was withdrawn).")
    return pending


def _resolve(pending: list[SkillSuggestion], actor: User, skill: Skill | None, status: str) -> None:
    now = timezone.now()
    for suggestion in pending:
        if skill is not None:
            _apply(suggestion, skill)
        suggestion.status, suggestion.skill, suggestion.decided_by, suggestion.decided_at = (
            status,
            skill,
            actor,
            now,
        )
        suggestion.save(update_fields=["status", "skill", "decided_by", "decided_at"])


def _apply(suggestion: SkillSuggestion, skill: Skill) -> None:
    """The enrolment's skill (with the level given) or goal, now that the name means `skill`.
    A goal beyond the third is not added (the form allows three)."""
    enrolment = Enrolment.objects.select_for_update().get(pk=suggestion.enrolment_id)
    if suggestion.use == SuggestionUse.SKILL:
        level = suggestion.level or 0
        enrolment.skills = {**enrolment.skills, skill.key: max(enrolment.skills.get(skill.key, 0), level)}
    elif skill.key not in enrolment.goals and len(enrolment.goals) < MAX_GOALS:
        enrolment.goals = [*enrolment.goals, skill.key]
    enrolment.save(update_fields=["skills", "goals", "updated_at"])
