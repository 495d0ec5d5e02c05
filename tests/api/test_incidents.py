"""The incidents API over a store of three own-written reports: two outlets on one bust, one other bust."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pantau.api.app import create_app
from pantau.store.ingest import ingest

CORPUS = Path(__file__).parent.parent / "fixtures" / "incidents_corpus.jsonl"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = str(tmp_path_factory.mktemp("incidents") / "i.db")
    ingest([str(CORPUS)], db, workers=1)
    with TestClient(create_app(db, index=False)) as test_client:
        yield test_client


def test_two_outlets_on_one_bust_are_one_incident(client: TestClient) -> None:
    page = client.get("/api/incidents").json()
    assert page["total"] == 2
    sizes = sorted((item["articles"], item["outlets"]) for item in page["items"])
    assert sizes == [(1, 1), (2, 2)]
    meth = next(item for item in page["items"] if item["articles"] == 2)
    assert meth["seizures"] == [{"substance": "methamphetamine", "unit": "g", "quantity": 1200.0, "min": 1200.0,
                                 "max": 1200.0, "articles": 2}]
    assert meth["regency_code"] == "16.07" and meth["province"] == "Sumatera Selatan"


def test_one_incident_has_its_timeline_and_reasons(client: TestClient) -> None:
    article = client.get("/api/articles/inc-a2").json()
    found = client.get(f"/api/incidents/{article['incident_id']}").json()
    assert [item["id"] for item in found["timeline"]] == ["inc-a1", "inc-a2"]
    assert found["timeline"][0]["note"] == "new incident"
    assert "same suspects" in found["timeline"][1]["note"]
    assert found["facts"]["suspects"] == ["RS"]
    assert found["facts"]["seizures"][0]["by_article"] == {"inc-a1": [1200.0], "inc-a2": [1200.0]}


def test_filters_and_query(client: TestClient) -> None:
    assert client.get("/api/incidents", params={"substance": "cannabis"}).json()["total"] == 1
    assert client.get("/api/incidents", params={"province": "31"}).json()["total"] == 0
    assert client.get("/api/incidents", params={"since": "2025-06-03"}).json()["total"] == 1
    assert client.get("/api/incidents", params={"q": "ganja"}).json()["total"] == 1
    assert client.get("/api/incidents", params={"type": "bogus"}).status_code == 400


def test_unknown_incidents_are_404(client: TestClient) -> None:
    assert client.get("/api/incidents/999999").status_code == 404
    assert client.get(f"/api/incidents/{2**70}").status_code == 404


def test_incident_pages_link_articles_and_escape_text(client: TestClient) -> None:
    listing = client.get("/insiden", params={"q": "sabu"})
    assert listing.status_code == 200 and 'id="incident-count">1 insiden' in listing.text
    article = client.get("/artikel/inc-a1")
    incident_id = client.get("/api/articles/inc-a1").json()["incident_id"]
    assert f'href="/insiden/{incident_id}"' in article.text
    page = client.get(f"/insiden/{incident_id}")
    assert page.status_code == 200
    assert page.text.count('href="/artikel/inc-a') == 2 and "Warta Dua" in page.text
    assert client.get("/insiden/424242").status_code == 404
    assert client.get("/insiden", params={"type": "<script>"}).status_code == 400


def test_alerts_api_feed_and_overview_panel(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A quiet regency history then a burst: the store raises a stored alert that the API, feed and page show."""
    import datetime
    import json

    folder = tmp_path_factory.mktemp("alerts")
    rows = []
    start = datetime.date(2025, 1, 6)
    places = ["Kota Medan", "Kota Palembang", "Kota Makassar", "Kota Samarinda"]
    for week in range(60):
        day = start + datetime.timedelta(weeks=week)
        rows.append((f"q{week}", day, places[week % 4], week))
    burst_day = start + datetime.timedelta(weeks=60)
    for n in range(7):
        rows.append((f"b{n}", burst_day + datetime.timedelta(days=n % 3), "Kota Medan", 100 + n))
    with open(folder / "c.jsonl", "w", encoding="utf-8") as handle:
        for key, day, place, n in rows:
            grams = 10 + n * 7
            text = (f"Satresnarkoba menangkap tersangka berinisial A{chr(65 + n % 26)}{chr(65 + n // 26 % 26)} "
                    f"({20 + n % 30}) dengan barang bukti {grams} gram sabu di {place} pada {day.day}/{day.month}/"
                    f"{day.year}. Tersangka dijerat UU Nomor 35 Tahun 2009 tentang Narkotika.")
            handle.write(json.dumps({"id": key, "url": f"https://contoh.example/{key}", "outlet": "Contoh",
                                     "date": day.isoformat(), "title": f"Polisi Sita {grams} Gram Sabu di {place}",
                                     "text": text}) + "\n")
    db = str(folder / "a.db")
    summary = ingest([str(folder / "c.jsonl")], db, workers=1)
    assert summary.alerts >= 1
    with TestClient(create_app(db, index=False)) as client:
        alerts = client.get("/api/alerts", params={"kind": "spike"}).json()
        assert alerts["total"] >= 1
        spike = alerts["items"][0]
        assert spike["region_code"] in ("12.71", "12") and spike["numbers"]["observed"] >= 5
        feed = client.get("/alerts.atom")
        assert feed.headers["content-type"].startswith("application/atom+xml")
        assert feed.text.count("<entry>") == client.get("/api/alerts").json()["total"]
        assert 'id="alerts"' in client.get("/").text
        assert client.get("/api/alerts", params={"kind": "nope"}).status_code == 400


def test_incident_pages_and_feed_escape_article_text(client_with_xss: TestClient) -> None:
    listing = client_with_xss.get("/insiden")
    assert listing.status_code == 200 and "<script>window.pwned" not in listing.text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in listing.text
    incident = client_with_xss.get("/api/articles/xss-1").json()["incident_id"]
    page = client_with_xss.get(f"/insiden/{incident}")
    assert page.status_code == 200 and "<script>window.pwned" not in page.text and "<img src=x" not in page.text
    assert "&lt;img src=x" in page.text  # shown as text
    assert "<script>" not in client_with_xss.get("/alerts.atom").text


@pytest.fixture(scope="module")
def client_with_xss(seeded_db: str) -> TestClient:
    with TestClient(create_app(seeded_db, index=False)) as test_client:
        yield test_client
