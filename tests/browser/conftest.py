"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

- Chromium is /usr/bin/chromium (never `playwright install`). Without it the browser tests are
  skipped with a message, unless CI is set: then the run fails.
- axe-core comes from npm (tests/browser/package-lock.json; `make setup` runs `npm ci`); `axe`
  checks a page and fails on serious or critical violations.
- Match runs execute inside the request (Django's ImmediateBackend), so a run the test starts in
  the UI is finished by the time the page answers; no worker process is needed.
- A failing test leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = HERE.parents[1] / "test-artifacts"
BLOCKING_IMPACTS = ("serious", "critical")
_NAVIGATED = re.compile(r"documentElement|Execution context was destroyed|navigat", re.IGNORECASE)


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    if not AXE.exists():
        return (
            f"{AXE.relative_to(HERE.parents[1])} is missing (run `make setup`: npm ci --prefix tests/browser)"
        )
    return None


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.path.parts]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    problem = _missing()
    if problem is None or not browser_items:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"{problem}; CI is set, so the browser tests must not be skipped.")
    skip = pytest.mark.skip(reason=f"browser tests skipped: {problem}")
    for item in browser_items:
        item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _browser_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the browser is open, and
    # Django then refuses ORM calls from test bodies ("async context"). Those bodies are plain
    # sync code that never runs concurrently with the loop, so the guard is lifted meanwhile.
    guard = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if guard is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = guard


@pytest.fixture(scope="session")
def compiled_engine() -> None:
    """Matching runs inside the live server (immediate tasks): on a fresh clone its first run
    would compile the engine's kernels (~30 s) while a click waits 15 s for the page."""
    from stepahead.matching.mentoring import scan
    from stepahead.matching.peer import solve as peer_solve

    peer_solve.compile_kernels()
    scan.compile_kernels()


@pytest.fixture
def page(request, browser, live_server, transactional_db, compiled_engine) -> Iterator[object]:
    """A fresh browser context per test; `page.goto("/path")` is relative to the live server."""
    # Login rate limits live in the database cache, whose table is not a model: the flush between
    # live-server tests leaves it alone, so one test's failed sign-ins would lock out the next.
    cache.clear()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source):
    """`axe(page)`: run axe-core on the page as it is now; fail on serious or critical violations."""

    def run(page) -> dict:
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated by the DevTools protocol, so the page's strict CSP still applies to the
            # page's own scripts while axe is loaded.
            page.evaluate(f"() => {{ {axe_source}\n }}")
            page.evaluate("() => { window.axe = axe; }")
        return page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")

    def check(page, *, context: str = "") -> list[dict]:
        try:
            results = run(page)
        except PlaywrightError as error:
            # A click's navigation can commit while axe runs, replacing the document under it
            # (CI saw "Cannot read properties of null (reading 'documentElement')"): the new
            # page is the one to check, so check it once it has loaded.
            if not _NAVIGATED.search(str(error)):
                raise
            results = run(page)
        blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        where = context or page.url
        assert not blocking, f"accessibility violations on {where}:\n" + "\n".join(
            f"- {v['impact']} {v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:5])})"
            for v in blocking
        )
        return results["violations"]

    return check
