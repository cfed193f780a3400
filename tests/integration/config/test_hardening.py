"""Production hardening (issue 10 items 8 and 12): a weak SECRET_KEY is refused, the server will
not start without collected static files, a bad Host header gets the 400 page, and the API docs
load their Swagger UI from this server (the CSP blocks any CDN)."""

import subprocess
import sys

import pytest
from django.test import Client

from tests.integration.config.test_settings_and_api import ROOT, _manage

PRODUCTION = {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "stepahead.example"}
STRONG = "k" * 60 + "-prod-secret-for-the-test-only"


@pytest.mark.parametrize("key", ["x", "django-insecure-" + "a" * 50, "ab" * 40])
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    result = _manage("check", SECRET_KEY=key, STEPAHEAD_VAR_DIR=str(tmp_path), **PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr


def _start_wsgi(tmp_path) -> subprocess.CompletedProcess:
    import os

    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environment.update(PRODUCTION, SECRET_KEY=STRONG, STEPAHEAD_VAR_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-c", "import stepahead.config.wsgi"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_start_requires_collected_static_files(tmp_path):
    refused = _start_wsgi(tmp_path)
    assert refused.returncode != 0
    assert "run `python manage.py collectstatic --noinput`" in refused.stderr
    (tmp_path / "static").mkdir(exist_ok=True)
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    started = _start_wsgi(tmp_path)
    assert started.returncode == 0, started.stderr


@pytest.mark.django_db
def test_a_bad_host_header_in_production_gets_the_400_page(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["stepahead.example"]
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.django_db
def test_api_docs_load_swagger_from_this_server():
    response = Client().get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
