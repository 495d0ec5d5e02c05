"""story band keys: an LSH bucket as a 64-bit integer, and story_bands keyed by (bucket, band, article_id)

Every article writes 25 ``story_bands`` rows at random buckets. A bucket was a 32-character hex string
(33 bytes a key), in a rowid table with two indexes: at a million articles the three b-trees took 2.6 KiB
an article, a quarter of the store, and each insert wrote a table row, a bucket index entry and an
article index entry. The bucket is now the first 8 bytes of the same BLAKE2b digest as a signed integer
(``pantau.store.stories.bucket_key``; the hex string's first 16 characters), the primary key is the
writer's lookup (on SQLite the table itself, WITHOUT ROWID), and the article index stays for deletes.
``story_buckets`` (the closed buckets' sizes) takes the same integer.

The downgrade writes the hex strings back: the 16 characters kept here cannot give the other 16, so they
are computed again from the articles' stored MinHash signatures, as the writer of that version did.

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
    in batches of ``_BATCH`` rows read in key order."""
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


def _rows_per_band(conn: sa.Connection) -> int:
    """The rows a band had when the store was written, found from one stored band: the layout depends on the
    threshold the store was written with, and the stored key tells which slice of the signature it hashes."""
    first = conn.exec_driver_sql(
        "SELECT b.band, b.bucket, g.signature FROM story_bands b "
        "JOIN article_signatures g ON g.article_id = b.article_id LIMIT 1").first()
    if first is None:
        return 0
    band, key, signature = first[0], first[1], bytes(first[2])
    values = len(signature) // 8
    for rows in range(1, values + 1):
        chunk = signature[band * rows * 8:(band + 1) * rows * 8]
        if len(chunk) == rows * 8 and _digest_key(chunk) == key:
            return rows
    raise RuntimeError("story_bands: no band layout gives the stored buckets; cannot go below 0011")


def _digest(chunk: bytes) -> bytes:
    return hashlib.blake2b(chunk, digest_size=16).digest()


def _digest_key(chunk: bytes) -> int:
    return int.from_bytes(_digest(chunk)[:8], "big", signed=True)


def downgrade() -> None:
    conn = op.get_bind()
    rows = _rows_per_band(conn)
    signatures: dict[int, bytes] = {}

    def hex_bucket(band: int, key: int, article_id: int) -> str:
        signature = signatures.get(article_id)
        if signature is None:
            signature = bytes(conn.execute(sa.text("SELECT signature FROM article_signatures WHERE article_id = :a"),
                                           {"a": article_id}).scalar_one())
            signatures.clear()  # an article's 25 bands are read together: keep one signature
            signatures[article_id] = signature
        digest = _digest(signature[band * rows * 8:(band + 1) * rows * 8])
        if int.from_bytes(digest[:8], "big", signed=True) != key:
            raise RuntimeError(f"story_bands: article {article_id}'s band {band} does not match its signature")
        return digest.hex()

    old = op.create_table(
        "story_bands_old",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=40), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_story_bands_old_article_id_articles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_bands_old")),
    )
    keys: dict[tuple[int, int], str] = {}
    source = conn.exec_driver_sql("SELECT band, bucket, article_id FROM story_bands ORDER BY article_id, band")
    while batch := source.fetchmany(_BATCH):
        converted = []
        for band, key, article_id in batch:
            text = hex_bucket(band, key, article_id)
            keys[(band, key)] = text
            converted.append({"band": band, "bucket": text, "article_id": article_id})
        conn.execute(sa.insert(old), converted)
    closed = conn.exec_driver_sql("SELECT bucket, band, size FROM story_buckets").fetchall()
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
    restored = [{"bucket": keys[(band, key)], "band": band, "size": size} for key, band, size in closed
                if (band, key) in keys]
    if restored:
        conn.execute(sa.insert(buckets), restored)
