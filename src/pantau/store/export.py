"""``pantau export``: any table as CSV, JSON Lines or Parquet, streamed in chunks."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import Column, Connection, select

from pantau.store.schema import EXPORTABLE

FORMATS = ("csv", "jsonl", "parquet", "geojson")
CHUNK_ROWS = 5000


def exported_columns(table_name: str) -> list[Column[Any]]:
    """The columns of ``table_name`` an export writes: all but those the schema marks internal (index words)."""
    return [c for c in EXPORTABLE[table_name].columns if not c.info.get("internal")]


def arrow_schema(table_name: str):  # type: ignore[no-untyped-def]
    """Parquet column types from the table definition (JSON, dates and bytes become text)."""
    import pyarrow as pa
    from sqlalchemy import Float, Integer

    fields = []
    for column in exported_columns(table_name):
        if isinstance(column.type, Integer):
            kind = pa.int64()
        elif isinstance(column.type, Float):
            kind = pa.float64()
        else:
            kind = pa.string()
        fields.append(pa.field(column.name, kind))
    return pa.schema(fields)


def _rows(conn: Connection, table_name: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    if table_name not in EXPORTABLE:
        raise ValueError(f"unknown table {table_name!r}: use one of {', '.join(sorted(EXPORTABLE))}")
    table = EXPORTABLE[table_name]
    selected = exported_columns(table_name)
    columns = [c.name for c in selected]
    result = conn.execution_options(stream_results=True, yield_per=CHUNK_ROWS).execute(
        select(*selected).order_by(*table.primary_key.columns))
    return columns, (dict(row._mapping) for row in result)


def _plain(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bytes):
        return value.hex()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def export_table(conn: Connection, table_name: str, fmt: str, stream: IO[Any]) -> int:
    """Write ``table_name`` to ``stream`` (text for csv/jsonl, binary for parquet); returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    columns, rows = _rows(conn, table_name)
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _plain(v) for k, v in row.items()})
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            stream.write(json.dumps({k: _plain(v) if isinstance(v, bytes) or hasattr(v, "isoformat") else v
                                     for k, v in row.items()}, ensure_ascii=False) + "\n")
            count += 1
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = arrow_schema(table_name)
        writer = pq.ParquetWriter(stream, schema)
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append({k: _plain(v) for k, v in row.items()})
            count += 1
            if len(chunk) >= CHUNK_ROWS:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk.clear()
        if chunk:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
        writer.close()
    return count


def export_geojson(conn: Connection, stream: IO[str], filters: Any = None) -> int:
    """Per-province aggregates on the shipped province boundaries, as a GeoJSON FeatureCollection.

    Provinces without a polygon of their own in the boundary file (Kalimantan Utara, the 2022 Papua
    provinces) are added to their parent's feature, and listed in its ``includes``.
    """
    from importlib import resources

    from pantau.store.queries import aggregate

    boundaries = json.loads(resources.files("pantau.data").joinpath("provinces.geojson").read_text(encoding="utf-8"))
    parent_of = {child: f["properties"]["code"] for f in boundaries["features"]
                 for child in f["properties"].get("includes", [])}
    totals: dict[str, dict[str, Any]] = {}
    for group in aggregate(conn, "province", filters):
        code = parent_of.get(group.key, group.key)
        entry = totals.setdefault(code, {"articles": 0, "stories": 0, "cases": 0.0, "suspects": 0.0, "seizures": {}})
        entry["articles"] += group.articles
        entry["stories"] += group.stories
        entry["cases"] += group.cases
        entry["suspects"] += group.suspects
        for (substance, unit), total in group.seizures.items():
            key = f"{substance} ({unit})"
            entry["seizures"][key] = entry["seizures"].get(key, 0.0) + total
    features = []
    for feature in boundaries["features"]:
        code = feature["properties"]["code"]
        values = totals.get(code, {"articles": 0, "stories": 0, "cases": 0.0, "suspects": 0.0, "seizures": {}})
        features.append({**feature, "properties": {**feature["properties"], **values}})
    json.dump({"type": "FeatureCollection", "features": features}, stream, ensure_ascii=False)
    return len(features)
