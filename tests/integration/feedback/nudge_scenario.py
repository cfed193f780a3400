"""A separate process for the crash test: `python -m tests.integration.feedback.nudge_scenario
seed N` builds N active pairs each with a session in 20 hours; `report` prints what was recorded.
It talks to the database named by DATABASE_URL (never the test runner's in-memory one)."""

from __future__ import annotations

import json
import sys
from datetime import time, timedelta

import django


def seed(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from stepahead.nudges.models import NudgePreference
    from stepahead.organisations.services import create_organisation
    from stepahead.programmes.services import create_programme
    from tests.integration.factories import World

    from .factories import accepted_partnership, agree, session

    admin = get_user_model().objects.create_user(username="admin@acme.test", email="admin@acme.test")
    org = create_organisation(name="Acme", slug="acme", admin_user=admin)
    world = World(org, admin, admin, admin, org, admin)
    programme = create_programme(actor=admin, organisation=org, name="Crash", mode="peer")
    for n in range(count):
        pair = accepted_partnership(world, programme, f"k{n}-")
        agree(pair)
        session(pair, timezone.now() + timedelta(hours=20))
    # No quiet hours, so the test does not depend on the hour it runs at.
    for user in get_user_model().objects.exclude(pk=admin.pk):
        NudgePreference.objects.create(user=user, quiet_from=time(0), quiet_until=time(0))


def report() -> None:
    from django.db.models import Count

    from stepahead.mail.models import OutboundEmail
    from stepahead.nudges.models import Nudge

    nudge_keys = list(Nudge.objects.values_list("key", flat=True))
    mail = OutboundEmail.objects.filter(key__startswith="nudge:")
    doubled = mail.values("key").annotate(n=Count("pk")).filter(n__gt=1).count()
    json.dump(
        {
            "nudges": len(nudge_keys),
            "distinct_nudges": len(set(nudge_keys)),
            "emails": mail.count(),
            "emails_without_nudge": len(set(mail.values_list("key", flat=True)) - set(nudge_keys)),
            "doubled_emails": doubled,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]))
    else:
        report()
