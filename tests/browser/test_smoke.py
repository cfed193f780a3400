"""The browser set-up itself: Chromium, the live server, axe-core, sign-in."""

import pytest

pytestmark = pytest.mark.browser


def test_admin_sign_in_in_chromium_with_axe(page, axe, django_user_model):
    """Needs no web UI: Django's admin login proves the browser, the server and axe work."""
    django_user_model.objects.create_superuser(
        username="root", email="root@acme.test", password="x-password-123"
    )
    page.goto("/admin/login/")
    axe(page)
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("x-password-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    axe(page)
    assert page.js_errors == []


def test_login_page_is_accessible_and_signs_in(page, axe, django_user_model):
    django_user_model.objects.create_user(
        username="hr@acme.test", email="hr@acme.test", password="x-password-123"
    )
    page.goto("/accounts/login/")
    axe(page)
    page.get_by_label("Email").fill("hr@acme.test")
    page.get_by_label("Password").fill("x-password-123")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url
    axe(page)
    assert page.js_errors == []
