"""Read queries over the store: filters, full-text search, aggregates.

Every statement is fixed SQL text with bound parameters: user input (query words, codes, dates)
never becomes SQL. Facts of one story are counted once: aggregates first reduce each fact to
(story, fact) and only then add up, so five outlets carrying one seizure count it once. A seizure's
identity within a story is (substance, unit, quantity): rewrites drop or reword the qualifier and
the period ("sepanjang tahun ini" loses its year when sentences are reordered), not the figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, text

from pantau.regions import regions

HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"  # snippet markers; front ends escape text, then style these
MAX_QUERY_CHARS = 500
RECENT_CANDIDATES = 2000  # matches ranked by relevance before falling back to all of them (SQLite)
GROUPINGS = ("province", "regency", "month", "substance", "outlet", "topic")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(slots=True, frozen=True)
class Filters:
    province: str | None = None
    regency: str | None = None
    topic: str | None = None
    substance: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None

    def where(self, alias: str = "a", *, ids_only: bool = False) -> tuple[str, dict[str, Any]]:
        """SQL conditions on the article alias and their parameters.

        ``ids_only`` writes every condition as a set of article ids, so that ``alias`` may be any row
        source with an ``id`` column (a full-text match) and no join to articles is needed.
        """
        clauses: list[str] = []
        params: dict[str, Any] = {}
        # IN (subquery) rather than a correlated EXISTS: the set is built once from the code's index,
        # where EXISTS made SQLite re-scan a whole province's locations for every candidate article.
        if self.province:
            clauses.append(f"{alias}.id IN (SELECT article_id FROM locations WHERE province_code = :f_province)")
            params["f_province"] = self.province
        if self.regency:
            clauses.append(f"{alias}.id IN (SELECT article_id FROM locations WHERE code = :f_regency)")
            params["f_regency"] = self.regency
        if self.topic:
            clauses.append(f"{alias}.id IN (SELECT article_id FROM topics WHERE topic = :f_topic)")
            params["f_topic"] = self.topic
        if self.substance:
            clauses.append(f"{alias}.id IN (SELECT article_id FROM seizures WHERE substance = :f_substance)")
            params["f_substance"] = self.substance
        column_conditions = []
        if self.outlet:
            column_conditions.append("outlet = :f_outlet")
            params["f_outlet"] = self.outlet
        if self.since:
            column_conditions.append("sort_date >= :f_since")
            params["f_since"] = self.since
        if self.until:
            column_conditions.append("sort_date <= :f_until")
            params["f_until"] = self.until
        if column_conditions and ids_only:
            clauses.append(f"{alias}.id IN (SELECT id FROM articles WHERE {' AND '.join(column_conditions)})")
        else:
            clauses.extend(f"{alias}.{condition}" for condition in column_conditions)
        return (" AND ".join(clauses) or "1 = 1"), params


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


def search(conn: Connection, query: str, filters: Filters | None = None, limit: int = 20,
           offset: int = 0) -> list[Hit]:
    """Articles matching every word of ``query``, best first, with a highlighted snippet."""
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
        if len(ranked) < limit and conn.execute(
                text("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH :q"), {"q": match}
        ).scalar_one() > RECENT_CANDIDATES:
            # a filter left the page short among the recent candidates: the newest matching articles
            ranked = list(conn.execute(text(
                "WITH m AS MATERIALIZED (SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH :q) "
                "SELECT a.id, a.record_id, a.title, a.outlet, a.sort_date AS d, a.url, 0.0 AS score "
                f"FROM m JOIN articles a ON a.id = m.id WHERE {where} "
                "ORDER BY a.id DESC LIMIT :limit OFFSET :offset"), {**params, "q": match}).all())
        if not ranked:
            return []
        snippets = dict(conn.execute(
            text(f"SELECT rowid, snippet(articles_fts, 1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24) "
                 "FROM articles_fts WHERE articles_fts MATCH :q AND rowid IN :ids")
            .bindparams(bindparam("ids", expanding=True)),
            {"q": match, "ids": [r.id for r in ranked]}).all())
        return [Hit(r.id, r.record_id, r.title, r.outlet, r.d, r.url, snippets.get(r.id, ""), -float(r.score))
                for r in ranked]
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


_GROUP_SQL = {
    "province": "SELECT DISTINCT article_id, province_code AS k FROM locations WHERE province_code IS NOT NULL",
    "regency": "SELECT DISTINCT article_id, code AS k FROM locations WHERE level IN ('regency', 'city')",
    "month": "SELECT id AS article_id, SUBSTR(sort_date, 1, 7) AS k FROM articles "
             "WHERE sort_date IS NOT NULL",
    "substance": "SELECT DISTINCT article_id, substance AS k FROM seizures",
    "outlet": "SELECT id AS article_id, outlet AS k FROM articles WHERE outlet IS NOT NULL",
    "topic": "SELECT article_id, topic AS k FROM topics",
}


@dataclass(slots=True)
class GroupStats:
    key: str
    label: str
    articles: int = 0
    stories: int = 0
    seizures: dict[tuple[str, str], float] = field(default_factory=dict)  # (substance, unit) -> total
    cases: float = 0.0
    suspects: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "articles": self.articles, "stories": self.stories,
                "seizures": [{"substance": s, "unit": u, "total": v} for (s, u), v in sorted(self.seizures.items())],
                "cases": self.cases, "suspects": self.suspects}


def _label(by: str, key: str) -> str:
    if by in ("province", "regency"):
        region = regions().get(key)
        return region.name if region else key
    return key


def aggregate(conn: Connection, by: str, filters: Filters | None = None) -> list[GroupStats]:
    """Articles, stories, seizure totals (per substance and unit) and case/suspect counts per group."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}: use one of {', '.join(GROUPINGS)}")
    where, params = (filters or Filters()).where("a")
    groups = f"({_GROUP_SQL[by]}) g JOIN articles a ON a.id = g.article_id AND {where}"
    out: dict[str, GroupStats] = {}
    for row in conn.execute(text(
            f"SELECT g.k, COUNT(DISTINCT a.id) AS n, COUNT(DISTINCT a.story_id) AS stories FROM {groups} "
            "GROUP BY g.k"), params):
        out[row.k] = GroupStats(row.k, _label(by, row.k), row.n, row.stories)
    same_substance = "AND z.substance = g.k" if by == "substance" else ""
    for row in conn.execute(text(
            "SELECT k, substance, unit, SUM(quantity) AS total FROM ("
            "SELECT DISTINCT g.k, a.story_id, z.substance, z.unit, z.quantity "
            f"FROM {groups} JOIN seizures z ON z.article_id = a.id {same_substance} "
            "WHERE z.quantity IS NOT NULL) story_facts GROUP BY k, substance, unit"), params):
        out[row.k].seizures[(row.substance, row.unit or "")] = float(row.total)
    for row in conn.execute(text(
            "SELECT k, measure, SUM(value) AS total FROM ("
            "SELECT DISTINCT g.k, a.story_id, t.measure, t.subject, t.period, t.value "
            f"FROM {groups} JOIN statistics t ON t.article_id = a.id "
            "WHERE t.measure IN ('cases', 'suspects')) story_facts GROUP BY k, measure"), params):
        setattr(out[row.k], row.measure, float(row.total))
    return sorted(out.values(), key=lambda g: (-g.articles, g.key))
