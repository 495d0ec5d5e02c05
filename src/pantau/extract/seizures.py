"""Drug seizures: which substance, how much, and whether the figure is one case or a year's total.

Why rules and not a model: a seizure figure goes into a database that people sum and compare, so
a wrong number is worse than a missing one. A seizure is read only where the text states it
plainly, and every fact keeps the span it came from.

The rules (vocabulary in ``data/substances.toml`` and ``data/units.toml``):

* **Amount + drug.** An exact amount (:mod:`pantau.extract.quantities`) belongs to a drug name
  only when the words between them are all linking words: forward ("28 kilogram sabu",
  "19,4 kilogram narkotika jenis sabu") or backward ("sabu seberat 40 kg", "sabu dengan berat
  total 25 gram", "sabu sebanyak 30 bungkus dengan berat 30 kg"). When an amount could link both
  ways, a backward link through a measuring word ("seberat", "sebanyak") wins, else the shorter
  link, else the forward one unless the next drug name has its own amount ("sabu 5 gram ekstasi
  10 butir"). A pill-only unit ("biji") or a plant-only unit ("batang", "pohon") needs a drug of
  that kind. A package count may also name its drug inside the package, in the same clause
  ("1 bungkus plastik warna ungu berisi daun kering yang berisi ganja"). A class word
  ("narkotika", "psikotropika") is a drug of its own, "other", only when no drug name follows it.
* **Seizure context.** The pair's sentence must hold a seizure cue ("disita", "mengamankan",
  "barang bukti", "seberat", ...), or the sentence before it when this one continues an evidence
  list ("Selain itu, ... satu bungkus ganja"; up to MAX_LIST_SENTENCES sentences). Prices and
  rates never count ("Rp 1,5 juta per gram", "harga 1 gram sabu", "1 gram sabu per hari"), nor
  headlines of other stories ("Baca juga: ...", title-case lines: :mod:`pantau.extract.headlines`).
* **Package + weight.** When one drug mention has both a package count and a measure
  ("5 paket sabu seberat 2,5 gram"), only the measure is kept (its span covers both). A package
  count is a seizure (unit ``package``) only when the story gives no measure for that substance
  and period at all: "satu paket sabu" in one sentence and "sabu dengan berat 0,48 gram" in the
  next are the same evidence.
* **Vague amounts** ("ribuan butir", "puluhan kilogram") are never read: no seizure.
* **Period** (:mod:`pantau.extract.seizure_periods`): a figure is a total when its sentence ties
  a year to it ("sepanjang 2024", "periode Januari-Juni 2024"), or when the story opens as a
  period report ("... selama periode April-Mei 2025") and the figure dates no single event.
* **One fact once** (:mod:`pantau.extract.seizure_facts`): a figure restated ("19,4 kilogram" in
  the lead, "19.426,7307 gram neto" in a quote), given as gross and as net weight, or summed into a
  total of its itemised parts is reported once, as first stated.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from pantau.extract.headlines import headline_continues, is_headline_line
from pantau.extract.quantities import Quantity, alternation, find_quantities, lowered, qualifier_ending, weight_basis_of
from pantau.extract.seizure_facts import Found, one_fact_each
from pantau.extract.seizure_periods import Periods
from pantau.record import Seizure
from pantau.vocab import fold, load_toml

MAX_FORWARD_LINKS = 5
MAX_BACKWARD_LINKS = 6
# Characters before an amount searched for its drug name: more than a drug name plus the
# longest run of MAX_BACKWARD_LINKS linking words (and a package count among them).
BACKWARD_WINDOW = 180
# An evidence list may run over this many sentences, each after the first opening with a
# continuation word ("... menyita barang bukti. Yaitu 96 butir peluru ... Selain itu, ...").
MAX_LIST_SENTENCES = 3
# Characters before an amount searched for a related-article marker ("Baca juga:"): a headline.
LINK_WINDOW = 200
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")
_CLAUSE_END = re.compile(r"[,;.!?\n]")
# Between two items of an evidence list: "10 linting ganja, lima paket kecil, serta ...".
_LIST_SEPARATOR = re.compile(r"\s*(?:[,;]\s*(?:(?:dan|serta)\s+)?|\s(?:dan|serta)\s+)")
# What may follow an item whose drug is left unsaid: the next separator or the item's weight.
_ITEM_END = re.compile(r"\s*(?:[,;.]|\s(?:dan|serta|seberat|dengan\s+berat|berat)\b|$)")
_OPENING_MARKS = "\"“‘'([ "


@dataclass(frozen=True, slots=True)
class _Drug:
    key: str  # the record's substance key
    kind: str | None
    generic: bool


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    drug: _Drug


@dataclass(slots=True)
class _Pair:
    quantity: Quantity
    mention: _Mention
    links: list[str]
    span: tuple[int, int]
    item: int = -1  # one evidence item (a package count and its weight); the mention's start by default

    def __post_init__(self) -> None:
        if self.item < 0:
            self.item = self.mention.start


@dataclass(frozen=True, slots=True)
class _Vocab:
    substance_pattern: re.Pattern[str]
    drug_of: dict[str, _Drug]  # folded form -> drug; not_substance forms are absent
    cue: re.Pattern[str]
    forward_links: frozenset[str]
    backward_links: frozenset[str]
    measure_links: frozenset[str]
    containers: frozenset[str]
    container_words: int
    continuation: re.Pattern[str]
    not_after: re.Pattern[str]
    not_before: re.Pattern[str]
    link_marker: re.Pattern[str]
    sentence_break: re.Pattern[str]


def _words(words: list[str]) -> str:
    return rf"(?<!\w)(?:{alternation([fold(w) for w in words])})(?!\w)"


@cache
def _vocab() -> _Vocab:
    data = load_toml("substances")
    drug_of: dict[str, _Drug] = {}
    for name, spec in data["substance"].items():
        drug = _Drug(spec.get("key", name), spec.get("kind"), bool(spec.get("generic", False)))
        for form in spec["forms"]:
            drug_of[fold(form)] = drug
    not_substance = [fold(f) for f in data.get("not_substance", {}).get("forms", [])]
    context = data["context"]
    return _Vocab(
        # These run on lower-cased text, case-sensitively: much faster than IGNORECASE.
        substance_pattern=re.compile(_words([*drug_of, *not_substance])),
        drug_of=drug_of,
        cue=re.compile(_words(context["cues"])),
        forward_links=frozenset(fold(w) for w in context["forward_links"]),
        backward_links=frozenset(fold(w) for w in context["backward_links"]),
        measure_links=frozenset(fold(w) for w in context["measure_links"]),
        containers=frozenset(fold(w) for w in context["containers"]),
        container_words=int(context["container_words"]),
        continuation=re.compile(rf"[{re.escape(_OPENING_MARKS)}]*{_words(context['continuation_openers'])}"),
        not_after=re.compile(rf"(?:^|(?<=\s)|(?<=\())(?:{alternation(context['not_after'])})\s*$"),
        not_before=re.compile(rf"\s*(?:{alternation(context['not_before'])})(?!\w)"),
        link_marker=re.compile(rf"(?<!\w)(?:{alternation(context['link_markers'])})"),
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

    def __init__(self, body: str, low: str, quantities: list[Quantity], v: _Vocab) -> None:
        self.body = body
        self.low = low
        self.quantities = quantities
        self.v = v
        self._sentences: dict[int, list[int]] = {}
        self.cues: dict[tuple[int, int], bool] = {}

    def paragraph_start(self, pos: int) -> int:
        """Start of the paragraph holding ``pos``: a clean body has one paragraph a line."""
        return self.body.rfind("\n", 0, pos) + 1

    def paragraph_end(self, pos: int) -> int:
        end = self.body.find("\n", pos)
        return len(self.body) if end < 0 else end

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence holding ``[start, end)`` (split lazily, one paragraph at a time)."""
        line_start = self.paragraph_start(start)
        line_end = self.paragraph_end(end)
        starts = self._sentences.get(line_start)
        if starts is None:
            breaks = self.v.sentence_break.finditer(self.body, line_start, line_end)
            starts = self._sentences[line_start] = [line_start, *(m.end() for m in breaks)]
        i = bisect_right(starts, start) - 1
        j = bisect_left(starts, end)
        return starts[max(i, 0)], starts[j] if j < len(starts) else line_end

    def previous_sentence(self, start: int) -> tuple[int, int] | None:
        """The sentence before the one starting at ``start`` (it may close the paragraph before)."""
        pos = start - 1
        while pos >= 0 and self.body[pos].isspace():
            pos -= 1
        return None if pos < 0 else self.sentence(pos, pos + 1)

    def mention_at(self, found: re.Match[str]) -> _Mention | None:
        drug = self.v.drug_of.get(fold(found.group(0)))
        return None if drug is None else _Mention(found.start(), found.end(), drug)

    def forward(self, q: Quantity) -> tuple[_Mention, list[str]] | None:
        """The drug name after an amount, through linking words only.

        Walked word by word (not looked up among the mentions found in the body), because a drug
        form may begin with the unit word: "5 batang ganja" is 5 plants of "ganja", though the
        body's own scan sees "batang ganja". A class word ("narkotika") is walked past: a drug
        name after it ("narkotika jenis sabu") is the drug, else the class word itself is.
        """
        v, body = self.v, self.low
        pos = q.span[1]
        tokens: list[str] = []
        generic: tuple[_Mention, list[str]] | None = None
        while True:
            space = _SPACE.match(body, pos)
            if space is None or "\n" in space.group(0):
                break
            pos = space.end()
            found = v.substance_pattern.match(body, pos)
            if found:
                mention = self.mention_at(found)
                if mention is None:
                    break  # a place name such as "Sabu Raijua"
                if not mention.drug.generic:
                    return mention, tokens
                generic = generic or (mention, list(tokens))
                tokens.append(fold(found.group(0)))
                pos = found.end()
                continue
            word = _WORD.match(body, pos)
            if word is None or len(tokens) >= MAX_FORWARD_LINKS or fold(word.group(0)) not in v.forward_links:
                break
            tokens.append(fold(word.group(0)))
            pos = word.end()
        return generic or (self.contents(q) if q.unit == "package" else None)

    def contents(self, q: Quantity) -> tuple[_Mention, list[str]] | None:
        """The drug named inside a package, in the package's own clause: "1 bungkus plastik warna
        ungu berisi daun kering yang berisi ganja". None when another amount stands in between
        ("1 bungkus rokok berisi 3 linting ganja": the joints have their own count)."""
        v, body = self.v, self.low
        clause_end = _CLAUSE_END.search(body, q.span[1])
        end = clause_end.start() if clause_end else len(body)
        words = list(_WORD.finditer(body, q.span[1], end))[:v.container_words]
        opener = next((w for w in words if fold(w.group(0)) in v.containers), None)
        if opener is None:
            return None
        limit = words[-1].end() if words else opener.end()
        if any(opener.end() <= other.span[0] < limit for other in self.quantities):
            return None
        for found in v.substance_pattern.finditer(body, opener.end(), limit):
            mention = self.mention_at(found)
            if mention is not None:
                return mention, [fold(opener.group(0))]
        return None

    def backward(self, q: Quantity) -> tuple[_Mention, list[str]] | None:
        """The last drug name before an amount, if only linking words stand between them.

        A package count in that gap is passed over: "sabu sebanyak 30 bungkus dengan berat 30 kg".
        """
        v = self.v
        found = list(v.substance_pattern.finditer(self.low, max(0, q.span[0] - BACKWARD_WINDOW), q.span[0]))
        mention = self.mention_at(found[-1]) if found else None
        if mention is None:
            return None
        gap = self.body[mention.end:q.span[0]]
        for other in reversed(self.quantities):
            if other.unit == "package" and mention.end < other.span[0] and other.span[1] <= q.span[0]:
                gap = gap[:other.span[0] - mention.end] + " " + gap[other.span[1] - mention.end:]
        tokens = _link_tokens(gap, v.backward_links, MAX_BACKWARD_LINKS)
        return None if tokens is None else (mention, tokens)

    def has_own_amount(self, mention: _Mention) -> bool:
        """Whether an amount follows this drug name through backward links ("ekstasi 10 butir")."""
        for q in self.quantities:
            if q.span[0] >= mention.end:
                gap = self.body[mention.end:q.span[0]]
                return _link_tokens(gap, self.v.backward_links, MAX_BACKWARD_LINKS) is not None
        return False

    def has_cue(self, sentence: tuple[int, int]) -> bool:
        if sentence not in self.cues:
            self.cues[sentence] = self.v.cue.search(self.low, *sentence) is not None
        return self.cues[sentence]


def _pair(q: Quantity, text: _Text) -> _Pair | None:
    fw = text.forward(q)
    bw = text.backward(q)
    choice: tuple[_Mention, list[str]] | None
    if fw and bw:
        bw_score = len(bw[1]) - (2 if text.v.measure_links.intersection(bw[1]) else 0)
        fw_score = len(fw[1])
        prefer_bw = bw_score < fw_score or (bw_score == fw_score and text.has_own_amount(fw[0]))
        choice = bw if prefer_bw else fw
    else:
        choice = fw or bw
    if choice is None:
        return None
    mention, links = choice
    if q.requires_kind and mention.drug.kind != q.requires_kind:
        return None
    span = (min(q.span[0], mention.start), max(q.span[1], mention.end))
    return _Pair(q, mention, links, span)


def _elided(q: Quantity, previous: _Pair, text: _Text) -> _Pair | None:
    """An item of an evidence list that leaves its drug unsaid, paired with the item before it.

    "10 linting ganja, lima paket kecil, satu paket besar seberat 350 gram": the five packets
    are a new item of ganja (a list separator before, the item's end after), and 350 gram is the
    weight of the big packet (measuring links after a package count).
    """
    body = text.low
    gap_start = max(previous.span[1], previous.quantity.span[1])
    if gap_start > q.span[0]:
        return None
    gap = body[gap_start:q.span[0]]
    if _LIST_SEPARATOR.fullmatch(gap) and _ITEM_END.match(body, q.span[1]):
        item = q.span[0]
    elif (q.unit != "package" and previous.quantity.unit == "package"
          and _link_tokens(text.body[gap_start:q.span[0]], text.v.backward_links, MAX_BACKWARD_LINKS)):
        item = previous.item
    else:
        return None
    if q.requires_kind and previous.mention.drug.kind != q.requires_kind:
        return None
    return _Pair(q, previous.mention, [], q.span, item)


def _pairs(text: _Text) -> list[_Pair]:
    """Every amount read as a seizure, in text order; list items that leave their drug unsaid
    take the drug of the item before them in the same sentence."""
    pairs: list[_Pair] = []
    previous: _Pair | None = None
    for q in text.quantities:
        pair = _pair(q, text)
        if pair is None and previous is not None and text.sentence(*previous.span) == text.sentence(*q.span):
            pair = _elided(q, previous, text)
        if pair is not None and _is_seizure(pair, text):
            pairs.append(pair)
            previous = pair
    return pairs


def _separate_items(pairs: list[_Pair], text: _Text) -> set[int]:
    """Package pairs listed in one sentence beside a weighed item of the same drug ("10 linting
    ganja, ... satu paket besar seberat 350 gram"): separate evidence, not that item's packets."""
    weighed: dict[tuple[int, int], set[tuple[str, int]]] = {}
    for p in pairs:
        if p.quantity.unit != "package":
            weighed.setdefault(text.sentence(*p.span), set()).add((p.mention.drug.key, p.item))
    return {id(p) for p in pairs
            if p.quantity.unit == "package"
            and any(key == p.mention.drug.key and item != p.item
                    for key, item in weighed.get(text.sentence(*p.span), ()))}


def _in_headline(pair: _Pair, text: _Text, sentence: tuple[int, int]) -> bool:
    """Whether the pair stands in another story's headline (see :mod:`pantau.extract.headlines`)."""
    start = pair.span[0]
    line_start = text.paragraph_start(start)
    if is_headline_line(text.body[line_start:text.paragraph_end(start)]):
        return True
    window = max(sentence[0], line_start, start - LINK_WINDOW)
    markers = list(text.v.link_marker.finditer(text.low, window, start))
    return bool(markers) and headline_continues(text.body[markers[-1].end():start])


def _is_seizure(pair: _Pair, text: _Text) -> bool:
    v, body = text.v, text.low
    start, end = pair.span
    for pos in {start, pair.quantity.span[0]}:
        if v.not_after.search(body, max(0, pos - 12), pos):
            return False
    for pos in {end, pair.quantity.span[1]}:
        if v.not_before.match(body, pos, pos + 12):
            return False
    sentence = text.sentence(start, end)
    if _in_headline(pair, text, sentence):
        return False
    for _ in range(MAX_LIST_SENTENCES):
        if text.has_cue(sentence):
            return True
        previous = text.previous_sentence(sentence[0]) if v.continuation.match(body, sentence[0]) else None
        if previous is None:
            return False
        sentence = previous
    return False


def _qualifier(pair: _Pair, text: _Text) -> str | None:
    """The amount's own qualifier, else one standing before the drug name of a backward link
    ("kurang lebih sabu sebanyak dua gram")."""
    q = pair.quantity
    if q.qualifier or pair.mention.start > q.span[0]:
        return q.qualifier
    return qualifier_ending(text.low[max(0, pair.mention.start - 24):pair.mention.start])


def _basis(pair: _Pair) -> str | None:
    if pair.quantity.weight_basis:
        return pair.quantity.weight_basis
    for token in pair.links:
        basis = weight_basis_of(token)
        if basis:
            return basis
    return None


def _merge_packages(pairs: list[_Pair]) -> list[_Pair]:
    """Per evidence item: keep measures over a package count, the package span folded in."""
    by_mention: dict[int, list[_Pair]] = {}
    for pair in pairs:
        by_mention.setdefault(pair.item, []).append(pair)
    kept: list[_Pair] = []
    for group in by_mention.values():
        measures = [p for p in group if p.quantity.unit != "package"]
        packages = [p for p in group if p.quantity.unit == "package"]
        if not measures:
            # Nested packages ("satu bungkus ... berisi empat plastik klip ... ganja"): the inner count.
            kept.append(max(packages, key=lambda p: p.quantity.span[0]))
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
    text = _Text(body, low, quantities, v)
    pairs = _pairs(text)
    if not pairs:
        return []
    periods = Periods(body, low, year)
    found: list[Found] = []
    merged = _merge_packages(pairs)
    separate = _separate_items(merged, text)
    for pair in sorted(merged, key=lambda p: p.span):
        q = pair.quantity
        seizure = Seizure(
            substance=pair.mention.drug.key,
            term=body[pair.mention.start:pair.mention.end],
            quantity=q.value,
            unit=q.unit,
            qualifier=_qualifier(pair, text),
            weight_basis=_basis(pair),
            period=periods.of(text.sentence(*pair.span), pair.span[0]),
            span=pair.span,
        )
        found.append(Found(seizure, generic=pair.mention.drug.generic, separate=id(pair) in separate))
    return one_fact_each(found)
