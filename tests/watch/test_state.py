"""The collector's state in the store, on SQLite and PostgreSQL: what a restarted collector resumes from."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pantau.store.db import open_store
from pantau.store.watch import (
    FAILED,
    FORBIDDEN,
    INGESTED,
    PENDING,
    UrlOutcome,
    add_pending,
    due_urls,
    feed_validators,
    known_urls,
    mark_urls,
    record_round,
    save_feed,
    source_table,
    sync_sources,
)
from tests.store.conftest import temporary_postgres

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        store = open_store(f"sqlite:///{tmp_path / 'pantau.db'}")
        yield store
        store.dispose()
        return
    with temporary_postgres() as url:
        store = open_store(url)
        yield store
        store.dispose()


def test_pending_urls_are_added_once_and_come_back_until_done(engine: Engine) -> None:
    with engine.begin() as conn:
        sync_sources(conn, [("uji", "Kabar Uji", True)])
        assert add_pending(conn, [("k1", "http://a.test/1", "uji", None), ("k2", "http://a.test/2", "uji", None),
                                  ("k1", "http://a.test/1", "uji", None)], NOW) == 2
        assert add_pending(conn, [("k1", "http://a.test/1", "uji", None),
                                  ("k3", "http://a.test/3", "uji", None)], NOW) == 1
        assert {key for key, _ in due_urls(conn, "uji", limit=10, max_attempts=3)} == {"k1", "k2", "k3"}
        mark_urls(conn, [UrlOutcome("k1", INGESTED, 200, article_key="http://a.test/1"),
                         UrlOutcome("k2", FAILED, 503, "HTTP 503"),
                         UrlOutcome("k3", FORBIDDEN, error="robots.txt forbids")], NOW, max_attempts=3)
        assert [key for key, _ in due_urls(conn, "uji", limit=10, max_attempts=3)] == ["k2"]
        assert known_urls(conn, ["k1", "k2", "k9"]) == {"k1": (INGESTED, 1), "k2": (FAILED, 1)}


def test_failures_are_retried_up_to_the_limit_and_permanent_ones_given_up(engine: Engine) -> None:
    with engine.begin() as conn:
        add_pending(conn, [("k1", "http://a.test/1", "uji", None), ("k2", "http://a.test/2", "uji", None)], NOW)
        for _ in range(2):
            mark_urls(conn, [UrlOutcome("k1", FAILED, 500, "HTTP 500")], NOW, max_attempts=3)
        mark_urls(conn, [UrlOutcome("k2", FAILED, 404, "HTTP 404", retry=False)], NOW, max_attempts=3)
        assert [key for key, _ in due_urls(conn, "uji", limit=10, max_attempts=3)] == ["k1"]
        mark_urls(conn, [UrlOutcome("k1", FAILED, 500, "HTTP 500")], NOW, max_attempts=3)
        assert due_urls(conn, "uji", limit=10, max_attempts=3) == []


def test_feed_validators_keep_the_last_good_ones(engine: Engine) -> None:
    with engine.begin() as conn:
        save_feed(conn, url_key="f", url="http://a.test/rss", source="uji", etag='"v1"', last_modified="Sat, 05 Dec",
                  http_status=200, at=NOW)
        save_feed(conn, url_key="f", url="http://a.test/rss", source="uji", etag=None, last_modified=None,
                  http_status=304, at=NOW)
        assert feed_validators(conn, ["f", "g"]) == {"f": ('"v1"', "Sat, 05 Dec")}
        save_feed(conn, url_key="f", url="http://a.test/rss", source="uji", etag='"v2"', last_modified=None,
                  http_status=200, at=NOW)
        assert feed_validators(conn, ["f"]) == {"f": ('"v2"', None)}


def test_source_table_counts_rounds_and_urls(engine: Engine) -> None:
    with engine.begin() as conn:
        sync_sources(conn, [("uji", "Kabar Uji", True), ("mati", "Mati", False)])
        add_pending(conn, [("k1", "http://a.test/1", "uji", None), ("k2", "http://a.test/2", "uji", None)], NOW)
        mark_urls(conn, [UrlOutcome("k1", INGESTED, 200, article_key="http://a.test/1")], NOW, max_attempts=3)
        record_round(conn, "uji", seen=2, new=1, failed=0, error=None, at=NOW)
        record_round(conn, "uji", seen=2, new=0, failed=1, error="http://a.test/rss: HTTP 500", at=NOW)
        sync_sources(conn, [("uji", "Kabar Uji (baru)", True)])
        rows = {row["source"]: row for row in source_table(conn)}
    uji = rows["uji"]
    assert (uji["name"], uji["rounds"], uji["total_ingested"], uji["new"], uji["failed"]) == (
        "Kabar Uji (baru)", 2, 1, 0, 1)
    assert uji["last_error"] == "http://a.test/rss: HTTP 500"
    assert uji["last_round_at"].startswith("2026-12-06T03:00") and uji["last_success_at"] == uji["last_round_at"]
    assert uji["urls"][INGESTED] == 1 and uji["urls"][PENDING] == 1
    assert rows["mati"]["enabled"] is False and rows["mati"]["rounds"] == 0


def test_due_urls_come_newest_first(engine: Engine) -> None:
    later = NOW.replace(hour=4)
    with engine.begin() as conn:
        add_pending(conn, [("old", "http://a.test/old", "uji", "2026-11-01"),
                           ("undated", "http://a.test/undated", "uji", None)], NOW)
        add_pending(conn, [("today", "http://a.test/today", "uji", "2026-12-06T08:00:00+07:00"),
                           ("fresh", "http://a.test/fresh", "uji", None)], later)
        assert [key for key, _ in due_urls(conn, "uji", limit=10, max_attempts=3)] == [
            "today", "old", "fresh", "undated"]
        assert [key for key, _ in due_urls(conn, "uji", limit=1, max_attempts=3)] == ["today"]
