"""Reads about concerns, always through their readers: the raiser and the handlers."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from stepahead.accounts import Actor, signed_in
from stepahead.organisations.models import Organisation
from stepahead.programmes.models import ProgrammeManager

from .models import Concern, SupportContact


def concerns_for(*, user: Actor, organisation: Organisation) -> QuerySet[Concern]:
    """Concerns the user raised or handles (support contact; managers where none is named)."""
    if not signed_in(user):
        return Concern.objects.none()
    named = SupportContact.objects.filter(user=user).values("programme_id")
    unnamed = ProgrammeManager.objects.filter(user=user, programme__support_contact__isnull=True).values(
        "programme_id"
    )
    readable = (
        Q(raised_by__enrolment__person__user=user)
        | Q(partnership__programme_id__in=named)
        | Q(partnership__programme_id__in=unnamed)
    )
    return (
        Concern.objects.filter(readable, partnership__organisation=organisation)
        .select_related("partnership__programme", "raised_by__enrolment__person")
        .order_by("-raised_at")
    )


def concern_for(*, user: Actor, organisation: Organisation, pk: int) -> Concern:
    """One readable concern (Concern.DoesNotExist for any other, so a guessed id is a 404)."""
    return concerns_for(user=user, organisation=organisation).get(pk=pk)
