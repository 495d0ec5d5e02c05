"""Full-text search over the store: matching articles with filters, ranked, with snippets and a total.

What a search returns, on either engine:

* the ``SEARCH_WINDOW`` newest matches that pass the filters, ranked by relevance; pages deeper than the
  window continue newest first below it, so no article appears on two pages;
* a total counted exactly up to ``COUNT_CAP`` and reported as "at least" beyond it.

Each engine reads its own index: ``fts5`` (SQLite: the filters are words of the FTS5 index, BM25 on the window)
and ``postgresql`` (a tsvector and the filters' words in one GIN index, read block by block); ``terms`` holds
what both share.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
from sqlalchemy import Connection

from pantau.store.queries import Filters
from pantau.store.search import fts5, postgresql, terms
from pantau.store.search.terms import (
    COUNT_CAP,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    MAX_QUERY_CHARS,
    SEARCH_WINDOW,
    Hit,
    SearchPage,
)

__all__ = ["COUNT_CAP", "HIGHLIGHT_END", "HIGHLIGHT_START", "MAX_QUERY_CHARS", "SEARCH_WINDOW", "Hit", "SearchPage",
           "count_search", "match_ids", "search", "search_page"]


def search(conn: Connection, query: str, filters: Filters | None = None, limit: int = 20,
           offset: int = 0) -> list[Hit]:
    """Articles matching every word of ``query`` and ``filters``, best first, with a highlighted snippet.

    The ``SEARCH_WINDOW`` newest matches ranked by relevance, then newest first below them.
    """
    hits, _ = _engine(conn).search(conn, query, filters or Filters(), limit, offset)
    return hits


def search_page(conn: Connection, query: str, filters: Filters | None = None, limit: int = 20,
                offset: int = 0) -> SearchPage:
    """``search``'s hits with how many articles match, exact up to ``COUNT_CAP``: a window short of
    ``SEARCH_WINDOW`` holds them all, and only then are the matches counted."""
    return _engine(conn).page(conn, query, filters or Filters(), limit, offset, terms.COUNT_CAP)


def count_search(conn: Connection, query: str, filters: Filters | None = None,
                 cap: int | None = None) -> tuple[int, bool]:
    """How many articles ``search`` finds, and whether that is exact: counting stops past ``cap``
    (``COUNT_CAP``)."""
    return _engine(conn).count(conn, query, filters or Filters(), terms.COUNT_CAP if cap is None else cap)


def match_ids(conn: Connection, query: str) -> np.ndarray:
    """Ids of every article the full-text index matches ``query`` with, sorted.

    Fetched as one comma-separated text that numpy parses: a hundred thousand one-value rows through the
    driver cost three times as much.
    """
    return _engine(conn).match_ids(conn, query)


def _engine(conn: Connection) -> ModuleType:
    return fts5 if conn.dialect.name == "sqlite" else postgresql
