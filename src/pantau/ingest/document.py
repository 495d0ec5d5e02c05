"""The raw document, as read from a source, before any cleaning."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields

_SURROGATE = re.compile("[\ud800-\udfff]")


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

    def __post_init__(self) -> None:
        # A lone surrogate (from "\ud800" in JSON, or an undecodable byte in a file name) can be neither
        # serialised nor stored: it becomes U+FFFD here, once, for every reader and every later stage.
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, str) and _SURROGATE.search(value):
                setattr(self, field.name, without_surrogates(value))

    @property
    def content(self) -> str:
        return self.html if self.html is not None else (self.text or "")


@dataclass(slots=True, frozen=True)
class Skipped:
    """An input that yielded no document, and why (reported, never fatal to the others)."""

    source: str
    reason: str


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def content_id(content: str) -> str:
    """Stable id for a document that has none: a hash of its content."""
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]
