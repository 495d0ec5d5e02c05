from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from pantau.store import schema as s
from pantau.store.db import database_url, open_store
from pantau.store.ingest import ingest, table_counts
from pantau.store.queries import Filters, aggregate
from pantau.store.search import search

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"


def _jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_database_urls() -> None:
    assert database_url("data/x.db") == "sqlite:///data/x.db"
    assert database_url("postgresql://u@h:5432/db").startswith("postgresql+psycopg://u@h:5432/db")


def test_ingesting_the_seeds_twice_gives_five_articles(db_url: str) -> None:
    first = ingest([str(SEEDS)], db_url, workers=1)
    assert first.counts["ok"] == 5
    second = ingest([str(SEEDS)], db_url, workers=1)
    assert second.counts["unchanged"] == 5 and second.counts["ok"] == 0
    engine = open_store(db_url)
    counts = table_counts(engine)
    assert counts["articles"] == 5 and counts["stories"] == 5 and counts["people"] == 10
    with engine.connect() as conn:
        statuses = conn.execute(select(s.ingest_log.c.status, func.count()).group_by(s.ingest_log.c.status)).all()
        assert dict(statuses) == {"ok": 5, "unchanged": 5}
        record = conn.execute(select(s.articles.c.record).where(s.articles.c.record_id == "004_08796327ddaf0306"))
        assert record.scalar_one()["title"].startswith("Kapolres Banyuasin Tegaskan")
    engine.dispose()


def test_a_changed_article_replaces_its_facts(db_url: str, tmp_path: Path) -> None:
    url = "https://contoh.id/berita/1"
    before = "Kapolres Kupang, AKBP Rury Prastowo, menegaskan komitmennya memberantas narkoba di wilayahnya."
    after = "Kapolres Kupang, AKBP Budi Santoso, menegaskan komitmennya memberantas narkoba di wilayahnya."
    ingest([str(_jsonl(tmp_path / "a.jsonl", [{"url": url, "text": before}]))], db_url, workers=1)
    summary = ingest([str(_jsonl(tmp_path / "b.jsonl", [{"url": url, "text": after}]))], db_url, workers=1)
    assert summary.counts["updated"] == 1
    engine = open_store(db_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.articles)).scalar_one() == 1
        assert conn.execute(select(s.people.c.name)).scalars().all() == ["Budi Santoso"]
        assert conn.execute(select(func.count()).select_from(s.stories)).scalar_one() == 1
        # each bucket holds the article once: the replaced version's bands were taken out; open buckets
        # (below the cap) have no size row, their members are their size
        members = {k: n for k, n in conn.execute(
            select(s.story_bands.c.bucket, func.count()).group_by(s.story_bands.c.bucket)).tuples()}
        assert members and set(members.values()) == {1}
        assert conn.execute(select(func.count()).select_from(s.story_buckets)).scalar_one() == 0
    engine.dispose()


def test_bad_inputs_are_logged_with_reasons(db_url: str, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "empty.txt").write_bytes(b"")
    corpus = inputs / "c.jsonl"
    corpus.write_text('{"id": "x", "text": "Polisi menangkap dua pengedar sabu di Kupang, kata Kapolres."}\n{bad\n',
                      encoding="utf-8")
    summary = ingest([str(inputs)], db_url, workers=1)
    assert summary.counts == {"ok": 1, "skipped": 2}
    engine = open_store(db_url)
    with engine.connect() as conn:
        reasons = conn.execute(select(s.ingest_log.c.source, s.ingest_log.c.reason)
                               .where(s.ingest_log.c.status == "skipped")).all()
    assert {Path(src).name.split(":")[0] for src, _ in reasons} == {"empty.txt", "c.jsonl"}
    assert any("line 2" in (reason or "") for _, reason in reasons)
    engine.dispose()


def test_search_finds_seed_004_with_a_snippet(db_url: str) -> None:
    ingest([str(SEEDS)], db_url, workers=1)
    engine = open_store(db_url)
    with engine.connect() as conn:
        hits = search(conn, "sabu")
        assert [h.record_id for h in hits] == ["004_08796327ddaf0306"]
        assert "\x02sabu\x03" in hits[0].snippet.lower() or "\x02sabu" in hits[0].snippet.lower()
        narkoba = search(conn, "narkoba")
        assert len(narkoba) == 4  # seed 003 is about public order, without the word
        in_south_sumatra = search(conn, "narkoba", Filters(province="16"))
        assert [h.record_id for h in in_south_sumatra] == ["004_08796327ddaf0306"]
        assert search(conn, "narkoba", Filters(regency="16.07"))[0].record_id == "004_08796327ddaf0306"
        assert [h.record_id for h in search(conn, "narkoba", Filters(since="2021-01-01", until="2021-12-31"))] == [
            "002_53e8ae831c9849d8"]
        assert search(conn, "narkoba", Filters(outlet="KabarNTB"))[0].record_id == "002_53e8ae831c9849d8"
    engine.dispose()


@pytest.mark.parametrize("hostile", ["'; DROP TABLE articles; --", 'sabu" OR 1=1 --', "NEAR(sabu", "sabu*",
                                     "\"\"\"", "-", "a" * 5000])
def test_hostile_queries_are_plain_words(db_url: str, hostile: str) -> None:
    ingest([str(SEEDS / "004_08796327ddaf0306.txt")], db_url, workers=1)
    engine = open_store(db_url)
    with engine.connect() as conn:
        search(conn, hostile)
        # no facet has such a value: nothing passes (a filter word too long for PostgreSQL's index is no filter
        # dropped, but one no article has)
        assert search(conn, "sabu", Filters(province=hostile, topic=hostile, outlet=hostile)) == []
        assert search(conn, "sabu", Filters(outlet=hostile)) == []
        assert search(conn, "sabu", Filters(province="16", outlet=hostile)) == []
        assert [h.record_id for h in search(conn, "sabu", Filters(province="16"))] == ["004_08796327ddaf0306"]
        assert conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one() == 1
    engine.dispose()


def test_aggregates_by_province_month_and_outlet(db_url: str) -> None:
    ingest([str(SEEDS)], db_url, workers=1)
    engine = open_store(db_url)
    with engine.connect() as conn:
        provinces = {g.key: g for g in aggregate(conn, "province")}
        assert set(provinces) == {"16", "51", "52", "53", "62"}
        assert provinces["62"].label == "Kalimantan Tengah" and provinces["62"].articles == 1
        months = {g.key: g.articles for g in aggregate(conn, "month")}
        assert months == {"2020-11": 1, "2024-10": 1, "2021-04": 1, "2023-12": 1}
        outlets = {g.key for g in aggregate(conn, "outlet", Filters(province="52"))}
        assert outlets == {"KabarNTB"}
        with pytest.raises(ValueError, match="unknown grouping"):
            aggregate(conn, "colour")
    engine.dispose()


def _write_numbered(engine: Engine, numbers: range) -> None:
    """Articles numbered ``numbers``, written straight through the writer (no extraction)."""
    from pantau.record import Article
    from pantau.store.stories import DEFAULT_THRESHOLD, signature
    from pantau.store.writer import Extracted, write_articles

    with engine.begin() as conn:
        write_articles(conn, [Extracted(Article(id=str(i), source="t", url=f"https://t.example.id/{i}",
                                                body=f"Laporan nomor {i} tentang razia ke-{i}."),
                                        signature(f"Laporan nomor {i} tentang razia ke-{i}.")) for i in numbers],
                       DEFAULT_THRESHOLD)


def test_planner_statistics_are_taken_when_missing_and_when_the_store_has_grown(db_url: str) -> None:
    """On both databases: the first refresh analyses, a second one with nothing new does not, and one after the
    store has grown by more than ANALYZE_GROWTH does (PostgreSQL's autovacuum may be off, or not yet run)."""
    from pantau.store.db import refresh_planner_statistics

    engine = open_store(db_url)
    _write_numbered(engine, range(8))
    if engine.dialect.name == "postgresql":  # an index built since sets the row count, but is no ANALYZE
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE INDEX ix_test_articles_url ON articles (url)")
    assert refresh_planner_statistics(engine) is True
    assert refresh_planner_statistics(engine) is False
    _write_numbered(engine, range(8, 9))  # 9 articles: within the growth factor of 8
    assert refresh_planner_statistics(engine) is False
    _write_numbered(engine, range(9, 20))
    assert refresh_planner_statistics(engine) is True
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            counted = conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass")
            assert counted.scalar_one() == 20
            # vacuumed too: the versions the writer's story update left are gone from the table
            vacuumed = conn.exec_driver_sql("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'articles'")
            assert vacuumed.scalar_one() is not None
            pages = conn.exec_driver_sql("SELECT relallvisible FROM pg_class WHERE oid = 'articles'::regclass")
            assert pages.scalar_one() > 0
    engine.dispose()


def test_a_long_write_analyses_the_store_as_it_grows_not_only_at_its_end(db_url: str) -> None:
    """The keeper looks once the run has written ``at_least`` articles (a fresh store: no statistics, so it
    analyses), then once it has written a quarter of the store (at least ``at_least``), and analyses only a
    store that grew."""
    from pantau.store.db import StatisticsKeeper, _analysed_articles

    def write(numbers: range) -> int:
        _write_numbered(engine, numbers)
        return len(numbers)

    def analysed() -> float | None:
        with engine.connect() as conn:
            return _analysed_articles(conn)

    engine = open_store(db_url)
    keeper = StatisticsKeeper(engine, at_least=10)
    assert analysed() is None
    assert keeper.wrote(8) is False and analysed() is None  # fewer than at_least written: no look yet
    assert keeper.wrote(write(range(12))) is True and analysed() == 12
    assert keeper.wrote(write(range(12, 20))) is False  # 8 written since the look: not due
    assert analysed() == 12
    assert keeper.wrote(write(range(20, 24))) is True and analysed() == 24  # 12 since: due, and 24 > 12 * 1.25
    assert keeper.wrote(write(range(10))) is False  # due (10 since) but unchanged rewrites: still 24 articles
    assert analysed() == 24
    engine.dispose()


def test_a_long_ingest_analyses_a_fresh_store_while_it_runs(db_url: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """An ingest does not run its whole length on a store the planner knows nothing of (on PostgreSQL that made
    every batch slower than the last): the statistics exist once ``RECHECK_ARTICLES`` have been written. A
    shorter run analyses at its end only."""
    from pantau.store import db
    from pantau.store.db import _analysed_articles

    rows = [{"id": f"a{i}", "text": f"Polres Contoh menangkap tersangka ke-{i} dengan sabu {i} gram di Desa Uji."}
            for i in range(6)]
    seen: list[float | None] = []

    def after_batch(_summary: object) -> None:
        with engine.connect() as conn:
            seen.append(_analysed_articles(conn))

    engine = open_store(db_url)
    ingest([str(_jsonl(tmp_path / "a.jsonl", rows[:2]))], db_url, workers=1, batch_size=2, on_batch=after_batch)
    assert seen == [None]  # a short run: analysed at its end only
    monkeypatch.setattr(db, "RECHECK_ARTICLES", 2)
    ingest([str(_jsonl(tmp_path / "b.jsonl", rows[2:]))], db_url, workers=1, batch_size=2, on_batch=after_batch)
    assert seen == [None, 4, 6]  # each batch grew the store past 1.25x its analysed size
    engine.dispose()


def test_search_filters_select_what_the_facet_rows_select(db_url: str) -> None:
    """On both databases the filters of a search (words of the full-text or facet index) keep exactly the
    matches whose facet rows pass them (``Filters.where``), for each kind and combinations."""
    ingest([str(SEEDS)], db_url, workers=1)
    engine = open_store(db_url)
    spread = [Filters(province="16"), Filters(province="52"), Filters(regency="16.07"), Filters(topic="drugs"),
              Filters(substance="methamphetamine"), Filters(outlet="KabarNTB"), Filters(since="2021-01-01"),
              Filters(province="16", topic="drugs", since="2019", until="2030-06"),
              Filters(province="16", regency="52.01"), Filters(topic="drugs", substance="cannabis")]
    with engine.connect() as conn:
        matches = {h.article_id: h.record_id for h in search(conn, "narkoba", limit=100)}
        assert len(matches) >= 3
        found_any = False
        for filters in spread:
            where, params = filters.where("a")
            passing = set(conn.execute(text(f"SELECT a.id FROM articles a WHERE {where}"), params).scalars())
            expected = {matches[i] for i in matches if i in passing}
            assert {h.record_id for h in search(conn, "narkoba", filters, limit=100)} == expected, filters
            found_any = found_any or bool(expected)
        assert found_any
    engine.dispose()
