"""initial schema: articles, stories, facts, ingest log, full-text search

Revision ID: 0001
Revises:
Create Date: 2026-11-23 15:09:31.044437
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ingest_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('article_key', sa.String(length=1024), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingest_log'))
    )
    with op.batch_alter_table('ingest_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ingest_log_run_id'), ['run_id'], unique=False)

    op.create_table('stories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_article_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stories'))
    )
    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=1024), nullable=False),
    sa.Column('record_id', sa.String(length=512), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('outlet', sa.String(length=256), nullable=True),
    sa.Column('dateline', sa.String(length=256), nullable=True),
    sa.Column('date', sa.String(length=10), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=True),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_articles_story_id_stories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('key', name=op.f('uq_articles_key'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_date', ['date'], unique=False)
        batch_op.create_index('ix_articles_outlet', ['outlet'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_story_id'), ['story_id'], unique=False)

    op.create_table('article_signatures',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_signatures_article_id_articles')),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_article_signatures'))
    )
    op.create_table('legal_refs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('law', sa.String(length=128), nullable=False),
    sa.Column('article', sa.String(length=32), nullable=True),
    sa.Column('paragraph', sa.String(length=32), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_legal_refs_article_id_articles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_refs'))
    )
    with op.batch_alter_table('legal_refs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_refs_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_legal_refs_law'), ['law'], unique=False)

    op.create_table('locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=512), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=True),
    sa.Column('code', sa.String(length=16), nullable=True),
    sa.Column('province_code', sa.String(length=4), nullable=True),
    sa.Column('mentions', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_locations_article_id_articles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations'))
    )
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_locations_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_locations_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_locations_province_code'), ['province_code'], unique=False)

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=512), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=True),
    sa.Column('region_code', sa.String(length=16), nullable=True),
    sa.Column('parent', sa.String(length=512), nullable=True),
    sa.Column('mentions', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_organizations_article_id_articles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations'))
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizations_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizations_region_code'), ['region_code'], unique=False)

    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=512), nullable=False),
    sa.Column('rank', sa.String(length=128), nullable=True),
    sa.Column('rank_abbr', sa.String(length=64), nullable=True),
    sa.Column('position', sa.Text(), nullable=True),
    sa.Column('organization', sa.String(length=512), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_people_article_id_articles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_name'), ['name'], unique=False)

    op.create_table('quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('speaker', sa.String(length=512), nullable=True),
    sa.Column('cue', sa.String(length=64), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_quotes_article_id_articles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes'))
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_speaker'), ['speaker'], unique=False)

    op.create_table('seizures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('substance', sa.String(length=64), nullable=False),
    sa.Column('term', sa.String(length=256), nullable=True),
    sa.Column('quantity', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=16), nullable=True),
    sa.Column('qualifier', sa.String(length=16), nullable=True),
    sa.Column('weight_basis', sa.String(length=16), nullable=True),
    sa.Column('period', sa.String(length=32), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_seizures_article_id_articles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seizures'))
    )
    with op.batch_alter_table('seizures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seizures_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seizures_substance'), ['substance'], unique=False)

    op.create_table('statistics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('measure', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=True),
    sa.Column('period', sa.String(length=32), nullable=True),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_statistics_article_id_articles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statistics'))
    )
    with op.batch_alter_table('statistics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statistics_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statistics_measure'), ['measure'], unique=False)

    op.create_table('story_bands',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('band', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.String(length=40), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_story_bands_article_id_articles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_bands'))
    )
    with op.batch_alter_table('story_bands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_bands_article_id'), ['article_id'], unique=False)
        batch_op.create_index('ix_story_bands_band_bucket', ['band', 'bucket'], unique=False)

    op.create_table('topics',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_topics_article_id_articles')),
    sa.PrimaryKeyConstraint('article_id', 'topic', name=op.f('pk_topics'))
    )
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.create_index('ix_topics_topic', ['topic'], unique=False)

    op.create_table('person_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_person_mentions_article_id_articles')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_mentions_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_mentions'))
    )
    with op.batch_alter_table('person_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_mentions_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_mentions_person_id'), ['person_id'], unique=False)

    _create_search()


def downgrade() -> None:
    _drop_search()
    with op.batch_alter_table('person_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_mentions_person_id'))
        batch_op.drop_index(batch_op.f('ix_person_mentions_article_id'))

    op.drop_table('person_mentions')
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_index('ix_topics_topic')

    op.drop_table('topics')
    with op.batch_alter_table('story_bands', schema=None) as batch_op:
        batch_op.drop_index('ix_story_bands_band_bucket')
        batch_op.drop_index(batch_op.f('ix_story_bands_article_id'))

    op.drop_table('story_bands')
    with op.batch_alter_table('statistics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statistics_measure'))
        batch_op.drop_index(batch_op.f('ix_statistics_article_id'))

    op.drop_table('statistics')
    with op.batch_alter_table('seizures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seizures_substance'))
        batch_op.drop_index(batch_op.f('ix_seizures_article_id'))

    op.drop_table('seizures')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_speaker'))
        batch_op.drop_index(batch_op.f('ix_quotes_article_id'))

    op.drop_table('quotes')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_name'))
        batch_op.drop_index(batch_op.f('ix_people_article_id'))

    op.drop_table('people')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizations_region_code'))
        batch_op.drop_index(batch_op.f('ix_organizations_name'))
        batch_op.drop_index(batch_op.f('ix_organizations_article_id'))

    op.drop_table('organizations')
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locations_province_code'))
        batch_op.drop_index(batch_op.f('ix_locations_code'))
        batch_op.drop_index(batch_op.f('ix_locations_article_id'))

    op.drop_table('locations')
    with op.batch_alter_table('legal_refs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_refs_law'))
        batch_op.drop_index(batch_op.f('ix_legal_refs_article_id'))

    op.drop_table('legal_refs')
    op.drop_table('article_signatures')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_story_id'))
        batch_op.drop_index('ix_articles_outlet')
        batch_op.drop_index('ix_articles_date')

    op.drop_table('articles')
    op.drop_table('stories')
    with op.batch_alter_table('ingest_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ingest_log_run_id'))

    op.drop_table('ingest_log')


def _create_search() -> None:
    """Full-text search over title and body: FTS5 on SQLite, a tsvector ('indonesian') on PostgreSQL."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # content="articles" (double quotes) is the form Datasette detects for its search box
        op.execute('CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content="articles", '
                   "content_rowid=\"id\", tokenize='unicode61 remove_diacritics 2')")
        op.execute("CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
                   "INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END")
        op.execute("CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
                   "INSERT INTO articles_fts(articles_fts, rowid, title, body) "
                   "VALUES ('delete', old.id, old.title, old.body); END")
        op.execute("CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN "
                   "INSERT INTO articles_fts(articles_fts, rowid, title, body) "
                   "VALUES ('delete', old.id, old.title, old.body); "
                   "INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END")
    elif dialect == "postgresql":
        op.execute("ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
                   "setweight(to_tsvector('indonesian', coalesce(title, '')), 'A') || "
                   "setweight(to_tsvector('indonesian', coalesce(body, '')), 'B')) STORED")
        op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search)")


def _drop_search() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search")
