"""Reads about people, skills and goals. Every query is scoped to one organisation."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, Q, QuerySet

from stepahead.accounts import Actor, signed_in
from stepahead.organisations.models import Membership, Organisation

from .models import SOURCE_TRUST, DevelopmentGoal, LevelSource, Person, Skill, SkillAlias, SkillLevel


def people_in(*, organisation: Organisation, active_only: bool = True) -> QuerySet[Person]:
    people = Person.objects.filter(organisation=organisation)
    return people.filter(is_active=True) if active_only else people


def person_by_hris_id(*, organisation: Organisation, hris_id: str) -> Person | None:
    return Person.objects.filter(organisation=organisation, hris_id=hris_id.strip()).first()


def person_for_user(*, organisation: Organisation, user: Actor) -> Person | None:
    """The directory entry linked to a login, if any (participants act through it)."""
    if not signed_in(user):
        return None
    return Person.objects.filter(organisation=organisation, user=user).first()


def self_enrolling_person(*, organisation: Organisation, user: Actor) -> Person | None:
    """The person a member joins programmes as: the one linked to their login, else an unlinked
    person whose email is one the login has *verified* (the link is made when they enrol). An
    address typed at sign-up or added later proves nothing until its owner confirms it."""
    linked = person_for_user(organisation=organisation, user=user)
    if linked is not None or not signed_in(user):
        return linked
    if not Membership.objects.filter(organisation=organisation, user=user).exists():
        return None
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    theirs = Q(pk__in=[])  # matches nobody until a verified address is added
    for email in verified:
        theirs |= Q(email__iexact=email)
    return Person.objects.filter(organisation=organisation, user__isnull=True).filter(theirs).first()


def people_with_verified_email(*, user: Actor) -> QuerySet[Person]:
    """Unlinked directory entries, in any organisation, whose email is an address this login has
    *verified* (allauth's record): an address merely typed at sign-up proves nothing."""
    if not signed_in(user):
        return Person.objects.none()
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    theirs = Q(pk__in=[])  # matches nobody until a verified address exists
    for email in verified:
        theirs |= Q(email__iexact=email)
    return Person.objects.filter(user__isnull=True, is_active=True).exclude(email="").filter(theirs)


def skills_in(*, organisation: Organisation) -> QuerySet[Skill]:
    return Skill.objects.filter(organisation=organisation).prefetch_related("aliases")


def skill_for_key(*, organisation: Organisation, key: str) -> Skill | None:
    """The skill a normalised label means, through its own key or an alias."""
    skill = Skill.objects.filter(organisation=organisation, key=key).first()
    if skill is not None:
        return skill
    alias = SkillAlias.objects.filter(organisation=organisation, key=key).select_related("skill").first()
    return alias.skill if alias else None


def with_skills_and_goals(people: QuerySet[Person]) -> QuerySet[Person]:
    """Prefetch what `effective_levels` and `goal_keys` read, for bulk use (e.g. matching)."""
    return people.prefetch_related(
        Prefetch("skill_levels", queryset=SkillLevel.objects.select_related("skill")),
        Prefetch("goals", queryset=DevelopmentGoal.objects.select_related("skill").order_by("priority")),
    )


def effective_levels(person: Person) -> dict[str, int]:
    """{skill key: level}, taking the most trusted source per skill (validated > manager > self)."""
    best: dict[str, tuple[int, int]] = {}
    for entry in person.skill_levels.all():
        trust = SOURCE_TRUST[LevelSource(entry.source)]
        if entry.skill.key not in best or trust > best[entry.skill.key][0]:
            best[entry.skill.key] = (trust, entry.level)
    return {key: level for key, (_, level) in best.items()}


def goal_keys(person: Person) -> list[str]:
    """The person's development goals as skill keys, most important first."""
    return [goal.skill.key for goal in sorted(person.goals.all(), key=lambda g: g.priority)]


def people_by_hris_ids(*, organisation: Organisation, hris_ids: Iterable[str]) -> dict[str, Person]:
    people = Person.objects.filter(organisation=organisation, hris_id__in=list(hris_ids))
    return {person.hris_id: person for person in people}
