from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

SEED_004 = "004_08796327ddaf0306"


def test_articles_list_is_paginated_and_newest_first(client: TestClient) -> None:
    first = client.get("/api/articles", params={"page_size": 2}).json()
    assert first["total"] == 6 and first["page"] == 1 and len(first["items"]) == 2
    dates = [item["date"] for item in first["items"]]
    assert dates == sorted(dates, reverse=True)
    rest = client.get("/api/articles", params={"page_size": 2, "page": 3}).json()
    assert len(rest["items"]) == 2
    beyond = client.get("/api/articles", params={"page_size": 2, "page": 4}).json()
    assert beyond["items"] == [] and beyond["total"] == 6


def test_search_with_the_cli_filter_names(client: TestClient) -> None:
    body = client.get("/api/articles", params={"q": "sabu", "province": "16"}).json()
    assert [item["id"] for item in body["items"]] == [SEED_004]
    item = body["items"][0]
    assert "sabu" in item["snippet"] and "\x02" not in item["snippet"]
    assert "<mark>sabu</mark>" in item["snippet_html"]
    assert client.get("/api/articles", params={"q": "sabu", "province": "52"}).json()["total"] == 0
    assert client.get("/api/articles", params={"regency": "16.07"}).json()["total"] == 1
    assert client.get("/api/articles", params={"since": "2023-01-01", "until": "2023-12-31"}).json()["total"] == 1
    assert client.get("/api/articles", params={"outlet": "KabarNTB"}).json()["items"][0]["id"].startswith("002")
    assert client.get("/api/articles", params={"topic": "election"}).json()["total"] >= 1


@pytest.mark.parametrize(("params", "name"), [
    ({"province": "Sumsel"}, "province"), ({"regency": "16"}, "regency"), ({"since": "kemarin"}, "since"),
    ({"page": 0}, "page"), ({"page_size": 1000}, "page_size"), ({"q": "x" * 501}, "q"),
    ({"topic": "<script>"}, "topic"),
])
def test_bad_filters_are_400_with_a_json_message(client: TestClient, params: dict, name: str) -> None:
    response = client.get("/api/articles", params=params)
    assert response.status_code == 400
    body = response.json()
    assert name in body["error"] and body["detail"][0]["parameter"] == name


def test_one_article_with_all_its_facts_and_spans(client: TestClient) -> None:
    body = client.get(f"/api/articles/{SEED_004}").json()
    record = body["record"]
    assert record["id"] == SEED_004
    [person] = record["people"]
    assert person["name"] == "Rury Prastowo"
    for start, end in person["mentions"]:
        assert record["body"][start:end] in ("Kapolres Banyuasin", "AKBP Rury Prastowo", "Kapolres", "AKBP Rury")
    assert {s["measure"] for s in record["statistics"]} == {"cases"}
    assert body["same_story"] == []


def test_unknown_ids_are_404(client: TestClient) -> None:
    for path in ("/api/articles/nope", "/api/stories/99999", "/api/people/Nobody%20Here", "/api/regions/99"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "error" in response.json()


def test_stories_people_organizations_quotes(client: TestClient) -> None:
    stories = client.get("/api/stories").json()
    assert stories["total"] == 6
    story = client.get(f"/api/stories/{stories['items'][0]['id']}").json()
    assert len(story["articles"]) >= 1
    people = client.get("/api/people", params={"q": "rury"}).json()
    assert [p["name"] for p in people["items"]] == ["Rury Prastowo"]
    person = client.get("/api/people/Rury Prastowo").json()
    assert person["positions"][0]["position"] == "Kapolres Banyuasin"
    assert [q["article"]["id"] for q in person["quotes"]].count(SEED_004) == 5
    quotes = client.get("/api/quotes", params={"speaker": "Hendra Rochmawan"}).json()
    assert quotes["total"] == 2 and quotes["items"][0]["article"]["id"].startswith("000")
    orgs = client.get("/api/organizations", params={"q": "polda"}).json()
    assert "Polda Nusa Tenggara Barat" in {o["name"] for o in orgs["items"]}
    assert client.get("/api/people", params={"q": "%"}).json()["total"] == 0


def test_facts_lists(client: TestClient) -> None:
    stats = client.get("/api/statistics", params={"province": "16"}).json()
    assert sorted(i["value"] for i in stats["items"]) == [112, 121]
    assert stats["items"][0]["article"]["id"] == SEED_004
    assert client.get("/api/seizures").status_code == 200


def test_region_and_aggregates(client: TestClient) -> None:
    region = client.get("/api/regions/16").json()
    assert region["name"] == "Sumatera Selatan" and region["articles"] == 1
    assert region["people"][0]["name"] == "Rury Prastowo"
    regency = client.get("/api/regions/16.07").json()
    assert regency["level"] == "regency" and regency["articles"] == 1
    by_province = client.get("/api/aggregates", params={"by": "province"}).json()
    assert {g["key"] for g in by_province["groups"]} >= {"16", "51", "52", "53", "62"}
    assert client.get("/api/aggregates", params={"by": "colour"}).status_code == 400


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/articles", "/api/articles/{article_id}", "/api/aggregates", "/api/regions/{code}"} <= set(paths)
    assert client.get("/docs").status_code == 200
