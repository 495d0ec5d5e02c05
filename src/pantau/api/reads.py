"""How the API and the dashboard answer a read: from the cache, else from the facet index, else the SQL.

Every counting, ranking or aggregating read is written once as ``compute(conn, index)``:
:mod:`pantau.store.read` functions take the store connection and an optional facet index and give
the same answer either way. ``Reads.cached`` picks the index when the process has one that is
current (or was, a moment ago), and keys the result by the data version it was computed at.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from pantau.regions import regions
from pantau.store import read
from pantau.store.cache import VersionedCache, data_version
from pantau.store.facets import GROUPINGS
from pantau.store.index import FacetIndex, LiveIndex
from pantau.store.queries import Filters, GroupStats

T = TypeVar("T")
Compute = Callable[[Connection, FacetIndex | None], Any]


def index_enabled() -> bool:
    """The facet index is on unless ``PANTAU_INDEX`` says otherwise (0, false, no, off)."""
    return os.environ.get("PANTAU_INDEX", "1").strip().lower() not in ("0", "false", "no", "off")


def index_wait() -> float:
    """Seconds a starting server waits for its index before it answers (``PANTAU_INDEX_WAIT``, default 120):
    the queries the index replaces would take the cores the index is loading on."""
    return float(os.environ.get("PANTAU_INDEX_WAIT", "120"))


def cache_bytes() -> int:
    """The result cache's bound per server process (``PANTAU_CACHE_MB``, default 64): a list page is 5-20 kB
    of JSON, so the default holds a few thousand distinct pages, filters and aggregates."""
    return int(float(os.environ.get("PANTAU_CACHE_MB", "64")) * 1024 * 1024)


def switch_interval() -> float:
    """The interpreter's GIL switch interval in a server process (``PANTAU_SWITCH_INTERVAL_MS``, default 1 ms,
    Python's default is 5 ms)."""
    return float(os.environ.get("PANTAU_SWITCH_INTERVAL_MS", "1")) / 1000


VERSION_SECONDS = 0.5  # how long a read of the store's data version is trusted by the fast path


class Reads:
    """The cache, the facet index and the store behind the API and the dashboard, for one server process.

    ``respond``/``value`` are the async fast path: a cached result is answered in the event loop, with
    no thread and no query (the data version is re-read at most every ``VERSION_SECONDS``); anything
    else is computed in the thread pool. ``cached`` is the same lookup for code already in a thread.
    """

    def __init__(self, engine: Engine, *, index: bool = True) -> None:
        self.engine = engine
        self.cache = VersionedCache(engine, max_entries=100_000, max_bytes=cache_bytes())
        self.live = LiveIndex(engine) if index else None
        self._version = 0
        self._version_read = -1e9

    def version(self) -> int:
        """The store's data version, read again when the last reading is older than ``VERSION_SECONDS``."""
        now = time.monotonic()
        if now - self._version_read > VERSION_SECONDS:
            with self.engine.connect() as conn:
                self._version = data_version(conn)
            self._version_read = now
        return self._version

    def _current(self) -> tuple[int, FacetIndex | None]:
        """The store's data version, and the index to answer with at it (None: answer with the SQL)."""
        version = self.version()
        return version, self.live.current_at(version) if self.live is not None else None

    def _peek(self, key: Hashable, compute: Compute) -> tuple[bool, Any]:
        version, index = self._current()
        if index is not None:
            return self.cache.peek(index.version, key)
        return self.cache.peek(version, key, lambda c: compute(c, None))

    async def value(self, key: Hashable, compute: Compute) -> Any:
        """``compute``'s result for ``key``: from the cache in the event loop, else computed in a thread."""
        found, value = self._peek(key, compute)
        if found:
            return value
        return await run_in_threadpool(self._in_thread, key, compute)

    async def respond(self, key: Hashable, compute: Compute) -> Response:
        """``compute``'s result as a JSON response; the encoded bytes are what is cached."""
        body = await self.value(("json", key), lambda c, i: encode(compute(c, i)))
        return Response(body, media_type="application/json")

    def _in_thread(self, key: Hashable, compute: Compute) -> Any:
        with self.engine.connect() as conn:
            return self.cached(conn, key, compute)

    def start(self, wait: float = 0.0) -> None:
        """Load the index in the background, waiting for it up to ``wait`` seconds (blocking); without an
        index, warm the cache with the dashboard's first reads instead."""
        regions()  # the register behind every region label: read once, now, rather than in a request
        if self.live is not None:
            self.live.start()
            self.live.wait(wait)
            index = self.live.index
            if index is not None:  # milliseconds each on the index: the dashboard's first pages are ready
                with self.engine.connect() as conn:
                    for key, compute in self._warm_items(provinces=True):
                        self.cache.get_at(index.version, key, lambda compute=compute: compute(conn, index))
        else:
            self.cache.warm((key, lambda c, compute=compute: compute(c, None)) for key, compute in self._warm_items())

    def _warm_items(self, provinces: bool = False) -> list[tuple[Hashable, Compute]]:
        """``warm_set``'s reads, each followed by its API JSON where it has one, encoded from the cached read."""
        items: list[tuple[Hashable, Compute]] = []
        for key, compute, to_json in warm_set(provinces):
            items.append((key, compute))
            if to_json is not None:
                items.append((("json", key), lambda c, i, key=key, compute=compute, to_json=to_json:
                              encode(to_json(self.cached(c, key, compute)))))
        return items

    def close(self) -> None:
        self.cache.close()

    def index(self, conn: Connection) -> FacetIndex | None:
        return self.live.current(conn) if self.live is not None else None

    def cached(self, conn: Connection, key: Hashable, compute: Callable[[Connection, FacetIndex | None], T]) -> T:
        version, index = self._current()
        if index is not None:
            return self.cache.get_at(index.version, key, lambda: compute(conn, index))
        return self.cache.get(conn, key, lambda c: compute(c, None), version=version)


def encode(value: Any) -> bytes:
    """JSON as FastAPI's JSONResponse writes it."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def aggregates_body(by: str, groups: list[GroupStats]) -> dict[str, Any]:
    """The body of ``GET /api/aggregates`` for ``read.aggregates``' groups."""
    return {"by": by, "groups": [g.as_dict() for g in groups]}


def aggregates_payload(conn: Connection, by: str, filters: Filters, index: FacetIndex | None) -> dict[str, Any]:
    return aggregates_body(by, read.aggregates(conn, by, filters, index))


def warm_set(provinces: bool = False) -> list[tuple[tuple[Any, ...], Compute, Callable[[Any], Any] | None]]:
    """Cache keys, their computations, and how the API shapes each as JSON (None: the API does not serve it
    whole), of the overview, the map and the unfiltered aggregates and rankings; with ``provinces``, then the
    province pages the map links to (milliseconds each on the index, a second each in SQL on a large store)."""
    from pantau.web.routes import overview_data

    none = Filters()
    codes = sorted(code for code, region in regions().items() if region.level == "province") if provinces else []
    return [
        (("overview",), overview_data, None),
        *((("aggregate", by, none), lambda c, i, by=by: read.aggregates(c, by, none, i),
           lambda groups, by=by: aggregates_body(by, groups)) for by in GROUPINGS),
        (("people", none, None), lambda c, i: read.rank_people(c, none, None, i), None),
        (("organizations", none, None), lambda c, i: read.rank_organizations(c, none, None, i), None),
        *((("region", code), lambda c, i, code=code: read.get_region(c, code, i), lambda region: region)
          for code in codes),
    ]
