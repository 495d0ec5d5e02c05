"""The collector's WARC archive: every HTTP exchange of a run, as the server answered it.

What was fetched, when, from which address and with which headers is the evidence behind each
record in the database; a WARC file keeps it in the web archives' own format, readable by warcio,
by pantau's own reader (``pantau.spark.warc``, so ``pantau spark`` can re-extract a run) and by
any replay tool.

One gzip WARC per run, ``DIR/pantau-<UTC timestamp>-<pid>.warc.gz``, started at the first write (a
run that fetched nothing leaves no empty file) and rotated to a new file past ``max_file_bytes``.
Each file opens with a ``warcinfo`` record; each exchange is a ``response`` record (status line,
headers, body as sent, still Content-Encoded) and a ``request`` record pointing to it
(``WARC-Concurrent-To``). The body arrives without HTTP chunk framing, so a ``Transfer-Encoding``
header is kept under another name (``X-Crawler-Transfer-Encoding``) and the true length put in
``Content-Length``: a reader that trusted the original header would look for chunks that are not
there.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pantau import __version__

DEFAULT_MAX_FILE_BYTES = 1_000_000_000
_RENAMED = {"transfer-encoding": "X-Crawler-Transfer-Encoding"}


class WarcArchive:
    """Appends HTTP exchanges to gzip WARC files in ``directory``; thread-safe, ``close()`` flushes."""

    def __init__(self, directory: str | Path, *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
                 info: Mapping[str, str] | None = None) -> None:
        self.directory = Path(directory)
        self.max_file_bytes = max_file_bytes
        self.paths: list[Path] = []  # every file written, in order
        self._info = {"software": f"pantau/{__version__}", "format": "WARC File Format 1.1",
                      "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                      "robots": "obey", **(info or {})}
        self._lock = threading.Lock()
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self.records = 0

    @property
    def path(self) -> Path | None:
        """The file being written (None before the first write and after close)."""
        return self.paths[-1] if self._file is not None else None

    def write_exchange(self, url: str, request_headers: Sequence[tuple[str, str]], http_version: str, status: int,
                       reason: str, response_headers: Sequence[tuple[str, str]], body: bytes,
                       fetched_at: datetime | None = None, address: str | None = None, method: str = "GET",
                       truncated: bool = False) -> None:
        """Record one request and its response. ``body`` is the payload as received (Content-Encoding kept);
        ``truncated`` when only its beginning was read (marked ``WARC-Truncated: length``)."""
        when = (fetched_at or datetime.now(UTC)).astimezone(UTC)
        date = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
        protocol = http_version if http_version.upper().startswith("HTTP/") else "HTTP/1.1"
        headers = _response_headers(response_headers, len(body))
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        with self._lock:
            writer = self._open()
            warc_headers = {"WARC-Date": date}
            if address:
                warc_headers["WARC-IP-Address"] = address
            response = writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body),
                http_headers=StatusAndHeaders(f"{status} {reason or ''}".strip(), headers, protocol=protocol),
                warc_headers_dict={**warc_headers, **({"WARC-Truncated": "length"} if truncated else {})})
            request = writer.create_warc_record(
                url, "request", payload=BytesIO(b""), length=0,
                http_headers=StatusAndHeaders(f"{method} {target} {protocol}", list(request_headers),
                                              is_http_request=True),
                warc_headers_dict={**warc_headers,
                                   "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")})
            writer.write_record(response)
            writer.write_record(request)
            self.records += 2
            assert self._file is not None
            if self._file.tell() >= self.max_file_bytes:
                self._close_file()

    def close(self) -> None:
        with self._lock:
            self._close_file()

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _open(self) -> WARCWriter:
        if self._writer is not None:
            return self._writer
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = self.directory / f"pantau-{stamp}-{os.getpid()}.warc.gz"
        serial = 0
        while path.exists():  # a rotation within the same second
            serial += 1
            path = self.directory / f"pantau-{stamp}-{os.getpid()}-{serial}.warc.gz"
        self._file = path.open("xb")
        self.paths.append(path)
        self._writer = WARCWriter(self._file, gzip=True, warc_version="WARC/1.1")
        self._writer.write_record(self._writer.create_warcinfo_record(path.name, dict(self._info)))
        self.records += 1
        return self._writer

    def _close_file(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
        self._file = None
        self._writer = None


def _response_headers(headers: Sequence[tuple[str, str]], length: int) -> list[tuple[str, str]]:
    """The headers as received, with ``Content-Length`` the stored body's (in place, or added at the end)."""
    kept: list[tuple[str, str]] = []
    for name, value in headers:
        lowered = name.lower()
        if lowered == "content-length":
            if any(existing.lower() == "content-length" for existing, _ in kept):
                continue
            value = str(length)
        kept.append((_RENAMED.get(lowered, name), value))
    if not any(name.lower() == "content-length" for name, _ in kept):
        kept.append(("Content-Length", str(length)))
    return kept
