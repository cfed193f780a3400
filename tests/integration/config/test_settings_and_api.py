"""Settings, security headers, the health endpoint and the production deployment check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


def test_argon2_is_the_first_password_hasher():
    from stepahead.config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_allauth_logs_in_by_email_only():
    assert {"email"} == settings.ACCOUNT_LOGIN_METHODS
    assert settings.ACCOUNT_SIGNUP_FIELDS == ["email*", "password1*"]


@pytest.mark.django_db
def test_health_endpoint_reports_database_ok_with_csp_header():
    response = Client(enforce_csrf_checks=True).get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    policy = response.headers["Content-Security-Policy"]
    # The nonce appears only in responses whose templates use it; a JSON response has none.
    assert "script-src 'self'" in policy
    assert "NONCE" in str(settings.SECURE_CSP["script-src"][1])
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_login_page_renders_and_posting_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"login": "a@b.test", "password": "whatever"})
    assert response.status_code == 403


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests' session fixture sets it in this process; a
    # production check must not inherit it (Django's deploy check rightly flags it).
    ignored = ("DEBUG", "SECRET_KEY", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in ignored}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings(tmp_path):
    # A fresh interpreter: settings are read once per process, from the environment.
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="k" * 60 + "-prod-secret-for-the-test-only",
        ALLOWED_HOSTS="stepahead.example",
        STEPAHEAD_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="x", STEPAHEAD_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
