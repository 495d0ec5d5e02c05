"""Turning bytes into text: BOMs, UTF-8, declared charsets, then statistical detection.

Old Indonesian sites often serve cp1252 or latin-1 without saying so; ``charset-normalizer``
guesses those when strict UTF-8 fails.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_SNIFF = 8192


class BinaryContent(ValueError):
    """The bytes are not text (an image, an archive, an executable...)."""


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the bytes are mostly ASCII-range UTF-16 with no byte-order mark (every
    other byte zero), else None."""
    head = data[:_SNIFF]
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.6 and zero_even < 0.05:
        return "utf-16-le"
    if zero_even > 0.6 and zero_odd < 0.05:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """Control bytes (NUL included) in more than 5% of the first 8 KB: one stray NUL does not make a
    page binary, an image or an archive has far more."""
    head = data[:_SNIFF]
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]) or utf16_without_bom(head):
        return False
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and control / len(head) > 0.05


def decode_bytes(data: bytes) -> str:
    """Decode page bytes to ``str``; raise :class:`BinaryContent` for non-text data."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace")
    utf16 = utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    if looks_binary(data):
        raise BinaryContent("binary content, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:_SNIFF])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15", "utf_16"]).best()
    if best is not None and best.encoding:
        return str(best)
    return data.decode("cp1252", errors="replace")
