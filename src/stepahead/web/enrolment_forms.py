"""The enrolment form in HR's language: skills and goals from the organisation's own list (aliases
understood), levels in words, languages from a list, and people chosen only among those in the
programme, by name and function (never the whole directory, never HRIS ids)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet

from stepahead.core.languages import language_name
from stepahead.core.levels import level_words
from stepahead.people.models import MAX_GOALS, MAX_LEVEL, Person
from stepahead.people.selectors import effective_levels, goal_keys, skills_in, with_skills_and_goals
from stepahead.programmes.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    InvitationStatus,
    Programme,
    SkillSuggestion,
    SuggestionStatus,
    SuggestionUse,
)
from stepahead.programmes.selectors import suggestions_of
from stepahead.programmes.services import EnrolmentChoices

SKILL_ROWS = 6  # rows on the form; skills beyond these come from the directory profile
LEVEL_CHOICES = [("", "Level…"), *((str(n), level_words(n)) for n in range(MAX_LEVEL + 1))]


class PeopleChoiceField(forms.ModelMultipleChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name or 'Unnamed colleague'}{' — ' + obj.function if obj.function else ''}"


def people_in_programme(programme: Programme, *, besides: Person) -> QuerySet[Person]:
    """Who a participant may name: people enrolled in (or invited to) this programme."""
    taking_part = Q(enrolments__programme=programme, enrolments__status=EnrolmentStatus.ACTIVE) | Q(
        invitations__programme=programme, invitations__status=InvitationStatus.PENDING
    )
    return (
        Person.objects.filter(taking_part, organisation=programme.organisation, is_active=True)
        .exclude(pk=besides.pk)
        .distinct()
        .only("pk", "name", "function")
        .order_by("name", "pk")
    )


def language_choices(programme: Programme, person: Person) -> list[tuple[str, str]]:
    """The languages people in the organisation work in (their directory entries), plus this
    person's own: a list to tick, so nobody becomes unmatchable through a typo."""
    seen: set[str] = set(person.languages or ())
    for languages in programme.organisation.people.filter(is_active=True).values_list("languages", flat=True):
        seen.update(languages or ())
    return sorted(((code, language_name(code)) for code in seen if code), key=lambda c: c[1])


class EnrolmentForm(forms.Form):
    """A participant's choices for one programme (also the invitation's acceptance form)."""

    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[("", "—"), *EnrolmentRole.choices],
        help_text="Mentor, mentee or both (a 'both' person may mentor some people and be mentored by one).",
    )
    capacity = forms.IntegerField(
        label="Capacity",
        required=False,
        min_value=0,
        help_text="Mentors: the most mentees you can take at once. Leave empty for the programme default.",
    )
    languages = forms.MultipleChoiceField(
        label="Languages you can work in",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A match shares at least one. None ticked: the languages in your profile are used.",
    )
    prefer = PeopleChoiceField(
        label="People you would like to be matched with",
        required=False,
        queryset=Person.objects.none(),
        help_text="A wish, not a rule: it raises the score of a match with them.",
    )
    avoid = PeopleChoiceField(
        label="People you should not be matched with",
        required=False,
        queryset=Person.objects.none(),
        help_text="Never broken: you will not be matched with anyone listed here.",
    )

    on_behalf = ""  # the person's name when a manager fills the form in for them

    def __init__(self, *args: Any, programme: Programme, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        for i in range(1, SKILL_ROWS + 1):
            self.fields[f"skill_{i}"] = _skill_field(f"Skill {i}")
            self.fields[f"level_{i}"] = forms.ChoiceField(
                label=f"Your level in skill {i}", required=False, choices=LEVEL_CHOICES
            )
        for i in range(1, MAX_GOALS + 1):
            label = "Goal 1 (most important)" if i == 1 else f"Goal {i}"
            self.fields[f"goal_{i}"] = _skill_field(label)
        languages = cast(forms.MultipleChoiceField, self.fields["languages"])
        languages.choices = language_choices(programme, person)
        others = people_in_programme(programme, besides=person)
        for name in ("prefer", "avoid"):
            cast(PeopleChoiceField, self.fields[name]).queryset = others
        cast(forms.IntegerField, self.fields["capacity"]).max_value = programme.max_capacity
        self.fields["capacity"].widget.attrs["max"] = programme.max_capacity
        if not programme.is_mentoring:
            del self.fields["role"]
            del self.fields["capacity"]
        else:
            self.fields["role"].required = True

    def speak_of(self, name: str) -> None:
        """Word the form for a manager filling it in for `name` ("their", not "your")."""
        self.on_behalf = name
        for field_name, label, help_text in (
            (
                "languages",
                f"Languages {name} can work in",
                "A match shares at least one. None ticked: their profile's languages are used.",
            ),
            ("prefer", f"People {name} would like to be matched with", None),
            (
                "avoid",
                f"People {name} should not be matched with",
                f"Never broken: {name} is not matched with anyone here.",
            ),
            ("capacity", "Capacity", "Mentors: the most mentees at once. Empty: the programme default."),
        ):
            if field_name in self.fields:
                self.fields[field_name].label = label
                self.fields[field_name].help_text = help_text or self.fields[field_name].help_text

    def skill_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"skill_{i}"], self[f"level_{i}"]) for i in range(1, SKILL_ROWS + 1)]

    def goal_fields(self) -> list[forms.BoundField]:
        return [self[f"goal_{i}"] for i in range(1, MAX_GOALS + 1)]

    def clean_capacity(self) -> int | None:
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity > self.programme.max_capacity:
            raise forms.ValidationError(f"At most {self.programme.max_capacity}.")
        return capacity

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["skills"] = self._skills(data)
        goals = [data.get(f"goal_{i}", "").strip() for i in range(1, MAX_GOALS + 1)]
        data["goals"] = [g for g in goals if g]
        overlap = set(data.get("prefer") or ()) & set(data.get("avoid") or ())
        if overlap:
            self.add_error("avoid", "Someone cannot be both preferred and avoided.")
        return data

    def _skills(self, data: dict[str, Any]) -> dict[str, int]:
        skills: dict[str, int] = {}
        for i in range(1, SKILL_ROWS + 1):
            skill, level = data.get(f"skill_{i}", "").strip(), data.get(f"level_{i}", "")
            if skill and level == "":
                self.add_error(f"level_{i}", f"Choose your level in {skill}.")
            elif skill:
                skills[skill] = int(level)
        return skills

    def choices(self) -> EnrolmentChoices:
        """The validated data as `enrol_participant` / `accept_invitation` options."""
        data = self.cleaned_data
        choices: EnrolmentChoices = {
            "skills": data["skills"],
            "goals": data["goals"],
            "languages": data.get("languages") or [],
            "prefer": list(data.get("prefer") or ()),
            "avoid": list(data.get("avoid") or ()),
        }
        if self.programme.is_mentoring:
            choices["role"] = data.get("role") or ""
            choices["capacity"] = data.get("capacity")
        return choices


def _skill_field(label: str) -> forms.CharField:
    """A skill typed or picked from the organisation's list (the page's datalist)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"list": "skill-options", "autocomplete": "off"}),
    )


def enrolment_initial(
    enrolment: Enrolment | None,
    person: Person,
    *,
    levels: dict[str, int],
    goals: list[str],
    names: dict[str, str],
) -> dict[str, Any]:
    """Prefill the enrolment form from an enrolment's overrides, else the directory; skill keys
    are shown by their names in the organisation's list (`names`)."""
    skills = (enrolment.skills if enrolment and enrolment.skills else None) or levels
    goal_list = (enrolment.goals if enrolment and enrolment.goals else None) or goals
    languages = (enrolment.languages if enrolment and enrolment.languages else None) or person.languages
    initial: dict[str, Any] = {"languages": list(languages or ())}
    ranked = sorted(skills.items(), key=lambda kv: (-kv[1], kv[0]))[:SKILL_ROWS]
    for i, (key, level) in enumerate(ranked, start=1):
        initial[f"skill_{i}"], initial[f"level_{i}"] = names.get(key, key), str(level)
    for i, goal in enumerate(goal_list[:MAX_GOALS], start=1):
        initial[f"goal_{i}"] = names.get(goal, goal)
    if enrolment is not None:
        initial.update(
            role=enrolment.role,
            capacity=enrolment.capacity,
            prefer=[p.pk for p in enrolment.prefer.all()],
            avoid=[p.pk for p in enrolment.avoid.all()],
        )
    return initial


def enrolment_form(
    data: Any, programme: Programme, person: Person, enrolment: Enrolment | None, *, on_behalf: bool = False
) -> EnrolmentForm:
    """The enrolment form, prefilled from the enrolment or the directory, with the skills datalist.
    The same form serves the person and a manager enrolling them (`on_behalf`: worded about them)."""
    person = with_skills_and_goals(Person.objects.filter(pk=person.pk)).get()
    names = dict(skills_in(organisation=programme.organisation).values_list("key", "name"))
    initial = enrolment_initial(
        enrolment, person, levels=effective_levels(person), goals=goal_keys(person), names=names
    )
    if enrolment is not None:
        waiting = [s for s in suggestions_of(enrolment=enrolment) if s.status == SuggestionStatus.PENDING]
        initial = with_pending_suggestions(initial, waiting)
    form = EnrolmentForm(data, programme=programme, person=person, initial=initial)
    form.skill_options = skill_options(programme)  # type: ignore[attr-defined]  # the datalist
    if on_behalf:
        form.speak_of(person.display_name)
    return form


def skill_options(programme: Programme) -> list[tuple[str, str]]:
    """(value, hint) for the skills datalist: each skill's name, and each alias saying what it means."""
    options = []
    for skill in skills_in(organisation=programme.organisation).order_by("name"):
        options.append((skill.name, ""))
        options.extend((alias.key, f"means {skill.name}") for alias in skill.aliases.all())
    return options


def with_pending_suggestions(initial: dict[str, Any], pending: list[SkillSuggestion]) -> dict[str, Any]:
    """The form also shows names still waiting for HR, in free rows: saving the form again then
    keeps them suggested instead of silently dropping them (the service replaces pending ones)."""
    rows = iter(i for i in range(1, SKILL_ROWS + 1) if not initial.get(f"skill_{i}"))
    goals = iter(i for i in range(1, MAX_GOALS + 1) if not initial.get(f"goal_{i}"))
    for suggestion in pending:
        free = next(goals if suggestion.use == SuggestionUse.GOAL else rows, None)
        if free is None:
            continue
        if suggestion.use == SuggestionUse.GOAL:
            initial[f"goal_{free}"] = suggestion.label
        else:
            initial[f"skill_{free}"], initial[f"level_{free}"] = suggestion.label, str(suggestion.level or 0)
    return initial
