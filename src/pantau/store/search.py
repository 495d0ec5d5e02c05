"""Full-text search over the store: matching articles with filters, ranked, with snippets and a total.

On SQLite the filters are words of the full-text index (``facets.search_terms``), so "sabu" in province
33 since March 2021 is one intersection of posting lists that FTS5 reads newest first and stops after
what a page needs: its cost follows the page, not how many of a million articles say "sabu". What it
returns:

* the ``SEARCH_WINDOW`` newest matches that pass the filters, ranked by relevance (BM25); pages deeper
  than the window continue newest first below it, so no article appears on two pages;
* a total counted exactly up to ``COUNT_CAP`` and reported as "at least" beyond it.

The relevance is BM25 with FTS5's formula and weights (title 4, body 1), computed here on the window:
FTS5's own ``bm25()`` first counts every article matching each word of the query (and each filter word)
to weigh it, which at a million articles costs more than the whole page. The term frequencies come from
the index's ``highlight()`` of the window's rows and the lengths from its document sizes; a word's
document frequency is counted up to ``DF_PROBE`` matches and estimated beyond from how densely it occurs
among the newest articles.

PostgreSQL keeps its own search: a tsvector, and the facet filters as words of the same ``search_facets``
(kept as the tsvector column ``facet_words`` with the article's id block words, migrations 0012-0014), both
columns in one GIN index; the older articles and the total read block by block, newest first
(``block_ranges``); a date range as the span of ids its months' articles have, its dates compared on the rows
found; ``ts_rank`` on the window.
Every statement is fixed SQL text with bound parameters; user words reach FTS5 only as quoted strings.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import Connection, bindparam, text

from pantau.regions import regions
from pantau.store.facets import DATE, DATED, YEAR, facet_term
from pantau.store.queries import Filters

HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"  # snippet markers; front ends escape text, then style these
MAX_QUERY_CHARS = 500
SEARCH_WINDOW = 200  # the newest filtered matches ranked by relevance
# newest articles a PostgreSQL search reads in order before it reads its index block by block, then at most this
# many more in order if the window should fill within them: 5-17 µs a row read in order, against a block's bitmap
# at a few µs a match (at a million articles, 2,000 / 10,000: worst p95 43-47 ms; 500 / 2,500: 37.5 ms)
RECENT_PROBE = 500
ORDERED_READ = 2500
COUNT_CAP = 10_000  # totals above are reported as a lower bound
DF_PROBE = 2000  # matches of a word counted for its weight before estimating from density
MAX_DATE_TERMS = 160  # a date range needing more words is checked date by date
TITLE_WEIGHT, BODY_WEIGHT, K1, B = 4.0, 1.0, 1.2, 0.75  # FTS5's bm25() defaults, the title weighted as before
_WORD = re.compile(r"\w+", re.UNICODE)
_MARKED = re.compile(f"{HIGHLIGHT_START}([^{HIGHLIGHT_END}]*){HIGHLIGHT_END}")
_TEXT_COLUMNS = "{title body}"
_YEAR = re.compile(r"\d{4}")


@dataclass(slots=True)
class Hit:
    article_id: int
    record_id: str
    title: str | None
    outlet: str | None
    date: str | None
    url: str | None
    snippet: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.record_id, "title": self.title, "outlet": self.outlet, "date": self.date,
                "url": self.url, "snippet": self.snippet, "score": self.score}


def query_words(query: str) -> list[str]:
    return _WORD.findall(query[:MAX_QUERY_CHARS])


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts5_query(query: str) -> str:
    """User words as an FTS5 AND query of quoted terms over title and body: no FTS syntax reaches the
    engine, and no user word can match a filter word."""
    words = query_words(query)
    return f"{_TEXT_COLUMNS} : ({' '.join(_quoted(w) for w in words)})" if words else ""


@lru_cache(maxsize=4096)
def normal_word(word: str) -> str:
    """``word`` as the index's tokenizer (unicode61, remove_diacritics 2) compares it."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# -- filters as full-text words -------------------------------------------------------------------------------


def date_terms(since: str | None, until: str | None, first: str | None, last: str | None) -> list[str] | None:
    """The year, month and date words whose articles are exactly those dated from ``since`` to ``until``
    (inclusive, compared as text like ``sort_date``, so a date of a year or month alone counts where it
    sorts), open ends closed by the store's ``first`` and ``last`` dates. None when no date filter applies
    or the words would be too many (the dates are then compared one by one); [] when nothing can match."""
    if not (since or until):
        return None
    if since and until and since > until:
        return []
    # an end beyond the store's first or last date is open: no date of the store lies beyond it (a range
    # over the whole store is then its years, not a month or a day at each end)
    low = since if since and not (first and since <= first) else ""
    high = until if until and not (last and until >= last) else "\uffff"
    if not low and high == "\uffff":
        return [DATED]  # only the articles with no date are out
    start, end = low or first, (high if high != "\uffff" else last)
    if not start or not end or not (_YEAR.match(start) and _YEAR.match(end)):
        return None
    terms: list[str] = []
    for year in range(int(start[:4]), int(end[:4]) + 1):
        y = f"{year:04d}"
        if low <= y and f"{y}-12-31" <= high:  # a date of the year alone sorts first
            terms.append(facet_term(YEAR, y))
            continue
        terms += [facet_term(DATE, y)] if low <= y <= high else []
        for month in range(1, 13):
            m = f"{y}-{month:02d}"
            if low <= m and f"{m}-31" <= high:
                terms.append(facet_term("month", m))
                continue
            terms += [facet_term(DATE, m)] if low <= m <= high else []
            terms += [facet_term(DATE, d) for day in range(1, 32) if low <= (d := f"{m}-{day:02d}") <= high]
        if len(terms) > MAX_DATE_TERMS:
            return None
    return terms if len(terms) <= MAX_DATE_TERMS else None


def facet_words(filters: Filters) -> list[str]:
    """The words an article passing ``filters``' facets has in its ``search_facets`` column. A province its
    regency lies in is left out: every article of a regency has its province (one posting list fewer)."""
    region = regions().get(filters.regency) if filters.regency else None
    implied = {("province", region.province_code)} if region is not None and region.province_code else set()
    return [facet_term(kind, key) for kind, key in filters.facets() if (kind, key) not in implied]


def filter_expression(filters: Filters, dates: list[str] | None) -> str:
    """``filters`` as an FTS5 expression on the ``search_facets`` column: its facet words (``facet_words``)
    and, given, one of the date words ``dates``."""
    parts = [f"search_facets : {_quoted(word)}" for word in facet_words(filters)]
    if dates:
        parts.append(f"search_facets : ({' OR '.join(_quoted(t) for t in dates)})")
    return " AND ".join(parts)


@dataclass(slots=True, frozen=True)
class _Matching:
    """``FROM ... WHERE ...`` of the index rows matching a query and filters, and its parameters."""

    sql: str
    params: dict[str, Any]
    span: tuple[int, int] | None = None  # PostgreSQL: the ids every match lies between (``_date_span``)

    def within(self, block: Block) -> _Matching:
        """PostgreSQL's matches among the articles of ``block``: its word joins the filter words, so the one
        index scan that intersects the query's words with the filters skips to the block's articles (one word:
        an index scan skips only by a word every match has, not by one of several)."""
        words = block.word
        if "fq" in self.params:
            return _Matching(self.sql, {**self.params, "fq": f"{self.params['fq']} & {words}"}, self.span)
        return _Matching(f"{self.sql} AND {FACET_VECTOR} @@ to_tsquery('simple', :fq)", {**self.params, "fq": words},
                         self.span)

    def below(self, end: int) -> _Matching:
        """The matches with ids below ``end``."""
        return _Matching(f"{self.sql} AND a.id < :block_end", {**self.params, "block_end": end}, self.span)

    def ids_between(self, top: int) -> tuple[int, int]:
        """The highest id a match can have, at most ``top`` (the store's), and the lowest."""
        if self.span is None:
            return top, 0
        return min(top, self.span[1]), self.span[0]


def _store_dates(conn: Connection) -> tuple[str | None, str | None]:
    """The store's first and last sort dates (None, None when no article has one)."""
    first, last = conn.execute(text(
        "SELECT (SELECT MIN(sort_date) FROM article_facets WHERE kind = 'all' AND key = ''), "
        "(SELECT MAX(sort_date) FROM article_facets WHERE kind = 'all' AND key = '')")).one()
    return first, last


def _date_words(conn: Connection, filters: Filters) -> tuple[bool, list[str] | None]:
    """Whether any article of the store can be in the filters' date range, and the range as words
    (``date_terms``: None when no date filter applies or the words would be too many, the dates then compared
    one by one)."""
    if not (filters.since or filters.until):
        return True, None
    first, last = _store_dates(conn)
    if first is None:
        return False, None
    dates = date_terms(filters.since, filters.until_bound, first, last)
    return dates != [], dates


def month_keys(since: str | None, until: str | None, first: str, last: str) -> list[str]:
    """The ``month`` facet keys (a sort date's first 7 characters: "2021-03", or "2021" for a year alone) an
    article dated from ``since`` to ``until`` can have, within the store's ``first`` and ``last`` dates: a date
    between two others has its first 7 characters between theirs."""
    low, high = max(since or first, first)[:7], min(until or last, last)[:7]
    if not (_YEAR.match(low) and _YEAR.match(high)):
        return []
    keys = [f"{year:04d}" + month for year in range(int(low[:4]), int(high[:4]) + 1)
            for month in ["", *(f"-{m:02d}" for m in range(1, 13))]]
    return [key for key in keys if low <= key <= high]


def _date_span(conn: Connection, keys: list[str]) -> tuple[int, int] | None:
    """The lowest and highest ids of the articles of the months ``keys`` (``month_keys``), None when they have
    none: each month's are two steps of the facets' primary key. A collection stores articles about as they are
    dated, so a range far from the newest articles is a short span of ids, and a search reads only the blocks
    it covers."""
    low, high = conn.execute(text(
        "SELECT MIN(s.low), MAX(s.high) FROM unnest(CAST(:keys AS text[])) k(key), LATERAL ("
        "SELECT MIN(f.article_id) AS low, MAX(f.article_id) AS high FROM article_facets f "
        "WHERE f.kind = 'month' AND f.key = k.key) s"), {"keys": keys}).one()
    return None if low is None else (int(low), int(high))


def _matching(conn: Connection, query: str, filters: Filters) -> _Matching | None:
    """None when nothing can match: no query word, or dates that no article of the store has."""
    words = fts5_query(query)
    if not words:
        return None
    possible, dates = _date_words(conn, filters)
    if not possible:
        return None
    expression = " AND ".join(e for e in (words, filter_expression(filters, dates)) if e)
    params: dict[str, Any] = {"q": expression}
    join, conditions = "", list[str]()
    if dates is None and (filters.since or filters.until):
        # a range of too many words: the dates compared on each match's narrow 'all' facet row. CROSS JOIN
        # keeps the index's matches outermost (SQLite does not reorder it): the other way round probes
        # the full-text index once per article of the range
        join = ("CROSS JOIN article_facets d ON d.kind = 'all' AND d.key = '' "
                "AND d.article_id = articles_fts.rowid")
        conditions = filters.date_conditions("d.sort_date", params)
    where = " AND ".join(["articles_fts MATCH :q", *conditions])
    return _Matching(f"FROM articles_fts {join} WHERE {where}", params)


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


def _block_walk(matching: _Matching, start: int, top: int, low: int,
                found: Callable[[], int]) -> Iterator[_Matching]:
    """``matching`` within each block of ``block_ranges`` from ``start`` down to ``low``, newest first, for as
    long as the caller reads; then the rest at once, when at the density ``found()`` matches make over the ids
    from ``top`` down to the block read last, no more than ``REST_AT_ONCE`` remain."""
    for block in block_ranges(start, low):
        yield matching.within(block)
        end = block.start
        if end <= low:
            return
        if found() * (end - low) <= REST_AT_ONCE * (top - end + 1):
            yield matching.below(end)
            return


def _matching_postgresql(query: str, filters: Filters, span: tuple[int, int] | None = None) -> _Matching | None:
    """PostgreSQL's ``_matching``: the query's tsvector matches, the facet filters as words of the facet column,
    intersected with the query's words in one GIN scan (as conditions on ``article_facets`` it read every facet
    row of a province and each article's tsvector; as two indexes, each read its whole posting list), the dates
    as conditions; ``span`` (``_date_span``) bounds the ids."""
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
    return _Matching(f"FROM articles a, websearch_to_tsquery('indonesian', :q) q WHERE {' AND '.join(clauses)}",
                     params, span)


def _postgresql_matching(conn: Connection, query: str, filters: Filters) -> _Matching | None:
    """``_matching_postgresql`` for the filters' dates: the ids their months' articles span, the dates compared
    on the rows the index finds (as ORed words, as on SQLite, each would be looked up at every candidate row:
    30 ms a block for the 48 words of "since 2022-01-01" at a million articles). None when nothing can match."""
    if not (filters.since or filters.until):
        return _matching_postgresql(query, filters)
    first, last = _store_dates(conn)
    if first is None or last is None or date_terms(filters.since, filters.until_bound, first, last) == []:
        return None  # no article of the store is dated in the range
    keys = month_keys(filters.since, filters.until_bound, first, last)
    span = _date_span(conn, keys) if keys else None
    if keys and span is None:
        return None  # an article dated in the range would have one of these months
    return _matching_postgresql(query, filters, span)


def _below_window(offset: int, limit: int, window: int) -> tuple[int, int] | None:
    """(how many rows, how many to skip) a page takes below a full ranked window of ``window`` matches,
    newest first; None when the page ends within the window or the window holds every match."""
    deeper = offset + limit - max(offset, SEARCH_WINDOW)
    if window < SEARCH_WINDOW or deeper <= 0:
        return None
    return deeper, max(0, offset - SEARCH_WINDOW)


# -- relevance ------------------------------------------------------------------------------------------------


def _varints(blob: bytes) -> list[int]:
    """FTS5's document sizes: one varint (SQLite's big-endian 7-bit groups) per column."""
    values, value = [], 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            values.append(value)
            value = 0
    return values


def _document_frequency(conn: Connection, word: str, articles: int) -> float:
    """How many articles contain ``word``: counted up to ``DF_PROBE``, beyond estimated as the share of
    the newest articles holding it times the store."""
    found, oldest, newest = conn.execute(text(
        "SELECT COUNT(*), MIN(rowid), MAX(rowid) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q "
        "ORDER BY rowid DESC LIMIT :n)"), {"q": fts5_query(word), "n": DF_PROBE}).one()
    if found < DF_PROBE:
        return float(found)
    return min(float(articles), DF_PROBE * articles / max(1, max(articles, newest) - oldest + 1))


def _weights(conn: Connection, words: list[str]) -> dict[str, float]:
    """Each query word's inverse document frequency as FTS5's bm25() computes it (estimated counts)."""
    if len(words) == 1:
        return {words[0]: 1.0}  # one word: its weight scales every score alike
    articles = int(conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM articles")).scalar_one())
    weights = {}
    for word in words:
        found = _document_frequency(conn, word, articles)
        weights[word] = max(1e-6, math.log((articles - found + 0.5) / (found + 0.5)))
    return weights


def _ranked(conn: Connection, words: Sequence[str], window: Sequence[tuple[int, str, str]]) -> list[tuple[int, float]]:
    """(id, BM25 score) of the ``window`` rows (id, highlighted title, highlighted body), best first."""
    if not window:
        return []
    normal = {normal_word(w): w for w in words}
    weights = _weights(conn, list(normal.values()))
    sizes = {int(r[0]): _varints(r[1] or b"") for r in conn.execute(text(
        "SELECT id, sz FROM articles_fts_docsize WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)),
        {"ids": [row[0] for row in window]})}
    lengths = np.array([sum(sizes.get(row[0], [0, 0])[:2]) for row in window], dtype=float)
    average = float(lengths.mean()) or 1.0
    scored = []
    for (article_id, title, body), length in zip(window, lengths, strict=True):
        frequency: dict[str, float] = dict.fromkeys(normal.values(), 0.0)
        for weight, marked in ((TITLE_WEIGHT, title or ""), (BODY_WEIGHT, body or "")):
            for found in _MARKED.findall(marked):
                word = normal.get(normal_word(found))
                if word is not None:
                    frequency[word] += weight
        norm = K1 * (1 - B + B * length / average)
        score = sum(weights[w] * f * (K1 + 1) / (f + norm) for w, f in frequency.items() if f)
        scored.append((article_id, score))
    return sorted(scored, key=lambda s: (-s[1], -s[0]))


# -- search ---------------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int
    exact: bool  # False: at least ``total`` matches (counting stops past ``COUNT_CAP``)


def search(conn: Connection, query: str, filters: Filters | None = None, limit: int = 20,
           offset: int = 0) -> list[Hit]:
    """Articles matching every word of ``query`` and ``filters``, best first, with a highlighted snippet.

    The ``SEARCH_WINDOW`` newest matches ranked by relevance, then newest first below them.
    """
    hits, _ = _search(conn, query, filters or Filters(), limit, offset)
    return hits


def search_page(conn: Connection, query: str, filters: Filters | None = None, limit: int = 20,
                offset: int = 0) -> SearchPage:
    """``search``'s hits with how many articles match: a window short of ``SEARCH_WINDOW`` holds them all,
    so the total is counted only when there may be more (a sparse match read twice costs twice)."""
    filters = filters or Filters()
    hits, window = _search(conn, query, filters, limit, offset)
    if window < SEARCH_WINDOW:
        return SearchPage(hits, window, True)
    return SearchPage(hits, *count_search(conn, query, filters))


def _search(conn: Connection, query: str, filters: Filters, limit: int, offset: int) -> tuple[list[Hit], int]:
    """The page's hits and how many matches the ranked window holds."""
    if conn.dialect.name != "sqlite":
        return _search_postgresql(conn, query, filters, limit, offset)
    matching = _matching(conn, query, filters)
    if matching is None:
        return [], 0
    words = query_words(query)
    window = [(int(r[0]), r[1], r[2]) for r in conn.execute(text(
        f"SELECT articles_fts.rowid, highlight(articles_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}'), "
        f"highlight(articles_fts, 1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}') {matching.sql} "
        "ORDER BY articles_fts.rowid DESC LIMIT :n"), {**matching.params, "n": SEARCH_WINDOW})]
    page = _ranked(conn, words, window)[offset:offset + limit] if offset < SEARCH_WINDOW else []
    below = _below_window(offset, limit, len(window))
    if below is not None:
        ids = conn.execute(text(
            f"SELECT articles_fts.rowid {matching.sql} AND articles_fts.rowid < :below "
            "ORDER BY articles_fts.rowid DESC LIMIT :n OFFSET :skip"),
            {**matching.params, "below": window[-1][0], "n": below[0], "skip": below[1]}).scalars().all()
        page += [(int(i), 0.0) for i in ids]
    return _with_snippets(conn, fts5_query(query), _rows(conn, page)), len(window)


def count_search(conn: Connection, query: str, filters: Filters | None = None,
                 cap: int | None = None) -> tuple[int, bool]:
    """How many articles ``search`` finds, and whether that is exact: counting stops past ``cap``
    (``COUNT_CAP``)."""
    filters = filters or Filters()
    cap = COUNT_CAP if cap is None else cap
    if conn.dialect.name != "sqlite":
        return _count_postgresql(conn, query, filters, cap)
    matching = _matching(conn, query, filters)
    if matching is None:
        return 0, True
    found = int(conn.execute(text(f"SELECT COUNT(*) FROM (SELECT 1 {matching.sql} LIMIT :cap) x"),
                             {**matching.params, "cap": cap + 1}).scalar_one())
    return min(found, cap), found <= cap


def _count_postgresql(conn: Connection, query: str, filters: Filters, cap: int) -> tuple[int, bool]:
    """``count_search`` on PostgreSQL: block by block, newest first, until more than ``cap`` are found, each
    block range through the index alone. A sequential scan (the planner's choice for a common word) unpacks
    every row's tsvector to test it (190 ms for 10,000 of "sabu" at 100,000 articles); one bitmap over the
    whole store reads every posting of the word, however few of them the count needs."""
    matching = _postgresql_matching(conn, query, filters)
    top = conn.execute(text("SELECT MAX(id) FROM articles")).scalar() if matching is not None else None
    if matching is None or top is None:
        return 0, True
    found = 0
    top, low = matching.ids_between(int(top))

    def counted() -> int:
        return found

    with _only_scans(conn, False):
        for inside in _block_walk(matching, top, top, low, counted):
            found += int(conn.execute(text(f"SELECT COUNT(*) FROM (SELECT 1 {inside.sql} LIMIT :cap) x"),
                                      {**inside.params, "cap": cap + 1 - found}).scalar_one())
            if found > cap:
                break
    return min(found, cap), found <= cap


def match_ids(conn: Connection, query: str) -> np.ndarray:
    """Ids of every article the full-text index matches ``query`` with, sorted.

    Fetched as one comma-separated text that numpy parses: a hundred thousand one-value rows through the
    driver cost three times as much.
    """
    if conn.dialect.name == "sqlite":
        match = fts5_query(query)
        if not match:
            return np.zeros(0, dtype=np.int64)
        joined = conn.execute(text("SELECT group_concat(rowid) FROM articles_fts WHERE articles_fts MATCH :q"),
                              {"q": match}).scalar_one()
    else:
        matching = _matching_postgresql(query, Filters())
        if matching is None:
            return np.zeros(0, dtype=np.int64)
        joined = conn.execute(text(f"SELECT string_agg(a.id::text, ',') {matching.sql}"), matching.params).scalar_one()
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.array(joined.split(","), dtype=np.int64))


def _rows(conn: Connection, page: Sequence[tuple[int, float]]) -> list[Any]:
    """Summary rows of the articles of ``page`` ((id, score) pairs), in its order, with the scores."""
    if not page:
        return []
    scores = dict(page)
    found = {r.id: r for r in conn.execute(text(
        "SELECT a.id, a.record_id, a.title, a.outlet, a.sort_date AS d, a.url FROM articles a WHERE a.id IN :ids")
        .bindparams(bindparam("ids", expanding=True)), {"ids": [i for i, _ in page]})}
    return [_Scored(found[i], scores[i]) for i, _ in page if i in found]


@dataclass(slots=True, frozen=True)
class _Scored:
    row: Any
    score: float

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


def _with_snippets(conn: Connection, match: str, ranked: Sequence[Any]) -> list[Hit]:
    if not ranked:
        return []
    snippets = dict(conn.execute(
        text(f"SELECT rowid, snippet(articles_fts, 1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24) "
             "FROM articles_fts WHERE articles_fts MATCH :q AND rowid IN :ids")
        .bindparams(bindparam("ids", expanding=True)),
        {"q": match, "ids": [r.id for r in ranked]}).all())
    return [Hit(r.id, r.record_id, r.title, r.outlet, r.d, r.url, snippets.get(r.id, ""), float(r.score))
            for r in ranked]


def _newest_postgresql(conn: Connection, matching: _Matching) -> list[int]:
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
    top = conn.execute(text("SELECT MAX(id) FROM articles")).scalar()
    if top is None:
        return []
    top, low = matching.ids_between(int(top))
    floor = top - RECENT_PROBE
    with _only_scans(conn, True):  # bounded only if read in order: the planner may prefer a posting list
        ids = list(conn.execute(text(
            f"SELECT a.id {matching.sql} AND a.id > :floor AND a.id <= :top ORDER BY a.id DESC LIMIT :n"),
            {**matching.params, "floor": floor, "top": top, "n": SEARCH_WINDOW}).scalars())
    if len(ids) == SEARCH_WINDOW or floor < low:
        return ids
    # at the density the newest articles matched, the rows an ordered read needs for the rest of the window
    if len(ids) > 0 and (SEARCH_WINDOW - len(ids)) * RECENT_PROBE <= ORDERED_READ * len(ids):
        # in order, but no further than ORDERED_READ ids: the density may not hold (a word clustered among the
        # newest articles of a date range read the whole range, 160 ms)
        stop = floor - ORDERED_READ
        with _only_scans(conn, True):
            ids += conn.execute(text(
                f"SELECT a.id {matching.sql} AND a.id <= :floor AND a.id > :stop ORDER BY a.id DESC LIMIT :n"),
                {**matching.params, "floor": floor, "stop": stop, "n": SEARCH_WINDOW - len(ids)}).scalars()
        if len(ids) == SEARCH_WINDOW or stop < low:
            return ids
        floor = stop

    def found() -> int:
        return len(ids)

    with _only_scans(conn, False):
        for inside in _block_walk(matching, floor, top, low, found):
            ids += conn.execute(text(f"SELECT a.id {inside.sql} AND a.id <= :floor ORDER BY a.id DESC LIMIT :n"),
                                {**inside.params, "floor": floor, "n": SEARCH_WINDOW - len(ids)}).scalars()
            if len(ids) == SEARCH_WINDOW:
                break
    return ids


_SCANS = ("enable_seqscan", "enable_bitmapscan", "enable_indexscan", "work_mem")
# Memory a bitmap scan may take before it keeps whole pages instead of rows ("lossy"), whose every row is then
# tested again with its tsvector unpacked. PostgreSQL's default (4 MB) holds about 60,000 heap pages: at 343,000
# articles (117,000 pages) counting "ganja" with methamphetamine tested 81,000 rows again, 557 ms instead of 70.
# About 70 bytes a page: 32 MB keeps a store of 450,000 pages (over a million articles) exact.
BITMAP_WORK_MEM = "32MB"


@contextmanager
def _only_scans(conn: Connection, ordered: bool) -> Iterator[None]:
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


def _search_postgresql(conn: Connection, query: str, filters: Filters, limit: int,
                       offset: int) -> tuple[list[Hit], int]:
    """The same pages as SQLite's: the ``SEARCH_WINDOW`` newest matches passing the filters ranked (here by
    ``ts_rank``, which reads each row's tsvector: ranking every match of a common word read them all), then
    newest first below them; headlines for the page's rows only."""
    matching = _postgresql_matching(conn, query, filters)
    if matching is None:
        return [], 0
    newest = _newest_postgresql(conn, matching)
    if not newest:
        return [], 0
    # the match is tested again: an article changed between the statements leaves the window, not the page
    window = conn.execute(text(
        f"SELECT a.id, ts_rank(a.search, q) AS score {matching.sql} AND a.id IN :ids ORDER BY score DESC, a.id DESC")
        .bindparams(bindparam("ids", expanding=True)), {**matching.params, "ids": newest}).all()
    page = [(int(r.id), float(r.score)) for r in window][offset:offset + limit]
    below = _below_window(offset, limit, len(window))
    if below is not None:
        page += [(int(i), 0.0) for i in conn.execute(text(
            f"SELECT a.id {matching.sql} AND a.id < :below ORDER BY a.id DESC LIMIT :n OFFSET :skip"),
            {**matching.params, "below": min(int(r.id) for r in window), "n": below[0], "skip": below[1]}).scalars()]
    if not page:
        return [], len(window)
    scores = dict(page)
    rows = {r.id: r for r in conn.execute(text(
        "SELECT a.id, a.record_id, a.title, a.outlet, a.sort_date AS d, a.url, ts_headline('indonesian', a.body, q, "
        f"'StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=30, MinWords=12, MaxFragments=1') AS snip "
        "FROM articles a, websearch_to_tsquery('indonesian', :q) q WHERE a.id IN :ids")
        .bindparams(bindparam("ids", expanding=True)), {"q": matching.params["q"], "ids": list(scores)})}
    return [Hit(r.id, r.record_id, r.title, r.outlet, r.d, r.url, r.snip, scores[r.id])
            for i, _ in page if (r := rows.get(i)) is not None], len(window)
