"""Writing extracted records into the store, a whole batch at a time, idempotently.

An article's identity is its URL when known, else the hash of its content. Writing the same
article again changes nothing ("unchanged"); a changed article replaces all its facts ("updated").

The writer issues a fixed number of statements per batch (one multi-row statement per table), not
per article: per-article statements cost more in SQLAlchemy's statement handling than in the
database itself. Stories, then incidents (``pantau.store.incidents``), are still assigned in input
order, each article seeing the ones before it in the same batch.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

import numpy as np
from sqlalchemy import Connection, String, Table, bindparam, delete, func, insert, select, update

from pantau.incidents.profile import Profile
from pantau.record import Article
from pantau.store import schema as s
from pantau.store.db import chunks, driver_insert, driver_rows, marks
from pantau.store.facets import facet_rows, search_terms, sort_date
from pantau.store.incidents import assign_articles, release
from pantau.store.stories import bands, from_bytes, similarity, to_bytes

OK, UPDATED, UNCHANGED, SKIPPED, FAILED = "ok", "updated", "unchanged", "skipped", "failed"
BUCKET_CAP = 64  # a story with more syndicated copies than this still groups through its other bands
MAX_CANDIDATES = 20
WRITER_CACHE_KIB = 64 * 1024  # SQLite page cache of a writing connection: part of the main process's RSS


@dataclass(slots=True)
class Extracted:
    """An article record with its MinHash signature and incident profile, as produced by an extraction worker
    (a record read back from elsewhere, e.g. Spark's Parquet, gets its profile from the writer)."""

    article: Article
    signature: np.ndarray
    profile: Profile | None = None


def content_hash(article: Article) -> str:
    return hashlib.sha256(f"{article.title or ''}\n{article.body}".encode()).hexdigest()


MAX_URL_KEY = 1000  # a longer URL is keyed by its hash (the key column holds 1,024 characters)


def article_key(article: Article) -> str:
    if article.url and len(article.url) > MAX_URL_KEY:
        return "url-sha256:" + hashlib.sha256(article.url.encode()).hexdigest()
    return article.url or f"sha256:{content_hash(article)}"


@cache
def _limits(table: Table) -> dict[str, int]:
    return {column.name: column.type.length for column in table.columns
            if isinstance(column.type, String) and column.type.length}


def fitted(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with every string cut to its column's length: an over-long outlet, name or term is stored
    cut (the record keeps it whole) on SQLite as on PostgreSQL, which would refuse the whole batch."""
    limits = _limits(table)
    for row in rows:
        for name, length in limits.items():
            value = row.get(name)
            if isinstance(value, str) and len(value) > length:
                row[name] = value[:length]
    return rows


def _span_columns(span: tuple[int, int]) -> dict[str, int]:
    return {"span_start": span[0], "span_end": span[1]}


def _article_values(article: Article, key: str, digest: str) -> dict[str, Any]:
    return {
        "key": key, "record_id": article.id, "content_hash": digest, "source": article.source, "url": article.url,
        "title": article.title, "outlet": article.outlet, "dateline": article.dateline, "date": article.date,
        "published": article.published, "sort_date": sort_date(article),
        "language": article.language, "body": article.body,
        "record": article.model_dump(mode="json"), "ingested_at": datetime.now(UTC),
        "search_facets": search_terms(article),
    }


def _fact_rows(article_id: int, article: Article) -> dict[Table, list[dict[str, Any]]]:
    rows: dict[Table, list[dict[str, Any]]] = {
        s.organizations: [{"name": o.name, "type": o.type, "region_code": o.region_code, "parent": o.parent,
                           "mentions": [list(m) for m in o.mentions]} for o in article.organizations],
        s.locations: [{"name": loc.name, "level": loc.level, "code": loc.code, "province_code": loc.province_code,
                       "mentions": [list(m) for m in loc.mentions]} for loc in article.locations],
        s.seizures: [{"substance": z.substance, "term": z.term, "quantity": z.quantity, "unit": z.unit,
                      "qualifier": z.qualifier, "weight_basis": z.weight_basis, "period": z.period,
                      **_span_columns(z.span)} for z in article.seizures],
        s.statistics: [{"measure": t.measure, "subject": t.subject, "period": t.period, "value": t.value,
                        "flags": list(t.flags), **_span_columns(t.span)} for t in article.statistics],
        s.quotes: [{"text": q.text, "speaker": q.speaker, "cue": q.cue, **_span_columns(q.span)}
                   for q in article.quotes],
        s.legal_refs: [{"law": r.law, "article": r.article, "paragraph": r.paragraph, **_span_columns(r.span)}
                       for r in article.legal_refs],
        s.topics: [{"topic": t} for t in dict.fromkeys(article.topics)],
    }
    for values in rows.values():
        for row in values:
            row["article_id"] = article_id
    return rows


def _insert_facts(conn: Connection, stored: list[tuple[int, Article]]) -> None:
    people = [(article_id, person) for article_id, article in stored for person in article.people]
    if people:
        person_ids = conn.execute(
            insert(s.people).returning(s.people.c.id, sort_by_parameter_order=True),
            fitted(s.people, [{"article_id": aid, "name": p.name, "rank": p.rank, "rank_abbr": p.rank_abbr,
                               "position": p.position, "organization": p.organization} for aid, p in people]),
        ).scalars().all()
        mentions = [{"person_id": pid, "article_id": aid, "start": m[0], "end": m[1]}
                    for pid, (aid, person) in zip(person_ids, people, strict=True) for m in person.mentions]
        if mentions:
            conn.execute(insert(s.person_mentions), mentions)
    by_table: dict[Table, list[dict[str, Any]]] = {}
    for article_id, article in stored:
        for table, rows in _fact_rows(article_id, article).items():
            by_table.setdefault(table, []).extend(rows)
    for table, rows in by_table.items():
        if rows:
            conn.execute(insert(table), fitted(table, rows))


def _delete_facts(conn: Connection, article_ids: list[int]) -> None:
    _release_buckets(conn, article_ids)
    for table in s.FACT_TABLES:
        for chunk in chunks(article_ids):
            conn.execute(delete(table).where(table.c.article_id.in_(chunk)))


def _release_buckets(conn: Connection, article_ids: list[int]) -> None:
    """Take the articles whose bands are about to be deleted out of their closed buckets' sizes (an open
    bucket has no size row: its band rows are its size, and they go with the article).

    Only bands of buckets below the cap are stored, so an article counted in a bucket that was already
    full stays counted: such a bucket is template text and stays closed either way."""
    released: Counter[tuple[int, int]] = Counter()
    for chunk in chunks(article_ids):
        released.update((row.band, row.bucket) for row in conn.execute(
            select(s.story_bands.c.band, s.story_bands.c.bucket).where(s.story_bands.c.article_id.in_(chunk))))
    if released:
        conn.execute(update(s.story_buckets).where(s.story_buckets.c.band == bindparam("b_band"))
                     .where(s.story_buckets.c.bucket == bindparam("b_bucket"))
                     .values(size=s.story_buckets.c.size - bindparam("b_count")),
                     [{"b_band": band, "b_bucket": bucket, "b_count": count}
                      for (band, bucket), count in sorted(released.items())])


@dataclass(slots=True)
class _StoryIndex:
    """The LSH buckets a batch needs, loaded once and kept up to date; signatures and stories are read
    later, for the few candidates the buckets rank first."""

    sizes: dict[tuple[int, int], int] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)  # bucket -> article ids
    signatures: dict[int, np.ndarray] = field(default_factory=dict)
    stories: dict[int, int] = field(default_factory=dict)  # article id -> story id (or provisional < 0)
    stored: set[tuple[int, int]] = field(default_factory=set)  # (band, bucket) with a story_buckets row


def _load_index(conn: Connection, all_buckets: list[tuple[int, int]]) -> _StoryIndex:
    """Sizes of the batch's buckets and the members of the open ones (fewer than ``BUCKET_CAP``, so at most
    ``BUCKET_CAP`` ids a bucket whatever the store's size). A bucket has a ``story_buckets`` row once it
    closes: an open one's size is its members, which the lookup reads anyway. Read as the driver's tuples:
    a batch reads hundreds of thousands of (bucket, id) pairs, and SQLAlchemy rows would cost more."""
    index = _StoryIndex()
    pairs = sorted(set(all_buckets))
    buckets = sorted({bucket for _, bucket in pairs})
    for chunk in chunks(buckets):
        for band, bucket, size in driver_rows(
                conn, f"SELECT band, bucket, size FROM story_buckets WHERE bucket IN ({marks(len(chunk))})", chunk):
            index.sizes[(band, bucket)] = size
            index.stored.add((band, bucket))
    closed = {bucket for (_, bucket), size in index.sizes.items() if size >= BUCKET_CAP}
    members = index.members
    for chunk in chunks([bucket for bucket in buckets if bucket not in closed]):
        for bucket, article_id in driver_rows(
                conn, f"SELECT bucket, article_id FROM story_bands WHERE bucket IN ({marks(len(chunk))})", chunk):
            found = members.get(bucket)
            if found is None:
                members[bucket] = [article_id]
            else:
                found.append(article_id)
    for band, bucket in pairs:
        if (band, bucket) not in index.sizes and bucket in members:
            index.sizes[(band, bucket)] = len(members[bucket])
    return index


def _load_candidates(conn: Connection, index: _StoryIndex, article_ids: Iterable[int]) -> None:
    """Signatures and stories of the stored articles ``article_ids``."""
    wanted = sorted(set(article_ids) - set(index.signatures))
    for chunk in chunks(wanted):
        for article_id, story_id, data in driver_rows(
                conn, "SELECT a.id, a.story_id, g.signature FROM articles a "
                f"JOIN article_signatures g ON g.article_id = a.id WHERE a.id IN ({marks(len(chunk))})", chunk):
            index.signatures[article_id] = from_bytes(bytes(data))
            if story_id is not None:
                index.stories[article_id] = story_id


def _assign_stories(conn: Connection, stored: list[tuple[int, Extracted]], threshold: float) -> dict[int, int]:
    """The story of the most similar earlier article above ``threshold``, else a new story.

    Candidates are the articles sharing the most LSH buckets (at most ``MAX_CANDIDATES``), only from
    buckets holding fewer than ``BUCKET_CAP`` articles: a bucket every report falls into is template
    text (the same legal boilerplate in every release), and scanning it would make each lookup grow
    with the whole store. Returns each stored article's story id.

    Two passes: which candidates an article gets depends only on the buckets' sizes and members (not
    on the stories chosen), so the first pass ranks every article's candidates, the signatures of just
    those are read (not of every member of every open bucket), and the second pass chooses the stories
    in input order, each article seeing the stories of the ones before it.
    """
    article_bands = {aid: bands(item.signature, threshold) for aid, item in stored}
    index = _load_index(conn, [pair for found in article_bands.values() for pair in found])
    persisted = set(index.stored)  # bucket rows that exist before this batch
    new_bands: list[tuple[int, int, int]] = []  # (bucket, band, article id): story_bands rows in key order
    ranked: list[list[int]] = []
    in_batch = {aid for aid, _ in stored}
    for article_id, _ in stored:
        hits: Counter[int] = Counter()
        for band, bucket in article_bands[article_id]:
            if index.sizes.get((band, bucket), 0) < BUCKET_CAP:
                hits.update(index.members.get(bucket, ()))
        hits.pop(article_id, None)
        ranked.append([candidate for candidate, _ in
                       sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]])
        for band, bucket in article_bands[article_id]:
            size = index.sizes.get((band, bucket), 0)
            if size < BUCKET_CAP:
                index.members.setdefault(bucket, []).append(article_id)
                new_bands.append((bucket, band, article_id))
            index.sizes[(band, bucket)] = size + 1
    _load_candidates(conn, index, (c for found in ranked for c in found if c not in in_batch))
    new_stories: list[int] = []  # article ids that open a story, in order
    for (article_id, item), candidates in zip(stored, ranked, strict=True):
        best_story, best_score = None, threshold
        for candidate in candidates:
            stored_signature = index.signatures.get(candidate)
            if stored_signature is None or candidate not in index.stories:
                continue
            score = similarity(item.signature, stored_signature)
            if score >= best_score:
                best_story, best_score = index.stories[candidate], score
        if best_story is None:
            new_stories.append(article_id)
            best_story = -len(new_stories)  # provisional, replaced once the story rows exist
        index.stories[article_id] = best_story
        index.signatures[article_id] = item.signature
    story_ids: list[int] = []
    if new_stories:
        now = datetime.now(UTC)
        story_ids = list(conn.execute(
            insert(s.stories).returning(s.stories.c.id, sort_by_parameter_order=True),
            [{"first_article_id": aid, "created_at": now} for aid in new_stories]).scalars().all())
    assigned = {aid: story_ids[-sid - 1] if (sid := index.stories[aid]) < 0 else sid for aid, _ in stored}
    conn.execute(
        update(s.articles).where(s.articles.c.id == bindparam("a_id")).values(story_id=bindparam("a_story")),
        [{"a_id": aid, "a_story": story} for aid, story in assigned.items()])
    driver_insert(conn, s.article_signatures, ("article_id", "signature"),
                  [(aid, to_bytes(item.signature)) for aid, item in stored])
    # in key order: each insert then lands next to the one before in the bucket index
    driver_insert(conn, s.story_bands, ("bucket", "band", "article_id"), sorted(new_bands))
    touched = {(band, bucket) for found in article_bands.values() for band, bucket in found}
    existing = sorted(touched & persisted)
    # a bucket gets its row when it closes; below the cap its members are its size
    closing = [{"band": b, "bucket": k, "size": index.sizes[(b, k)]} for b, k in sorted(touched - persisted)
               if index.sizes[(b, k)] >= BUCKET_CAP]
    if closing:
        conn.execute(insert(s.story_buckets), closing)
    if existing:
        conn.execute(update(s.story_buckets).where(s.story_buckets.c.band == bindparam("b_band"))
                     .where(s.story_buckets.c.bucket == bindparam("b_bucket")).values(size=bindparam("b_size")),
                     [{"b_band": b, "b_bucket": k, "b_size": index.sizes[(b, k)]} for b, k in existing])
    return assigned


def _refresh_stories(conn: Connection, story_ids: Iterable[int]) -> None:
    """Size, first and last date, and first article of ``story_ids``, from their current articles."""
    a = s.articles.alias("a")
    statement = update(s.stories).where(s.stories.c.id.in_(bindparam("ids", expanding=True))).values(
        size=select(func.count()).select_from(a).where(a.c.story_id == s.stories.c.id).scalar_subquery(),
        first_date=select(func.min(a.c.sort_date)).where(a.c.story_id == s.stories.c.id).scalar_subquery(),
        last_date=select(func.max(a.c.sort_date)).where(a.c.story_id == s.stories.c.id).scalar_subquery(),
        first_article_id=select(func.min(a.c.id)).where(a.c.story_id == s.stories.c.id).scalar_subquery(),
    )
    for chunk in chunks(sorted(set(story_ids))):
        conn.execute(statement, {"ids": list(chunk)})


def _segments(items: list[Extracted]) -> Iterator[list[Extracted]]:
    """Runs of the batch with no key twice: a repeated article is written after its first copy."""
    segment: list[Extracted] = []
    keys: set[str] = set()
    for item in items:
        key = article_key(item.article)
        if key in keys:
            yield segment
            segment, keys = [], set()
        segment.append(item)
        keys.add(key)
    if segment:
        yield segment


def write_articles(conn: Connection, items: list[Extracted], threshold: float) -> list[tuple[str, str]]:
    """Insert or replace ``items`` and their facts; returns (status, key) for each, in order."""
    if conn.dialect.name == "sqlite":
        # a batch inserts into a dozen indexes at random keys (LSH buckets, incident keys): with SQLite's
        # default 2 MB page cache every insert re-reads its index pages once the store outgrows it
        conn.exec_driver_sql(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
    results: list[tuple[str, str]] = []
    for segment in _segments(items):
        results.extend(_write_segment(conn, segment, threshold))
    return results


def _write_segment(conn: Connection, items: list[Extracted], threshold: float) -> list[tuple[str, str]]:
    keys = [article_key(item.article) for item in items]
    digests = [content_hash(item.article) for item in items]
    existing: dict[str, tuple[int, str]] = {}
    for chunk in chunks(keys):
        for row in conn.execute(select(s.articles.c.id, s.articles.c.key, s.articles.c.content_hash)
                                .where(s.articles.c.key.in_(chunk))):
            existing[row.key] = (row.id, row.content_hash)
    statuses: list[str] = []
    to_update: list[tuple[int, Extracted, str, str]] = []
    to_insert: list[tuple[Extracted, str, str]] = []
    for item, key, digest in zip(items, keys, digests, strict=True):
        found = existing.get(key)
        if found is not None and found[1] == digest:
            statuses.append(UNCHANGED)
        elif found is not None:
            statuses.append(UPDATED)
            to_update.append((found[0], item, key, digest))
        else:
            statuses.append(OK)
            to_insert.append((item, key, digest))
    touched_stories: set[int] = set()
    touched_incidents: set[int] = set()
    if to_update:
        touched_incidents = release(conn, [aid for aid, _, _, _ in to_update])
        for chunk in chunks([aid for aid, _, _, _ in to_update]):
            touched_stories.update(conn.execute(select(s.articles.c.story_id).where(s.articles.c.id.in_(chunk))
                                                .where(s.articles.c.story_id.is_not(None))).scalars())
        _delete_facts(conn, [aid for aid, _, _, _ in to_update])
        conn.execute(
            update(s.articles).where(s.articles.c.id == bindparam("a_id")),
            fitted(s.articles, [{"a_id": aid, **_article_values(item.article, key, digest), "story_id": None}
                                for aid, item, key, digest in to_update]))
    inserted: list[int] = []
    if to_insert:
        inserted = list(conn.execute(
            insert(s.articles).returning(s.articles.c.id, sort_by_parameter_order=True),
            fitted(s.articles, [_article_values(item.article, key, digest) for item, key, digest in to_insert])
        ).scalars().all())
    ids = iter(inserted)
    updated = {id(item): aid for aid, item, _, _ in to_update}
    stored: list[tuple[int, Extracted]] = []
    for item, status in zip(items, statuses, strict=True):
        if status == OK:
            stored.append((next(ids), item))
        elif status == UPDATED:
            stored.append((updated[id(item)], item))
    if stored:
        _insert_facts(conn, [(aid, item.article) for aid, item in stored])
        assigned = _assign_stories(conn, stored, threshold)
        conn.execute(insert(s.article_facets), _unique_facets(fitted(
            s.article_facets, [row for aid, item in stored for row in facet_rows(aid, assigned[aid], item.article)])))
        _refresh_stories(conn, touched_stories | set(assigned.values()))
        assign_articles(conn, [(aid, item.article, item.signature, assigned[aid], item.profile)
                               for aid, item in stored], also_refresh=touched_incidents)
    return list(zip(statuses, keys, strict=True))


def _unique_facets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facet rows without repeats of (kind, key, article): two values cut to the same prefix are one row."""
    seen: set[tuple[str, str, int]] = set()
    unique = []
    for row in rows:
        identity = (row["kind"], row["key"], row["article_id"])
        if identity not in seen:
            seen.add(identity)
            unique.append(row)
    return unique


def log_rows(run_id: str, entries: Iterable[tuple[str, str, str | None, str | None]]) -> list[dict[str, object]]:
    now = datetime.now(UTC)
    return [{"run_id": run_id, "source": source, "status": status, "reason": reason, "article_key": key,
             "created_at": now} for source, status, reason, key in entries]
