"""story buckets: LSH bucket sizes, so template-filled buckets stop collecting story candidates

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:30:25.225334
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_buckets",
        sa.Column("bucket", sa.String(length=40), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "band", name=op.f("pk_story_buckets")),
    )
    # lookups go by bucket alone (an IN list of strings), which row-value IN lists cannot index
    op.create_index(op.f("ix_story_bands_bucket"), "story_bands", ["bucket"])
    # stores made by revision 0001 already hold bands: count them
    op.execute("INSERT INTO story_buckets (band, bucket, size) "
               "SELECT band, bucket, COUNT(*) FROM story_bands GROUP BY band, bucket")


def downgrade() -> None:
    op.drop_index(op.f("ix_story_bands_bucket"), table_name="story_bands")
    op.drop_table("story_buckets")
