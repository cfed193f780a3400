"""Reads of the outbox for HR pages: delivery status of the mail about an object."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from stepahead.organisations.models import Organisation

from .models import OutboundEmail


def deliveries_for(related: models.Model) -> list[OutboundEmail]:
    """Every message about `related`, newest first (resends included)."""
    return list(
        OutboundEmail.objects.filter(
            related_type=ContentType.objects.get_for_model(related), related_id=str(related.pk)
        ).order_by("-created_at", "-pk")
    )


def latest_deliveries(objects: Iterable[models.Model]) -> dict[object, OutboundEmail]:
    """The newest message about each object (by pk), in one query: for status columns."""
    items = list(objects)
    if not items:
        return {}
    content_type = ContentType.objects.get_for_model(items[0])
    latest: dict[object, OutboundEmail] = {}
    rows = OutboundEmail.objects.filter(
        related_type=content_type, related_id__in=[str(item.pk) for item in items]
    ).order_by("created_at", "pk")
    by_id = {str(item.pk): item.pk for item in items}
    for email in rows:
        latest[by_id[email.related_id]] = email
    return latest


def delivery_counts(deliveries: Iterable[OutboundEmail]) -> dict[str, int]:
    """ "3 sent, 1 failed": counts by status."""
    return dict(Counter(email.status for email in deliveries))


def email_in(organisation: Organisation, pk: int) -> OutboundEmail:
    """A message of this organisation (DoesNotExist for another tenant's, like a missing id)."""
    return OutboundEmail.objects.get(organisation=organisation, pk=pk)
