"""Writes for the evidence report: documents and statements a programme manager attaches."""

from __future__ import annotations

from django.db import transaction

from stepahead.accounts import User
from stepahead.core.ismcp import CRITERIA
from stepahead.errors import DomainError
from stepahead.programmes.models import Programme
from stepahead.programmes.services import require_manager

from .models import MAX_DOCUMENT_BYTES, EvidenceDocument


@transaction.atomic
def attach_evidence(
    *,
    actor: User,
    programme: Programme,
    criterion: str,
    title: str,
    statement: str = "",
    file_name: str = "",
    content_type: str = "",
    content: bytes = b"",
) -> EvidenceDocument:
    """A statement, a document or both, for one ISMCP criterion."""
    require_manager(actor, programme)
    if criterion not in CRITERIA:
        raise DomainError(f"There is no ISMCP criterion “{criterion}”.")
    if not title.strip():
        raise DomainError("Give the evidence a title.")
    if not statement.strip() and not content:
        raise DomainError("Attach a document or write a statement.")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DomainError(
            f"“{file_name}” is larger than 5 MB; attach a smaller file or a link in a statement."
        )
    return EvidenceDocument.objects.create(
        programme=programme,
        criterion=criterion,
        title=title.strip(),
        statement=statement.strip(),
        file_name=file_name,
        content_type=content_type or "application/octet-stream",
        content=content,
        added_by=actor,
    )


@transaction.atomic
def remove_evidence(*, actor: User, document: EvidenceDocument) -> None:
    require_manager(actor, document.programme)
    document.delete()
