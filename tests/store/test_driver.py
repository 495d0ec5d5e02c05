"""The writer's driver-level reads and inserts (``driver_rows``, ``driver_insert``), on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from pantau.store import schema as s
from pantau.store.db import driver_insert, driver_rows, marks, open_store


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_store(db_url)
    yield engine
    engine.dispose()


def _incident(conn) -> int:  # type: ignore[no-untyped-def]
    return conn.execute(s.incidents.insert().returning(s.incidents.c.id), {"type": "seizure", "facts": {}}).scalar_one()


def test_marks() -> None:
    assert marks(3) == "?, ?, ?"
    assert marks(1) == "?"


def test_insert_then_read_back(engine: Engine) -> None:
    with engine.begin() as conn:
        incident = _incident(conn)
        rows = [(f"place:31:2024-0{m}", incident) for m in range(1, 6)]
        driver_insert(conn, s.incident_keys, ("key", "incident_id"), rows)
        found = driver_rows(conn, f"SELECT key, incident_id FROM incident_keys WHERE key IN ({marks(2)}) "
                            "ORDER BY key", ["place:31:2024-02", "place:31:2024-04"])
    assert [tuple(r) for r in found] == [("place:31:2024-02", incident), ("place:31:2024-04", incident)]


def test_skip_existing_keeps_stored_rows_and_adds_new_ones(engine: Engine) -> None:
    with engine.begin() as conn:
        incident = _incident(conn)
        driver_insert(conn, s.incident_keys, ("key", "incident_id"), [("story:1", incident)])
        driver_insert(conn, s.incident_keys, ("key", "incident_id"),
                      [("story:1", incident), ("story:2", incident)], skip_existing=True)
        stored = sorted(conn.execute(select(s.incident_keys.c.key)).scalars())
    assert stored == ["story:1", "story:2"]


def test_a_duplicate_without_skip_fails_and_the_transaction_keeps_nothing(engine: Engine) -> None:
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), engine.begin() as conn:
        incident = _incident(conn)
        driver_insert(conn, s.incident_keys, ("key", "incident_id"), [("story:9", incident)] * 2)
    with engine.connect() as conn:
        assert conn.execute(select(s.incident_keys.c.key)).all() == []
        assert conn.execute(select(s.incidents.c.id)).all() == []


def _articles(conn, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    return list(conn.execute(s.articles.insert().returning(s.articles.c.id, sort_by_parameter_order=True), [
        {"key": f"k{i}", "record_id": f"r{i}", "content_hash": f"h{i}", "body": "isi", "record": {}}
        for i in range(count)]).scalars())


def test_bytes_and_large_integers_survive(engine: Engine) -> None:
    """Story bands hold signed 64-bit bucket keys; signatures are bytes (zero bytes included)."""
    with engine.begin() as conn:
        first, second = _articles(conn, 2)
        driver_insert(conn, s.story_bands, ("bucket", "band", "article_id"),
                      [(-(2**63), 0, first), (2**63 - 1, 31, second)])
        signature = bytes(range(256)) * 4
        driver_insert(conn, s.article_signatures, ("article_id", "signature"), [(first, signature)])
        bands = sorted(tuple(r) for r in conn.execute(
            select(s.story_bands.c.bucket, s.story_bands.c.band, s.story_bands.c.article_id)))
        stored = conn.execute(select(s.article_signatures.c.signature)).scalar_one()
    assert bands == [(-(2**63), 0, first), (2**63 - 1, 31, second)]
    assert bytes(stored) == signature


def test_an_unknown_column_is_refused_before_any_sql(engine: Engine) -> None:
    with engine.begin() as conn, pytest.raises(KeyError):
        driver_insert(conn, s.incident_keys, ("key; DROP TABLE articles", "incident_id"), [("x", 1)])


def test_nothing_to_insert_is_no_statement(engine: Engine) -> None:
    with engine.begin() as conn:
        driver_insert(conn, s.incident_keys, ("key", "incident_id"), [])
        assert conn.execute(select(s.incident_keys.c.key)).all() == []


def test_rows_beyond_one_statement_are_all_written(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a server rows go in multi-row statements; a chunk boundary must lose or repeat nothing."""
    from pantau.store import db

    monkeypatch.setattr(db, "MULTI_ROW_VALUES", 3)
    with engine.begin() as conn:
        incident = _incident(conn)
        rows = [(f"text:{i}:2024-05", incident) for i in range(7)]
        driver_insert(conn, s.incident_keys, ("key", "incident_id"), rows[:4])
        driver_insert(conn, s.incident_keys, ("key", "incident_id"), rows, skip_existing=True)
        stored = sorted(conn.execute(select(s.incident_keys.c.key)).scalars())
    assert stored == sorted(key for key, _ in rows)
