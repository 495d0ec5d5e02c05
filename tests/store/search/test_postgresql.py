"""PostgreSQL's search: one GIN index read block by block, date ranges as spans of ids, the planner held to
its scans, the index migrations."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from pantau.store import search
from pantau.store.db import open_store
from pantau.store.facets import facet_term
from pantau.store.ingest import ingest
from pantau.store.queries import Filters
from pantau.store.search import fts5, postgresql, terms


def test_postgresql_plans_every_search_for_its_own_words(postgres_url: str, tmp_path: Path) -> None:
    """psycopg prepares a statement run five times on a connection, and PostgreSQL may then plan it once for
    any values: a search whose filters are rare got the plan of any filter (a walk of every article). Store
    connections plan each run for its values: searches repeated on one connection are prepared (so the
    setting is exercised) and never generically planned."""
    from sqlalchemy import text

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": str(i), "url": f"https://contoh.id/{i}", "title": f"Razia {i}",
                                            "text": f"Polisi menyita sabu dan ganja dalam razia ke-{i} di kota."})
                                for i in range(6)) + "\n", encoding="utf-8")
    assert ingest([str(corpus)], postgres_url, workers=1).counts["ok"] == 6
    engine = open_store(postgres_url)
    with engine.connect() as conn:
        for round_ in range(15):
            assert search.search(conn, ("sabu", "ganja", "razia")[round_ % 3], Filters(province="31")) == []
            assert len(search.search(conn, "sabu")) == 6
        # a statement without parameters has one plan whatever the setting: only those with values count
        custom, generic = conn.execute(text(
            "SELECT COALESCE(SUM(custom_plans), 0), COALESCE(SUM(generic_plans), 0) FROM pg_prepared_statements "
            "WHERE cardinality(parameter_types) > 0")).one()
        assert custom > 0 and generic == 0
    engine.dispose()


@pytest.mark.parametrize("read", [10**9, 3, 0])  # older articles read in id order (when the probe matched), as far as
# 3 ids in order then by bitmaps, or by bitmaps
def test_postgresql_window_is_the_newest_matches_whichever_way_it_is_read(
        postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read: int) -> None:
    """The two-step window (the newest articles in order, then the older ones) holds exactly the newest matches a
    single ``ORDER BY id DESC LIMIT`` finds, with filters and without, and leaves the planner as it found it."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    words = ["sabu", "ganja", "sabu ganja", "ekstasi", "sabu"]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({
        "id": str(i), "url": f"https://contoh.id/{i}", "title": f"Razia nomor {i}",
        "text": f"Polres Jakarta Selatan menyita {words[i % 5]} dalam razia nomor {i} di Jakarta pada malam hari."})
        for i in range(23)) + "\n", encoding="utf-8")
    assert ingest([str(corpus)], postgres_url, workers=1).counts["ok"] == 23
    monkeypatch.setattr(terms, "SEARCH_WINDOW", 4)
    monkeypatch.setattr(postgresql, "RECENT_PROBE", 5)
    monkeypatch.setattr(postgresql, "ORDERED_READ", read)
    engine = open_store(postgres_url)
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # a caller's own setting, kept through every search
        for query, filters in [("sabu", Filters()), ("ganja", Filters()), ("ekstasi", Filters()),
                               ("razia", Filters(province="31")), ("sabu", Filters(province="31")),
                               ("heroin", Filters()), ("sabu", Filters(province="52"))]:
            matching = postgresql.matching_of(query, filters)
            assert matching is not None
            expected = conn.execute(text(f"SELECT a.id {matching.sql} ORDER BY a.id DESC LIMIT 4"),
                                    matching.params).scalars().all()
            assert postgresql.newest(conn, matching) == expected, (query, filters)
            assert {h.article_id for h in search.search(conn, query, filters, limit=4)} == set(expected)
            switches = conn.execute(text(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'), "
                "current_setting('enable_bitmapscan')")).one()
            assert tuple(switches) == ("off", "on", "on")
        assert len(postgresql.newest(conn, postgresql.matching_of("sabu", Filters()))) == 4
    with engine.connect() as conn:  # a failing statement's own error comes out, not one from restoring the switches
        with pytest.raises(DBAPIError) as raised, postgresql.only_scans(conn, False):
            conn.execute(text("SELECT 1 / 0"))
        assert "division by zero" in str(raised.value)
    engine.dispose()


def test_postgresql_search_index_goes_down_to_the_expression_index_and_back(postgres_url: str) -> None:
    """Migration 0013 keeps the facet words as a stored column, 0014 adds each article's block word to them and
    indexes them with the article's words in one GIN index; the downgrades bring back 0013's two indexes and
    0012's expression index. The filters select the same articles at every step."""
    from alembic import command
    from sqlalchemy import text

    from pantau.store.db import alembic_config

    ingest([str(Path(__file__).parents[2] / "fixtures" / "seeds")], postgres_url, workers=1)
    engine = open_store(postgres_url)
    province = facet_term("province", "16")

    def state() -> tuple[set[str], int]:
        with engine.connect() as conn:
            indexes = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'articles' "
                                            "AND indexdef LIKE '%USING gin%'")).scalars())
            found = conn.execute(text("SELECT COUNT(*) FROM articles WHERE to_tsvector('simple', "
                                      "coalesce(search_facets, '')) @@ to_tsquery('simple', :w)"),
                                 {"w": province}).scalar_one()
            return indexes, found

    head = {"ix_articles_search_filters"}
    assert state() == (head, 1)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM articles a WHERE a.facet_words @@ to_tsquery('simple', :w)"),
                            {"w": province}).scalar_one() == 1
        # every article has its blocks' words (the seeds' ids are all in the first block of each level)
        assert conn.execute(text("SELECT COUNT(*) FROM articles a WHERE a.facet_words @@ to_tsquery('simple', "
                                 "'block16x0 & block18x0 & block30x0')")).scalar_one() == conn.execute(text(
                                     "SELECT COUNT(*) FROM articles")).scalar_one() > 1
        assert [h.record_id for h in search.search(conn, "narkoba", Filters(province="16"))] == \
            [r for (r,) in conn.execute(text("SELECT record_id FROM articles WHERE search_facets LIKE :p"),
                                        {"p": f"%{province}%"})]
    config = alembic_config()
    for target, expected in (("0013", {"ix_articles_search", "ix_articles_facet_words"}),
                             ("0012", {"ix_articles_search", "ix_articles_search_facets"}), ("head", head)):
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            conn.execute(text("SET LOCAL maintenance_work_mem = '17MB'"))
            (command.upgrade if target == "head" else command.downgrade)(config, target)
            # the index builds' own memory is not left to what the transaction does next
            assert conn.execute(text("SELECT current_setting('maintenance_work_mem')")).scalar_one() == "17MB"
        assert state() == (expected, 1)
    # a plain column of the same name, there before the migration, is not taken for the words
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
        conn.execute(text("ALTER TABLE articles ADD COLUMN facet_words tsvector"))
        command.upgrade(config, "head")
    with engine.connect() as conn:
        assert len(search.search(conn, "narkoba", Filters(province="16"))) == 1
    engine.dispose()


def test_block_ranges_cover_every_id_once_newest_first_in_growing_aligned_blocks() -> None:
    for top, low in ((0, 0), (1, 0), (65_535, 0), (65_536, 0), (1_000_000, 0), (1_000_000, 300_000),
                     (10**8, 0), (2**31 - 1, 0), (2**31 - 1, 2**31 - 5)):
        blocks = list(postgresql.block_ranges(top, low))
        assert blocks[0].start <= top < blocks[0].start + (1 << blocks[0].level)
        for newer, older in itertools.pairwise(blocks):
            assert older.start + (1 << older.level) == newer.start  # contiguous, newest first
            assert older.level in postgresql.BLOCK_LEVELS[postgresql.BLOCK_LEVELS.index(newer.level):][:2]
        assert blocks[-1].start <= low < blocks[-2].start if len(blocks) > 1 else blocks[-1].start <= low
        assert all(b.start % (1 << b.level) == 0 and b.word == f"block{b.level}x{b.number}" for b in blocks)
    assert len(list(postgresql.block_ranges(1_000_000))) == 7
    assert len(list(postgresql.block_ranges(10**8))) <= 30


@pytest.mark.parametrize("rest", [-1, 500])  # the rest read at once when few matches are expected there (-1: never)
def test_postgresql_reads_older_articles_block_by_block(postgres_url: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch, rest: int) -> None:
    """Articles spread over three blocks of ids (the id sequence moved on between ingests): the window read
    block by block newest first, and the total counted block by block, are exactly what one statement over the
    whole store finds, with filters, with dates as words and as conditions, and without."""
    from sqlalchemy import text

    places = ["Polres Jakarta Selatan", "Polres Banyuasin"]
    seized = ["sabu", "ganja", "sabu dan ganja"]
    engine = open_store(postgres_url)
    for group, (start, month) in enumerate([(1, "2020-01"), (2 * 65_536 + 7, "2020-03"), (5 * 65_536 + 3, "2020-06")]):
        with engine.begin() as conn:
            conn.execute(text(f"ALTER SEQUENCE articles_id_seq RESTART WITH {start}"))
        corpus = tmp_path / f"group{group}.jsonl"
        corpus.write_text("\n".join(json.dumps({
            "id": f"{group}-{i}", "url": f"https://contoh.id/{group}/{i}", "title": f"Razia {group} nomor {i}",
            # the newest group's last article is dated with the middle group (stored late: a backlog)
            "date": "2020-03-20" if (group, i) == (2, 6) else f"{month}-{i + 1:02d}",
            "text": f"{places[i % 2]} menyita {seized[(i + group) % 3]} dalam razia kelompok {group} nomor {i} "
                    "pada malam hari."}) for i in range(7)) + "\n", encoding="utf-8")
        assert ingest([str(corpus)], postgres_url, workers=1).counts["ok"] == 7
    monkeypatch.setattr(terms, "SEARCH_WINDOW", 4)
    monkeypatch.setattr(postgresql, "RECENT_PROBE", 2)
    monkeypatch.setattr(postgresql, "ORDERED_READ", 0)  # past the probe, always through the index, block by block
    monkeypatch.setattr(postgresql, "REST_AT_ONCE", rest)
    cases = [("sabu", Filters()), ("ganja", Filters(province="16")), ("razia", Filters(province="31")),
             ("sabu", Filters(since="2020-02-01", until="2020-04")), ("razia", Filters(until="2020-01-03")),
             ("ganja", Filters(since="2020-03-02", until="2020-03-05", province="31")), ("heroin", Filters()),
             ("razia", Filters(since="2021-01-01")), ("sabu", Filters(since="2020-04-01", until="2020-05"))]
    blocks_seen, nothing = set(), []
    with engine.connect() as conn:
        for query, filters in cases:
            plain = postgresql.matching_of(query, filters)  # dates as conditions, one statement
            assert plain is not None
            expected = conn.execute(text(f"SELECT a.id {plain.sql} ORDER BY a.id DESC LIMIT 4"),
                                    plain.params).scalars().all()
            total = conn.execute(text(f"SELECT COUNT(*) {plain.sql}"), plain.params).scalar_one()
            possible, dates = fts5.date_words(conn, filters)
            if possible and (filters.since or filters.until):
                assert dates  # short ranges: read as words of the index
            matching = postgresql.matching(conn, query, filters)  # ids spanned by the dates' months
            if matching is None:  # dates no article has: beyond the store, or months between its groups
                assert expected == [] and total == 0
                nothing.append(filters)
            else:
                assert possible and (matching.span is not None) == bool(filters.since or filters.until)
                assert postgresql.newest(conn, matching) == expected, (query, filters)
            for cap in (2, 5, 100, 10**6):  # 10**6: the count below the page's window is one statement
                assert search.count_search(conn, query, filters, cap=cap) == (min(total, cap), total <= cap)
                monkeypatch.setattr(terms, "COUNT_CAP", cap)
                found = search.search_page(conn, query, filters, limit=2)
                # a window short of SEARCH_WINDOW holds every match: its total is exact, whatever the cap
                assert (found.total, found.exact) == ((total, True) if total < 4 else (min(total, cap), total <= cap))
                assert [h.article_id for h in found.hits] == [h.article_id for h in search.search(conn, query, filters,
                                                                                                    limit=2)]
            blocks_seen |= {i >> postgresql.BLOCK_BITS for i in expected}
    assert blocks_seen == {0, 2, 5}
    assert nothing == [Filters(since="2021-01-01"), Filters(since="2020-04-01", until="2020-05")]
    with engine.connect() as conn:  # a range of the oldest months spans the first block only; the backlog widens
        first, last = terms.store_dates(conn)
        assert first is not None and last is not None

        def span_of(filters: Filters) -> tuple[int, int] | None:
            return postgresql.date_span(conn, terms.month_keys(filters.since, filters.until_bound, first, last))

        span = span_of(Filters(until="2020-01"))
        assert span is not None and span[1] < 65_536
        span = span_of(Filters(since="2020-03", until="2020-03"))
        assert span is not None and span[0] >> postgresql.BLOCK_BITS == 2 and span[1] >> postgresql.BLOCK_BITS == 5
    engine.dispose()


def test_block_walk_reads_the_rest_at_once_when_few_matches_remain() -> None:
    matching = postgresql.Matching("FROM articles a WHERE a.search @@ q", {"q": "sabu"})
    top = 10 * 65_536 + 100  # blocks 10 .. 0

    def walk(found: int, needed: int | None = None) -> list[str]:
        return [str(m.params.get("fq", f"below {m.params.get('block_end')}"))
                for m in postgresql.block_walk(matching, top, top, 0, lambda: found,
                                               None if needed is None else lambda: needed)]

    # nothing found in the newest block: the rest is one statement below it
    assert walk(0) == ["block16x10", f"below {10 * 65_536}"]
    # dense: every block, newest first, a level larger where aligned
    assert walk(10**6) == ["block16x10", "block16x9", "block16x8", "block18x1", "block18x0"]
    # 20 matches in the newest 100 ids: 13,107 expected in the 655,360 below, more than REST_AT_ONCE
    assert walk(20)[:2] == ["block16x10", "block16x9"]
    # ...and than a count needs when it has room for 100,000 more, but not for 130,000: then all of them at once
    assert walk(20, needed=100_000)[:2] == ["block16x10", "block16x9"]
    assert walk(20, needed=130_000) == ["block16x10", f"below {10 * 65_536}"]
    # a second bound below keeps the lower one, as one condition
    bounded = matching.below(500).below(900).below(300)
    assert bounded.params["block_end"] == 300 and bounded.sql.count("block_end") == 1


def test_postgresql_ordered_read_stops_after_its_budget_and_the_index_reads_on(
        postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word dense among the newest articles and sparse before: the probe's density sends the search on in id
    order, which stops after ORDERED_READ ids (not reading on to the first article); the index finds the rest of
    the window below, with nothing skipped at the seam."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({
        "id": str(i), "url": f"https://contoh.id/{i}", "title": f"Patroli malam {i}",
        "text": f"Polisi menggelar patroli malam nomor {i} di Jakarta"
                + (" dan menyita sabu dari seorang pengedar." if i >= 15 or (i + 1) % 5 == 2 else ".")})
        for i in range(20)) + "\n", encoding="utf-8")
    assert ingest([str(corpus)], postgres_url, workers=1).counts["ok"] == 20
    monkeypatch.setattr(terms, "SEARCH_WINDOW", 6)
    monkeypatch.setattr(postgresql, "RECENT_PROBE", 5)
    monkeypatch.setattr(postgresql, "ORDERED_READ", 3)
    engine = open_store(postgres_url)
    with engine.connect() as conn:
        from sqlalchemy import text

        matching = postgresql.matching(conn, "sabu", Filters())
        assert matching is not None
        expected = conn.execute(text(f"SELECT a.id {matching.sql} ORDER BY a.id DESC LIMIT 6"),
                                matching.params).scalars().all()
        top = max(expected)
        # five newest match, then one match right at the ordered read's end (top - 5 - 3), then sparse
        assert expected[:5] == list(range(top, top - 5, -1)) and expected[5] == top - 8
        assert postgresql.newest(conn, matching) == expected
    engine.dispose()
