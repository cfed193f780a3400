"""Mentor training and accreditation records (course, provider, level, accreditation, date):
HR keeps them on a person's page, each person keeps their own; the ISMCP report counts them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from stepahead.errors import DomainError
from stepahead.people.models import MentorTraining, Person
from stepahead.people.selectors import people_in, person_for_user
from stepahead.people.services import record_mentor_training, remove_mentor_training, update_mentor_training
from stepahead.web.access import OrgRequest, hr_required, member_required


class TrainingForm(forms.Form):
    course = forms.CharField(label="Course", max_length=200)
    provider = forms.CharField(label="Provider", max_length=200)
    level = forms.CharField(
        label="Level", max_length=120, required=False, help_text="e.g. Foundation, Practitioner."
    )
    accreditation = forms.CharField(
        label="Accreditation",
        max_length=120,
        required=False,
        help_text="The body that accredits the course, e.g. EMCC EQA. Leave empty if none.",
    )
    completed_on = forms.DateField(label="Completed on", widget=forms.DateInput(attrs={"type": "date"}))


def _form_page(
    request: OrgRequest, person: Person, record: MentorTraining | None, back: str, section: str
) -> HttpResponse:
    """Add (record None) or edit a record; on success back to the list it came from."""
    initial = {} if record is None else {f: getattr(record, f) for f in TrainingForm.base_fields}
    form = TrainingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if record is None:
                record_mentor_training(actor=request.user, person=person, **form.cleaned_data)
            else:
                update_mentor_training(actor=request.user, record=record, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Training record “{form.cleaned_data['course']}” saved.")
            return redirect(f"{back}#training-h")
    context = {"section": section, "person": person, "record": record, "form": form, "back": back}
    return render(request, "web/training/form.html", context, status=400 if form.errors else 200)


def _record(person: Person, pk: int) -> MentorTraining:
    try:
        return person.mentor_training.get(pk=pk)
    except MentorTraining.DoesNotExist as error:
        raise Http404("No such training record.") from error


def _remove(request: OrgRequest, record: MentorTraining, back: str) -> HttpResponse:
    remove_mentor_training(actor=request.user, record=record)
    messages.success(request, f"Training record “{record.course}” removed.")
    return redirect(f"{back}#training-h")


# HR, on a person's page


def _person(request: OrgRequest, pk: int) -> Person:
    try:
        return people_in(organisation=request.org, active_only=False).get(pk=pk)
    except Person.DoesNotExist as error:
        raise Http404("No such person in your organisation.") from error


@hr_required
@require_http_methods(["GET", "POST"])
def person_training_add(request: OrgRequest, pk: int) -> HttpResponse:
    return _form_page(request, _person(request, pk), None, reverse("web:person", args=[pk]), "people")


@hr_required
@require_http_methods(["GET", "POST"])
def person_training_edit(request: OrgRequest, pk: int, record: int) -> HttpResponse:
    person = _person(request, pk)
    return _form_page(request, person, _record(person, record), reverse("web:person", args=[pk]), "people")


@hr_required
@require_POST
def person_training_remove(request: OrgRequest, pk: int, record: int) -> HttpResponse:
    person = _person(request, pk)
    return _remove(request, _record(person, record), reverse("web:person", args=[pk]))


# The person themselves


def _me(request: OrgRequest) -> Person:
    person = person_for_user(organisation=request.org, user=request.user)
    if person is None:
        raise PermissionDenied("Your account is not linked to a person in this organisation yet.")
    return person


@member_required
def my_training(request: OrgRequest) -> HttpResponse:
    person = _me(request)
    records = list(person.mentor_training.all())
    return render(
        request, "web/training/mine.html", {"section": "my_training", "person": person, "records": records}
    )


@member_required
@require_http_methods(["GET", "POST"])
def my_training_add(request: OrgRequest) -> HttpResponse:
    return _form_page(request, _me(request), None, reverse("web:my_training"), "my_training")


@member_required
@require_http_methods(["GET", "POST"])
def my_training_edit(request: OrgRequest, record: int) -> HttpResponse:
    person = _me(request)
    return _form_page(request, person, _record(person, record), reverse("web:my_training"), "my_training")


@member_required
@require_POST
def my_training_remove(request: OrgRequest, record: int) -> HttpResponse:
    return _remove(request, _record(_me(request), record), reverse("web:my_training"))
