"""Read queries over the store: filters, full-text search, aggregates.

Every statement is fixed SQL text with bound parameters: user input (query words, codes, dates)
never becomes SQL. Facts of one incident (one event, however many outlets rewrote it) are counted
once: aggregates first reduce each fact to (incident, fact) and only then add up, so five outlets
carrying one seizure count it once. A seizure's identity within an incident is (substance, unit,
quantity): rewrites drop or reword the qualifier and the period ("sepanjang tahun ini" loses its
year when sentences are reordered), not the figure; "40 kg" and "40.000 gram" are one figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection, bindparam, text

from pantau.regions import regions
from pantau.store.db import driver_rows
from pantau.store.facets import ALL, GROUPINGS

HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"  # snippet markers; front ends escape text, then style these
MAX_QUERY_CHARS = 500
RECENT_CANDIDATES = 2000  # matches ranked by relevance before falling back to all of them (SQLite)
_WORD = re.compile(r"\w+", re.UNICODE)


# What aggregates count a fact once per: its incident (an article not yet grouped stands alone).
UNIT = "COALESCE(d.incident_id, -d.article_id)"

# Filters that are facets (a filter's name is its facet kind in pantau.store.facets), most selective first.
# Kind names are written into the SQL as fixed strings; values are always bound parameters.
FACET_FILTERS = ("regency", "outlet", "substance", "province", "topic")


@dataclass(slots=True, frozen=True)
class Filters:
    province: str | None = None
    regency: str | None = None
    topic: str | None = None
    substance: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None

    def facets(self) -> list[tuple[str, str]]:
        """The (kind, key) facets an article must have, most selective kind first."""
        return [(name, value) for name in FACET_FILTERS if (value := getattr(self, name))]

    @property
    def until_bound(self) -> str | None:
        """``until`` as the last day it names: "2023" and "2023-12" include all of December 2023."""
        if not self.until:
            return None
        return self.until + {4: "-12-31", 7: "-31"}.get(len(self.until), "")

    def _dates(self, column: str, params: dict[str, Any]) -> list[str]:
        clauses = []
        if self.since:
            clauses.append(f"{column} >= :f_since")
            params["f_since"] = self.since
        if self.until:
            clauses.append(f"{column} <= :f_until")
            params["f_until"] = self.until_bound
        return clauses

    def _facet_sets(self, column: str, params: dict[str, Any], skip: int = 0) -> list[str]:
        clauses = []
        for kind, value in self.facets()[skip:]:
            clauses.append(f"{column} IN (SELECT article_id FROM article_facets WHERE kind = '{kind}' "
                           f"AND key = :f_{kind})")
            params[f"f_{kind}"] = value
        return clauses

    def on_ids(self, column: str) -> tuple[str, dict[str, Any]]:
        """Conditions on an article-id expression (``f.article_id``, ``m.id``): every filter as an id set."""
        params: dict[str, Any] = {}
        clauses = self._facet_sets(column, params)
        dates = self._dates("sort_date", params)
        if dates:
            clauses.append(f"{column} IN (SELECT article_id FROM article_facets WHERE kind = 'all' AND key = '' "
                           f"AND {' AND '.join(dates)})")
        return (" AND ".join(clauses) or "1 = 1"), params

    def where(self, alias: str = "a") -> tuple[str, dict[str, Any]]:
        """Conditions on the articles alias: facets as id sets, dates on its indexed sort date."""
        params: dict[str, Any] = {}
        clauses = self._facet_sets(f"{alias}.id", params) + self._dates(f"{alias}.sort_date", params)
        return (" AND ".join(clauses) or "1 = 1"), params

    def matching(self, join: str = "", conditions: tuple[str, ...] = ()) -> tuple[str, dict[str, Any]]:
        """``FROM ... WHERE ...`` giving one ``article_facets`` row ``d`` per matching article.

        The rows are those of the most selective facet filter (else the ``all`` rows): their primary key
        selects them and the (kind, key, sort_date, article_id) index orders them newest first. ``join``
        is a fixed ``JOIN ...`` clause placed after ``d``, ``conditions`` fixed SQL conditions joined by AND.
        """
        facets = self.facets()
        kind, key = facets[0] if facets else (ALL, "")
        params: dict[str, Any] = {"d_key": key}
        clauses = [*conditions, f"d.kind = '{kind}'", "d.key = :d_key", *self._dates("d.sort_date", params),
                   *self._facet_sets("d.article_id", params, skip=1 if facets else 0)]
        return f"FROM article_facets d {join} WHERE {' AND '.join(clauses)}", params

    def grouped(self, by: str, join: str = "") -> tuple[str, dict[str, Any], str]:
        """``FROM ... WHERE ...`` giving one row per (matching article, value of ``by``), and the value's column.

        The rows name the article ``d.article_id`` and its story ``d.story_id``. With a facet filter, its
        (few) rows ``d`` drive and each article's ``by`` values ``g`` are looked up by article; without one,
        the ``by`` rows themselves are ``d``. ``join`` is a fixed ``JOIN ...`` on ``d.article_id``.
        """
        if not self.facets():
            params: dict[str, Any] = {"g_kind": by}
            clauses = ["d.kind = :g_kind", *self._dates("d.sort_date", params)]
            return f"FROM article_facets d {join} WHERE {' AND '.join(clauses)}", params, "d.key"
        # CROSS JOIN keeps d outermost on SQLite, whatever its statistics say
        rows, params = self.matching(join=f"CROSS JOIN article_facets g {join}",
                                     conditions=("g.article_id = d.article_id", "g.kind = :g_kind"))
        params["g_kind"] = by
        return rows, params, "g.key"


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


def _fts5_query(query: str) -> str:
    """User words as an FTS5 AND query of quoted terms: no FTS syntax reaches the engine."""
    words = _WORD.findall(query)
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def _ranked_sqlite(conn: Connection, where: str, params: dict[str, Any]) -> list[Any]:
    return list(conn.execute(text(
        "WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(articles_fts, 4.0, 1.0) AS score "
        "FROM articles_fts WHERE articles_fts MATCH :q ORDER BY rowid DESC LIMIT :cap) "
        "SELECT a.id, a.record_id, a.title, a.outlet, a.sort_date AS d, a.url, m.score "
        f"FROM m JOIN articles a ON a.id = m.id WHERE {where} "
        "ORDER BY m.score, a.id LIMIT :limit OFFSET :offset"), params).all())


def fts_match_count(conn: Connection, match: str) -> int:
    """How many articles the FTS5 expression ``match`` (from ``_fts5_query``) matches, counted inside the
    full-text index: no row leaves it (SQLite)."""
    return int(conn.execute(text("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH :q"),
                            {"q": match}).scalar_one())


def _more_matches_than(conn: Connection, match: str, count: int) -> bool:
    """Whether the FTS5 expression ``match`` matches more than ``count`` articles, reading at most
    ``count + 1`` of them (a full count of a common word grows with the store)."""
    return int(conn.execute(text("SELECT COUNT(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts "
                                 "MATCH :q LIMIT :n)"), {"q": match, "n": count + 1}).scalar_one()) > count


def match_ids(conn: Connection, query: str) -> np.ndarray:
    """Ids of every article the full-text index matches ``query`` with, sorted.

    Fetched as one comma-separated text that numpy parses: a hundred thousand one-value rows through the
    driver cost three times as much.
    """
    query = query[:MAX_QUERY_CHARS]
    if conn.dialect.name == "sqlite":
        match = _fts5_query(query)
        if not match:
            return np.zeros(0, dtype=np.int64)
        sql = "SELECT group_concat(rowid) FROM articles_fts WHERE articles_fts MATCH :q"
        params = {"q": match}
    else:
        if not _WORD.search(query):
            return np.zeros(0, dtype=np.int64)
        sql = ("SELECT string_agg(a.id::text, ',') FROM articles a "
               "WHERE a.search @@ websearch_to_tsquery('indonesian', :q)")
        params = {"q": query}
    joined = conn.execute(text(sql), params).scalar_one()
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.fromstring(joined, dtype=np.int64, sep=","))


def recent_matches(conn: Connection, query: str) -> list[tuple[int, float]]:
    """(id, bm25) of the ``RECENT_CANDIDATES`` most recently stored articles matching ``query`` (SQLite)."""
    match = _fts5_query(query[:MAX_QUERY_CHARS])
    if not match:
        return []
    return [(int(r[0]), float(r[1])) for r in driver_rows(
        conn, "SELECT rowid, bm25(articles_fts, 4.0, 1.0) FROM articles_fts WHERE articles_fts MATCH ? "
        "ORDER BY rowid DESC LIMIT ?", (match, RECENT_CANDIDATES))]


def ranked_page(conn: Connection, query: str, candidates: Sequence[tuple[int, float]], total: int,
                newest: Callable[[], Sequence[int]], limit: int, offset: int) -> list[Hit]:
    """``search``'s page, from what a facet index knows (SQLite): ``candidates`` are ``recent_matches``
    that pass the filters, ``total`` how many articles match at all, ``newest`` the filtered matches."""
    match = _fts5_query(query[:MAX_QUERY_CHARS])
    if not match:
        return []
    page = sorted(candidates, key=lambda c: (c[1], c[0]))[offset:offset + limit]  # best bm25 first, then id
    if len(page) < limit and total > RECENT_CANDIDATES:
        page = [(int(i), 0.0) for i in newest()[offset:offset + limit]]
    return _with_snippets(conn, match, _rows(conn, page))


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
    return [Hit(r.id, r.record_id, r.title, r.outlet, r.d, r.url, snippets.get(r.id, ""), -float(r.score))
            for r in ranked]


def search(conn: Connection, query: str, filters: Filters | None = None, limit: int = 20,
           offset: int = 0, newest: Callable[[], Sequence[int]] | None = None) -> list[Hit]:
    """Articles matching every word of ``query``, best first, with a highlighted snippet.

    ``newest`` gives, when the caller can (a facet index), every matching article passing the filters,
    newest first: the fallback of a short ranked page then needs no query over all the matches.
    """
    query = query[:MAX_QUERY_CHARS]
    where, params = (filters or Filters()).where("a")
    params.update(limit=limit, offset=offset)
    if conn.dialect.name == "sqlite":
        match = _fts5_query(query)
        if not match:
            return []
        params["q"] = match
        # The full-text index drives (a plan that walks articles and probes the index per row is
        # orders slower). A word found in most articles would need bm25() over all of them: the
        # ranking first takes the RECENT_CANDIDATES most recently stored matches, which FTS5 delivers
        # in rowid order without sorting, and goes over every match only when that page is short.
        ranked = _ranked_sqlite(conn, where, {**params, "q": match, "cap": RECENT_CANDIDATES})
        if len(ranked) < limit and _more_matches_than(conn, match, RECENT_CANDIDATES):
            # a filter left the page short among the recent candidates: the newest matching articles
            if newest is not None:
                ranked = _rows(conn, [(int(i), 0.0) for i in newest()[offset:offset + limit]])
            else:
                # the filter's facet rows drive, newest first on their index, each kept if the text
                # matches: joining every match to its article row read a third of the store for "sabu"
                rows, facet_params = (filters or Filters()).matching(
                    conditions=("d.article_id IN (SELECT id FROM m)",))
                ids = conn.execute(text(
                    "WITH m AS MATERIALIZED (SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH :q) "
                    f"SELECT d.article_id {rows} "
                    "ORDER BY d.sort_date DESC NULLS LAST, d.article_id DESC LIMIT :limit OFFSET :offset"),
                    {**facet_params, "q": match, "limit": limit, "offset": offset}).scalars().all()
                ranked = _rows(conn, [(int(i), 0.0) for i in ids])
        return _with_snippets(conn, match, ranked)
    if not _WORD.search(query):
        return []
    params["q"] = query
    sql = (
        "SELECT a.id, a.record_id, a.title, a.outlet, a.sort_date AS d, a.url, "
        "ts_headline('indonesian', a.body, q, "
        f"'StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=30, MinWords=12, MaxFragments=1') AS snip, "
        "ts_rank(a.search, q) AS score "
        "FROM articles a, websearch_to_tsquery('indonesian', :q) q "
        f"WHERE a.search @@ q AND {where} ORDER BY score DESC, a.id LIMIT :limit OFFSET :offset"
    )
    rows = conn.execute(text(sql), params).all()
    return [Hit(r.id, r.record_id, r.title, r.outlet, r.d, r.url, r.snip, float(r.score)) for r in rows]


@dataclass(slots=True)
class GroupStats:
    key: str
    label: str
    articles: int = 0
    stories: int = 0
    incidents: int = 0
    seizures: dict[tuple[str, str], float] = field(default_factory=dict)  # (substance, unit) -> total
    cases: float = 0.0
    suspects: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "articles": self.articles, "stories": self.stories,
                "incidents": self.incidents,
                "seizures": [{"substance": s, "unit": u, "total": v} for (s, u), v in sorted(self.seizures.items())],
                "cases": self.cases, "suspects": self.suspects}


def _label(by: str, key: str) -> str:
    if by in ("province", "regency"):
        region = regions().get(key)
        return region.name if region else key
    return key


def aggregate(conn: Connection, by: str, filters: Filters | None = None) -> list[GroupStats]:
    """Articles, stories, incidents, seizure totals (per substance and unit) and case/suspect counts per group.

    A fact counts once per incident (``UNIT``): ten outlets rewriting one bust add its seizure once."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}: use one of {', '.join(GROUPINGS)}")
    filters = filters or Filters()
    rows, params, key = filters.grouped(by)
    out: dict[str, GroupStats] = {}
    for row in conn.execute(text(
            f"SELECT {key} AS k, COUNT(*) AS n, COUNT(DISTINCT d.story_id) AS stories, "
            f"COUNT(DISTINCT d.incident_id) AS incidents {rows} GROUP BY {key}"), params):
        out[row.k] = GroupStats(row.k, _label(by, row.k), int(row.n), int(row.stories), int(row.incidents))
    seizure_rows, _, _ = filters.grouped(by, join="JOIN seizures z ON z.article_id = d.article_id")
    same_substance = f"AND z.substance = {key}" if by == "substance" else ""
    for row in conn.execute(text(
            "SELECT k, substance, unit, SUM(quantity) AS total FROM ("
            f"SELECT DISTINCT {key} AS k, {UNIT} AS u, z.substance, z.unit, z.quantity "
            f"{seizure_rows} {same_substance} AND z.quantity IS NOT NULL) story_facts "
            "GROUP BY k, substance, unit"), params):
        out[row.k].seizures[(row.substance, row.unit or "")] = float(row.total)
    statistic_rows, _, _ = filters.grouped(by, join="JOIN statistics t ON t.article_id = d.article_id")
    for row in conn.execute(text(
            "SELECT k, measure, SUM(value) AS total FROM ("
            f"SELECT DISTINCT {key} AS k, {UNIT} AS u, t.measure, t.subject, t.period, t.value "
            f"{statistic_rows} AND t.measure IN ('cases', 'suspects')) story_facts "
            "GROUP BY k, measure"), params):
        setattr(out[row.k], row.measure, float(row.total))
    return sorted(out.values(), key=lambda g: (-g.articles, g.key))
