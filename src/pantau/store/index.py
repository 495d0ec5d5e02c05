"""An in-memory facet index: aggregates, rankings and list pages of a store in milliseconds.

Aggregates count each incident's facts once per group, so SQL has to touch every matching facet and
fact row and sort them for DISTINCT: on a 100k-article store that is 0.1-1 s a query in SQLite and
50-150 ms in an in-memory DuckDB copy of the same rows (both measured, ``docs/api.md``). The index
keeps those rows as integer arrays, presorted by (group, incident, fact), so a filter is a boolean mask
over articles and "distinct per incident" is a comparison of neighbours: milliseconds for any grouping
and filter.

It answers exactly what the SQL in :mod:`pantau.store.queries` and :mod:`pantau.store.read` answers
(``tests/store/test_index.py`` checks both against one oracle); the SQL stays the reference, serves
the CLI, and serves the API until an index is loaded.

An index is immutable: ``updated`` returns a new one in which the articles written since its version
are read again from the store (the ingest log names them: every batch logs the keys it wrote), so
threads answering from the old one are never disturbed. Re-reading is idempotent: rows committed
while an index was being read are simply read again by the next update.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, bindparam, text

from pantau.store.cache import data_version
from pantau.store.db import driver_rows
from pantau.store.facets import GROUPINGS
from pantau.store.queries import Filters, GroupStats, _label

log = logging.getLogger(__name__)

CHANGED = ("ok", "updated", "regrouped")  # ingest-log statuses of rows that wrote or regrouped an article
IN_CHUNK = 500
MEASURES = ("cases", "suspects")
NONE = -1  # the code of a missing string, story or date
I64 = np.int64
I32 = np.int32  # the derived rows: positions, key and fact numbers and story ids fit, at half the memory


class Vocabulary:
    """Strings as integer codes, shared by every version of an index (codes are only ever added)."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}
        self.strings: list[str] = []
        self._lock = threading.Lock()

    def encode(self, values: Iterable[str | None]) -> np.ndarray:
        codes, strings, out = self._codes, self.strings, []
        with self._lock:
            for value in values:
                if value is None:
                    out.append(NONE)
                    continue
                code = codes.get(value)
                if code is None:
                    code = codes[value] = len(strings)
                    strings.append(value)
                out.append(code)
        return np.asarray(out, dtype=I64)

    def code(self, value: str) -> int:
        return self._codes.get(value, NONE)

    def decode(self, code: int) -> str | None:
        return None if code == NONE else self.strings[code]


# --- the rows an index is built from ---------------------------------------------------------------------------
# name -> (SELECT ... FROM ..., columns, string columns): the narrow columns the reads need
_SOURCES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "articles": ("SELECT article_id, story_id, sort_date, incident_id FROM article_facets WHERE kind = 'all'",
                 ("article_id", "story_id", "sort_date", "incident_id"), ()),
    "facets": ("SELECT kind, key, article_id FROM article_facets WHERE kind <> 'all'",
               ("kind", "key", "article_id"), ("kind", "key")),
    "seizures": ("SELECT id, article_id, substance, unit, quantity FROM seizures",
                 ("id", "article_id", "substance", "unit", "quantity"), ("substance", "unit")),
    "statistics": ("SELECT id, article_id, measure, subject, period, value FROM statistics",
                   ("id", "article_id", "measure", "subject", "period", "value"), ("measure", "subject", "period")),
    "quotes": ("SELECT id, article_id, speaker FROM quotes", ("id", "article_id", "speaker"), ("speaker",)),
    "people": ("SELECT id, article_id, name FROM people", ("id", "article_id", "name"), ("name",)),
    "organizations": ("SELECT id, article_id, name, type, region_code, parent FROM organizations",
                      ("id", "article_id", "name", "type", "region_code", "parent"),
                      ("name", "type", "region_code", "parent")),
}
_FLOATS = {"quantity", "value"}
Raw = dict[str, dict[str, np.ndarray]]


def _date_number(value: str | None) -> int:
    """'2024-03-05' as 20240305 (ordered as the text is); a missing or malformed date is NONE."""
    if not value or len(value) < 10 or not (value[:4] + value[5:7] + value[8:10]).isdigit():
        return NONE
    return int(value[:4]) * 10000 + int(value[5:7]) * 100 + int(value[8:10])


def _bound_number(value: str) -> int:
    """A date filter ('2024', '2024-03', '2024-03-05') as a number comparing as the text does with dates."""
    parts = [int(p) for p in value.split("-")] + [0, 0]
    return parts[0] * 10000 + parts[1] * 100 + parts[2]


def _month_text(number: int) -> str:
    return f"{number // 100:04d}-{number % 100:02d}"


def _date_text(number: int) -> str | None:
    return None if number == NONE else f"{number // 10000:04d}-{number // 100 % 100:02d}-{number % 100:02d}"


def _column(name: str, data: tuple[Any, ...], strings: tuple[str, ...], vocabulary: Vocabulary) -> np.ndarray:
    if name in strings:
        return vocabulary.encode(data)
    if name == "sort_date":
        return np.fromiter((_date_number(v) for v in data), dtype=I64, count=len(data))
    if name in _FLOATS:
        return np.fromiter((np.nan if v is None else v for v in data), dtype=np.float64, count=len(data))
    return np.fromiter((NONE if v is None else v for v in data), dtype=I64, count=len(data))


def _read(conn: Connection, vocabulary: Vocabulary, name: str, ids: list[int] | None = None) -> dict[str, np.ndarray]:
    """The rows of source ``name`` (of the articles ``ids`` only, if given) as arrays, strings as codes.

    Through the driver's cursor (``db.driver_rows``); the ids are bound parameters.
    """
    sql, columns, strings = _SOURCES[name]
    if ids is not None:
        sql += (" AND " if " WHERE " in sql else " WHERE ") + f"article_id IN ({', '.join('?' * len(ids))})"
    rows = driver_rows(conn, sql, ids or ())
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    return {column: _column(column, data, strings, vocabulary) for column, data in zip(columns, values, strict=True)}


def _changed_articles(conn: Connection, since: int, until: int) -> list[int]:
    keys = conn.execute(text(
        "SELECT DISTINCT article_key FROM ingest_log WHERE id > :since AND id <= :until "
        "AND status IN :changed AND article_key IS NOT NULL").bindparams(bindparam("changed", expanding=True)),
        {"since": since, "until": until, "changed": list(CHANGED)}).scalars().all()
    ids: list[int] = []
    for start in range(0, len(keys), IN_CHUNK):
        ids += conn.execute(text("SELECT id FROM articles WHERE key IN :keys")
                            .bindparams(bindparam("keys", expanding=True)),
                            {"keys": list(keys[start:start + IN_CHUNK])}).scalars().all()
    return sorted(ids)


# --- array helpers ---------------------------------------------------------------------------------------------
def _factorize(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Numbers of the distinct value combinations of ``columns``: (number per row, a row of each number).

    Numbers follow the combinations' order (first column first), like a sort on the columns.
    """
    rows = len(columns[0])
    combined = np.zeros(rows, dtype=I64)
    for column in columns:
        values, inverse = np.unique(column, return_inverse=True)
        combined = combined * len(values) + inverse.ravel()
        _, combined = np.unique(combined, return_inverse=True)  # renumbered densely: never overflows
        combined = combined.ravel()
    _, first, numbers = np.unique(combined, return_index=True, return_inverse=True)
    return numbers.ravel(), first


def _expand(rows_article: np.ndarray, facts_article: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Join on article: (row index, fact index) for every row and every fact of the row's article."""
    order = np.argsort(facts_article, kind="stable")
    sorted_articles = facts_article[order]
    starts = np.searchsorted(sorted_articles, rows_article, side="left")
    counts = np.searchsorted(sorted_articles, rows_article, side="right") - starts
    rows = np.repeat(np.arange(len(rows_article)), counts)
    if len(rows) == 0:
        return rows, rows
    within = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    return rows, order[np.repeat(starts, counts) + within]


def _first_of_runs(*columns: np.ndarray) -> np.ndarray:
    """Rows that differ from the row before in any of ``columns`` (rows sorted on them)."""
    new = np.zeros(len(columns[0]), dtype=bool)
    if len(new):
        new[0] = True
        for column in columns:
            new[1:] |= column[1:] != column[:-1]
    return new


def _text_order(strings: list[str]) -> np.ndarray:
    """Positions of ``strings`` in code-point order (SQL's binary collation)."""
    return np.argsort(np.asarray(strings, dtype=str), kind="stable") if strings else np.zeros(0, dtype=I64)


@dataclass(slots=True)
class _Rows:
    """Rows sorted by (key, story, then article or fact), each with its article position."""

    key: np.ndarray
    story: np.ndarray
    article: np.ndarray
    fact: np.ndarray | None = None
    by_article: np.ndarray | None = None  # row numbers in article order ...
    article_offsets: np.ndarray | None = None  # ... the rows of article a: by_article[offsets[a]:offsets[a + 1]]

    def indexed(self, articles: int) -> _Rows:
        """These rows, able to select a few articles' rows without scanning them all."""
        order = np.argsort(self.article, kind="stable")
        offsets = np.searchsorted(self.article[order], np.arange(articles + 1), side="left")
        return _Rows(self.key, self.story, self.article, self.fact, order.astype(I32), offsets.astype(I32))

    def take(self, mask: np.ndarray | None, selected: np.ndarray | None = None) -> _Rows:
        """The rows of the articles in ``mask`` (``selected``: the same as positions, when few), in order."""
        if mask is None:
            return self
        if selected is not None and self.by_article is not None and self.article_offsets is not None:
            starts = self.article_offsets[selected]
            counts = self.article_offsets[selected + 1] - starts
            within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
            rows = np.sort(self.by_article[np.repeat(starts, counts) + within])  # row numbers keep the sort
        else:
            rows = mask[self.article]
        return _Rows(self.key[rows], self.story[rows], self.article[rows],
                     None if self.fact is None else self.fact[rows])


@dataclass(slots=True)
class _Grouping:
    keys: list[str]  # key number -> key, in text order
    numbers: dict[str, int]
    rows: _Rows  # one per (key, article)
    offsets: np.ndarray  # the rows of key k: offsets[k]:offsets[k + 1]
    seizures: _Rows  # one per (key, article, seizure with a quantity); fact: seizure identity number
    statistics: _Rows  # one per (key, article, case or suspect count); fact: statistic identity number


@dataclass(slots=True)
class _FactTable:
    """Distinct facts: per identity number, the (sum group, value) it adds to a group's totals."""

    group: np.ndarray  # (substance, unit) or measure number
    labels: list[tuple[str, str]]  # per group number: (substance, unit) or (measure, "")
    value: np.ndarray


class FacetIndex:
    """The index of one store at one data version (immutable; see the module's documentation)."""

    def __init__(self, raw: Raw, vocabulary: Vocabulary, version: int) -> None:
        self.version = version
        self.vocabulary = vocabulary
        self._raw = raw
        self._build()

    # --- loading -----------------------------------------------------------------------------------------------
    @classmethod
    def load(cls, conn: Connection, vocabulary: Vocabulary | None = None) -> FacetIndex:
        """Read the store (its version first: whatever commits meanwhile is read again by ``updated``)."""
        vocabulary = vocabulary or Vocabulary()
        version = data_version(conn)
        return cls({name: _read(conn, vocabulary, name) for name in _SOURCES}, vocabulary, version)

    def updated(self, conn: Connection) -> FacetIndex:
        """This index with the articles written since its version read again (``self`` if nothing was)."""
        current = data_version(conn)
        if current <= self.version:
            return self
        changed = _changed_articles(conn, self.version, current)
        if not changed:  # only skipped inputs or unchanged articles were logged
            same = copy.copy(self)
            same.version = current
            return same
        ids = np.asarray(changed, dtype=I64)
        raw: Raw = {}
        for name, columns in self._raw.items():
            keep = ~np.isin(columns["article_id"], ids)
            fresh = [_read(conn, self.vocabulary, name, changed[i:i + IN_CHUNK])
                     for i in range(0, len(changed), IN_CHUNK)]
            raw[name] = {column: np.concatenate([values[keep], *(f[column] for f in fresh)])
                         for column, values in columns.items()}
        return FacetIndex(raw, self.vocabulary, current)

    # --- building ----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        articles = self._raw["articles"]
        order = np.argsort(articles["article_id"], kind="stable")
        self.article_ids = articles["article_id"][order]
        self.article_story = articles["story_id"][order]
        self.article_date = articles["sort_date"][order]
        self.articles = len(self.article_ids)
        incident = articles["incident_id"][order]
        # what a fact counts once per: its incident, else (not yet grouped) the article alone
        alone = int(incident.max(initial=0)) + 1 + np.arange(self.articles, dtype=I64)
        self.article_unit = np.where(incident != NONE, incident, alone).astype(I64)
        self.article_incident = incident
        # newest first, undated last, then by id descending: the order of the store's lists
        self.article_order = np.lexsort((-self.article_ids, -self.article_date))
        self.article_rank = np.empty(self.articles, dtype=I64)
        self.article_rank[self.article_order] = np.arange(self.articles)
        seizures, statistics = self._seizure_facts(), self._statistic_facts()
        self._tables = {"seizures": seizures[2], "statistics": statistics[2]}
        self._groupings = {kind: self._grouping(kind, seizures, statistics) for kind in GROUPINGS}
        self._lists = {name: self._in_id_order(name) for name in ("seizures", "statistics", "quotes", "people",
                                                                    "organizations")}
        self.counts = {"articles": self.articles,
                       "stories": int(np.unique(self.article_story[self.article_story != NONE]).size),
                       "incidents": int(np.unique(incident[incident != NONE]).size),
                       **{name: len(self._raw[name]["id"]) for name in ("people", "seizures", "quotes")}}

    def _positions(self, article_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Article positions of ``article_ids`` and which of them the index knows."""
        if self.articles == 0:
            return np.zeros(len(article_ids), dtype=I64), np.zeros(len(article_ids), dtype=bool)
        positions = np.minimum(np.searchsorted(self.article_ids, article_ids), self.articles - 1)
        return positions, self.article_ids[positions] == article_ids

    def _in_id_order(self, name: str) -> dict[str, np.ndarray]:
        table = self._raw[name]
        positions, known = self._positions(table["article_id"])
        order = np.argsort(table["id"][known], kind="stable")
        rows = {column: values[known][order] for column, values in table.items()}
        rows["article"] = positions[known][order]
        return rows

    def _seizure_facts(self) -> tuple[np.ndarray, np.ndarray, _FactTable]:
        """(article position, identity number) of each seizure with a quantity, and the identities."""
        table = self._raw["seizures"]
        positions, known = self._positions(table["article_id"])
        keep = known & ~np.isnan(table["quantity"])
        substance, unit, quantity = table["substance"][keep], table["unit"][keep], table["quantity"][keep]
        if not keep.any():
            return positions[keep], np.zeros(0, dtype=I64), _FactTable(np.zeros(0, I64), [], np.zeros(0))
        numbers, first = _factorize(substance, unit, quantity)
        groups, group_first = _factorize(substance[first], unit[first])
        labels = [(self.vocabulary.strings[int(substance[first][i])], self.vocabulary.decode(int(unit[first][i])) or "")
                  for i in group_first]
        return positions[keep], numbers, _FactTable(groups, labels, quantity[first])

    def _statistic_facts(self) -> tuple[np.ndarray, np.ndarray, _FactTable]:
        table = self._raw["statistics"]
        positions, known = self._positions(table["article_id"])
        measure_codes = [self.vocabulary.code(m) for m in MEASURES]
        keep = known & np.isin(table["measure"], measure_codes)
        if not keep.any():
            return positions[keep], np.zeros(0, dtype=I64), _FactTable(np.zeros(0, I64), [], np.zeros(0))
        measure = table["measure"][keep]
        numbers, first = _factorize(measure, table["subject"][keep], table["period"][keep], table["value"][keep])
        groups, group_first = _factorize(measure[first])
        labels = [(self.vocabulary.strings[int(measure[first][i])], "") for i in group_first]
        return positions[keep], numbers, _FactTable(groups, labels, table["value"][keep][first])

    def _grouping(self, kind: str, seizures: tuple[np.ndarray, np.ndarray, _FactTable],
                  statistics: tuple[np.ndarray, np.ndarray, _FactTable]) -> _Grouping:
        facets = self._raw["facets"]
        of_kind = facets["kind"] == self.vocabulary.code(kind)
        positions, known = self._positions(facets["article_id"][of_kind])
        codes, positions = facets["key"][of_kind][known], positions[known]
        distinct = np.unique(codes)
        texts = [self.vocabulary.strings[c] for c in distinct]
        by_text = _text_order(texts)
        renumber = np.empty(len(distinct), dtype=I64)
        renumber[by_text] = np.arange(len(distinct))
        key = renumber[np.searchsorted(distinct, codes)] if len(distinct) else codes
        keys = [texts[i] for i in by_text]
        story = self.article_story[positions]
        order = np.lexsort((positions, story, key))
        rows = _Rows(key[order].astype(I32), story[order].astype(I32), positions[order].astype(I32))
        offsets = np.searchsorted(rows.key, np.arange(len(keys) + 1), side="left")
        # facts are joined on rows whose "story" column holds the counting unit (the incident)
        units = _Rows(rows.key, self.article_unit[rows.article].astype(I32), rows.article)
        return _Grouping(keys, {k: i for i, k in enumerate(keys)}, rows.indexed(self.articles), offsets,
                         self._joined(kind, keys, units, seizures, substance_only=kind == "substance")
                         .indexed(self.articles), self._joined(kind, keys, units, statistics).indexed(self.articles))

    def _joined(self, kind: str, keys: list[str], rows: _Rows, facts: tuple[np.ndarray, np.ndarray, _FactTable],
                substance_only: bool = False) -> _Rows:
        positions, numbers, table = facts
        row, fact = _expand(rows.article, positions)
        key, story, article, fact = rows.key[row], rows.story[row], rows.article[row], numbers[fact]
        if substance_only and len(fact):  # grouped by substance, a group sums only its own substance
            same = np.asarray([table.labels[g][0] for g in table.group[fact]], dtype=object) == \
                np.asarray(keys, dtype=object)[key]
            key, story, article, fact = key[same], story[same], article[same], fact[same]
        order = np.lexsort((fact, story, key))
        return _Rows(*(column[order].astype(I32) for column in (key, story, article, fact)))

    # --- filters -----------------------------------------------------------------------------------------------
    def mask(self, filters: Filters) -> np.ndarray | None:
        """Which articles pass ``filters`` (None: all of them)."""
        mask: np.ndarray | None = None
        for kind, value in filters.facets():
            grouping = self._groupings[kind]
            selected = np.zeros(self.articles, dtype=bool)
            number = grouping.numbers.get(value)
            if number is not None:
                selected[grouping.rows.article[grouping.offsets[number]:grouping.offsets[number + 1]]] = True
            mask = selected if mask is None else mask & selected
        if filters.since or filters.until:
            dated = self.article_date != NONE
            if filters.since:
                dated &= self.article_date >= _bound_number(filters.since)
            if filters.until_bound:
                dated &= self.article_date <= _bound_number(filters.until_bound)
            mask = dated if mask is None else mask & dated
        return mask

    def _few(self, mask: np.ndarray | None) -> np.ndarray | None:
        """The positions of ``mask``'s articles when they are few enough to gather their rows one by one."""
        if mask is None:
            return None
        selected = np.flatnonzero(mask)
        return selected if len(selected) * 8 < self.articles else None

    # --- aggregates --------------------------------------------------------------------------------------------
    def aggregate(self, by: str, filters: Filters | None = None) -> list[GroupStats]:
        """What :func:`pantau.store.queries.aggregate` gives, from the arrays."""
        if by not in self._groupings:
            raise ValueError(f"unknown grouping {by!r}: use one of {', '.join(GROUPINGS)}")
        grouping = self._groupings[by]
        mask = self.mask(filters or Filters())
        selected = self._few(mask)
        size = len(grouping.keys)
        rows = grouping.rows.take(mask, selected)
        articles = np.bincount(rows.key, minlength=size)
        stories = np.bincount(rows.key[_first_of_runs(rows.key, rows.story) & (rows.story != NONE)], minlength=size)
        incident = self.article_incident[rows.article]
        grouped = incident != NONE
        pairs = np.unique(rows.key[grouped].astype(I64) * (int(incident.max(initial=0)) + 1) + incident[grouped])
        incidents = np.bincount(pairs // (int(incident.max(initial=0)) + 1), minlength=size)
        out = {int(k): GroupStats(grouping.keys[k], _label(by, grouping.keys[k]), int(articles[k]), int(stories[k]),
                                  int(incidents[k]))
               for k in np.flatnonzero(articles)}
        for name, facts in (("seizures", grouping.seizures), ("statistics", grouping.statistics)):
            table = self._tables[name]
            rows = facts.take(mask, selected)
            assert rows.fact is not None
            distinct = _first_of_runs(rows.key, rows.story, rows.fact)  # an incident's fact once per group
            key, fact = rows.key[distinct], rows.fact[distinct]
            cell = key * max(len(table.labels), 1) + table.group[fact]
            cells = size * max(len(table.labels), 1)
            present = np.bincount(cell, minlength=cells)
            totals = np.bincount(cell, weights=table.value[fact], minlength=cells)
            for c in np.flatnonzero(present):
                group, label = out[int(c) // len(table.labels)], table.labels[int(c) % len(table.labels)]
                if name == "seizures":
                    group.seizures[label] = float(totals[c])
                else:
                    setattr(group, label[0], float(totals[c]))
        return sorted(out.values(), key=lambda g: (-g.articles, g.key))

    # --- rankings ----------------------------------------------------------------------------------------------
    def _ranking(self, rows: dict[str, np.ndarray], filters: Filters, name: str | None,
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(name codes, article counts, last dates) in ranking order, and which rows were counted."""
        mask = self.mask(filters)
        selected = np.ones(len(rows["name"]), dtype=bool) if mask is None else mask[rows["article"]]
        if name:
            wanted = name.lower()
            codes = np.unique(rows["name"][selected])
            selected &= np.isin(rows["name"], [c for c in codes if wanted in self.vocabulary.strings[c].lower()])
        names, articles = rows["name"][selected], rows["article"][selected]
        pairs = np.unique(names * max(self.articles, 1) + articles)  # each (name, article) once
        pair_names, pair_articles = pairs // max(self.articles, 1), pairs % max(self.articles, 1)
        codes, counts = np.unique(pair_names, return_counts=True)
        last = np.full(len(codes), NONE, dtype=I64)
        np.maximum.at(last, np.searchsorted(codes, pair_names), self.article_date[pair_articles])
        texts = np.asarray([self.vocabulary.strings[c] for c in codes], dtype=str)
        order = np.lexsort((texts, -counts)) if len(codes) else np.zeros(0, dtype=I64)
        return codes[order], counts[order], last[order], selected

    def rank_people(self, filters: Filters, name: str | None) -> list[dict[str, Any]]:
        """What :func:`pantau.store.read.rank_people` gives."""
        codes, counts, last, _ = self._ranking(self._lists["people"], filters, name)
        return [{"name": self.vocabulary.strings[c], "articles": int(n), "last_seen": _date_text(int(d))}
                for c, n, d in zip(codes, counts, last, strict=True)]

    def rank_organizations(self, filters: Filters, name: str | None) -> list[dict[str, Any]]:
        """What :func:`pantau.store.read.rank_organizations` gives (MAX of type, region and parent per name)."""
        rows = self._lists["organizations"]
        codes, counts, _, selected = self._ranking(rows, filters, name)
        sorted_codes = np.sort(codes)
        owner = np.searchsorted(sorted_codes, rows["name"][selected])
        largest: dict[str, list[str | None]] = {}
        for column in ("type", "region_code", "parent"):
            values = rows[column][selected]
            present = np.unique(values[values != NONE])
            texts = [self.vocabulary.strings[c] for c in present]
            by_text = _text_order(texts)
            rank_of = np.empty(len(present), dtype=I64)
            rank_of[by_text] = np.arange(len(present))
            rank = np.full(len(values), NONE, dtype=I64)
            known = values != NONE
            rank[known] = rank_of[np.searchsorted(present, values[known])]
            best = np.full(len(sorted_codes), NONE, dtype=I64)
            np.maximum.at(best, owner, rank)
            in_order = [texts[i] for i in by_text]
            largest[column] = [None if b == NONE else in_order[b] for b in best]
        where = np.searchsorted(sorted_codes, codes)
        return [{"name": self.vocabulary.strings[c], "type": largest["type"][w],
                 "region_code": largest["region_code"][w], "parent": largest["parent"][w], "articles": int(n)}
                for c, n, w in zip(codes, counts, where, strict=True)]

    # --- lists -------------------------------------------------------------------------------------------------
    def article_page(self, filters: Filters, offset: int, limit: int) -> tuple[int, list[int]]:
        """(total, article ids of the page) of the articles passing ``filters``, newest first."""
        mask = self.mask(filters)
        order = self.article_order if mask is None else self.article_order[mask[self.article_order]]
        return len(order), [int(i) for i in self.article_ids[order[offset:offset + limit]]]

    def totals(self, filters: Filters) -> tuple[int, int, int]:
        """(articles, stories, incidents) passing ``filters``."""
        mask = self.mask(filters)
        stories = self.article_story if mask is None else self.article_story[mask]
        incidents = self.article_incident if mask is None else self.article_incident[mask]
        return ((self.articles if mask is None else int(mask.sum())), int(np.unique(stories[stories != NONE]).size),
                int(np.unique(incidents[incidents != NONE]).size))

    def fact_page(self, table: str, filters: Filters, offset: int, limit: int, *,
                  equals: tuple[str, str] | None = None) -> tuple[int, list[int]]:
        """(total, fact ids of the page) of ``table``'s rows whose article passes ``filters``, in id order.

        ``equals`` = (column, value) keeps the rows holding that value (a seizure's substance, a quote's speaker).
        """
        rows = self._lists[table]
        mask = self.mask(filters)
        selected = np.ones(len(rows["id"]), dtype=bool) if mask is None else mask[rows["article"]]
        if equals is not None:
            code = self.vocabulary.code(equals[1])
            selected &= (rows[equals[0]] == code) if code != NONE else np.zeros(len(selected), dtype=bool)
        ids = rows["id"][selected]
        return len(ids), [int(i) for i in ids[offset:offset + limit]]

    def trends(self) -> tuple[list[list[Any]], list[list[Any]]]:
        """[month, topic, articles] and [month, substance, incidents] rows for the overview's charts."""
        out: list[list[list[Any]]] = []
        for kind in ("topic", "substance"):
            grouping = self._groupings[kind]
            rows = grouping.rows
            month = self.article_date[rows.article] // 100
            keep = self.article_date[rows.article] != NONE
            unit = self.article_unit[rows.article]
            month, key, story = month[keep], rows.key[keep], unit[keep]
            keys = max(len(grouping.keys), 1)
            cell = month * keys + key  # (month, key) in month order, then key order
            if kind == "substance":  # incidents, not articles: one row per (month, substance, incident)
                cell = np.unique(cell * (int(story.max(initial=0)) + 1) + story) // (int(story.max(initial=0)) + 1)
            cells, counts = np.unique(cell, return_counts=True)
            out.append([[_month_text(int(c) // keys), grouping.keys[int(c) % keys], int(n)]
                        for c, n in zip(cells, counts, strict=True)])
        return out[0], out[1]


class LiveIndex:
    """A server process's index of its store: loaded, then kept up to date, in a background thread.

    ``current(conn)`` answers at once: the index if it is at the store's data version, or was less than
    ``max_stale_seconds`` ago (an update then starts); else None, and the caller answers with the SQL.
    """

    def __init__(self, engine: Engine, max_stale_seconds: float = 60.0) -> None:
        self._engine = engine
        self._max_stale = max_stale_seconds
        self._index: FacetIndex | None = None
        self._current_at = 0.0  # when the index was last seen at the store's version
        self._vocabulary = Vocabulary()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self.error: BaseException | None = None

    @property
    def index(self) -> FacetIndex | None:
        return self._index

    def start(self) -> None:
        """Load the index in the background."""
        self._in_background()

    def current(self, conn: Connection, version: int | None = None) -> FacetIndex | None:
        """The index to answer with, given the store's data ``version`` (read through ``conn`` if not given)."""
        return self.current_at(data_version(conn) if version is None else version)

    def current_at(self, version: int) -> FacetIndex | None:
        """The index to answer with when the store is at data ``version`` (no database access)."""
        index = self._index
        if index is None:
            return None
        if version <= index.version:  # an older version: read before the index was last updated
            self._current_at = time.monotonic()
            return index
        self._in_background()
        return index if time.monotonic() - self._current_at <= self._max_stale else None

    def refresh(self) -> FacetIndex:
        """Load or update the index now, in the calling thread."""
        with self._engine.connect() as conn:
            index = self._index
            fresh = FacetIndex.load(conn, self._vocabulary) if index is None else index.updated(conn)
        self._index, self._current_at = fresh, time.monotonic()
        return fresh

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the background work under way (tests and benchmarks)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def _in_background(self) -> None:
        with self._lock:
            if self._worker is not None and self._worker.is_alive():
                return
            self._worker = threading.Thread(target=self._work, name="pantau-index", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        try:
            started = time.perf_counter()
            index = self.refresh()
            self.error = None
            log.info("facet index at data version %s (%d articles) in %.2f s", index.version, index.articles,
                     time.perf_counter() - started)
        except Exception as error:  # the SQL answers meanwhile; the next request tries again
            self.error = error
            log.exception("facet index refresh failed")
