"""A match run in a real database file, for the worker-kill test (run as a child process).

    python -m tests.support.stalled_run setup 4000   # migrate, a peer programme, start a run
    python -m tests.support.stalled_run restart      # start the programme's next run
    python -m tests.support.stalled_run mail KEY     # migrate if needed, queue one email

Each prints one JSON line. The test points DATABASE_URL at a temporary SQLite file, starts the
real `manage.py db_worker`, kills it, and uses these to act as the programme manager would."""

from __future__ import annotations

import json
import sys

import django


def setup(size: int) -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from stepahead.matchruns.services import start_match_run
    from stepahead.organisations.services import create_organisation
    from stepahead.people.importing import import_people, preview_people_import, read_table
    from stepahead.people.models import Person
    from stepahead.programmes.models import Enrolment, Status
    from stepahead.programmes.services import change_programme_status, create_programme
    from stepahead.synthetic import generate_organisation, participants_to_csv

    call_command("migrate", verbosity=0)
    hr = get_user_model().objects.create_user(username="hr@kill.test", email="hr@kill.test")
    organisation = create_organisation(name="Kill Ltd", slug="kill", admin_user=hr)
    csv_text = participants_to_csv(generate_organisation(size, seed=7))
    preview = preview_people_import(
        organisation=organisation, table=read_table(csv_text.encode(), filename="p.csv")
    )
    import_people(actor=hr, organisation=organisation, preview=preview)
    programme = create_programme(actor=hr, organisation=organisation, name="Big peer", mode="peer")
    programme = change_programme_status(actor=hr, programme=programme, to=Status.ENROLLING)
    Enrolment.objects.bulk_create(
        Enrolment(programme=programme, person=p) for p in Person.objects.filter(organisation=organisation)
    )
    run = start_match_run(actor=hr, programme=programme)  # autocommit: the task is queued at once
    return {"run": run.pk, "programme": programme.pk}


def restart() -> dict[str, object]:
    from django.contrib.auth import get_user_model

    from stepahead.errors import DomainError
    from stepahead.matchruns.services import start_match_run
    from stepahead.programmes.models import Programme

    hr = get_user_model().objects.get(email="hr@kill.test")
    try:
        run = start_match_run(actor=hr, programme=Programme.objects.get(name="Big peer"))
    except DomainError as error:
        return {"refused": str(error)}
    return {"run": run.pk}


def mail(key: str) -> dict[str, object]:
    from django.core.management import call_command

    from stepahead.mail.services import queue_email

    call_command("migrate", verbosity=0)
    email = queue_email(
        organisation=None,
        to="someone@kill.test",
        template="programmes/invitation",
        context={"name": "Ann", "programme": "Pilot", "link": "http://x/"},
        key=key,
    )
    return {"email": email.pk}


if __name__ == "__main__":
    django.setup()
    command, *args = sys.argv[1:]
    if command == "setup":
        outcome = setup(int(args[0]))
    elif command == "mail":
        outcome = mail(args[0])
    else:
        outcome = restart()
    print(json.dumps(outcome))
