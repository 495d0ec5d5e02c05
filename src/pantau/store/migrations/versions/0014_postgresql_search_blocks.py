"""PostgreSQL: the query's words and the filters in one GIN index, and every article's id blocks as filter words

Two changes, both so that a search's cost follows what it returns, not the store's size (measured on a copy of
a synthetic store replicated to a million articles):

* **One index over ``(search, facet_words)``.** With two indexes, a word and a filter were two bitmaps ANDed:
  each index read its whole posting list first, 668,100 entries for "barang bukti" (112 ms) to keep the 46,420
  in one province. In one multi-column GIN index both are keys of one scan, which skips through the long list
  to the entries of the short one: the same bitmap in 14 ms. A query on either column alone uses it as well.
* **Block words.** Each article's facet words get ``block<level>x<n>``, n its id shifted right by the level, at
  levels 16, 18... 30 (blocks of 65,536 ids, 262,144...). A search reads the older articles block by block,
  newest first, larger blocks further back (``search.postgresql.block_ranges``), and a total counts block by block until
  it has enough: the newest block with "sabu" is a bitmap of 19,276 entries in 7 ms, the word alone 292,250
  in 24-30 ms, and growing with the store. A block is one word, which the index scan skips by; a range as
  several words ORed is not (it read every posting of the filter's other words).

Replacing the generated column rewrites the table, builds the index again and analyses the table: 74-86 s at a
million articles on the project's 2-core machine, holding the table's lock. SQLite has nothing to do here.

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

# pantau.store.search.postgresql.BLOCK_LEVELS: a search names blocks by these words
_LEVELS = (16, 18, 20, 22, 24, 26, 28, 30)
_WORDS = ("to_tsvector('simple', coalesce(search_facets, '')"
          + "".join(f" || ' block{level}x' || (id >> {level})::text" for level in _LEVELS) + ")")
_WORDS_0013 = "to_tsvector('simple', coalesce(search_facets, ''))"


def _rebuild(drop: list[str], expression: str, create: list[str]) -> None:
    """Drops the indexes ``drop``, replaces the words column by ``expression`` (one ALTER: the table is
    rewritten once, its other indexes rebuilt) and creates ``create``, with more memory for building indexes
    (a GIN index's posting lists spill and merge many times in the default 64 MB) until it is done: the
    migrations after this one, in the same transaction, get the setting they had."""
    bind = op.get_bind()
    before = bind.exec_driver_sql("SELECT current_setting('maintenance_work_mem')").scalar_one()
    bind.exec_driver_sql("SELECT set_config('maintenance_work_mem', '256MB', true)")
    for index in drop:
        op.execute(f"DROP INDEX IF EXISTS {index}")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS facet_words, "
               f"ADD COLUMN facet_words tsvector GENERATED ALWAYS AS ({expression}) STORED")
    for statement in create:
        op.execute(statement)
    # the new column has no statistics: until the next ANALYZE the planner guessed its filters (a search of the
    # drugs topic at a million articles took 1.4 s instead of 17 ms)
    op.execute("ANALYZE articles")
    bind.exec_driver_sql("SELECT set_config('maintenance_work_mem', %(value)s, true)", {"value": before})


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(["ix_articles_facet_words", "ix_articles_search"], _WORDS,
                 ["CREATE INDEX ix_articles_search_filters ON articles USING gin (search, facet_words)"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(["ix_articles_search_filters"], _WORDS_0013,
                 ["CREATE INDEX ix_articles_search ON articles USING gin (search)",
                  "CREATE INDEX ix_articles_facet_words ON articles USING gin (facet_words)"])
