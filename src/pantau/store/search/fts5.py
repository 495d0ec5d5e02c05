"""SQLite's search: the filters are words of the full-text index (``facets.search_terms``), so "sabu" in
province 33 since March 2021 is one intersection of posting lists that FTS5 reads newest first and stops after
what a page needs: its cost follows the page, not how many of a million articles say "sabu".

The relevance is BM25 with FTS5's formula and weights (title 4, body 1), computed here on the window:
FTS5's own ``bm25()`` first counts every article matching each word of the query (and each filter word)
to weigh it, which at a million articles costs more than the whole page. The term frequencies come from
the index's ``highlight()`` of the window's rows and the lengths from its document sizes; a word's
document frequency is counted up to ``DF_PROBE`` matches and estimated beyond from how densely it occurs
among the newest articles. User words reach FTS5 only as quoted strings.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import Connection, bindparam, text

from pantau.store.queries import Filters
from pantau.store.search import terms
from pantau.store.search.terms import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Hit,
    SearchPage,
    below_window,
    date_terms,
    facet_words,
    query_words,
    store_dates,
)

DF_PROBE = 2000  # matches of a word counted for its weight before estimating from density
TITLE_WEIGHT, BODY_WEIGHT, K1, B = 4.0, 1.0, 1.2, 0.75  # FTS5's bm25() defaults, the title weighted as before
_MARKED = re.compile(f"{HIGHLIGHT_START}([^{HIGHLIGHT_END}]*){HIGHLIGHT_END}")
_TEXT_COLUMNS = "{title body}"


@dataclass(slots=True, frozen=True)
class _Matching:
    """``FROM ... WHERE ...`` of the index rows matching a query and filters, and its parameters."""

    sql: str
    params: dict[str, Any]


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


def filter_expression(filters: Filters, dates: list[str] | None) -> str:
    """``filters`` as an FTS5 expression on the ``search_facets`` column: its facet words (``facet_words``)
    and, given, one of the date words ``dates``."""
    parts = [f"search_facets : {_quoted(word)}" for word in facet_words(filters)]
    if dates:
        parts.append(f"search_facets : ({' OR '.join(_quoted(t) for t in dates)})")
    return " AND ".join(parts)


def date_words(conn: Connection, filters: Filters) -> tuple[bool, list[str] | None]:
    """Whether any article of the store can be in the filters' date range, and the range as words
    (``date_terms``: None when no date filter applies or the words would be too many, the dates then compared
    one by one)."""
    if not (filters.since or filters.until):
        return True, None
    first, last = store_dates(conn)
    if first is None:
        return False, None
    dates = date_terms(filters.since, filters.until_bound, first, last)
    return dates != [], dates


def matching(conn: Connection, query: str, filters: Filters) -> _Matching | None:
    """None when nothing can match: no query word, or dates that no article of the store has."""
    words = fts5_query(query)
    if not words:
        return None
    possible, dates = date_words(conn, filters)
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


def search(conn: Connection, query: str, filters: Filters, limit: int, offset: int) -> tuple[list[Hit], int]:
    """The page's hits and how many matches the ranked window holds."""
    found = matching(conn, query, filters)
    if found is None:
        return [], 0
    return _window_page(conn, found, query, limit, offset)


def page(conn: Connection, query: str, filters: Filters, limit: int, offset: int, cap: int) -> SearchPage:
    """``search``'s hits and the total (``pantau.store.search.search_page``): a window short of
    ``SEARCH_WINDOW`` holds every match, so the total is counted only when there may be more."""
    found = matching(conn, query, filters)
    if found is None:
        return SearchPage([], 0, True)
    hits, window = _window_page(conn, found, query, limit, offset)
    if window < terms.SEARCH_WINDOW:
        return SearchPage(hits, window, True)
    return SearchPage(hits, *_count(conn, found, cap))


def _window_page(conn: Connection, found: _Matching, query: str, limit: int,
                 offset: int) -> tuple[list[Hit], int]:
    words = query_words(query)
    window = [(int(r[0]), r[1], r[2]) for r in conn.execute(text(
        f"SELECT articles_fts.rowid, highlight(articles_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}'), "
        f"highlight(articles_fts, 1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}') {found.sql} "
        "ORDER BY articles_fts.rowid DESC LIMIT :n"), {**found.params, "n": terms.SEARCH_WINDOW})]
    page = _ranked(conn, words, window)[offset:offset + limit] if offset < terms.SEARCH_WINDOW else []
    below = below_window(offset, limit, len(window))
    if below is not None:
        ids = conn.execute(text(
            f"SELECT articles_fts.rowid {found.sql} AND articles_fts.rowid < :below "
            "ORDER BY articles_fts.rowid DESC LIMIT :n OFFSET :skip"),
            {**found.params, "below": window[-1][0], "n": below[0], "skip": below[1]}).scalars().all()
        page += [(int(i), 0.0) for i in ids]
    return _with_snippets(conn, fts5_query(query), _rows(conn, page)), len(window)


def count(conn: Connection, query: str, filters: Filters, cap: int) -> tuple[int, bool]:
    """How many articles ``search`` finds, up to ``cap``, and whether that is exact."""
    found = matching(conn, query, filters)
    return (0, True) if found is None else _count(conn, found, cap)


def _count(conn: Connection, found: _Matching, cap: int) -> tuple[int, bool]:
    counted = int(conn.execute(text(f"SELECT COUNT(*) FROM (SELECT 1 {found.sql} LIMIT :cap) x"),
                               {**found.params, "cap": cap + 1}).scalar_one())
    return min(counted, cap), counted <= cap


def match_ids(conn: Connection, query: str) -> np.ndarray:
    """Ids of every article the full-text index matches ``query`` with, sorted (``pantau.store.search.match_ids``)."""
    match = fts5_query(query)
    if not match:
        return np.zeros(0, dtype=np.int64)
    joined = conn.execute(text("SELECT group_concat(rowid) FROM articles_fts WHERE articles_fts MATCH :q"),
                          {"q": match}).scalar_one()
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

