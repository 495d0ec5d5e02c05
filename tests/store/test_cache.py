from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Connection

from pantau.store.cache import VersionedCache, data_version
from pantau.store.db import open_store
from pantau.store.ingest import ingest

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"


def _articles(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SELECT COUNT(*) FROM articles").scalar_one())


@pytest.fixture
def store(tmp_path: Path) -> str:
    db = str(tmp_path / "c.db")
    ingest([str(SEEDS / "000_5d0a2ea7a5e4f329.txt")], db, workers=1)
    return db


def test_cached_results_last_until_an_ingest_commits(store: str) -> None:
    engine = open_store(store)
    cache = VersionedCache(max_entries=2)  # no engine: a result of an older version is never served
    calls: list[int] = []

    def count(conn: Connection) -> int:
        calls.append(1)
        return _articles(conn)

    with engine.connect() as conn:
        assert cache.get(conn, "n", count) == 1
        assert cache.get(conn, "n", count) == 1
    assert len(calls) == 1
    ingest([str(SEEDS / "001_daf840c5136c6c10.txt")], store, workers=1)
    with engine.connect() as conn:
        assert cache.get(conn, "n", count) == 2
        cache.get(conn, "a", lambda c: 0)
        cache.get(conn, "b", lambda c: 0)
        assert cache.get(conn, "n", count) == 2  # evicted by the bound of 2 entries: computed again
    assert len(calls) == 3
    engine.dispose()


def test_concurrent_requests_for_one_key_share_one_computation(store: str) -> None:
    engine = open_store(store)
    cache = VersionedCache(engine)
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow(conn: Connection) -> int:
        calls.append(1)
        started.set()
        release.wait(10)
        return _articles(conn)

    results: list[int] = []

    def request() -> None:
        with engine.connect() as conn:
            results.append(cache.get(conn, "n", slow))

    threads = [threading.Thread(target=request) for _ in range(5)]
    threads[0].start()
    assert started.wait(10)
    for thread in threads[1:]:
        thread.start()
    time.sleep(0.2)
    release.set()
    for thread in threads:
        thread.join(10)
    assert results == [1] * 5 and len(calls) == 1
    cache.close()
    engine.dispose()


def test_a_failed_computation_reaches_every_waiting_request(store: str) -> None:
    engine = open_store(store)
    cache = VersionedCache(engine)

    def broken(conn: Connection) -> int:
        raise RuntimeError("query failed")

    with engine.connect() as conn, pytest.raises(RuntimeError, match="query failed"):
        cache.get(conn, "n", broken)
    with engine.connect() as conn:  # nothing was stored: the next request computes again
        assert cache.get(conn, "n", _articles) == 1
    engine.dispose()


def test_a_stale_result_is_served_while_it_is_recomputed(store: str) -> None:
    engine = open_store(store)
    cache = VersionedCache(engine, max_stale_seconds=60)
    with engine.connect() as conn:
        assert cache.get(conn, "n", _articles) == 1
    ingest([str(SEEDS / "001_daf840c5136c6c10.txt")], store, workers=1)
    with engine.connect() as conn:
        assert cache.get(conn, "n", _articles) == 1  # stale, answered at once; a refresh is queued
    deadline = time.monotonic() + 10
    value = 1
    while value == 1 and time.monotonic() < deadline:
        time.sleep(0.05)
        with engine.connect() as conn:
            value = cache.get(conn, "n", _articles)
    assert value == 2
    cache.close()
    engine.dispose()


def test_a_result_older_than_the_staleness_bound_is_recomputed_in_the_request(store: str) -> None:
    engine = open_store(store)
    cache = VersionedCache(engine, max_stale_seconds=0)
    with engine.connect() as conn:
        assert cache.get(conn, "n", _articles) == 1
    ingest([str(SEEDS / "001_daf840c5136c6c10.txt")], store, workers=1)
    with engine.connect() as conn:
        assert cache.get(conn, "n", _articles) == 2
    cache.close()
    engine.dispose()


def test_warming_computes_in_the_background(store: str) -> None:
    engine = open_store(store)
    cache = VersionedCache(engine)
    cache.warm([("n", _articles)])
    cache.close(cancel=False)  # waits for the queued work
    calls: list[int] = []
    with engine.connect() as conn:
        assert cache.get(conn, "n", lambda c: calls.append(1) or 0) == 1
        assert data_version(conn) > 0
    assert calls == []
    engine.dispose()


def test_the_byte_bound_evicts_the_least_recently_used_and_skips_results_larger_than_the_cache() -> None:
    from pantau.store.cache import weight

    page = b"x" * 1000
    cache = VersionedCache(max_entries=100, max_bytes=3 * weight(page))
    for key in "abc":
        cache.get_at(1, key, lambda: page)
    assert cache.size == (3, 3 * weight(page))
    cache.get_at(1, "a", lambda: page)  # "a" is now the most recently used
    cache.get_at(1, "d", lambda: page)
    assert cache.size == (3, 3 * weight(page))
    assert cache.peek(1, "b") == (False, None)  # the least recently used went
    assert cache.peek(1, "a")[0] and cache.peek(1, "c")[0] and cache.peek(1, "d")[0]
    calls: list[int] = []
    huge = b"y" * (4 * len(page))
    assert cache.get_at(1, "huge", lambda: calls.append(1) or huge) == huge
    assert cache.peek(1, "huge") == (False, None) and cache.size[0] == 3  # nothing evicted for it
    cache.get_at(1, "a", lambda: b"z")  # a new version of a key replaces its weight
    cache.get_at(2, "a", lambda: b"z")
    assert cache.size == (3, 2 * weight(page) + weight(b"z"))
