"""Facets: the values an article is filtered and grouped by, one ``article_facets`` row each.

An article has one ``all`` facet and one facet per province, regency or city, month, substance seized,
outlet and topic it has. Every row carries the article's story and sort date, so that

* a filter ("province 16", "topic drugs") is one primary-key range of the table, and a date range is
  a condition on the same rows;
* an aggregate "by province" scans the ``province`` rows and counts articles and stories from them;
* a newest-first list walks ``(kind, key, sort_date, article_id)`` backwards and stops after one page.

The rows are derived from the article record when it is written (``facet_rows``) and rewritten with
its other facts when it changes; migration 0004 builds them for stores written before.

The same values, with the sort date's year, the date itself and a "has a date" word, are also written as
words of the full-text index (``search_terms``, the ``search_facets`` column): a search with filters is
then one intersection of posting lists inside the index, read newest first, however common the query's
words are.
"""

from __future__ import annotations

from typing import Any

from pantau.record import Article

ALL = "all"  # every article has one row of this kind, with the empty key
GROUPINGS = ("province", "regency", "month", "substance", "outlet", "topic")
REGENCY_LEVELS = ("regency", "city")
# full-text words only (``search_terms``): a date range is whole years, whole months and single dates
YEAR, DATE = "year", "date"
DATED = "datedx"  # the word of every article with a sort date: a range over the whole store is this one word


def sort_date(article: Article) -> str | None:
    """What lists sort by and date filters compare: the event date, else the publication date."""
    return article.date or article.published


def facet_values(article: Article) -> list[tuple[str, str]]:
    """The (kind, key) pairs of ``article``, each once, sorted."""
    pairs = {(ALL, "")}
    for location in article.locations:
        if location.province_code:
            pairs.add(("province", location.province_code))
        if location.level in REGENCY_LEVELS and location.code:
            pairs.add(("regency", location.code))
    date = sort_date(article)
    if date:
        pairs.add(("month", date[:7]))
    pairs.update(("substance", seizure.substance) for seizure in article.seizures)
    if article.outlet:
        pairs.add(("outlet", article.outlet))
    pairs.update(("topic", topic) for topic in article.topics)
    return sorted(pairs)


def facet_term(kind: str, key: str) -> str:
    """The full-text word of facet ``(kind, key)``: the kind, "x", and the key's UTF-8 bytes in hex, so
    that any key (dots, spaces, capitals) is one token of the index's tokenizer, and none collides."""
    return f"{kind}x{key.encode('utf-8').hex()}"


def search_terms(article: Article) -> str:
    """The facet words of ``article`` for the full-text index (``facet_term``), with the sort date's year
    and the sort date itself."""
    terms = [facet_term(kind, key) for kind, key in facet_values(article) if kind != ALL]
    date = sort_date(article)
    if date:
        terms += [facet_term(YEAR, date[:4]), facet_term(DATE, date), DATED]
    return " ".join(terms)


def facet_rows(article_id: int, story_id: int | None, article: Article) -> list[dict[str, Any]]:
    date = sort_date(article)
    return [{"kind": kind, "key": key, "article_id": article_id, "story_id": story_id, "sort_date": date}
            for kind, key in facet_values(article)]
