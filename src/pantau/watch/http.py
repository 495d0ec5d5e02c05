"""The collector's HTTP layer: polite, bounded fetching of news pages, feeds and sitemaps.

A continuous collector visits the same sites every few minutes for months, so it must be a guest
they do not notice: it says who it is (``User-Agent`` with a contact URL), reads and obeys
robots.txt (``Crawl-delay`` included), leaves ``host_delay`` seconds between the starts of two
requests to one host and keeps ``host_concurrency`` (one) in flight there, backs off on 429 and 5xx
(``Retry-After`` honoured, and it holds back every thread's next request to that host, not only
the one that was told), asks conditionally (``If-None-Match`` / ``If-Modified-Since``) so an
unchanged feed costs a 304, and gives up on a body past ``max_bytes`` or an exchange past
``timeout`` instead of holding a thread. Each failure is a :class:`FetchError` whose ``reason`` is
short enough for the store and whose ``retryable`` says whether a later round may succeed.

robots.txt follows Google's reading (RFC 9309): fetched once per host and kept ``robots_ttl``;
a 4xx (no file) allows everything; a 5xx, a 429 or an unreachable host disallows everything for
``robots_error_ttl`` (one round, in practice), since an overloaded site is the one to leave alone.
It is fetched in one attempt, without the page retries: a waiting robots.txt would hold the round.

The body is read raw (still gzip-compressed if the server compressed it) and decoded here, so the
size limit applies on the wire and after decompression (a small gzip bomb is refused too) and the
WARC archive keeps the bytes the server sent. Only gzip and deflate are asked for.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from pantau import __version__
from pantau.vocab import load_toml

if TYPE_CHECKING:
    from pantau.watch.archive import WarcArchive

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_LOG_SIZE = 10_000


def default_user_agent() -> str:
    return str(load_toml("watch")["fetch"]["user_agent"]).replace("{version}", __version__)


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how far to fetch. :meth:`from_data` gives the defaults of ``data/watch.toml`` ``[fetch]``."""

    user_agent: str = field(default_factory=default_user_agent)
    timeout: float = 20.0
    max_bytes: int = 8 << 20
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 120.0
    host_delay: float = 1.0
    host_concurrency: int = 1
    robots_max_bytes: int = 512 << 10
    max_crawl_delay: float = 60.0
    robots_ttl: float = 86400.0
    robots_error_ttl: float = 600.0
    retry_statuses: frozenset[int] = frozenset({408, 425, 429, 500, 502, 503, 504})
    obey_robots: bool = True  # off only for a site's owner fetching their own pages, never by default

    def __post_init__(self) -> None:
        if self.host_concurrency < 1:
            raise ValueError("host_concurrency must be at least 1")
        if min(self.timeout, self.max_bytes, self.max_redirects + 1, self.retries + 1) <= 0:
            raise ValueError("timeout and max_bytes must be positive; max_redirects and retries not negative")

    @property
    def robots_token(self) -> str:
        """The product token robots.txt groups are matched against ("pantau"), as RFC 9309 asks: matched
        against the whole user agent, a group for "github" or "news" would catch us through the contact URL."""
        token = self.user_agent.strip().split("/", 1)[0].split()
        return token[0] if token else self.user_agent

    @classmethod
    def from_data(cls, **overrides: Any) -> FetchPolicy:
        """The policy of ``data/watch.toml`` ``[fetch]``, with ``overrides`` (field names) on top."""
        data = dict(load_toml("watch").get("fetch", {}))
        known = {item.name for item in fields(cls)}
        unknown = (set(data) | set(overrides)) - known
        if unknown:
            raise ValueError(f"unknown fetch settings: {', '.join(sorted(unknown))}")
        if "user_agent" in data:
            data["user_agent"] = str(data["user_agent"]).replace("{version}", __version__)
        if "retry_statuses" in data:
            data["retry_statuses"] = frozenset(int(code) for code in data["retry_statuses"])
        data.update(overrides)
        if "retry_statuses" in overrides:
            data["retry_statuses"] = frozenset(overrides["retry_statuses"])
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Response:
    """A completed fetch: 200-range with its decoded body, or 304 (``not_modified``) with none."""

    url: str  # final URL after redirects
    requested: str
    status: int
    headers: Mapping[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes  # Content-Encoding undone; b"" for 304
    fetched_at: datetime  # UTC, aware
    redirects: tuple[str, ...] = ()  # the URLs passed through before ``url``
    attempts: int = 1  # requests made for the final URL (1 + retries)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        """The media type without parameters, lower case (``text/html``)."""
        value = self.headers.get("content-type")
        return value.split(";", 1)[0].strip().lower() or None if value else None

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of Content-Type, if the server named one."""
        for parameter in (self.headers.get("content-type") or "").split(";")[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


class FetchError(Exception):
    """A fetch that produced no usable response. ``reason`` is short, for the store ("HTTP 404", "timeout")."""

    def __init__(self, url: str, reason: str, *, status: int | None = None, retryable: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(f"{reason}: {url}")
        self.url = url
        self.reason = reason
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after  # seconds the server asked us to wait, when it did


class RobotsForbidden(FetchError):
    """robots.txt does not let us fetch this URL (or could not be read: then ``retryable``)."""


@dataclass(slots=True)
class _Raw:
    """One HTTP exchange as it went over the wire."""

    url: str
    status: int
    reason: str
    http_version: str
    headers: httpx.Headers
    request_headers: list[tuple[str, str]]
    wire: bytes  # as received, Content-Encoding still applied
    truncated: bool  # robots.txt past its limit: only its beginning was read
    body: bytes  # decoded
    fetched_at: datetime
    address: str | None


@dataclass(slots=True)
class _Robots:
    parser: Protego | None  # None: everything allowed (no robots.txt)
    forbid_all: bool
    expires: float
    reason: str = ""


class _Host:
    """One host's politeness state: its in-flight slots, the next allowed start, its robots.txt."""

    def __init__(self, concurrency: int) -> None:
        self.slots = threading.BoundedSemaphore(concurrency)
        self.lock = threading.Lock()
        self.robots_lock = threading.Lock()
        self.last_start = float("-inf")
        self.not_before = float("-inf")  # no request starts before (a short Retry-After or back-off)
        self.closed_until = float("-inf")  # requests fail at once before (a Retry-After too long to wait)
        self.crawl_delay = 0.0
        self.robots: _Robots | None = None

    def hold(self, until: float) -> None:
        """No request starts on this host before ``until`` (a Retry-After or a back-off)."""
        with self.lock:
            self.not_before = max(self.not_before, until)

    def close_until(self, until: float) -> None:
        with self.lock:
            self.closed_until = max(self.closed_until, until)


class Fetcher:
    """Polite HTTP GET for many hosts at once; thread-safe (one instance serves a thread pool).

    ``archive`` receives every completed exchange and stays the caller's to close. ``sleep`` and
    ``clock`` are the waiting and the monotonic time the politeness rules use (tests pass fakes);
    ``transport`` is httpx's, for tests that need no sockets.
    """

    def __init__(self, policy: FetchPolicy | None = None, *, archive: WarcArchive | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.policy = policy or FetchPolicy.from_data()
        self._archive = archive
        self._sleep = sleep
        self._clock = clock
        self._random = random.Random()
        self._hosts: dict[tuple[str, str, int], _Host] = {}
        self._hosts_lock = threading.Lock()
        # bounded: a collector runs for months; tests and diagnostics only need the recent requests
        self._log: deque[tuple[str, float]] = deque(maxlen=_LOG_SIZE)
        self._log_lock = threading.Lock()
        # redirects are followed here, not by httpx, to count them, catch loops and check robots.txt on each hop;
        # proxies from the environment are ignored: the collector talks to the sites themselves
        self._client = httpx.Client(
            follow_redirects=False, trust_env=False, transport=transport,
            timeout=httpx.Timeout(self.policy.timeout),
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate",
                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                     "Accept-Language": "id,en;q=0.5"},
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )

    # -- public ----------------------------------------------------------------------------------
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            delay: float | None = None) -> Response:
        """Fetch ``url`` (following redirects): a 2xx :class:`Response`, a 304 one when the validators match,
        or :class:`FetchError`. ``delay`` is the source's own pause between requests to its host."""
        _check_url(url)
        conditional = {"If-None-Match": etag, "If-Modified-Since": last_modified}
        headers = {name: value for name, value in conditional.items() if value}
        current = url
        seen = {_loop_key(url)}
        passed: list[str] = []
        while True:
            if not self.allowed(current):
                robots = self._host(current).robots
                retryable = bool(robots and robots.forbid_all and robots.reason)
                reason = f"robots.txt unavailable ({robots.reason})" if retryable and robots else "robots.txt forbids"
                raise RobotsForbidden(current, reason, retryable=retryable)
            raw, attempts = self._with_retries(current, headers, delay)
            location = raw.headers.get("location")
            if raw.status in _REDIRECTS and location:
                target = urljoin(current, location.strip())
                if urlsplit(target).scheme.lower() not in _SCHEMES:
                    raise FetchError(url, "redirect to a non-http URL", status=raw.status)
                if _loop_key(target) in seen:
                    raise FetchError(url, "redirect loop", status=raw.status)
                if len(passed) >= self.policy.max_redirects:
                    raise FetchError(url, "too many redirects", status=raw.status)
                seen.add(_loop_key(target))
                passed.append(current)
                current = target
                continue
            if raw.status == 304 or 200 <= raw.status < 300:
                body = b"" if raw.status == 304 else raw.body
                return Response(current, url, raw.status, _lower(raw.headers), body, raw.fetched_at,
                                tuple(passed), attempts)
            raise FetchError(current, f"HTTP {raw.status}", status=raw.status)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (reads the host's robots.txt when not known yet)."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
            return False
        if not self.policy.obey_robots:
            return True
        robots = self._robots(url)
        if robots.forbid_all:
            return False
        return robots.parser is None or robots.parser.can_fetch(url, self.policy.robots_token)

    def robots_sitemaps(self, url: str) -> list[str]:
        """The ``Sitemap:`` URLs in the robots.txt of ``url``'s host (read when not known yet), in file order."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
            return []
        robots = self._robots(url)
        if robots.parser is None:
            return []
        return [urljoin(url, sitemap.strip()) for sitemap in robots.parser.sitemaps if sitemap.strip()]

    def request_log(self) -> list[tuple[str, float]]:
        """The requests made (the last 10,000), robots.txt included: (URL, clock time of its start), in start order."""
        with self._log_lock:
            return sorted(self._log, key=lambda entry: entry[1])

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- robots.txt ------------------------------------------------------------------------------
    def _robots(self, url: str) -> _Robots:
        host = self._host(url)
        with host.robots_lock:  # one thread reads it, the others wait for its answer
            if host.robots is None or host.robots.expires <= self._clock():
                host.robots = self._read_robots(url)
                delay = 0.0
                if host.robots.parser is not None:
                    rate = host.robots.parser.request_rate(self.policy.robots_token)
                    crawl = host.robots.parser.crawl_delay(self.policy.robots_token) or 0.0
                    per_request = rate.seconds / rate.requests if rate and rate.requests else 0.0
                    delay = min(max(float(crawl), per_request), self.policy.max_crawl_delay)
                host.crawl_delay = delay
            return host.robots

    def _read_robots(self, url: str) -> _Robots:
        parts = urlsplit(url)
        current = f"{parts.scheme.lower()}://{parts.netloc}/robots.txt"
        now = self._clock()
        for _hop in range(self.policy.max_redirects + 1):
            try:
                raw = self._exchange(current, {}, None, limit=self.policy.robots_max_bytes, cut=True)
            except FetchError as error:
                return _Robots(None, True, now + self.policy.robots_error_ttl, error.reason)
            location = raw.headers.get("location")
            if raw.status in _REDIRECTS and location:
                current = urljoin(current, location.strip())
                if urlsplit(current).scheme.lower() not in _SCHEMES:
                    break
                continue
            if 200 <= raw.status < 300:
                text = raw.body.decode("utf-8", errors="replace").lstrip("\ufeff")
                return _Robots(Protego.parse(text), False, now + self.policy.robots_ttl)
            if raw.status == 429 or raw.status >= 500:
                return _Robots(None, True, now + self.policy.robots_error_ttl, f"HTTP {raw.status}")
            return _Robots(None, False, now + self.policy.robots_ttl)  # 4xx: no rules
        return _Robots(None, False, now + self.policy.robots_ttl)  # endless redirects count as no file (RFC 9309)

    # -- one URL, with retries ---------------------------------------------------------------------
    def _with_retries(self, url: str, headers: Mapping[str, str], delay: float | None) -> tuple[_Raw, int]:
        host = self._host(url)
        attempt = 0
        while True:
            closed = host.closed_until - self._clock()
            if closed > 0:  # the server asked for a pause longer than we wait: no request until it is over
                raise FetchError(url, "server asked to wait", retryable=True, retry_after=closed)
            attempt += 1
            wait: float | None = None
            try:
                raw = self._exchange(url, headers, delay)
            except FetchError as error:
                failure = error
                if not error.retryable or error.reason == "timeout":
                    raise  # a timeout already cost ``timeout`` seconds: the next round tries again
            else:
                if raw.status not in self.policy.retry_statuses:
                    return raw, attempt
                wait = _retry_after(raw.headers.get("retry-after"))
                failure = FetchError(url, f"HTTP {raw.status}", status=raw.status, retryable=True, retry_after=wait)
            if wait is not None and (attempt > self.policy.retries or wait > self.policy.max_retry_after):
                # an explicit Retry-After binds the whole host, this round's other URLs there included
                host.close_until(self._clock() + wait)
                raise failure
            if attempt > self.policy.retries:
                raise failure
            if wait is None:
                wait = self.policy.backoff * 2 ** (attempt - 1) * (1 + self._random.uniform(0, 0.5))
            # the whole host waits: another thread's request there would only meet the same refusal
            host.hold(self._clock() + wait)

    # -- one request -----------------------------------------------------------------------------
    def _exchange(self, url: str, headers: Mapping[str, str], delay: float | None, *,
                  limit: int | None = None, cut: bool = False) -> _Raw:
        """One request under the host's politeness rules; the body bounded by size and by ``timeout``."""
        limit = limit or self.policy.max_bytes
        with self._slot(url, delay):
            started = time.monotonic()  # the deadline is real time whatever clock the tests give
            try:
                request = self._client.build_request("GET", url, headers=dict(headers))
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
                raise FetchError(url, "bad URL") from error
            except (UnicodeError, ValueError) as error:  # a header value that HTTP cannot carry
                raise FetchError(url, "bad request") from error
            try:
                response = self._client.send(request, stream=True)
            except httpx.TimeoutException as error:
                raise FetchError(url, "timeout", retryable=True) from error
            except httpx.UnsupportedProtocol as error:
                raise FetchError(url, "bad URL") from error
            except httpx.LocalProtocolError as error:  # our request is at fault: sending it again will not help
                raise FetchError(url, "bad request") from error
            except (httpx.TransportError, OSError) as error:
                raise FetchError(url, _transport_reason(error), retryable=True) from error
            address = _peer(response)  # before the body: a cut-off body closes the socket
            try:
                wire, body, truncated = self._read_body(url, response, limit, cut, started)
            finally:
                response.close()  # a body left unread closes the connection instead of returning it to the pool
            raw = _Raw(url, response.status_code, response.reason_phrase, response.http_version, response.headers,
                       [(name, value) for name, value in request.headers.multi_items()], wire, truncated, body,
                       datetime.now(UTC), address)
        if self._archive is not None:
            self._archive.write_exchange(raw.url, raw.request_headers, raw.http_version, raw.status, raw.reason,
                                         list(raw.headers.multi_items()), raw.wire, raw.fetched_at, raw.address,
                                         truncated=raw.truncated)
        return raw

    def _read_body(self, url: str, response: httpx.Response, limit: int, cut: bool,
                   started: float) -> tuple[bytes, bytes, bool]:
        declared = response.headers.get("content-length", "")
        if not cut and declared.strip().isdigit() and int(declared) > limit:
            raise FetchError(url, "too large", status=response.status_code)
        decoder = _Decoder(response.headers.get("content-encoding", ""), limit)
        wire = bytearray()
        truncated = False
        try:
            for chunk in response.iter_raw():  # as it arrives: a chunk size would wait to fill it, past the deadline
                wire += chunk
                decoder.feed(chunk)
                if len(wire) > limit or decoder.size > limit:
                    if cut:  # robots.txt: the first ``limit`` bytes are what counts
                        truncated = True
                        break
                    raise FetchError(url, "too large", status=response.status_code)
                if time.monotonic() - started > self.policy.timeout:
                    raise FetchError(url, "timeout", status=response.status_code, retryable=True)
        except httpx.TimeoutException as error:
            raise FetchError(url, "timeout", status=response.status_code, retryable=True) from error
        except (httpx.TransportError, OSError) as error:
            raise FetchError(url, _transport_reason(error), status=response.status_code, retryable=True) from error
        except zlib.error as error:
            raise FetchError(url, "bad compressed body", status=response.status_code) from error
        body = decoder.finish()
        return bytes(wire[:limit] if cut else wire), body[:limit] if cut else body, truncated

    # -- politeness --------------------------------------------------------------------------------
    def _host(self, url: str) -> _Host:
        key = _host_key(url)
        with self._hosts_lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(self.policy.host_concurrency)
            return host

    @contextmanager
    def _slot(self, url: str, delay: float | None) -> Iterator[None]:
        """Hold one of the host's slots, starting no sooner than its delay after the previous start."""
        host = self._host(url)
        with host.slots:
            gap = max(self.policy.host_delay, delay or 0.0, host.crawl_delay)
            with host.lock:
                now = self._clock()
                start = max(now, host.last_start + gap, host.not_before)
                host.last_start = start
            if start > now:
                self._sleep(start - now)
            # a sleep that overslept moves the start, and the next gap counts from the real one;
            # with a fake sleep the clock has not moved, and the planned start is the one that counts
            actual = max(start, self._clock())
            with host.lock:
                host.last_start = max(host.last_start, actual)
            with self._log_lock:
                self._log.append((url, actual))
            yield


class _Decoder:
    """Undoes gzip/deflate Content-Encoding incrementally, never producing more than ``limit`` + 1 bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        codings = [part.strip().lower() for part in encoding.split(",") if part.strip()]
        codings = [coding for coding in codings if coding != "identity"]
        self._limit = limit
        self._out = bytearray()
        self._raw_deflate = False
        self._zlib: Any = None
        self._pending = b""
        if codings in (["gzip"], ["x-gzip"]):
            self._zlib = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        elif codings == ["deflate"]:
            self._zlib = zlib.decompressobj()
        self._passthrough = self._zlib is None  # identity, or an encoding we did not ask for: kept as sent

    @property
    def size(self) -> int:
        return len(self._out)

    def feed(self, chunk: bytes) -> None:
        if self._passthrough:
            self._out += chunk
            return
        room = max(1, self._limit + 1 - len(self._out))  # 0 would mean "no limit" to zlib
        try:
            data = self._zlib.decompress(self._pending + chunk, room)
        except zlib.error:
            if self._raw_deflate or self._out:
                raise
            # "deflate" is sent without the zlib header by some servers
            self._raw_deflate = True
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            data = self._zlib.decompress(self._pending + chunk, room)
        self._pending = self._zlib.unconsumed_tail
        self._out += data

    def finish(self) -> bytes:
        if not self._passthrough and not self._pending:
            self._out += self._zlib.flush()
        return bytes(self._out)


def _host_key(url: str) -> tuple[str, str, int]:
    """robots.txt and politeness are per scheme, host and port (RFC 9309)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme, 0)


def _loop_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path or '/'}?{parts.query}"


def _peer(response: httpx.Response) -> str | None:
    """The server's IP address, for the archive (WARC-IP-Address)."""
    network = response.extensions.get("network_stream")
    try:
        peer = network.get_extra_info("server_addr") if network is not None else None
    except OSError:
        return None
    return str(peer[0]) if isinstance(peer, tuple) and peer else None


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        raise FetchError(url, "bad URL")


def _lower(headers: httpx.Headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _transport_reason(error: BaseException) -> str:
    if isinstance(error, httpx.ConnectError):
        return "connection failed"
    if isinstance(error, httpx.RemoteProtocolError):
        return "protocol error"
    if isinstance(error, httpx.ReadError):
        return "connection broken"
    return "network error"
