"""PostgreSQL facet words: a GIN index over ``articles.search_facets``, so that search filters are index lookups

SQLite's search reads the filters as words of its full-text index (0009). PostgreSQL's search took them as
conditions on ``article_facets``: with a common word ("sabu", in half the articles) the planner either joined
every facet row of a province to the articles and read each one's tsvector from the heap (470 ms at 100,000
articles), or walked the articles newest first testing both. With the same words indexed (the 'simple'
configuration keeps ``provincex3136`` as one lexeme), a word and its filters are a BitmapAnd of two GIN
indexes and only the articles passing both are read. SQLite has nothing to do here.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 10:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# pantau.store.search.postgresql.FACET_VECTOR: the same expression, or the planner does not use the index
_VECTOR = "to_tsvector('simple', coalesce(search_facets, ''))"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_articles_search_facets ON articles USING gin ({_VECTOR})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search_facets")
