"""The raw document, as read from a source, before any cleaning."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(slots=True)
class Document:
    """One article as it arrives: raw text or HTML plus whatever metadata the source gave."""

    id: str
    source: str
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None

    @property
    def content(self) -> str:
        return self.html if self.html is not None else (self.text or "")


@dataclass(slots=True, frozen=True)
class Skipped:
    """An input that yielded no document, and why (reported, never fatal to the others)."""

    source: str
    reason: str


def content_id(content: str) -> str:
    """Stable id for a document that has none: a hash of its content."""
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]
