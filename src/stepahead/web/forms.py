"""Forms: parse and validate what people type; the services apply the business rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxValueValidator, MinValueValidator

from stepahead.matching._model import MAX_CAPACITY, MAX_GRADE
from stepahead.people.importing import PERSON_COLUMNS
from stepahead.people.models import LevelSource
from stepahead.programmes.models import Mode, Programme
from stepahead.programmes.services import FIXED_AT_MATCHING, PROGRAMME_SETTINGS

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A bonus is added to a match's weight (one skill step is worth about 1): ten steps is plenty.
MAX_BONUS = 10
MAX_TIME_LIMIT = 24 * 60 * 60  # a day: longer budgets are surely a typing slip

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
    "time_limit": "Optional. Stop each matching run after this many seconds with its best result "
    "and how close it is to the best possible. Empty: no limit, and the result is the best possible.",
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
            "time_limit": "Matching time limit (seconds)",
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
        self._bound("time_limit", 1, MAX_TIME_LIMIT)
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


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Helps the programme team find you a better match. Your partner does not see it.",
    )


MODE_LABELS = dict(Mode.choices)


class WhatIfForm(forms.ModelForm[Programme]):
    """The parameters a what-if run may try, for the programme's mode (matchruns.whatif); the
    initial values are the programme's own."""

    class Meta:
        model = Programme
        fields = (
            *("band", "circle_size", "circle_band", "spread", "profile"),
            *("cross_function_bonus", "wish_bonus", "time_limit"),
        )
        labels = ProgrammeForm.Meta.labels
        help_texts = PARAMETER_HELP

    def __init__(self, *args: Any, allowed: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - set(allowed):
            del self.fields[name]
        for name in set(self.fields) & {"cross_function_bonus", "wish_bonus", "spread"}:
            self.fields[name].widget.attrs["step"] = "0.05"
            _bound(self.fields[name], 0, MAX_BONUS)
        for name in set(self.fields) & {"band", "circle_band"}:
            _bound(self.fields[name], 0, 2 * MAX_GRADE)
        if "circle_size" in self.fields:
            _bound(self.fields["circle_size"], 3, 5)
        _bound(self.fields["time_limit"], 1, MAX_TIME_LIMIT)

    def _post_clean(self) -> None:  # the service validates; the form only parses
        pass


def _bound(field: forms.Field, low: float, high: float) -> None:
    field.validators += [MinValueValidator(low), MaxValueValidator(high)]
    field.widget.attrs.update(min=low, max=high)
