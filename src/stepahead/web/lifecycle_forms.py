"""Forms for a partnership's life: agreement terms, scheduling, logging, notes, progress, closure.

Goals and the circle's rotation are repeated rows (`goal-<n>-title`…, `rotation-<n>`), parsed by
`goal_drafts` and `rotation_from`; services check them and name what is wrong."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import available_timezones

from django import forms

from stepahead.lifecycle.models import Channel, EarlyEndReason, GoalOutcome
from stepahead.lifecycle.services import GoalDraft, Terms
from stepahead.web.enrolment_forms import LEVEL_CHOICES

MAX_GOAL_ROWS = 12
ZONES = sorted(available_timezones())


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AgreementForm(forms.Form):
    cadence_days = forms.IntegerField(
        label="Meet every (days)", min_value=1, max_value=92, help_text="14 means every fortnight."
    )
    session_minutes = forms.IntegerField(label="Session length (minutes)", min_value=15, max_value=240)
    channel = forms.ChoiceField(label="How you meet", choices=Channel.choices)
    starts_on = forms.DateField(label="Start", widget=DateInput())
    ends_on = forms.DateField(label="Planned end", widget=DateInput())
    confidentiality = forms.CharField(
        label="Confidentiality", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    ground_rules = forms.CharField(
        label="Ground rules", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    shared_goal = forms.CharField(
        label="The circle's shared goal", required=False, max_length=200, help_text="Circles only."
    )

    def terms(self) -> Terms:
        data = self.cleaned_data
        return Terms(
            cadence_days=data["cadence_days"],
            session_minutes=data["session_minutes"],
            channel=data["channel"],
            confidentiality=data["confidentiality"],
            ground_rules=data["ground_rules"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )


def goal_drafts(post: Mapping[str, str]) -> list[GoalDraft]:
    """The goal rows of the agreement form; rows with no title are left out (removed)."""
    drafts = []
    for row in range(MAX_GOAL_ROWS):
        title = post.get(f"goal-{row}-title", "").strip()
        if not title:
            continue
        drafts.append(
            GoalDraft(
                title=title,
                success_measure=post.get(f"goal-{row}-measure", ""),
                owner=_int(post.get(f"goal-{row}-owner")),
                goal_id=_int(post.get(f"goal-{row}-id")),
            )
        )
    return drafts


def rotation_from(post: Mapping[str, str], size: int) -> list[int]:
    return [pk for pk in (_int(post.get(f"rotation-{n}")) for n in range(size)) if pk is not None]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Date and time",
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In the time zone below.",
    )
    time_zone = forms.ChoiceField(label="Time zone", choices=[(z, z) for z in ZONES])
    minutes = forms.IntegerField(label="Length (minutes)", min_value=15, max_value=480)
    location = forms.CharField(label="Place or meeting link", required=False, max_length=500)


class LogForm(forms.Form):
    goals = forms.MultipleChoiceField(
        label="Goals this session served", required=False, widget=forms.CheckboxSelectMultiple
    )
    takeaways = forms.CharField(label="Takeaways", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_actions = forms.CharField(
        label="Next actions", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, goals: Sequence[tuple[int, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["goals"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(pk), title) for pk, title in goals]


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    shared = forms.BooleanField(
        label="Share with the other members (otherwise only you can read it)", required=False
    )


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label="Progress (%)", min_value=0, max_value=100)
    text = forms.CharField(label="Reflection", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EndEarlyForm(forms.Form):
    reason = forms.ChoiceField(label="Why end now?", choices=EarlyEndReason.choices)
    note = forms.CharField(
        label="Anything to add (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The programme team sees this; nobody is blamed.",
    )


class CloseForm(forms.Form):
    reflection = forms.CharField(
        label="Your closing reflection",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you take away. Your partners read it; the programme team does not.",
    )

    def __init__(
        self,
        *args: object,
        goals: Sequence[tuple[int, str]] = (),
        skills: Sequence[tuple[int, str]] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        outcomes = [(v, label) for v, label in GoalOutcome.choices if v != GoalOutcome.OPEN]
        for pk, title in goals:
            self.fields[f"goal_{pk}"] = forms.ChoiceField(label=f"Goal: {title}", choices=outcomes)
        for pk, name in skills:
            self.fields[f"level_{pk}"] = forms.TypedChoiceField(
                label=f"Your level now in {name}",
                choices=LEVEL_CHOICES,
                coerce=int,
                help_text="As you see yourself today (the programme sees only averages over 5+ people).",
            )

    def levels(self) -> dict[int, int]:
        return {
            int(name.removeprefix("level_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("level_")
        }

    def outcomes(self) -> dict[int, str]:
        return {
            int(name.removeprefix("goal_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("goal_")
        }


class AgreementTemplateForm(forms.Form):
    """What every new agreement in the programme starts from (members then adjust it)."""

    cadence_days = forms.IntegerField(label="Meet every (days)", min_value=1, max_value=92)
    session_minutes = forms.IntegerField(label="Session length (minutes)", min_value=15, max_value=240)
    channel = forms.ChoiceField(label="How people meet", choices=Channel.choices)
    planned_weeks = forms.IntegerField(label="Planned length (weeks)", min_value=1, max_value=104)
    confidentiality = forms.CharField(label="Confidentiality", widget=forms.Textarea(attrs={"rows": 3}))
    ground_rules = forms.CharField(label="Ground rules", widget=forms.Textarea(attrs={"rows": 4}))
