"""Every endpoint, filter, error and pagination edge, answered from the facet index and from the SQL
(the ``client`` fixture runs each test both ways over the same seeded store)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

SEED_004 = "004_08796327ddaf0306"
LISTS = ["/api/articles", "/api/seizures", "/api/statistics", "/api/quotes", "/api/people", "/api/organizations",
         "/api/stories"]


@pytest.mark.parametrize("path", LISTS)
def test_every_list_pages_the_same_items_it_counts(client: TestClient, path: str) -> None:
    whole = client.get(path, params={"page_size": 100}).json()
    total = whole["total"]
    assert total == len(whole["items"]) > 0
    pages = [client.get(path, params={"page": n, "page_size": 2}).json() for n in range(1, total // 2 + 2)]
    assert all(p["total"] == total and p["page_size"] == 2 for p in pages)
    assert [item for p in pages for item in p["items"]] == whole["items"]
    assert pages[-1]["items"] == [] or len(pages[-1]["items"]) < 2 or total % 2 == 0
    beyond = client.get(path, params={"page": 1000}).json()
    assert beyond["items"] == [] and beyond["total"] == total and beyond["page"] == 1000


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(("params", "name"), [({"page": 0}, "page"), ({"page": 100_001}, "page"),
                                             ({"page_size": 0}, "page_size"), ({"page_size": 101}, "page_size"),
                                             ({"page": "satu"}, "page")])
def test_pages_out_of_bounds_are_400(client: TestClient, path: str, params: dict, name: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"][0]["parameter"] == name


@pytest.mark.parametrize("path", ["/api/articles", "/api/seizures", "/api/statistics", "/api/quotes", "/api/people",
                                  "/api/organizations", "/api/aggregates"])
@pytest.mark.parametrize(("params", "name"), [
    ({"province": "16.07"}, "province"), ({"regency": "Banyuasin"}, "regency"), ({"since": "2024-1-1"}, "since"),
    ({"until": "31/12/2024"}, "until"), ({"substance": "sabu; DROP TABLE articles"}, "substance"),
    ({"outlet": "x" * 257}, "outlet"), ({"topic": ""}, "topic"),
])
def test_every_filter_is_validated_on_every_endpoint(client: TestClient, path: str, params: dict, name: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert name in response.json()["error"]


def test_articles_filters_combine(client: TestClient) -> None:
    def ids(**params: str) -> list[str]:
        return [item["id"] for item in client.get("/api/articles", params={**params, "page_size": 100}).json()["items"]]

    everything = ids()
    assert len(everything) == 6
    assert ids(substance="methamphetamine") == ["xss-1", SEED_004]  # newest first; 004 has no date: last
    assert ids(substance="cannabis") == [SEED_004]
    assert ids(province="16", substance="cannabis") == [SEED_004]
    assert ids(province="53", substance="cannabis") == []
    assert set(ids(province="53")) == {"xss-1", "001_daf840c5136c6c10"}
    assert ids(since="2024-10-02") == ["xss-1"]  # the seed of 2024-10-01 is before, 004 has no date
    assert set(ids(until="2021")) == {"000_5d0a2ea7a5e4f329", "002_53e8ae831c9849d8"}  # the whole of 2021
    assert ids(until="2020-11") == ["000_5d0a2ea7a5e4f329"]
    assert ids(since="2021", until="2020") == []
    assert ids(outlet="kabarntb") == []  # outlets match exactly
    assert ids(topic="no_such_topic") == []


def test_search_query_edges(client: TestClient) -> None:
    def search(**params: str) -> dict:
        response = client.get("/api/articles", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    assert search(q="sabu")["total"] == 2 and search(q="sabu")["total_exact"] is True
    assert search(q="SABU")["total"] == 2  # case-insensitive
    assert search(q="sabu ganja")["total"] == 1  # every word
    assert search(q="   ")["total"] == 6  # blank: the plain list
    assert search(q="!!! ???")["items"] == []  # no word: nothing, and no error
    for hostile in ('sabu" OR "x', "sabu*", "NEAR(sabu ganja)", "sabu) OR (1=1", "body:sabu", "'; DROP TABLE x; --"):
        assert search(q=hostile)["total"] in (0, 1, 2), hostile  # query syntax never reaches the engine
    assert search(q="sabu", page="2", page_size="1")["items"][0]["id"] in {"xss-1", SEED_004}
    assert search(q="sabu", page="3", page_size="1")["items"] == []
    first = search(q="sabu")["items"][0]
    assert set(first) >= {"id", "title", "outlet", "date", "url", "snippet", "snippet_html", "score"}


def test_seizures_statistics_and_quotes_filters(client: TestClient) -> None:
    cannabis = client.get("/api/seizures", params={"substance": "cannabis"}).json()
    assert [(s["substance"], s["quantity"], s["unit"]) for s in cannabis["items"]] == [("cannabis", 1185.0, "g")]
    meth = client.get("/api/seizures", params={"substance": "methamphetamine"}).json()
    assert sorted(s["quantity"] for s in meth["items"]) == [2.0, 28000.0]
    in_16 = client.get("/api/seizures", params={"province": "16"}).json()
    assert in_16["total"] == 3 and {s["article"]["id"] for s in in_16["items"]} == {SEED_004}
    assert client.get("/api/seizures", params={"province": "62"}).json()["total"] == 0
    assert client.get("/api/statistics", params={"since": "2025-01-01"}).json()["total"] == 0
    quotes = client.get("/api/quotes", params={"speaker": "Rury Prastowo"}).json()
    assert quotes["total"] >= 5 and {q["speaker"] for q in quotes["items"]} == {"Rury Prastowo"}
    assert client.get("/api/quotes", params={"speaker": "Rury Prastowo", "province": "52"}).json()["total"] == 0
    assert client.get("/api/quotes", params={"speaker": "x" * 257}).status_code == 400


def test_people_and_organizations_rankings(client: TestClient) -> None:
    people = client.get("/api/people", params={"page_size": 100}).json()["items"]
    counts = [p["articles"] for p in people]
    assert counts == sorted(counts, reverse=True) and people[0] == {"name": "Rury Prastowo", "articles": 2,
                                                                      "last_seen": "2024-10-07"}
    assert [p["name"] for p in client.get("/api/people", params={"province": "52"}).json()["items"]] == \
        ["Helmi Kwarta", "Mohammad Iqbal"]
    assert client.get("/api/people", params={"q": "_"}).json()["total"] == 0  # LIKE wildcards are literal
    assert client.get("/api/people", params={"q": "x" * 201}).status_code == 400
    units = client.get("/api/organizations", params={"q": "bnnp"}).json()["items"]
    assert {u["name"] for u in units} == {"BNNP Nusa Tenggara Barat", "BNNP Nusa Tenggara Timur"}
    assert all(u["type"] == "bnn" and u["parent"] == "BNN RI" for u in units)
    assert client.get("/api/organizations", params={"topic": "election"}).json()["total"] >= 1


def test_one_record_endpoints(client: TestClient) -> None:
    stories = client.get("/api/stories", params={"page_size": 100}).json()["items"]
    for story in stories:
        found = client.get(f"/api/stories/{story['id']}").json()
        assert len(found["articles"]) == story["articles"]
        assert found["articles"][0]["id"] == story["first_article"]
    assert client.get("/api/stories/abc").status_code == 400
    huge = client.get("/api/stories/999999999999999999999999")  # past a 64-bit integer: no story, no 500
    assert huge.status_code == 404 and huge.headers.get("content-security-policy")
    assert client.get("/api/stories/-1").status_code == 404
    person = client.get("/api/people/Marciana Dominika Jone").json()
    assert person["positions"] and person["name"] == "Marciana Dominika Jone"
    assert client.get("/api/people/marciana dominika jone").status_code == 404  # names are exact
    record = client.get("/api/articles/xss-1").json()["record"]
    assert record["title"].startswith("<script>")  # JSON carries the text as it is; pages escape it


def test_regions(client: TestClient) -> None:
    ntt = client.get("/api/regions/53").json()
    assert (ntt["name"], ntt["level"], ntt["articles"], ntt["stories"]) == ("Nusa Tenggara Timur", "province", 2, 2)
    assert [s["substance"] for s in ntt["seizures"]] == ["methamphetamine"]
    assert [m["month"] for m in ntt["months"]] == ["2024-10"]
    assert {a["id"] for a in ntt["latest"]} == {"xss-1", "001_daf840c5136c6c10"}
    city = client.get("/api/regions/52.71").json()
    assert city["level"] == "city" and city["articles"] == 1
    empty = client.get("/api/regions/11").json()
    assert empty["articles"] == 0 and empty["seizures"] == [] and empty["latest"] == []
    for code in ("16.07.01", "99", "Sumsel", "16.99"):  # a district, unknown codes
        response = client.get(f"/api/regions/{code}")
        assert response.status_code == 404 and "error" in response.json(), code


@pytest.mark.parametrize("by", ["province", "regency", "month", "substance", "outlet", "topic"])
def test_aggregates_for_every_grouping(client: TestClient, by: str) -> None:
    body = client.get("/api/aggregates", params={"by": by}).json()
    assert body["by"] == by and body["groups"]
    articles = [g["articles"] for g in body["groups"]]
    assert articles == sorted(articles, reverse=True)
    for group in body["groups"]:
        assert set(group) == {"key", "label", "articles", "stories", "incidents", "seizures", "cases", "suspects"}
        assert 0 < group["incidents"] <= group["stories"] <= group["articles"]
    filtered = client.get("/api/aggregates", params={"by": by, "province": "16"}).json()["groups"]
    assert all(g["articles"] == 1 for g in filtered)  # only seed 004 is in province 16
    if by == "substance":
        assert {g["key"]: g["seizures"] for g in filtered} == {
            "cannabis": [{"substance": "cannabis", "unit": "g", "total": 1185.0}],
            "mdma": [{"substance": "mdma", "unit": "pill", "total": 20187.0}],
            "methamphetamine": [{"substance": "methamphetamine", "unit": "g", "total": 28000.0}]}


def test_aggregates_labels_and_errors(client: TestClient) -> None:
    provinces = {g["key"]: g["label"] for g in client.get("/api/aggregates").json()["groups"]}
    assert provinces["62"] == "Kalimantan Tengah" and provinces["16"] == "Sumatera Selatan"
    assert client.get("/api/aggregates", params={"by": "month", "since": "2030-01-01"}).json()["groups"] == []
    for bad in ("colour", "", "province;", "PROVINCE"):
        assert client.get("/api/aggregates", params={"by": bad}).status_code == 400, bad


def test_unknown_paths_and_methods(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.json() == {"error": "Not Found"}
    assert client.post("/api/articles").status_code == 405
    assert client.delete(f"/api/articles/{SEED_004}").status_code == 405
