"""``pantau ingest``: extract and store, batch by batch, safe to interrupt and to re-run.

Extraction runs in worker processes (one per core by default); one writer commits each batch of
articles with its ingest-log rows in a single transaction. A crash loses at most the batch in
flight; re-running skips what is already stored unchanged, so it completes without duplicates.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import Connection, Engine, delete, func, insert, select

from pantau.incidents.profile import profile_of
from pantau.ingest.document import Document, Skipped
from pantau.ingest.readers import read_inputs
from pantau.pipeline import BATCH, EmptyArticle, process_many, settle
from pantau.record import Article
from pantau.store import schema as s
from pantau.store.alerts import refresh_alerts, run_days
from pantau.store.db import StatisticsKeeper, open_store, refresh_planner_statistics
from pantau.store.stories import DEFAULT_THRESHOLD, signature
from pantau.store.writer import FAILED, OK, SKIPPED, UPDATED, Extracted, log_rows, write_articles

log = logging.getLogger(__name__)

Item = TypeVar("Item")

DEFAULT_BATCH = 500  # articles a transaction: the writer reads a batch's candidate incidents once, so 100 cost it a
# third more CPU an article than 500 (27.5 against 20.5 s for 7,500 synthetic articles); `pantau ingest`'s default
DEFAULT_AHEAD = 256  # documents extraction may run ahead of the writer (`pantau ingest` allows two of its batches)
# Extraction processes run this much nicer than the writer: the writer (stories, incidents, the transaction)
# is the run's one serial stage, and with a worker a core it would get a third of the CPU less than it can
# use while the workers fill the queue ahead of it. Measured: 270-282 -> 310-318 articles/s on 2 cores.
WORKER_NICENESS = 10


@dataclass(slots=True)
class IngestSummary:
    run_id: str
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    alerts: int = 0  # alerts raised for the first time by this run

    @property
    def processed(self) -> int:
        return sum(self.counts.values())


def _extract(item: Document | Skipped) -> Extracted | Skipped:
    """One document to a record and its MinHash signature, or the reason it was skipped."""
    return _extract_many([item])[0]


def _extract_many(items: list[Document | Skipped]) -> list[Extracted | Skipped]:
    """Worker: documents to records with their MinHash signatures, or the reasons they were skipped, in order;
    extracted together (``process_many``: the NER model reads their pieces in one batch)."""
    extracted = iter(process_many([item for item in items if not isinstance(item, Skipped)]))
    records = [item if isinstance(item, Skipped) else _record(item, next(extracted)) for item in items]
    if multiprocessing.parent_process() is not None and any(isinstance(r, Extracted) for r in records):
        settle()  # a pool worker: what it loaded is needed until it ends
    return records


def _record(document: Document, result: Article | Exception) -> Extracted | Skipped:
    if isinstance(result, EmptyArticle):
        return Skipped(document.source, str(result))
    if isinstance(result, Exception):  # one bad page never stops the run
        log.error("extraction failed for %s", document.source, exc_info=result)
        return Skipped(document.source, f"{FAILED}: {type(result).__name__}: {result}")
    values = signature(result.body)
    try:
        profile = profile_of(result, "", signature=values)
    except Exception:  # the writer tries again, and reports it there
        log.exception("incident profile failed for %s", document.source)
        profile = None
    return Extracted(result, values, profile)


def _extracted(items: Iterable[Document | Skipped], workers: int, ahead: int = DEFAULT_AHEAD,
               initializer: Callable[[], None] | None = None, together: int = BATCH) -> Iterator[Extracted | Skipped]:
    """Records of ``items`` in order, extracted by ``workers`` processes at most ``ahead`` documents ahead of
    the consumer, ``together`` documents to a task (1 for documents that arrive one by one, as the collector's
    pages do: a task would otherwise wait for the next pages before extracting the first).

    ``pool.imap`` reads its input as fast as the workers take it and keeps every result the consumer has
    not taken yet: a writer slower than extraction made the main process hold the records of the whole
    run. A slot is taken for each document handed to the pool and given back when its result is consumed,
    so what waits (documents read, records extracted) is bounded while the writer works. ``initializer`` runs
    in each worker process as it starts."""
    size = max(1, min(together, ahead))  # a task's documents hold slots: never more than there are
    if workers <= 1:
        for chunk in _batches(iter(items), size):
            yield from _extract_many(chunk)
        return
    slots = threading.Semaphore(ahead)
    stop = threading.Event()

    def gated() -> Iterator[Document | Skipped]:
        for item in items:  # runs in the pool's task-feeding thread
            while not slots.acquire(timeout=0.1):
                if stop.is_set():
                    return
            yield item

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with context.Pool(workers, initializer=_start_worker, initargs=(initializer,)) as pool:
        try:
            for results in pool.imap(_extract_many, _batches(gated(), size)):
                for result in results:
                    slots.release()
                    yield result
        finally:
            stop.set()  # a feeding thread waiting for a slot ends before the pool is torn down


def _start_worker(initializer: Callable[[], None] | None) -> None:
    """An extraction process yields the CPU to the writer (``WORKER_NICENESS``), then runs ``initializer``."""
    with contextlib.suppress(AttributeError, OSError):  # no niceness here: the same work, scheduled evenly
        os.nice(WORKER_NICENESS)
    if initializer is not None:
        initializer()


def _batches(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


BatchHook = Callable[[Connection, list[tuple[str, str, str | None, str | None]]], None]


def write_batch(engine: Engine, batch: list[Extracted | Skipped], run_id: str, threshold: float,
                summary: IngestSummary, *, also: BatchHook | None = None) -> None:
    """Write one batch in one transaction: articles, facts, stories and log rows commit together.

    ``also`` runs inside that transaction with the batch's log entries (source, status, reason, article
    key), so a caller's own bookkeeping (the collector's URL states) commits or rolls back with it."""
    entries: list[tuple[str, str, str | None, str | None]] = []
    counts: Counter[str] = Counter()
    failures: list[tuple[str, str]] = []
    with engine.begin() as conn:
        extracted = [item for item in batch if isinstance(item, Extracted)]
        written = iter(write_articles(conn, extracted, threshold))
        for item in batch:
            if isinstance(item, Skipped):
                status = FAILED if item.reason.startswith(FAILED) else SKIPPED
                entries.append((item.source, status, item.reason, None))
                if status == FAILED:
                    failures.append((item.source, item.reason))
            else:
                status, key = next(written)
                entries.append((item.article.source, status, None, key))
            counts[status] += 1
        if counts[UPDATED]:
            used = select(s.articles.c.story_id).where(s.articles.c.story_id.is_not(None))
            conn.execute(delete(s.stories).where(s.stories.c.id.not_in(used)))
        conn.execute(insert(s.ingest_log), log_rows(run_id, entries))
        if also is not None:
            also(conn, entries)
    summary.counts.update(counts)
    summary.failures.extend(failures)


def ingest(paths: list[str], url: str | None = None, *, batch_size: int = DEFAULT_BATCH, workers: int | None = None,
           threshold: float = DEFAULT_THRESHOLD,
           on_batch: Callable[[IngestSummary], None] | None = None) -> IngestSummary:
    """Extract every input under ``paths`` and store it; returns the counts by status."""
    engine = open_store(url)
    summary = IngestSummary(run_id=uuid.uuid4().hex[:12])
    workers = workers or min(2, os.cpu_count() or 1)
    try:
        ahead = max(2 * batch_size, 4 * workers)  # the next batch extracts while the writer writes this one
        statistics = StatisticsKeeper(engine)
        for batch in _batches(_extracted(read_inputs(paths), workers, ahead), batch_size):
            write_batch(engine, batch, summary.run_id, threshold, summary)
            statistics.wrote(len(batch))
            if on_batch is not None:
                on_batch(summary)
        if summary.counts[OK] or summary.counts[UPDATED]:
            with engine.begin() as conn:
                summary.alerts = len(refresh_alerts(conn, run_days(conn, summary.run_id)).new)
        refresh_planner_statistics(engine)
    finally:
        engine.dispose()
    return summary


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in s.EXPORTABLE.items()}
