"""One reader interface for every input kind.

``read_inputs(paths)`` yields :class:`Document` for each article and :class:`Skipped` for each
input that could not be read (binary, empty, malformed JSON line, too large...), in input order.
JSON Lines are streamed line by line, so memory stays constant on a corpus of any size.
"""

from __future__ import annotations

import io
import json
import logging
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from pantau.ingest.document import Document, Skipped, content_id
from pantau.ingest.encoding import BinaryContent, decode_bytes

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 32 * 1024 * 1024  # one page or text file, and one line of a JSONL corpus (streamed)
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16
_OUT_CHUNK = 1 << 20
STDIN = "-"

_JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonlines"}
_JSON_SUFFIXES = {".json"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}
_TEXT_SUFFIXES = {".txt", ".text", ".md"}

Item = Document | Skipped


class InputNotFound(FileNotFoundError):
    """A path given by the user does not exist."""


def check_paths(paths: Iterable[str]) -> None:
    """Raise :class:`InputNotFound` naming the first path that does not exist."""
    for path in paths:
        if path != STDIN and not os.path.exists(path):
            raise InputNotFound(f"no such file or directory: {path}")


def read_inputs(paths: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Documents from files, directories (recursive), ``.gz`` files, JSONL corpora and ``-``."""
    for path in paths:
        if path == STDIN:
            yield from _read_stream(sys.stdin.buffer, source="<stdin>", stem=None, kind=None,
                                    max_bytes=max_bytes)
        elif os.path.isdir(path):
            for file in _walk(Path(path)):
                yield from _read_file(file, max_bytes)
        elif os.path.exists(path):
            yield from _read_file(Path(path), max_bytes)
        else:
            yield Skipped(path, "no such file or directory")


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _split_name(path: Path) -> tuple[str, str, bool]:
    """(stem, kind suffix, gzipped) of a file name: 'a/x.jsonl.gz' -> ('x', '.jsonl', True)."""
    name = path.name
    gzipped = name.lower().endswith(".gz")
    if gzipped:
        name = name[:-3]
    inner = Path(name)
    return inner.stem or name, inner.suffix.lower(), gzipped


def _kind_of(suffix: str) -> str | None:
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _JSON_SUFFIXES:
        return "json"
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _TEXT_SUFFIXES:
        return "text"
    return None


class _GzipMembers(io.RawIOBase):
    """The decompressed bytes of a gzip file: every member in turn, and nothing of what follows them.

    Python's ``gzip`` refuses a whole file for bytes after its last member (zero padding from a copy
    tool, an appended log line); here they end the data, with a warning naming how many were ignored.
    Output is produced a megabyte at a time, however much one compressed chunk expands.
    """

    def __init__(self, raw: IO[bytes], source: str) -> None:
        self.raw, self.source = raw, source
        self.inflater = zlib.decompressobj(31)
        self.pending = b""
        self.done = False

    def readable(self) -> bool:
        return True

    def _trailing(self, data: bytes) -> None:
        ignored = len(data) + len(self.raw.read())
        log.warning("%s: %d bytes after the gzip data ignored", self.source, ignored)
        self.done = True

    def _fill(self) -> None:
        while not self.pending and not self.done:
            if self.inflater.unconsumed_tail:
                self.pending = self.inflater.decompress(self.inflater.unconsumed_tail, _OUT_CHUNK)
                continue
            if self.inflater.eof:
                rest = self.inflater.unused_data or self.raw.read(_CHUNK)
                if len(rest) == 1:
                    rest += self.raw.read(_CHUNK)
                if not rest:
                    self.done = True
                elif rest.startswith(_GZIP_MAGIC):
                    self.inflater = zlib.decompressobj(31)
                    self.pending = self.inflater.decompress(rest, _OUT_CHUNK)
                else:
                    self._trailing(rest)
                continue
            chunk = self.raw.read(_CHUNK)
            if not chunk:
                raise EOFError("the gzip data ends before its end-of-stream marker")
            self.pending = self.inflater.decompress(chunk, _OUT_CHUNK)

    def readinto(self, buffer: Any) -> int:
        self._fill()
        count = min(len(buffer), len(self.pending))
        buffer[:count] = self.pending[:count]
        self.pending = self.pending[count:]
        return count


def _read_file(path: Path, max_bytes: int) -> Iterator[Item]:
    stem, suffix, gzipped = _split_name(path)
    source = str(path)
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):  # a FIFO would block the run until someone writes to it
            yield Skipped(source, "not a regular file (a FIFO, socket or device): use - for a pipe")
            return
        if not gzipped and path.stat().st_size == 0:
            yield Skipped(source, "empty file")
            return
        with path.open("rb") as raw:
            stream: IO[bytes] = io.BufferedReader(_GzipMembers(raw, source)) if gzipped else raw  # type: ignore[arg-type]
            yield from _read_stream(stream, source=source, stem=stem, kind=_kind_of(suffix), max_bytes=max_bytes)
    except (OSError, EOFError, zlib.error) as error:
        yield Skipped(source, f"cannot read: {error}")


def _read_stream(stream: IO[bytes], *, source: str, stem: str | None, kind: str | None,
                 max_bytes: int) -> Iterator[Item]:
    if kind is None:
        kind = _sniff(stream)
    if kind == "jsonl":
        yield from _read_jsonl(_bounded_lines(stream, max_bytes), source, max_bytes)
        return
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Skipped(source, f"too large: over {max_bytes // (1024 * 1024)} MiB")
        return
    if not data.strip():
        yield Skipped(source, "empty file")
        return
    try:
        text = decode_bytes(data)
    except BinaryContent as error:
        yield Skipped(source, str(error))
        return
    if kind == "json":
        yield from _read_json_document(text, source)
        return
    if kind is None:
        kind = "html" if _looks_like_html(text) else "text"
    doc_id = stem or content_id(text)
    if kind == "html":
        yield Document(id=doc_id, source=source, html=text)
    else:
        yield Document(id=doc_id, source=source, text=text)


def _sniff(stream: IO[bytes]) -> str | None:
    """Guess JSONL from the first non-blank byte, without consuming the stream."""
    peek = getattr(stream, "peek", None)
    head = peek(512)[:512] if peek else b""
    if head.lstrip()[:1] == b"{":
        return "jsonl"
    return None


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        head.startswith("<") and any(tag in text[:65536].lower() for tag in ("<body", "<p>", "<p ", "<div"))
    )


def _bounded_lines(stream: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """The stream's lines; None for a line longer than ``limit`` bytes, which is read past, never held."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):  # drain the rest of the over-long line
            line = stream.readline(_OUT_CHUNK)
        yield None


def _read_jsonl(lines: Iterable[bytes | None], source: str, limit: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    read_any = False
    for number, raw_line in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if raw_line is None:
            read_any = True
            yield Skipped(where, f"line {number} is longer than {limit // (1024 * 1024)} MiB")
            continue
        if not raw_line.strip(b" \t\r\n\xef\xbb\xbf"):  # blank, or only a byte-order mark
            continue
        read_any = True
        try:
            record = json.loads(raw_line)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            yield Skipped(where, f"malformed JSON on line {number}: {error}")
            continue
        except RecursionError:  # a value nested a thousand deep: no article has that shape
            yield Skipped(where, f"JSON nested too deeply on line {number}")
            continue
        yield _document_from_record(record, where)
    if not read_any:  # a file of blank lines yields no record: say so rather than nothing
        yield Skipped(source, "no records: the file holds only blank lines")


def _read_json_document(text: str, source: str) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except RecursionError:
        yield Skipped(source, "JSON nested too deeply")
        return
    except json.JSONDecodeError:
        # Many ".json" corpora are really JSON Lines.
        lines = (line.encode("utf-8") for line in text.splitlines(keepends=True))
        yield from _read_jsonl(lines, source)
        return
    records = data if isinstance(data, list) else [data]
    if not records:
        yield Skipped(source, "no records: an empty JSON list")
        return
    for index, record in enumerate(records, start=1):
        yield _document_from_record(record, f"{source}#{index}" if len(records) > 1 else source)


def _first_str(record: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and key == "id":
            return str(value)
    return None


def _document_from_record(record: Any, where: str) -> Item:
    if not isinstance(record, dict):
        return Skipped(where, "JSON value is not an object")
    text = _first_str(record, "text", "content", "body")
    html = _first_str(record, "html", "raw_html")
    if text is None and html is None:
        return Skipped(where, "record has no 'text' or 'html'")
    url = _first_str(record, "url", "link")
    doc_id = _first_str(record, "id") or content_id(url or html or text or "")
    return Document(
        id=doc_id,
        source=url or where,
        text=None if html is not None else text,
        html=html,
        url=url,
        title=_first_str(record, "title"),
        published=_first_str(record, "date", "published", "published_at"),
        outlet=_first_str(record, "outlet", "sitename"),
    )
