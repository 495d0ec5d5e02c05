"""Read models of incidents for the API, the dashboard and the CLI: pages of incidents and one incident.

Filters are the articles' (``Filters``): an incident matches a place, topic, substance or outlet
filter when one of its articles does, and a date range when its event dates overlap it. A full-text
query matches the incidents of the matching articles. Every statement is fixed SQL with bound
parameters.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, bindparam, text

from pantau.incidents.profile import event_kinds
from pantau.regions import regions
from pantau.store.db import json_value
from pantau.store.incidents import current_id
from pantau.store.queries import Filters
from pantau.store.read import Page
from pantau.store.search import match_ids

INCIDENT_COLUMNS = ("i.id, i.type, i.date_first, i.date_last, i.province_code, i.regency_code, i.size, i.outlets, "
                    "i.first_seen, i.last_seen, i.facts")
MAX_QUERY_INCIDENTS = 50_000
TYPE_PATTERN = "^(" + "|".join(event_kinds()) + ")$"


def _region_name(code: str | None) -> str | None:
    region = regions().get(code) if code else None
    return region.name if region else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _summary(row: Any, title: str | None) -> dict[str, Any]:
    facts = json_value(row.facts, {})
    return {
        "id": row.id, "type": row.type, "title": title, "date_first": row.date_first, "date_last": row.date_last,
        "province_code": row.province_code, "province": _region_name(row.province_code),
        "regency_code": row.regency_code, "regency": _region_name(row.regency_code),
        "articles": row.size, "outlets": row.outlets, "first_seen": _iso(row.first_seen),
        "last_seen": _iso(row.last_seen),
        "seizures": [{k: z[k] for k in ("substance", "unit", "quantity", "min", "max", "articles")}
                     for z in facts.get("seizures", [])],
        "suspect_count": facts.get("suspect_count"),
    }


def _titles(conn: Connection, incident_ids: list[int]) -> dict[int, str | None]:
    """Each incident's headline: the title of its earliest report."""
    if not incident_ids:
        return {}
    rows = conn.execute(text(
        "SELECT m.incident_id, a.title FROM incident_articles m JOIN articles a ON a.id = m.article_id "
        "WHERE m.incident_id IN :ids ORDER BY m.incident_id, CASE WHEN m.role = 'report' THEN 0 ELSE 1 END, "
        "a.sort_date, a.id").bindparams(bindparam("ids", expanding=True)), {"ids": incident_ids}).all()
    titles: dict[int, str | None] = {}
    for row in rows:
        titles.setdefault(row.incident_id, row.title)
    return titles


def list_incidents(conn: Connection, filters: Filters, query: str | None = None, kind: str | None = None,
                   page: int = 1, page_size: int = 20) -> Page:
    """Incidents matching the filters, newest event first."""
    params: dict[str, Any] = {}
    clauses = []
    facets_only = replace(filters, since=None, until=None)
    if facets_only.facets():
        condition, facet_params = facets_only.on_ids("m.article_id")
        clauses.append(f"i.id IN (SELECT m.incident_id FROM incident_articles m WHERE {condition})")
        params.update(facet_params)
    if filters.since:
        clauses.append("COALESCE(i.date_last, i.date_first) >= :since")
        params["since"] = filters.since
    if filters.until:
        clauses.append("i.date_first <= :until")
        params["until"] = filters.until_bound
    if kind:
        clauses.append("i.type = :kind")
        params["kind"] = kind
    statement_params: dict[str, Any] = {}
    if query:
        article_ids = [int(i) for i in match_ids(conn, query)]
        incident_ids: set[int] = set()
        for start in range(0, len(article_ids), 500):
            incident_ids.update(conn.execute(text(
                "SELECT incident_id FROM incident_articles WHERE article_id IN :ids")
                .bindparams(bindparam("ids", expanding=True)), {"ids": article_ids[start:start + 500]}).scalars())
        if not incident_ids:
            return Page([], 0, page, page_size)
        clauses.append("i.id IN :qids")
        statement_params["qids"] = sorted(incident_ids)[:MAX_QUERY_INCIDENTS]
    where = " AND ".join(clauses) or "1 = 1"

    def statement(sql: str) -> Any:
        compiled = text(sql)
        return compiled.bindparams(bindparam("qids", expanding=True)) if query else compiled

    total = conn.execute(statement(f"SELECT COUNT(*) FROM incidents i WHERE {where}"),
                         {**params, **statement_params}).scalar_one()
    rows = conn.execute(statement(
        f"SELECT {INCIDENT_COLUMNS} FROM incidents i WHERE {where} "
        "ORDER BY i.date_first DESC NULLS LAST, i.id DESC LIMIT :limit OFFSET :offset"),
        {**params, **statement_params, "limit": page_size, "offset": (page - 1) * page_size}).all()
    titles = _titles(conn, [r.id for r in rows])
    return Page([_summary(r, titles.get(r.id)) for r in rows], int(total), page, page_size)


def get_incident(conn: Connection, incident_id: int) -> dict[str, Any] | None:
    """One incident with its merged facts and its articles in order (a merged id gives the incident now)."""
    current = current_id(conn, incident_id)
    if current is None:
        return None
    row = conn.execute(text(f"SELECT {INCIDENT_COLUMNS} FROM incidents i WHERE i.id = :id"), {"id": current}).first()
    if row is None:
        return None
    members = conn.execute(text(
        "SELECT a.id, a.record_id, a.title, a.outlet, a.sort_date AS d, a.url, a.story_id, a.ingested_at, m.role, "
        "m.note FROM incident_articles m JOIN articles a ON a.id = m.article_id WHERE m.incident_id = :id "
        "ORDER BY a.sort_date, a.ingested_at, a.id"), {"id": current}).all()
    record_of = {str(m.id): m.record_id for m in members}
    facts = json_value(row.facts, {})
    for seizure in facts.get("seizures", []):
        seizure["by_article"] = {record_of.get(k, k): v for k, v in seizure.get("by_article", {}).items()}
    merged_from = list(conn.execute(text("SELECT old_id FROM incident_merges WHERE new_id = :id ORDER BY old_id"),
                                    {"id": current}).scalars())
    titles = _titles(conn, [current])
    return {
        **_summary(row, titles.get(current)), "requested_id": incident_id, "merged_from": merged_from,
        "facts": facts,
        "places": [{"code": c, "name": _region_name(c)} for c in facts.get("regencies") or facts.get("provinces", [])],
        "timeline": [{"id": m.record_id, "title": m.title, "outlet": m.outlet, "date": m.d, "url": m.url,
                      "story_id": m.story_id, "first_seen": _iso(m.ingested_at), "role": m.role, "note": m.note}
                     for m in members],
    }


def incident_of_article(conn: Connection, record_id: str) -> int | None:
    return conn.execute(text(
        "SELECT m.incident_id FROM incident_articles m JOIN articles a ON a.id = m.article_id "
        "WHERE a.record_id = :rid ORDER BY a.ingested_at DESC, a.id DESC LIMIT 1"), {"rid": record_id}).scalar()
