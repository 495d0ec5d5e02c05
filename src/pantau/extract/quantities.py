"""Amounts written the Indonesian way: a number, a unit, and the words that qualify them.

Why a module of its own: Indonesian notation is the reverse of the English one ("." groups
thousands, "," is the decimal comma: "1.185 gram" is 1185 g, "28,5 kg" is 28.5 kg), amounts are
often written in words ("dua ratus lima puluh butir", "setengah kilogram"), and news mixes in
vague amounts ("ribuan butir") that must never become a number. Reading an amount wrongly is worse
than not reading it, so every form here is exact or is left alone. The drug-seizure extractor
(and any later extractor of amounts) builds on :func:`find_quantities`.

Vocabulary (units and their factors, number words, multipliers, fractions, vague words, qualifiers,
gross/net words) lives in ``data/units.toml``; the patterns are compiled from it once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from pantau.vocab import fold, load_toml

# Window of text looked at before a number for a vague word, a range or a split decimal.
_LOOKBACK = 24
# Amounts are looked for only near a unit word: from this many characters before the unit (more
# than the longest qualifier + number in words) to this many after it (paren unit, "lebih", basis).
_BEFORE_UNIT = 120
_AFTER_UNIT = 60
# More digits than this is no amount of anything (and more than a float holds exactly): a number
# that long is a scraping accident or a code, and is not read.
MAX_DIGITS = 15
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_DECIMAL = re.compile(r"\d+,\d+")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class Unit:
    unit: str
    factor: Decimal
    requires_kind: str | None


@dataclass(frozen=True, slots=True)
class Quantity:
    """One amount found in a text. ``value`` is in the normalised ``unit`` (grams for weights)."""

    value: float
    unit: str
    unit_term: str
    qualifier: str | None
    weight_basis: str | None
    span: tuple[int, int]
    number_span: tuple[int, int]
    requires_kind: str | None = None
    precision: int = 1  # significant digits as written: the more precise of two restatements wins


@dataclass(frozen=True, slots=True)
class _Vocab:
    units: dict[str, Unit]
    ones: dict[str, int]
    se: dict[str, int]
    belas: int
    small_scales: dict[str, int]
    multipliers: dict[str, int]
    fractions: dict[str, Decimal]
    symbols: dict[str, Decimal]
    qualifiers: dict[str, str]
    case_sensitive_units: dict[str, str]
    after_unit: dict[str, str]
    basis: dict[str, str]
    pattern: re.Pattern[str]
    unit_pattern: re.Pattern[str]
    word_token: re.Pattern[str]
    before: re.Pattern[str]
    qualifier_tail: re.Pattern[str]
    limits: dict[str, float]


def alternation(words: list[str] | set[str]) -> str:
    """Regex matching any of the literal phrases, the longest possible first.

    Built as a trie ("sabu(?:-sabu|\\s+kristal)?|shabu...") rather than a flat "a|b|c": Python's
    engine tries a flat alternation branch by branch at every offset, a trie one character at a
    time, which makes the big vocabularies several times faster to scan. A space in a phrase
    matches any run of white space.
    """
    trie: dict[str, dict] = {}
    for word in {" ".join(w.split()) for w in words if w.strip()}:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, dict]) -> str:
    ends = "" in node
    branches = [(r"\s+" if char == " " else re.escape(char)) + _trie_regex(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
    return body


def _decimal(value: float | int | str) -> Decimal:
    return Decimal(str(value))


@cache
def _vocab() -> _Vocab:
    data = load_toml("units")
    units: dict[str, Unit] = {}
    case_sensitive: dict[str, str] = {}
    for spec in data["units"].values():
        unit = Unit(spec["unit"], _decimal(spec["factor"]), spec.get("requires_kind"))
        for form in spec.get("forms", []):
            units[fold(form)] = unit
        for form in spec.get("case_sensitive", []):
            units[fold(form)] = unit
            case_sensitive[fold(form)] = form
    numbers = data["numbers"]
    ones = {fold(k): int(v) for k, v in numbers["ones"].items()}
    se = {fold(k): int(v) for k, v in numbers["se"].items()}
    small_scales = {fold(k): int(v) for k, v in numbers["small_scales"].items()}
    multipliers = {fold(k): int(v) for k, v in numbers["multipliers"].items()}
    fractions = {fold(k): _decimal(v) for k, v in numbers["fractions"].items()}
    symbols = {k: _decimal(v) for k, v in numbers["symbols"].items()}
    symbols |= {k: _decimal(v) for k, v in numbers["slashed"].items()}
    qualifiers = {
        fold(form): key
        for key, forms in data["qualifiers"].items()
        if key not in ("after_unit", "not_after_unit")
        for form in forms
    }
    after_unit = {fold(k): v for k, v in data["qualifiers"]["after_unit"].items()}
    not_after_unit = alternation([fold(w) for w in data["qualifiers"]["not_after_unit"]])
    basis = {fold(form): key for key, forms in data["weight_basis"].items() for form in forms}

    # Patterns run on lower-cased text (see `lowered`): case-sensitive matching of literal
    # alternatives lets the regex engine skip quickly, several times faster than IGNORECASE.
    start_words = alternation(list(ones) + list(se) + list(fractions))
    number_words = [*ones, *se, *fractions, *small_scales, *multipliers, "belas"]
    any_words = alternation(number_words)
    words = rf"(?<!\w)(?:{start_words})\b(?:\s+(?:{any_words})\b)*"
    digits = r"(?<![\w.,/])(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d+|\d+)(?![\d/])"
    symbol = rf"(?<![\w.,/])(?:{alternation(list(symbols))})(?![\w/])"
    unit_alt = alternation(list(units))
    word_qualifiers = [q for q in qualifiers if q[0].isalpha()]
    sign_qualifiers = [q for q in qualifiers if not q[0].isalpha()]
    qualifier = rf"(?:(?<!\w)(?:{alternation(word_qualifiers)})\b|{alternation(sign_qualifiers)})"
    pattern = re.compile(
        rf"(?<![\w.,/])(?:(?P<qual>{qualifier})\s*)?"
        rf"(?P<num>{symbol}|{digits}|{words})"
        rf"(?:\s+(?P<mult>{alternation(list(multipliers))})\b)?"
        rf"\s*(?P<unit>{unit_alt})(?!\w)"
        rf"(?:\s*\(\s*(?:{unit_alt})\s*\))?"
        rf"(?:\s+(?P<after>{alternation(list(after_unit))})\b(?!\s+(?:{not_after_unit})\b))?"
        rf"(?:\s*\(?\s*(?P<basis>{alternation(list(basis))})\b\s*\)?)?",
    )
    # A unit word anywhere (also glued to digits: "5gram"): the cheap first pass.
    unit_pattern = re.compile(rf"(?<![a-z])(?:{unit_alt})(?!\w)")
    word_token = re.compile(rf"\b(?:{any_words})\b")
    # What stands right before a number, in one pattern: a vague word ("puluhan 5 gram"), the
    # lower end of a range ("2-3 gram", "2 hingga 3 gram") or the integer part of a decimal
    # split by a space ("19.426, 7307"; "17, 45").
    vague = alternation([fold(w) for w in data["numbers"]["vague"]])
    range_separator = alternation([fold(w) for w in data["ranges"]["separators"]])
    before = re.compile(
        rf"(?:(?P<vague>(?<!\w)(?:{vague}))\s*"
        rf"|(?P<range>(?<![\w.,])\d+(?:[.,]\d+)?\s*(?:{range_separator})\s*)"
        r"|(?:(?<![\w.,])(?P<grouped>\d{1,3}(?:\.\d{3})+)|(?P<split>\d)),\s+)$"
    )
    qualifier_tail = re.compile(rf"{qualifier}\s*$")
    return _Vocab(
        units, ones, se, int(numbers["belas"]), small_scales, multipliers, fractions, symbols, qualifiers,
        case_sensitive, after_unit, basis, pattern, unit_pattern, word_token, before, qualifier_tail,
        {unit: float(limit) for unit, limit in data["limits"].items()},
    )


def lowered(text: str) -> str:
    """``text`` in lower case, character for character (offsets stay valid).

    ``str.lower`` never shortens a string; the rare characters it lengthens ("İ") are kept as
    they are, so every index into the result is an index into ``text``.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(lc := c.lower()) != 1 else lc for c in text)


def parse_digits(text: str) -> Decimal | None:
    """A number in Indonesian digit notation: "1.185" = 1185, "28,5" = 28.5, "1.234,56" = 1234.56.

    A dot followed by other than exactly three digits can only be a decimal point ("1.5").
    """
    text = text.strip()
    if _GROUPED.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    elif _COMMA_DECIMAL.fullmatch(text):
        text = text.replace(",", ".")
    elif not _PLAIN.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_number_words(text: str) -> Decimal | None:
    """A number written in Indonesian words: "dua ratus lima puluh" = 250, "satu setengah" = 1.5.

    Returns None for anything that is not a well-formed number ("ribuan", "dua tiga").
    """
    v = _vocab()
    phrase = fold(text)
    tokens = [fold(m.group(0)) for m in v.word_token.finditer(phrase)]
    if not tokens or " ".join(tokens) != phrase:
        return None
    total = Decimal(0)
    group = 0  # value inside the current thousand group
    digit = 0  # the last single digit word, waiting for its scale
    fraction: Decimal | None = None
    for token in tokens:
        if fraction is not None:
            return None  # nothing may follow a fraction
        if token in v.ones:
            if digit:
                return None
            digit = v.ones[token]
        elif token == "belas":
            if not 1 <= digit <= 9:
                return None
            group, digit = group + v.belas + digit, 0
        elif token in v.small_scales:
            if not 1 <= digit <= 9:
                return None
            group, digit = group + digit * v.small_scales[token], 0
        elif token in v.multipliers or (token in v.se and v.se[token] >= 1000):
            if token in v.se:
                count, scale = 1, v.se[token]
                if group or digit:
                    return None
            else:
                count, scale = group + digit, v.multipliers[token]
                if count == 0:
                    return None
            total += count * scale
            group = digit = 0
        elif token in v.se:
            if digit:
                return None
            group += v.se[token]
        elif token in v.fractions:
            fraction = v.fractions[token]
        else:
            return None
    return total + group + digit + (fraction or 0)


def parse_number(text: str) -> Decimal | None:
    """A number in digits, a fraction symbol or words; None when it is not one."""
    text = text.strip()
    if text in _vocab().symbols:
        return _vocab().symbols[text]
    if text[:1].isdigit():
        return parse_digits(text)
    return parse_number_words(text)


def _precision(number_text: str) -> int:
    digits = "".join(c for c in number_text if c.isdigit()).lstrip("0")
    if "," not in number_text:
        digits = digits.rstrip("0")
    return max(len(digits), 1)


def _matches(low: str, v: _Vocab) -> list[re.Match[str]]:
    """Matches of the amount pattern, looked for only in windows around unit words.

    Scanning the whole text with the full pattern costs several times more than finding the rare
    unit words first. A window starts far enough before its unit that every amount ending at the
    unit starts inside it; the pattern's look-behinds see the text before the window, so a window
    never starts a number in the middle of one.
    """
    units = [m.start() for m in v.unit_pattern.finditer(low)]
    if not units:
        return []
    windows: list[list[int]] = []
    for u in units:
        start, end = max(0, u - _BEFORE_UNIT), min(len(low), u + _AFTER_UNIT)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    wanted = set(units)
    return [m for start, end in windows for m in v.pattern.finditer(low, start, end) if m.start("unit") in wanted]


_MINUS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash


def _negative(low: str, num_start: int) -> bool:
    """A minus sign glued to the number, with no number before it ("-5", not the range "2-5")."""
    if num_start == 0 or low[num_start - 1] not in _MINUS:
        return False
    before = low[:num_start - 1].rstrip()
    return not before or not before[-1].isdigit()


def find_quantities(text: str, *, low: str | None = None) -> list[Quantity]:
    """Every exact amount with a unit in ``text``, in order.

    Left out, on purpose: vague amounts ("ribuan gram", "puluhan ribu butir"), the upper end of a
    range ("2-3 gram", "2 hingga 3 gram"), and a number after an ambiguous split decimal
    ("17, 45 gram"). A split decimal after a thousands-grouped number is joined
    ("19.426, 7307 gram" = 19426.7307 g), since a list would not be written that way.
    ``low`` is ``lowered(text)`` when the caller already has it.
    """
    v = _vocab()
    low = lowered(text) if low is None else low
    found: list[Quantity] = []
    for m in _matches(low, v):
        num_start, num_end = m.span("num")
        number_text = m.group("num")
        start = m.start()
        prior = v.before.search(low, max(0, num_start - _LOOKBACK), num_start)
        if prior and (prior.group("vague") or prior.group("range")):
            continue
        if prior and number_text[0].isdigit():
            if prior.group("grouped") is None or not number_text.isdigit() or m.group("qual"):
                continue  # "17, 45 gram": a list or a broken decimal; do not guess
            number_text = f"{prior.group('grouped')},{number_text}"
            num_start = start = prior.start("grouped")
        if sum(c.isdigit() for c in number_text) > MAX_DIGITS:
            continue
        if _negative(low, num_start):
            continue  # "-5 gram": no one seizes a negative amount
        number = parse_number(number_text)
        if number is None or number <= 0:
            continue
        unit_term = text[m.start("unit"):m.end("unit")]
        unit_key = fold(unit_term)
        if unit_key in v.case_sensitive_units and unit_term != v.case_sensitive_units[unit_key]:
            continue  # "2 l" is not "2 L"
        unit = v.units.get(unit_key)
        if unit is None:
            continue
        if m.group("mult"):
            number *= v.multipliers[fold(m.group("mult"))]
        value = number * unit.factor
        if value > v.limits.get(unit.unit, float("inf")):
            continue  # past any seizure on record: a typo or a hostile figure, not a fact
        qualifier = v.qualifiers.get(fold(m.group("qual"))) if m.group("qual") else None
        if m.group("after") and qualifier is None:
            qualifier = v.after_unit[fold(m.group("after"))]
        basis = v.basis[fold(m.group("basis"))] if m.group("basis") else None
        end = m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        found.append(Quantity(
            value=float(value),
            unit=unit.unit,
            unit_term=unit_term,
            qualifier=qualifier,
            weight_basis=basis,
            span=(start, end),
            number_span=(num_start, num_end),
            requires_kind=unit.requires_kind,
            precision=_precision(number_text),
        ))
    return found


def parse_quantity(text: str) -> Quantity | None:
    """The first amount in ``text`` (a convenience for single phrases such as "28,5 kg")."""
    found = find_quantities(text)
    return found[0] if found else None


def qualifier_ending(text: str) -> str | None:
    """The qualifier ("about", "more_than", ...) whose words end ``text`` (lower case), if any:
    "didapati kurang lebih " ends with "about"."""
    v = _vocab()
    found = v.qualifier_tail.search(text[-_LOOKBACK:])
    return v.qualifiers.get(fold(found.group(0))) if found else None


def weight_basis_of(word: str) -> str | None:
    """'gross' / 'net' for a gross/net word ("bruto", "neto"), else None."""
    return _vocab().basis.get(fold(word))
