"""What the platform found for one ISMCP criterion."""

from __future__ import annotations

from dataclasses import dataclass, field

from stepahead.core.ismcp import Finding


@dataclass(slots=True)
class Evidence:
    """A finding and the records behind it, in words for the report."""

    finding: Finding
    items: list[str] = field(default_factory=list)
