"""Aggregates, filters, lists and rankings against an oracle computed in Python from the stored records.

The store holds the seeds, syndicated rewrites of two of them (same story, facts to count once) and
short reports from other provinces, months and outlets. For every grouping and a spread of filters,
the reads must equal what the definitions say, computed here the slow, obvious way; each check runs
twice, on the store's SQL and on the in-memory facet index (``reader`` fixture), on SQLite and on
PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, text

from pantau.record import Article
from pantau.store import read
from pantau.store.db import open_store
from pantau.store.facets import GROUPINGS, facet_values, sort_date
from pantau.store.index import FacetIndex
from pantau.store.ingest import ingest
from pantau.store.queries import Filters
from pantau.store.search import terms
from pantau.store.search.fts5 import normal_word
from tests.store.conftest import temporary_postgres

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
REPORTS = [
    ("Kupang", "Polres Kupang", "AKBP Budi Santoso", "15 gram sabu", "Senin (7/10/2024)", "KabarNTT"),
    ("Pemalang", "Polres Pemalang", "AKBP Agus Wibowo", "2 kilogram ganja", "Rabu (3/1/2024)", "RADARPEKALONGAN"),
    ("Tabanan", "Polres Tabanan", "AKBP Dedi Saputra", "120 butir ekstasi", "Kamis (14/3/2024)", "BaliPost"),
    ("Banyuasin", "Polres Banyuasin", "AKBP Rury Prastowo", "3 kilogram sabu", "Jumat (9/2/2024)", "SRIPOKU.COM"),
    ("Palangka Raya", "Polresta Palangka Raya", "Kombes Pol Andi Hakim", "40 gram sabu", "Selasa (5/3/2024)",
     "BALANGANEWS"),
]


def _report(place: str, unit: str, chief: str, seized: str, day: str, outlet: str, n: int) -> str:
    return (f"{place} ({outlet}) - Satresnarkoba {unit} menangkap {n + 2} tersangka pengedar narkoba dan menyita "
            f"{seized}, {day}. Kapolres {place}, {chief}, mengatakan sepanjang tahun ini pihaknya mengungkap "
            f"{10 + n} kasus narkoba. \"Kami tidak akan berhenti memberantas peredaran narkoba di wilayah ini,\" "
            f"tegasnya. Para tersangka dijerat Pasal 114 ayat (2) UU Nomor 35 Tahun 2009 tentang Narkotika.")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("aggregates")
    rows: list[dict[str, str]] = []
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds:
        rows.append({"id": seed.stem, "text": seed.read_text(encoding="utf-8")})
    for copy, seed in enumerate([seeds[4], seeds[4], seeds[0]]):  # syndicated rewrites: one story each
        body = seed.read_text(encoding="utf-8")
        rows.append({"id": f"copy-{copy}", "url": f"https://lain.id/{copy}", "outlet": f"Portal{copy}",
                     "text": body.replace("Sementara itu", "Di sisi lain") + f"\n\nDisadur redaksi {copy}."})
    for n, (place, unit, chief, seized, day, outlet) in enumerate(REPORTS * 2):
        rows.append({"id": f"report-{n}", "url": f"https://berita.id/{n}",
                     "text": _report(place, unit, chief, seized, day, outlet, n) + f" Laporan nomor {n}."})
    corpus = folder / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    with ExitStack() as stack:
        url = str(folder / "agg.db") if request.param == "sqlite" else stack.enter_context(temporary_postgres())
        summary = ingest([str(corpus)], url, workers=1)
        assert summary.counts["ok"] == len(rows)
        yield url


def _records(conn: Connection) -> list[tuple[Article, int]]:
    rows = conn.execute(text("SELECT record, story_id FROM articles ORDER BY id")).all()
    return [(Article.model_validate(r.record if isinstance(r.record, dict) else json.loads(r.record)), r.story_id)
            for r in rows]


class Reader:
    """The store's reads through one connection, answered by the SQL (``index`` None) or by a facet index."""

    def __init__(self, conn: Connection, index: FacetIndex | None) -> None:
        self.conn, self.index = conn, index
        self.records = _records(conn)

    def aggregate(self, by: str, filters: Filters) -> dict[str, dict[str, Any]]:
        return {g.key: {"articles": g.articles, "stories": g.stories, "seizures": dict(g.seizures), "cases": g.cases,
                        "suspects": g.suspects} for g in read.aggregates(self.conn, by, filters, self.index)}


@pytest.fixture(scope="module", params=["sql", "index"])
def reader(request: pytest.FixtureRequest, store: str) -> Any:
    engine = open_store(store)
    with engine.connect() as conn:
        yield Reader(conn, FacetIndex.load(conn) if request.param == "index" else None)
    engine.dispose()


def _matches(article: Article, filters: Filters) -> bool:
    facets = set(facet_values(article))
    if any((kind, value) not in facets for kind, value in filters.facets()):
        return False
    date = sort_date(article)
    if (filters.since or filters.until) and date is None:
        return False
    if filters.since and date < filters.since:  # type: ignore[operator]
        return False
    return not (filters.until and date > filters.until_bound)  # type: ignore[operator]


def _oracle(records: list[tuple[Article, int]], by: str, filters: Filters) -> dict[str, dict[str, Any]]:
    articles: dict[str, set[str]] = defaultdict(set)
    stories: dict[str, set[int]] = defaultdict(set)
    seizures: dict[str, set[tuple[int, str, str, float]]] = defaultdict(set)
    counts: dict[str, set[tuple[int, str, str | None, str | None, float]]] = defaultdict(set)
    for article, story in records:
        if not _matches(article, filters):
            continue
        for kind, key in facet_values(article):
            if kind != by:
                continue
            articles[key].add(article.id)
            stories[key].add(story)
            for z in article.seizures:
                if z.quantity is not None and (by != "substance" or z.substance == key):
                    seizures[key].add((story, z.substance, z.unit or "", z.quantity))
            for t in article.statistics:
                if t.measure in ("cases", "suspects"):
                    counts[key].add((story, t.measure, t.subject, t.period, t.value))
    out = {}
    for key in articles:
        totals: dict[tuple[str, str], float] = defaultdict(float)
        for _, substance, unit, quantity in seizures[key]:
            totals[(substance, unit)] += quantity
        out[key] = {"articles": len(articles[key]), "stories": len(stories[key]), "seizures": dict(totals),
                    "cases": sum(v for _, m, _, _, v in counts[key] if m == "cases"),
                    "suspects": sum(v for _, m, _, _, v in counts[key] if m == "suspects")}
    return out


def _filter_spread(records: list[tuple[Article, int]]) -> list[Filters]:
    values: dict[str, set[str]] = defaultdict(set)
    for article, _ in records:
        for kind, key in facet_values(article):
            values[kind].add(key)
    spread = [Filters(), Filters(since="2024-01-01"), Filters(until="2023"), Filters(since="2024-02", until="2024-03")]
    spread += [Filters(province=p) for p in sorted(values["province"])]
    spread += [Filters(regency=r) for r in sorted(values["regency"])[:4]]
    spread += [Filters(substance=s) for s in sorted(values["substance"])]
    spread += [Filters(topic=t) for t in sorted(values["topic"])[:3]]
    spread += [Filters(outlet=o) for o in sorted(values["outlet"])[:3]]
    spread += [Filters(province=p, substance="methamphetamine", since="2024-01-01") for p in sorted(values["province"])]
    spread += [Filters(topic="drugs", until="2024-02-29")]
    return spread


def test_the_store_has_what_the_oracle_needs(reader: Reader) -> None:
    stories = defaultdict(list)
    for article, story in reader.records:
        stories[story].append(article)
    assert max(len(members) for members in stories.values()) >= 3  # a seed and its rewrites
    provinces = {key for article, _ in reader.records for kind, key in facet_values(article) if kind == "province"}
    assert len(provinces) >= 5
    assert sum(len(a.seizures) for a, _ in reader.records) >= 10


def test_aggregates_equal_the_oracle_for_every_grouping_and_filter(reader: Reader) -> None:
    for by, filters in itertools.product(GROUPINGS, _filter_spread(reader.records)):
        assert reader.aggregate(by, filters) == _oracle(reader.records, by, filters), (by, filters)


def test_syndicated_copies_count_their_facts_once(reader: Reader) -> None:
    records = reader.records
    south_sumatra = reader.aggregate("province", Filters())["16"]
    in_16 = [(a, s) for a, s in records if ("province", "16") in facet_values(a)]
    assert south_sumatra["articles"] == len(in_16) > len({s for _, s in in_16})  # more articles than stories
    seed_story = next(s for a, s in records if a.id.startswith("004"))
    assert len([a for a, s in records if s == seed_story]) == 3
    # the seed's 28 kg once, though three copies report it, and a report's 3 kg
    assert south_sumatra["seizures"][("methamphetamine", "g")] == 28_000 + 3_000


def test_lists_and_rankings_follow_the_filters(reader: Reader) -> None:
    conn, index = reader.conn, reader.index
    for filters in _filter_spread(reader.records):
        expected = [(a, s) for a, s in reader.records if _matches(a, filters)]
        page = read.list_articles(conn, filters, None, 1, 100, index)
        assert page.total == len(expected), filters
        assert sorted(item["id"] for item in page.items) == sorted(a.id for a, _ in expected), filters
        keys = [(item["date"] or "", ) for item in page.items]
        assert keys == sorted(keys, reverse=True), filters
        people = {p["name"]: p["articles"] for p in read.rank_people(conn, filters, None, index)}
        named: dict[str, set[str]] = defaultdict(set)
        for article, _ in expected:
            for person in article.people:
                named[person.name].add(article.id)
        assert people == {name: len(ids) for name, ids in named.items()}, filters
        units = {o["name"]: o["articles"] for o in read.rank_organizations(conn, filters, None, index)}
        assert sum(units.values()) == sum(len({o.name for o in a.organizations}) for a, _ in expected), filters
        # a substance filter lists that substance's seizures, not every seizure of the articles
        for table, of_article in (("seizures", partial(_seized, substance=filters.substance)),
                                  ("statistics", lambda a: a.statistics), ("quotes", lambda a: a.quotes)):
            lister = getattr(read, f"list_{table}")
            listed = lister(conn, filters, None, 1, 100, index) if table == "quotes" else \
                lister(conn, filters, 1, 100, index)
            assert listed.total == sum(len(of_article(a)) for a, _ in expected), (table, filters)


def _words(value: str | None) -> set[str]:
    return {normal_word(w) for w in re.findall(r"[^\W_]+", value or "")}


def _all_pages(conn: Connection, query: str, filters: Filters, size: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for number in itertools.count(1):
        page = read.list_articles(conn, filters, query, number, size)
        items += page.items
        if len(page.items) < size:
            return items
    return items


def test_search_finds_each_matching_article_once_on_every_page_and_filter(
        reader: Reader, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every article holding the query's words and passing the filters, none twice, across pages that go
    past the ranked window (3 here) into the newest-first remainder; the total counts them."""
    from pantau.store import search

    monkeypatch.setattr(terms, "SEARCH_WINDOW", 3)
    conn = reader.conn
    sqlite = conn.dialect.name == "sqlite"
    regencies = sorted({key for a, _ in reader.records for kind, key in facet_values(a) if kind == "regency"})
    spread = _filter_spread(reader.records) + [Filters(province=r.split(".")[0], regency=r) for r in regencies]
    spread.append(Filters(province="11", regency=regencies[0]))  # a regency of another province: nothing
    for query in ("sabu", "narkoba Kapolres", "tersangka", "tidak ada kata ini"):
        wanted = _words(query)
        for filters in spread:
            if sqlite:
                expected = sorted(a.id for a, _ in reader.records
                                  if wanted <= _words(a.title) | _words(a.body) and _matches(a, filters))
            else:  # PostgreSQL stems the words ('indonesian'): every match, in one page, is the reference
                expected = sorted(h.record_id for h in search.search(conn, query, filters, limit=1000))
                assert all(_matches(a, filters) for a, _ in reader.records if a.id in expected)
            for size in (2, 5):
                found = [item["id"] for item in _all_pages(conn, query, filters, size)]
                assert sorted(found) == expected, (query, filters, size)
            page = read.list_articles(conn, filters, query, 1, 5)
            assert (page.total, page.total_exact) == (len(expected), True), (query, filters)
    assert len(search.match_ids(conn, "narkoba")) >= 10
    assert len(search.search(conn, "narkoba", limit=1000)) >= 10


def test_search_totals_stop_counting_at_the_cap(store: str) -> None:
    from pantau.store import search

    engine = open_store(store)
    with engine.connect() as conn:
        everything, exact = search.count_search(conn, "narkoba")
        assert exact and everything >= 10
        assert search.count_search(conn, "narkoba", cap=everything) == (everything, True)
        assert search.count_search(conn, "narkoba", cap=4) == (4, False)
        assert read.list_articles(conn, Filters(), "narkoba", 1, 3).total_exact
    engine.dispose()


def _seized(article: Article, substance: str | None) -> list[Any]:
    return [z for z in article.seizures if substance in (None, z.substance)]


def test_rankings_and_pages_match_between_sql_and_index(store: str) -> None:
    engine = open_store(store)
    with engine.connect() as conn:
        index = FacetIndex.load(conn)
        for filters in (Filters(), Filters(province="16"), Filters(since="2024-01-01"), Filters(topic="drugs")):
            for name in (None, "rury", "polres", "zz"):
                assert read.rank_people(conn, filters, name, index) == read.rank_people(conn, filters, name)
                assert read.rank_organizations(conn, filters, name, index) == \
                    read.rank_organizations(conn, filters, name)
            for page, size in ((1, 5), (2, 5), (4, 7), (100, 20)):
                assert read.list_articles(conn, filters, None, page, size, index) == \
                    read.list_articles(conn, filters, None, page, size)
                assert read.list_seizures(conn, filters, page, size, index) == read.list_seizures(conn, filters, page,
                                                                                                   size)
                assert read.list_quotes(conn, filters, "Rury Prastowo", page, size, index) == \
                    read.list_quotes(conn, filters, "Rury Prastowo", page, size)
            assert read.list_seizures(conn, Filters(substance="cannabis"), 1, 50, index) == \
                read.list_seizures(conn, Filters(substance="cannabis"), 1, 50)
        for code in ("16", "53", "16.07", "62.71", "11"):
            assert read.get_region(conn, code, index) == read.get_region(conn, code), code
        from pantau.web.routes import overview_data

        assert overview_data(conn, index) == overview_data(conn)
    engine.dispose()


def test_until_takes_the_whole_year_or_month_it_names() -> None:
    assert Filters(until="2023").until_bound == "2023-12-31"
    assert Filters(until="2023-02").until_bound == "2023-02-31"
    assert Filters(until="2023-02-14").until_bound == "2023-02-14"
    assert Filters().until_bound is None


def test_date_ranges_compared_row_by_row_find_what_the_date_words_find(
        reader: Reader, monkeypatch: pytest.MonkeyPatch) -> None:
    """A range needing too many words is checked on each match's date instead: the same articles."""
    from pantau.store import search

    conn = reader.conn
    ranges = [Filters(since="2024-01-01"), Filters(until="2023"), Filters(since="2024-02-10", until="2024-03-05"),
              Filters(province="16", since="2024-02", until="2024-12-31")]
    by_words = {f: search.search_page(conn, "narkoba", f, limit=100) for f in ranges}
    monkeypatch.setattr(terms, "MAX_DATE_TERMS", 0)
    for filters, expected in by_words.items():
        found = search.search_page(conn, "narkoba", filters, limit=100)
        assert sorted(h.record_id for h in found.hits) == sorted(h.record_id for h in expected.hits), filters
        assert found.total == expected.total, filters
    everything = search.search_page(conn, "narkoba", Filters(), limit=100).total
    assert all(page.hits for page in by_words.values()) and min(p.total for p in by_words.values()) < everything
