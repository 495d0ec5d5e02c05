"""Read queries over the store: filters and aggregates (full-text search is ``pantau.store.search``).

Every statement is fixed SQL text with bound parameters: user input (query words, codes, dates)
never becomes SQL. Facts of one incident (one event, however many outlets rewrote it) are counted
once: aggregates first reduce each fact to (incident, fact) and only then add up, so five outlets
carrying one seizure count it once. A seizure's identity within an incident is (substance, unit,
quantity): rewrites drop or reword the qualifier and the period ("sepanjang tahun ini" loses its
year when sentences are reordered), not the figure; "40 kg" and "40.000 gram" are one figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from pantau.regions import regions
from pantau.store.facets import ALL, GROUPINGS

# What aggregates count a fact once per: its incident (an article not yet grouped stands alone).
UNIT = "COALESCE(d.incident_id, -d.article_id)"

# Filters that are facets (a filter's name is its facet kind in pantau.store.facets), most selective first.
# Kind names are written into the SQL as fixed strings; values are always bound parameters.
FACET_FILTERS = ("regency", "outlet", "substance", "province", "topic")


@dataclass(slots=True, frozen=True)
class Filters:
    province: str | None = None
    regency: str | None = None
    topic: str | None = None
    substance: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None

    def facets(self) -> list[tuple[str, str]]:
        """The (kind, key) facets an article must have, most selective kind first."""
        return [(name, value) for name in FACET_FILTERS if (value := getattr(self, name))]

    @property
    def until_bound(self) -> str | None:
        """``until`` as the last day it names: "2023" and "2023-12" include all of December 2023."""
        if not self.until:
            return None
        return self.until + {4: "-12-31", 7: "-31"}.get(len(self.until), "")

    def date_conditions(self, column: str, params: dict[str, Any]) -> list[str]:
        """The date filters as conditions on the date column ``column``, their values put in ``params``."""
        clauses = []
        if self.since:
            clauses.append(f"{column} >= :f_since")
            params["f_since"] = self.since
        if self.until:
            clauses.append(f"{column} <= :f_until")
            params["f_until"] = self.until_bound
        return clauses

    def _facet_sets(self, column: str, params: dict[str, Any], skip: int = 0) -> list[str]:
        clauses = []
        for kind, value in self.facets()[skip:]:
            clauses.append(f"{column} IN (SELECT article_id FROM article_facets WHERE kind = '{kind}' "
                           f"AND key = :f_{kind})")
            params[f"f_{kind}"] = value
        return clauses

    def on_ids(self, column: str) -> tuple[str, dict[str, Any]]:
        """Conditions on an article-id expression (``f.article_id``, ``m.id``): every filter as an id set."""
        params: dict[str, Any] = {}
        clauses = self._facet_sets(column, params)
        dates = self.date_conditions("sort_date", params)
        if dates:
            clauses.append(f"{column} IN (SELECT article_id FROM article_facets WHERE kind = 'all' AND key = '' "
                           f"AND {' AND '.join(dates)})")
        return (" AND ".join(clauses) or "1 = 1"), params

    def where(self, alias: str = "a") -> tuple[str, dict[str, Any]]:
        """Conditions on the articles alias: facets as id sets, dates on its indexed sort date."""
        params: dict[str, Any] = {}
        clauses = self._facet_sets(f"{alias}.id", params) + self.date_conditions(f"{alias}.sort_date", params)
        return (" AND ".join(clauses) or "1 = 1"), params

    def matching(self, join: str = "", conditions: tuple[str, ...] = ()) -> tuple[str, dict[str, Any]]:
        """``FROM ... WHERE ...`` giving one ``article_facets`` row ``d`` per matching article.

        The rows are those of the most selective facet filter (else the ``all`` rows): their primary key
        selects them and the (kind, key, sort_date, article_id) index orders them newest first. ``join``
        is a fixed ``JOIN ...`` clause placed after ``d``, ``conditions`` fixed SQL conditions joined by AND.
        """
        facets = self.facets()
        kind, key = facets[0] if facets else (ALL, "")
        params: dict[str, Any] = {"d_key": key}
        clauses = [*conditions, f"d.kind = '{kind}'", "d.key = :d_key", *self.date_conditions("d.sort_date", params),
                   *self._facet_sets("d.article_id", params, skip=1 if facets else 0)]
        return f"FROM article_facets d {join} WHERE {' AND '.join(clauses)}", params

    def grouped(self, by: str, join: str = "") -> tuple[str, dict[str, Any], str]:
        """``FROM ... WHERE ...`` giving one row per (matching article, value of ``by``), and the value's column.

        The rows name the article ``d.article_id`` and its story ``d.story_id``. With a facet filter, its
        (few) rows ``d`` drive and each article's ``by`` values ``g`` are looked up by article; without one,
        the ``by`` rows themselves are ``d``. ``join`` is a fixed ``JOIN ...`` on ``d.article_id``.
        """
        if not self.facets():
            params: dict[str, Any] = {"g_kind": by}
            clauses = ["d.kind = :g_kind", *self.date_conditions("d.sort_date", params)]
            return f"FROM article_facets d {join} WHERE {' AND '.join(clauses)}", params, "d.key"
        # CROSS JOIN keeps d outermost on SQLite, whatever its statistics say
        rows, params = self.matching(join=f"CROSS JOIN article_facets g {join}",
                                     conditions=("g.article_id = d.article_id", "g.kind = :g_kind"))
        params["g_kind"] = by
        return rows, params, "g.key"


@dataclass(slots=True)
class GroupStats:
    key: str
    label: str
    articles: int = 0
    stories: int = 0
    incidents: int = 0
    seizures: dict[tuple[str, str], float] = field(default_factory=dict)  # (substance, unit) -> total
    cases: float = 0.0
    suspects: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "articles": self.articles, "stories": self.stories,
                "incidents": self.incidents,
                "seizures": [{"substance": s, "unit": u, "total": v} for (s, u), v in sorted(self.seizures.items())],
                "cases": self.cases, "suspects": self.suspects}


def _label(by: str, key: str) -> str:
    if by in ("province", "regency"):
        region = regions().get(key)
        return region.name if region else key
    return key


def aggregate(conn: Connection, by: str, filters: Filters | None = None) -> list[GroupStats]:
    """Articles, stories, incidents, seizure totals (per substance and unit) and case/suspect counts per group.

    A fact counts once per incident (``UNIT``): ten outlets rewriting one bust add its seizure once."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}: use one of {', '.join(GROUPINGS)}")
    filters = filters or Filters()
    rows, params, key = filters.grouped(by)
    out: dict[str, GroupStats] = {}
    for row in conn.execute(text(
            f"SELECT {key} AS k, COUNT(*) AS n, COUNT(DISTINCT d.story_id) AS stories, "
            f"COUNT(DISTINCT d.incident_id) AS incidents {rows} GROUP BY {key}"), params):
        out[row.k] = GroupStats(row.k, _label(by, row.k), int(row.n), int(row.stories), int(row.incidents))
    seizure_rows, _, _ = filters.grouped(by, join="JOIN seizures z ON z.article_id = d.article_id")
    same_substance = f"AND z.substance = {key}" if by == "substance" else ""
    for row in conn.execute(text(
            "SELECT k, substance, unit, SUM(quantity) AS total FROM ("
            f"SELECT DISTINCT {key} AS k, {UNIT} AS u, z.substance, z.unit, z.quantity "
            f"{seizure_rows} {same_substance} AND z.quantity IS NOT NULL) story_facts "
            "GROUP BY k, substance, unit"), params):
        out[row.k].seizures[(row.substance, row.unit or "")] = float(row.total)
    statistic_rows, _, _ = filters.grouped(by, join="JOIN statistics t ON t.article_id = d.article_id")
    for row in conn.execute(text(
            "SELECT k, measure, SUM(value) AS total FROM ("
            f"SELECT DISTINCT {key} AS k, {UNIT} AS u, t.measure, t.subject, t.period, t.value "
            f"{statistic_rows} AND t.measure IN ('cases', 'suspects')) story_facts "
            "GROUP BY k, measure"), params):
        setattr(out[row.k], row.measure, float(row.total))
    return sorted(out.values(), key=lambda g: (-g.articles, g.key))
