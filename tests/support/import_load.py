"""A big import and logins at once, in child processes on one SQLite file (issue 10 fault 2).

    python -m tests.support.import_load import 40000    # migrate, a login, then a big import
    python -m tests.support.import_load logins STOPFILE  # log in and out until STOPFILE exists

`import` prints "importing" just before the import starts and a JSON line when it is done;
`logins` prints a JSON line with every login's status code."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import django

EMAIL, PASSWORD = "hr@load.test", "a-long-password-123"


def big_import(size: int) -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from stepahead.organisations.services import create_organisation
    from stepahead.people.importing import import_people, preview_people_import, read_table
    from stepahead.synthetic import generate_organisation, participants_to_csv

    call_command("migrate", verbosity=0)
    hr = get_user_model().objects.create_user(username=EMAIL, email=EMAIL, password=PASSWORD)
    organisation = create_organisation(name="Load Ltd", slug="load", admin_user=hr)
    csv_text = participants_to_csv(generate_organisation(size, seed=3))
    preview = preview_people_import(
        organisation=organisation, table=read_table(csv_text.encode(), filename="people.csv")
    )
    print("importing", flush=True)
    started = time.perf_counter()
    outcome = import_people(actor=hr, organisation=organisation, preview=preview)
    return {"created": outcome.created, "seconds": round(time.perf_counter() - started, 2)}


def logins(stop_file: Path) -> dict[str, object]:
    from django.test import Client

    statuses: list[int] = []
    while not stop_file.exists() or len(statuses) < 3:
        client = Client(raise_request_exception=False)
        response = client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
        statuses.append(response.status_code)
        client.post("/accounts/logout/")
        time.sleep(0.1)
    return {"statuses": statuses}


if __name__ == "__main__":
    django.setup()
    command, argument = sys.argv[1:3]
    outcome = big_import(int(argument)) if command == "import" else logins(Path(argument))
    print(json.dumps(outcome), flush=True)
