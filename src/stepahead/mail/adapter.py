"""allauth's account mail (confirmation, password reset) goes through the outbox too."""

from __future__ import annotations

import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from .services import Rendered, store_email


class OutboxAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped here
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        full_context = {"request": request, "email": email, "current_site": get_current_site(request)}
        message = self.render_mail(template_prefix, email, {**full_context, **context})
        html = next((alt[0] for alt in getattr(message, "alternatives", []) if alt[1] == "text/html"), "")
        store_email(
            organisation=None,
            to=email,
            template=template_prefix,
            rendered=Rendered(str(message.subject), str(message.body), str(html)),
            key=f"account:{template_prefix}:{uuid.uuid4().hex}",
            attachments=[],
        )
