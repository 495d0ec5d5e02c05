"""Results of heavy read queries (aggregates, people and unit rankings), kept until the data changes.

The API and dashboard are read-only; the data changes only when an ingest commits, and every
ingest batch adds ingest-log rows in the same transaction. The newest log id is therefore a data
version that costs one index lookup: a cached result is reused while it is unchanged.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, text

T = TypeVar("T")


def data_version(conn: Connection) -> Any:
    return conn.execute(text("SELECT MAX(id) FROM ingest_log")).scalar_one()


class VersionedCache:
    """A bounded LRU of query results, emptied whenever the store's data version moves."""

    def __init__(self, max_entries: int = 512) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._version: Any = object()
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, conn: Connection, key: Hashable, compute: Callable[[], T]) -> T:
        version = data_version(conn)
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            if version == self._version:
                self._entries[key] = value
                while len(self._entries) > self._max:
                    self._entries.popitem(last=False)
        return value
