"""Dates written the Indonesian way, and the date of the reported event.

Forms: "Minggu (29/11/2020) malam", "Selasa (01/10/2024)", "Kamis 22 April 2021",
"Rabu, 20 Desember 2023", "Senin (12/8)" (year from context), "29/11/2020", and relative words
("kemarin") against the publication date. Calendar words come from ``data/dates.toml``.

dateparser is not used here: it fails on a time-of-day word after the date ("malam"), reads law
numbers ("Nomor 2 tahun 2002") as dates, and parses ~600 strings/s; these few fixed forms are
matched directly, and every match is validated as a real calendar date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache

from pantau.vocab import fold, load_toml

MIN_YEAR, MAX_YEAR = 1945, 2100
WEEKDAY_WINDOW = 24  # characters before a date searched for its weekday: "Jum'at, tanggal "
# A year 1950-2099 as a whole word: ``\b(19[5-9]\d|20\d\d)\b``, written digit first (the boundary before it as a
# look-behind after it) so that the engine looks for a "1" or "2" in C and tries the rest only there.
_YEAR_IN_TEXT = re.compile(r"(1(?<!\w1)9[5-9]\d|2(?<!\w2)0\d\d)\b")


@dataclass(frozen=True, slots=True)
class DateMention:
    value: date
    span: tuple[int, int]
    has_weekday: bool
    year_given: bool


@dataclass(frozen=True, slots=True)
class _Calendar:
    weekdays: dict[str, int]
    months: dict[str, int]
    relative: dict[str, int]
    numeric: re.Pattern[str]
    named: re.Pattern[str]
    weekday_before: re.Pattern[str]
    relative_pattern: re.Pattern[str]


_DAY = r"(?P<d>\d(?<!\w\d)\d?)"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _calendar() -> _Calendar:
    data = load_toml("dates")
    weekdays = {fold(k): v for k, v in data["weekdays"].items()}
    months = {fold(k): v for k, v in data["months"].items()}
    relative = {fold(k): v for k, v in data["relative"].items()}
    month = _alternation(list(months))
    # Patterns start at the day's digits (cheap to scan for); the weekday before them is looked up
    # separately in a short window, instead of an optional alternation tried at every offset. The day is
    # ``_DAY``: a digit with no word character before it, as "\b\d{1,2}" reads, but written with the digit
    # first so the regex engine jumps from digit to digit instead of trying every offset.
    numeric = re.compile(
        _DAY + r"[/.\-](?P<m>\d{1,2})(?:\s?[/.\-]\s?(?P<y>\d{4}|\d{2}))?\b(?![/.\-]\d)\s*\)?"
    )
    named = re.compile(rf"{_DAY}\s+(?P<mon>{month})\.?\b(?:\s+(?P<y>\d{{4}}))?\s*\)?", re.I)
    weekday_before = re.compile(
        rf"\b(?P<wd>{_alternation(list(weekdays))})\s*,?\s*\(?\s*(?:tanggal\s+|tgl\.?\s+)?$", re.I)
    relative_pattern = re.compile(rf"\b(?:{_alternation(list(relative))})\b", re.I)
    return _Calendar(weekdays, months, relative, numeric, named, weekday_before, relative_pattern)


def _make_date(year: int, month: int, day: int) -> date | None:
    if not (MIN_YEAR <= year <= MAX_YEAR):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _infer_year(day: int, month: int, weekday: int | None, text: str, reference: date | None) -> date | None:
    """Year of "Senin (12/8)".

    With a publication date: that year or the one before, whichever puts the date on or before
    publication (and on the written weekday). Without one: only the latest year the text mentions,
    and only when the weekday confirms it; an unconfirmed guess is worse than no date.
    """
    if reference is not None:
        for year in (reference.year, reference.year - 1):
            found = _make_date(year, month, day)
            if found is not None and found <= reference + timedelta(days=1) and (
                    weekday is None or found.weekday() == weekday):
                return found
        return None
    years = [int(y) for y in _YEAR_IN_TEXT.findall(text)]
    if weekday is None or not years:
        return None
    found = _make_date(max(years), month, day)
    return found if found is not None and found.weekday() == weekday else None


def find_dates(text: str, reference: date | None = None) -> list[DateMention]:
    """Every explicit date in ``text``, in order; ``reference`` (publication date) completes
    dates written without a year."""
    cal = _calendar()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, named in ((cal.named, True), (cal.numeric, False)):
        for match in pattern.finditer(text):
            span = match.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            before = cal.weekday_before.search(text, max(0, span[0] - WEEKDAY_WINDOW), span[0])
            weekday_word = before.group("wd") if before else None
            if before is not None:
                span = (before.start(), span[1])
            weekday = cal.weekdays.get(fold(weekday_word)) if weekday_word else None
            day = int(match.group("d"))
            month = cal.months[fold(match.group("mon"))] if named else int(match.group("m"))
            if not named and weekday is None and match.group("y") is None:
                continue  # "12/8" alone is as likely a score or a ratio as a date
            year_text = match.group("y")
            if year_text is not None:
                year = int(year_text)
                year += 2000 if year < 100 else 0
                value = _make_date(year, month, day)
            else:
                value = _infer_year(day, month, weekday, text, reference)
            if value is None:
                continue
            taken.append(span)
            found.append(DateMention(value, span, weekday is not None, year_text is not None))
    found.sort(key=lambda m: m.span)
    return found


@lru_cache(maxsize=8192)  # incident matching reads the same few dates millions of times
def parse_iso_date(value: str | None) -> date | None:
    """The date part of an ISO date or timestamp ('2024-10-01', '2024-10-01T08:00:00+07:00')."""
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
    return _make_date(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def event_date(body: str, published: date | None = None) -> date | None:
    """Date of the reported event or statement.

    Indonesian reports anchor the event with a weekday: "..., Minggu (29/11/2020) malam." In order:
    a weekday-anchored date in the lead; a full date in the lead; a relative word in the lead
    ("kemarin") against the publication date; the first weekday-anchored date anywhere; the
    publication date.
    """
    mentions = find_dates(body, published)
    lead_end = body.find("\n")
    lead_end = len(body) if lead_end < 0 else lead_end
    in_lead = [m for m in mentions if m.span[0] < lead_end]
    for candidates in ([m for m in in_lead if m.has_weekday], [m for m in in_lead if m.year_given]):
        if candidates:
            return candidates[0].value
    if published is not None:
        relative = _calendar().relative_pattern.search(body[:lead_end])
        if relative is not None:
            return published + timedelta(days=_calendar().relative[fold(relative.group(0))])
    anchored = [m for m in mentions if m.has_weekday]
    if anchored:
        return anchored[0].value
    return published
