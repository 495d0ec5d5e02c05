"""Incidents in the store: assigning written articles to incidents, and keeping each incident's summary.

The grouping itself is :func:`pantau.incidents.group.assign`; this module is its store-backed
``Catalog``. Candidate incidents come from ``incident_keys`` (an index lookup on the article's keys:
province and month, story, suspects, named people), their members' profiles from
``incident_articles`` and signatures from ``article_signatures``, so a lookup never scans the store.
Everything happens inside the writer's transaction: a failed batch leaves no incident behind.

After a batch, every incident it touched gets its summary again from its members: type, dates,
place, size, outlets, first and last seen, and merged facts (seizures of the reports, not of the
follow-ups, with the range when articles disagree).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, insert, select, update

from pantau.incidents.group import FOLLOW_UP, Assignment, assign, index_keys
from pantau.incidents.match import MatchConfig, match_config
from pantau.incidents.profile import OTHER, Profile, profile_of
from pantau.record import Article
from pantau.store import schema as s
from pantau.store.stories import from_bytes

IN_CHUNK = 500
REGROUPED = "regrouped"  # ingest-log status of an article whose incident merged into another


def _chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class StoreCatalog:
    """The incidents of a store, read and written through one connection (one transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.touched: set[int] = set()
        self.removed: set[int] = set()
        self._keys: dict[int, set[str]] = {}  # incident -> keys already stored (loaded on demand)

    def candidates(self, keys: list[str]) -> dict[int, list[Profile]]:
        ids: set[int] = set()
        for chunk in _chunks(sorted(set(keys))):
            ids.update(self.conn.execute(select(s.incident_keys.c.incident_id)
                                         .where(s.incident_keys.c.key.in_(chunk))).scalars())
        found: dict[int, list[Profile]] = {}
        for chunk in _chunks(sorted(ids)):
            rows = self.conn.execute(
                select(s.incident_articles.c.incident_id, s.incident_articles.c.profile,
                       s.article_signatures.c.signature)
                .outerjoin(s.article_signatures,
                           s.article_signatures.c.article_id == s.incident_articles.c.article_id)
                .where(s.incident_articles.c.incident_id.in_(chunk))
                .order_by(s.incident_articles.c.incident_id, s.incident_articles.c.article_id))
            for row in rows:
                signature = from_bytes(row.signature) if row.signature is not None else None
                found.setdefault(row.incident_id, []).append(Profile.from_json(row.profile, signature))
        return found

    def _stored_keys(self, incident: int) -> set[str]:
        if incident not in self._keys:
            self._keys[incident] = set(self.conn.execute(
                select(s.incident_keys.c.key).where(s.incident_keys.c.incident_id == incident)).scalars())
        return self._keys[incident]

    def _add_keys(self, incident: int, keys: Iterable[str]) -> None:
        stored = self._stored_keys(incident)
        fresh = sorted(set(keys) - stored)
        if fresh:
            self.conn.execute(insert(s.incident_keys), [{"key": key, "incident_id": incident} for key in fresh])
            stored.update(fresh)

    def create(self, profile: Profile, role: str) -> int:
        incident = self.conn.execute(insert(s.incidents).returning(s.incidents.c.id),
                                     {"type": profile.kind, "facts": {}}).scalar_one()
        self._keys[incident] = set()
        self.add(incident, profile, role)
        return incident

    def add(self, incident: int, profile: Profile, role: str) -> None:
        self.conn.execute(insert(s.incident_articles), {
            "article_id": int(profile.article), "incident_id": incident, "role": role,
            "profile": profile.to_json()})
        self._add_keys(incident, index_keys(profile))
        self.conn.execute(update(s.article_facets).where(s.article_facets.c.article_id == int(profile.article))
                          .values(incident_id=incident))
        self.touched.add(incident)

    def merge(self, into: int, others: list[int]) -> None:
        keys: set[str] = set()
        for other in others:
            keys |= self._stored_keys(other)
        self.conn.execute(delete(s.incident_keys).where(s.incident_keys.c.incident_id.in_(others)))
        moved = list(self.conn.execute(select(s.articles.c.key).join(
            s.incident_articles, s.incident_articles.c.article_id == s.articles.c.id)
            .where(s.incident_articles.c.incident_id.in_(others))).scalars())
        self.conn.execute(update(s.incident_articles).where(s.incident_articles.c.incident_id.in_(others))
                          .values(incident_id=into))
        self.conn.execute(update(s.article_facets).where(s.article_facets.c.incident_id.in_(others))
                          .values(incident_id=into))
        if moved:  # the facet index re-reads the articles the log names (pantau.store.index)
            now = datetime.now(UTC)
            self.conn.execute(insert(s.ingest_log), [
                {"run_id": "incidents", "source": "incident merge", "status": REGROUPED,
                 "reason": f"incident {', '.join(map(str, others))} merged into {into}", "article_key": key,
                 "created_at": now} for key in moved])
        self._add_keys(into, keys)
        self.conn.execute(update(s.incident_merges).where(s.incident_merges.c.new_id.in_(others)).values(new_id=into))
        self.conn.execute(insert(s.incident_merges), [{"old_id": other, "new_id": into} for other in others])
        self.conn.execute(delete(s.incidents).where(s.incidents.c.id.in_(others)))
        for other in others:
            self._keys.pop(other, None)
        self.touched -= set(others)
        self.removed |= set(others)
        self.touched.add(into)

    def note(self, article_id: int, note: str) -> None:
        self.conn.execute(update(s.incident_articles).where(s.incident_articles.c.article_id == article_id)
                          .values(note=note[:2000]))


def release(conn: Connection, article_ids: list[int]) -> set[int]:
    """Take re-written articles out of their incidents; returns the incidents that still have members."""
    touched: set[int] = set()
    for chunk in _chunks(article_ids):
        touched.update(conn.execute(select(s.incident_articles.c.incident_id)
                                    .where(s.incident_articles.c.article_id.in_(chunk))).scalars())
        conn.execute(delete(s.incident_articles).where(s.incident_articles.c.article_id.in_(chunk)))
    return touched


def assign_articles(conn: Connection, stored: list[tuple[int, Article, np.ndarray | None, int | None]],
                    config: MatchConfig | None = None, *, also_refresh: Iterable[int] = ()) -> list[Assignment]:
    """Assign ``stored`` (article id, record, signature, story), in order, and refresh what they touched."""
    config = config or match_config()
    catalog = StoreCatalog(conn)
    results = []
    for article_id, article, signature, story in stored:
        profile = profile_of(article, str(article_id), signature=signature, story=story)
        result = assign(profile, catalog, config)
        catalog.note(article_id, result.note)
        results.append(result)
    refresh(conn, (catalog.touched | set(also_refresh)) - catalog.removed)
    return results


def _most_common(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], str(v))) if counts else None


def summarise(members: list[tuple[Profile, str, str | None, str | None, datetime | None]]) -> dict[str, Any]:
    """An incident's summary from its members: (profile, role, outlet, sort date, ingested at) each."""
    profiles = [m[0] for m in members]
    reports = [m[0] for m in members if m[1] != FOLLOW_UP] or profiles
    kinds = [p.kind for p in reports if p.kind != OTHER]
    dates = sorted(p.date for p in reports if p.date)
    regency = _most_common(r for p in reports for r in p.regencies)
    province = regency[:2] if regency else _most_common(c for p in reports for c in p.provinces)
    seizures: dict[tuple[str, str], dict[str, list[float]]] = {}
    for profile in reports:
        for amount in profile.amounts:
            seizures.setdefault((amount.substance, amount.unit), {}).setdefault(profile.article, []).append(
                amount.quantity)
    merged = []
    for (substance, unit), by_article in sorted(seizures.items()):
        # the largest figure of each article is its total; the incident's is the one most articles give
        totals = [max(values) for values in by_article.values()]
        merged.append({"substance": substance, "unit": unit, "quantity": _most_common(totals) or max(totals),
                       "min": min(totals), "max": max(totals), "articles": len(by_article),
                       "by_article": {article: sorted(values) for article, values in sorted(by_article.items())}})
    counts = [p.suspect_count for p in reports if p.suspect_count]
    seen = [m[4] for m in members if m[4] is not None]
    return {
        "type": _most_common(kinds) or OTHER,
        "date_first": dates[0] if dates else None, "date_last": dates[-1] if dates else None,
        "province_code": province, "regency_code": regency,
        "size": len(members), "outlets": len({m[2] for m in members if m[2]}),
        "first_seen": min(seen) if seen else None, "last_seen": max(seen) if seen else None,
        "facts": {
            "seizures": merged,
            "suspects": sorted({i for p in reports for i in p.suspects}),
            "suspect_count": {"min": min(counts), "max": max(counts)} if counts else None,
            "officials": sorted({n for p in profiles for n in p.officials}),
            "named": sorted({n for p in profiles for n in p.named}),
            "units": sorted({u for p in profiles for u in p.units}),
            "provinces": sorted({c for p in reports for c in p.provinces}),
            "regencies": sorted({c for p in reports for c in p.regencies}),
            "outlets": sorted({m[2] for m in members if m[2]}),
            "stories": len({p.story for p in profiles if p.story is not None}),
            "follow_ups": sum(1 for m in members if m[1] == FOLLOW_UP),
            "undated_articles": sum(1 for p in profiles if not p.date),
            "unplaced_articles": sum(1 for p in profiles if not p.provinces),
        },
    }


def refresh(conn: Connection, incident_ids: Iterable[int]) -> None:
    """Recompute the summaries of ``incident_ids``; an incident left without members is deleted."""
    ids = sorted(set(incident_ids))
    for chunk in _chunks(ids):
        members: dict[int, list[tuple[Profile, str, str | None, str | None, datetime | None]]] = {}
        rows = conn.execute(
            select(s.incident_articles.c.incident_id, s.incident_articles.c.profile, s.incident_articles.c.role,
                   s.articles.c.outlet, s.articles.c.sort_date, s.articles.c.ingested_at)
            .join(s.articles, s.articles.c.id == s.incident_articles.c.article_id)
            .where(s.incident_articles.c.incident_id.in_(chunk)).order_by(s.incident_articles.c.article_id))
        for row in rows:
            members.setdefault(row.incident_id, []).append(
                (Profile.from_json(row.profile), row.role, row.outlet, row.sort_date, row.ingested_at))
        empty = [i for i in chunk if i not in members]
        if empty:
            conn.execute(delete(s.incident_keys).where(s.incident_keys.c.incident_id.in_(empty)))
            conn.execute(delete(s.incidents).where(s.incidents.c.id.in_(empty)))
        for incident, found in members.items():
            conn.execute(update(s.incidents).where(s.incidents.c.id == incident).values(**summarise(found)))


def backfill(conn: Connection, batch: int = 500) -> int:
    """Assign every stored article without an incident, oldest first; returns how many were assigned."""
    assigned = 0
    done = select(s.incident_articles.c.article_id)
    ids = list(conn.execute(select(s.articles.c.id).where(s.articles.c.id.not_in(done))
                            .order_by(s.articles.c.sort_date, s.articles.c.id)).scalars())
    for chunk in _chunks(ids, batch):
        rows = conn.execute(
            select(s.articles.c.id, s.articles.c.record, s.articles.c.story_id, s.article_signatures.c.signature)
            .outerjoin(s.article_signatures, s.article_signatures.c.article_id == s.articles.c.id)
            .where(s.articles.c.id.in_(chunk)))
        by_id = {row.id: row for row in rows}
        stored = []
        for article_id in chunk:
            row = by_id[article_id]
            signature = from_bytes(row.signature) if row.signature is not None else None
            stored.append((article_id, Article.model_validate(row.record), signature, row.story_id))
        assign_articles(conn, stored)
        assigned += len(stored)
    return assigned


def current_id(conn: Connection, incident_id: int) -> int | None:
    """The incident ``incident_id`` is now (itself, or the one it was merged into), None if unknown."""
    if conn.execute(select(s.incidents.c.id).where(s.incidents.c.id == incident_id)).first():
        return incident_id
    return conn.execute(select(s.incident_merges.c.new_id).where(s.incident_merges.c.old_id == incident_id)).scalar()
