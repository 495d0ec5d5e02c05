"""story band keys: an LSH bucket as a 64-bit integer, and story_bands keyed by (bucket, band, article_id)

Every article writes 25 ``story_bands`` rows at random buckets. A bucket was a 32-character hex string
(33 bytes a key), in a rowid table with two indexes: at a million articles the three b-trees took 2.6 KiB
an article, a quarter of the store, and each insert wrote a table row, a bucket index entry and an
article index entry. The bucket is now the first 8 bytes of the same BLAKE2b digest as a signed integer
(``pantau.store.stories.bucket_key``; the hex string's first 16 characters), the primary key is the
writer's lookup (on SQLite the table itself, WITHOUT ROWID), and the article index stays for deletes.
``story_buckets`` (the closed buckets' sizes) takes the same integer.

The downgrade writes the hex strings back: the 16 characters kept here cannot give the other 16, so they
are computed again from the articles' stored MinHash signatures, as the writer of that version did (each
article's band layout found from its own keys: a store may hold articles written with several thresholds).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_BATCH = 20_000


def _hex_to_key(text: str) -> int:
    return int.from_bytes(bytes.fromhex(text[:16]), "big", signed=True)


def _band_table(name: str) -> sa.Table:
    """The new story_bands under a temporary ``name`` (SQLite only: its constraint names need not be unique, so
    they are the final ones)."""
    return op.create_table(
        name,
        sa.Column("bucket", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("band", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("article_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_story_bands_article_id_articles")),
        sa.PrimaryKeyConstraint("bucket", "band", "article_id", name=op.f("pk_story_bands")),
        sqlite_with_rowid=False,
    )


def _copy_converted(source: str, target: sa.Table, columns: tuple[str, ...], convert: Any) -> None:
    """Rows of ``source`` into ``target``, each converted in Python (SQLite has no hex-to-integer function),
    in batches of ``_BATCH`` rows."""
    conn = op.get_bind()
    rows = conn.exec_driver_sql(f"SELECT {', '.join(columns)} FROM {source}")
    while batch := rows.fetchmany(_BATCH):
        conn.execute(sa.insert(target), [convert(row) for row in batch])


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        key = "('x' || substr({0}, 1, 16))::bit(64)::bigint"
        op.execute("DROP INDEX IF EXISTS ix_story_bands_bucket_article")
        op.execute(f"ALTER TABLE story_bands ALTER COLUMN bucket TYPE bigint USING {key.format('bucket')}")
        primary = sa.inspect(conn).get_pk_constraint("story_bands")["name"]
        op.execute(f'ALTER TABLE story_bands DROP CONSTRAINT "{primary}"')
        op.execute("ALTER TABLE story_bands DROP COLUMN id")
        op.execute("ALTER TABLE story_bands ADD CONSTRAINT pk_story_bands PRIMARY KEY (bucket, band, article_id)")
        op.execute(f"ALTER TABLE story_buckets ALTER COLUMN bucket TYPE bigint USING {key.format('bucket')}")
        return
    new = _band_table("story_bands_new")
    _copy_converted("story_bands", new, ("band", "bucket", "article_id"),
                    lambda r: {"band": r[0], "bucket": _hex_to_key(r[1]), "article_id": r[2]})
    op.drop_table("story_bands")
    op.rename_table("story_bands_new", "story_bands")
    op.create_index("ix_story_bands_article_id", "story_bands", ["article_id"])
    buckets = op.create_table(
        "story_buckets_new",
        sa.Column("bucket", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "band", name=op.f("pk_story_buckets")),
    )
    _copy_converted("story_buckets", buckets, ("bucket", "band", "size"),
                    lambda r: {"bucket": _hex_to_key(r[0]), "band": r[1], "size": r[2]})
    op.drop_table("story_buckets")
    op.rename_table("story_buckets_new", "story_buckets")


def _digest(chunk: bytes) -> bytes:
    return hashlib.blake2b(chunk, digest_size=16).digest()


def _band_digest(signature: bytes, band: int, key: int, rows_first: int) -> tuple[bytes, int]:
    """The full digest of an article's ``band`` whose first 8 bytes are ``key``, and the rows a band had: the
    layout depends on the threshold the article was written with (``pantau ingest --threshold`` is per run,
    so one store can hold several), found by trying each, ``rows_first`` first (the article before's)."""
    values = len(signature) // 8
    for rows in (rows_first, *(r for r in range(1, values + 1) if r != rows_first)):
        chunk = signature[band * rows * 8:(band + 1) * rows * 8]
        if len(chunk) == rows * 8 and int.from_bytes((digest := _digest(chunk))[:8], "big", signed=True) == key:
            return digest, rows
    raise RuntimeError(f"story_bands: band {band} matches no slice of its article's signature; cannot go below 0011")


def _signatures(conn: sa.Connection, article_ids: list[int]) -> dict[int, bytes]:
    query = sa.text("SELECT article_id, signature FROM article_signatures WHERE article_id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True))
    return {int(a): bytes(g) for a, g in conn.execute(query, {"ids": article_ids})}


def downgrade() -> None:
    conn = op.get_bind()
    closed = {(int(band), int(key)) for key, band in conn.exec_driver_sql("SELECT bucket, band FROM story_buckets")}
    old = op.create_table(
        "story_bands_old",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=40), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_story_bands_old_article_id_articles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_bands_old")),
    )
    keys: dict[tuple[int, int], str] = {}  # hex digests of the closed buckets only: their size rows go back too
    rows = 1
    source = conn.exec_driver_sql("SELECT band, bucket, article_id FROM story_bands ORDER BY article_id, band",
                                  execution_options={"stream_results": True})
    while batch := source.fetchmany(_BATCH):
        signatures = _signatures(conn, sorted({int(a) for _, _, a in batch}))
        converted = []
        for band, key, article_id in batch:
            digest, rows = _band_digest(signatures[int(article_id)], int(band), int(key), rows)
            if (band, key) in closed:
                keys[(band, key)] = digest.hex()
            converted.append({"band": band, "bucket": digest.hex(), "article_id": article_id})
        conn.execute(sa.insert(old), converted)
    sizes = conn.exec_driver_sql("SELECT bucket, band, size FROM story_buckets").fetchall()
    op.drop_table("story_bands")
    op.rename_table("story_bands_old", "story_bands")
    if conn.dialect.name == "postgresql":  # the names 0001 gave (SQLite keeps no separate constraint names)
        op.execute("ALTER TABLE story_bands RENAME CONSTRAINT pk_story_bands_old TO pk_story_bands")
        op.execute("ALTER TABLE story_bands RENAME CONSTRAINT fk_story_bands_old_article_id_articles "
                   "TO fk_story_bands_article_id_articles")
        op.execute("ALTER SEQUENCE IF EXISTS story_bands_old_id_seq RENAME TO story_bands_id_seq")
    op.create_index("ix_story_bands_article_id", "story_bands", ["article_id"])
    op.create_index("ix_story_bands_bucket_article", "story_bands", ["bucket", "article_id"])
    op.drop_table("story_buckets")
    buckets = op.create_table(
        "story_buckets",
        sa.Column("bucket", sa.String(length=40), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "band", name=op.f("pk_story_buckets")),
    )
    # a closed bucket keeps no band rows past the cap, but at least its first members': its full key is known
    restored = [{"bucket": keys[(band, key)], "band": band, "size": size} for key, band, size in sizes
                if (band, key) in keys]
    if restored:
        conn.execute(sa.insert(buckets), restored)
