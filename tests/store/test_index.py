"""The facet index follows the store: loaded, updated from the ingest log, and kept live for a server.

That its answers equal the SQL's and the oracle's is checked in test_aggregates.py; here, that an
updated index equals one loaded afresh, whatever the ingest did in between.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from pantau.store import read
from pantau.store.db import open_store
from pantau.store.facets import GROUPINGS
from pantau.store.index import FacetIndex, LiveIndex, Vocabulary
from pantau.store.ingest import ingest
from pantau.store.queries import Filters

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
FILTERS = (Filters(), Filters(province="16"), Filters(province="53"), Filters(substance="methamphetamine"),
           Filters(since="2024-01-01"), Filters(topic="drugs", until="2024-06"))


def _jsonl(path: Path, rows: list[dict[str, str]]) -> str:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return str(path)


def _report(n: int, place: str = "Kupang", seized: str = "15 gram sabu") -> dict[str, str]:
    return {"url": f"https://berita.id/{place.lower()}/{n}",
            "text": f"{place} - Satresnarkoba Polres {place} menyita {seized} dari tersangka berinisial AB{n}, "
                    f"Senin (7/10/2024). Kapolres {place}, AKBP Budi Santoso, mengatakan pihaknya telah "
                    f"mengungkap {10 + n} kasus narkoba sepanjang tahun ini. Laporan nomor {n}."}


def _answers(index: FacetIndex) -> list[object]:
    out: list[object] = []
    for filters in FILTERS:
        out += [[g.as_dict() for g in index.aggregate(by, filters)] for by in GROUPINGS]
        out += [index.rank_people(filters, None), index.rank_organizations(filters, None),
                index.article_page(filters, 0, 100), index.totals(filters),
                index.fact_page("seizures", filters, 0, 100), index.fact_page("quotes", filters, 0, 100)]
    return [*out, index.trends(), index.counts]


@pytest.fixture
def store(db_url: str) -> str:
    ingest([str(SEEDS)], db_url, workers=1)
    return db_url


def test_an_updated_index_equals_a_fresh_load(store: str, tmp_path: Path) -> None:
    engine = open_store(store)
    with engine.connect() as conn:
        before = FacetIndex.load(conn)
    assert before.articles == 5
    rows = [_report(n) for n in range(3)] + [_report(9, "Pemalang", "2 kilogram ganja")]
    ingest([_jsonl(tmp_path / "new.jsonl", rows)], store, workers=1)
    # an article replaced: its old facts must leave the index with it
    ingest([_jsonl(tmp_path / "changed.jsonl", [_report(0, seized="3 kilogram sabu") | {"url": rows[0]["url"]}])],
           store, workers=1)
    with engine.connect() as conn:
        updated = before.updated(conn)
        fresh = FacetIndex.load(conn)
        assert updated.version == fresh.version > before.version
        assert updated.articles == 9
        assert _answers(updated) == _answers(fresh)
        kupang = {g.key: g for g in updated.aggregate("regency")}["53.01"]
        # the replaced report's 3 kg (its 15 g gone with it); reports 1 and 2 are one story: 15 g once
        assert kupang.seizures[("methamphetamine", "g")] == 3_000 + 15
        assert updated.fact_page("seizures", Filters(regency="53.01"), 0, 10)[0] == 3
        assert read.aggregates(conn, "regency", Filters()) == updated.aggregate("regency")
    assert _answers(before)[-1] == {"articles": 5, "stories": 5, "incidents": 5, "people": 10, "seizures": 3,
                                    "quotes": 22}
    engine.dispose()


def test_an_ingest_that_changed_nothing_only_moves_the_version(store: str) -> None:
    engine = open_store(store)
    with engine.connect() as conn:
        before = FacetIndex.load(conn)
    ingest([str(SEEDS)], store, workers=1)  # every seed unchanged: log rows, no article written
    with engine.connect() as conn:
        after = before.updated(conn)
        assert after.version > before.version
        assert after.updated(conn) is after
    assert _answers(after) == _answers(before)
    engine.dispose()


def test_an_empty_store_gives_an_empty_index(db_url: str) -> None:
    engine = open_store(db_url)
    with engine.connect() as conn:
        index = FacetIndex.load(conn)
    assert index.articles == 0 and index.version == 0
    assert index.aggregate("province") == [] and index.rank_people(Filters(), None) == []
    assert index.article_page(Filters(province="16"), 0, 20) == (0, [])
    assert index.trends() == ([], [])
    engine.dispose()


def test_a_live_index_loads_in_the_background_and_follows_ingests(tmp_path: Path) -> None:
    db = str(tmp_path / "live.db")
    ingest([str(SEEDS)], db, workers=1)
    engine = open_store(db)
    live = LiveIndex(engine, max_stale_seconds=60)
    with engine.connect() as conn:
        assert live.current(conn) is None  # not loaded: the caller uses the SQL
        live.start()
        live.wait(30)
        loaded = live.current(conn)
        assert loaded is not None and loaded.articles == 5
    ingest([_jsonl(tmp_path / "more.jsonl", [_report(1)])], db, workers=1)
    with engine.connect() as conn:
        stale = live.current(conn)  # behind, but current a moment ago: answered, and an update started
        assert stale is loaded
        live.wait(30)
        assert live.current(conn).articles == 6  # type: ignore[union-attr]
    strict = LiveIndex(engine, max_stale_seconds=0)
    strict.refresh()
    ingest([_jsonl(tmp_path / "even.jsonl", [_report(2)])], db, workers=1)
    with engine.connect() as conn:
        time.sleep(0.01)
        assert strict.current(conn) is None  # too old to answer: the SQL answers until it is updated
        strict.wait(30)
        assert strict.current(conn).articles == 7  # type: ignore[union-attr]
    engine.dispose()


def test_vocabulary_codes_are_stable_and_none_is_minus_one() -> None:
    vocabulary = Vocabulary()
    assert vocabulary.encode(["sabu", None, "ganja", "sabu"]).tolist() == [0, -1, 1, 0]
    assert vocabulary.encode(["ganja", "ekstasi"]).tolist() == [1, 2]
    assert vocabulary.decode(2) == "ekstasi" and vocabulary.decode(-1) is None and vocabulary.code("x") == -1
