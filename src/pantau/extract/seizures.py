"""Drug seizures: which substance, how much, and whether the figure is one case or a year's total.

Why rules and not a model: a seizure figure goes into a database that people sum and compare, so
a wrong number is worse than a missing one. A seizure is read only where the text states it
plainly, and every fact keeps the span it came from.

The rules (vocabulary in ``data/substances.toml`` and ``data/units.toml``):

* **Amount + drug.** An exact amount (:mod:`pantau.extract.quantities`) belongs to a drug name
  only when the words between them are all linking words: forward ("28 kilogram sabu",
  "19,4 kilogram narkotika jenis sabu") or backward ("sabu seberat 40 kg", "sabu dengan berat
  total 25 gram"). When an amount could link both ways, a backward link through a measuring word
  ("seberat", "sebanyak") wins, else the shorter link, else the forward one unless the next drug
  name has its own amount ("sabu 5 gram ekstasi 10 butir"). A pill-only unit ("biji") or a
  plant-only unit ("batang", "pohon") needs a drug of that kind.
* **Seizure context.** The pair's sentence must hold a seizure cue ("disita", "mengamankan",
  "barang bukti", "seberat", ...). Prices and rates never count ("Rp 1,5 juta per gram",
  "harga 1 gram sabu", "1 gram sabu per hari"), nor headlines of linked stories ("Baca juga:").
* **Package + weight.** When one drug mention has both a package count and a measure
  ("5 paket sabu seberat 2,5 gram"), only the measure is kept (its span covers both). A package
  count is a seizure (unit ``package``) only when the story gives no measure for that substance
  and period at all: "satu paket sabu" in one sentence and "sabu dengan berat 0,48 gram" in the
  next are the same evidence.
* **Vague amounts** ("ribuan butir", "puluhan kilogram") are never read: no seizure.
* **Period.** A figure is a total when its sentence ties a year to it ("sepanjang 2024",
  "selama tahun 2023", "pada 2024", "periode Januari-Juni 2024"). "Sepanjang tahun ini" takes the
  latest explicit year written before it in the same sentence or paragraph (a line of the clean
  body), else the caller's reference year; "tahun lalu" only the reference year minus one. Otherwise ``period`` is null.
* **Restatements.** News repeats a figure ("6.521 gram atau 6,5 kg" ... "sabu seberat 6,5
  kilogram"): seizures of the same substance and unit within 1 % of each other, and not of two
  different periods, are one fact; the most precisely written figure is kept, with the period
  if either mention gives one ("Sepanjang 2024 ... 28 kg sabu" then "28 kg sabu itu ..."). Two
  separate equal seizures in one story are therefore reported once.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from pantau.extract.quantities import Quantity, alternation, find_quantities, lowered, weight_basis_of
from pantau.record import Seizure
from pantau.vocab import fold, load_toml

MAX_FORWARD_LINKS = 5
MAX_BACKWARD_LINKS = 6
# Characters before an amount searched for its drug name: more than a drug name plus the
# longest run of MAX_BACKWARD_LINKS linking words.
BACKWARD_WINDOW = 160
RESTATEMENT_TOLERANCE = 0.01
# Characters before an amount searched for a related-article marker ("Baca juga:"): a headline.
LINK_WINDOW = 200
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    substance: str
    kind: str | None


@dataclass(slots=True)
class _Pair:
    quantity: Quantity
    mention: _Mention
    links: list[str]
    span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Vocab:
    substance_pattern: re.Pattern[str]
    substance_of: dict[str, str]
    kind_of: dict[str, str | None]
    cue: re.Pattern[str]
    forward_links: frozenset[str]
    backward_links: frozenset[str]
    measure_links: frozenset[str]
    not_after: re.Pattern[str]
    not_before: re.Pattern[str]
    link_marker: re.Pattern[str]
    explicit_period: re.Pattern[str]
    deictic_period: re.Pattern[str]
    deictic: dict[str, int]
    sentence_break: re.Pattern[str]


def _words(words: list[str]) -> str:
    return rf"(?<!\w)(?:{alternation([fold(w) for w in words])})(?!\w)"


@cache
def _vocab() -> _Vocab:
    data = load_toml("substances")
    substance_of: dict[str, str] = {}
    kind_of: dict[str, str | None] = {}
    for key, spec in data["substance"].items():
        kind_of[key] = spec.get("kind")
        for form in spec["forms"]:
            substance_of[fold(form)] = key
    not_substance = [fold(f) for f in data.get("not_substance", {}).get("forms", [])]
    context = data["context"]
    period = data["period"]
    months = [fold(m) for m in load_toml("dates")["months"]]
    year_word = alternation([fold(w) for w in period["year_words"]])
    month = rf"(?:(?:{alternation([fold(w) for w in period['month_words']])})\s+)?(?:{alternation(months)})\b\.?"
    separator = alternation([fold(w) for w in period["range_separators"]])
    strong = _words(period["strong_cues"])
    weak = _words(period["weak_cues"])
    explicit_period = re.compile(
        rf"{strong}\s+(?:(?:{year_word})\s+)?(?:{month}(?:\s*(?:{separator})\s*{month})?\s+)?"
        rf"(?:(?:{year_word})\s+)?(?P<y1>{_YEAR})(?![\d/])"
        rf"|{weak}\s+(?:(?:{year_word})\s+)?(?P<y2>{_YEAR})(?![\d/])"
        rf"|(?<!\d\s)(?<![\d.:/])(?<!\w)(?:{year_word})\s+(?P<y3>{_YEAR})(?![\d/])",
    )
    deictic = {fold(k): int(v) for k, v in period["deictic"].items()}
    deictic_period = re.compile(
        rf"(?:{strong}|{weak})\s+(?P<d>{alternation(list(deictic))})(?!\w)"
    )
    return _Vocab(
        # These run on lower-cased text, case-sensitively: much faster than IGNORECASE.
        substance_pattern=re.compile(_words([*substance_of, *not_substance])),
        substance_of=substance_of,
        kind_of=kind_of,
        cue=re.compile(_words(context["cues"])),
        forward_links=frozenset(fold(w) for w in context["forward_links"]),
        backward_links=frozenset(fold(w) for w in context["backward_links"]),
        measure_links=frozenset(fold(w) for w in context["measure_links"]),
        not_after=re.compile(rf"(?:^|(?<=\s)|(?<=\())(?:{alternation(context['not_after'])})\s*$"),
        not_before=re.compile(rf"\s*(?:{alternation(context['not_before'])})(?!\w)"),
        link_marker=re.compile(rf"(?<!\w)(?:{alternation(context['link_markers'])})"),
        explicit_period=explicit_period,
        deictic_period=deictic_period,
        deictic=deictic,
        sentence_break=re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z])"),
    )


def _link_tokens(gap: str, allowed: frozenset[str], limit: int) -> list[str] | None:
    """The linking words of a gap between an amount and a drug name, or None if it does not link."""
    if "\n" in gap:
        return None
    tokens = [fold(t) for t in gap.split()]
    if len(tokens) > limit or not all(t in allowed for t in tokens):
        return None
    if not gap[:1].isspace() and tokens:
        return None
    return tokens


class _Text:
    """A body, its lower-cased twin, and lazily split sentences, for quick look-ups.

    Drug names are looked for only next to amounts (forward and backward from each), never in
    the whole text: most of a story is far from any amount.
    """

    def __init__(self, body: str, low: str, v: _Vocab) -> None:
        self.body = body
        self.low = low
        self.v = v
        self._sentences: dict[int, list[int]] = {}
        self.cues: dict[tuple[int, int], bool] = {}

    def paragraph_start(self, pos: int) -> int:
        """Start of the paragraph holding ``pos``: a clean body has one paragraph a line."""
        return self.body.rfind("\n", 0, pos) + 1

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence holding ``[start, end)`` (split lazily, one paragraph at a time)."""
        line_start = self.paragraph_start(start)
        line_end = self.body.find("\n", end)
        if line_end < 0:
            line_end = len(self.body)
        starts = self._sentences.get(line_start)
        if starts is None:
            breaks = self.v.sentence_break.finditer(self.body, line_start, line_end)
            starts = self._sentences[line_start] = [line_start, *(m.end() for m in breaks)]
        i = bisect_right(starts, start) - 1
        j = bisect_left(starts, end)
        return starts[max(i, 0)], starts[j] if j < len(starts) else line_end

    def forward(self, q: Quantity, v: _Vocab) -> tuple[_Mention, list[str]] | None:
        """The drug name after an amount, through linking words only.

        Walked word by word (not looked up among the mentions found in the body), because a drug
        form may begin with the unit word: "5 batang ganja" is 5 plants of "ganja", though the
        body's own scan sees "batang ganja".
        """
        body = self.low
        pos = q.span[1]
        tokens: list[str] = []
        while True:
            space = _SPACE.match(body, pos)
            if space is None or "\n" in space.group(0):
                return None
            pos = space.end()
            found = v.substance_pattern.match(body, pos)
            if found:
                key = v.substance_of.get(fold(found.group(0)))
                return None if key is None else (_Mention(found.start(), found.end(), key, v.kind_of[key]), tokens)
            word = _WORD.match(body, pos)
            if word is None or len(tokens) == MAX_FORWARD_LINKS or fold(word.group(0)) not in v.forward_links:
                return None
            tokens.append(fold(word.group(0)))
            pos = word.end()

    def backward(self, q: Quantity, v: _Vocab) -> tuple[_Mention, list[str]] | None:
        """The last drug name before an amount, if only linking words stand between them."""
        found = list(v.substance_pattern.finditer(self.low, max(0, q.span[0] - BACKWARD_WINDOW), q.span[0]))
        last = found[-1] if found else None
        if last is None or (key := v.substance_of.get(fold(last.group(0)))) is None:
            return None
        mention = _Mention(last.start(), last.end(), key, v.kind_of[key])
        tokens = _link_tokens(self.body[mention.end:q.span[0]], v.backward_links, MAX_BACKWARD_LINKS)
        return None if tokens is None else (mention, tokens)

    def has_own_amount(self, mention: _Mention, quantities: list[Quantity], v: _Vocab) -> bool:
        """Whether an amount follows this drug name through backward links ("ekstasi 10 butir")."""
        for q in quantities:
            if q.span[0] >= mention.end:
                gap = self.body[mention.end:q.span[0]]
                return _link_tokens(gap, v.backward_links, MAX_BACKWARD_LINKS) is not None
        return False


def _pair(q: Quantity, text: _Text, quantities: list[Quantity], v: _Vocab) -> _Pair | None:
    fw = text.forward(q, v)
    bw = text.backward(q, v)
    choice: tuple[_Mention, list[str]] | None
    if fw and bw:
        bw_score = len(bw[1]) - (2 if v.measure_links.intersection(bw[1]) else 0)
        fw_score = len(fw[1])
        prefer_bw = bw_score < fw_score or (bw_score == fw_score and text.has_own_amount(fw[0], quantities, v))
        choice = bw if prefer_bw else fw
    else:
        choice = fw or bw
    if choice is None:
        return None
    mention, links = choice
    if q.requires_kind and mention.kind != q.requires_kind:
        return None
    span = (min(q.span[0], mention.start), max(q.span[1], mention.end))
    return _Pair(q, mention, links, span)


def _is_seizure(pair: _Pair, text: _Text, v: _Vocab) -> bool:
    body = text.low
    start, end = pair.span
    for pos in {start, pair.quantity.span[0]}:
        if v.not_after.search(body, max(0, pos - 12), pos):
            return False
    for pos in {end, pair.quantity.span[1]}:
        if v.not_before.match(body, pos, pos + 12):
            return False
    s_start, s_end = text.sentence(start, end)
    line_start = body.rfind("\n", 0, start) + 1
    if v.link_marker.search(body, max(s_start, line_start, start - LINK_WINDOW), start):
        return False
    if (s_start, s_end) not in text.cues:
        text.cues[(s_start, s_end)] = v.cue.search(body, s_start, s_end) is not None
    return text.cues[(s_start, s_end)]


def _year(m: re.Match[str]) -> str:
    return next(g for g in m.group("y1", "y2", "y3") if g)


_Years = tuple[list[tuple[int, str]], str | None]


def _sentence_years(text: _Text, s_start: int, s_end: int, year: int | None) -> _Years:
    """The (end, year) period mentions of a sentence, and its resolved "tahun ini" year, if any."""
    v, body = text.v, text.low
    explicit = [(m.end(), _year(m)) for m in v.explicit_period.finditer(body, s_start, s_end)]
    if explicit:
        return explicit, None
    deictic = v.deictic_period.search(body, s_start, s_end)
    if deictic is None:
        return [], None
    offset = v.deictic[fold(deictic.group("d"))]
    if offset == 0:
        earlier = list(v.explicit_period.finditer(body, text.paragraph_start(s_start), deictic.start()))
        if earlier:
            return [], _year(earlier[-1])
    return [], str(year + offset) if year is not None else None


def _period(pair: _Pair, text: _Text, cache: dict[tuple[int, int], _Years], year: int | None) -> str | None:
    sentence = text.sentence(*pair.span)
    if sentence not in cache:
        cache[sentence] = _sentence_years(text, *sentence, year)
    explicit, deictic = cache[sentence]
    if explicit:
        before = [y for end, y in explicit if end <= pair.span[0]]
        return before[-1] if before else explicit[0][1]
    return deictic


def _basis(pair: _Pair) -> str | None:
    if pair.quantity.weight_basis:
        return pair.quantity.weight_basis
    for token in pair.links:
        basis = weight_basis_of(token)
        if basis:
            return basis
    return None


def _merge_packages(pairs: list[_Pair]) -> list[_Pair]:
    """Per drug mention: keep measures over a package count, the package span folded in."""
    by_mention: dict[int, list[_Pair]] = {}
    for pair in pairs:
        by_mention.setdefault(pair.mention.start, []).append(pair)
    kept: list[_Pair] = []
    for group in by_mention.values():
        measures = [p for p in group if p.quantity.unit != "package"]
        packages = [p for p in group if p.quantity.unit == "package"]
        if not measures:
            kept.append(packages[0])
            continue
        seen_units: set[str] = set()
        for p in measures:
            if p.quantity.unit in seen_units:
                continue
            seen_units.add(p.quantity.unit)
            for pkg in packages:
                p.span = (min(p.span[0], pkg.span[0]), max(p.span[1], pkg.span[1]))
            kept.append(p)
    return kept


def _restates(a: Seizure, b: Seizure) -> bool:
    """Whether two seizures are one fact written twice (see the module docstring)."""
    if (a.substance, a.unit) != (b.substance, b.unit) or a.quantity is None or b.quantity is None:
        return False
    if a.period != b.period and a.period is not None and b.period is not None:
        return False
    return abs(a.quantity - b.quantity) <= RESTATEMENT_TOLERANCE * max(a.quantity, b.quantity)


def _dedupe(seizures: list[tuple[Seizure, int]]) -> list[Seizure]:
    """One seizure per fact: the most precisely written figure, with the period if any says it."""
    kept: list[tuple[Seizure, int]] = []
    for seizure, precision in seizures:
        for i, (other, other_precision) in enumerate(kept):
            if _restates(seizure, other):
                best = seizure if precision > other_precision else other
                period = other.period or seizure.period
                kept[i] = (best.model_copy(update={"period": period}), max(precision, other_precision))
                break
        else:
            kept.append((seizure, precision))
    measured = {(s.substance, s.period) for s, _ in kept if s.unit != "package"}
    kept = [(s, p) for s, p in kept if s.unit != "package" or (s.substance, s.period) not in measured]
    return [s for s, _ in sorted(kept, key=lambda item: item[0].span)]


def extract_seizures(body: str, *, year: int | None = None) -> list[Seizure]:
    """Drug seizures stated in ``body``, in text order.

    ``year`` is the reference year ("now", e.g. the publication year), used only to resolve
    "sepanjang tahun ini" / "tahun lalu" when the text itself gives no year.
    """
    low = lowered(body)
    quantities = find_quantities(body, low=low)
    if not quantities:
        return []
    v = _vocab()
    text = _Text(body, low, v)
    pairs = [p for q in quantities if (p := _pair(q, text, quantities, v)) and _is_seizure(p, text, v)]
    found: list[tuple[Seizure, int]] = []
    periods: dict[tuple[int, int], _Years] = {}
    for pair in sorted(_merge_packages(pairs), key=lambda p: p.span):
        q = pair.quantity
        seizure = Seizure(
            substance=pair.mention.substance,
            term=body[pair.mention.start:pair.mention.end],
            quantity=q.value,
            unit=q.unit,
            qualifier=q.qualifier,
            weight_basis=_basis(pair),
            period=_period(pair, text, periods, year),
            span=pair.span,
        )
        found.append((seizure, q.precision))
    return _dedupe(found)
