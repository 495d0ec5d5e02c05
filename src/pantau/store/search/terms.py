"""What both engines' searches share: the words of a query and of the filters, the page a search returns,
and its window and count limits (``pantau.store.search``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from pantau.regions import regions
from pantau.store.facets import DATE, DATED, YEAR, facet_term
from pantau.store.queries import Filters

HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"  # snippet markers; front ends escape text, then style these
MAX_QUERY_CHARS = 500
SEARCH_WINDOW = 200  # the newest filtered matches ranked by relevance
COUNT_CAP = 10_000  # totals above are reported as a lower bound
MAX_DATE_TERMS = 160  # a date range needing more words is checked date by date
_WORD = re.compile(r"\w+", re.UNICODE)
_YEAR = re.compile(r"\d{4}")


@dataclass(slots=True)
class Hit:
    article_id: int
    record_id: str
    title: str | None
    outlet: str | None
    date: str | None
    url: str | None
    snippet: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.record_id, "title": self.title, "outlet": self.outlet, "date": self.date,
                "url": self.url, "snippet": self.snippet, "score": self.score}


@dataclass(slots=True, frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int
    exact: bool  # False: at least ``total`` matches (counting stops past ``COUNT_CAP``)


def query_words(query: str) -> list[str]:
    return _WORD.findall(query[:MAX_QUERY_CHARS])


def date_terms(since: str | None, until: str | None, first: str | None, last: str | None) -> list[str] | None:
    """The year, month and date words whose articles are exactly those dated from ``since`` to ``until``
    (inclusive, compared as text like ``sort_date``, so a date of a year or month alone counts where it
    sorts), open ends closed by the store's ``first`` and ``last`` dates. None when no date filter applies
    or the words would be too many (the dates are then compared one by one); [] when nothing can match."""
    if not (since or until):
        return None
    if since and until and since > until:
        return []
    # an end beyond the store's first or last date is open: no date of the store lies beyond it (a range
    # over the whole store is then its years, not a month or a day at each end)
    low = since if since and not (first and since <= first) else ""
    high = until if until and not (last and until >= last) else "\uffff"
    if not low and high == "\uffff":
        return [DATED]  # only the articles with no date are out
    start, end = low or first, (high if high != "\uffff" else last)
    if not start or not end or not (_YEAR.match(start) and _YEAR.match(end)):
        return None
    terms: list[str] = []
    for year in range(int(start[:4]), int(end[:4]) + 1):
        y = f"{year:04d}"
        if low <= y and f"{y}-12-31" <= high:  # a date of the year alone sorts first
            terms.append(facet_term(YEAR, y))
            continue
        terms += [facet_term(DATE, y)] if low <= y <= high else []
        for month in range(1, 13):
            m = f"{y}-{month:02d}"
            if low <= m and f"{m}-31" <= high:
                terms.append(facet_term("month", m))
                continue
            terms += [facet_term(DATE, m)] if low <= m <= high else []
            terms += [facet_term(DATE, d) for day in range(1, 32) if low <= (d := f"{m}-{day:02d}") <= high]
        if len(terms) > MAX_DATE_TERMS:
            return None
    return terms if len(terms) <= MAX_DATE_TERMS else None


def facet_words(filters: Filters) -> list[str]:
    """The words an article passing ``filters``' facets has in its ``search_facets`` column. A province its
    regency lies in is left out: every article of a regency has its province (one posting list fewer)."""
    region = regions().get(filters.regency) if filters.regency else None
    implied = {("province", region.province_code)} if region is not None and region.province_code else set()
    return [facet_term(kind, key) for kind, key in filters.facets() if (kind, key) not in implied]


def store_dates(conn: Connection) -> tuple[str | None, str | None]:
    """The store's first and last sort dates (None, None when no article has one)."""
    first, last = conn.execute(text(
        "SELECT (SELECT MIN(sort_date) FROM article_facets WHERE kind = 'all' AND key = ''), "
        "(SELECT MAX(sort_date) FROM article_facets WHERE kind = 'all' AND key = '')")).one()
    return first, last


def month_keys(since: str | None, until: str | None, first: str, last: str) -> list[str]:
    """The ``month`` facet keys (a sort date's first 7 characters: "2021-03", or "2021" for a year alone) an
    article dated from ``since`` to ``until`` can have, within the store's ``first`` and ``last`` dates: a date
    between two others has its first 7 characters between theirs."""
    low, high = max(since or first, first)[:7], min(until or last, last)[:7]
    if not (_YEAR.match(low) and _YEAR.match(high)):
        return []
    keys = [f"{year:04d}" + month for year in range(int(low[:4]), int(high[:4]) + 1)
            for month in ["", *(f"-{m:02d}" for m in range(1, 13))]]
    return [key for key in keys if low <= key <= high]


def below_window(offset: int, limit: int, window: int) -> tuple[int, int] | None:
    """(how many rows, how many to skip) a page takes below a full ranked window of ``window`` matches,
    newest first; None when the page ends within the window or the window holds every match."""
    deeper = offset + limit - max(offset, SEARCH_WINDOW)
    if window < SEARCH_WINDOW or deeper <= 0:
        return None
    return deeper, max(0, offset - SEARCH_WINDOW)

