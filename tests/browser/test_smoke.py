"""The browser set-up itself: Chromium, the live server, axe-core, sign-in."""

import pytest

pytestmark = pytest.mark.browser


def _verified(user):
    """A login whose address is verified, as after sign-up (verification is mandatory)."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_admin_sign_in_in_chromium_with_axe(page, axe, django_user_model):
    """The admin signs in through the one rate-limited sign-in page and comes back to /admin/."""
    _verified(
        django_user_model.objects.create_superuser(
            username="root", email="root@acme.test", password="x-password-123"
        )
    )
    page.goto("/admin/login/")
    page.wait_for_url("**/accounts/login/?next=%2Fadmin%2F")
    axe(page)
    page.get_by_label("Email").fill("root@acme.test")
    page.get_by_label("Password").fill("x-password-123")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    axe(page)
    assert page.js_errors == []


def test_login_page_is_accessible_and_signs_in(page, axe, django_user_model):
    _verified(
        django_user_model.objects.create_user(
            username="hr@acme.test", email="hr@acme.test", password="x-password-123"
        )
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
