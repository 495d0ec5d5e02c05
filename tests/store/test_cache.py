from __future__ import annotations

from pathlib import Path

from pantau.store.cache import VersionedCache
from pantau.store.db import open_store
from pantau.store.ingest import ingest

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"


def test_cached_results_last_until_an_ingest_commits(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    ingest([str(SEEDS / "000_5d0a2ea7a5e4f329.txt")], db, workers=1)
    engine = open_store(db)
    cache = VersionedCache(max_entries=2)
    calls: list[int] = []

    def count() -> int:
        calls.append(1)
        with engine.connect() as inner:
            return int(inner.exec_driver_sql("SELECT COUNT(*) FROM articles").scalar_one())

    with engine.connect() as conn:
        assert cache.get(conn, "n", count) == 1
        assert cache.get(conn, "n", count) == 1
    assert len(calls) == 1
    ingest([str(SEEDS / "001_daf840c5136c6c10.txt")], db, workers=1)
    with engine.connect() as conn:
        assert cache.get(conn, "n", count) == 2
        cache.get(conn, "a", lambda: 0)
        cache.get(conn, "b", lambda: 0)
        assert cache.get(conn, "n", count) == 2  # evicted by the bound of 2 entries: computed again
    assert len(calls) == 3
    engine.dispose()
