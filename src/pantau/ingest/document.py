"""The raw document, as read from a source, before any cleaning."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields

_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_ID_CHARS = 256  # a longer id is cut, with a hash of the whole so that distinct ids stay distinct


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
        # serialised nor stored: it becomes U+FFFD here, once, for every reader and every later stage. A NUL
        # character means nothing in text and PostgreSQL cannot store it: it is dropped, on every backend.
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, str):
                if _SURROGATE.search(value):
                    value = without_surrogates(value)
                if "\x00" in value:
                    value = value.replace("\x00", "")
                setattr(self, field.name, value)
        if len(self.id) > MAX_ID_CHARS:
            self.id = self.id[:MAX_ID_CHARS - 17] + "~" + content_id(self.id)

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
