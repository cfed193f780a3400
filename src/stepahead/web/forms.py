"""Forms: parse and validate what people type; the services apply the business rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxValueValidator, MinValueValidator

from stepahead.matching._model import MAX_CAPACITY, MAX_GRADE
from stepahead.people.importing import PERSON_COLUMNS
from stepahead.people.models import MAX_GOALS, MAX_LEVEL, LevelSource, Person
from stepahead.programmes.models import Enrolment, EnrolmentRole, Mode, Programme
from stepahead.programmes.services import FIXED_AT_MATCHING, PROGRAMME_SETTINGS, EnrolmentChoices

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A bonus is added to a match's weight (one skill step is worth about 1): ten steps is plenty.
MAX_BONUS = 10

PARAMETER_HELP = {
    "mode": "Peer pairs trade skills both ways; circles are groups of 3–5 peers; traditional mentors "
    "are more senior than their mentees, reverse mentors more junior; open mentoring ignores grade.",
    "band": "Peer pairs: the largest grade difference allowed between two peers (spec default 1).",
    "profile": "How a skill gap counts. 'One step ahead' (default) values being one or two levels "
    "ahead most; 'Expert' values large gaps, as in classic senior mentoring.",
    "circle_size": "Circles: the preferred number of members, 3 to 5 (default 4).",
    "circle_band": "Circles: the largest grade spread inside one circle (default 2).",
    "cross_function_bonus": "Added to a match whose people work in different functions (default "
    "0.25). Raise it to encourage cross-functional pairs; 0 turns it off.",
    "wish_bonus": "Added for each person who asked to be matched with the other (default 0.5). A wish "
    "never makes an ineligible match eligible.",
    "spread": "Mentoring: share mentees across mentors. Each further mentee a mentor takes counts this "
    "much less than the one before (default 0.2), so mentees go to more mentors instead of piling "
    "on a few experts. Nobody loses a place for it; 0 turns it off.",
    "default_capacity": "Mentors who do not state a capacity take this many mentees (default 1).",
    "max_capacity": "The most mentees any mentor may take at once (default 5).",
    "starts_on": "Optional. When the programme begins.",
    "ends_on": "Optional. When it ends; must not be before the start date.",
    "self_enrolment": "While enrolment is open, members see the programme under My programmes and "
    "can join it themselves. Off: only people you invite can enrol.",
}


class DateInput(forms.DateInput):
    """A native date picker. Its value must be ISO (yyyy-mm-dd) whatever the locale: a date input
    cannot show "16/12/2026", so the browser would send it back empty and wipe the date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class ProgrammeForm(forms.ModelForm[Programme]):
    """Programme set-up. Matching parameters are disabled once matching has started."""

    FROZEN = FIXED_AT_MATCHING

    class Meta:
        model = Programme
        fields = PROGRAMME_SETTINGS
        labels = {  # noqa: RUF012 (Django Meta option)
            "name": "Name",
            "description": "Description",
            "purpose": "Purpose",
            "objectives": "Objectives",
            "mode": "Mode",
            "starts_on": "Start date",
            "ends_on": "End date",
            "band": "Peer grade band",
            "profile": "Scoring profile",
            "circle_size": "Circle size",
            "circle_band": "Circle grade band",
            "cross_function_bonus": "Cross-function bonus",
            "wish_bonus": "Wish bonus",
            "spread": "Share mentees across mentors",
            "self_enrolment": "Open enrolment: anyone in the organisation can join",
            "default_capacity": "Default mentor capacity",
            "max_capacity": "Maximum mentor capacity",
        }
        help_texts = PARAMETER_HELP
        widgets = {  # noqa: RUF012 (Django Meta option)
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, frozen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["cross_function_bonus"].widget.attrs["step"] = "0.05"
        self.fields["wish_bonus"].widget.attrs["step"] = "0.05"
        self.fields["spread"].widget.attrs["step"] = "0.05"
        self.fields["spread"].required = False  # added after the others: older forms omit it
        circle_size = self.fields["circle_size"]
        circle_size.validators += [MinValueValidator(3), MaxValueValidator(5)]
        circle_size.widget.attrs.update(min=3, max=5)
        for name in ("cross_function_bonus", "wish_bonus", "spread"):
            self._bound(name, 0, MAX_BONUS)
        for name in ("default_capacity", "max_capacity"):
            self._bound(name, 0, MAX_CAPACITY)  # the engine refuses more (matching.PoolError)
        for name in ("band", "circle_band"):
            self._bound(name, 0, 2 * MAX_GRADE)  # wider than any two grades can differ
        if frozen:
            for name in self.FROZEN:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed: matching has started."

    def clean_spread(self) -> float:
        spread = self.cleaned_data.get("spread")
        return float(Programme._meta.get_field("spread").default) if spread is None else float(spread)

    def _bound(self, name: str, low: float, high: float) -> None:
        self.fields[name].validators += [MinValueValidator(low), MaxValueValidator(high)]
        self.fields[name].widget.attrs.update(min=low, max=high)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must not be before the start date.")
        default, maximum = data.get("default_capacity"), data.get("max_capacity")
        if default is not None and maximum is not None and default > maximum:
            self.add_error("default_capacity", "The default capacity cannot exceed the maximum.")
        return data

    def _post_clean(self) -> None:  # the service validates the model; the form only parses
        pass


class UploadForm(forms.Form):
    file = forms.FileField(
        label="People file (CSV or XLSX)",
        help_text="One row per person. Required columns: id and grade. Optional: name, email, "
        "function, manager_id, skills (skill:level; …), goals (in priority order), languages, location.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    level_source = forms.ChoiceField(
        label="Skill levels in this file are",
        choices=LevelSource.choices,
        initial=LevelSource.SELF,
        help_text="Matching trusts validated levels over manager-assessed over self-assessed ones.",
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB; split it into smaller files.")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


IGNORE = ""
TARGET_CHOICES = [(IGNORE, "— ignore this column —"), *((c, c) for c in PERSON_COLUMNS)]


class MappingForm(forms.Form):
    """One select per file header: which StepAhead column it fills."""

    def __init__(
        self,
        *args: Any,
        headers: Sequence[str] = (),
        initial_mapping: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        initial_mapping = initial_mapping or {}
        for at, header in enumerate(self.headers):
            self.fields[f"col_{at}"] = forms.ChoiceField(
                label=f"File column “{header}”",
                choices=TARGET_CHOICES,
                required=False,
                initial=initial_mapping.get(header, IGNORE),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: dict[str, str] = {}
        for at, header in enumerate(self.headers):
            target = data.get(f"col_{at}") or IGNORE
            if not target:
                continue
            if target in chosen.values():
                self.add_error(f"col_{at}", f"Another file column already fills “{target}”.")
            chosen[header] = target
        for required in ("id", "grade"):
            if required not in chosen.values():
                self.add_error(None, f"Choose the file column that holds “{required}” (required).")
        data["mapping"] = chosen
        return data


class InviteForm(forms.Form):
    people = forms.CharField(
        label="People to invite",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="HRIS ids or email addresses, one per line or separated by commas. Each person gets "
        "an email with a link to enrol.",
    )

    def clean_people(self) -> list[str]:
        entries = [e.strip() for e in re.split(r"[\n,;]+", self.cleaned_data["people"]) if e.strip()]
        if not entries:
            raise forms.ValidationError("Name at least one person.")
        if len(entries) > 5000:
            raise forms.ValidationError("Invite at most 5,000 people at a time.")
        return list(dict.fromkeys(entries))


SKILL_RE = re.compile(r"^\s*(?P<label>[^:]+?)\s*:\s*(?P<level>-?\d+)\s*$")


def parse_skills(text: str) -> dict[str, int]:
    skills: dict[str, int] = {}
    for chunk in re.split(r"[;\n]+", text or ""):
        if not chunk.strip():
            continue
        found = SKILL_RE.match(chunk)
        if not found:
            raise forms.ValidationError(f"“{chunk.strip()}” is not skill:level (for example excel:3).")
        level = int(found["level"])
        if not 0 <= level <= MAX_LEVEL:
            raise forms.ValidationError(f"The level for {found['label']} must be 0 to {MAX_LEVEL}.")
        skills[found["label"]] = level
    return skills


def split_labels(text: str) -> list[str]:
    return [x.strip() for x in re.split(r"[;,\n]+", text or "") if x.strip()]


class PeopleChoiceField(forms.ModelMultipleChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name or obj.hris_id} ({obj.hris_id}{', ' + obj.function if obj.function else ''})"


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
    skills = forms.CharField(
        label="Skills and levels",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="skill:level separated by semicolons, level 0 (none) to 5 (expert), e.g. "
        "“excel:4; negotiation:2”. Empty: the levels in your directory profile are used.",
    )
    goal_1 = forms.CharField(label="Goal 1 (most important)", required=False, max_length=120)
    goal_2 = forms.CharField(label="Goal 2", required=False, max_length=120)
    goal_3 = forms.CharField(label="Goal 3", required=False, max_length=120)
    languages = forms.CharField(
        label="Languages",
        required=False,
        help_text="Languages you can work in, separated by semicolons, e.g. “en; de”. A match "
        "shares at least one.",
    )
    prefer = PeopleChoiceField(
        label="People you would like to be matched with",
        required=False,
        queryset=None,
        help_text="A wish, not a rule: it raises the score of a match with them.",
    )
    avoid = PeopleChoiceField(
        label="People you should not be matched with",
        required=False,
        queryset=None,
        help_text="Never broken: you will not be matched with anyone listed here.",
    )

    def __init__(self, *args: Any, programme: Programme, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        others = (
            programme.organisation.people.filter(is_active=True)
            .exclude(pk=person.pk)
            .only("pk", "name", "hris_id", "function")
            .order_by("name", "hris_id")
        )
        for name in ("prefer", "avoid"):
            cast(PeopleChoiceField, self.fields[name]).queryset = others
        cast(forms.IntegerField, self.fields["capacity"]).max_value = programme.max_capacity
        self.fields["capacity"].widget.attrs["max"] = programme.max_capacity
        if not programme.is_mentoring:
            del self.fields["role"]
            del self.fields["capacity"]
        else:
            self.fields["role"].required = True

    def clean_skills(self) -> dict[str, int]:
        return parse_skills(self.cleaned_data.get("skills", ""))

    def clean_languages(self) -> list[str]:
        return split_labels(self.cleaned_data.get("languages", ""))

    def clean_capacity(self) -> int | None:
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity > self.programme.max_capacity:
            raise forms.ValidationError(f"At most {self.programme.max_capacity}.")
        return capacity

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        goals = [data.get(f"goal_{i}", "").strip() for i in range(1, MAX_GOALS + 1)]
        data["goals"] = [g for g in goals if g]
        overlap = set(data.get("prefer") or ()) & set(data.get("avoid") or ())
        if overlap:
            self.add_error("avoid", "Someone cannot be both preferred and avoided.")
        return data

    def choices(self) -> EnrolmentChoices:
        """The validated data as `enrol_participant` / `accept_invitation` options."""
        data = self.cleaned_data
        choices: EnrolmentChoices = {
            "skills": data["skills"],
            "goals": data["goals"],
            "languages": data["languages"],
            "prefer": list(data.get("prefer") or ()),
            "avoid": list(data.get("avoid") or ()),
        }
        if self.programme.is_mentoring:
            choices["role"] = data.get("role") or ""
            choices["capacity"] = data.get("capacity")
        return choices


def enrolment_initial(
    enrolment: Enrolment | None, person: Person, *, levels: dict[str, int], goals: list[str]
) -> dict[str, Any]:
    """Prefill the enrolment form from an enrolment's overrides, else the directory."""
    skills = (enrolment.skills if enrolment and enrolment.skills else None) or levels
    goal_list = (enrolment.goals if enrolment and enrolment.goals else None) or goals
    languages = (enrolment.languages if enrolment and enrolment.languages else None) or person.languages
    initial: dict[str, Any] = {
        "skills": "; ".join(f"{k}:{v}" for k, v in sorted(skills.items())),
        "languages": "; ".join(languages or ()),
    }
    for i, goal in enumerate(goal_list[:MAX_GOALS], start=1):
        initial[f"goal_{i}"] = goal
    if enrolment is not None:
        initial.update(
            role=enrolment.role,
            capacity=enrolment.capacity,
            prefer=[p.pk for p in enrolment.prefer.all()],
            avoid=[p.pk for p in enrolment.avoid.all()],
        )
    return initial


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Helps the programme team find you a better match. Your partner does not see it.",
    )


MODE_LABELS = dict(Mode.choices)
