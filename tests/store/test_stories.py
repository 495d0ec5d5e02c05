"""Syndicated copies: the threshold is justified by copies rewritten the way regional portals do it."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pantau.clean import clean_text
from pantau.store import schema as s
from pantau.store.db import open_store
from pantau.store.ingest import ingest
from pantau.store.queries import aggregate
from pantau.store.stories import DEFAULT_THRESHOLD, signature, similarity

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
EXTRA = ("Sementara itu, warga Banyuasin menyambut baik capaian tersebut dan berharap razia narkoba di "
         "kampung-kampung terus dilakukan polisi bersama perangkat desa setempat.")


def _bodies() -> list[str]:
    return [clean_text(p.read_text(encoding="utf-8")).body for p in sorted(SEEDS.glob("*.txt"))]


def _reorder_sentences(text: str, seed: int) -> str:
    rng = random.Random(seed)
    paragraphs = []
    for paragraph in text.split("\n\n"):
        sentences = re.split(r"(?<=[.!?”\"])\s+", paragraph)
        rng.shuffle(sentences)
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def _copies(body: str) -> dict[str, str]:
    paragraphs = body.split("\n\n")
    return {
        "other outlet": "SRIPOKU.COM, BANYUASIN - " + body,
        "paragraphs reordered": "\n\n".join(paragraphs[:2] + paragraphs[3:] + [paragraphs[2]]),
        "sentences reordered": _reorder_sentences(body, 1),
        "extra paragraph": body + "\n\n" + EXTRA,
        "all at once": "TRIBUNSUMSEL.COM - " + _reorder_sentences(body, 7) + "\n\n" + EXTRA,
        "last third cut": "\n\n".join(paragraphs[:7]),
    }


def test_rewritten_copies_are_above_the_threshold_and_other_reports_far_below() -> None:
    bodies = _bodies()
    original = signature(bodies[4])
    for name, copy in _copies(bodies[4]).items():
        assert similarity(original, signature(copy)) >= DEFAULT_THRESHOLD + 0.1, name
    for other in bodies[:4]:
        assert similarity(original, signature(other)) <= 0.1


@pytest.fixture
def syndicated(tmp_path: Path) -> Path:
    body = (SEEDS / "004_08796327ddaf0306.txt").read_text(encoding="utf-8")
    clean = clean_text(body).body
    rows = [
        {"id": "asli", "url": "https://koranharianbanyuasin.id/1", "text": body},
        {"id": "salinan-1", "url": "https://sripoku.com/2", "title": "Polres Banyuasin Sita 28 Kg Sabu",
         "text": "SRIPOKU.COM, BANYUASIN - " + _reorder_sentences(clean, 3)},
        {"id": "salinan-2", "url": "https://tribunsumsel.com/3", "title": "Kasus Narkoba di Banyuasin Turun",
         "text": "TRIBUNSUMSEL.COM - " + clean + "\n\n" + EXTRA},
        {"id": "salinan-3", "url": "https://palpres.com/4", "title": "Komitmen Kapolres Banyuasin",
         "text": "PALPRES.COM - " + "\n\n".join(reversed(clean.split("\n\n")))},
        {"id": "lain", "url": "https://kabarntb.com/5",
         "text": (SEEDS / "002_53e8ae831c9849d8.txt").read_text(encoding="utf-8")},
    ]
    path = tmp_path / "inputs" / "syndicated.jsonl"
    path.parent.mkdir()
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_copies_form_one_story_and_its_seizures_count_once(db_url: str, syndicated: Path) -> None:
    ingest([str(syndicated)], db_url, workers=1)
    engine = open_store(db_url)
    with engine.connect() as conn:
        stories = dict(conn.execute(select(s.articles.c.record_id, s.articles.c.story_id)).all())
        assert len({stories[k] for k in ("asli", "salinan-1", "salinan-2", "salinan-3")}) == 1
        assert stories["lain"] != stories["asli"]
        linked = conn.execute(select(func.count()).select_from(s.articles)
                              .where(s.articles.c.story_id == stories["asli"])).scalar_one()
        assert linked == 4
        reported = conn.execute(select(func.count()).select_from(s.seizures)
                                .where(s.seizures.c.substance == "methamphetamine")).scalar_one()
        assert reported == 4  # every report keeps its own facts and spans
        by_substance = {g.key: g for g in aggregate(conn, "substance")}
        assert by_substance["methamphetamine"].seizures == {("methamphetamine", "g"): 28000.0}
        assert by_substance["methamphetamine"].articles == 4 and by_substance["methamphetamine"].stories == 1
        assert by_substance["mdma"].seizures == {("mdma", "pill"): 20187.0}
    engine.dispose()


def test_a_bucket_gets_its_size_row_when_it_closes(tmp_path: Path) -> None:
    """Open buckets are their members; past the cap a bucket has a size row and takes no more members,
    and migration 0010's way back and forth keeps exactly those rows."""
    from alembic import command

    from pantau.record import Article
    from pantau.store.db import alembic_config, upgrade
    from pantau.store.stories import bands
    from pantau.store.writer import BUCKET_CAP, Extracted, write_articles

    body = _bodies()[0]
    copies = BUCKET_CAP + 6
    items = [Extracted(Article(id=str(i), source="t", url=f"https://t.example.id/{i}", body=body), signature(body))
             for i in range(copies)]
    other = _bodies()[1]
    items.append(Extracted(Article(id="other", source="t", url="https://t.example.id/x", body=other), signature(other)))
    engine = open_store(str(tmp_path / "b.db"))
    with engine.begin() as conn:
        write_articles(conn, items[:40], DEFAULT_THRESHOLD)
        assert conn.execute(select(func.count()).select_from(s.story_buckets)).scalar_one() == 0
        write_articles(conn, items[40:], DEFAULT_THRESHOLD)
    closed = {(band, bucket) for band, bucket in bands(signature(body), DEFAULT_THRESHOLD)}

    def state() -> tuple[object, ...]:
        with engine.connect() as conn:
            rows = {(r.band, r.bucket): r.size for r in conn.execute(select(s.story_buckets))}
            members = dict(conn.execute(select(s.story_bands.c.bucket, func.count())
                                        .group_by(s.story_bands.c.bucket)).tuples().all())
        return rows, members

    rows, members = state()
    assert rows == dict.fromkeys(closed, copies)
    assert {members[bucket] for _, bucket in closed} == {BUCKET_CAP}
    other_buckets = {bucket for _, bucket in bands(signature(other), DEFAULT_THRESHOLD)}
    assert {members[bucket] for bucket in other_buckets} == {1}
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0009")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.story_buckets)).scalar_one() == \
            len(closed) + len(other_buckets)
    upgrade(engine)
    assert state() == (rows, members)
    engine.dispose()


def test_migration_0011_keys_are_the_hex_buckets_the_earlier_writer_wrote(db_url: str) -> None:
    """Down to 0010 the bands are the 32-character hex digests of their signature slices (what the writer of
    that version computed: recomputed from the stored signatures, since the integer keeps 16 of them), the
    closed bucket keeps its size row, and up again every row is as the writer wrote it."""
    import hashlib

    import numpy as np
    from alembic import command

    from pantau.record import Article
    from pantau.store.db import alembic_config, upgrade
    from pantau.store.stories import band_layout, bucket_key
    from pantau.store.writer import BUCKET_CAP, Extracted, write_articles

    bodies = _bodies()
    texts = [bodies[0]] * (BUCKET_CAP + 2) + bodies[1:]
    items = [Extracted(Article(id=str(i), source="t", url=f"https://t.example.id/{i}", body=text), signature(text))
             for i, text in enumerate(texts)]
    engine = open_store(db_url)
    with engine.begin() as conn:
        write_articles(conn, items, DEFAULT_THRESHOLD)
    bands_sql = "SELECT band, bucket, article_id FROM story_bands ORDER BY article_id, band"
    buckets_sql = "SELECT band, bucket, size FROM story_buckets ORDER BY band"

    def state() -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
        with engine.connect() as conn:
            return ([tuple(r) for r in conn.exec_driver_sql(bands_sql)],
                    [tuple(r) for r in conn.exec_driver_sql(buckets_sql)])

    written = state()
    count, rows = band_layout(DEFAULT_THRESHOLD)
    assert len(written[1]) == count and {size for _, _, size in written[1]} == {BUCKET_CAP + 2}
    assert all(isinstance(bucket, int) for _, bucket, _ in written[0])
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
    with engine.connect() as conn:
        signatures = {int(a): bytes(g) for a, g in conn.exec_driver_sql(
            "SELECT article_id, signature FROM article_signatures")}
        old_bands = [tuple(r) for r in conn.exec_driver_sql(bands_sql)]
        old_buckets = [tuple(r) for r in conn.exec_driver_sql(buckets_sql)]

    def hex_digest(article_id: int, band: int) -> str:
        chunk = signatures[article_id][band * rows * 8:(band + 1) * rows * 8]
        return hashlib.blake2b(chunk, digest_size=16).hexdigest()

    expected = [(band, hex_digest(a, band), a) for band, _, a in written[0]]
    assert old_bands == expected
    assert all(bucket_key(np.frombuffer(signatures[a][band * rows * 8:(band + 1) * rows * 8], dtype="<u8")) == key
               for band, key, a in written[0])
    assert [(band, int.from_bytes(bytes.fromhex(text[:16]), "big", signed=True), a) for band, text, a in old_bands] \
        == written[0]
    assert {(band, size) for band, _, size in old_buckets} == {(band, size) for band, _, size in written[1]}
    assert all(len(text) == 32 for _, text, _ in old_buckets)
    upgrade(engine)
    assert state() == written
    engine.dispose()


def test_migration_0011_goes_down_on_a_store_written_with_two_thresholds(db_url: str) -> None:
    """``pantau ingest --threshold`` is per run, so one store holds several band layouts: the downgrade finds
    each article's own, and up again the rows are as written."""
    import hashlib

    from alembic import command

    from pantau.record import Article
    from pantau.store.db import alembic_config, upgrade
    from pantau.store.stories import band_layout
    from pantau.store.writer import Extracted, write_articles

    bodies = _bodies()
    engine = open_store(db_url)
    for threshold, numbers in ((0.5, range(0, 3)), (0.8, range(3, 5))):
        with engine.begin() as conn:
            write_articles(conn, [Extracted(Article(id=str(i), source="t", url=f"https://t.example.id/{i}",
                                                    body=bodies[i]), signature(bodies[i])) for i in numbers], threshold)
    bands_sql = "SELECT band, bucket, article_id FROM story_bands ORDER BY article_id, band"
    with engine.connect() as conn:
        written = [tuple(r) for r in conn.exec_driver_sql(bands_sql)]
        ids = {int(a): i for i, a in enumerate(sorted({a for _, _, a in written}))}
        signatures = {int(a): bytes(g) for a, g in conn.exec_driver_sql(
            "SELECT article_id, signature FROM article_signatures")}
    assert band_layout(0.5)[1] != band_layout(0.8)[1]
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
    with engine.connect() as conn:
        old_bands = [tuple(r) for r in conn.exec_driver_sql(bands_sql)]
    expected = []
    for band, _, article in written:
        rows = band_layout(0.5 if ids[article] < 3 else 0.8)[1]
        chunk = signatures[article][band * rows * 8:(band + 1) * rows * 8]
        expected.append((band, hashlib.blake2b(chunk, digest_size=16).hexdigest(), article))
    assert old_bands == expected
    upgrade(engine)
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.exec_driver_sql(bands_sql)] == written
    engine.dispose()


def test_similarity_is_the_share_of_equal_values_as_a_float() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    for _ in range(500):
        a = rng.integers(0, 4, 128).astype(np.uint64)
        b = rng.integers(0, 4, 128).astype(np.uint64)
        value = similarity(a, b)
        assert type(value) is float and value == float(np.mean(a == b))
    same = signature("polisi menyita sabu di banyuasin")
    assert similarity(same, same) == 1.0
