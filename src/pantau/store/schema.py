"""The store's tables (SQLAlchemy Core), shared by SQLite and PostgreSQL.

One row per article (identified by URL when known, else by content hash), one row per fact with
its ``[start, end)`` span into the article body, stories grouping syndicated copies, and an ingest
log. The schema is versioned by Alembic migrations in ``pantau/store/migrations``; this module is
what they build, and what queries are written against.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True),
    Column("first_article_id", Integer),  # its earliest stored article still in the story
    Column("created_at", DateTime(timezone=True)),
    # kept by the writer for every story a batch touches: "largest first" lists read them from an index
    Column("size", Integer, nullable=False, server_default="0"),
    Column("first_date", String(10)),
    Column("last_date", String(10)),
    Index("ix_stories_size", "size", "id"),
)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(1024), nullable=False, unique=True),  # URL when known, else "sha256:<content hash>"
    Column("record_id", String(512), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("source", Text),
    Column("url", Text),
    Column("title", Text),
    Column("outlet", String(256)),
    Column("dateline", String(256)),
    Column("date", String(10)),
    Column("published", String(10)),
    Column("sort_date", String(10)),  # date, else published: what lists sort and date filters compare
    Column("language", String(8)),
    Column("body", Text, nullable=False),
    Column("story_id", Integer, ForeignKey("stories.id"), index=True),
    Column("record", JSON, nullable=False),  # the full article record, as extracted
    Column("ingested_at", DateTime(timezone=True)),
    # the facet values as full-text words (facets.search_terms), indexed with title and body on SQLite
    Column("search_facets", Text, info={"internal": True}),  # not exported: the index's words, not data
    Index("ix_articles_date", "date"),
    Index("ix_articles_sort_date", "sort_date"),
    Index("ix_articles_outlet", "outlet"),
    Index("ix_articles_record_id", "record_id"),  # /api/articles/{id} and the article page look records up by it
)

article_signatures = Table(
    "article_signatures", metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),  # MinHash hash values, uint64 little-endian
)

# An article's LSH buckets (25 rows an article), looked up by bucket: the primary key is the lookup's index, and
# on SQLite the table is that index (WITHOUT ROWID), so an insert writes one b-tree at a random key, not a
# table, a bucket index and a rowid (migration 0011).
story_bands = Table(
    "story_bands", metadata,
    Column("bucket", BigInteger, primary_key=True, autoincrement=False),  # stories.bucket_key
    Column("band", Integer, primary_key=True, autoincrement=False),
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True, autoincrement=False, index=True),
    sqlite_with_rowid=False,
)


# One row per LSH bucket, with how many articles fell in it. Buckets that template text (the same
# legal boilerplate in every report) fills past a cap stop collecting candidates: they say nothing
# about stories and would make every lookup scan thousands of rows.
story_buckets = Table(
    "story_buckets", metadata,
    Column("bucket", BigInteger, primary_key=True, autoincrement=False),  # stories.bucket_key: one per band
    Column("band", Integer, primary_key=True),
    Column("size", Integer, nullable=False),
)


def _fact(name: str, *columns: Column) -> Table:
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True),
        Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
        *columns,
    )


people = _fact(
    "people",
    Column("name", String(512), nullable=False, index=True),
    Column("rank", String(128)),
    Column("rank_abbr", String(64)),
    Column("position", Text),
    Column("organization", String(512)),
)

person_mentions = Table(
    "person_mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id"), nullable=False, index=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

organizations = _fact(
    "organizations",
    Column("name", String(512), nullable=False, index=True),
    Column("type", String(64)),
    Column("region_code", String(16), index=True),
    Column("parent", String(512)),
    Column("mentions", JSON, nullable=False),
)

locations = _fact(
    "locations",
    Column("name", String(512), nullable=False),
    Column("level", String(16)),
    Column("code", String(16), index=True),
    Column("province_code", String(4), index=True),
    Column("mentions", JSON, nullable=False),
)

seizures = _fact(
    "seizures",
    Column("substance", String(64), nullable=False, index=True),
    Column("term", String(256)),
    Column("quantity", Float),
    Column("unit", String(16)),
    Column("qualifier", String(16)),
    Column("weight_basis", String(16)),
    Column("period", String(32)),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Index("ix_seizures_facts", "article_id", "substance", "unit", "quantity"),  # aggregates read only these
)

statistics = _fact(
    "statistics",
    Column("measure", String(64), nullable=False, index=True),
    Column("subject", String(64)),
    Column("period", String(32)),
    Column("value", Float, nullable=False),
    Column("flags", JSON, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Index("ix_statistics_facts", "article_id", "measure", "subject", "period", "value"),
)

quotes = _fact(
    "quotes",
    Column("text", Text, nullable=False),
    Column("speaker", String(512), index=True),
    Column("cue", String(64)),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
)

legal_refs = _fact(
    "legal_refs",
    Column("law", String(128), nullable=False, index=True),
    Column("article", String(32)),
    Column("paragraph", String(32)),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
)

topics = Table(
    "topics", metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("topic", String(64), primary_key=True),
    Index("ix_topics_topic", "topic"),
)

# One row per article and per value it is grouped or filtered by (its provinces, regencies, month,
# substances, outlet and topics, plus one "all" row), each carrying the article's story and sort date.
# Filters become primary-key ranges of this one narrow table and aggregates scan it without touching
# the wide articles rows (their body and record sit before story_id, in overflow pages).
article_facets = Table(
    "article_facets", metadata,
    Column("kind", String(16), primary_key=True),
    Column("key", String(512), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("story_id", Integer),
    Column("sort_date", String(10)),
    Column("incident_id", Integer),  # aggregates count a fact once per incident (pantau.store.incidents)
    Index("ix_article_facets_sort", "kind", "key", "sort_date", "article_id"),
    Index("ix_article_facets_article_id", "article_id", "kind", "key"),
    sqlite_with_rowid=False,
)

# Incidents: one real-world event however many articles report it (pantau.incidents). Each article
# belongs to one, with the profile it was matched on; incident_keys finds the incidents an article may
# belong to (its province and month, story, suspects...) without scanning; a merged incident leaves a
# redirect so links to it keep working.
incidents = Table(
    "incidents", metadata,
    Column("id", Integer, primary_key=True),
    Column("type", String(32), nullable=False),
    Column("date_first", String(10)),
    Column("date_last", String(10)),
    Column("province_code", String(4)),
    Column("regency_code", String(16)),
    Column("size", Integer, nullable=False, server_default="0"),
    Column("outlets", Integer, nullable=False, server_default="0"),
    Column("first_seen", DateTime(timezone=True)),
    Column("last_seen", DateTime(timezone=True)),
    Column("facts", JSON, nullable=False),  # merged facts, with per-article values where they differ
    Index("ix_incidents_date_first", "date_first"),
    Index("ix_incidents_province_code", "province_code", "date_first"),
    Index("ix_incidents_size", "size", "id"),
)

incident_articles = Table(
    "incident_articles", metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("role", String(16), nullable=False),  # report, follow_up
    Column("note", Text),  # why it joined or opened the incident
    Column("profile", JSON, nullable=False),
)

incident_keys = Table(
    "incident_keys", metadata,
    Column("key", String(600), primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), primary_key=True),
    Index("ix_incident_keys_incident_id", "incident_id"),
    sqlite_with_rowid=False,
)

incident_merges = Table(
    "incident_merges", metadata,
    Column("old_id", Integer, primary_key=True),
    Column("new_id", Integer, nullable=False, index=True),
)

# Early-warning alerts (pantau.alerts), upserted by key each time they are computed: the first-seen
# time stays, the figures follow the data.
alerts = Table(
    "alerts", metadata,
    Column("key", String(300), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("title_id", Text),
    Column("reason", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("region_code", String(16)),
    Column("province_code", String(4)),
    Column("period", String(16)),
    Column("incident_ids", JSON, nullable=False),
    Column("numbers", JSON, nullable=False),
    Column("raised_at", DateTime(timezone=True)),  # the as-of time it was evaluated at
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_alerts_first_seen", "first_seen"),
    Index("ix_alerts_kind", "kind", "first_seen"),
)

# The collector (pantau watch): one row per configured source with its latest round, one per
# feed or sitemap with its conditional-GET validators, one per discovered article URL with its status,
# so a restarted collector resumes and never fetches again what it has ingested.
watch_sources = Table(
    "watch_sources", metadata,
    Column("source", String(100), primary_key=True),
    Column("name", Text),
    Column("enabled", Integer, nullable=False, server_default="1"),
    Column("rounds", Integer, nullable=False, server_default="0"),
    Column("last_round_at", DateTime(timezone=True)),
    Column("last_success_at", DateTime(timezone=True)),
    Column("seen", Integer, nullable=False, server_default="0"),  # items the last round discovered
    Column("new", Integer, nullable=False, server_default="0"),  # of them, ingested for the first time
    Column("failed", Integer, nullable=False, server_default="0"),
    Column("total_ingested", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
)

watch_feeds = Table(
    "watch_feeds", metadata,
    Column("url_key", String(64), primary_key=True),  # sha256 of the URL
    Column("url", Text, nullable=False),
    Column("source", String(100), nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("http_status", Integer),
    Column("checked_at", DateTime(timezone=True)),
)

watch_urls = Table(
    "watch_urls", metadata,
    Column("url_key", String(64), primary_key=True),  # sha256 of the canonical URL
    Column("url", Text, nullable=False),  # canonical
    Column("source", String(100), nullable=False),
    Column("status", String(16), nullable=False),  # pending, ingested, failed, forbidden, skipped
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("http_status", Integer),
    Column("error", Text),
    Column("article_key", String(1024)),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("published", String(40)),  # as the sitemap listed it (ISO), for fetching the newest first
    Column("last_attempt", DateTime(timezone=True)),
    Index("ix_watch_urls_source", "source", "status"),
)

ingest_log = Table(
    "ingest_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", String(64), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("status", String(16), nullable=False),  # ok, unchanged, updated, skipped, failed
    Column("reason", Text),
    Column("article_key", String(1024)),
    Column("created_at", DateTime(timezone=True)),
)

# Tables holding one article's facts, deleted and rewritten when the article changes.
FACT_TABLES = (person_mentions, people, organizations, locations, seizures, statistics, quotes, legal_refs,
               topics, article_facets, story_bands, article_signatures)
EXPORTABLE = {t.name: t for t in (articles, stories, people, person_mentions, organizations, locations, seizures,
                                  statistics, quotes, legal_refs, topics, incidents, incident_articles, alerts,
                                  watch_sources, watch_urls, ingest_log)}
