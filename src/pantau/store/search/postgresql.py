"""PostgreSQL's search: a tsvector, and the facet filters as words of the same ``search_facets`` (kept as the
tsvector column ``facet_words`` with the article's id block words, migrations 0012-0014), both columns in one
GIN index; the older articles and the total read block by block, newest first (``block_ranges``); a date range
as the span of ids its months' articles have, its dates compared on the rows found; ``ts_rank`` on the window.
Every statement is fixed SQL text with bound parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, bindparam, text

from pantau.store.queries import Filters
from pantau.store.search import terms
from pantau.store.search.terms import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    MAX_QUERY_CHARS,
    Hit,
    SearchPage,
    below_window,
    date_terms,
    facet_words,
    month_keys,
    query_words,
    store_dates,
)

# newest articles a PostgreSQL search reads in order before it reads its index block by block, then at most this
# many more in order if the window should fill within them: 5-17 µs a row read in order, against a block's bitmap
# at a few µs a match (at a million articles, 2,000 / 10,000: worst p95 43-47 ms; 500 / 2,500: 37.5 ms)
RECENT_PROBE = 500
ORDERED_READ = 2500
# an article's facet words, each one lexeme of 'simple', and its block words: a stored column (migrations 0013,
# 0014), the second column of the GIN index whose first is the article's own words
FACET_VECTOR = "a.facet_words"
MAX_LEXEME = 2046  # bytes: PostgreSQL leaves a longer word out of a tsvector or tsquery (with a notice)
# An article has a block word at each of these levels: "block<level>x<id shifted right by level>" (migration
# 0014's generated column, which this must follow), so that a block of 65,536 ids, or of 4, 16... times as many,
# aligned, is one word
BLOCK_LEVELS = (16, 18, 20, 22, 24, 26, 28, 30)
BLOCK_BITS = BLOCK_LEVELS[0]
# Matches expected below the blocks read so far (at the density found in them) that are read at once: a sparse
# match is then two or three statements, not one per range (each ~10 ms at a million when a filter word is in
# every article, "datedx" or a common topic)
REST_AT_ONCE = 500


@dataclass(slots=True, frozen=True)
class Matching:
    """``FROM ... WHERE ...`` of the index rows matching a query and filters, and its parameters."""

    sql: str
    params: dict[str, Any]
    span: tuple[int, int] | None = None  # the ids every match lies between (``date_span``)

    def within(self, block: Block) -> Matching:
        """The matches among the articles of ``block``: its word joins the filter words, so the one
        index scan that intersects the query's words with the filters skips to the block's articles (one word:
        an index scan skips only by a word every match has, not by one of several)."""
        words = block.word
        if "fq" in self.params:
            return Matching(self.sql, {**self.params, "fq": f"{self.params['fq']} & {words}"}, self.span)
        return Matching(f"{self.sql} AND {FACET_VECTOR} @@ to_tsquery('simple', :fq)", {**self.params, "fq": words},
                        self.span)

    def below(self, end: int) -> Matching:
        """The matches with ids below ``end``."""
        if "block_end" in self.params:  # already bounded: the lower bound holds for both
            return Matching(self.sql, {**self.params, "block_end": min(end, self.params["block_end"])}, self.span)
        return Matching(f"{self.sql} AND a.id < :block_end", {**self.params, "block_end": end}, self.span)

    def ids_between(self, top: int) -> tuple[int, int]:
        """The highest id a match can have, at most ``top`` (the store's), and the lowest."""
        if self.span is None:
            return top, 0
        return min(top, self.span[1]), self.span[0]


def date_span(conn: Connection, keys: list[str]) -> tuple[int, int] | None:
    """The lowest and highest ids of the articles of the months ``keys`` (``month_keys``), None when they have
    none: each month's are two steps of the facets' primary key. A collection stores articles about as they are
    dated, so a range far from the newest articles is a short span of ids, and a search reads only the blocks
    it covers."""
    low, high = conn.execute(text(
        "SELECT MIN(s.low), MAX(s.high) FROM unnest(CAST(:keys AS text[])) k(key), LATERAL ("
        "SELECT MIN(f.article_id) AS low, MAX(f.article_id) AS high FROM article_facets f "
        "WHERE f.kind = 'month' AND f.key = k.key) s"), {"keys": keys}).one()
    return None if low is None else (int(low), int(high))


@dataclass(slots=True, frozen=True)
class Block:
    """The ids from ``number << level`` to just below ``(number + 1) << level``: one word of each article."""

    level: int
    number: int

    @property
    def start(self) -> int:
        return self.number << self.level

    @property
    def word(self) -> str:
        return f"block{self.level}x{self.number}"


def block_ranges(top: int, low: int = 0) -> Iterator[Block]:
    """Blocks of ids from the smallest one holding ``top`` down to the one holding ``low``, newest first, each
    one level (4 times) larger than the one before where the ids below it align to that level. A search whose
    window fills in the newest block reads only that one; one that needs the whole store takes a handful of
    statements (7 at a million articles, 3 or 4 more for each 4 times as many)."""
    level, number = BLOCK_LEVELS[0], top >> BLOCK_LEVELS[0]
    while True:
        block = Block(level, number)
        yield block
        end = block.start
        if end <= low:
            return
        larger = BLOCK_LEVELS.index(level) + 1
        if larger < len(BLOCK_LEVELS) and end % (1 << BLOCK_LEVELS[larger]) == 0:
            level = BLOCK_LEVELS[larger]
        number = (end >> level) - 1


def few_below(found: int, end: int, top: int, low: int, enough: int) -> bool:
    """Whether, at the density ``found`` matches make over the ids from ``top`` down to ``end``, no more than
    ``enough`` lie between ``low`` and ``end``."""
    return found * (end - low) <= enough * (top - end + 1)


def block_walk(matches: Matching, start: int, top: int, low: int, found: Callable[[], int],
               needed: Callable[[], int] | None = None) -> Iterator[Matching]:
    """``matches`` within each block of ``block_ranges`` from ``start`` down to ``low``, newest first, for as
    long as the caller reads; then the rest at once, when at the density ``found()`` matches make over the ids
    from ``top`` down to the block read last, no more remain than ``REST_AT_ONCE`` or what the caller still needs
    (``needed()``: a count below its cap needs every match, and reads them in one statement rather than a block
    at a time)."""
    for block in block_ranges(start, low):
        yield matches.within(block)
        end = block.start
        if end <= low:
            return
        enough = max(REST_AT_ONCE, needed()) if needed is not None else REST_AT_ONCE
        if few_below(found(), end, top, low, enough):
            yield matches.below(end)
            return


def matching_of(query: str, filters: Filters, span: tuple[int, int] | None = None) -> Matching | None:
    """The matches of ``query`` and ``filters``: the query's tsvector matches, the facet filters as words of the
    facet column, intersected with the query's words in one GIN scan (as conditions on ``article_facets`` it read
    every facet row of a province and each article's tsvector; as two indexes, each read its whole posting list),
    the dates as conditions; ``span`` (``date_span``) bounds the ids."""
    query = query[:MAX_QUERY_CHARS]
    if not query_words(query):
        return None
    params: dict[str, Any] = {"q": query}
    clauses = ["a.search @@ q"]
    words = facet_words(filters)
    if any(len(word) > MAX_LEXEME for word in words):
        return None  # no article has so long a value, and to_tsquery would drop the word: no filter at all
    if words:  # hex words of fixed letters (facet_term): nothing of the user's text reaches to_tsquery's syntax
        clauses.append(f"{FACET_VECTOR} @@ to_tsquery('simple', :fq)")
        params["fq"] = " & ".join(words)
    clauses += filters.date_conditions("a.sort_date", params)
    if span is not None:
        clauses.append("a.id BETWEEN :span_low AND :span_high")
        params.update(span_low=span[0], span_high=span[1])
    return Matching(f"FROM articles a, websearch_to_tsquery('indonesian', :q) q WHERE {' AND '.join(clauses)}",
                    params, span)


def matching(conn: Connection, query: str, filters: Filters) -> Matching | None:
    """``matching_of`` for the filters' dates: the ids their months' articles span, the dates compared
    on the rows the index finds (as ORed words, as on SQLite, each would be looked up at every candidate row:
    30 ms a block for the 48 words of "since 2022-01-01" at a million articles). None when nothing can match."""
    if not (filters.since or filters.until):
        return matching_of(query, filters)
    first, last = store_dates(conn)
    if first is None or last is None or date_terms(filters.since, filters.until_bound, first, last) == []:
        return None  # no article of the store is dated in the range
    keys = month_keys(filters.since, filters.until_bound, first, last)
    span = date_span(conn, keys) if keys else None
    if keys and span is None:
        return None  # an article dated in the range would have one of these months
    return matching_of(query, filters, span)


def search(conn: Connection, query: str, filters: Filters, limit: int, offset: int) -> tuple[list[Hit], int]:
    """The same pages as SQLite's: the ``SEARCH_WINDOW`` newest matches passing the filters ranked (here by
    ``ts_rank``, which reads each row's tsvector: ranking every match of a common word read them all), then
    newest first below them; headlines for the page's rows only. With how many matches the window holds."""
    matches = matching(conn, query, filters)
    bounds = _bounds(conn, matches) if matches is not None else None
    if matches is None or bounds is None:
        return [], 0
    hits, window = _window_page(conn, matches, bounds, limit, offset)
    return hits, len(window)


def page(conn: Connection, query: str, filters: Filters, limit: int, offset: int, cap: int) -> SearchPage:
    """``search``'s hits and the total (``pantau.store.search.search_page``). The window holds the newest
    matches, so only the older ones are counted, and at the density the window shows: in one statement when
    they should all be needed (the total stays within ``cap``), else block by block (``count``)."""
    matches = matching(conn, query, filters)
    bounds = _bounds(conn, matches) if matches is not None else None
    if matches is None or bounds is None:
        return SearchPage([], 0, True)
    hits, window = _window_page(conn, matches, bounds, limit, offset)
    if len(window) < terms.SEARCH_WINDOW:
        return SearchPage(hits, len(window), True)
    top, low = bounds
    return SearchPage(hits, *_count_below(conn, matches, min(window), top, low, len(window), cap))


def _window_page(conn: Connection, matches: Matching, bounds: tuple[int, int], limit: int,
                 offset: int) -> tuple[list[Hit], list[int]]:
    """The page's hits, and the ids of the window (``newest``, below ``bounds``) that still match."""
    window_ids = _newest(conn, matches, *bounds)
    if not window_ids:
        return [], []
    # the match is tested again: an article changed between the statements leaves the window, not the page
    window = conn.execute(text(
        f"SELECT a.id, ts_rank(a.search, q) AS score {matches.sql} AND a.id IN :ids ORDER BY score DESC, a.id DESC")
        .bindparams(bindparam("ids", expanding=True)), {**matches.params, "ids": window_ids}).all()
    ids = [int(r.id) for r in window]
    page = [(int(r.id), float(r.score)) for r in window][offset:offset + limit]
    below = below_window(offset, limit, len(window))
    if below is not None:
        page += [(int(i), 0.0) for i in conn.execute(text(
            f"SELECT a.id {matches.sql} AND a.id < :below ORDER BY a.id DESC LIMIT :n OFFSET :skip"),
            {**matches.params, "below": min(ids), "n": below[0], "skip": below[1]}).scalars()]
    if not page:
        return [], ids
    scores = dict(page)
    rows = {r.id: r for r in conn.execute(text(
        "SELECT a.id, a.record_id, a.title, a.outlet, a.sort_date AS d, a.url, ts_headline('indonesian', a.body, q, "
        f"'StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=30, MinWords=12, MaxFragments=1') AS snip "
        "FROM articles a, websearch_to_tsquery('indonesian', :q) q WHERE a.id IN :ids")
        .bindparams(bindparam("ids", expanding=True)), {"q": matches.params["q"], "ids": list(scores)})}
    return [Hit(r.id, r.record_id, r.title, r.outlet, r.d, r.url, r.snip, scores[r.id])
            for i, _ in page if (r := rows.get(i)) is not None], ids


def _bounds(conn: Connection, matches: Matching) -> tuple[int, int] | None:
    """The highest and lowest ids a match can have now (``Matching.ids_between``); None in an empty store."""
    top = conn.execute(text("SELECT MAX(id) FROM articles")).scalar()
    return None if top is None else matches.ids_between(int(top))


def newest(conn: Connection, matches: Matching) -> list[int]:
    """Ids of the ``SEARCH_WINDOW`` newest matches, read in a way the planner cannot misjudge and at a cost
    that does not grow with the store.

    Asked at once, the planner multiplies the selectivities of the word and the filters: a common word with a
    filter it rarely meets ("ganja" with methamphetamine, each in 29% of the articles) looks like thousands of
    matches, so it reads articles newest first to stop after 200, and reads them all (1.7 s at 100,000; each
    row's tsvector is unpacked, about 17 µs). So the newest ``RECENT_PROBE`` articles are read first, newest
    first: a bounded read, which a common match fills the window from. When it does not, how densely they
    matched decides how the older articles are read: newest first again when, at that density, the rest of the
    window lies within ``ORDERED_READ`` rows (an ordered read costs what it reads, 5-17 µs a row, whatever the
    store's size), else through the index alone, block by block newest first (``block_ranges``) until the
    window is full: one bitmap over the whole store read every posting of a common word (a province with a
    common word took 320 ms that way at 343,000 articles, and 18 ms in order). The planner's other choices are
    switched off for those statements only.
    """
    bounds = _bounds(conn, matches)
    return [] if bounds is None else _newest(conn, matches, *bounds)


def _newest(conn: Connection, matches: Matching, top: int, low: int) -> list[int]:
    """``newest`` below the highest id ``top`` and above the lowest ``low`` a match can have (``_bounds``)."""
    floor = top - RECENT_PROBE
    with only_scans(conn, True):  # bounded only if read in order: the planner may prefer a posting list
        ids = list(conn.execute(text(
            f"SELECT a.id {matches.sql} AND a.id > :floor AND a.id <= :top ORDER BY a.id DESC LIMIT :n"),
            {**matches.params, "floor": floor, "top": top, "n": terms.SEARCH_WINDOW}).scalars())
    if len(ids) == terms.SEARCH_WINDOW or floor < low:
        return ids
    # at the density the newest articles matched, the rows an ordered read needs for the rest of the window
    if len(ids) > 0 and (terms.SEARCH_WINDOW - len(ids)) * RECENT_PROBE <= ORDERED_READ * len(ids):
        # in order, but no further than ORDERED_READ ids: the density may not hold (a word clustered among the
        # newest articles of a date range read the whole range, 160 ms)
        stop = floor - ORDERED_READ
        with only_scans(conn, True):
            ids += conn.execute(text(
                f"SELECT a.id {matches.sql} AND a.id <= :floor AND a.id > :stop ORDER BY a.id DESC LIMIT :n"),
                {**matches.params, "floor": floor, "stop": stop, "n": terms.SEARCH_WINDOW - len(ids)}).scalars()
        if len(ids) == terms.SEARCH_WINDOW or stop < low:
            return ids
        floor = stop

    def found() -> int:
        return len(ids)

    with only_scans(conn, False):
        for inside in block_walk(matches, floor, top, low, found):
            ids += conn.execute(text(f"SELECT a.id {inside.sql} AND a.id <= :floor ORDER BY a.id DESC LIMIT :n"),
                                {**inside.params, "floor": floor, "n": terms.SEARCH_WINDOW - len(ids)}).scalars()
            if len(ids) == terms.SEARCH_WINDOW:
                break
    return ids


_SCANS = ("enable_seqscan", "enable_bitmapscan", "enable_indexscan", "work_mem")
# Memory a bitmap scan may take before it keeps whole pages instead of rows ("lossy"), whose every row is then
# tested again with its tsvector unpacked. PostgreSQL's default (4 MB) holds about 60,000 heap pages: at 343,000
# articles (117,000 pages) counting "ganja" with methamphetamine tested 81,000 rows again, 557 ms instead of 70.
# About 70 bytes a page: 32 MB keeps a store of 450,000 pages (over a million articles) exact.
BITMAP_WORK_MEM = "32MB"


@contextmanager
def only_scans(conn: Connection, ordered: bool) -> Iterator[None]:
    """Within the block, only index scans in key order (``ordered``) or only bitmap scans, which get
    ``BITMAP_WORK_MEM``; after it, the settings the transaction had. A statement that fails leaves the
    transaction aborted: its rollback undoes the switch, and the block leaves the error as it was raised."""
    before = conn.execute(text("SELECT " + ", ".join(f"current_setting('{name}')" for name in _SCANS))).one()
    switched = {"enable_seqscan": "off", "enable_bitmapscan": "off" if ordered else "on",
                "enable_indexscan": "on" if ordered else "off"}
    if not ordered:
        switched["work_mem"] = BITMAP_WORK_MEM
    _set_scans(conn, switched)
    yield
    _set_scans(conn, dict(zip(_SCANS, before, strict=True)))


def _set_scans(conn: Connection, values: dict[str, str]) -> None:
    conn.execute(text("SELECT " + ", ".join(f"set_config('{name}', :{name}, true)" for name in values)), values)


def count(conn: Connection, query: str, filters: Filters, cap: int) -> tuple[int, bool]:
    """How many articles ``search`` finds, up to ``cap``, and whether that is exact: block by block, newest
    first, until more than ``cap`` are found, each block range through the index alone; the rest in one
    statement once the blocks read show that the total stays within ``cap``. A sequential scan (the planner's
    choice for a common word) unpacks every row's tsvector to test it (190 ms for 10,000 of "sabu" at 100,000
    articles); one bitmap over the whole store reads every posting of the word, however few of them the count
    needs."""
    matches = matching(conn, query, filters)
    bounds = _bounds(conn, matches) if matches is not None else None
    if matches is None or bounds is None:
        return 0, True
    top, low = bounds
    return _count_below(conn, matches, top + 1, top, low, 0, cap)


def _count_below(conn: Connection, matches: Matching, end: int, top: int, low: int, found: int,
                 cap: int) -> tuple[int, bool]:
    """The total, up to ``cap``: the ``found`` matches with ids from ``end`` to ``top``, and those from ``low``
    to below ``end``. When ``found`` shows a density at which every match below is needed (the total stays
    within ``cap``), they are one statement: a block's statement costs about what the whole store's does for
    a rare match, as each reads the posting lists of the words and of the block."""
    if found > cap or end <= low:
        return min(found, cap), found <= cap

    def counted() -> int:
        return found

    def needed() -> int:
        return cap + 1 - found

    rest = matches.below(end) if end <= top else matches
    if found and few_below(found, end, top, low, needed()):
        statements: Iterable[Matching] = [rest]
    else:
        statements = block_walk(rest, end - 1, top, low, counted, needed)
    with only_scans(conn, False):
        for inside in statements:
            found += int(conn.execute(text(f"SELECT COUNT(*) FROM (SELECT 1 {inside.sql} LIMIT :cap) x"),
                                      {**inside.params, "cap": needed()}).scalar_one())
            if found > cap:
                break
    return min(found, cap), found <= cap


def match_ids(conn: Connection, query: str) -> np.ndarray:
    """Ids of every article matching ``query``'s words, sorted (``pantau.store.search.match_ids``)."""
    found = matching_of(query, Filters())
    if found is None:
        return np.zeros(0, dtype=np.int64)
    joined = conn.execute(text(f"SELECT string_agg(a.id::text, ',') {found.sql}"), found.params).scalar_one()
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.array(joined.split(","), dtype=np.int64))
