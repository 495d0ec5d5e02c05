"""Read models for the API and dashboard: pages of articles, facts, people, units and regions.

Like ``queries``, every statement is fixed SQL with bound parameters; filters are the same as the
CLI's (``Filters``). Functions that count, rank or aggregate take an optional ``index``
(:class:`pantau.store.index.FacetIndex`): given one, the counting is done on it and only the rows
shown are read from the store; the answer is the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, text

from pantau.regions import regions
from pantau.store.db import json_value
from pantau.store.queries import Filters, GroupStats, aggregate
from pantau.store.search import search_page

if TYPE_CHECKING:
    from pantau.store.index import FacetIndex

ARTICLE_COLUMNS = "a.id, a.record_id, a.title, a.outlet, a.sort_date AS d, a.url, a.story_id"


@dataclass(slots=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    page_size: int
    total_exact: bool = True  # False: at least ``total`` (a search's count stops at search.COUNT_CAP)

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "total_exact": self.total_exact, "page": self.page,
                "page_size": self.page_size}


def _article_summary(row: Any) -> dict[str, Any]:
    return {"id": row.record_id, "title": row.title, "outlet": row.outlet, "date": row.d, "url": row.url,
            "story_id": row.story_id}


def aggregates(conn: Connection, by: str, filters: Filters, index: FacetIndex | None = None) -> list[GroupStats]:
    return index.aggregate(by, filters) if index is not None else aggregate(conn, by, filters)


def list_articles(conn: Connection, filters: Filters, query: str | None, page: int, page_size: int,
                  index: FacetIndex | None = None) -> Page:
    """A page of articles, newest first, or ranked by ``query`` (``pantau.store.search``: the filters are
    words of the full-text index, the total exact up to ``search.COUNT_CAP``)."""
    offset = (page - 1) * page_size
    if query:
        found = search_page(conn, query, filters, limit=page_size, offset=offset)
        return Page([hit.as_dict() for hit in found.hits], found.total, page, page_size, found.exact)
    if index is not None:
        total, page_ids = index.article_page(filters, offset, page_size)
        return Page(_summaries(conn, page_ids), total, page, page_size)
    # the facet rows of the most selective filter, walked newest first on their index: one page read
    rows, params = filters.matching()
    total = conn.execute(text(f"SELECT COUNT(*) {rows}"), params).scalar_one()
    ids = conn.execute(text(
        f"SELECT d.article_id {rows} ORDER BY d.sort_date DESC NULLS LAST, d.article_id DESC "
        "LIMIT :limit OFFSET :offset"), {**params, "limit": page_size, "offset": offset}).scalars().all()
    return Page(_summaries(conn, list(ids)), int(total), page, page_size)


def _summaries(conn: Connection, ids: list[int]) -> list[dict[str, Any]]:
    """Article summaries for ``ids``, in that order."""
    if not ids:
        return []
    # the story from the article's facet row: in the articles row it lies after the body, in overflow pages
    rows = conn.execute(text(
        "SELECT a.id, a.record_id, a.title, a.outlet, a.sort_date AS d, a.url, f.story_id FROM articles a "
        "JOIN article_facets f ON f.kind = 'all' AND f.key = '' AND f.article_id = a.id WHERE a.id IN :ids")
        .bindparams(bindparam("ids", expanding=True)), {"ids": ids}).all()
    by_id = {row.id: row for row in rows}
    return [_article_summary(by_id[i]) for i in ids if i in by_id]


def get_article(conn: Connection, record_id: str) -> dict[str, Any] | None:
    row = conn.execute(text(
        f"SELECT {ARTICLE_COLUMNS}, a.record FROM articles a WHERE a.record_id = :rid "
        "ORDER BY a.ingested_at DESC, a.id DESC LIMIT 1"), {"rid": record_id}).first()
    if row is None:
        return None
    record = json_value(row.record)
    others = conn.execute(text(
        f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.story_id = :story AND a.id != :id "
        "ORDER BY a.sort_date, a.id"), {"story": row.story_id, "id": row.id}).all()
    incident = conn.execute(text("SELECT incident_id FROM incident_articles WHERE article_id = :id"),
                            {"id": row.id}).scalar()
    return {"record": record, "story_id": row.story_id, "incident_id": incident,
            "same_story": [_article_summary(o) for o in others]}


def list_stories(conn: Connection, page: int, page_size: int, index: FacetIndex | None = None) -> Page:
    """Stories largest first (newest first among equals), from the sizes the writer keeps."""
    total = index.counts["stories"] if index is not None else \
        conn.execute(text("SELECT COUNT(*) FROM stories WHERE size > 0")).scalar_one()
    rows = conn.execute(text(
        "SELECT s.id, s.size, s.first_date, s.last_date, s.first_article_id FROM stories s WHERE s.size > 0 "
        "ORDER BY s.size DESC, s.id DESC LIMIT :limit OFFSET :offset"),
        {"limit": page_size, "offset": (page - 1) * page_size}).all()
    first = {row.id: row for row in conn.execute(
        text("SELECT a.id, a.title, a.record_id FROM articles a WHERE a.id IN :ids")
        .bindparams(bindparam("ids", expanding=True)), {"ids": [r.first_article_id for r in rows]})} if rows else {}
    items = []
    for r in rows:
        article = first.get(r.first_article_id)
        items.append({"id": r.id, "articles": r.size, "first_date": r.first_date, "last_date": r.last_date,
                      "title": article.title if article else None,
                      "first_article": article.record_id if article else None})
    return Page(items, int(total), page, page_size)


def get_story(conn: Connection, story_id: int) -> dict[str, Any] | None:
    rows = conn.execute(text(f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.story_id = :story "
                             "ORDER BY a.sort_date, a.id"), {"story": story_id}).all()
    if not rows:
        return None
    return {"id": story_id, "articles": [_article_summary(r) for r in rows]}


def _fact_page(conn: Connection, table: str, columns: str, filters: Filters, page: int, page_size: int,
               equals: tuple[str, str] | None = None, index: FacetIndex | None = None) -> Page:
    """One page of a fact table's rows in stored order, with their article.

    ``equals`` = (column, value) keeps the rows holding that value (a seizure's substance, a quote's speaker).
    """
    offset = (page - 1) * page_size
    selected = f"SELECT f.id AS fact_id, f.article_id AS fact_article, {columns}"
    if index is not None:
        total, ids = index.fact_page(table, filters, offset, page_size, equals=equals)
        if not ids:
            return Page([], total, page, page_size)
        inner = text(f"{selected} FROM {table} f WHERE f.id IN :ids").bindparams(bindparam("ids", expanding=True))
        params: dict[str, Any] = {"ids": ids}
    else:
        where, params = filters.on_ids("f.article_id")
        if equals is not None:
            where += f" AND f.{equals[0]} = :equals"
            params["equals"] = equals[1]
        base = f"FROM {table} f WHERE {where}"
        total = int(conn.execute(text(f"SELECT COUNT(*) {base}"), params).scalar_one())
        inner = text(f"{selected} {base} ORDER BY f.id LIMIT :limit OFFSET :offset")
        params = {**params, "limit": page_size, "offset": offset}
    # the page first, from the fact table alone; only its rows meet the (wide) articles rows
    statement = text(f"SELECT p.*, a.record_id, a.title, a.sort_date AS d, a.story_id FROM ({inner.text}) p "
                     "JOIN articles a ON a.id = p.fact_article ORDER BY p.fact_id")
    if index is not None:
        statement = statement.bindparams(bindparam("ids", expanding=True))
    items = []
    for row in conn.execute(statement, params):
        item = dict(row._mapping)
        item.pop("fact_article"), item.pop("fact_id")
        item["article"] = {"id": item.pop("record_id"), "title": item.pop("title"), "date": item.pop("d"),
                           "story_id": item.pop("story_id")}
        items.append(item)
    return Page(items, total, page, page_size)


def list_seizures(conn: Connection, filters: Filters, page: int, page_size: int,
                  index: FacetIndex | None = None) -> Page:
    """Seizures; a substance filter selects the seizures of that substance, not their whole articles."""
    equals = ("substance", filters.substance) if filters.substance else None
    return _fact_page(conn, "seizures", "f.substance, f.term, f.quantity, f.unit, f.qualifier, f.weight_basis, "
                      "f.period, f.span_start, f.span_end", replace(filters, substance=None), page, page_size,
                      equals, index)


def list_statistics(conn: Connection, filters: Filters, page: int, page_size: int,
                    index: FacetIndex | None = None) -> Page:
    return _fact_page(conn, "statistics", "f.measure, f.subject, f.period, f.value, f.span_start, f.span_end",
                      filters, page, page_size, index=index)


def list_quotes(conn: Connection, filters: Filters, speaker: str | None, page: int, page_size: int,
                index: FacetIndex | None = None) -> Page:
    return _fact_page(conn, "quotes", "f.text, f.speaker, f.cue, f.span_start, f.span_end", filters, page,
                      page_size, ("speaker", speaker) if speaker else None, index)


def _name_filter(column: str, name: str | None, params: dict[str, Any]) -> str:
    """'AND <column> contains name', case-insensitively, with LIKE's wildcards taken literally."""
    if not name:
        return ""
    escaped = name.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    params["name"] = f"%{escaped}%"
    return f"AND LOWER({column}) LIKE :name ESCAPE '\\'"


def rank_people(conn: Connection, filters: Filters, name: str | None,
                index: FacetIndex | None = None) -> list[dict[str, Any]]:
    """Every person matching, by number of articles naming them (one aggregate; pages slice it)."""
    if index is not None:
        return index.rank_people(filters, name)
    source, params = filters.matching(join="JOIN people p ON p.article_id = d.article_id")
    condition = _name_filter("p.name", name, params)
    rows = conn.execute(text(
        "SELECT p.name, COUNT(DISTINCT d.article_id) AS articles, MAX(d.sort_date) AS last_seen "
        f"{source} {condition} GROUP BY p.name ORDER BY COUNT(DISTINCT d.article_id) DESC, p.name"), params).all()
    return [{"name": r.name, "articles": r.articles, "last_seen": r.last_seen} for r in rows]


def paginate(ranking: list[dict[str, Any]], page: int, page_size: int) -> Page:
    start = (page - 1) * page_size
    return Page(ranking[start:start + page_size], len(ranking), page, page_size)


def list_people(conn: Connection, filters: Filters, name: str | None, page: int, page_size: int,
                index: FacetIndex | None = None) -> Page:
    return paginate(rank_people(conn, filters, name, index), page, page_size)


def get_person(conn: Connection, name: str) -> dict[str, Any] | None:
    rows = conn.execute(text(
        "SELECT p.rank, p.rank_abbr, p.position, p.organization, a.record_id, a.title, "
        "a.sort_date AS d FROM people p JOIN articles a ON a.id = p.article_id "
        "WHERE p.name = :name ORDER BY a.sort_date, a.id"), {"name": name}).all()
    if not rows:
        return None
    quotes = conn.execute(text(
        "SELECT q.text, q.cue, a.record_id, a.sort_date AS d FROM quotes q "
        "JOIN articles a ON a.id = q.article_id WHERE q.speaker = :name "
        "ORDER BY a.sort_date, q.id"), {"name": name}).all()
    return {
        "name": name,
        "positions": [{"date": r.d, "rank": r.rank, "rank_abbr": r.rank_abbr, "position": r.position,
                       "organization": r.organization, "article": {"id": r.record_id, "title": r.title}}
                      for r in rows],
        "quotes": [{"text": q.text, "cue": q.cue, "date": q.d, "article": {"id": q.record_id}} for q in quotes],
    }


def rank_organizations(conn: Connection, filters: Filters, name: str | None,
                       index: FacetIndex | None = None) -> list[dict[str, Any]]:
    if index is not None:
        return index.rank_organizations(filters, name)
    source, params = filters.matching(join="JOIN organizations o ON o.article_id = d.article_id")
    condition = _name_filter("o.name", name, params)
    rows = conn.execute(text(
        "SELECT o.name, MAX(o.type) AS type, MAX(o.region_code) AS region_code, MAX(o.parent) AS parent, "
        f"COUNT(DISTINCT d.article_id) AS articles {source} {condition} "
        "GROUP BY o.name ORDER BY COUNT(DISTINCT d.article_id) DESC, o.name"), params).all()
    return [dict(r._mapping) for r in rows]


def list_organizations(conn: Connection, filters: Filters, name: str | None, page: int, page_size: int,
                       index: FacetIndex | None = None) -> Page:
    return paginate(rank_organizations(conn, filters, name, index), page, page_size)


def get_region(conn: Connection, code: str, index: FacetIndex | None = None) -> dict[str, Any] | None:
    """Aggregates for a province or a regency/city (districts are not a filter of the store: None)."""
    region = regions().get(code)
    if region is None or region.level not in ("province", "regency", "city"):
        return None
    filters = Filters(province=code) if region.level == "province" else Filters(regency=code)
    by_substance = aggregates(conn, "substance", filters, index)
    articles = list_articles(conn, filters, None, 1, 20, index)
    people = list_people(conn, filters, None, 1, 10, index)
    months = aggregates(conn, "month", filters, index)
    if index is not None:
        total, stories, incidents = index.totals(filters)
    else:
        source, params = filters.matching()
        row = conn.execute(text(f"SELECT COUNT(*) AS n, COUNT(DISTINCT d.story_id) AS stories, "
                                f"COUNT(DISTINCT d.incident_id) AS incidents {source}"), params).one()
        total, stories, incidents = int(row.n), int(row.stories), int(row.incidents)
    return {
        "code": region.code, "name": region.name, "level": region.level, "province_code": region.province_code,
        "articles": total, "stories": stories, "incidents": incidents,
        "seizures": [s for g in by_substance for s in g.as_dict()["seizures"]],
        "months": [{"month": g.key, "articles": g.articles} for g in sorted(months, key=lambda g: g.key)],
        "people": people.items, "latest": articles.items,
    }
