"""The collector's state over HTTP: GET /api/sources and the dashboard's /sumber page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from pantau.api.app import create_app
from pantau.store.db import open_store
from pantau.store.watch import INGESTED, UrlOutcome, add_pending, mark_urls, record_round, sync_sources

HOSTILE = '<script>window.pwned=1</script>'


def _store(tmp_path: Path) -> str:
    db = str(tmp_path / "watch.db")
    engine = open_store(db)
    now = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
    with engine.begin() as conn:
        sync_sources(conn, [("uji", f"Kabar Uji {HOSTILE}", True), ("mati", "Mati", False)])
        add_pending(conn, [("k1", "http://a.test/1", "uji", None), ("k2", "http://a.test/2", "uji", None)], now)
        mark_urls(conn, [UrlOutcome("k1", INGESTED, 200, article_key="http://a.test/1")], now, max_attempts=3)
        record_round(conn, "uji", seen=2, new=1, failed=1, error=f"http://a.test/rss: {HOSTILE}", at=now)
    engine.dispose()
    return db


def test_api_sources_lists_state_by_source(tmp_path: Path) -> None:
    with TestClient(create_app(_store(tmp_path), index=False)) as client:
        response = client.get("/api/sources")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2 and [item["source"] for item in body["items"]] == ["mati", "uji"]
    uji = body["items"][1]
    assert (uji["rounds"], uji["new"], uji["failed"], uji["total_ingested"]) == (1, 1, 1, 1)
    assert uji["urls"] == {"pending": 1, "ingested": 1, "skipped": 0, "forbidden": 0, "failed": 0}
    assert uji["last_round_at"].startswith("2026-12-06T03:00")


def test_sources_page_escapes_what_outlets_control(tmp_path: Path) -> None:
    with TestClient(create_app(_store(tmp_path), index=False)) as client:
        page = client.get("/sumber")
        empty = TestClient(create_app(str(tmp_path / "empty.db"), index=False))
        with empty:
            blank = empty.get("/sumber")
    assert page.status_code == 200
    assert HOSTILE not in page.text and "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page.text
    assert 'id="sources"' in page.text and "<strong>uji</strong>" in page.text
    assert blank.status_code == 200 and 'id="no-sources"' in blank.text
