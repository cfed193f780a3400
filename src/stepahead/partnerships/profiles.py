"""A person as HR sees them on one page: directory entry, skills with their source, goals,
programmes and enrolments, partnerships with their status. Reads only; HR's own organisation.

It lives here, not in `people`, because it reads programmes and partnerships (which depend on
people). Partnership content (sessions, notes, feedback) is never read: HR sees status only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from stepahead.accounts import Actor
from stepahead.organisations.models import Organisation
from stepahead.people.models import Person, Skill
from stepahead.people.selectors import SkillEntry, goals_of, people_in, skill_entries
from stepahead.programmes.models import Enrolment, SkillSuggestion, SuggestionStatus
from stepahead.programmes.policies import can_manage_programme

from .models import Partnership, PartnershipMember, PartnershipStatus


@dataclass(frozen=True, slots=True)
class EnrolmentView:
    enrolment: Enrolment
    skills: list[tuple[str, int]]  # levels typed on the enrolment form (skill name, level)
    goals: list[str]
    waiting: list[str]  # names typed on the form that wait for HR (programmes.suggestions)
    manageable: bool  # the reader manages this programme (links to its pages)


@dataclass(frozen=True, slots=True)
class PartnershipView:
    partnership: Partnership
    role: str
    partners: list[str]


@dataclass(frozen=True, slots=True)
class PersonProfile:
    person: Person
    line_manager: Person | None
    skills: list[SkillEntry]
    goals: list[str]
    enrolments: list[EnrolmentView]
    partnerships: list[PartnershipView]


def person_profile(*, reader: Actor, person: Person) -> PersonProfile:
    """Everything the person page shows, in a fixed number of queries."""
    organisation = person.organisation
    pending = SkillSuggestion.objects.filter(status=SuggestionStatus.PENDING).order_by("label")
    enrolments = list(
        Enrolment.objects.filter(person=person)
        .select_related("programme")
        .prefetch_related(Prefetch("skill_suggestions", queryset=pending))
        .order_by("-created_at")
    )
    names = _skill_names(organisation, enrolments)
    return PersonProfile(
        person=person,
        line_manager=people_in(organisation=organisation, active_only=False)
        .filter(hris_id=person.manager_hris_id)
        .first()
        if person.manager_hris_id
        else None,
        skills=skill_entries(person),
        goals=goals_of(person),
        enrolments=[
            EnrolmentView(
                e,
                sorted((names.get(k, k), level) for k, level in (e.skills or {}).items()),
                [names.get(k, k) for k in e.goals or []],
                [s.label for s in e.skill_suggestions.all()],
                can_manage_programme(user=reader, programme=e.programme),
            )
            for e in enrolments
        ],
        partnerships=_partnerships(person),
    )


def _skill_names(organisation: Organisation, enrolments: list[Enrolment]) -> dict[str, str]:
    keys = {k for e in enrolments for k in [*(e.skills or {}), *(e.goals or [])]}
    skills = Skill.objects.filter(organisation=organisation, key__in=keys).values_list("key", "name")
    return dict(skills)


def _partnerships(person: Person) -> list[PartnershipView]:
    members = PartnershipMember.objects.select_related("enrolment__person")
    rows = (
        PartnershipMember.objects.filter(enrolment__person=person)
        .exclude(partnership__status=PartnershipStatus.WITHDRAWN)  # superseded proposals: noise
        .select_related("partnership__programme")
        .prefetch_related(Prefetch("partnership__members", queryset=members))
        .order_by("-partnership__created_at", "-pk")
    )
    views = []
    for row in rows:
        others = [m for m in row.partnership.members.all() if m.enrolment.person_id != person.pk]
        partners = [m.enrolment.person.display_name for m in others]
        views.append(PartnershipView(row.partnership, row.get_role_display(), partners))
    return views
