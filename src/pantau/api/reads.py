"""How the API and the dashboard answer a read: from the cache, else from the facet index, else the SQL.

Every counting, ranking or aggregating read is written once as ``compute(conn, index)``:
:mod:`pantau.store.read` functions take the store connection and an optional facet index and give
the same answer either way. ``Reads.cached`` picks the index when the process has one that is
current (or was, a moment ago), and keys the result by the data version it was computed at.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import Connection, Engine
from starlette.responses import Response

from pantau.regions import regions
from pantau.store import read
from pantau.store.cache import VersionedCache, data_version
from pantau.store.facets import GROUPINGS
from pantau.store.index import FacetIndex, LiveIndex
from pantau.store.queries import Filters, match_ids

T = TypeVar("T")
Compute = Callable[[Connection, FacetIndex | None], Any]


def index_enabled() -> bool:
    """The facet index is on unless ``PANTAU_INDEX`` says otherwise (0, false, no, off)."""
    return os.environ.get("PANTAU_INDEX", "1").strip().lower() not in ("0", "false", "no", "off")


class Reads:
    def __init__(self, engine: Engine, *, index: bool = True) -> None:
        self.engine = engine
        self.cache = VersionedCache(engine)
        # a query's matching ids, shared by its pages and filters: a few queries' worth (100k ids are 0.8 MB)
        self.matches = VersionedCache(engine, max_entries=32)
        self.live = LiveIndex(engine) if index else None

    def start(self) -> None:
        """Load the index in the background; without one, warm the cache with the dashboard's first reads."""
        regions()  # the register behind every region label: read once, now, rather than in a request
        if self.live is not None:
            self.live.start()
        else:
            self.cache.warm((key, lambda c, compute=compute: compute(c, None)) for key, compute in warm_set())

    def close(self) -> None:
        self.cache.close()
        self.matches.close()

    def index(self, conn: Connection) -> FacetIndex | None:
        return self.live.current(conn) if self.live is not None else None

    def cached(self, conn: Connection, key: Hashable, compute: Callable[[Connection, FacetIndex | None], T]) -> T:
        version = data_version(conn)
        index = self.live.current(conn, version) if self.live is not None else None
        if index is not None:
            return self.cache.get_at(index.version, key, lambda: compute(conn, index))
        return self.cache.get(conn, key, lambda c: compute(c, None), version=version)

    def match_ids(self, conn: Connection, query: str) -> np.ndarray:
        """The ids of the articles ``query`` matches (cached per data version)."""
        return self.matches.get(conn, query, lambda c: np.asarray(match_ids(c, query), dtype=np.int64))

    def json(self, conn: Connection, key: Hashable, compute: Compute) -> Response:
        """``compute``'s result as a JSON response, its encoded bytes cached: a repeated request costs no encoding."""
        body = self.cached(conn, ("json", key), lambda c, i: encode(compute(c, i)))
        return Response(body, media_type="application/json")


def encode(value: Any) -> bytes:
    """JSON as FastAPI's JSONResponse writes it."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def warm_set() -> list[tuple[tuple[Any, ...], Compute]]:
    """Cache keys, and their computations, of the overview, the map and the unfiltered aggregates and rankings."""
    from pantau.web.routes import overview_data

    none = Filters()
    return [
        (("overview",), overview_data),
        *((("aggregate", by, none), lambda c, i, by=by: read.aggregates(c, by, none, i)) for by in GROUPINGS),
        (("people", none, None), lambda c, i: read.rank_people(c, none, None, i)),
        (("organizations", none, None), lambda c, i: read.rank_organizations(c, none, None, i)),
    ]
