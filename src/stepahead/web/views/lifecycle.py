"""Members' pages for a partnership's life: agreement, sessions (with .ics), goals, closure.

Only members reach these pages (the partnership is looked up among the user's own); session logs
and notes are rendered for members only, private notes for their author only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from stepahead.errors import DomainError
from stepahead.lifecycle import selectors as read
from stepahead.lifecycle.models import Goal, Session
from stepahead.lifecycle.policies import require_member
from stepahead.lifecycle.ratings import skills_to_rate
from stepahead.lifecycle.services import (
    SessionLog,
    Slot,
    cancel_session,
    confirm_agreement,
    end_early,
    log_session,
    next_facilitator,
    reflect_and_close,
    reflect_on_goal,
    revise_agreement,
    schedule_session,
    write_note,
)
from stepahead.partnerships.models import Kind, Partnership, PartnershipMember, PartnershipStatus
from stepahead.web.access import SignedInRequest
from stepahead.web.lifecycle_forms import (
    AgreementForm,
    CloseForm,
    EndEarlyForm,
    LogForm,
    NoteForm,
    ProgressForm,
    SessionForm,
    goal_drafts,
    rotation_from,
)
from stepahead.web.responses import error_response

OPEN = (PartnershipStatus.ACCEPTED, PartnershipStatus.ACTIVE)


def _mine(request: SignedInRequest, pk: int) -> tuple[Partnership, PartnershipMember]:
    """One of the user's own partnerships (never a proposal), else 404: others' are not found."""
    partnership = (
        Partnership.objects.filter(pk=pk, members__enrolment__person__user=request.user)
        .exclude(status__in=[PartnershipStatus.PROPOSED, PartnershipStatus.WITHDRAWN])
        .select_related("programme")
        .first()
    )
    if partnership is None:
        raise Http404("No such partnership.")
    return partnership, require_member(user=request.user, partnership=partnership)


def _refused(request: SignedInRequest, error: DomainError, partnership: Partnership) -> HttpResponse:
    return error_response(
        request, str(error), status=400, back_url=reverse("web:partnership", args=[partnership.pk])
    )


def lifecycle_context(partnership: Partnership, member: PartnershipMember | None) -> dict[str, Any]:
    """What the partnership page shows below the match card once everyone has accepted."""
    if partnership.status in (PartnershipStatus.APPROVED, PartnershipStatus.DECLINED):
        return {}
    now = timezone.now()
    sessions = list(read.sessions_of(partnership))
    return {
        "agreement": read.agreement_state(partnership),
        "goals": list(read.live_goals(partnership)),
        "upcoming": [s for s in sessions if s.status == "scheduled" and s.starts_at >= now],
        "past": [s for s in sessions if not (s.status == "scheduled" and s.starts_at >= now)][::-1],
        "next_facilitator": next_facilitator(partnership),
        "is_open": partnership.status in OPEN,
        "progress_form": ProgressForm(),
        "closure": getattr(partnership, "closure", None),
        "reflections": list(partnership.closing_reflections.select_related("member__enrolment__person")),
        "me": member,
    }


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: SignedInRequest, pk: int) -> HttpResponse:
    partnership, member = _mine(request, pk)
    state = read.agreement_state(partnership)
    if state.version is None:
        raise Http404("No agreement yet.")
    members = read.members_of(partnership)
    form = AgreementForm(request.POST or None, initial=_initial(state.version))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = revise_agreement(
                    user=request.user,
                    partnership=partnership,
                    terms=form.terms(),
                    goals=goal_drafts(request.POST),
                    shared_goal=form.cleaned_data["shared_goal"],
                    rotation=rotation_from(request.POST, len(members)),
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Saved as version {version.number}. Everyone confirms it next.")
                return redirect("web:agreement", pk=pk)
        status = 400
    return render(
        request,
        "web/lifecycle/agreement.html",
        {
            "section": "my_matches",
            "p": partnership,
            "me": member,
            "state": state,
            "form": form,
            "members": members,
            "goal_rows": _goal_rows(partnership, members),
            "rotation": _rotation_rows(state.version.rotation, members),
            "is_circle": partnership.kind == Kind.CIRCLE,
            "editable": partnership.status in OPEN,
            "versions": partnership.agreement_versions.order_by("-number"),
        },
        status=status,
    )


def _initial(version: Any) -> dict[str, Any]:
    names = ["cadence_days", "session_minutes", "channel", "starts_on", "ends_on"]
    names += ["confidentiality", "ground_rules", "shared_goal"]
    return {name: getattr(version, name) for name in names}


def _goal_rows(partnership: Partnership, members: list[PartnershipMember]) -> list[dict[str, Any]]:
    owners = [m for m in members if not (partnership.kind == Kind.MENTORING and m.role == "mentor")]
    rows: list[dict[str, Any]] = [
        {"goal": g, "owner": g.owner_id}
        for g in partnership.goals.filter(retired=False, owner__isnull=False).order_by("position", "pk")
    ]
    rows += [{"goal": None, "owner": m.pk} for m in owners]  # one blank row per goal owner
    return [{**row, "n": n, "owners": owners} for n, row in enumerate(rows)]


def _rotation_rows(rotation: list[int], members: list[PartnershipMember]) -> list[dict[str, Any]]:
    order = [pk for pk in rotation if any(m.pk == pk for m in members)]
    order += [m.pk for m in members if m.pk not in order]
    return [{"n": n, "chosen": pk, "members": members} for n, pk in enumerate(order)]


@login_required
def agreement_version(request: SignedInRequest, pk: int, number: int) -> HttpResponse:
    partnership, member = _mine(request, pk)
    version = partnership.agreement_versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    names = {m.pk: m.enrolment.person.display_name for m in read.members_of(partnership)}
    return render(
        request,
        "web/lifecycle/version.html",
        {"section": "my_matches", "p": partnership, "v": version, "names": names, "me": member},
    )


@login_required
@require_POST
def agreement_confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    partnership, _ = _mine(request, pk)
    try:
        version = confirm_agreement(
            user=request.user, partnership=partnership, number=int(request.POST.get("number", "0") or 0)
        )
    except (DomainError, ValueError) as error:
        return _refused(request, DomainError(str(error)), partnership)
    messages.success(request, f"You confirmed version {version.number} of the agreement.")
    return redirect("web:partnership", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: SignedInRequest, pk: int) -> HttpResponse:
    partnership, _ = _mine(request, pk)
    version = read.current_agreement(partnership)
    initial = {
        "time_zone": timezone.get_current_timezone_name(),
        "minutes": version.session_minutes if version else 60,
    }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        naive = (
            timezone.make_naive(data["starts_at"])
            if timezone.is_aware(data["starts_at"])
            else data["starts_at"]
        )
        slot = Slot(naive, data["time_zone"], data["minutes"], data["location"])
        try:
            session = schedule_session(user=request.user, partnership=partnership, slot=slot)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Session scheduled. Everyone gets a calendar invite by email.")
            return redirect("web:session", pk=pk, spk=session.pk)
    return render(
        request,
        "web/lifecycle/session_new.html",
        {
            "section": "my_matches",
            "p": partnership,
            "form": form,
            "facilitator": next_facilitator(partnership),
        },
        status=400 if request.method == "POST" else 200,
    )


def _session(partnership: Partnership, spk: int) -> Session:
    try:
        return read.session_in(partnership, spk)
    except Session.DoesNotExist:
        raise Http404("No such session.") from None


def _goal_choices(partnership: Partnership) -> list[tuple[int, str]]:
    return [(g.pk, g.title) for g in read.live_goals(partnership)]


@login_required
def session_detail(
    request: SignedInRequest, pk: int, spk: int, *, log_form: LogForm | None = None, status: int = 200
) -> HttpResponse:
    partnership, member = _mine(request, pk)
    session = _session(partnership, spk)
    initial: dict[str, object] = {"takeaways": session.takeaways, "next_actions": session.next_actions}
    initial["goals"] = [str(g) for g in session.goals.values_list("pk", flat=True)]
    members = read.members_of(partnership)
    brought = {str(m.pk): session.contributions.get(str(m.pk), "") for m in members}
    return render(
        request,
        "web/lifecycle/session.html",
        {
            "section": "my_matches",
            "p": partnership,
            "s": session,
            "me": member,
            "members": [{"m": m, "brought": brought[str(m.pk)]} for m in members],
            "log_form": log_form or LogForm(initial=initial, goals=_goal_choices(partnership)),
            "note_form": NoteForm(),
            "notes": read.readable_notes(session=session, member=member),
            "can_log": session.status != "cancelled" and session.starts_at <= timezone.now(),
            "is_open": partnership.status in OPEN,
        },
        status=status,
    )


@login_required
def session_ics(request: SignedInRequest, pk: int, spk: int) -> HttpResponse:
    """The session's invite, as a calendar file."""
    partnership, _ = _mine(request, pk)
    session = _session(partnership, spk)
    response = HttpResponse(read.session_invite(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@login_required
@require_POST
def session_log(request: SignedInRequest, pk: int, spk: int) -> HttpResponse:
    partnership, _ = _mine(request, pk)
    session = _session(partnership, spk)
    form = LogForm(request.POST, goals=_goal_choices(partnership))
    if not form.is_valid():
        return session_detail(request, pk, spk, log_form=form, status=400)
    members = read.members_of(partnership)
    log = SessionLog(
        goal_ids=[int(g) for g in form.cleaned_data["goals"]],
        contributions={m.pk: request.POST.get(f"brought-{m.pk}", "")[:2000] for m in members},
        takeaways=form.cleaned_data["takeaways"],
        next_actions=form.cleaned_data["next_actions"],
    )
    try:
        log_session(user=request.user, session=session, log=log)
    except DomainError as error:
        form.add_error(None, str(error))
        return session_detail(request, pk, spk, log_form=form, status=400)
    messages.success(request, "Session logged.")
    return redirect("web:session", pk=pk, spk=spk)


@login_required
@require_POST
def session_note(request: SignedInRequest, pk: int, spk: int) -> HttpResponse:
    partnership, _ = _mine(request, pk)
    session = _session(partnership, spk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, DomainError("Note: write something first."), partnership)
    write_note(
        user=request.user, session=session, text=form.cleaned_data["text"], shared=form.cleaned_data["shared"]
    )
    messages.success(
        request,
        "Note saved" + (" and shared." if form.cleaned_data["shared"] else " (only you can read it)."),
    )
    return redirect("web:session", pk=pk, spk=spk)


@login_required
@require_POST
def session_cancel(request: SignedInRequest, pk: int, spk: int) -> HttpResponse:
    partnership, _ = _mine(request, pk)
    try:
        cancel_session(user=request.user, session=_session(partnership, spk))
    except DomainError as error:
        return _refused(request, error, partnership)
    messages.success(request, "Session cancelled. Everyone's calendar invite is withdrawn.")
    return redirect("web:partnership", pk=pk)


@login_required
@require_POST
def goal_progress(request: SignedInRequest, pk: int, gpk: int) -> HttpResponse:
    partnership, _ = _mine(request, pk)
    goal = Goal.objects.filter(partnership=partnership, pk=gpk).first()
    if goal is None:
        raise Http404("No such goal.")
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _refused(request, DomainError("Progress: a percentage from 0 to 100."), partnership)
    try:
        reflect_on_goal(
            user=request.user,
            goal=goal,
            progress=form.cleaned_data["progress"],
            text=form.cleaned_data["text"],
        )
    except DomainError as error:
        return _refused(request, error, partnership)
    messages.success(request, f"Progress on '{goal.title}' saved.")
    return redirect("web:partnership", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def close(request: SignedInRequest, pk: int) -> HttpResponse:
    """End on plan (closing reflection and goal outcomes) or early (a no-fault reason)."""
    partnership, member = _mine(request, pk)
    mine = [(g.pk, g.title) for g in read.live_goals(partnership) if g.owner_id in (member.pk, None)]
    skills = [(skill.pk, skill.name) for skill in skills_to_rate(member)]
    close_form = CloseForm(request.POST or None, goals=mine, skills=skills, prefix="close")
    end_form = EndEarlyForm(request.POST or None, prefix="end")
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if "end" in request.POST and end_form.is_valid():
                data = end_form.cleaned_data
                end_early(
                    user=request.user, partnership=partnership, reason=data["reason"], note=data["note"]
                )
                messages.success(
                    request, "The partnership has ended. You return to the pool for the next round."
                )
                return redirect("web:partnership", pk=pk)
            if "end" not in request.POST and close_form.is_valid():
                reflect_and_close(
                    user=request.user,
                    partnership=partnership,
                    reflection=close_form.cleaned_data["reflection"],
                    outcomes=close_form.outcomes(),
                    levels=close_form.levels(),
                )
                messages.success(request, "Thank you — your closing reflection is saved.")
                return redirect("web:partnership", pk=pk)
        except DomainError as error:
            return _refused(request, error, partnership)
    return render(
        request,
        "web/lifecycle/close.html",
        {"section": "my_matches", "p": partnership, "close_form": close_form, "end_form": end_form},
        status=status,
    )
