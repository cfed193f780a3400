"""Self-rated levels in goal skills, before and after a partnership (`SkillRating`).

Before: when every member has confirmed the agreement (the goals are set), each member who
receives keeps the level their profile holds in each of their development-goal skills (the
self-assessment they gave on enrolling, 0 when they gave none). After: at the close, each member
rates themselves again in the same skills. The pairs feed the insights' outcomes (before→after
per skill, over 5 or more people only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from stepahead.errors import DomainError
from stepahead.partnerships.models import Kind, MemberRole, Partnership, PartnershipMember
from stepahead.people.models import MAX_LEVEL, DevelopmentGoal, Skill, SkillLevel

from .models import RatingMoment, SkillRating


def record_levels_before(*, partnership: Partnership, now: datetime) -> int:
    """The "before" ratings of every receiving member; kept if already recorded. Returns how many
    were recorded. Three reads whatever the size of the group (members, their goals, their
    levels), not two per member."""
    members = list(partnership.members.select_related("enrolment"))
    if partnership.kind == Kind.MENTORING:
        members = [m for m in members if m.role != MemberRole.MENTOR]
    people = [m.enrolment.person_id for m in members]
    goals: dict[int, list[int]] = {}
    for person, skill in (
        DevelopmentGoal.objects.filter(person_id__in=people).order_by().values_list("person_id", "skill_id")
    ):
        goals.setdefault(person, []).append(skill)
    levels = {
        (person, skill): level
        for person, skill, level in SkillLevel.objects.filter(person_id__in=people).values_list(
            "person_id", "skill_id", "level"
        )
    }
    rows = [
        SkillRating(
            partnership=partnership,
            member=member,
            skill_id=skill,
            moment=RatingMoment.BEFORE,
            level=levels.get((member.enrolment.person_id, skill), 0),
            recorded_at=now,
        )
        for member in members
        for skill in goals.get(member.enrolment.person_id, ())
    ]
    return len(SkillRating.objects.bulk_create(rows, ignore_conflicts=True))


def skills_to_rate(member: PartnershipMember) -> list[Skill]:
    """The skills a member rates at the close: those rated when the goals were agreed, or (for a
    partnership begun before ratings were kept) their development goals now."""
    rated = Skill.objects.filter(
        pk__in=member.skill_ratings.filter(moment=RatingMoment.BEFORE).values("skill")
    )
    if rated.exists():
        return list(rated.order_by("name"))
    return list(Skill.objects.filter(goals__person=member.enrolment.person_id).order_by("name"))


def record_levels_after(*, member: PartnershipMember, levels: Mapping[int, int], now: datetime) -> None:
    """A member's own levels at the close, {skill id: 0–5}, for skills in `skills_to_rate`."""
    allowed = {skill.pk: skill for skill in skills_to_rate(member)}
    for skill_id, level in levels.items():
        skill = allowed.get(skill_id)
        if skill is None:
            raise DomainError("Levels at the close: rate only your own goal skills.")
        if not 0 <= level <= MAX_LEVEL:
            raise DomainError(f"Your level in {skill.name}: a number from 0 to {MAX_LEVEL}.")
        SkillRating.objects.update_or_create(
            member=member,
            skill=skill,
            moment=RatingMoment.AFTER,
            defaults={"partnership_id": member.partnership_id, "level": level, "recorded_at": now},
        )
