"""The period of a drug seizure: the year a figure totals, or None for a single case.

News gives a seizure figure either for one case ("polisi menyita 5 kg sabu, Senin (9/6)") or as a
total over a period ("sepanjang 2024, Polres Banyuasin mengamankan 28 kg sabu"). The period is
the year as a string ("2024"); vocabulary in ``data/substances.toml`` ([period]).

* A sentence with a strong cue and a year ("sepanjang 2024", "selama tahun 2023", "periode
  Januari-Juni 2024") gives that year to its figures; one that names several, the latest year
  written before the figure.
* A weak cue ("pada 2024", "tahun 2024") dates an event as often as it bounds a total, so it
  counts only in a sentence that speaks of a total ("total", "jumlah") or compares years.
* "Sepanjang tahun ini" takes the latest year written before it in the same paragraph, else the
  caller's reference year; "tahun lalu" only the reference year minus one.
* A story that opens as a period report ("Polresta menangkap 56 tersangka selama periode bulan
  April-Mei 2025") gives its year to every figure without a period of its own, unless the
  figure's sentence dates one event by its weekday ("Senin (9/6)"; not the weekday of a statement:
  "...," kata Kapolres, Senin (9/6)).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pantau.extract.quantities import alternation
from pantau.vocab import fold, load_toml

# A year, not the first of a range of years ("periode 2008-2022" gives no one year).
_YEAR = r"(?:19[5-9]\d|20\d\d)(?!\s*(?:[-–]|hingga|sampai)\s*(?:19|20)\d\d)"


def _words(words: list[str]) -> str:
    return rf"(?<!\w)(?:{alternation([fold(w) for w in words])})(?!\w)"


@dataclass(frozen=True, slots=True)
class _Vocab:
    explicit: re.Pattern[str]
    lead: re.Pattern[str]
    deictic_pattern: re.Pattern[str]
    deictic: dict[str, int]
    total_marker: re.Pattern[str]
    weekday: re.Pattern[str]
    statement_verb: re.Pattern[str]
    lead_paragraphs: int
    lead_min_words: int


@cache
def _vocab() -> _Vocab:
    period = load_toml("substances")["period"]
    dates = load_toml("dates")
    year_word = alternation([fold(w) for w in period["year_words"]])
    month = (rf"(?:(?:{alternation([fold(w) for w in period['month_words']])})\s+)?"
             rf"(?:{alternation([fold(m) for m in dates['months']])})\b\.?")
    separator = alternation([fold(w) for w in period["range_separators"]])
    months = rf"(?:{month}(?:\s*(?:{separator})\s*{month})?\s+)?"

    def cued(cues: list[str], group: str) -> str:
        return rf"{_words(cues)}\s+(?:(?:{year_word})\s+)?{months}(?:(?:{year_word})\s+)?(?P<{group}>{_YEAR})(?![\d/])"

    strong = _words(period["strong_cues"])
    weak = _words(period["weak_cues"])
    explicit = re.compile(
        rf"{cued(period['strong_cues'], 'strong')}"
        rf"|{weak}\s+(?:(?:{year_word})\s+)?(?P<weak>{_YEAR})(?![\d/])"
        rf"|(?<!\d\s)(?<![\d.:/])(?<!\w)(?:{year_word})\s+(?P<bare>{_YEAR})(?![\d/])",
    )
    deictic = {fold(k): int(v) for k, v in period["deictic"].items()}
    return _Vocab(
        explicit=explicit,
        lead=re.compile(cued(period["lead_cues"], "strong")),
        deictic_pattern=re.compile(rf"(?:{strong}|{weak})\s+(?P<d>{alternation(list(deictic))})(?!\w)"),
        deictic=deictic,
        total_marker=re.compile(_words(period["total_markers"])),
        weekday=re.compile(_words(list(dates["weekdays"]))),
        statement_verb=re.compile(_words(period["statement_verbs"])),
        lead_paragraphs=int(period["lead_paragraphs"]),
        lead_min_words=int(period["lead_min_words"]),
    )


def _year(m: re.Match[str]) -> str:
    return next(g for g in m.group("strong", "weak", "bare") if g)


class Periods:
    """Period look-ups over one lower-cased body (``low``), cached per sentence."""

    def __init__(self, body: str, low: str, year: int | None) -> None:
        self.low = low
        self.year = year
        self.v = _vocab()
        self._sentences: dict[tuple[int, int], tuple[list[tuple[int, str]], str | None]] = {}
        self._lead: str | bool | None = False  # False: not looked up yet

    def of(self, sentence: tuple[int, int], start: int) -> str | None:
        """The period of a figure starting at ``start`` in ``sentence`` (start, end), or None."""
        if sentence not in self._sentences:
            self._sentences[sentence] = self._sentence_years(*sentence)
        explicit, deictic = self._sentences[sentence]
        if explicit:
            before = [y for end, y in explicit if end <= start]
            return before[-1] if before else explicit[0][1]
        if deictic is not None:
            return deictic
        if self._dates_one_event(sentence, start):
            return None
        return self.lead()

    def _dates_one_event(self, sentence: tuple[int, int], start: int) -> bool:
        """Whether the sentence dates an event by its weekday; one after a statement verb that
        follows the figure dates the statement ("...," kata Kapolres, Senin (9/6))."""
        for day in self.v.weekday.finditer(self.low, *sentence):
            if day.start() < start or not self.v.statement_verb.search(self.low, start, day.start()):
                return True
        return False

    def _sentence_years(self, start: int, end: int) -> tuple[list[tuple[int, str]], str | None]:
        """The (end, year) period mentions of a sentence, and its resolved "tahun ini" year, if any."""
        v, low = self.v, self.low
        matches = list(v.explicit.finditer(low, start, end))
        compares = len({_year(m) for m in matches}) > 1
        totals = compares or v.total_marker.search(low, start, end) is not None
        explicit = [(m.end(), _year(m)) for m in matches if m.group("strong") or totals]
        if explicit:
            return explicit, None
        deictic = v.deictic_pattern.search(low, start, end)
        if deictic is None:
            return [], None
        offset = v.deictic[fold(deictic.group("d"))]
        if offset == 0:
            earlier = list(v.explicit.finditer(low, low.rfind("\n", 0, start) + 1, deictic.start()))
            if earlier:
                return [], _year(earlier[-1])
        return [], str(self.year + offset) if self.year is not None else None

    def lead(self) -> str | None:
        """The year of a story that opens as a period report, else None."""
        if self._lead is False:
            self._lead = None
            seen = 0
            for line in re.finditer(r"[^\n]+", self.low):
                if len(line.group(0).split()) < self.v.lead_min_words:
                    continue
                found = self.v.lead.search(self.low, line.start(), line.end())
                if found:
                    self._lead = found.group("strong")
                    break
                seen += 1
                if seen == self.v.lead_paragraphs:
                    break
        return self._lead if isinstance(self._lead, str) else None
