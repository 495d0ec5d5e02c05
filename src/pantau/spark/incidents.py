"""Incidents of a ``pantau spark`` output: the store's grouping, run on the driver over collected profiles.

An incident is one event however many articles report it (``docs/incidents.md``). Grouping is
incremental (:func:`pantau.incidents.group.assign`): each article is compared with the incidents
before it, so the result depends on the order. The store assigns articles in the order it writes
them, and ``pantau load`` writes this output month partition by month partition, in ``row_id``
order within each. Here the same ``assign`` runs in that order, so loading the output builds the
incidents written here:

* executors build each record's profile (:func:`pantau.incidents.profile.profile_of`, during
  extraction); the driver collects per record only the profile JSON, the MinHash signature, the
  story, the identity the store keys articles by (URL, else content hash) and a few dates;
* profiles are keyed by the row id of the first row of their article, and a catalog lists every
  incident's members in load order, as the store lists them (by article id): ``assign`` compares
  only an incident's last ``max_members``, so the order decides which;
* a second row of the same article with the same content is what the store calls "unchanged": it
  is no new member; with changed content ("updated") the article leaves its incident and is
  assigned again;
* each incident's summary is the store's (:func:`pantau.store.incidents.summarise`), first and last
  seen being the publication dates of its articles (the store has ingestion times there).

Memory: the driver holds every profile with its signature and lookup keys (measured in
``docs/spark.md``). Grouping per province and month on executors would lift that limit but changes
the semantics (an article finds incidents through its story, suspects and wording across provinces).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from pantau.incidents.group import MemoryCatalog, assign
from pantau.incidents.match import MatchConfig, match_config
from pantau.incidents.profile import Profile
from pantau.spark import schema as sch
from pantau.store.incidents import summarise
from pantau.store.stories import from_bytes

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# what the driver collects of each record, in this order
INPUT_COLUMNS = (sch.ROW_ID, sch.YEAR, sch.MONTH, sch.STORY_ID, sch.PROFILE, sch.SIGNATURE, sch.DIGEST, "url",
                 "outlet", "published")
ROWS_PER_FILE = 500_000  # incident rows per Parquet file


@dataclass(frozen=True, slots=True)
class GroupingInput:
    """One record as grouping needs it (a row of ``INPUT_COLUMNS``)."""

    row_id: int
    year: str
    month: str
    story_id: int
    profile: str  # Profile.to_json(), as JSON
    signature: bytes
    digest: str  # the store's content hash
    url: str | None
    outlet: str | None
    published: str | None

    @property
    def key(self) -> str:
        """The article's identity in the store (``pantau.store.writer.article_key``)."""
        return self.url or f"sha256:{self.digest}"


@dataclass
class LoadOrderCatalog(MemoryCatalog):
    """A :class:`MemoryCatalog` that keeps incidents as the store's catalog keeps them, where the two differ.

    * Members stay in load order after a merge (the store lists them by article id), not by date.
    * ``release`` takes a changed article out of its incident, as the store does.
    """

    position: dict[str, int] = field(default_factory=dict)  # profile key -> place in load order

    def _order(self, members: list[Profile]) -> None:
        members.sort(key=lambda p: self.position[p.article])

    def release(self, article: str) -> None:
        """Take an article out of its incident before it is assigned again. The incident keeps its
        lookup keys (as in the store); left empty, it is never a candidate (it has no member to compare
        with) and is not written."""
        incident = self.of_article.pop(article)
        self.members[incident] = [p for p in self.members[incident] if p.article != article]
        self.joined.pop(incident, None)
        self.roles.pop(article, None)


@dataclass(slots=True)
class _Article:
    """The current state of one store article: its newest row and what the summary reads of it."""

    first_row: int
    row: int
    outlet: str | None
    published: str | None
    digest: str
    note: str = ""


@dataclass(slots=True)
class Grouped:
    """Incidents of an output: membership rows and summary rows, in the incident tables' column order."""

    members: list[tuple[int, int, str, str]] = field(default_factory=list)  # row_id, incident_id, role, note
    incidents: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.incidents)


def _seen(published: str | None, fallback: str | None) -> datetime | None:
    """The publication date (else the event date) as a naive datetime: dates alone compare safely."""
    for value in (published, fallback):
        try:
            return datetime.combine(date.fromisoformat(value[:10]), time())
        except (TypeError, ValueError):  # none, or not a date
            continue
    return None


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


def group_incidents(inputs: Iterable[GroupingInput], config: MatchConfig | None = None) -> Grouped:
    """Incidents of ``inputs``, which must come in load order: (year, month, row_id)."""
    config = config or match_config()
    catalog = LoadOrderCatalog()
    articles: dict[str, _Article] = {}  # store key -> article
    named: dict[str, _Article] = {}  # profile key (first row id) -> article
    rows: list[tuple[int, str]] = []  # every row: (row_id, article key)
    notes: dict[int, str] = {}  # rows that are no member of their own: an unchanged copy, a replaced version
    opened: dict[int, int] = {}  # catalog incident -> row_id of the row that opened it
    last: tuple[str, str, int] | None = None
    for item in inputs:
        place = (item.year, item.month, item.row_id)
        if last is not None and place <= last:
            raise ValueError(f"grouping inputs out of load order: {place} after {last}")
        last = place
        known = articles.get(item.key)
        if known is not None and known.digest == item.digest:
            rows.append((item.row_id, item.key))
            notes[item.row_id] = f"unchanged copy of row {known.row}"  # the store writes nothing
            continue
        if known is None:
            known = articles[item.key] = _Article(item.row_id, item.row_id, item.outlet, item.published, item.digest)
            named[str(item.row_id)] = known
            catalog.position[str(item.row_id)] = len(catalog.position)
        else:  # a changed copy replaces the article: out of its incident, then assigned again
            catalog.release(str(known.first_row))
            notes[known.row] = f"replaced by row {item.row_id}"
            known.row, known.outlet, known.published, known.digest = (item.row_id, item.outlet, item.published,
                                                                      item.digest)
        data = json.loads(item.profile)
        data["article"], data["story"] = str(known.first_row), item.story_id
        result = assign(Profile.from_json(data, from_bytes(item.signature)), catalog, config)
        if result.created:
            opened[result.incident] = item.row_id
        known.note = result.note
        rows.append((item.row_id, item.key))
    grouped = Grouped()
    for row_id, key in rows:
        article = articles[key]
        name = str(article.first_row)
        grouped.members.append((row_id, opened[catalog.of_article[name]], catalog.roles[name],
                                notes.get(row_id, article.note)))
    grouped.members.sort()
    for incident, profiles in sorted(catalog.members.items(), key=lambda kv: opened[kv[0]]):
        if not profiles:
            continue
        summary = summarise([(p, catalog.roles[p.article], named[p.article].outlet,
                               _seen(named[p.article].published, p.date)) for p in profiles])
        grouped.incidents.append((
            opened[incident], summary["type"], summary["date_first"], summary["date_last"],
            summary["province_code"], summary["regency_code"], summary["size"], summary["outlets"],
            _day(summary["first_seen"]), _day(summary["last_seen"]), json.dumps(summary["facts"], ensure_ascii=False)))
    return grouped


def collect_inputs(records: DataFrame) -> Iterator[GroupingInput]:
    """``records`` (with ``story_id``) as grouping inputs, in load order, streamed to the driver a partition at
    a time: only the profiles, signatures and stories stay in the driver's memory, not the rows."""
    ordered = records.select(*INPUT_COLUMNS).orderBy(sch.YEAR, sch.MONTH, sch.ROW_ID)
    for row in ordered.toLocalIterator():
        yield GroupingInput(*row)


def incident_frames(spark: SparkSession, grouped: Grouped) -> dict[str, DataFrame]:
    """The incident tables of ``grouped`` as frames, a file per ``ROWS_PER_FILE`` rows (they are not partitioned)."""
    frames = {}
    for name, rows in ((sch.INCIDENT_MEMBERS, grouped.members), (sch.INCIDENTS, grouped.incidents)):
        files = max(1, -(-len(rows) // ROWS_PER_FILE))
        frames[name] = (spark.createDataFrame(rows, sch.spark_schema(sch.table_columns(name)), verifySchema=False)
                        .coalesce(files))
    return frames
