"""story band lookup: one covering index (bucket, article_id) for the writer's candidate lookup

The writer reads the members of a batch's open LSH buckets by bucket alone. With an index on bucket
only, every member found cost a lookup of its table row for the article id; (band, bucket) was a
second index no query used, paid for at every insert (25 rows an article). One index holding both
columns answers the lookup by itself and leaves one index fewer to update.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 02:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_story_bands_bucket_article", "story_bands", ["bucket", "article_id"])
    op.drop_index("ix_story_bands_bucket", table_name="story_bands")
    op.drop_index("ix_story_bands_band_bucket", table_name="story_bands")


def downgrade() -> None:
    op.create_index("ix_story_bands_band_bucket", "story_bands", ["band", "bucket"])
    op.create_index("ix_story_bands_bucket", "story_bands", ["bucket"])
    op.drop_index("ix_story_bands_bucket_article", table_name="story_bands")
