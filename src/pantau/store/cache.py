"""Results of heavy read queries (aggregates, rankings, pages), kept until the data changes.

The API and dashboard are read-only; the data changes only when an ingest commits, and every
ingest batch adds ingest-log rows in the same transaction. The newest log id is therefore a data
version that costs one index lookup: a cached result is reused while it is unchanged.

Three things keep a busy server responsive on a large store:

* **one computation per key**: requests arriving while a result is being computed wait for that
  computation instead of starting their own (twenty dashboards opening at once cost one query);
* **stale while revalidating**: after an ingest commits, a result computed less than
  ``max_stale_seconds`` ago is still served while one background thread recomputes it, so a store
  being ingested into does not make every page pay for the new data at once;
* **warming**: ``warm`` computes the results a dashboard needs first in that background thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, text

T = TypeVar("T")
Compute = Callable[[Connection], Any]
log = logging.getLogger(__name__)


def data_version(conn: Connection) -> int:
    """The store's data version: the newest ingest-log id (0 for an empty store)."""
    return int(conn.execute(text("SELECT MAX(id) FROM ingest_log")).scalar_one() or 0)


@dataclass(slots=True, frozen=True)
class _Entry:
    version: int
    value: Any
    computed_at: float
    weight: int


def weight(value: Any) -> int:
    """A rough size in bytes of a cached result, for the cache's byte bound: exact for encoded JSON (what
    the API caches), an estimate for collections (rows of a ranking or page are a few hundred bytes)."""
    if isinstance(value, bytes | bytearray | str):
        return len(value) + 64
    if isinstance(value, list | tuple | dict | set):
        return 256 * len(value) + 64
    return 1024


class VersionedCache:
    """A bounded LRU of query results, each valid for the data version it was computed at.

    The bound is ``max_entries`` results and, when given, ``max_bytes`` of them (by :func:`weight`): a
    dashboard's list pages are a few kilobytes each, so a byte bound holds thousands of them, where a
    count that suited the largest results would hold few.

    ``engine`` is needed for background work (refreshing stale entries, warming); without one, a result of
    an older version is never served and nothing runs in the background.
    """

    def __init__(self, engine: Engine | None = None, max_entries: int = 512, max_stale_seconds: float = 60.0,
                 max_bytes: int | None = None) -> None:
        self._engine = engine
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._max = max_entries
        self._max_bytes = max_bytes
        self._bytes = 0
        self._max_stale = max_stale_seconds
        self._lock = threading.Lock()
        self._inflight: dict[tuple[Hashable, int], Future[Any]] = {}
        self._refreshing: set[Hashable] = set()
        self._executor: ThreadPoolExecutor | None = None

    def get(self, conn: Connection, key: Hashable, compute: Callable[[Connection], T], *,
            version: int | None = None) -> T:
        """The result for ``key`` at the store's current version (``version``, if the caller has just read it),
        computing it with ``compute(conn)``."""
        return self._get(data_version(conn) if version is None else version, key, lambda: compute(conn), compute)

    def get_at(self, version: int, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for ``key`` at ``version`` exactly (what ``compute()`` gives on data of that version)."""
        return self._get(version, key, compute, None)

    def peek(self, version: int, key: Hashable, refresh: Compute | None = None) -> tuple[bool, Any]:
        """(True, result) if ``get`` would answer without computing, else (False, None); no database access.

        With ``refresh``, a young result of an older version counts (and is refreshed in the background).
        """
        with self._lock:
            return self._lookup(version, key, refresh)

    def _lookup(self, version: int, key: Hashable, refresh: Compute | None) -> tuple[bool, Any]:
        """What ``peek`` says (the caller holds the lock)."""
        entry = self._entries.get(key)
        if entry is None:
            return False, None
        if entry.version == version:
            self._entries.move_to_end(key)
            return True, entry.value
        if (refresh is not None and entry.version < version and self._engine is not None
                and time.monotonic() - entry.computed_at <= self._max_stale):
            self._refresh_later(key, refresh)
            return True, entry.value
        return False, None

    def _get(self, version: int, key: Hashable, compute: Callable[[], T], refresh: Compute | None) -> T:
        with self._lock:
            found, value = self._lookup(version, key, refresh)
            if found:
                return value  # type: ignore[no-any-return]
            future = self._inflight.get((key, version))
            owner = future is None
            if future is None:
                future = self._inflight[(key, version)] = Future()
        if not owner:
            return future.result()  # type: ignore[no-any-return]
        try:
            value = compute()
        except BaseException as error:
            future.set_exception(error)
            raise
        finally:
            with self._lock:
                self._inflight.pop((key, version), None)
        self._store(key, version, value)
        future.set_result(value)
        return value

    def warm(self, items: Iterable[tuple[Hashable, Compute]]) -> None:
        """Compute ``items`` in the background thread, one after another (no-op without an engine)."""
        with self._lock:
            for key, compute in items:
                self._refresh_later(key, compute)

    def close(self, *, cancel: bool = True) -> None:
        """Stop the background thread, after the refresh it is running (and, unless ``cancel``, the queued ones)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=cancel)
            self._executor = None
        with self._lock:
            self._refreshing.clear()

    def _store(self, key: Hashable, version: int, value: Any) -> None:
        with self._lock:
            current = self._entries.get(key)
            if current is not None and current.version > version:
                return  # a newer result landed meanwhile
            entry = _Entry(version, value, time.monotonic(), weight(value))
            if self._max_bytes is not None and entry.weight > self._max_bytes:
                return  # larger than the whole cache: kept by no one
            if current is not None:
                self._bytes -= current.weight
            self._entries[key] = entry
            self._bytes += entry.weight
            self._entries.move_to_end(key)
            while len(self._entries) > self._max or (self._max_bytes is not None and self._bytes > self._max_bytes):
                self._bytes -= self._entries.popitem(last=False)[1].weight

    @property
    def size(self) -> tuple[int, int]:
        """(results held, their weight in bytes)."""
        with self._lock:
            return len(self._entries), self._bytes

    def _refresh_later(self, key: Hashable, compute: Compute) -> None:
        """Queue a background computation of ``key`` unless one is queued (caller holds the lock)."""
        if self._engine is None or key in self._refreshing:
            return
        self._refreshing.add(key)
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pantau-cache")
        self._executor.submit(self._refresh, key, compute)

    def _refresh(self, key: Hashable, compute: Compute) -> None:
        assert self._engine is not None
        try:
            with self._engine.connect() as conn:
                version = data_version(conn)
                with self._lock:
                    entry = self._entries.get(key)
                    if entry is not None and entry.version >= version:
                        return
                self._store(key, version, compute(conn))
        except Exception:  # a failed refresh leaves the entry as it was; the next request computes
            log.exception("background refresh of %r failed", key)
        finally:
            with self._lock:
                self._refreshing.discard(key)
