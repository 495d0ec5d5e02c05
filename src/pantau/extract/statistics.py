"""Case statistics: the tallies a story reports ("tercatat 121 kasus narkoba pada 2023").

A wrong number in the database is worse than a missing one, so a number becomes a statistic only
when (1) a measure noun follows it directly ("121 kasus", "dua tersangka", "226.143 orang"), and
(2) the measure's *gate* holds: a tally cue before it ("tercatat", "sebanyak", "sepanjang"), a
stated period ("pada 2024"), or the measure's own verb right next to it ("mengamankan 12 orang",
"30 pecandu direhabilitasi"). Everything else -- ages "(29)", dates, money, drug quantities
("28 kilogram sabu" is a seizure), law numbers, and casual mentions such as "dua narapidana asal
Lapas" -- is left alone. The vocabulary (nouns, verbs, cues, subjects, periods, change words) is in
``data/statistics.toml``; this module only wires it together.

Subjects come from the count's own phrase ("kasus narkoba"), else the nearest cue earlier in the
sentence, else earlier in the paragraph: "sedangkan pada 2024 angka tersebut turun menjadi 112
kasus" inherits *drugs* from "121 kasus narkoba" before it. Periods attach to the nearest period
phrase of the count's own clause.

Measures: ``cases`` (kasus, perkara), ``suspects`` (tersangka; "N orang ditetapkan tersangka"),
``arrests`` (N orang/pelaku ditangkap, diamankan), ``rehabilitations``, ``prisoners`` (narapidana),
``inmates`` (warga binaan, narapidana dan tahanan), ``detainees`` (tahanan, N orang ditahan) and
``remissions`` (remisi kepada N narapidana). Single-case counts are kept when their verb is next to
them ("polisi menangkap dua tersangka"): the number is right even if the story is small.

Flags on a Statistic:

- ``more_than``, ``at_least``, ``about``, ``almost``, ``less_than``: the text qualifies the number
  ("lebih dari 300 kasus"); the value is the stated number.
- ``stated_change_consistent`` / ``stated_change_inconsistent``: a stated change ("turun 7%",
  "naik 15 persen", "penurunan ... sebesar 7%") was checked against the figures of the same measure and
  subject for consecutive years, or an explicit "dari N menjadi M" pair, and the flag is put on the
  later figure. Consistent means the direction agrees and the stated percentage is within
  ``tolerance_points`` (1) percentage point of the computed change, which also accepts a newsroom's
  rounded or truncated figure: 121 -> 112 is -7.4 %, so "turun 7%" is consistent, "turun 9%" or
  "naik 7%" is not. A statement that could speak of two different series is left unchecked.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pantau.record import Statistic
from pantau.vocab import fold, load_toml

PERSONS = "persons"
CONSISTENT = "stated_change_consistent"
INCONSISTENT = "stated_change_inconsistent"
_DIGITS = r"(?P<digits>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dec>\d+))?(?:\s+(?P<mult>ribu|juta))?(?![\w/]|[.,]\d)"
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“(\[]?[A-Z0-9])")
_PREV_TOKEN = re.compile(r"([\w.]+)\.?$")
_YEAR = re.compile(r"(?<![\d.,/])(?:19|20)\d\d(?![\d/])")
_WORD_CONTINUES = re.compile(r"[\w/]|-\d")
_PARAGRAPH = re.compile(r"[^\n]+")
_DIGIT_RUN = re.compile(r"\d+")
_ABBREVIATIONS = frozenset({
    "no", "pol", "jl", "dr", "drs", "ir", "h", "hj", "st", "kab", "kec", "kel", "prof", "tbk", "dkk", "sdr", "bpk",
    "ny", "mr", "mrs", "kol", "sp", "s.h", "m.h", "s.i.k", "m.si", "s.sos", "s.e", "m.m", "a.md", "s.pd", "m.hum",
})
_SCALES = ("belas", "puluh", "ratus", "ribu")
_PERCENT = re.compile(r"\s*(?:%|persen(?![\w-])|per\s*sen(?![\w-]))", re.I)


def _alternation(phrases: Iterable[str]) -> str:
    """Regex alternation of phrases as a character trie: the longest phrase wins at a position, and a
    position that starts no phrase fails after one character test (a flat alternation of hundreds of
    phrases tries each of them at every position, four times slower)."""
    trie: dict[str, Any] = {}
    for phrase in {fold(p) for p in phrases}:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return f"(?:{_trie_pattern(trie)})"


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [(r"\s+" if char == " " else re.escape(char)) + _trie_pattern(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{group})?" if "" in node else group  # greedy: a longer phrase is tried first


def _bounded(phrases: Iterable[str]) -> str:
    return rf"(?<![\w-]){_alternation(phrases)}(?![\w-])"


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    paragraph: int
    paragraph_start: int


@dataclass(frozen=True)
class _Period:
    start: int
    end: int
    value: str


@dataclass
class _Count:
    measure: str
    value: float
    start: int
    end: int
    lead: int  # where the count's own words begin (qualifier or number)
    sentence: _Sentence
    noun_class: str
    subject: str | None = None
    period: str | None = None
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Change:
    start: int
    direction: int
    percent: float
    measure: str | None
    subject: str | None
    period: str | None
    paragraph: int


@dataclass(frozen=True)
class _Vocab:
    number_first: re.Pattern[str]
    noun_first: re.Pattern[str]
    noun_class: dict[str, str]
    gates: dict[str, str]  # measure -> gate kind (data/statistics.toml)
    remission_measures: frozenset[str]
    number_words: dict[str, int]
    qualifier_tail: re.Pattern[str]
    qualifiers: dict[str, str]
    exclude_tail: re.Pattern[str]
    difference_tail: re.Pattern[str]
    tally: re.Pattern[str]
    tally_after: re.Pattern[str]
    population: re.Pattern[str]
    case_link_tail: re.Pattern[str]
    before: dict[str, re.Pattern[str]]
    after: dict[str, re.Pattern[str]]
    subject_after: re.Pattern[str]
    subject_cue: re.Pattern[str]
    subject_key: dict[str, str]
    blocker_tail: re.Pattern[str]
    skip_prefixes: tuple[str, ...]
    periods: re.Pattern[str]
    period_vocab: dict[str, Any]
    count_nouns: frozenset[str]
    change: re.Pattern[str]
    down: frozenset[str]
    measure_in_text: re.Pattern[str]
    windows: dict[str, int]
    number_first_words: tuple[str, ...]  # lower-case words that can start a number-first count
    noun_first_words: tuple[str, ...]  # lower-case words that can start a noun-first count
    tolerance: float
    from_tail: re.Pattern[str]
    to_tail: re.Pattern[str]
    total_tail: re.Pattern[str]


def _number_word_pattern(values: Iterable[str]) -> str:
    """Number words: a value word ("dua", "seratus") then value or scale words ("puluh", "ribu")."""
    first = _alternation(values)
    word = _alternation([*values, *_SCALES])
    return rf"(?<![\w-])(?P<words>{first}(?:\s+{word})*)(?![\w-])"


@cache
def _vocab() -> _Vocab:
    data = load_toml("statistics")
    numbers = data["numbers"]
    number_words = {fold(k): int(v) for k, v in {**numbers["units"], **numbers["teens"]}.items()}
    number = rf"(?:(?<![\w.,/-]){_DIGITS}|{_number_word_pattern(number_words)})"
    measures = data["measures"]
    noun_class = {fold(n): name for name, spec in measures.items() for n in spec["nouns"]}
    noun_class.update({fold(n): PERSONS for n in data["persons"]["nouns"]})
    qualifiers = {fold(k): v for k, v in data["qualifiers"].items()}
    nouns = _alternation(noun_class)
    number_first = re.compile(
        rf"{number}(?P<dup>\s*\(\s*[^\W\d_]+(?:\s+[^\W\d_]+)*\s*\))?\s+(?P<noun>{nouns})(?![\w-])", re.I)
    noun_first_nouns = [n for n, c in noun_class.items() if c != PERSONS]
    cues = data["cues"]
    gap_token = r"(?:(?:pada|tahun|sepanjang|selama|di|per)\s+(?:tahun\s+)?\d{4}|[^\s\d.,;:!?()\"“”]+)"
    noun_first = re.compile(
        rf"(?<![\w-])(?P<nfnoun>{_alternation(noun_first_nouns)})(?![\w-])(?P<gap>(?:\s+{gap_token}){{0,8}}?)"
        rf"\s*(?:(?P<link>{_alternation(cues['link'])})(?![\w-])\s*:?\s*|:\s*)?"
        rf"(?:(?P<qual>{_alternation(qualifiers)})\s+)?{number}"
        rf"(?:\s+(?P<unit>orang|jiwa|kasus|perkara)(?![\w-]))?", re.I)
    verbs = data["verbs"]
    fillers = _alternation(verbs["fillers"])

    def tail(phrases: Iterable[str]) -> re.Pattern[str]:
        return re.compile(rf"(?<![\w-]){_alternation(phrases)}(?:\s+{fillers}){{0,3}}\s*$", re.I)

    def head(phrases: Iterable[str]) -> re.Pattern[str]:
        return re.compile(rf"\s*,?\s*(?:{fillers}\s+){{0,3}}{_alternation(phrases)}(?![\w-])", re.I)

    kinds = ("arrests", "suspects", "rehabilitations", "detainees", "remissions")
    before = {k: tail(verbs[f"{k}_before"]) for k in kinds}
    after = {k: head(verbs[f"{k}_after"]) for k in kinds}
    after["determination"] = head(verbs["determination_after"])
    subjects = data["subjects"]
    subject_key = {fold(cue): key for key, cue_list in subjects["cues"].items() for cue in cue_list}
    subject_alt = _alternation(subject_key)
    periods = data["periods"]
    changes = data["changes"]
    return _Vocab(
        number_first=number_first,
        noun_first=noun_first,
        noun_class=noun_class,
        gates={**{name: spec["gate"] for name, spec in measures.items()}, PERSONS: "verb"},
        remission_measures=frozenset(name for name, spec in measures.items() if spec.get("remissions")),
        number_words=number_words,
        qualifier_tail=re.compile(rf"(?<![\w-])(?P<q>{_alternation(qualifiers)})\s+$", re.I),
        qualifiers=qualifiers,
        exclude_tail=re.compile(rf"(?<![\w-]){_alternation(data['exclude']['before'])}\s*$", re.I),
        difference_tail=re.compile(
            rf"(?<![\w-]){_alternation(data['exclude']['change_difference'])}"
            r"(?:\s+(?:sebanyak|sebesar|sekitar|hingga))?\s*$", re.I),
        tally=re.compile(_bounded(cues["tally"]), re.I),
        tally_after=head(cues["tally_after"]),
        population=re.compile(_bounded(cues["population"]), re.I),
        case_link_tail=re.compile(rf"(?<![\w-]){_alternation(cues['case_link'])}\s*$", re.I),
        before=before,
        after=after,
        subject_after=re.compile(
            rf"(?:\s+{_alternation(subjects['connectors'])})*\s+(?P<cue>{subject_alt})(?![\w-])", re.I),
        subject_cue=re.compile(rf"(?<![\w-]){subject_alt}(?![\w-])", re.I),
        subject_key=subject_key,
        blocker_tail=re.compile(rf"(?<![\w-]){_alternation(subjects['blockers'])}\s*$", re.I),
        skip_prefixes=tuple(fold(p) for p in cues["skip_sentence_prefixes"]),
        periods=_period_pattern(periods),
        period_vocab=periods,
        count_nouns=frozenset(w.split()[0] for w in noun_class),
        change=re.compile(
            rf"(?<![\w-])(?P<verb>{_alternation([*changes['down'], *changes['up']])})(?![\w-])"
            rf"(?P<mid>(?:\s+[^\s\d%.;!?]+){{0,{int(changes['max_words'])}}}?)"
            r"\s+(?P<pct>\d+(?:[.,]\d+)?)\s*(?:%|persen(?![\w-]))", re.I),
        down=frozenset(fold(w) for w in changes["down"]),
        measure_in_text=re.compile(rf"(?<![\w-])(?P<noun>{_alternation(noun_first_nouns)})(?![\w-])", re.I),
        windows={k: int(v) for k, v in data["window"].items()},
        number_first_words=tuple(sorted(number_words)),
        noun_first_words=tuple(sorted({n.split()[0] for n in noun_first_nouns})),
        tolerance=float(changes["tolerance_points"]),
        from_tail=re.compile(r"(?<![\w-])dari\s*$", re.I),
        to_tail=re.compile(r"(?<![\w-])(?:menjadi|jadi|ke)\s*$", re.I),
        total_tail=re.compile(r"(?<![\w-])(?:jumlah|total)\s+$", re.I),
    )


def _period_pattern(periods: dict[str, Any]) -> re.Pattern[str]:
    """One pattern for every period form, most specific first (an as-of date before a bare year)."""
    year = r"(?:19|20)\d\d"
    month = _alternation(periods["months"])
    joiner = _alternation(periods["range_joiners"])
    halves_quarters = _alternation([*periods["halves"], *periods["quarters"]])
    return re.compile(
        rf"(?<![\w-])(?:"
        rf"(?P<asof_cue>{_alternation(periods['as_of_cues'])})\s+(?:tanggal\s+)?(?P<ad>\d{{1,2}})\s+(?P<am>{month})"
        rf"\s+(?P<ay>{year})"
        rf"|(?P<hq>{halves_quarters})\s+(?:tahun\s+)?(?P<hqy>{year})"
        rf"|(?:{_alternation(periods['month_range_cues'])}\s+)?(?:bulan\s+)?(?P<m1>{month})\s*{joiner}\s*"
        rf"(?:bulan\s+)?(?P<m2>{month})\s+(?:tahun\s+)?(?P<mry>{year})"
        rf"|(?:(?:dari|sejak|antara|periode|tahun|pada|selama|sepanjang)\s+)?(?:tahun\s+)?(?P<y1>{year})\s*{joiner}"
        rf"\s*(?:tahun\s+)?(?P<y2>{year})"
        rf"|(?P<smcue>pada|sepanjang|selama|periode|bulan|per)\s+(?:bulan\s+)?(?P<sm>{month})\s+(?:tahun\s+)?"
        rf"(?P<smy>{year})"
        rf"|(?P<ycue>{_alternation(periods['year_cues'])})\s+(?P<y>{year})"
        rf")(?![\w/-])",
        re.I,
    )


@dataclass(frozen=True)
class _PeriodTables:
    months: dict[str, int]
    halves: dict[str, int]
    quarters: dict[str, int]
    not_after: re.Pattern[str]
    first: int
    last: int


@cache
def _period_tables() -> _PeriodTables:
    pv = _vocab().period_vocab
    return _PeriodTables(
        months={fold(k): int(v) for k, v in pv["months"].items()},
        halves={fold(k): int(v) for k, v in pv["halves"].items()},
        quarters={fold(k): int(v) for k, v in pv["quarters"].items()},
        not_after=re.compile(rf"(?<![\w-]){_alternation(pv['not_after'])}\s*$|(?:nomor|no\.?)\s*\d+\s*$", re.I),
        first=int(pv["first_year"]),
        last=int(pv["last_year"]),
    )


def _periods(body: str, spans: list[tuple[int, int]], vocab: _Vocab) -> list[_Period]:
    """Period phrases in the given paragraphs, with normalised values (see data/statistics.toml).

    Every period form contains a four-digit year, so phrases are looked for only just before a year
    instead of at every position of the text."""
    tables = _period_tables()
    found: list[_Period] = []
    for lo, hi in spans:
        for year in _YEAR.finditer(body, lo, hi):
            window = max(lo, year.start() - 60)
            m = next((m for m in vocab.periods.finditer(body, window, year.end()) if m.end() == year.end()), None)
            if m is None or _WORD_CONTINUES.match(body, m.end()):
                continue
            if tables.not_after.search(body, max(lo, m.start() - 24), m.start()):
                continue
            value = _period_value(m, tables)
            following = body[m.end():m.end() + 20].split()
            if value is None or (m["y"] and following and fold(following[0]) in vocab.count_nouns):
                continue  # "pada 2016 kasus" is not a period; leave the number to the count
            period = _Period(m.start(), m.end(), value)
            while found and found[-1].end > period.start:  # overlapping: keep the longer phrase
                if found[-1].end - found[-1].start >= period.end - period.start:
                    break
                found.pop()
            else:
                found.append(period)
    return found


def _period_value(m: re.Match[str], tables: _PeriodTables) -> str | None:
    months, halves, quarters = tables.months, tables.halves, tables.quarters

    def year(group: str) -> int | None:
        value = int(m[group])
        return value if tables.first <= value <= tables.last else None

    if m["asof_cue"]:
        y = year("ay")
        try:
            return dt.date(y, months[fold(m["am"])], int(m["ad"])).isoformat() if y else None
        except ValueError:
            return None
    if m["hq"]:
        y, key = year("hqy"), fold(m["hq"])
        if y is None:
            return None
        if key in halves:
            lo, hi = (1, 6) if halves[key] == 1 else (7, 12)
        else:
            lo, hi = 3 * quarters[key] - 2, 3 * quarters[key]
        return f"{y}-{lo:02d}/{y}-{hi:02d}"
    if m["m1"]:
        y, lo, hi = year("mry"), months[fold(m["m1"])], months[fold(m["m2"])]
        return f"{y}-{lo:02d}/{y}-{hi:02d}" if y and lo < hi else None
    if m["y1"]:
        y1, y2 = year("y1"), year("y2")
        return f"{y1}/{y2}" if y1 and y2 and y1 < y2 else None
    if m["sm"]:
        y = year("smy")
        return f"{y}-{months[fold(m['sm'])]:02d}" if y else None
    y = year("y")
    return str(y) if y else None


def _sentences(body: str, paragraphs: list[tuple[int, int, int]], vocab: _Vocab) -> list[_Sentence]:
    """Sentences of the given (index, start, end) paragraphs; cross-links to other stories ("Baca
    juga: ...") are dropped, so their numbers and words never count for this story."""
    out: list[_Sentence] = []
    for index, para_start, para_end in paragraphs:
        cuts = [para_start]
        for end in _SENTENCE_END.finditer(body, para_start, para_end):
            token = _PREV_TOKEN.search(body, max(para_start, end.start() - 12), end.start() + 1)
            word = token.group(1).casefold().rstrip(".") if token else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            cuts.append(end.end())
        cuts.append(para_end)
        for start, end in itertools.pairwise(cuts):
            text = body[start:end]
            stripped = len(text) - len(text.lstrip())
            if not text.strip() or fold(text[:30]).startswith(vocab.skip_prefixes):
                continue
            out.append(_Sentence(start + stripped, end, index, para_start))
    return out


def _number_value(m: re.Match[str], vocab: _Vocab) -> float | None:
    """The integer a number match denotes; ``None`` for decimals without a multiplier ("19,4")."""
    if m["digits"] is not None:
        whole = int(m["digits"].replace(".", ""))
        if m["mult"]:
            multiplier = 1000 if m["mult"].casefold() == "ribu" else 1_000_000
            return float(round(float(f"{whole}.{m['dec'] or 0}") * multiplier))
        return None if m["dec"] else float(whole)
    total = chunk = small = 0  # thousands, hundreds, and the part below a hundred
    for word in fold(m["words"]).split():
        if word == "belas":
            small += 10
        elif word == "puluh":
            small *= 10
        elif word == "ratus":
            chunk, small = chunk + small * 100, 0
        elif word == "ribu":
            total, chunk, small = total + (chunk + small) * 1000, 0, 0
        elif (value := vocab.number_words[word]) >= 1000:
            total += value
        elif value >= 100:
            chunk += value
        else:
            small += value
    value = total + chunk + small
    return float(value) if value > 0 else None


def _sentence_at(sentences: list[_Sentence], starts: list[int], pos: int) -> _Sentence | None:
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and sentences[i].start <= pos < sentences[i].end:
        return sentences[i]
    return None


def _inside(periods: list[_Period], pos: int) -> bool:
    return any(p.start <= pos < p.end for p in periods)


def _qualifier(body: str, sentence: _Sentence, num_start: int, vocab: _Vocab) -> tuple[int, str | None]:
    q = vocab.qualifier_tail.search(body, sentence.start, num_start)
    if q is None:
        return num_start, None
    return q.start(), vocab.qualifiers[fold(q["q"])]


def _excluded(body: str, sentence: _Sentence, lead: int, vocab: _Vocab) -> bool:
    """Law numbers, money, times, ages, ordinals and differences ("turun 9 kasus") are not counts."""
    start = max(sentence.start, lead - 40)
    if vocab.exclude_tail.search(body, start, lead) or vocab.difference_tail.search(body, start, lead):
        return True
    return lead > 0 and body[lead - 1] == "("


def _candidates(body: str, matches: list[re.Match[str]], sentences: list[_Sentence], periods: list[_Period],
                vocab: _Vocab) -> list[_Count]:
    """Number-first counts ("121 kasus narkoba") that pass their measure's gate, in text order."""
    starts = [s.start for s in sentences]
    window = vocab.windows["tally"]
    accepted: list[_Count] = []
    raw: list[tuple[re.Match[str], _Sentence, int, str | None, int]] = []
    for m in matches:
        sentence = _sentence_at(sentences, starts, m.start())
        if sentence is None or m.end() > sentence.end or _inside(periods, m.start()):
            continue
        lead, qualifier = _qualifier(body, sentence, m.start(), vocab)
        if _excluded(body, sentence, lead, vocab):
            continue
        explicit = vocab.subject_after.match(body, m.end("noun"), sentence.end)
        raw.append((m, sentence, lead, qualifier, explicit.end() if explicit else m.end("noun")))
    claims = _claim_periods([(lead, noun_end, sentence) for _, sentence, lead, _, noun_end in raw], periods, body)
    for (m, sentence, lead, qualifier, noun_end), period in zip(raw, claims, strict=True):
        value = _number_value(m, vocab)
        if value is None:
            continue
        noun = fold(m["noun"])
        noun_class = vocab.noun_class[noun]
        pre = body[max(sentence.start, lead - window):lead]
        post = body[noun_end:min(sentence.end, noun_end + vocab.windows["tally_after"])]
        measure = _gate(noun_class, pre, post, period, vocab)
        previous = accepted[-1] if accepted else None
        if measure is None and previous is not None and previous.sentence == sentence:
            between = body[previous.end:lead]
            if previous.noun_class == noun_class and re.fullmatch(r"\s*[,;]?\s*(?:dan|serta)?\s*", between, re.I):
                measure = previous.measure  # a list continues its first item: "35 ..., 14.661 ... dan 400 ..."
            elif previous.measure == "cases" and noun_class == "suspects" and vocab.case_link_tail.search(pre):
                measure = "suspects"  # "50 kasus dengan 60 tersangka"
        if measure is None:
            continue
        flags = [qualifier] if qualifier else []
        accepted.append(_Count(measure, value, m.start(), noun_end, lead, sentence, noun_class, period=period,
                               flags=flags))
    return accepted


def _gate(noun_class: str, pre: str, post: str, period: str | None, vocab: _Vocab) -> str | None:
    """The measure of a number-first count, or ``None`` when nothing says it is a tally (the gate
    kinds are described in data/statistics.toml)."""
    gate = vocab.gates[noun_class]
    tallied = period is not None or bool(vocab.tally.search(pre)) or bool(vocab.tally_after.match(post))
    if gate == "tally":
        return noun_class if tallied else None
    if gate == "suspects":
        verb = vocab.before["suspects"].search(pre) or vocab.after["suspects"].match(post)
        return noun_class if tallied or verb else None
    if gate == "verb":
        if vocab.after["determination"].match(post):
            return "suspects"
        for kind in ("rehabilitations", "detainees", "arrests"):
            if vocab.before[kind].search(pre) or vocab.after[kind].match(post):
                return kind
        return None
    if noun_class in vocab.remission_measures and (
            vocab.before["remissions"].search(pre) or vocab.after["remissions"].match(post)):
        return "remissions"
    return noun_class if gate == "population" and vocab.population.search(pre) else None


def _claim_periods(counts: list[tuple[int, int, _Sentence]], periods: list[_Period], body: str) -> list[str | None]:
    """The period of each count: a period right after it in its clause ("121 kasus pada 2023"), else
    the nearest earlier one in its sentence that no other count has taken that way."""
    comparison = re.compile(r"(?<![\w-])(?:dibanding\w*|ketimbang|daripada|dari|sedangkan|sementara|menjadi)(?![\w-])",
                            re.I)
    contrast = re.compile(r"(?<![\w-])(?:sedangkan|sementara|adapun|namun|tetapi|sedang)(?![\w-])", re.I)
    trailing: list[_Period | None] = []
    for _, end, sentence in counts:
        following = next((p for p in periods if p.start >= end), None)
        found = None
        if following is not None and following.start < sentence.end and following.start - end <= 30:
            gap = body[end:following.start]
            if not re.search(r"[,;:\d]", gap) and not comparison.search(gap):
                found = following
        trailing.append(found)
    claimed = {id(p) for p in trailing if p is not None}
    out: list[str | None] = []
    for (lead, _, sentence), own in zip(counts, trailing, strict=True):
        if own is not None:
            out.append(own.value)
            continue
        earlier = [p for p in periods if sentence.start <= p.start and p.end <= lead and id(p) not in claimed]
        # "Pada 2023 terjadi 50 kasus, sedangkan ... 60 kasus": a contrast opens a new period.
        if earlier and not contrast.search(body, earlier[-1].end, lead):
            out.append(earlier[-1].value)
        else:
            out.append(None)
    return out


def _noun_first(body: str, matches: list[re.Match[str]], sentences: list[_Sentence], periods: list[_Period],
                taken: list[_Count], vocab: _Vocab) -> list[_Count]:
    """Counts written noun first: "narapidana sebanyak 156.613 orang", "jumlah kasus ... mencapai 121"."""
    starts = [s.start for s in sentences]
    used = [(c.lead, c.end) for c in taken]
    out: list[_Count] = []
    for m in matches:
        sentence = _sentence_at(sentences, starts, m.start())
        num_start = m.start("digits") if m["digits"] is not None else m.start("words")
        if sentence is None or m.end() > sentence.end or _inside(periods, num_start):
            continue
        if any(lo <= num_start < hi for lo, hi in used):
            continue
        noun_class = vocab.noun_class[fold(m["nfnoun"])]
        unit = fold(m["unit"]) if m["unit"] else None
        persons = noun_class != "cases"
        compatible = unit is not None and (unit in ("orang", "jiwa")) == persons
        gap = m["gap"].strip()
        if compatible:
            ok = bool(m["link"]) or not gap
        else:
            ok = unit is None and bool(m["link"]) and bool(vocab.total_tail.search(body, sentence.start, m.start()))
        if not ok or vocab.difference_tail.search(body, m.start(), num_start) or _PERCENT.match(body, m.end()):
            continue
        value = _number_value(m, vocab)
        if value is None:
            continue
        measure = noun_class  # the noun-first form is itself a tally: "<noun> sebanyak N orang"
        period = _claim_periods([(m.start(), m.end(), sentence)], periods, body)[0]
        flags = [vocab.qualifiers[fold(m["qual"])]] if m["qual"] else []
        out.append(_Count(measure, value, m.start(), m.end(), m.start(), sentence, noun_class, period=period,
                          flags=flags))
    return out


def _subject_cues(body: str, spans: list[tuple[int, int]], vocab: _Vocab) -> list[tuple[int, int, str]]:
    cues = []
    for lo, hi in spans:
        for m in vocab.subject_cue.finditer(body, lo, hi):
            if vocab.blocker_tail.search(body, max(lo, m.start() - 20), m.start()):
                continue
            cues.append((m.start(), m.end(), vocab.subject_key[fold(m.group())]))
    return cues


def _resolve_subject(count: _Count, body: str, cues: list[tuple[int, int, str]], vocab: _Vocab) -> str | None:
    """Explicit subject in the count's phrase, else the nearest cue before it in its sentence, else in
    its paragraph. Cues never cross paragraphs: a new paragraph may be a new story thread."""
    phrase = vocab.subject_cue.search(body, count.lead, count.end)
    if phrase:
        return vocab.subject_key[fold(phrase.group())]
    before_in_sentence = [key for start, end, key in cues if count.sentence.start <= start and end <= count.lead]
    if before_in_sentence:
        return before_in_sentence[-1]
    before_in_paragraph = [key for start, end, key in cues
                           if count.sentence.paragraph_start <= start and end <= count.sentence.start]
    return before_in_paragraph[-1] if before_in_paragraph else None


def _changes(body: str, spans: list[tuple[int, int]], sentences: list[_Sentence], periods: list[_Period],
             vocab: _Vocab) -> list[_Change]:
    starts = [s.start for s in sentences]
    out = []
    for m in (m for lo, hi in spans for m in vocab.change.finditer(body, lo, hi)):
        sentence = _sentence_at(sentences, starts, m.start())
        if sentence is None:
            continue
        # What changed is named between the change word and the figure ("penurunan jumlah kasus
        # narkoba sebesar 7%") or before the change word ("Jumlah kasus curanmor turun 30 persen").
        mid = m["mid"]
        lead = body[sentence.start:m.start()]
        noun = vocab.measure_in_text.search(mid) or _last(vocab.measure_in_text.finditer(lead))
        cue = vocab.subject_cue.search(mid) or _last(vocab.subject_cue.finditer(lead))
        period = next((p.value for p in periods if 0 <= p.start - m.end() <= 3 and p.end <= sentence.end), None)
        measure = vocab.noun_class[fold(noun["noun"])] if noun else None
        out.append(_Change(
            start=m.start(),
            direction=-1 if fold(m["verb"]) in vocab.down else 1,
            percent=float(m["pct"].replace(",", ".")),
            measure=measure,
            subject=vocab.subject_key[fold(cue.group())] if cue else None,
            period=period,
            paragraph=sentence.paragraph,
        ))
    return out


def _last(matches: Iterable[re.Match[str]]) -> re.Match[str] | None:
    found = list(matches)
    return found[-1] if found else None


def _pairs(counts: list[_Count], body: str, vocab: _Vocab) -> list[tuple[_Count, _Count]]:
    """Figures to compare: consecutive years of one measure and subject, and "dari N ... menjadi M"."""
    by_year: dict[tuple[str, str | None, int], _Count] = {}
    for c in counts:
        if c.period and c.period.isdigit():
            by_year.setdefault((c.measure, c.subject, int(c.period)), c)
    pairs = []
    for (measure, subject, year), later in by_year.items():
        earlier = by_year.get((measure, subject, year - 1))
        if earlier is not None:
            pairs.append((earlier, later))
    paired = {id(later) for _, later in pairs}
    for i, first in enumerate(counts):
        if not vocab.from_tail.search(body, first.sentence.start, first.lead):
            continue
        for second in counts[i + 1:]:
            if second.sentence != first.sentence:
                break
            if (second.measure == first.measure and id(second) not in paired
                    and vocab.to_tail.search(body, first.end, second.lead)):
                pairs.append((first, second))
                paired.add(id(second))
                break
    return pairs


def _check_changes(counts: list[_Count], changes: list[_Change], body: str, vocab: _Vocab) -> None:
    """Flag the later figure of each compared pair against the nearest compatible stated change."""
    pairs = _pairs(counts, body, vocab)
    window = vocab.windows["change"]

    def fits(change: _Change, pair: tuple[_Count, _Count]) -> bool:
        earlier, later = pair
        return (change.paragraph in (earlier.sentence.paragraph, later.sentence.paragraph)
                and abs(change.start - later.start) <= window
                and change.measure in (None, later.measure)
                and change.subject in (None, later.subject)
                and change.period in (None, later.period))

    usable = []
    for change in changes:
        kinds = {(p[1].measure, p[1].subject) for p in pairs if fits(change, p)}
        if len(kinds) == 1:  # a statement that could speak of two different series is left unchecked
            usable.append(change)
    for pair in pairs:
        earlier, later = pair
        options = [c for c in usable if fits(c, pair)]
        if not options or earlier.value == 0:
            continue
        change = min(options, key=lambda c: abs(c.start - later.start))
        computed = (later.value - earlier.value) / earlier.value * 100
        agrees = computed != 0 and (computed > 0) == (change.direction > 0)
        close = abs(abs(computed) - change.percent) <= vocab.tolerance
        later.flags.append(CONSISTENT if agrees and close else INCONSISTENT)


def _anchored(pattern: re.Pattern[str], body: str, starts: Iterable[int]) -> list[re.Match[str]]:
    """``pattern.finditer(body)`` restricted to the given start positions (same non-overlap rule)."""
    out: list[re.Match[str]] = []
    last = -1
    for pos in sorted(set(starts)):
        if pos >= last and (m := pattern.match(body, pos)):
            out.append(m)
            last = m.end()
    return out


def _word_starts(lowered: str, words: Iterable[str]) -> list[int]:
    """Positions where one of ``words`` occurs (substring search in C; the patterns check boundaries)."""
    found = []
    for word in words:
        pos = lowered.find(word)
        while pos >= 0:
            found.append(pos)
            pos = lowered.find(word, pos + 1)
    return found


def _scan(body: str, vocab: _Vocab) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
    """Number-first and noun-first count matches. A regex of hundreds of phrases costs about 0.1 us
    per character even as a trie, so the patterns are only tried where a count can start: at a digit,
    a number word or a measure noun, found by plain substring search."""
    lowered = body.lower()
    if len(lowered) != len(body):  # a rare character changes length when lower-cased: scan it all
        return list(vocab.number_first.finditer(body)), list(vocab.noun_first.finditer(body))
    digits = [m.start() for m in _DIGIT_RUN.finditer(body)]
    numbers = _anchored(vocab.number_first, body, [*digits, *_word_starts(lowered, vocab.number_first_words)])
    nouns = _anchored(vocab.noun_first, body, _word_starts(lowered, vocab.noun_first_words))
    return numbers, nouns


def extract_statistics(body: str) -> list[Statistic]:
    """Tallies reported in ``body`` (cases, suspects, arrests, rehabilitations, prisoners, inmates,
    detainees, remissions), each with subject, period and the span of its number and noun phrase.

    Pure function of the text. Counts must be explicit tallies (see the module docstring and
    ``data/statistics.toml``); the same (measure, subject, period, value) is reported once.
    """
    if not body.strip():
        return []
    vocab = _vocab()
    number_first, noun_first = _scan(body, vocab)
    if not number_first and not noun_first:
        return []
    # Everything else is read only in the paragraphs that hold a candidate count: subjects and
    # periods never cross a paragraph, and most paragraphs of a story hold no count at all.
    hits = [m.start() for m in (*number_first, *noun_first)]
    active = [(i, p.start(), p.end()) for i, p in enumerate(_PARAGRAPH.finditer(body))
              if any(p.start() <= h < p.end() for h in hits)]
    spans = [(lo, hi) for _, lo, hi in active]
    sentences = _sentences(body, active, vocab)
    periods = _periods(body, spans, vocab)
    counts = _candidates(body, number_first, sentences, periods, vocab)
    counts += _noun_first(body, noun_first, sentences, periods, counts, vocab)
    if not counts:
        return []
    counts.sort(key=lambda c: c.start)
    cues = _subject_cues(body, spans, vocab)
    for count in counts:
        count.subject = _resolve_subject(count, body, cues, vocab)
    unique: list[_Count] = []
    seen: set[tuple[str, str | None, str | None, float]] = set()
    for count in counts:
        key = (count.measure, count.subject, count.period, count.value)
        if key not in seen:
            seen.add(key)
            unique.append(count)
    if len(unique) > 1:
        _check_changes(unique, _changes(body, spans, sentences, periods, vocab), body, vocab)
    return [
        Statistic(measure=c.measure, subject=c.subject, period=c.period, value=c.value, span=(c.start, c.end),
                  flags=c.flags)
        for c in unique
    ]
