"""Errors the service layer raises; views turn them into messages, the API into 4xx responses.

Authorisation failures use Django's own `PermissionDenied` (a 403 everywhere); business-rule
failures raise a `DomainError` whose message is written for the person who tried the action.
"""

from django.core.exceptions import PermissionDenied

__all__ = ["DomainError", "PermissionDenied", "TransitionError"]


class DomainError(ValueError):
    """A request that is well-formed and allowed but breaks a business rule."""


class TransitionError(DomainError):
    """A status change the workflow does not allow (e.g. closed → enrolling)."""
