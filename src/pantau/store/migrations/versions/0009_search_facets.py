"""search facets: an article's filter values as words of its full-text index

A search with filters intersected the full-text matches with the filters' facet rows outside the index:
at a million articles a common word ("sabu", "tersangka") matches hundreds of thousands of them, and
every search paid for all of them. ``articles.search_facets`` holds the article's facet values as words
(``pantau.store.facets.search_terms``: province, regency, month, year, date, substance, outlet, topic), and the
full-text index gets it as a third column, so that "sabu" in province 33 is one intersection of posting
lists that the index reads newest first and stops after a page. PostgreSQL keeps its own search
(tsvector with filters as conditions) and gets the column for a schema the same on both.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TRIGGERS = ("articles_fts_insert", "articles_fts_delete", "articles_fts_update")
_TOKENIZER = "tokenize='unicode61 remove_diacritics 2'"


def _fts(columns: tuple[str, ...]) -> None:
    """The full-text index over ``columns`` of articles, kept in step by triggers, filled from the table."""
    listed = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    # content="articles" (double quotes) is the form Datasette detects for its search box
    op.execute(f'CREATE VIRTUAL TABLE articles_fts USING fts5({listed}, content="articles", '
               f'content_rowid="id", {_TOKENIZER})')
    op.execute("CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
               f"INSERT INTO articles_fts(rowid, {listed}) VALUES (new.id, {new}); END")
    op.execute("CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
               f"INSERT INTO articles_fts(articles_fts, rowid, {listed}) VALUES ('delete', old.id, {old}); END")
    op.execute(f"CREATE TRIGGER articles_fts_update AFTER UPDATE OF {listed} ON articles BEGIN "
               f"INSERT INTO articles_fts(articles_fts, rowid, {listed}) VALUES ('delete', old.id, {old}); "
               f"INSERT INTO articles_fts(rowid, {listed}) VALUES (new.id, {new}); END")
    op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def _drop_fts() -> None:
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS articles_fts")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_fts()  # before the column is filled: the update trigger would index every article twice
    op.add_column("articles", sa.Column("search_facets", sa.Text(), nullable=True))
    # the words of pantau.store.facets.search_terms: kind, "x", the key's UTF-8 bytes in hex
    if sqlite:
        words = "(SELECT group_concat(f.kind || 'x' || lower(hex(f.key)), ' ')"
        year = ("' yearx' || lower(hex(substr(articles.sort_date, 1, 4))) || "
                "' datex' || lower(hex(articles.sort_date)) || ' datedx'")
    else:
        words = "(SELECT string_agg(f.kind || 'x' || encode(convert_to(f.key, 'UTF8'), 'hex'), ' ')"
        year = ("' yearx' || encode(convert_to(substr(articles.sort_date, 1, 4), 'UTF8'), 'hex') || "
                "' datex' || encode(convert_to(articles.sort_date, 'UTF8'), 'hex') || ' datedx'")
    op.execute(f"UPDATE articles SET search_facets = trim(coalesce({words} FROM article_facets f "
               "WHERE f.article_id = articles.id AND f.kind != 'all'), '') || "
               f"CASE WHEN articles.sort_date IS NULL THEN '' ELSE {year} END)")
    if sqlite:
        _fts(("title", "body", "search_facets"))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_fts()
    op.drop_column("articles", "search_facets")
    if sqlite:
        _fts(("title", "body"))
