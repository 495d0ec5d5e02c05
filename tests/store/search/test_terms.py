"""What both engines' searches share: date ranges as year, month and date words, and as month keys."""

from __future__ import annotations

from datetime import date, timedelta

from pantau.store.facets import DATE, DATED, YEAR, facet_term
from pantau.store.search import terms


def _article_words(date: str) -> set[str]:
    return {facet_term(YEAR, date[:4]), facet_term("month", date[:7]), facet_term(DATE, date), DATED}


def test_date_words_select_exactly_the_dates_of_the_range() -> None:
    """Every date (and every date of a month or a year alone) is matched by a range's words exactly when
    the store's comparison of the text puts it in the range."""
    days = [(date(2023, 1, 1) + timedelta(days=n)).isoformat() for n in range(800)]
    dates = [*days, "2023", "2024", "2023-05", "2024-02", "2025-03"]
    ranges = [("2023-03-15", "2024-02-10"), ("2023", "2024-12-31"), ("2024-02", "2024-03-31"),
              ("2023-05-01", "2023-05-31"), ("2024-02-29", "2024-02-29"), ("2023-12-31", "2024-01-01"),
              ("2023-05", "2025-03-31"), ("2023-05-31", "2023-06-31")]
    for since, until in ranges:
        words = terms.date_terms(since, until, None, None)
        assert words is not None and len(words) <= terms.MAX_DATE_TERMS, (since, until)
        for value in dates:
            assert bool(_article_words(value) & set(words)) == (since <= value <= until), (since, until, value)
    # an open end stops at the store's first or last date
    assert set(terms.date_terms(None, "2020-12-31", "2019-01-01", "2025-01-01") or ()) == \
        {facet_term(YEAR, "2019"), facet_term(YEAR, "2020")}
    assert terms.date_terms("2025-01-01", "2024-12-31", None, None) == []  # nothing can match
    assert terms.date_terms(None, None, "2019-01-01", "2024-01-01") is None  # no date filter
    assert terms.date_terms("1800-01-02", "2099-12-30", None, None) is None  # too many words: compared one by one
    assert terms.date_terms("kemarin", "2024", None, None) == []  # words sort after every date
    # a range over the whole store is its years, whatever days its ends name
    assert terms.date_terms("2019-01-01", "2030", "2019-03-04", "2021-06-30") == [DATED]
    assert set(terms.date_terms("2019-01-01", "2020-12-31", "2019-03-04", "2021-06-30") or ()) == \
        {facet_term(YEAR, y) for y in ("2019", "2020")}


def test_month_keys_hold_the_month_of_every_date_in_the_range() -> None:
    import random

    rng = random.Random(5)

    def some_date() -> str:
        year, month, day = rng.randint(2018, 2022), rng.randint(1, 12), rng.randint(1, 28)
        return rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"])

    for _ in range(3000):
        first, last = sorted([some_date(), some_date()])
        since, until = rng.choice([None, some_date()]), rng.choice([None, some_date()])
        keys = set(terms.month_keys(since, until, first, last))
        date = some_date()
        if first <= date <= last and (since is None or since <= date) and (until is None or date <= until):
            assert date[:7] in keys, (date, since, until, first, last)
    assert terms.month_keys("2021-03-05", "2021-05", "2019-01-01", "2025-01-01") == ["2021-03", "2021-04", "2021-05"]
