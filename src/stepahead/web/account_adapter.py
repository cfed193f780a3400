"""allauth, adapted: mail through the outbox (`OutboxAccountAdapter`), and failed-login limits
keyed on the account *and* the client address.

allauth keys its per-account limit on the address typed alone, so anyone could lock a colleague
out by failing five times; keyed on both, an attacker locks out only themselves, while the
per-client limit (`ACCOUNT_RATE_LIMITS`) still caps guessing across accounts. The client address
honours `ALLAUTH_TRUSTED_PROXY_COUNT` (settings: `TRUSTED_PROXY_COUNT`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from stepahead.mail.adapter import OutboxAccountAdapter


class AccountAdapter(OutboxAccountAdapter):
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}|{self.get_client_ip(request)}"

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client per `TRUSTED_PROXY_COUNT`; a request with fewer forwarded addresses than
        proxies did not come through them (e.g. straight to the app server), so its socket
        address is the client. allauth raises instead, which answered 500."""
        try:
            return str(super().get_client_ip(request))
        except ImproperlyConfigured:
            return str(request.META.get("REMOTE_ADDR", ""))
