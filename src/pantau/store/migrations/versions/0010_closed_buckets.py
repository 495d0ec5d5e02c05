"""closed buckets: a story_buckets row only for an LSH bucket that reached the cap

An open bucket's size is the number of its ``story_bands`` rows, which the writer reads anyway to find
its members; keeping a size row for every bucket doubled the rows a batch inserts (25 an article, at
random keys into an index of tens of millions at a million articles) for buckets that mostly never take
a second article. The writer now writes a bucket's row when it closes (64 members, ``writer.BUCKET_CAP``
when this was written); the rows of open buckets go.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 07:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_CAP = 64


def upgrade() -> None:
    op.execute(f"DELETE FROM story_buckets WHERE size < {_CAP}")


def downgrade() -> None:
    op.execute("INSERT INTO story_buckets (band, bucket, size) SELECT band, bucket, COUNT(*) FROM story_bands b "
               "WHERE NOT EXISTS (SELECT 1 FROM story_buckets k WHERE k.bucket = b.bucket AND k.band = b.band) "
               "GROUP BY band, bucket")
