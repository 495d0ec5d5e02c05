"""Aggregates, filters and rankings against an oracle computed in Python from the stored records.

The store holds the seeds, syndicated rewrites of two of them (same story, facts to count once) and
short reports from other provinces, months and outlets. For every grouping and a spread of filters,
``aggregate`` must equal what the definitions say, computed here the slow, obvious way.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, text

from pantau.record import Article
from pantau.store import read
from pantau.store.db import open_store
from pantau.store.facets import GROUPINGS, facet_values, sort_date
from pantau.store.ingest import ingest
from pantau.store.queries import Filters, aggregate

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
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
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
    url = str(folder / "agg.db") if request.param == "sqlite" else request.getfixturevalue("postgres_module_url")
    summary = ingest([str(corpus)], url, workers=1)
    assert summary.counts["ok"] == len(rows)
    return url


def _records(conn: Connection) -> list[tuple[Article, int]]:
    rows = conn.execute(text("SELECT record, story_id FROM articles ORDER BY id")).all()
    return [(Article.model_validate(r.record if isinstance(r.record, dict) else json.loads(r.record)), r.story_id)
            for r in rows]


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


def _actual(conn: Connection, by: str, filters: Filters) -> dict[str, dict[str, Any]]:
    return {g.key: {"articles": g.articles, "stories": g.stories, "seizures": dict(g.seizures), "cases": g.cases,
                    "suspects": g.suspects} for g in aggregate(conn, by, filters)}


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


def test_the_store_has_what_the_oracle_needs(store: str) -> None:
    engine = open_store(store)
    with engine.connect() as conn:
        records = _records(conn)
    engine.dispose()
    stories = defaultdict(list)
    for article, story in records:
        stories[story].append(article)
    assert max(len(members) for members in stories.values()) >= 3  # a seed and its rewrites
    provinces = {key for article, _ in records for kind, key in facet_values(article) if kind == "province"}
    assert len(provinces) >= 5
    assert sum(len(a.seizures) for a, _ in records) >= 10


def test_aggregates_equal_the_oracle_for_every_grouping_and_filter(store: str) -> None:
    engine = open_store(store)
    with engine.connect() as conn:
        records = _records(conn)
        for by, filters in itertools.product(GROUPINGS, _filter_spread(records)):
            assert _actual(conn, by, filters) == _oracle(records, by, filters), (by, filters)
    engine.dispose()


def test_syndicated_copies_count_their_facts_once(store: str) -> None:
    engine = open_store(store)
    with engine.connect() as conn:
        records = _records(conn)
        [south_sumatra] = [g for g in aggregate(conn, "province") if g.key == "16"]
    engine.dispose()
    in_16 = [(a, s) for a, s in records if ("province", "16") in facet_values(a)]
    assert south_sumatra.articles == len(in_16) > len({s for _, s in in_16})  # copies: more articles than stories
    seed_story = next(s for a, s in records if a.id.startswith("004"))
    copies = [a for a, s in records if s == seed_story]
    assert len(copies) == 3
    assert south_sumatra.seizures[("methamphetamine", "g")] == 28_000 + 3_000  # the seed's 28 kg once, a report's 3 kg


def test_lists_and_rankings_follow_the_filters(store: str) -> None:
    engine = open_store(store)
    with engine.connect() as conn:
        records = _records(conn)
        for filters in _filter_spread(records):
            expected = [a for a, _ in records if _matches(a, filters)]
            page = read.list_articles(conn, filters, None, 1, 100)
            assert page.total == len(expected), filters
            assert sorted(item["id"] for item in page.items) == sorted(a.id for a in expected), filters
            dates = [item["date"] or "" for item in page.items]
            assert dates == sorted(dates, reverse=True), filters
            people = {p["name"]: p["articles"] for p in read.rank_people(conn, filters, None)}
            named: dict[str, set[str]] = defaultdict(set)
            for article in expected:
                for person in article.people:
                    named[person.name].add(article.id)
            assert people == {name: len(ids) for name, ids in named.items()}, filters


def test_until_takes_the_whole_year_or_month_it_names() -> None:
    assert Filters(until="2023").until_bound == "2023-12-31"
    assert Filters(until="2023-02").until_bound == "2023-02-31"
    assert Filters(until="2023-02-14").until_bound == "2023-02-14"
    assert Filters().until_bound is None
