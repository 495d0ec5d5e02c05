"""The collector's state in the store: sources, feed validators and one row per discovered article URL.

A URL is written as ``pending`` as soon as it is discovered, and moves to ``ingested`` (or ``skipped``,
``forbidden``, ``failed``) in the same transaction as the article it produced, so a collector killed at
any moment resumes from the store: pending URLs are fetched by the next round, ingested ones never again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, or_, select, update

from pantau.store import schema as s
from pantau.store.db import chunks, dialect_insert

PENDING, INGESTED, SKIPPED, FORBIDDEN, FAILED = "pending", "ingested", "skipped", "forbidden", "failed"
FINAL = (INGESTED, SKIPPED, FORBIDDEN)  # never fetched again


@dataclass(frozen=True, slots=True)
class UrlOutcome:
    url_key: str
    status: str
    http_status: int | None = None
    error: str | None = None
    article_key: str | None = None
    retry: bool = True  # False for a failure that will not get better (404, 410): given up at once


def sync_sources(conn: Connection, sources: Iterable[tuple[str, str, bool]]) -> None:
    """Make a row for every configured source (key, name, enabled); keep the counters of known ones."""
    rows = [{"source": key, "name": name, "enabled": int(enabled)} for key, name, enabled in sources]
    if not rows:
        return
    statement = dialect_insert(conn, s.watch_sources)
    statement = statement.on_conflict_do_update(
        index_elements=["source"], set_={"name": statement.excluded.name, "enabled": statement.excluded.enabled})
    conn.execute(statement, rows)


def feed_validators(conn: Connection, url_keys: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
    """ETag and Last-Modified last seen for each feed or sitemap, by URL key."""
    found: dict[str, tuple[str | None, str | None]] = {}
    table = s.watch_feeds
    for chunk in chunks(list(url_keys)):
        for key, etag, modified in conn.execute(
                select(table.c.url_key, table.c.etag, table.c.last_modified).where(table.c.url_key.in_(chunk))):
            found[key] = (etag, modified)
    return found


def save_feed(conn: Connection, *, url_key: str, url: str, source: str, etag: str | None,
              last_modified: str | None, http_status: int | None, at: datetime) -> None:
    statement = dialect_insert(conn, s.watch_feeds).values(
        url_key=url_key, url=url, source=source, etag=etag, last_modified=last_modified, http_status=http_status,
        checked_at=at)
    values: dict[str, Any] = {"http_status": statement.excluded.http_status,
                              "checked_at": statement.excluded.checked_at}
    if http_status == 200:  # a 304 keeps the validators it was answered for; an error keeps the last good ones
        values.update(etag=statement.excluded.etag, last_modified=statement.excluded.last_modified)
    conn.execute(statement.on_conflict_do_update(index_elements=["url_key"], set_=values))


def known_urls(conn: Connection, url_keys: Sequence[str]) -> dict[str, tuple[str, int]]:
    """Status and attempts of the URLs already in the store, by key."""
    table = s.watch_urls
    found: dict[str, tuple[str, int]] = {}
    for chunk in chunks(list(dict.fromkeys(url_keys))):
        for key, status, attempts in conn.execute(
                select(table.c.url_key, table.c.status, table.c.attempts).where(table.c.url_key.in_(chunk))):
            found[key] = (status, attempts)
    return found


def add_pending(conn: Connection, rows: Sequence[tuple[str, str, str, str | None]], at: datetime) -> int:
    """Record newly discovered URLs (key, canonical URL, source, publication time if listed) as pending;
    returns how many were new."""
    if not rows:
        return 0
    known = known_urls(conn, [row[0] for row in rows])
    fresh = {row[0]: row for row in rows if row[0] not in known}
    values = [{"url_key": key, "url": url, "source": source, "status": PENDING, "attempts": 0, "first_seen": at,
               "published": published[:40] if published else None}
              for key, url, source, published in fresh.values()]
    for chunk in chunks(values):
        conn.execute(dialect_insert(conn, s.watch_urls).on_conflict_do_nothing(index_elements=["url_key"]), list(chunk))
    return len(values)


def due_urls(conn: Connection, source: str, *, limit: int, max_attempts: int) -> list[tuple[str, str]]:
    """The source's URLs still to fetch (pending, or failed fewer than ``max_attempts`` times), newest first:
    by the publication time its sitemap gave, else by discovery, so a backlog never holds back today's news."""
    table = s.watch_urls
    query = (select(table.c.url_key, table.c.url)
             .where(table.c.source == source)
             .where(or_(table.c.status == PENDING,
                        and_(table.c.status == FAILED, table.c.attempts < max_attempts)))
             .order_by(table.c.published.desc().nulls_last(), table.c.first_seen.desc(), table.c.url_key)
             .limit(limit))
    return [(key, url) for key, url in conn.execute(query)]


def mark_urls(conn: Connection, outcomes: Sequence[UrlOutcome], at: datetime, *, max_attempts: int) -> None:
    """Write what became of each URL fetched; a failure counts an attempt (all of them when not retryable)."""
    if not outcomes:
        return
    table = s.watch_urls
    statement = (update(table).where(table.c.url_key == bindparam("key"))
                 .values(status=bindparam("new_status"), http_status=bindparam("code"), error=bindparam("message"),
                         article_key=func.coalesce(bindparam("article"), table.c.article_key),
                         attempts=table.c.attempts + bindparam("step"),
                         last_attempt=at))
    rows = [{"key": outcome.url_key, "new_status": outcome.status, "code": outcome.http_status,
             "message": (outcome.error or None) and outcome.error[:1000], "article": outcome.article_key,
             "step": max_attempts if outcome.status == FAILED and not outcome.retry else 1}
            for outcome in outcomes]
    conn.execute(statement, rows)


def record_round(conn: Connection, source: str, *, seen: int, new: int, failed: int, error: str | None,
                 at: datetime) -> None:
    """A source's round: URLs its documents listed, new articles stored, failures, and its errors if any."""
    table = s.watch_sources
    values: dict[str, Any] = {"rounds": table.c.rounds + 1, "last_round_at": at, "seen": seen, "new": new,
                              "failed": failed, "total_ingested": table.c.total_ingested + new,
                              "last_error": error[:2000] if error else None}
    if error is None:
        values["last_success_at"] = at
    conn.execute(update(table).where(table.c.source == source).values(**values))


def source_table(conn: Connection) -> list[dict[str, Any]]:
    """Every source with its last round and its URLs counted by status, sources in key order."""
    urls = s.watch_urls
    by_status: dict[str, dict[str, int]] = {}
    for source, status, count in conn.execute(
            select(urls.c.source, urls.c.status, func.count()).group_by(urls.c.source, urls.c.status)):
        by_status.setdefault(source, {})[status] = count
    rows = []
    for row in conn.execute(select(s.watch_sources).order_by(s.watch_sources.c.source)).mappings():
        item = dict(row)
        item["enabled"] = bool(item["enabled"])
        for key in ("last_round_at", "last_success_at"):
            value = item[key]
            if isinstance(value, str):
                value = datetime.fromisoformat(value)
            if value is not None and value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            item[key] = value.isoformat() if value is not None else None
        counts = by_status.get(item["source"], {})
        item["urls"] = {status: counts.get(status, 0) for status in (PENDING, INGESTED, SKIPPED, FORBIDDEN, FAILED)}
        rows.append(item)
    return rows
