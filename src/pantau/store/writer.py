"""Writing extracted records into the store, one batch per transaction, idempotently.

An article's identity is its URL when known, else the hash of its content. Writing the same
article again changes nothing ("unchanged"); a changed article replaces all its facts ("updated").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import Connection, delete, insert, select, tuple_, update

from pantau.record import Article
from pantau.store import schema as s
from pantau.store.stories import bands, from_bytes, similarity, to_bytes

OK, UPDATED, UNCHANGED, SKIPPED, FAILED = "ok", "updated", "unchanged", "skipped", "failed"


@dataclass(slots=True)
class Extracted:
    """An article record with its MinHash signature, as produced by an extraction worker."""

    article: Article
    signature: np.ndarray


def content_hash(article: Article) -> str:
    return hashlib.sha256(f"{article.title or ''}\n{article.body}".encode()).hexdigest()


def article_key(article: Article) -> str:
    return article.url or f"sha256:{content_hash(article)}"


def _span_columns(span: tuple[int, int]) -> dict[str, int]:
    return {"span_start": span[0], "span_end": span[1]}


def _delete_facts(conn: Connection, article_id: int) -> None:
    for table in s.FACT_TABLES:
        conn.execute(delete(table).where(table.c.article_id == article_id))


def _insert_facts(conn: Connection, article_id: int, article: Article) -> None:
    if article.people:
        person_ids = conn.execute(
            insert(s.people).returning(s.people.c.id, sort_by_parameter_order=True),
            [{"article_id": article_id, "name": p.name, "rank": p.rank, "rank_abbr": p.rank_abbr,
              "position": p.position, "organization": p.organization} for p in article.people],
        ).scalars().all()
        mentions = [{"person_id": pid, "article_id": article_id, "start": m[0], "end": m[1]}
                    for pid, person in zip(person_ids, article.people, strict=True) for m in person.mentions]
        if mentions:
            conn.execute(insert(s.person_mentions), mentions)
    rows: list[tuple[object, list[dict[str, object]]]] = [
        (s.organizations, [{"name": o.name, "type": o.type, "region_code": o.region_code, "parent": o.parent,
                            "mentions": [list(m) for m in o.mentions]} for o in article.organizations]),
        (s.locations, [{"name": loc.name, "level": loc.level, "code": loc.code, "province_code": loc.province_code,
                        "mentions": [list(m) for m in loc.mentions]} for loc in article.locations]),
        (s.seizures, [{"substance": z.substance, "term": z.term, "quantity": z.quantity, "unit": z.unit,
                       "qualifier": z.qualifier, "weight_basis": z.weight_basis, "period": z.period,
                       **_span_columns(z.span)} for z in article.seizures]),
        (s.statistics, [{"measure": t.measure, "subject": t.subject, "period": t.period, "value": t.value,
                         "flags": list(t.flags), **_span_columns(t.span)} for t in article.statistics]),
        (s.quotes, [{"text": q.text, "speaker": q.speaker, "cue": q.cue, **_span_columns(q.span)}
                    for q in article.quotes]),
        (s.legal_refs, [{"law": r.law, "article": r.article, "paragraph": r.paragraph, **_span_columns(r.span)}
                        for r in article.legal_refs]),
        (s.topics, [{"topic": t} for t in dict.fromkeys(article.topics)]),
    ]
    for table, values in rows:
        if values:
            conn.execute(insert(table), [{"article_id": article_id, **v} for v in values])  # type: ignore[arg-type]


def _assign_story(conn: Connection, article_id: int, values: np.ndarray, threshold: float) -> int:
    """The story of the most similar earlier article above ``threshold``, else a new story."""
    article_bands = bands(values, threshold)
    candidates = conn.execute(
        select(s.story_bands.c.article_id).distinct()
        .where(tuple_(s.story_bands.c.band, s.story_bands.c.bucket).in_(article_bands))
        .where(s.story_bands.c.article_id != article_id)
    ).scalars().all()
    best_story, best_score = None, threshold
    if candidates:
        found = conn.execute(
            select(s.articles.c.id, s.articles.c.story_id, s.article_signatures.c.signature)
            .join(s.article_signatures, s.article_signatures.c.article_id == s.articles.c.id)
            .where(s.articles.c.id.in_(candidates))
        ).all()
        for _, story_id, stored in sorted(found):
            score = similarity(values, from_bytes(stored))
            if score >= best_score and story_id is not None:
                best_story, best_score = story_id, score
    if best_story is None:
        best_story = conn.execute(
            insert(s.stories).values(first_article_id=article_id, created_at=datetime.now(UTC))
            .returning(s.stories.c.id)
        ).scalar_one()
    conn.execute(insert(s.article_signatures).values(article_id=article_id, signature=to_bytes(values)))
    conn.execute(insert(s.story_bands), [{"band": b, "bucket": k, "article_id": article_id}
                                         for b, k in article_bands])
    return best_story


def write_article(conn: Connection, item: Extracted, threshold: float) -> tuple[str, str]:
    """Insert or replace one article and its facts; returns (status, key)."""
    article = item.article
    key = article_key(article)
    digest = content_hash(article)
    existing = conn.execute(
        select(s.articles.c.id, s.articles.c.content_hash).where(s.articles.c.key == key)
    ).first()
    if existing is not None and existing.content_hash == digest:
        return UNCHANGED, key
    values = {
        "key": key, "record_id": article.id, "content_hash": digest, "source": article.source, "url": article.url,
        "title": article.title, "outlet": article.outlet, "dateline": article.dateline, "date": article.date,
        "published": article.published, "language": article.language, "body": article.body,
        "record": article.model_dump(mode="json"), "ingested_at": datetime.now(UTC),
    }
    if existing is not None:
        article_id = existing.id
        _delete_facts(conn, article_id)
        conn.execute(update(s.articles).where(s.articles.c.id == article_id).values(**values, story_id=None))
        status = UPDATED
    else:
        article_id = conn.execute(insert(s.articles).values(**values).returning(s.articles.c.id)).scalar_one()
        status = OK
    _insert_facts(conn, article_id, article)
    story_id = _assign_story(conn, article_id, item.signature, threshold)
    conn.execute(update(s.articles).where(s.articles.c.id == article_id).values(story_id=story_id))
    return status, key


def log_rows(run_id: str, entries: list[tuple[str, str, str | None, str | None]]) -> list[dict[str, object]]:
    now = datetime.now(UTC)
    return [{"run_id": run_id, "source": source, "status": status, "reason": reason, "article_key": key,
             "created_at": now} for source, status, reason, key in entries]
