"""What-if runs: HR tries other matching parameters on the current pool without changing the
programme or its proposals, compares the runs, and adopts one.

Only parameters that suit the programme's mode can change (the mode itself cannot: enrolments
were made for it). Adopting a run makes its groups the programme's proposals (as a run would:
unpinned proposals are replaced, approved, accepted and pinned matches stay) and its parameters
the programme's, so later runs use them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stepahead.accounts import User
from stepahead.errors import DomainError
from stepahead.partnerships.models import Partnership
from stepahead.partnerships.services import record_proposals
from stepahead.programmes.models import MENTORING_MODES, Enrolment, EnrolmentStatus, Mode, Programme, Status
from stepahead.programmes.services import require_manager, transition_programme

from . import mapper
from .models import MatchRun, RunStatus
from .services import give_up_stalled_runs, queue_run

_SCORING = ("profile", "cross_function_bonus", "wish_bonus", "time_limit")
# The parameters a what-if run may change, by mode: each one the engine uses in that mode.
WHAT_IF_PARAMETERS: dict[str, tuple[str, ...]] = {
    Mode.PEER: ("band", *_SCORING),
    Mode.CIRCLES: ("circle_size", "circle_band", *_SCORING),
    **dict.fromkeys(MENTORING_MODES, ("spread", *_SCORING)),
}
TRYABLE = (Status.ENROLLING, Status.MATCHING, Status.RUNNING)


def what_if_parameters(programme: Programme) -> tuple[str, ...]:
    return WHAT_IF_PARAMETERS[programme.mode]


@transaction.atomic
def start_what_if_run(*, actor: User, programme: Programme, changes: Mapping[str, object]) -> MatchRun:
    """Queue a run of the current pool with `changes` to the programme's parameters. Nothing of
    the programme changes: enrolment stays as it is and the proposals stay until HR adopts."""
    require_manager(actor, programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    give_up_stalled_runs(programme=programme)
    if programme.status not in TRYABLE:
        raise DomainError(f"A {programme.get_status_display().lower()} programme cannot be matched.")
    allowed = what_if_parameters(programme)
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise DomainError(
            f"{', '.join(unknown)} cannot change in a what-if run of a "
            f"{programme.get_mode_display().lower()} programme; it can try: {', '.join(allowed)}."
        )
    trial = copy.copy(programme)  # validated as the programme would be, never saved
    for name, value in changes.items():
        setattr(trial, name, value)
    try:
        trial.clean_fields(exclude=[f.name for f in Programme._meta.fields if f.name not in allowed])
    except ValidationError as error:
        raise DomainError(_said(error)) from error
    return queue_run(actor=actor, programme=programme, parameters=mapper.parameters_for(trial), what_if=True)


def _said(error: ValidationError) -> str:
    return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())


@transaction.atomic
def adopt_run(*, actor: User, run: MatchRun) -> list[Partnership]:
    """Make a finished run's groups the programme's proposals and its parameters the
    programme's. People matched meanwhile (approved, accepted, pinned) keep their matches: groups
    naming them, or anyone who has withdrawn, are left out."""
    require_manager(actor, run.programme)
    programme = Programme.objects.select_for_update().get(pk=run.programme_id)
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    _check_adoptable(programme, run)
    if programme.status == Status.ENROLLING:  # proposals now exist: as a run would, close enrolment
        programme = transition_programme(programme=programme, to=Status.MATCHING)
    for name in WHAT_IF_PARAMETERS[programme.mode]:
        if name in run.parameters:
            setattr(programme, name, run.parameters[name])
    programme.save()
    ids = [pk for group in run.groups for pk, _ in group["members"]]
    enrolments = Enrolment.objects.filter(programme=programme, status=EnrolmentStatus.ACTIVE, pk__in=ids)
    drafts = mapper.drafts_of(run.groups, {e.pk: e for e in enrolments})
    created = record_proposals(programme=programme, match_run=run, drafts=drafts)
    run.adopted_at, run.adopted_by = timezone.now(), actor
    run.summary = {**run.summary, "proposals": len(created)}
    run.save(update_fields=["adopted_at", "adopted_by", "summary"])
    return created


def _check_adoptable(programme: Programme, run: MatchRun) -> None:
    if run.status != RunStatus.DONE:
        raise DomainError(
            f"Only a finished run can be adopted; this one is {run.get_status_display().lower()}."
        )
    if run.parameters.get("mode") != programme.mode:
        raise DomainError("This run was made in another mode than the programme's; it cannot be adopted.")
    if programme.status not in TRYABLE:
        raise DomainError(f"A {programme.get_status_display().lower()} programme takes no new proposals.")
    if not run.groups and run.summary.get("groups"):
        raise DomainError(
            "This run is older than adopting: it did not keep its matches. Start a what-if run "
            "with the same settings and adopt that one."
        )
    if programme.match_runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
        raise DomainError("A match run is in progress; adopt once it has finished.")
