"""Integration-test set-up: database availability, fast hashing, and shared fixtures."""

from __future__ import annotations

import os

import pytest

from tests.integration.factories import World, build_world


def _postgres_unreachable() -> str | None:
    """A message when DATABASE_URL names a PostgreSQL server that does not answer, else None."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError as error:
        return f"PostgreSQL at {config['HOST']}:{config['PORT']} is not reachable ({error})".strip()
    return None


def pytest_collection_modifyitems(config, items):
    problem = _postgres_unreachable()
    if problem is None:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"{problem}; CI is set, so database tests must not be skipped.")
    skip = pytest.mark.skip(reason=f"{problem}; start it or unset DATABASE_URL to use SQLite")
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    """MD5 hashing keeps user creation fast (Django's test runner already swaps mail to locmem)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    """Two organisations with admins, managers and participants (see factories.build_world)."""
    return build_world()


@pytest.fixture
def insights_ready(settings, django_capture_on_commit_callbacks):
    """`get(client, url)`: an insights page (or download) once its figures are computed.

    The first request asks for the figures (a task); the task runs when the request's work is
    committed (the immediate backend stands in for the worker); the second request serves them."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    def get(client, url):
        with django_capture_on_commit_callbacks(execute=True):
            client.get(url)
        return client.get(url)

    return get
