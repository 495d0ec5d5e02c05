"""One reader interface for every input kind.

``read_inputs(paths)`` yields :class:`Document` for each article and :class:`Skipped` for each
input that could not be read (binary, empty, malformed JSON line, too large...), in input order.
JSON Lines are streamed line by line, so memory stays constant on a corpus of any size.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

from pantau.ingest.document import Document, Skipped, content_id
from pantau.ingest.encoding import BinaryContent, decode_bytes

DEFAULT_MAX_BYTES = 32 * 1024 * 1024  # one page or text file; JSONL files are streamed, not bounded
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


def _read_file(path: Path, max_bytes: int) -> Iterator[Item]:
    stem, suffix, gzipped = _split_name(path)
    source = str(path)
    try:
        if not gzipped and path.stat().st_size == 0:
            yield Skipped(source, "empty file")
            return
        with path.open("rb") as raw, (gzip.open(raw) if gzipped else nullcontext(raw)) as stream:
            yield from _read_stream(stream, source=source, stem=stem, kind=_kind_of(suffix),
                                    max_bytes=max_bytes)
    except (OSError, EOFError, zlib.error) as error:
        yield Skipped(source, f"cannot read: {error}")


def _read_stream(stream: IO[bytes], *, source: str, stem: str | None, kind: str | None,
                 max_bytes: int) -> Iterator[Item]:
    if kind is None:
        kind = _sniff(stream)
    if kind == "jsonl":
        yield from _read_jsonl(stream, source)
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


def _read_jsonl(stream: IO[bytes], source: str) -> Iterator[Item]:
    read_any = False
    for number, raw_line in enumerate(stream, start=1):
        if not raw_line.strip(b" \t\r\n\xef\xbb\xbf"):  # blank, or only a byte-order mark
            continue
        read_any = True
        where = f"{source}:{number}"
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
        yield from _read_jsonl(lines, source)  # type: ignore[arg-type]
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
