"""A local HTTP fixture server for the collector's tests: routes, fault helpers and a request log.

One :class:`FixtureServer` is one host: a ``ThreadingHTTPServer`` on 127.0.0.1 with an ephemeral
port, served from a daemon thread. Two servers are two hosts (``127.0.0.1:A`` and ``127.0.0.1:B``),
which is how tests give the fetcher several sites without DNS.

Every request is logged with the server's ``time.monotonic()`` when its request line arrived (the
same clock the fetcher uses by default, so the two logs compare), its headers, and how the reply
ended: ``completed`` is false when the client hung up before the body was all written, which is
how a test sees that a too-large body was cut off rather than read to the end.

The server speaks HTTP/1.1 with keep-alive, so a client's connection pool is exercised as in life.
Stopping the server wakes every handler that is sleeping (slow routes), so a test never waits for
a delay it already gave up on.
"""

from __future__ import annotations

import email.utils
import gzip
import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@dataclass
class Request:
    """One request as the server saw it; ``completed``/``sent`` are filled when the reply ends."""

    method: str
    target: str  # path and query as sent
    path: str
    headers: dict[str, str]  # lower-case names
    time: float  # time.monotonic() when the request line was read
    port: int
    status: int | None = None
    sent: int = 0  # body bytes written
    completed: bool | None = None
    finished: float | None = None  # time.monotonic() when the reply ended

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Reply:
    """What a route answers. ``chunks`` streams a body (with ``chunk_delay`` between pieces) instead of ``body``.

    ``delay`` sleeps before the status line (a server that thinks too long); ``chunk_delay`` sleeps
    between body pieces (a server that trickles). A streamed body is sent with ``Content-Length``
    when ``length`` is given, chunked otherwise.
    """

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str | None = HTML
    delay: float = 0.0
    chunks: Iterable[bytes] | None = None
    chunk_delay: float = 0.0
    length: int | None = None
    drop: bool = False  # close the connection without answering (a crashed or overloaded server)


Handler = Callable[[Request], Reply]


class FixtureServer:
    """One fake host. ``route`` registers answers; unknown paths get 404 (so no robots.txt = allow all)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.requests: list[Request] = []
        self._routes: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        server = self

        class _Handler(_RequestHandler):
            fixture = server

        self._httpd = ThreadingHTTPServer((host, 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # a slow handler must not hold up stop()
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"fixture-server-{self.port}", daemon=True)
        self._thread.start()

    # -- addresses --------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def host(self) -> str:
        """``127.0.0.1:PORT``: the netloc this server is reached at."""
        return f"127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}"

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    # -- routes -----------------------------------------------------------------------------
    def route(self, path: str, body: bytes | str = b"", status: int = 200, headers: Mapping[str, str] | None = None,
              delay: float = 0.0, handler: Handler | None = None, content_type: str | None = HTML) -> str:
        """Answer ``path`` (exact target with query, or the path alone) with a fixed reply or ``handler``.

        Returns the route's full URL, so ``url = server.route("/a", b"...")`` reads naturally.
        """
        if handler is None:
            reply = Reply(status, _bytes(body), dict(headers or {}), content_type, delay)
            handler = lambda _request: reply  # noqa: E731
        with self._lock:
            self._routes[path] = handler
        return self.url(path)

    def sequence(self, path: str, replies: Sequence[Reply]) -> str:
        """Answer ``path`` with each reply in turn; the last one repeats (e.g. 500, 500, then 200)."""
        pending = iter(replies)
        last = replies[-1]
        lock = threading.Lock()

        def handler(_request: Request) -> Reply:
            with lock:
                return next(pending, last)

        return self.route(path, handler=handler)

    def statuses(self, path: str, codes: Sequence[int], body: bytes | str = b"ok",
                 headers: Mapping[str, str] | None = None) -> str:
        """Shorthand for :meth:`sequence`: the given statuses in turn, the same body and headers on each."""
        return self.sequence(path, [Reply(code, _bytes(body), dict(headers or {})) for code in codes])

    # -- fault helpers ----------------------------------------------------------------------
    def robots(self, text: str, status: int = 200) -> str:
        return self.route("/robots.txt", text, status=status, content_type=TEXT)

    def slow(self, path: str, seconds: float, body: bytes | str = b"<p>terlambat</p>") -> str:
        """Sleeps ``seconds`` before answering at all: past a client's timeout, this is a read timeout."""
        return self.route(path, body, delay=seconds)

    def trickle(self, path: str, pieces: int, every: float, piece: bytes = b"<p>sedikit demi sedikit</p>\n") -> str:
        """Headers at once, then one small piece every ``every`` seconds: each read is quick, the whole is slow."""
        def handler(_request: Request) -> Reply:
            return Reply(chunks=itertools.repeat(piece, pieces), chunk_delay=every, length=len(piece) * pieces)

        return self.route(path, handler=handler)

    def dropped(self, path: str, times: int, body: bytes | str = b"<p>pulih</p>") -> str:
        """Hangs up without a reply ``times`` times, then answers 200."""
        return self.sequence(path, [*(Reply(drop=True) for _ in range(times)), Reply(200, _bytes(body))])

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        return self.route(path, status=status, headers={"Location": to}, content_type=None)

    def redirect_loop(self, first: str = "/loop/a", second: str = "/loop/b") -> str:
        """``first`` redirects to ``second`` and back: a client must notice and stop."""
        self.redirect(first, second, 302)
        self.redirect(second, first, 302)
        return self.url(first)

    def redirect_chain(self, prefix: str, hops: int, final_body: bytes | str = b"<p>akhir</p>") -> str:
        """``prefix/0`` -> ``prefix/1`` -> ... -> ``prefix/<hops>``, which answers 200."""
        for hop in range(hops):
            self.redirect(f"{prefix}/{hop}", f"{prefix}/{hop + 1}", 302)
        self.route(f"{prefix}/{hops}", final_body)
        return self.url(f"{prefix}/0")

    def huge(self, path: str, size: int, chunk: int = 64 << 10, declare_length: bool = True) -> str:
        """A body of ``size`` bytes written in pieces, with or without ``Content-Length`` (chunked)."""
        def handler(_request: Request) -> Reply:
            return Reply(chunks=_pieces(size, chunk), length=size if declare_length else None,
                         content_type="application/octet-stream")

        return self.route(path, handler=handler)

    def conditional(self, path: str, body: bytes | str, etag: str | None = '"v1"',
                    last_modified: str | None = "Mon, 02 Dec 2024 08:00:00 GMT") -> str:
        """200 with validators; 304 when ``If-None-Match`` matches, or without it ``If-Modified-Since`` is not older."""
        payload = _bytes(body)
        validators = {name: value for name, value in (("ETag", etag), ("Last-Modified", last_modified)) if value}

        def handler(request: Request) -> Reply:
            match = request.header("if-none-match")
            since = request.header("if-modified-since")
            if match is not None:
                tags = {tag.strip() for tag in match.split(",")}
                fresh = "*" in tags or (etag is not None and etag in tags)
            elif since is not None and last_modified is not None:
                fresh = _http_date(since) >= _http_date(last_modified)
            else:
                fresh = False
            if fresh:
                return Reply(304, b"", validators, content_type=None)
            return Reply(200, payload, validators)

        return self.route(path, handler=handler)

    def gzipped(self, path: str, body: bytes | str, content_type: str | None = HTML) -> str:
        """``Content-Encoding: gzip``: a client decodes it transparently."""
        return self.route(path, gzip.compress(_bytes(body)), headers={"Content-Encoding": "gzip"},
                          content_type=content_type)

    def gzip_file(self, path: str, body: bytes | str) -> str:
        """A ``.gz`` file as such (``application/gzip``, no Content-Encoding): the client must keep it compressed."""
        return self.route(path, gzip.compress(_bytes(body)), content_type="application/gzip")

    # -- the log ----------------------------------------------------------------------------
    def requests_for(self, path: str) -> list[Request]:
        """Requests whose path (query ignored) is ``path``."""
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def hits(self, path: str) -> int:
        return len(self.requests_for(path))

    def paths(self) -> list[str]:
        with self._lock:
            return [request.path for request in self.requests]

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    def wait_finished(self, path: str, timeout: float = 5.0) -> Request | None:
        """The last request for ``path`` once its reply has ended (the handler runs on after the client left)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.requests_for(path)
            if found and found[-1].completed is not None:
                return found[-1]
            time.sleep(0.01)
        return None

    # -- life -------------------------------------------------------------------------------
    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FixtureServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- used by the handler ------------------------------------------------------------------
    def _log(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _find(self, target: str, path: str) -> Handler | None:
        with self._lock:
            return self._routes.get(target) or self._routes.get(path)

    def _sleep(self, seconds: float) -> bool:
        """Sleeps unless the server stops first; true when it is stopping."""
        return self._stopping.wait(seconds) if seconds > 0 else self._stopping.is_set()


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fixture: FixtureServer

    def log_message(self, format: str, *args: object) -> None:
        pass  # the fixture keeps its own log; stderr noise would hide test output

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        arrived = time.monotonic()
        path = urlsplit(self.path).path
        request = Request(self.command, self.path, path, {name.lower(): value for name, value in self.headers.items()},
                          arrived, self.fixture.port)
        self.fixture._log(request)
        handler = self.fixture._find(self.path, path)
        reply = handler(request) if handler else Reply(404, b"<p>tidak ditemukan</p>")
        if self.fixture._sleep(reply.delay) or reply.drop:
            request.completed = False
            request.finished = time.monotonic()
            self.close_connection = True
            return
        request.status = reply.status
        try:
            request.completed = self._write(reply, head, request)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            request.completed = False
            self.close_connection = True
        request.finished = time.monotonic()

    def _write(self, reply: Reply, head: bool, request: Request) -> bool:
        self.send_response(reply.status)
        if reply.content_type and "content-type" not in {name.lower() for name in reply.headers}:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        bodyless = reply.status == 304 or reply.status < 200 or head
        if reply.chunks is None:
            if reply.status != 304:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if not bodyless and reply.body:
                self.wfile.write(reply.body)
                request.sent = len(reply.body)
            self.wfile.flush()
            return True
        chunked = reply.length is None
        self.send_header("Transfer-Encoding", "chunked") if chunked else self.send_header("Content-Length",
                                                                                          str(reply.length))
        self.end_headers()
        if bodyless:
            return True
        for index, piece in enumerate(reply.chunks):
            if index and self.fixture._sleep(reply.chunk_delay):
                self.close_connection = True
                return False
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            self.wfile.flush()
            request.sent += len(piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        return True


class ServerFactory:
    """Makes servers on demand (``factory()`` or ``factory.many(2)``) and stops them all at the end."""

    def __init__(self) -> None:
        self.servers: list[FixtureServer] = []

    def __call__(self) -> FixtureServer:
        server = FixtureServer()
        self.servers.append(server)
        return server

    def many(self, count: int) -> list[FixtureServer]:
        return [self() for _ in range(count)]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


def _bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def _pieces(size: int, chunk: int) -> Iterator[bytes]:
    block = b"x" * chunk
    left = size
    while left > 0:
        yield block[:left] if left < chunk else block
        left -= chunk


def _http_date(value: str) -> float:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return float("-inf")
    return parsed.timestamp()


def http_date(seconds_from_now: float) -> str:
    """An HTTP date ``seconds_from_now`` ahead (for ``Retry-After`` as a date)."""
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


# Invented pages in the style of local news, for routes that need a page that looks like one.
ARTICLE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Polres Contoh Amankan Dua Pengedar</title></head>
<body><article><h1>Polres Contoh Amankan Dua Pengedar</h1>
<p>Kota Contoh - Satuan Reserse Narkoba Polres Contoh mengamankan dua orang berinisial XY dan ZA
di sebuah rumah kos, Selasa (3/12/2024). Petugas menemukan 4 gram sabu di dalam kotak rokok.</p>
<p>"Kami masih mendalami asal barang tersebut," ujar Kasat Resnarkoba, AKP Fiktif Santoso.</p>
</article></body></html>
"""

ARTICLE_LATIN1 = ("<html><head><meta charset=\"iso-8859-1\"><title>Razia di Pasar</title></head>"
                  "<body><p>Petugas memeriksa kios caf\u00e9 dan toko \u00e0 la carte di pasar lama.</p>"
                  "</body></html>").encode("latin-1")
