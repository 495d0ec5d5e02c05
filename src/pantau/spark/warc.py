"""WARC and WARC.gz (and ARC) files through warcio: HTML responses become Documents, the rest is counted.

A crawl file is mostly not news: request and metadata records, images, redirects, and now and then
a record broken by a crashed crawler or a bad copy. Every record gets an outcome so the Spark job
can report what it read; none of them stops the file.

Broken records: when warcio cannot parse a record, reading resumes at the next record start after
it (the next gzip member for a ``.warc.gz``, the next ``WARC/`` header line otherwise), so one bad
record loses only itself. The stream must be seekable (a local file, or the bytes Spark read).

A page becomes the same :class:`Document` a JSON Lines record ``{"url": ..., "html": ...}`` gives
(``pantau.ingest.readers``): id = hash of the URL, source = the URL. So a WARC page and the same page
given to ``pantau extract`` as JSON Lines produce the same record, field for field.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from pantau.ingest.document import Document, content_id
from pantau.ingest.encoding import BinaryContent, decode_bytes, looks_binary
from pantau.ingest.readers import DEFAULT_MAX_BYTES

log = logging.getLogger(__name__)

HTML, BAD, NOT_RESPONSE, NOT_HTML, HTTP_STATUS = "html", "bad", "not_response", "not_html", "http_status"
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/"
_SCAN_CHUNK = 1 << 20
_PAGE_TYPES = ("response", "resource")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xhtml", "text/xhtml")
_MAX_REASON = 300


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


@dataclass(slots=True)
class WarcItem:
    """One record's outcome: ``html`` with its document, or why it was not a page."""

    offset: int
    outcome: str
    document: Document | None = None
    reason: str | None = None


def iter_warc(stream: BinaryIO, source: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[WarcItem]:
    """Every record of a WARC/ARC file (plain or gzipped per record) in file order, with its byte offset."""
    stream.seek(0)
    marker = _GZIP_MAGIC if stream.read(2) == _GZIP_MAGIC[:2] else _WARC_MAGIC
    position: int | None = 0
    while position is not None:
        stream.seek(position)
        iterator = ArchiveIterator(stream, arc2warc=True)
        next_start = position
        try:
            for record in iterator:
                item = _classify(record, source, max_bytes)
                item.offset = iterator.get_record_offset()
                next_start = item.offset + iterator.get_record_length()
                yield item
        except Exception as error:  # warcio, zlib and header parsers raise many kinds; all mean "broken here"
            failed_at = _skip_blank(stream, next_start)
            log.debug("broken WARC record in %s at %d", source, failed_at, exc_info=True)
            yield WarcItem(failed_at, BAD, reason=_reason(error))
            position = _find(stream, marker, failed_at + 1)
            continue
        # warcio ends quietly on a record cut short at the end of the file: bytes left over are one
        end = _skip_blank(stream, next_start)
        stream.seek(end)
        if stream.read(1):
            yield WarcItem(end, BAD, reason="truncated record at the end of the file")
        return


def _reason(error: BaseException) -> str:
    """A one-line, printable reason: broken records put binary garbage into warcio's messages."""
    text = " ".join(str(error).split()) or "no detail"
    text = "".join(c if c.isprintable() else "?" for c in text)
    return f"{type(error).__name__}: {text}"[:_MAX_REASON]


def _skip_blank(stream: BinaryIO, position: int) -> int:
    """The first byte at or after ``position`` that is not a line break (records are separated by them)."""
    stream.seek(position)
    head = stream.read(64)
    return position + len(head) - len(head.lstrip(b"\r\n"))


def _find(stream: BinaryIO, marker: bytes, start: int) -> int | None:
    """Offset of the next ``marker`` at or after ``start``, scanning in chunks; ``None`` at the end."""
    position = start
    overlap = len(marker) - 1
    while True:
        stream.seek(position)
        chunk = stream.read(_SCAN_CHUNK)
        if len(chunk) <= overlap:
            return None
        found = chunk.find(marker)
        if found >= 0:
            return position + found
        position += len(chunk) - overlap


class BrokenRecord(ValueError):
    """A record header warcio accepts but that cannot be framed: no type, no valid length."""


def _classify(record, source: str, max_bytes: int) -> WarcItem:  # type: ignore[no-untyped-def]
    """Outcome of one parsed record; errors in its payload make it ``bad`` without breaking the file.

    warcio is lenient with headers: a record without ``Content-Length`` swallows the rest of the file
    as its payload. Such a header is raised as :class:`BrokenRecord`, so reading resumes after it.
    """
    length = record.rec_headers.get_header("Content-Length")
    if not record.rec_type or length is None or not length.strip().isdigit():
        raise BrokenRecord(f"bad record header (WARC-Type {str(record.rec_type)[:40]!r}, "
                           f"Content-Length {str(length)[:40]!r})")
    if record.rec_type not in _PAGE_TYPES:
        return WarcItem(-1, NOT_RESPONSE, reason=record.rec_type)
    headers = record.http_headers
    if record.rec_type == "response" and headers is not None:
        status = headers.get_statuscode() or ""
        if not status.startswith("2"):
            return WarcItem(-1, HTTP_STATUS, reason=f"HTTP {status}")
        content_type = headers.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    content_type = content_type or record.rec_headers.get_header("WARC-Identified-Payload-Type")
    media_type, charset = _media_type(content_type)
    if media_type and not media_type.startswith(_HTML_TYPES):
        return WarcItem(-1, NOT_HTML, reason=media_type)
    try:
        data = record.content_stream().read(max_bytes + 1)
        while record.raw_stream.read(1 << 16):  # the rest of a too-large payload, to test completeness
            pass
    except Exception as error:  # a broken chunked or compressed payload
        return WarcItem(-1, BAD, reason=_reason(error))
    if getattr(record.raw_stream, "limit", 0) > 0:
        return WarcItem(-1, BAD, reason="truncated record: payload shorter than its Content-Length")
    if len(data) > max_bytes:
        return WarcItem(-1, BAD, reason=f"too large: over {max_bytes // (1024 * 1024)} MiB")
    if not media_type and not _sniff_html(data):
        return WarcItem(-1, NOT_HTML, reason="no content type, not HTML")
    try:
        page = _decode(data, charset)
    except BinaryContent:
        return WarcItem(-1, NOT_HTML, reason="binary content")
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    name = url or f"{source}#{record.rec_headers.get_header('WARC-Record-ID') or 'record'}"
    return WarcItem(-1, HTML, document=Document(id=content_id(url or page), source=name, html=page, url=url))


def _media_type(content_type: str | None) -> tuple[str | None, str | None]:
    if not content_type:
        return None, None
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower() or None, charset


def _sniff_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<body" in data[:65536].lower()


def _decode(data: bytes, charset: str | None) -> str:
    """UTF-8 when the bytes are UTF-8 (servers mislabel it), else the HTTP charset, else pantau's decoder."""
    if charset and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            and not looks_binary(data):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)
