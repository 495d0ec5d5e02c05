"""A running server follows the store: what an ingest commits shows in the API within moments,
from the facet index and from the SQL alike, and a stale answer is never kept."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pantau.api import reads
from pantau.api.app import create_app
from pantau.store import read
from pantau.store.ingest import ingest

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
REPORT = ("Palangka Raya - Satresnarkoba Polresta Palangka Raya menyita 40 gram sabu dari dua tersangka, "
          "Selasa (5/3/2024). Kapolresta Palangka Raya, Kombes Pol Budi Santoso, mengatakan kasus ini masih "
          "dikembangkan.")


def _until(client: TestClient, path: str, done, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(path).json()
        if done(body) or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


@pytest.mark.parametrize("index", [True, False])
def test_the_api_shows_what_an_ingest_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: bool) -> None:
    monkeypatch.setattr(reads, "VERSION_SECONDS", 0.0)
    db = str(tmp_path / "live.db")
    ingest([str(SEEDS)], db, workers=1)
    app = create_app(db, index=index)
    with TestClient(app) as client:
        before = {g["key"]: g for g in client.get("/api/aggregates").json()["groups"]}
        assert before["62"]["articles"] == 1 and before["62"]["seizures"] == []
        assert client.get("/api/articles").json()["total"] == 5
        corpus = tmp_path / "new.jsonl"
        corpus.write_text(json.dumps({"url": "https://contoh.id/pky", "text": REPORT}) + "\n", encoding="utf-8")
        ingest([str(corpus)], db, workers=1)
        after = _until(client, "/api/aggregates", lambda b: {g["key"]: g for g in b["groups"]}["62"]["articles"] == 2)
        central = {g["key"]: g for g in after["groups"]}["62"]
        assert central["articles"] == 2
        assert central["seizures"] == [{"substance": "methamphetamine", "unit": "g", "total": 40.0}]
        listed = _until(client, "/api/articles", lambda b: b["total"] == 6)
        assert listed["total"] == 6 and "https://contoh.id/pky" in {i["url"] for i in listed["items"]}
        people = _until(client, "/api/people?q=santoso", lambda b: b["total"] == 1)
        assert [p["name"] for p in people["items"]] == ["Budi Santoso"]


def test_a_started_server_has_the_dashboards_first_answers_ready(seeded_db: str) -> None:
    from pantau.store.queries import Filters

    app = create_app(seeded_db, index=True)
    with TestClient(app):  # start-up: the index is loaded, then the first page's reads computed on it
        state = app.state.reads
        version = state.live.index.version
        with state.engine.connect() as conn:
            for by in ("province", "month", "substance", "regency", "outlet", "topic"):
                found, body = state.cache.peek(version, ("json", ("aggregate", by, Filters())))
                assert found and body == reads.encode(reads.aggregates_payload(conn, by, Filters(), None)), by
            found, body = state.cache.peek(version, ("json", ("region", "16")))
            assert found and body == reads.encode(read.get_region(conn, "16"))  # the SQL's answer, byte for byte
        assert state.cache.peek(version, ("overview",))[0]
        assert state.cache.peek(version, ("people", Filters(), None))[0]
        for code in ("16", "62", "96"):  # the province pages the map links to, the page and its JSON
            assert state.cache.peek(version, ("region", code))[0], code
            assert state.cache.peek(version, ("json", ("region", code)))[0], code
        assert not state.cache.peek(version, ("region", "1671"))[0]  # a regency page is computed when asked
        assert not state.cache.peek(version, ("json", ("aggregate", "province", Filters(province="16"))))[0]


def test_a_server_process_switches_threads_every_millisecond_unless_told(seeded_db: str,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    before = sys.getswitchinterval()
    try:
        with TestClient(create_app(seeded_db, index=False)):
            assert sys.getswitchinterval() == pytest.approx(0.001)
        monkeypatch.setenv("PANTAU_SWITCH_INTERVAL_MS", "2.5")
        with TestClient(create_app(seeded_db, index=False)):
            assert sys.getswitchinterval() == pytest.approx(0.0025)
    finally:
        sys.setswitchinterval(before)
