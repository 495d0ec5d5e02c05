"""Dashboard pages, rendered on the server: content and escaping (the browser tests run the JS)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import XSS_TITLE


def test_overview_has_counts_and_trend_data(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'id="trend-data"' in page.text and "/static/vendor/echarts.min.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_article_page_highlights_facts(client: TestClient) -> None:
    page = client.get("/artikel/004_08796327ddaf0306").text
    assert '<span class="ent ent-person" title="Rury Prastowo">AKBP Rury Prastowo</span>' in page
    assert "ent-quote" in page and "ent-location" in page


def test_search_page_highlights_matches(client: TestClient) -> None:
    page = client.get("/cari", params={"q": "sabu"}).text
    assert "<mark>sabu</mark>" in page and "004_08796327ddaf0306" in page


def test_search_page_says_when_the_total_is_a_lower_bound(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from pantau.store.search import terms

    assert '<p class="meta" id="result-count">2 artikel' in client.get("/cari", params={"q": "sabu"}).text
    monkeypatch.setattr(terms, "SEARCH_WINDOW", 1)  # one ranked match: the rest are counted...
    monkeypatch.setattr(terms, "COUNT_CAP", 1)  # ...and counting stops after one: "at least one"
    assert '<p class="meta" id="result-count">1+ artikel' in client.get("/cari", params={"q": "Sabu"}).text


def test_hostile_text_is_escaped_everywhere(client: TestClient) -> None:
    for path in ("/artikel/xss-1", "/cari?q=sabu", "/", "/wilayah/53"):
        page = client.get(path).text
        assert "<script>window.pwned" not in page, path
        assert "onerror=" not in page.replace("onerror=&#34;", "").replace("onerror=window", "x") or \
               "&lt;img" in page, path
    article = client.get("/artikel/xss-1").text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in article
    assert XSS_TITLE not in article


def test_pages_for_people_regions_and_errors(client: TestClient) -> None:
    assert "Kapolres Banyuasin" in client.get("/orang/Rury Prastowo").text
    assert "Sumatera Selatan" in client.get("/wilayah/16").text
    missing = client.get("/artikel/tidak-ada")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert client.get("/cari", params={"province": "zz"}).status_code == 400


def test_map_page_and_boundaries(client: TestClient) -> None:
    assert 'id="map-data"' in client.get("/peta").text
    geo = client.get("/provinces.geojson").json()
    codes = {f["properties"]["code"] for f in geo["features"]}
    assert {"16", "62", "53", "18", "82"} <= codes and len(codes) == 33
    included = {c for f in geo["features"] for c in f["properties"]["includes"]}
    assert included == {"65", "93", "94", "95", "96"}


def test_a_source_url_that_is_not_http_is_never_a_link(tmp_path: Path) -> None:
    import json

    from fastapi.testclient import TestClient

    from pantau.api.app import create_app
    from pantau.store.ingest import ingest

    corpus = tmp_path / "js.jsonl"
    corpus.write_text(json.dumps({"id": "js-1", "url": "javascript:alert(1)", "title": "Polisi Sita Sabu",
                                  "text": "Kupang - Polisi menyita 2 gram sabu dari seorang pengedar."}) + "\n",
                      encoding="utf-8")
    db = str(tmp_path / "js.db")
    ingest([str(corpus)], db, workers=1)
    with TestClient(create_app(db, index=False)) as client:
        page = client.get("/artikel/js-1")
    assert page.status_code == 200 and "Polisi Sita Sabu" in page.text
    assert "javascript:" not in page.text.lower()
