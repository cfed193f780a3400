"""Marks insights snapshots stale when the lifecycle records they count change, so the next view
of a page asks for newer figures. One UPDATE per write, and none when already stale."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Subquery
from django.db.models.signals import post_delete, post_save

from stepahead.feedback.models import FitCheck, Pulse, SurveyResponse
from stepahead.lifecycle.models import (
    AgreementConfirmation,
    AgreementVersion,
    Closure,
    Goal,
    Session,
)
from stepahead.partnerships.models import Partnership, PartnershipMember
from stepahead.people.models import Person
from stepahead.programmes.models import Enrolment, Invitation, Programme

from .services import mark_stale

BY_PARTNERSHIP = (
    PartnershipMember,
    Session,
    Closure,
    Goal,
    AgreementVersion,
    Pulse,
    FitCheck,
    SurveyResponse,
)
BY_PROGRAMME = (Enrolment, Invitation)


def _organisation_of(instance: Model) -> Any:
    """The organisation's id, or a subquery for it (no extra round trip)."""
    if isinstance(instance, Partnership | Person):
        return instance.organisation_id
    if isinstance(instance, BY_PROGRAMME):
        return Subquery(Programme.objects.filter(pk=instance.programme_id).values("organisation_id")[:1])
    if isinstance(instance, AgreementConfirmation):
        members = PartnershipMember.objects.filter(pk=instance.member_id)
        return Subquery(members.values("partnership__organisation_id")[:1])
    partnership_id = instance.partnership_id  # type: ignore[attr-defined]
    return Subquery(Partnership.objects.filter(pk=partnership_id).values("organisation_id")[:1])


def _changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    mark_stale(organisation_id=_organisation_of(instance))


def connect() -> None:
    for model in (Partnership, Person, AgreementConfirmation, *BY_PARTNERSHIP, *BY_PROGRAMME):
        post_save.connect(_changed, sender=model, dispatch_uid=f"insights-stale-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"insights-stale-del-{model.__name__}")
