"""One collection round: discover new article URLs, fetch them politely, ingest them through the store.

A round has three steps. **Discovery** reads every enabled source's feeds, sitemaps and listing pages
(conditional GET, nested sitemaps followed) on a thread per host, and records each new canonical URL
as *pending* in the store. **Fetching** takes each source's due URLs (pending, or failed fewer than
``max_attempts`` times), one thread per host so one slow outlet never holds up the others, while the
fetcher keeps each host's delay, robots.txt and limits. **Ingesting** runs on the calling thread: the
pages go through the same extraction and batch writer as ``pantau ingest``, and each URL's new status
commits in the transaction of its article. A collector killed at any point loses at most the batch in
flight; the next round fetches what is still pending and never fetches an ingested URL again.
"""

from __future__ import annotations

import logging
import queue
import signal
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine

from pantau.ingest.document import Document, Skipped, content_id
from pantau.ingest.encoding import BinaryContent, decode_bytes
from pantau.store.alerts import refresh_alerts, run_days
from pantau.store.db import StatisticsKeeper, refresh_planner_statistics
from pantau.store.ingest import IngestSummary, _batches, _extracted, write_batch
from pantau.store.stories import DEFAULT_THRESHOLD
from pantau.store.watch import (
    FAILED,
    FORBIDDEN,
    INGESTED,
    SKIPPED,
    UrlOutcome,
    add_pending,
    due_urls,
    feed_validators,
    mark_urls,
    record_round,
    save_feed,
    sync_sources,
)
from pantau.store.writer import OK, UNCHANGED, UPDATED
from pantau.watch.canonical import canonical_url, site_matcher, url_key
from pantau.watch.discover import Discovered, DiscoveryError, feed_links, listing_links, parse_sitemap
from pantau.watch.http import Fetcher, FetchError, Response, RobotsForbidden
from pantau.watch.sources import Source, SourcesConfig

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
_PUT_WAIT = 0.2  # seconds a fetch thread waits for room in the queue before checking for an abort
_GIVE_UP = {400, 401, 403, 404, 405, 410, 414, 451}  # a later attempt would get the same answer
_END = object()


class Stopped(Exception):
    """Raised out of the fetcher's waits once a stop is requested: no new request starts after it."""


def interruptible_sleep(stop: threading.Event) -> Callable[[float], None]:
    """A sleep for :class:`Fetcher` that ends, raising :class:`Stopped`, as soon as ``stop`` is set: a
    politeness delay or a server's Retry-After never holds up a SIGTERM, and no request is made after it."""

    def sleep(seconds: float) -> None:
        if stop.wait(seconds):
            raise Stopped

    return sleep


@dataclass(slots=True)
class SourceRound:
    """What one round did for one source: what ``pantau sources`` shows."""

    key: str
    visited: bool = False  # discovery ran for it this round (a round stopped early may not reach it)
    seen: int = 0  # article URLs its feeds, sitemaps and listings list this round
    discovered: int = 0  # of them, not known to the store before
    fetched: int = 0
    ingested: int = 0  # articles stored for the first time
    updated: int = 0
    skipped: int = 0
    forbidden: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def error(self) -> str | None:
        return "; ".join(self.errors) if self.errors else None


@dataclass(slots=True)
class RoundSummary:
    number: int
    run_id: str
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    sources: dict[str, SourceRound] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    stopped: bool = False  # ended early by a stop request
    alerts: int = 0

    def total(self, name: str) -> int:
        return sum(getattr(source, name) for source in self.sources.values())

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def rate(self) -> float:
        """Articles stored (new or updated) per second of the round."""
        elapsed = self.elapsed
        return (self.total("ingested") + self.total("updated")) / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        failed = self.total("failed")
        return (f"round {self.number}: {len(self.sources)} sources, {self.total('seen')} listed, "
                f"{self.total('discovered')} discovered, {self.total('ingested')} new articles, "
                f"{self.total('updated')} updated, {failed} failed, {self.rate:.1f} articles/s"
                + (" (stopped)" if self.stopped else ""))


@dataclass(frozen=True, slots=True)
class _Fetched:
    source: str
    url_key: str
    item: Document | Skipped
    outcome: UrlOutcome | None  # set when the fetch itself decided the URL's status (failure, robots, not HTML)
    seconds: float = 0.0  # spent fetching it, delays included


class Collector:
    """Runs rounds over a sources configuration into one store; reusable across rounds."""

    def __init__(self, engine: Engine, config: SourcesConfig, fetcher: Fetcher, *, workers: int = 1,
                 batch_size: int = 50, threshold: float = DEFAULT_THRESHOLD, fetch_threads: int = 8,
                 stop: threading.Event | None = None,
                 on_progress: Callable[[RoundSummary], None] | None = None) -> None:
        self.engine = engine
        self.config = config
        self.fetcher = fetcher
        self.workers = workers
        self.batch_size = batch_size
        self.threshold = threshold
        self.fetch_threads = max(1, fetch_threads)
        self.stop = stop or threading.Event()
        self.on_progress = on_progress
        self.rounds = 0
        self.statistics = StatisticsKeeper(engine)  # across rounds: a first round may hold a whole archive

    # -- the round ------------------------------------------------------------------------------

    def run_round(self) -> RoundSummary:
        self.rounds += 1
        summary = RoundSummary(self.rounds, uuid.uuid4().hex[:12])
        sources = self.config.enabled
        summary.sources = {source.key: SourceRound(source.key) for source in sources}
        with self.engine.begin() as conn:
            sync_sources(conn, [(source.key, source.name, source.enabled) for source in self.config.sources])
        started = time.monotonic()
        self._discover(sources, summary)
        summary.timings["discover"] += time.monotonic() - started
        if not self.stop.is_set():
            self._fetch_and_ingest(sources, summary)
        summary.stopped = self.stop.is_set()
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            for source in sources:
                result = summary.sources[source.key]
                if result.visited:
                    record_round(conn, source.key, seen=result.seen, new=result.ingested, failed=result.failed,
                                 error=result.error, at=now)
            if summary.total("ingested") or summary.total("updated"):
                started = time.monotonic()
                summary.alerts = len(refresh_alerts(conn, run_days(conn, summary.run_id)).new)
                summary.timings["alerts"] += time.monotonic() - started
        refresh_planner_statistics(self.engine)
        summary.finished = time.monotonic()
        return summary

    # -- discovery ------------------------------------------------------------------------------

    def _discover(self, sources: tuple[Source, ...], summary: RoundSummary) -> None:
        documents = [url for source in sources for url in (*source.feeds, *source.sitemaps)]
        with self.engine.connect() as conn:
            validators = feed_validators(conn, [url_key(url) for url in documents])
        by_host: dict[str, list[Source]] = defaultdict(list)
        for source in sources:
            by_host[_host(next(iter((*source.feeds, *source.sitemaps, *source.listings))))].append(source)
        with ThreadPoolExecutor(min(self.fetch_threads, len(by_host) or 1), thread_name_prefix="discover") as pool:
            futures = [pool.submit(self._discover_sources, group, validators) for group in by_host.values()]
            for future in futures:
                for source, found, checked, errors in future.result():
                    summary.sources[source.key].errors.extend(errors)
                    self._record_discovery(source, found, checked, summary.sources[source.key])

    def _discover_sources(self, sources: list[Source], validators: dict[str, tuple[str | None, str | None]]
                          ) -> list[tuple[Source, list[Discovered], list[_Checked], list[str]]]:
        results = []
        for source in sources:
            if self.stop.is_set():
                break
            try:
                results.append((source, *self._discover_source(source, validators)))
            except Exception as error:  # one source's bug or bad data never ends the round for the others
                log.exception("discovery failed for source %s", source.key)
                results.append((source, [], [], [f"discovery failed: {type(error).__name__}: {error}"]))
        return results

    def _discover_source(self, source: Source, validators: dict[str, tuple[str | None, str | None]]
                         ) -> tuple[list[Discovered], list[_Checked], list[str]]:
        """A source's article links, its feeds and sitemaps with their responses, and errors."""
        found: list[Discovered] = []
        checked: list[_Checked] = []
        errors: list[str] = []
        on_site = site_matcher(source.hosts)

        def get(url: str, conditional: bool) -> Response | None:
            etag, modified = validators.get(url_key(url), (None, None)) if conditional else (None, None)
            try:
                response = self.fetcher.get(url, etag=etag, last_modified=modified, delay=source.delay)
            except Stopped:
                return None
            except FetchError as error:
                errors.append(f"{url}: {error.reason}")
                return None
            checked.append(_Checked(url, response))
            return response

        for feed in source.feeds:
            if self.stop.is_set():
                break
            response = get(feed, True)
            if response is not None and not response.not_modified:
                try:
                    found.extend(feed_links(response.body, response.url))
                except DiscoveryError as error:
                    errors.append(f"{feed}: {error}")
        pending = list(source.sitemaps)
        if source.robots_sitemaps is not None:
            pending.extend(self._declared_sitemaps(source, pending, on_site))
        followed: set[str] = set()
        while pending and len(followed) < self.config.max_sitemaps and not self.stop.is_set():
            sitemap = pending.pop(0)
            if sitemap in followed:
                continue
            followed.add(sitemap)
            response = get(sitemap, True)
            if response is None or response.not_modified:
                continue
            try:
                content = parse_sitemap(response.body, response.url)
            except DiscoveryError as error:
                errors.append(f"{sitemap}: {error}")
                continue
            found.extend(content.articles)
            if content.sitemaps:
                # an index is read whole every round: a 304 for it would hide its children, which change
                # (and may have failed) without it
                checked[-1] = _Checked(sitemap, response, keep_validators=False)
            pending.extend(url for url in content.sitemaps if on_site(url) and url not in followed)
        for listing in source.listings:
            if self.stop.is_set():
                break
            response = get(listing, False)
            if response is not None and source.article_pattern is not None:
                try:
                    found.extend(listing_links(response.body, response.url, source.article_pattern))
                except DiscoveryError as error:
                    errors.append(f"{listing}: {error}")
        return found, checked, errors

    def _declared_sitemaps(self, source: Source, known: list[str], on_site: Callable[[str], bool]) -> list[str]:
        """The sitemaps its hosts' robots.txt files declare whose URL matches the source's pattern (an outlet
        names its news sitemap there): new article URLs without anyone writing the sitemap's address down."""
        assert source.robots_sitemaps is not None
        found: list[str] = []
        roots = dict.fromkeys(f"{parts.scheme}://{parts.netloc}/" for parts in map(
            urlsplit, (*source.feeds, *source.sitemaps, *source.listings)))
        for root in roots:
            try:
                declared = self.fetcher.robots_sitemaps(root)
            except Stopped:
                break
            found.extend(url for url in declared if source.robots_sitemaps.search(url)
                         and on_site(url) and url not in known and url not in found)
        return found

    def _record_discovery(self, source: Source, found: list[Discovered], checked: list[_Checked],
                          result: SourceRound) -> None:
        result.visited = True
        rows: dict[str, tuple[str, str, str, str | None]] = {}
        on_site = site_matcher(source.hosts)
        for item in found:
            if not on_site(item.url) or not source.wants(item.url):
                continue
            try:
                canonical = canonical_url(item.url)
            except ValueError:  # not a web address after all
                continue
            key = url_key(canonical)
            rows.setdefault(key, (key, canonical, source.key, item.published))
        result.seen = len(rows)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            for document in checked:
                response = document.response
                keep = document.keep_validators
                save_feed(conn, url_key=url_key(document.url), url=document.url, source=source.key,
                          etag=response.etag if keep else None,
                          last_modified=response.last_modified if keep else None,
                          http_status=response.status, at=now)
            result.discovered = add_pending(conn, list(rows.values()), now)

    # -- fetching and ingesting -------------------------------------------------------------------

    def _fetch_and_ingest(self, sources: tuple[Source, ...], summary: RoundSummary) -> None:
        due: dict[str, list[tuple[Source, str, str]]] = defaultdict(list)
        with self.engine.connect() as conn:
            for source in sources:
                for key, url in due_urls(conn, source.key, limit=source.max_items,
                                         max_attempts=self.config.max_attempts):
                    due[_host(url)].append((source, key, url))
        if not due:
            return
        results: queue.Queue[_Fetched | object] = queue.Queue(maxsize=max(4, self.batch_size * 2))
        hosts = list(due.values())
        abort = threading.Event()  # the consumer failed: fetch threads stop and never block on the queue

        def put(item: _Fetched | object) -> None:
            while not abort.is_set():
                try:
                    results.put(item, timeout=_PUT_WAIT)
                    return
                except queue.Full:
                    continue

        def fetch_host(tasks: list[tuple[Source, str, str]]) -> None:
            try:
                for source, key, url in tasks:
                    if self.stop.is_set() or abort.is_set():
                        break
                    page = self._fetch_page(source, key, url)
                    if page is None:  # stopped while waiting for the host: the URL stays due
                        break
                    put(page)
            finally:
                put(_END)

        pool = ThreadPoolExecutor(min(self.fetch_threads, len(hosts)), thread_name_prefix="fetch")
        for tasks in hosts:
            pool.submit(fetch_host, tasks)
        fetched: dict[str, _Fetched] = {}

        def items() -> Iterator[Document | Skipped]:
            ended = 0
            while ended < len(hosts) and not abort.is_set():
                try:
                    got = results.get(timeout=_PUT_WAIT)
                except queue.Empty:
                    continue
                if got is _END:
                    ended += 1
                    continue
                assert isinstance(got, _Fetched)
                fetched[got.item.source] = got
                summary.timings["fetch (thread time)"] += got.seconds
                if got.outcome is None or got.outcome.status != FORBIDDEN:
                    summary.sources[got.source].fetched += 1
                yield got.item

        try:
            ingest_summary = IngestSummary(run_id=summary.run_id)
            waited = time.monotonic()
            for batch in _batches(_extracted(items(), self.workers, initializer=_worker_signals, together=1),
                                  self.batch_size):
                started = time.monotonic()
                summary.timings["fetch and extract (waited)"] += started - waited
                write_batch(self.engine, batch, summary.run_id, self.threshold, ingest_summary,
                            also=lambda conn, entries: self._mark(conn, entries, fetched, summary))
                self.statistics.wrote(len(batch))
                waited = time.monotonic()
                summary.timings["write"] += waited - started
                if self.on_progress is not None:
                    self.on_progress(summary)
        finally:
            abort.set()
            while True:  # free any fetch thread blocked on a full queue
                try:
                    results.get_nowait()
                except queue.Empty:
                    break
            pool.shutdown(wait=True, cancel_futures=True)

    def _fetch_page(self, source: Source, key: str, url: str) -> _Fetched | None:
        started = time.monotonic()
        try:
            item, outcome = self._page(source, key, url)
        except Stopped:
            return None
        except Exception as error:  # a bug or an unexpected page: this URL fails (retryable), the host goes on
            log.exception("fetching %s failed", url)
            reason = f"{type(error).__name__}: {error}"[:500]
            item, outcome = Skipped(url, f"{FAILED}: {reason}"), UrlOutcome(key, FAILED, error=reason, retry=True)
        return _Fetched(source.key, key, item, outcome, time.monotonic() - started)

    def _page(self, source: Source, key: str, url: str) -> tuple[Document | Skipped, UrlOutcome | None]:
        try:
            response = self.fetcher.get(url, delay=source.delay)
        except RobotsForbidden as error:
            if error.retryable:  # robots.txt could not be read: ask again in a later round
                return (Skipped(url, f"{FAILED}: {error.reason}"),
                        UrlOutcome(key, FAILED, error=error.reason, retry=True))
            return Skipped(url, f"{SKIPPED}: {error.reason}"), UrlOutcome(key, FORBIDDEN, error=error.reason)
        except FetchError as error:
            retry = error.retryable and error.status not in _GIVE_UP
            return (Skipped(url, f"{FAILED}: fetch: {error.reason}"),
                    UrlOutcome(key, FAILED, http_status=error.status, error=error.reason, retry=retry))
        content_type = response.content_type or ""
        if content_type not in _HTML_TYPES:
            reason = f"not a web page ({content_type})"
            return Skipped(url, f"{SKIPPED}: {reason}"), UrlOutcome(key, SKIPPED, http_status=response.status,
                                                                  error=reason)
        try:
            text = _decode(response)
        except BinaryContent as error:
            return Skipped(url, f"{SKIPPED}: {error}"), UrlOutcome(key, SKIPPED, http_status=response.status,
                                                                 error=str(error))
        plain = content_type == "text/plain"
        return Document(id=content_id(url), source=url, url=url, html=None if plain else text,
                        text=text if plain else None), None

    def _mark(self, conn: Connection, entries: list[tuple[str, str, str | None, str | None]],
              fetched: dict[str, _Fetched], summary: RoundSummary) -> None:
        outcomes = []
        for source, status, reason, article_key in entries:
            page = fetched.pop(source, None)
            if page is None:
                continue
            result = summary.sources[page.source]
            outcome = page.outcome
            if outcome is None:
                if status in (OK, UPDATED, UNCHANGED):
                    outcome = UrlOutcome(page.url_key, INGESTED, http_status=200, article_key=article_key)
                elif status == FAILED:
                    outcome = UrlOutcome(page.url_key, FAILED, http_status=200, error=reason)
                else:
                    outcome = UrlOutcome(page.url_key, SKIPPED, http_status=200, error=reason)
            if status == OK:
                result.ingested += 1
            elif status == UPDATED:
                result.updated += 1
            if outcome.status == FAILED:
                result.failed += 1
            elif outcome.status == FORBIDDEN:
                result.forbidden += 1
            elif outcome.status == SKIPPED:
                result.skipped += 1
            outcomes.append(outcome)
        mark_urls(conn, outcomes, datetime.now(UTC), max_attempts=self.config.max_attempts)


@dataclass(frozen=True, slots=True)
class _Checked:
    """A feed or sitemap fetched this round, and whether its validators serve a conditional GET next time."""

    url: str
    response: Response
    keep_validators: bool = True


def _worker_signals() -> None:
    """Extraction processes leave stopping to the collector: a Ctrl-C reaches the whole process group, and
    the collector's stop handlers, inherited by fork, must not run in a worker Pool.terminate() ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or ''}"


def _decode(response: Response) -> str:
    """The page's text: the charset the server declares when it decodes cleanly, else pantau's sniffing."""
    if response.charset:
        try:
            return response.body.decode(response.charset)
        except (LookupError, UnicodeError):  # an unknown or unsuitable codec ("punycode"), or bytes it refuses
            pass
    return decode_bytes(response.body)
