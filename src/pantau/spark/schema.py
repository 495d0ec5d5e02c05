"""Spark and Arrow schemas of the Parquet output, derived from the one record definition.

The tables are not described a second time: every column comes from walking the pydantic models of
:mod:`pantau.record`, so a field added to ``Article`` (or to ``Person``, ``Seizure``...) appears in
the Spark job's rows, in the Parquet files and in ``pantau load`` without touching this module.

* ``articles`` holds the record's scalar fields and scalar lists (``topics``); every field that is a
  list of models (``people``, ``organizations``, ..., ``legal_refs``) becomes its own table, one row
  per item, carrying the article's ``row_id``, its ``id`` as ``article_id``, the ``ordinal`` of the
  item in the record's list (so the record is rebuilt in order) and the ``year``/``month`` partition.
* ``row_id`` identifies one extracted record of one run: ``Article.id`` is a file stem or a URL hash
  and is not unique across a crawl (two captures of one URL share it).
* ``incident_members`` (one row per ``row_id``) and ``incidents`` (one row per incident, the store's
  summary with its merged facts as JSON) are written by :mod:`pantau.spark.incidents`; their columns
  are declared here, not derived from the record.
* Type mapping: ``str`` -> string, ``int`` -> 64-bit integer, ``float`` -> double, ``bool`` ->
  boolean, ``list[X]`` and fixed tuples (``Span``) -> arrays, models -> structs; ``X | None`` is
  nullable. Spark and Arrow are rendered from one neutral description (:func:`describe`).

pyspark is imported only by :func:`spark_type`/:func:`spark_schema`, so ``pantau load`` (pyarrow
only) works where Spark is not installed.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from pantau.record import Article

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql.types import DataType, StructType

ARTICLES = "articles"
ROW_ID = "row_id"
ARTICLE_ID = "article_id"
ORDINAL = "ordinal"
STORY_ID = "story_id"
SIGNATURE = "signature"
YEAR, MONTH = "year", "month"
PARTITIONS = (YEAR, MONTH)
UNKNOWN = "unknown"
BANDS = "bands"  # internal only: (band, bucket) pairs for story grouping, not written
TALLY = "tally"  # internal only: a partition's counts, as JSON
KEYS = "minhash_keys"  # internal only: position << 32 | value of each MinHash value, compared as sets
PROFILE = "incident_profile"  # internal only: the record's incident profile, as JSON (pantau.incidents.profile)
DIGEST = "content_hash"  # internal only: the store's content hash (an article's identity when it has no URL)
INCIDENT_MEMBERS, INCIDENTS = "incident_members", "incidents"
INCIDENT_TABLES = (INCIDENT_MEMBERS, INCIDENTS)
INCIDENT_ID = "incident_id"

Scalar = Literal["string", "long", "double", "boolean", "binary", "int"]


@dataclass(frozen=True, slots=True)
class Kind:
    """A neutral column type: a scalar, an array of ``item`` or a struct of ``fields``."""

    scalar: Scalar | None = None
    item: Kind | None = None
    fields: tuple[Column, ...] = ()

    @property
    def is_struct(self) -> bool:
        return self.scalar is None and self.item is None


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind
    nullable: bool = True


_SCALARS: dict[type, Scalar] = {str: "string", int: "long", float: "double", bool: "boolean", bytes: "binary"}


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    """(annotation without ``None``, whether ``None`` was allowed); unwraps ``Annotated``."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) != 1:
            raise TypeError(f"unsupported union in the record definition: {annotation!r}")
        inner, _ = _strip_optional(members[0])
        return inner, True
    return annotation, False


def describe(annotation: Any) -> tuple[Kind, bool]:
    """Neutral column type of a record field annotation, and whether it is nullable."""
    annotation, nullable = _strip_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Kind(fields=model_columns(annotation)), nullable
    if annotation in _SCALARS:
        return Kind(scalar=_SCALARS[annotation]), nullable
    origin = get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        args = [a for a in get_args(annotation) if a is not Ellipsis]
        item_kinds = {describe(a)[0] for a in args}
        if len(item_kinds) != 1:
            raise TypeError(f"unsupported heterogeneous sequence in the record definition: {annotation!r}")
        return Kind(item=item_kinds.pop()), nullable
    raise TypeError(f"no column type for {annotation!r}")


@cache
def model_columns(model: type[BaseModel]) -> tuple[Column, ...]:
    """Columns of a pydantic model, in definition order."""
    columns = []
    for name, info in model.model_fields.items():
        kind, nullable = describe(info.annotation)
        columns.append(Column(name, kind, nullable))
    return tuple(columns)


@cache
def child_models() -> dict[str, type[BaseModel]]:
    """Record fields that are lists of models (people, organizations, ...): one table each."""
    children: dict[str, type[BaseModel]] = {}
    for name, info in Article.model_fields.items():
        annotation, _ = _strip_optional(info.annotation)
        if get_origin(annotation) is list:
            (item,) = get_args(annotation)
            item, _ = _strip_optional(item)
            if isinstance(item, type) and issubclass(item, BaseModel):
                children[name] = item
    return children


def article_fields() -> tuple[Column, ...]:
    """The record's own columns written to ``articles`` (everything but the child lists)."""
    return tuple(c for c in model_columns(Article) if c.name not in child_models())


_LONG, _STRING = Kind(scalar="long"), Kind(scalar="string")
_PARTITION_COLUMNS = (Column(YEAR, _STRING, False), Column(MONTH, _STRING, False))


_INT = Kind(scalar="int")

# Incidents are few and span months: their tables are not partitioned. ``incident_id`` is the row_id of
# the article that opened the incident; ``facts`` is the store's merged facts as a JSON string, and
# first/last seen are the earliest and latest publication date (else event date) of its articles.
_INCIDENT_COLUMNS = {
    INCIDENT_MEMBERS: (Column(ROW_ID, _LONG, False), Column(INCIDENT_ID, _LONG, False), Column("role", _STRING, False),
                       Column("note", _STRING)),
    INCIDENTS: (Column(INCIDENT_ID, _LONG, False), Column("type", _STRING, False), Column("date_first", _STRING),
                Column("date_last", _STRING), Column("province_code", _STRING), Column("regency_code", _STRING),
                Column("size", _INT, False), Column("outlets", _INT, False), Column("first_seen", _STRING),
                Column("last_seen", _STRING), Column("facts", _STRING, False)),
}


@cache
def table_columns(table: str) -> tuple[Column, ...]:
    """Columns of one output table, partition columns last (as Spark's ``partitionBy`` writes them)."""
    if table in _INCIDENT_COLUMNS:
        return _INCIDENT_COLUMNS[table]
    if table == ARTICLES:
        return (Column(ROW_ID, _LONG, False), *article_fields(), Column(STORY_ID, _LONG, False),
                Column(SIGNATURE, Kind(scalar="binary"), False), *_PARTITION_COLUMNS)
    model = child_models()[table]
    return (Column(ROW_ID, _LONG, False), Column(ARTICLE_ID, _STRING, False),
            Column(ORDINAL, Kind(scalar="int"), False), *model_columns(model), *_PARTITION_COLUMNS)


def table_names() -> tuple[str, ...]:
    """The record tables (partitioned by month); the incident tables are ``INCIDENT_TABLES``."""
    return (ARTICLES, *child_models())


@cache
def extracted_columns() -> tuple[Column, ...]:
    """The Spark job's internal row: the whole nested record plus row id, partition, MinHash and bands.

    The same frame carries each partition's tally as one more row with only ``tally`` set (so
    counts are made in the one pass that extracts), hence every top-level column is nullable here.
    """
    band = Kind(fields=(Column("band", Kind(scalar="int"), False), Column("bucket", _LONG, False)))
    columns = (Column(ROW_ID, _LONG), *model_columns(Article), Column(SIGNATURE, Kind(scalar="binary")),
               Column(KEYS, Kind(item=_LONG)), Column(BANDS, Kind(item=band)), Column(PROFILE, _STRING),
               Column(DIGEST, _STRING), *_PARTITION_COLUMNS, Column(TALLY, _STRING))
    return tuple(Column(c.name, c.kind, True) for c in columns)


# -- rendering ------------------------------------------------------------------------------------


def spark_type(kind: Kind) -> DataType:
    from pyspark.sql import types as T

    if kind.item is not None:
        return T.ArrayType(spark_type(kind.item), containsNull=False)
    if kind.is_struct:
        return T.StructType([T.StructField(c.name, spark_type(c.kind), c.nullable) for c in kind.fields])
    return {"string": T.StringType(), "long": T.LongType(), "int": T.IntegerType(), "double": T.DoubleType(),
            "boolean": T.BooleanType(), "binary": T.BinaryType()}[kind.scalar]  # type: ignore[index]


def spark_schema(columns: tuple[Column, ...]) -> StructType:
    return spark_type(Kind(fields=columns))  # type: ignore[return-value]


def arrow_type(kind: Kind) -> pa.DataType:
    import pyarrow as pa

    if kind.item is not None:
        return pa.list_(pa.field("element", arrow_type(kind.item), nullable=False))
    if kind.is_struct:
        return pa.struct([pa.field(c.name, arrow_type(c.kind), c.nullable) for c in kind.fields])
    return {"string": pa.string(), "long": pa.int64(), "int": pa.int32(), "double": pa.float64(),
            "boolean": pa.bool_(), "binary": pa.binary()}[kind.scalar]  # type: ignore[index]


def arrow_schema(columns: tuple[Column, ...]) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([pa.field(c.name, arrow_type(c.kind), c.nullable) for c in columns])


# -- values ---------------------------------------------------------------------------------------


def to_row(value: Any, kind: Kind) -> Any:
    """A ``model_dump()`` value as Spark wants it for ``kind``: structs as tuples in column order."""
    if value is None:
        return None
    if kind.item is not None:
        return [to_row(v, kind.item) for v in value]
    if kind.is_struct:
        return tuple(to_row(value.get(c.name), c.kind) for c in kind.fields)
    if kind.scalar == "double":
        return float(value)
    return value


def record_row(article: Article) -> tuple[Any, ...]:
    """The record's fields, in ``model_columns(Article)`` order, as Spark row values."""
    dumped = article.model_dump()
    return tuple(to_row(dumped[c.name], c.kind) for c in model_columns(Article))


def partition_of(article: Article) -> tuple[str, str]:
    """(year, month) of the article's date, else its publication date, else ``unknown``."""
    reference = article.date or article.published or ""
    year = reference[:4]
    if len(year) != 4 or not year.isdigit():
        return UNKNOWN, UNKNOWN
    month = reference[5:7]
    if reference[4:5] != "-" or len(month) != 2 or not month.isdigit():
        return year, UNKNOWN
    return year, month
