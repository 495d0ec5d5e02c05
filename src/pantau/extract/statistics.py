"""Case statistics: the period tallies a story reports ("tercatat 121 kasus narkoba pada 2023").

A statistic is a count of cases, suspects, arrests or rehabilitations that an agency reports for a
period, with the crime it is about: {measure, subject, period, value}. A wrong number in the
database is worse than a missing one, so a number becomes a statistic only when

1. a measure noun follows it directly ("121 kasus", "dua tersangka", "226.143 orang"), or it closes
   a noun-first tally ("jumlah kasus ... mencapai 121", "penindakan rokok ilegal sebanyak 5 kali");
2. the measure's *gate* holds: a tally cue before it ("tercatat", "sebanyak", "sepanjang"), a
   stated period ("pada 2024"), or the measure's own verb right next to it ("mengamankan 12
   orang", "30 pecandu direhabilitasi");
3. it has a period (:mod:`pantau.extract.statistics_periods`): its own, one its sentence refers
   back to ("dari periode tersebut"), or the story's when the story opens as a period report. A
   count gated only by an arrest verb needs a period that says "over" ("selama periode April-Mei
   2025"): "polisi menangkap dua tersangka", even "pada Juni 2025", is one operation, not a tally;
4. it has a subject: the count's own phrase ("kasus narkoba"), else the nearest cue earlier in the
   sentence, else in the paragraph ("sedangkan pada 2024 angka tersebut turun menjadi 112 kasus"
   inherits *drugs* from "121 kasus narkoba" before it), else the next sentence when it opens by
   referring to the counted people ("... 56 tersangka. Mereka terlibat kasus narkotika").

Everything else -- ages "(29)", dates, money, drug quantities ("28 kilogram sabu" is a seizure),
law numbers, prison populations, remissions -- is left alone. The vocabulary (nouns, verbs, cues,
subjects, periods, change words) is in ``data/statistics.toml``; this module only wires it
together. Of counts of one measure and subject in one year, one over a narrower period inside
another's ("pada Juni 2025 saja" within "semester I 2025") is a part and is left out.

Flags on a Statistic: ``more_than``, ``at_least``, ``about``, ``almost``, ``less_than`` when the
text qualifies the number ("lebih dari 300 kasus"; the value is the stated number), and
``stated_change_consistent`` / ``stated_change_inconsistent`` from the check of a stated change
("turun 7%") against the figures (:mod:`pantau.extract.statistics_changes`).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from pantau.extract.headlines import is_headline_line
from pantau.extract.statistics_changes import CONSISTENT, INCONSISTENT, check_changes, stated_changes
from pantau.extract.statistics_periods import (
    Period,
    all_periods,
    claim_periods,
    find_periods,
    lead_period,
    months_of,
    phrases,
    record_period,
    referred_period,
)
from pantau.record import Statistic
from pantau.vocab import fold, load_toml

PERSONS = "persons"
ACTIONS = "actions"
# More digits than this is no count of anything (and more than a float holds exactly): skipped.
MAX_DIGITS = 15
_DIGITS = r"(?P<digits>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dec>\d+))?(?:\s+(?P<mult>ribu|juta))?(?![\w/]|[.,]\d)"
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“(\[]?[A-Z0-9])")
_PREV_TOKEN = re.compile(r"([\w.]+)\.?$")
_PARAGRAPH = re.compile(r"[^\n]+")
_DIGIT_RUN = re.compile(r"\d+")
_ABBREVIATIONS = frozenset({
    "no", "pol", "jl", "dr", "drs", "ir", "h", "hj", "st", "kab", "kec", "kel", "prof", "tbk", "dkk", "sdr", "bpk",
    "ny", "mr", "mrs", "kol", "sp", "s.h", "m.h", "s.i.k", "m.si", "s.sos", "s.e", "m.m", "a.md", "s.pd", "m.hum",
})
_SCALES = ("belas", "puluh", "ratus", "ribu")
_PERCENT = re.compile(r"\s*(?:%|persen(?![\w-])|per\s*sen(?![\w-]))", re.I)
_LIST_GAP = re.compile(r"\s*[,;]?\s*(?:dan|serta)?\s*", re.I)
_CLAUSE_END = re.compile(r"[,;:]")


def _bounded(words: Iterable[str]) -> str:
    return rf"(?<![\w-]){phrases(list(words))}(?![\w-])"


__all__ = ["CONSISTENT", "INCONSISTENT", "extract_statistics"]


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    paragraph: int
    paragraph_start: int


@dataclass
class _Count:
    measure: str
    value: float
    start: int
    end: int
    lead: int  # where the count's own words begin (qualifier or number)
    sentence: _Sentence
    noun_class: str
    tallied: bool  # a tally cue, a passive tally verb or a list continuation holds (not only a verb)
    period: Period | None = None
    subject: str | None = None
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Vocab:
    max_value: float  # the largest count a tally can report (data/statistics.toml)
    number_first: re.Pattern[str]
    noun_first: re.Pattern[str]
    noun_class: dict[str, str]
    gates: dict[str, str]  # measure -> gate kind (data/statistics.toml)
    number_words: dict[str, int]
    qualifier_tail: re.Pattern[str]
    qualifiers: dict[str, str]
    exclude_tail: re.Pattern[str]
    difference_tail: re.Pattern[str]
    tally: re.Pattern[str]
    tally_after: re.Pattern[str]
    case_link_tail: re.Pattern[str]
    before: dict[str, re.Pattern[str]]
    after: dict[str, re.Pattern[str]]
    subject_after: re.Pattern[str]
    subject_cue: re.Pattern[str]
    subject_key: dict[str, str]
    blocker_tail: re.Pattern[str]
    referring_opener: re.Pattern[str]
    skip_prefixes: tuple[str, ...]
    count_nouns: frozenset[str]
    windows: dict[str, int]
    number_first_words: tuple[str, ...]  # lower-case words that can start a number-first count
    noun_first_words: tuple[str, ...]  # lower-case words that can start a noun-first count
    total_tail: re.Pattern[str]


def _number_word_pattern(values: Iterable[str]) -> str:
    """Number words: a value word ("dua", "seratus") then value or scale words ("puluh", "ribu")."""
    values = list(values)
    first = phrases(values)
    word = phrases([*values, *_SCALES])
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
    noun_class.update({fold(n): "cases" for n in data["actions"]["number_first"]})
    qualifiers = {fold(k): v for k, v in data["qualifiers"].items()}
    number_first = re.compile(
        rf"{number}(?P<dup>\s*\(\s*[^\W\d_]+(?:\s+[^\W\d_]+)*\s*\))?\s+(?P<noun>{phrases(noun_class)})(?![\w-])", re.I)
    noun_first_class = {n: c for n, c in noun_class.items() if c not in (PERSONS,) and not n.startswith("kali ")}
    noun_first_class.update({fold(n): ACTIONS for n in data["actions"]["nouns"]})
    cues = data["cues"]
    gap_token = r"(?:(?:pada|tahun|sepanjang|selama|di|per)\s+(?:tahun\s+)?\d{4}|[^\s\d.,;:!?()\"“”]+)"
    noun_first = re.compile(
        rf"(?<![\w-])(?P<nfnoun>{phrases(noun_first_class)})(?![\w-])(?P<gap>(?:\s+{gap_token}){{0,8}}?)"
        rf"\s*(?:(?P<link>{phrases(cues['link'])})(?![\w-])\s*:?\s*|:\s*)?"
        rf"(?:(?P<qual>{phrases(qualifiers)})\s+)?{number}"
        rf"(?:\s+\(?\s*(?P<unit>orang|jiwa|kasus|perkara|kali)(?![\w-]))?", re.I)
    verbs = data["verbs"]
    fillers = phrases(verbs["fillers"])

    def tail(words: Iterable[str]) -> re.Pattern[str]:
        return re.compile(rf"(?<![\w-]){phrases(list(words))}(?:\s+{fillers}){{0,3}}\s*$", re.I)

    def head(words: Iterable[str]) -> re.Pattern[str]:
        return re.compile(rf"\s*,?\s*(?:{fillers}\s+){{0,3}}{phrases(list(words))}(?![\w-])", re.I)

    kinds = ("arrests", "suspects", "rehabilitations")
    before = {k: tail(verbs[f"{k}_before"]) for k in kinds}
    after = {k: head(verbs[f"{k}_after"]) for k in kinds}
    after["determination"] = head(verbs["determination_after"])
    subjects = data["subjects"]
    subject_key = {fold(cue): key for key, cue_list in subjects["cues"].items() for cue in cue_list}
    return _Vocab(
        max_value=float(data["numbers"]["max_value"]),
        number_first=number_first,
        noun_first=noun_first,
        noun_class={**noun_class, **noun_first_class},
        gates={**{name: spec["gate"] for name, spec in measures.items()}, PERSONS: "verb"},
        number_words=number_words,
        qualifier_tail=re.compile(rf"(?<![\w-])(?P<q>{phrases(qualifiers)})\s+$", re.I),
        qualifiers=qualifiers,
        exclude_tail=re.compile(rf"(?<![\w-]){phrases(data['exclude']['before'])}\s*$", re.I),
        difference_tail=re.compile(
            rf"(?<![\w-]){phrases(data['exclude']['change_difference'])}"
            r"(?:\s+(?:sebanyak|sebesar|sekitar|hingga))?\s*$", re.I),
        tally=re.compile(_bounded(cues["tally"]), re.I),
        tally_after=head(cues["tally_after"]),
        case_link_tail=re.compile(rf"(?<![\w-]){phrases(cues['case_link'])}\s*$", re.I),
        before=before,
        after=after,
        subject_after=re.compile(
            rf"(?:\s+{phrases(subjects['connectors'])})*\s+(?P<cue>{phrases(subject_key)})(?![\w-])", re.I),
        subject_cue=re.compile(_bounded(subject_key), re.I),
        subject_key=subject_key,
        blocker_tail=re.compile(rf"(?<![\w-]){phrases(subjects['blockers'])}\s*$", re.I),
        referring_opener=re.compile(rf"\s*[\"“]?(?P<o>{phrases(subjects['referring_openers'])})(?![\w-])", re.I),
        skip_prefixes=tuple(fold(p) for p in cues["skip_sentence_prefixes"]),
        count_nouns=frozenset(w.split()[0] for w in noun_class),
        windows={k: int(v) for k, v in data["window"].items()},
        number_first_words=tuple(sorted(number_words)),
        noun_first_words=tuple(sorted({n.split()[0] for n in noun_first_class})),
        total_tail=re.compile(r"(?<![\w-])(?:jumlah|total)\s+$", re.I),
    )


def _sentences(body: str, paragraphs: list[tuple[int, int, int]], vocab: _Vocab) -> list[_Sentence]:
    """Sentences of the given (index, start, end) paragraphs; cross-links to other stories ("Baca
    juga: ..." sentences, title-case headline lines) are dropped, so their numbers and words never
    count for this story."""
    out: list[_Sentence] = []
    for index, para_start, para_end in paragraphs:
        if is_headline_line(body[para_start:para_end]):
            continue
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
    """The integer a number match denotes; ``None`` for decimals without a multiplier ("19,4") and
    for numbers longer than MAX_DIGITS."""
    if m["digits"] is not None:
        if sum(c.isdigit() for c in m["digits"]) + len(m["dec"] or "") > MAX_DIGITS:
            return None
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


def _inside(periods: list[Period], pos: int) -> bool:
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


def _candidates(body: str, matches: list[re.Match[str]], sentences: list[_Sentence], periods: list[Period],
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
    claims = claim_periods([(lead, noun_end, sentence.start, sentence.end) for _, sentence, lead, _, noun_end in raw],
                           periods, body)
    for (m, sentence, lead, qualifier, noun_end), (period, late) in zip(raw, claims, strict=True):
        value = _number_value(m, vocab)
        if value is None:
            continue
        noun_class = vocab.noun_class[fold(m["noun"])]
        pre = body[max(sentence.start, lead - window):lead]
        post = body[noun_end:min(sentence.end, noun_end + vocab.windows["tally_after"])]
        if late and not (vocab.tally.search(pre) or vocab.tally_after.match(post)):
            period = None  # "menahan dua tersangka korupsi ... periode 2008-2022": the case's dates
        measure, tallied = _gate(noun_class, pre, post, period, vocab)
        previous = accepted[-1] if accepted else None
        if measure is None and previous is not None and _continues(previous, sentence, lead, noun_class, body):
            measure, tallied = previous.measure if previous.sentence == sentence else noun_class, True
            period = period or previous.period
        elif measure is None and previous is not None and previous.sentence == sentence and (
                previous.measure == "cases" and noun_class == "suspects" and vocab.case_link_tail.search(pre)):
            measure, tallied = "suspects", True  # "50 kasus dengan 60 tersangka"
        if measure is None:
            continue
        flags = [qualifier] if qualifier else []
        accepted.append(_Count(measure, value, m.start(), noun_end, lead, sentence, noun_class, tallied,
                               period=period, flags=flags))
    return accepted


def _continues(previous: _Count, sentence: _Sentence, lead: int, noun_class: str, body: str) -> bool:
    """Whether a count continues the list of the accepted count before it: in the same sentence
    with the same noun ("35 ..., 14.661 ... dan 400 ..."), or opening the next sentence of the
    paragraph as its breakdown, no other number in between ("... mengamankan 56 tersangka. 51 kasus
    narkoba, ...")."""
    if previous.sentence == sentence:
        return previous.noun_class == noun_class and _LIST_GAP.fullmatch(body, previous.end, lead) is not None
    return (noun_class != PERSONS and sentence.paragraph == previous.sentence.paragraph and lead == sentence.start
            and previous.sentence.end <= sentence.start and _DIGIT_RUN.search(body, previous.end, lead) is None)


def _gate(noun_class: str, pre: str, post: str, period: Period | None, vocab: _Vocab) -> tuple[str | None, bool]:
    """The measure of a number-first count, or ``None`` when nothing says it is a tally (the gate
    kinds are described in data/statistics.toml), and whether a tally cue or period (not only a
    verb) said so."""
    gate = vocab.gates[noun_class]
    tallied = bool(vocab.tally.search(pre)) or bool(vocab.tally_after.match(post))
    if gate == "tally":  # cases over a stated year are a tally whatever the verb
        return (noun_class, True) if tallied or period is not None else (None, False)
    if gate == "suspects":
        verb = vocab.before["suspects"].search(pre) or vocab.after["suspects"].match(post)
        return (noun_class, tallied) if tallied or period is not None or verb else (None, False)
    if vocab.after["determination"].match(post):
        return "suspects", tallied
    for kind in ("rehabilitations", "arrests"):
        if vocab.before[kind].search(pre) or vocab.after[kind].match(post):
            return kind, tallied
    return None, False


def _noun_first(body: str, matches: list[re.Match[str]], sentences: list[_Sentence], periods: list[Period],
                taken: list[_Count], vocab: _Vocab) -> list[_Count]:
    """Counts written noun first: "jumlah kasus ... mencapai 121", "penindakan ... sebanyak 5 kali"."""
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
        gap = m["gap"].strip()
        if noun_class == ACTIONS:
            ok = unit == "kali" and bool(m["link"])  # "penindakan rokok ilegal sebanyak 5 kali"
        elif unit is not None and unit != "kali" and (unit in ("orang", "jiwa")) == (noun_class != "cases"):
            ok = bool(m["link"]) or not gap
        else:
            ok = unit is None and bool(m["link"]) and bool(vocab.total_tail.search(body, sentence.start, m.start()))
        if not ok or vocab.difference_tail.search(body, m.start(), num_start) or _PERCENT.match(body, m.end()):
            continue
        value = _number_value(m, vocab)
        if value is None:
            continue
        measure = "cases" if noun_class == ACTIONS else noun_class  # the noun-first form is itself a tally
        period = claim_periods([(m.start(), m.end(), sentence.start, sentence.end)], periods, body)[0][0]
        flags = [vocab.qualifiers[fold(m["qual"])]] if m["qual"] else []
        out.append(_Count(measure, value, m.start(), m.end(), m.start(), sentence, noun_class, True, period=period,
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
    """Explicit subject in the count's phrase, else the nearest cue before it in its sentence, else the
    first after it in its clause, else the nearest before it in its paragraph, else one in the next
    sentence that refers to the counted people. Cues cross paragraphs only that way: a new
    paragraph may be a new story thread."""
    phrase = vocab.subject_cue.search(body, count.lead, count.end)
    if phrase:
        return vocab.subject_key[fold(phrase.group())]
    before_in_sentence = [key for start, end, key in cues if count.sentence.start <= start and end <= count.lead]
    if before_in_sentence:
        return before_in_sentence[-1]
    clause = _CLAUSE_END.search(body, count.end, count.sentence.end)
    clause_end = clause.start() if clause else count.sentence.end
    after_in_clause = [key for start, _, key in cues if count.end <= start < clause_end]
    if after_in_clause:
        return after_in_clause[0]  # "2.016 orang yang ditetapkan tersangka kasus narkoba"
    before_in_paragraph = [key for start, end, key in cues
                           if count.sentence.paragraph_start <= start and end <= count.sentence.start]
    if before_in_paragraph:
        return before_in_paragraph[-1]
    return _referred_subject(count, body, cues, vocab)


def _referred_subject(count: _Count, body: str, cues: list[tuple[int, int, str]], vocab: _Vocab) -> str | None:
    """The first subject cue of the next sentence when it opens by referring to the counted people
    ("... menangkap 56 tersangka. Mereka terlibat kasus narkotika, ...")."""
    opener = vocab.referring_opener.search(body, count.sentence.end)
    if opener is None or body[count.sentence.end:opener.start()].strip(" \n\"“”'"):
        return None
    end = _SENTENCE_END.search(body, opener.end())
    limit = end.start() if end else len(body)
    return next((key for start, _, key in cues if opener.end() <= start < limit), None)


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


def _periods_of(counts: list[_Count], body: str, vocab: _Vocab) -> None:
    """Give counts without a period of their own the period they refer back to, else the story's
    (for counts with a tally cue of their own); see data/statistics.toml [periods]."""
    if all(c.period is not None for c in counts):
        return
    every = all_periods(body, vocab.count_nouns)
    lead = lead_period(body, vocab.count_nouns)
    for count in counts:
        if count.period is None:
            count.period = referred_period(body, (count.sentence.start, count.sentence.end), count.lead, every)
            if count.period is not None:
                count.period = Period(count.period.start, count.period.end, count.period.value, True)
            elif count.tallied and lead is not None and lead.start < count.start:
                count.period = lead


def _is_tally(count: _Count) -> bool:
    """A period tally: a period that says "over", or a weaker one with a tally cue of its own; cases
    and rehabilitations are never one operation's, any stated period will do."""
    return count.period is not None and count.subject is not None and (
        count.tallied or count.period.strong or count.measure in ("cases", "rehabilitations"))


def _parts(counts: list[_Count]) -> set[int]:
    """Counts over a narrower period inside another count's period, of the same measure, subject and
    year: parts of that total ("pada Juni 2025 saja" within "semester I 2025")."""
    parts = set()
    for a, b in itertools.permutations(counts, 2):
        if (a.measure, a.subject) != (b.measure, b.subject) or a.period is None or b.period is None:
            continue
        (a_lo, a_hi), (b_lo, b_hi) = months_of(a.period.value), months_of(b.period.value)
        if b_lo <= a_lo and a_hi <= b_hi and (a_lo, a_hi) != (b_lo, b_hi):
            parts.add(id(a))
    return parts


def _holds(positions: list[int], start: int, end: int) -> bool:
    """Whether one of the sorted ``positions`` is in ``[start, end)`` (a binary search: a long story has dozens of
    paragraphs and candidate counts)."""
    k = bisect.bisect_left(positions, start)
    return k < len(positions) and positions[k] < end


def extract_statistics(body: str) -> list[Statistic]:
    """Period tallies reported in ``body`` (cases, suspects, arrests, rehabilitations), each with
    subject, period and the span of its number and noun phrase.

    Pure function of the text. Counts must be explicit tallies over a period (see the module
    docstring and ``data/statistics.toml``); the same (measure, subject, period, value) is reported
    once.
    """
    if not body.strip():
        return []
    vocab = _vocab()
    number_first, noun_first = _scan(body, vocab)
    if not number_first and not noun_first:
        return []
    # Counts are read only in the paragraphs that hold a candidate count: their periods and subjects
    # come from there; a period the sentence refers back to, or the story's, from the whole body.
    hits = sorted(m.start() for m in (*number_first, *noun_first))
    active = [(i, p.start(), p.end()) for i, p in enumerate(_PARAGRAPH.finditer(body))
              if _holds(hits, p.start(), p.end())]
    spans = [(lo, hi) for _, lo, hi in active]
    sentences = _sentences(body, active, vocab)
    periods = find_periods(body, spans, vocab.count_nouns)
    counts = _candidates(body, number_first, sentences, periods, vocab)
    counts += _noun_first(body, noun_first, sentences, periods, counts, vocab)
    if not counts:
        return []
    counts.sort(key=lambda c: c.start)
    _periods_of(counts, body, vocab)
    cues = _subject_cues(body, [(p.start(), p.end()) for p in _PARAGRAPH.finditer(body)], vocab)
    for count in counts:
        count.subject = _resolve_subject(count, body, cues, vocab)
    counts = [c for c in counts if _is_tally(c) and c.value <= vocab.max_value]
    parts = _parts(counts)
    unique: list[_Count] = []
    seen: set[tuple[str, str | None, str | None, float]] = set()
    for count in counts:
        key = (count.measure, count.subject, record_period(count.period.value) if count.period else None, count.value)
        if id(count) not in parts and key not in seen:
            seen.add(key)
            unique.append(count)
    if len(unique) > 1:
        check_changes(unique, stated_changes(body, spans, sentences, periods), body)
    return [
        Statistic(measure=c.measure, subject=c.subject, period=record_period(c.period.value) if c.period else None,
                  value=c.value, span=(c.start, c.end), flags=c.flags)
        for c in unique
    ]
