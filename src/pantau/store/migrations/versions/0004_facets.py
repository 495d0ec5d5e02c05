"""article facets and story summaries: filters and aggregates without the wide article rows

Every filter and aggregate joined the articles table for an article's story and date; on SQLite
those columns sit after the body and the record, in overflow pages, and an aggregate over 100k
articles read most of the file. ``article_facets`` holds, per article, one narrow row for each value
it is filtered or grouped by; ``stories`` keeps its size and dates, so "largest first" is an index;
aggregates read seizures and statistics from covering indexes; records are looked up by their id.
Both are filled here for stores written before.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 19:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_FACET = "INSERT INTO article_facets (kind, key, article_id, story_id, sort_date) "
_OF_ARTICLE = "JOIN article_facets f ON f.kind = 'all' AND f.key = '' AND f.article_id = x.article_id"


def upgrade() -> None:
    op.create_table(
        "article_facets",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("sort_date", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"],
                                name=op.f("fk_article_facets_article_id_articles")),
        sa.PrimaryKeyConstraint("kind", "key", "article_id", name=op.f("pk_article_facets")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_article_facets_sort", "article_facets", ["kind", "key", "sort_date", "article_id"])
    op.create_index("ix_article_facets_article_id", "article_facets", ["article_id", "kind", "key"])
    op.create_index("ix_seizures_facts", "seizures", ["article_id", "substance", "unit", "quantity"])
    op.create_index("ix_statistics_facts", "statistics", ["article_id", "measure", "subject", "period", "value"])
    op.execute(_FACET + "SELECT 'all', '', id, story_id, sort_date FROM articles")
    op.execute(_FACET + "SELECT 'month', SUBSTR(sort_date, 1, 7), id, story_id, sort_date FROM articles "
               "WHERE sort_date IS NOT NULL")
    op.execute(_FACET + "SELECT 'outlet', outlet, id, story_id, sort_date FROM articles WHERE outlet IS NOT NULL")
    op.execute(_FACET + "SELECT DISTINCT 'province', x.province_code, x.article_id, f.story_id, f.sort_date "
               f"FROM locations x {_OF_ARTICLE} WHERE x.province_code IS NOT NULL")
    op.execute(_FACET + "SELECT DISTINCT 'regency', x.code, x.article_id, f.story_id, f.sort_date "
               f"FROM locations x {_OF_ARTICLE} WHERE x.level IN ('regency', 'city') AND x.code IS NOT NULL")
    op.execute(_FACET + "SELECT DISTINCT 'substance', x.substance, x.article_id, f.story_id, f.sort_date "
               f"FROM seizures x {_OF_ARTICLE}")
    op.execute(_FACET + "SELECT DISTINCT 'topic', x.topic, x.article_id, f.story_id, f.sort_date "
               f"FROM topics x {_OF_ARTICLE}")

    op.add_column("stories", sa.Column("size", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("stories", sa.Column("first_date", sa.String(length=10), nullable=True))
    op.add_column("stories", sa.Column("last_date", sa.String(length=10), nullable=True))
    op.execute("UPDATE stories SET "
               "size = (SELECT COUNT(*) FROM articles a WHERE a.story_id = stories.id), "
               "first_date = (SELECT MIN(a.sort_date) FROM articles a WHERE a.story_id = stories.id), "
               "last_date = (SELECT MAX(a.sort_date) FROM articles a WHERE a.story_id = stories.id), "
               "first_article_id = (SELECT MIN(a.id) FROM articles a WHERE a.story_id = stories.id)")
    op.create_index("ix_stories_size", "stories", ["size", "id"])
    op.create_index("ix_articles_record_id", "articles", ["record_id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE")  # planner statistics for the new table and indexes


def downgrade() -> None:
    op.drop_index("ix_articles_record_id", table_name="articles")
    op.drop_index("ix_stories_size", table_name="stories")
    # plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): a batch rebuild would drop the table articles refer to
    for column in ("last_date", "first_date", "size"):
        op.drop_column("stories", column)
    op.drop_index("ix_statistics_facts", table_name="statistics")
    op.drop_index("ix_seizures_facts", table_name="seizures")
    op.drop_index("ix_article_facets_article_id", table_name="article_facets")
    op.drop_index("ix_article_facets_sort", table_name="article_facets")
    op.drop_table("article_facets")
