"""A separate process for the crash test: `python -m tests.integration.feedback.nudge_scenario N`
migrates the database named by DATABASE_URL (never the test runner's own) and builds N active
pairs, each with a session in 20 hours."""

from __future__ import annotations

import sys
from datetime import time, timedelta

import django


def seed(count: int) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast set-up
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


if __name__ == "__main__":
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed(int(sys.argv[1]))
