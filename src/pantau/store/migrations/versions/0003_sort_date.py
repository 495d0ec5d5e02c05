"""sort_date: the article's event date, else its publication date, stored and indexed

Listing "newest first" and date filters sorted 100k rows on COALESCE(date, published) at every
request; an indexed column answers them from the index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("sort_date", sa.String(length=10), nullable=True))
    op.execute("UPDATE articles SET sort_date = COALESCE(date, published)")
    op.create_index("ix_articles_sort_date", "articles", ["sort_date"])


def downgrade() -> None:
    op.drop_index("ix_articles_sort_date", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("sort_date")
