"""Account protection (issue 10 items 4, 5 and 12): one sign-in path with rate limits keyed on
account and client address and kept in the shared database cache, the admin site behind it, the
same hashing work for right and wrong passwords, and no address enumeration."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.db import connection
from django.test import Client

from stepahead.mail.models import OutboundEmail
from stepahead.mail.services import deliver_due

RIGHT = "x-password-123"
HASHES: list[str] = []


class CountingHasher(MD5PasswordHasher):
    """MD5, counting every hash computed (verifying a password computes one)."""

    algorithm = "counting_md5"

    def encode(self, password: str, salt: str) -> str:
        HASHES.append(password)
        return super().encode(password, salt)


def _login(client: Client, email: str, password: str, **headers: str):
    return client.post("/accounts/login/", {"login": email, "password": password}, **headers)


def _signed_in(response) -> bool:
    return response.status_code == 302 and not response.url.startswith("/accounts/")


def test_five_failures_lock_the_account_for_that_client_only(world):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        assert _login(attacker, "manager@acme.test", "wrong").status_code == 200
    locked = _login(attacker, "manager@acme.test", RIGHT)
    assert not _signed_in(locked)
    assert "Too many failed login attempts" in locked.content.decode()
    # the manager, elsewhere, is not locked out by someone else's guesses
    assert _signed_in(_login(Client(REMOTE_ADDR="198.51.100.2"), "manager@acme.test", RIGHT))


def test_the_limits_live_in_the_shared_database_cache(world, settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    _login(Client(), "manager@acme.test", "wrong")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM stepahead_cache")
        assert cursor.fetchone()[0] >= 1


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(world, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    guesser = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    for _ in range(5):
        _login(guesser, "manager@acme.test", "wrong")
    assert not _signed_in(_login(guesser, "manager@acme.test", RIGHT))
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert _signed_in(_login(colleague, "manager@acme.test", RIGHT))


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_limit(world):
    for n in range(5):
        _login(Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), "pat@acme.test", "x")
    forged = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert not _signed_in(_login(forged, "pat@acme.test", RIGHT))


@pytest.mark.parametrize(
    ("email", "password"),
    [("manager@acme.test", RIGHT), ("manager@acme.test", "wrong"), ("nobody@acme.test", "wrong")],
)
def test_every_sign_in_attempt_computes_exactly_one_hash(world, settings, email, password):
    """Timing independent of correctness, checked by the work done rather than by a clock: a
    right password, a wrong one and an unknown address each hash exactly once."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    user = get_user_model().objects.get(email="manager@acme.test")
    user.set_password(RIGHT)
    user.save()
    HASHES.clear()
    _login(Client(), email, password)
    assert [password] == HASHES
    HASHES.clear()  # Django-style credentials, as the admin's form and other apps send them
    authenticate(None, username=email, password=password)
    assert [password] == HASHES


def test_admin_login_goes_through_the_one_rate_limited_sign_in(world):
    client = Client()
    response = client.get("/admin/login/?next=/admin/people/person/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Fadmin%2Fpeople%2Fperson%2F"
    assert client.get("/admin/").url.startswith("/admin/login/")
    # the admin's own form is gone: posting credentials to it signs nobody in
    client.post("/admin/login/", {"username": "admin@acme.test", "password": RIGHT})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/login/?next=https://evil.example/").url.endswith("next=%2Fadmin%2F")


def test_admin_login_answers_non_staff_with_403_and_lets_staff_in(world):
    member = Client()
    member.force_login(world.manager)
    assert member.get("/admin/login/?next=/admin/").status_code == 403
    world.admin.is_staff = True
    world.admin.save()
    staff = Client()
    staff.force_login(world.admin)
    assert staff.get("/admin/login/?next=/admin/").url == "/admin/"


def test_signing_up_with_a_registered_address_reveals_nothing(world):
    def signup(email: str):
        return Client().post("/accounts/signup/", {"email": email, "password1": "a-long-pass-phrase-9"})

    taken, fresh = signup("manager@acme.test"), signup("new.person@acme.test")
    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url)
    assert taken.url == "/accounts/confirm-email/"
    assert get_user_model().objects.filter(email__iexact="manager@acme.test").count() == 1


def test_a_new_account_cannot_sign_in_before_verifying_its_address(world):
    client = Client()
    client.post("/accounts/signup/", {"email": "new.person@acme.test", "password1": "a-long-pass-phrase-9"})
    assert "_auth_user_id" not in client.session


def test_password_reset_for_an_unknown_address_sends_nothing(world):
    response = Client().post("/accounts/password/reset/", {"email": "nobody@acme.test"})
    assert response.status_code == 302  # the same answer as for a known address
    deliver_due()
    assert not OutboundEmail.objects.filter(to="nobody@acme.test").exists()
    assert mail.outbox == []


def test_a_request_that_bypassed_the_proxies_is_keyed_on_its_own_address(world, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    direct = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.1")  # one, not two
    assert _login(direct, "manager@acme.test", "wrong").status_code == 200
    assert _signed_in(_login(Client(REMOTE_ADDR="203.0.113.7"), "manager@acme.test", RIGHT))
