"""Incidents in the store: assigning written articles to incidents, and keeping each incident's summary.

The grouping itself is :func:`pantau.incidents.group.assign`; this module is its store-backed
``Catalog``. Candidate incidents come from ``incident_keys`` (an index lookup on the batch's keys:
province and month, story, suspects, named people, wording bands), their members' profiles from
``incident_articles`` and signatures from ``article_signatures``, read once per batch, so a lookup
never scans the store. Everything happens inside the writer's transaction: a failed batch leaves no
incident behind.

After a batch, every incident it touched gets its summary again from its members: type, dates,
place, size, outlets, first and last seen, and merged facts (seizures of the reports, not of the
follow-ups, with the range when articles disagree).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import numpy as np
from sqlalchemy import Connection, bindparam, delete, insert, select, update

from pantau.incidents.group import FOLLOW_UP, Assignment, assign, index_keys, lookup_keys
from pantau.incidents.match import MatchConfig, match_config
from pantau.incidents.names import forget
from pantau.incidents.profile import OTHER, Profile, outlet_key, profile_of
from pantau.record import Article
from pantau.store import schema as s
from pantau.store.db import chunks, driver_insert, driver_rows, json_value, marks
from pantau.store.stories import from_bytes

REGROUPED = "regrouped"  # ingest-log status of an article whose incident merged into another


PROVISIONAL = 2**62  # ids of incidents opened in the batch, until they are written: after every stored id


class StoreCatalog:
    """The incidents of a store for one batch of articles, read once and written once (in the caller's
    transaction).

    ``prefetch`` reads every stored incident indexed under the batch's lookup keys, with its members'
    profiles and signatures: two indexed queries for the batch. Assignments then happen in memory, so
    later articles of the batch see the earlier ones; ``flush`` writes the new incidents, memberships,
    keys, merges and facet rows with one statement per kind.
    """

    def __init__(self, conn: Connection, keep: int | None = None) -> None:
        self.conn = conn
        # members read per stored incident: the most recent ``keep`` (grouping compares an article with the
        # last ``max_members`` of an incident only, and members are only ever appended), so an incident of
        # two hundred syndicated copies costs a lookup what one of thirty does
        self.keep = keep
        self.members: dict[int, list[Profile]] = {}
        self.keys: dict[str, set[int]] = {}
        self.indexed: dict[int, set[str]] = {}  # incident -> the keys of self.keys it is under
        self.touched: set[int] = set()
        # incident_articles rows by article id (an article is written once a batch), incident possibly provisional
        self._memberships: dict[int, dict[str, Any]] = {}
        self._new_keys: set[tuple[str, int]] = set()
        self._opened: list[Profile] = []  # the first profile of each provisional incident, in order
        self._merged_into: dict[int, int] = {}  # merged incident -> the incident it went into

    def prefetch(self, keys: Iterable[str]) -> None:
        wanted = sorted({key for key in keys if key not in self.keys})
        found: set[int] = set()
        for key in wanted:
            self.keys.setdefault(key, set())
        keys, indexed = self.keys, self.indexed
        for chunk in chunks(wanted):
            # the driver's tuples: a batch reads tens of thousands of (key, incident) pairs
            for key, incident in driver_rows(
                    self.conn, f"SELECT key, incident_id FROM incident_keys WHERE key IN ({marks(len(chunk))})", chunk):
                keys[key].add(incident)
                known = indexed.get(incident)
                if known is None:
                    indexed[incident] = {key}
                else:
                    known.add(key)
                found.add(incident)
        # each incident's latest ``keep`` members (all without a bound), as the driver's tuples
        ranked = ("SELECT incident_id, article_id, profile, row_number() OVER (PARTITION BY incident_id "
                  "ORDER BY article_id DESC) AS position FROM incident_articles WHERE incident_id IN ({})")
        members = self.members
        for chunk in chunks(sorted(found - set(members))):
            sql = ("SELECT p.incident_id, p.profile, g.signature FROM (" + ranked.format(marks(len(chunk))) + ") p "
                   "LEFT JOIN article_signatures g ON g.article_id = p.article_id "
                   + ("WHERE p.position <= ? " if self.keep is not None else "")
                   + "ORDER BY p.incident_id, p.article_id")
            for incident, data, signature in driver_rows(
                    self.conn, sql, [*chunk, self.keep] if self.keep is not None else chunk):
                profile = Profile.from_json(json_value(data), from_bytes(signature) if signature is not None else None)
                found_members = members.get(incident)
                if found_members is None:
                    members[incident] = [profile]
                else:
                    found_members.append(profile)

    # --- the Catalog protocol (pantau.incidents.group) --------------------------------------------------------
    def candidates(self, keys: list[str]) -> dict[int, list[Profile]]:
        missing = [key for key in keys if key not in self.keys]  # keys the batch did not announce
        if missing:
            self.prefetch(missing)
        indexed = self.keys
        found = set().union(*[indexed[key] for key in keys if key in indexed])
        return {incident: self.members.get(incident, []) for incident in sorted(found)}

    def screens(self, candidates: dict[int, list[Profile]], cap: int) -> None:
        """None: a batch's catalog meets most incidents once or twice, and ``admissible_indices`` joins their
        members' screens faster in one pass than a cache would per incident."""
        return None

    def create(self, profile: Profile, role: str) -> int:
        incident = PROVISIONAL + len(self._opened)
        self._opened.append(profile)
        self.members[incident] = []
        self.add(incident, profile, role)
        return incident

    def add(self, incident: int, profile: Profile, role: str) -> None:
        self.members[incident].append(profile)
        article = int(profile.article)
        self._memberships[article] = {"article_id": article, "incident_id": incident, "role": role, "note": None,
                                      "profile": profile.to_json()}
        indexed = self.indexed.setdefault(incident, set())
        for key in index_keys(profile):
            under = self.keys.setdefault(key, set())
            if incident not in under:  # else stored, or to be written with the batch's keys (merges included)
                under.add(incident)
                self._new_keys.add((key, incident))
            indexed.add(key)
        self.touched.add(incident)

    def merge(self, into: int, others: list[int]) -> None:
        for other in others:
            self.members[into].extend(self.members.pop(other, []))
            for key in self.indexed.pop(other, set()):  # the keys the batch knows it under, and only those
                self.keys[key].discard(other)
                self.keys[key].add(into)
                self.indexed.setdefault(into, set()).add(key)
            self._merged_into[other] = into
            self.touched.discard(other)
        self.touched.add(into)

    def note(self, article_id: int, note: str) -> None:
        row = self._memberships.get(article_id)
        if row is not None:
            row["note"] = note[:2000]

    # --- writing ------------------------------------------------------------------------------------------------
    def _final(self, incident: int) -> int:
        while incident in self._merged_into:
            incident = self._merged_into[incident]
        return incident

    def flush(self) -> tuple[set[int], set[int]]:
        """Write the batch's incidents; returns (incidents to refresh, stored incidents merged away)."""
        alive = [PROVISIONAL + i for i in range(len(self._opened))
                 if PROVISIONAL + i not in self._merged_into]
        real: dict[int, int] = {}
        if alive:
            ids = self.conn.execute(insert(s.incidents).returning(s.incidents.c.id, sort_by_parameter_order=True),
                                    [{"type": self._opened[i - PROVISIONAL].kind, "facts": {}} for i in alive]
                                    ).scalars().all()
            real = dict(zip(alive, ids, strict=True))

        def resolve(incident: int) -> int:
            final = self._final(incident)
            return real.get(final, final)

        stored_merged = {old: resolve(old) for old in self._merged_into if old < PROVISIONAL}
        for old, new in sorted(stored_merged.items()):
            self._move_stored(old, new)
        if self._memberships:
            self.conn.execute(insert(s.incident_articles),
                              [{**row, "incident_id": resolve(row["incident_id"])}
                               for row in self._memberships.values()])
            self.conn.execute(update(s.article_facets).where(s.article_facets.c.article_id == bindparam("f_article"))
                              .values(incident_id=bindparam("f_incident")),
                              [{"f_article": row["article_id"], "f_incident": resolve(row["incident_id"])}
                               for row in self._memberships.values()])
        keys = sorted({(key, resolve(incident)) for key, incident in self._new_keys})
        self._insert_keys(keys)
        touched = {resolve(i) for i in self.touched} | set(stored_merged.values())
        return touched, set(stored_merged)

    def _insert_keys(self, rows: list[tuple[str, int]]) -> None:
        """Index incidents under keys: (key, incident id) rows; a row already stored is kept."""
        # a key past the column (a name of hundreds of characters) could never be looked up: not stored
        limit = s.incident_keys.c.key.type.length
        rows = [row for row in rows if len(row[0]) <= limit]
        driver_insert(self.conn, s.incident_keys, ("key", "incident_id"), rows, skip_existing=True)

    def _move_stored(self, old: int, new: int) -> None:
        """Fold the stored incident ``old`` into ``new``: members, keys, facets, redirects; log the moved articles."""
        members = self.conn.execute(select(s.articles.c.id, s.articles.c.key).join(
            s.incident_articles, s.incident_articles.c.article_id == s.articles.c.id)
            .where(s.incident_articles.c.incident_id == old)).all()
        moved = [row.key for row in members]
        keys = list(self.conn.execute(select(s.incident_keys.c.key).where(s.incident_keys.c.incident_id == old))
                    .scalars())
        self.conn.execute(delete(s.incident_keys).where(s.incident_keys.c.incident_id == old))
        self._insert_keys([(key, new) for key in keys])
        self.conn.execute(update(s.incident_articles).where(s.incident_articles.c.incident_id == old)
                          .values(incident_id=new))
        # by the members' ids, on the facets' article_id index: article_facets has no index on incident_id,
        # and a scan of it costs a second at a million articles
        for chunk in chunks([row.id for row in members], 500):
            self.conn.execute(update(s.article_facets).where(s.article_facets.c.article_id.in_(chunk))
                              .where(s.article_facets.c.incident_id == old).values(incident_id=new))
        self.conn.execute(update(s.incident_merges).where(s.incident_merges.c.new_id == old).values(new_id=new))
        self.conn.execute(insert(s.incident_merges), {"old_id": old, "new_id": new})
        self.conn.execute(delete(s.incidents).where(s.incidents.c.id == old))
        if moved:  # the facet index re-reads the articles the log names (pantau.store.index)
            now = datetime.now(UTC)
            self.conn.execute(insert(s.ingest_log), [
                {"run_id": "incidents", "source": "incident merge", "status": REGROUPED,
                 "reason": f"incident {old} merged into {new}", "article_key": key, "created_at": now}
                for key in moved])


def release(conn: Connection, article_ids: list[int]) -> set[int]:
    """Take re-written articles out of their incidents; returns the incidents that still have members."""
    touched: set[int] = set()
    for chunk in chunks(article_ids):
        touched.update(conn.execute(select(s.incident_articles.c.incident_id)
                                    .where(s.incident_articles.c.article_id.in_(chunk))).scalars())
        conn.execute(delete(s.incident_articles).where(s.incident_articles.c.article_id.in_(chunk)))
    return touched


def assign_articles(conn: Connection,
                    stored: list[tuple[int, Article, np.ndarray | None, int | None, Profile | None]],
                    config: MatchConfig | None = None, *, also_refresh: Iterable[int] = ()) -> list[Assignment]:
    """Assign ``stored`` (article id, record, signature, story, and its profile when an extraction worker
    made it), in order, and refresh what they touched."""
    config = config or match_config()
    profiles = [replace(profile, article=str(article_id), story=story, signature=signature) if profile is not None
                else profile_of(article, str(article_id), signature=signature, story=story)
                for article_id, article, signature, story, profile in stored]
    return assign_profiles(conn, profiles, config, also_refresh=also_refresh)


def assign_profiles(conn: Connection, profiles: list[Profile], config: MatchConfig | None = None, *,
                    also_refresh: Iterable[int] = ()) -> list[Assignment]:
    """Assign profiles (``article`` = the store's article id), in order, then write and refresh."""
    config = config or match_config()
    catalog = StoreCatalog(conn, keep=config.max_members)
    keys = [lookup_keys(profile, config) for profile in profiles]
    catalog.prefetch(chain.from_iterable(keys))
    results = []
    try:
        for profile, own in zip(profiles, keys, strict=True):
            result = assign(profile, catalog, config, keys=own)
            catalog.note(int(profile.article), result.note)
            results.append(result)
    finally:
        forget()  # the batch's name comparisons: a long-running writer would otherwise grow with them
    touched, removed = catalog.flush()
    refresh(conn, (touched | set(also_refresh)) - removed)
    return results


def _most_common(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], str(v))) if counts else None


Member = tuple[Profile, str, str | None, datetime | None]  # profile, role, outlet, when it was first seen


def summarise(members: list[Member]) -> dict[str, Any]:
    """An incident's summary from its members."""
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
    seen = [m[3] for m in members if m[3] is not None]
    return {
        "type": _most_common(kinds) or OTHER,
        "date_first": dates[0] if dates else None, "date_last": dates[-1] if dates else None,
        "province_code": province, "regency_code": regency,
        "size": len(members), "outlets": len({key for m in members if (key := outlet_key(m[2]))}),
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
    for chunk in chunks(ids):
        members: dict[int, list[Member]] = {}
        rows = conn.execute(
            select(s.incident_articles.c.incident_id, s.incident_articles.c.profile, s.incident_articles.c.role,
                   s.articles.c.outlet, s.articles.c.ingested_at)
            .join(s.articles, s.articles.c.id == s.incident_articles.c.article_id)
            .where(s.incident_articles.c.incident_id.in_(chunk)).order_by(s.incident_articles.c.article_id))
        for row in rows:
            members.setdefault(row.incident_id, []).append(
                (Profile.from_json(json_value(row.profile)), row.role, row.outlet, row.ingested_at))
        empty = [i for i in chunk if i not in members]
        if empty:
            conn.execute(delete(s.incident_keys).where(s.incident_keys.c.incident_id.in_(empty)))
            conn.execute(delete(s.incidents).where(s.incidents.c.id.in_(empty)))
        if members:
            summaries = [{"i_id": incident, **summarise(found)} for incident, found in sorted(members.items())]
            columns = [name for name in summaries[0] if name != "i_id"]
            conn.execute(update(s.incidents).where(s.incidents.c.id == bindparam("i_id"))
                         .values(**{name: bindparam(name) for name in columns}), summaries)


def backfill(conn: Connection, batch: int = 500) -> int:
    """Assign every stored article without an incident, oldest first; returns how many were assigned."""
    assigned = 0
    done = select(s.incident_articles.c.article_id)
    ids = list(conn.execute(select(s.articles.c.id).where(s.articles.c.id.not_in(done))
                            .order_by(s.articles.c.sort_date, s.articles.c.id)).scalars())
    for chunk in chunks(ids, batch):
        rows = conn.execute(
            select(s.articles.c.id, s.articles.c.record, s.articles.c.story_id, s.article_signatures.c.signature)
            .outerjoin(s.article_signatures, s.article_signatures.c.article_id == s.articles.c.id)
            .where(s.articles.c.id.in_(chunk)))
        by_id = {row.id: row for row in rows}
        stored = []
        for article_id in chunk:
            row = by_id[article_id]
            signature = from_bytes(row.signature) if row.signature is not None else None
            stored.append((article_id, Article.model_validate(json_value(row.record)), signature, row.story_id, None))
        assign_articles(conn, stored)
        assigned += len(stored)
    return assigned


def current_id(conn: Connection, incident_id: int) -> int | None:
    """The incident ``incident_id`` is now (itself, or the one it was merged into), None if unknown."""
    if conn.execute(select(s.incidents.c.id).where(s.incidents.c.id == incident_id)).first():
        return incident_id
    return conn.execute(select(s.incident_merges.c.new_id).where(s.incident_merges.c.old_id == incident_id)).scalar()
