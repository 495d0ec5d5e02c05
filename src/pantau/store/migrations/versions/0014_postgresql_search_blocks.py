"""PostgreSQL: the query's words and the filters in one GIN index, and every article's id block as a filter word

Two changes, both so that a search's cost follows what it returns, not the store's size (measured on a copy of
a synthetic store replicated to a million articles):

* **One index over ``(search, facet_words)``.** With two indexes, a word and a filter were two bitmaps ANDed:
  each index read its whole posting list first, 668,100 entries for "barang bukti" (112 ms) to keep the 46,420
  in one province. In one multi-column GIN index both are keys of one scan, which skips through the long list
  to the entries of the short one: the same bitmap in 14 ms. A query on either column alone uses it as well.
* **A block word.** Each article's facet words get ``block<n>``, n its id shifted right by 16 (blocks of 65,536
  ids). A search reads the older articles block by block, newest first (``search._newest_postgresql``), and a
  total counts block by block until it has enough: the newest block with "sabu" is a bitmap of 19,276 entries
  in 7 ms, the word alone 292,250 in 24-30 ms, and growing with the store.

Replacing the generated column rewrites the table and builds the index again: a few minutes at a million
articles, holding the table's lock. SQLite has nothing to do here.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 02:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# pantau.store.search.BLOCK_BITS is this shift: a search names blocks by it
_WORDS = "to_tsvector('simple', coalesce(search_facets, '') || ' block' || (id >> 16)::text)"
_WORDS_0013 = "to_tsvector('simple', coalesce(search_facets, ''))"


def _replace_words(expression: str) -> None:
    # one ALTER: the table is rewritten once
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS facet_words, "
               f"ADD COLUMN facet_words tsvector GENERATED ALWAYS AS ({expression}) STORED")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_facet_words")
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        _replace_words(_WORDS)
        op.execute("CREATE INDEX ix_articles_search_filters ON articles USING gin (search, facet_words)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search_filters")
        _replace_words(_WORDS_0013)
        op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search)")
        op.execute("CREATE INDEX ix_articles_facet_words ON articles USING gin (facet_words)")
