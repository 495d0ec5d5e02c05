"""From scraped text to headline + story paragraphs.

A scraped page arrives as lines: category labels, the headline, photo captions, a repeated
headline, the lead ("BALANGANEWS, PALANGKA RAYA – ..."), the story with inline "BACA JUGA:" links
and advertisements, then tags, share bars, related lists and comment forms. ``clean_text`` keeps
every paragraph of the story, in order, and nothing else. The forms it drops are vocabulary in
``data/boilerplate.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pantau.clean.dateline import Dateline, parse_dateline
from pantau.clean.normalize import normalize_text
from pantau.vocab import fold, load_toml

# How far down the page the lead may start (category, headline, captions, repeated headline...).
MAX_HEADER_LINES = 8
MIN_HEADLINE_WORDS = 3
MAX_HEADLINE_WORDS = 30
MIN_LEAD_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…\"”’)]\s*$")
_SENTENCE_STOP = re.compile(r"[.!?…](?:\s|$)")
_TRIM = " \t:|.-–—•·"


@dataclass(frozen=True, slots=True)
class _Rules:
    drop_exact: frozenset[str]
    drop_prefix: tuple[str, ...]
    stop_exact: frozenset[str]
    stop_prefix: tuple[str, ...]
    inline: re.Pattern[str] | None
    inline_keys: tuple[str, ...] | None  # the inline fragments lower-cased, when all are ASCII (``_may_hold_inline``)
    stop_inline: re.Pattern[str] | None
    category: frozenset[str]
    caption_prefix: tuple[str, ...]
    prefix_size: int = 0  # characters of the longest prefix above (``_folded_head``)


def _inline_terminator(prefixes: list[str]) -> re.Pattern[str] | None:
    """A terminator prefix right after a sentence's end inside a line (see ``boilerplate.toml``), matched with
    the stop that ends the sentence: the terminator starts one character after the match (a pattern that opens
    with the stop, rather than a look-behind for it, lets the engine scan for stops in C)."""
    if not prefixes:
        return None
    words = "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"[.!?\"”]\s*(?:{words})", re.I)


@cache
def _rules() -> _Rules:
    data = load_toml("boilerplate")

    def exact(section: str) -> frozenset[str]:
        return frozenset(_key(x) for x in data[section].get("exact", []))

    def prefix(section: str) -> tuple[str, ...]:
        return tuple(fold(x) for x in data[section].get("prefix", []))

    fragments = data["inline"]["fragments"]
    inline = re.compile("|".join(re.escape(f) for f in sorted(fragments, key=len, reverse=True)), re.I)
    return _Rules(
        drop_exact=exact("drop_line"), drop_prefix=prefix("drop_line"),
        stop_exact=exact("terminator"), stop_prefix=prefix("terminator"),
        inline=inline if fragments else None,
        inline_keys=tuple(f.lower() for f in fragments) if all(f.isascii() for f in fragments) else None,
        stop_inline=_inline_terminator([fold(x) for x in data["terminator"].get("prefix", []) if len(x.split()) >= 3]),
        category=exact("category"), caption_prefix=prefix("caption"),
        prefix_size=max(map(len, (*prefix("drop_line"), *prefix("terminator"), *prefix("caption"))), default=0),
    )


_CACHED_LINE = 500  # characters: the lines compared again and again are headlines and short lines


def _key(line: str) -> str:
    """A line as compared with the vocabulary and the other lines (cached up to ``_CACHED_LINE`` characters: a
    story line is compared several times, and the headline with each of them; a cache of whole paragraphs
    would hold megabytes of text in a long-running process)."""
    return _short_key(line) if len(line) <= _CACHED_LINE else fold(line.strip(_TRIM))


@lru_cache(maxsize=1 << 12)
def _short_key(line: str) -> str:
    return fold(line.strip(_TRIM))


def _folded_head(line: str, rules: _Rules) -> str:
    """``fold(line)``, or a beginning of it as long as the longest prefix of the rules or longer: all a prefix test
    needs. Folding is per character and only shortens white space, so the fold of the line's beginning is a
    beginning of the line's fold; a story paragraph is folded a few hundred characters short of whole."""
    size = rules.prefix_size
    cut = 2 * size + 8
    if len(line) <= cut:
        return fold(line)
    head = fold(line[:cut])
    return head if len(head) >= size else fold(line)


@dataclass(slots=True)
class CleanText:
    title: str | None
    paragraphs: list[str]
    outlet: str | None = None
    dateline: str | None = None
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (reason, line), for debugging

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


# The characters besides ASCII letters that an ASCII letter matches case-insensitively in ``re`` (simple case
# folding: "İ", "ı", "ſ" and the Kelvin sign), which ``str.lower`` does not turn into that letter.
_CASE_OUTLIERS = "\u0130\u0131\u017f\u212a"


def _may_hold_inline(text: str, rules: _Rules) -> bool:
    """Whether ``rules.inline`` can match somewhere in ``text``: a case-insensitive pattern of literals scans about
    ten times slower than ``str.lower`` and a substring search, and most texts hold no fragment. For ASCII
    fragments the two agree unless the text holds one of ``_CASE_OUTLIERS``, which leaves the answer to the
    pattern."""
    keys = rules.inline_keys
    if keys is None or any(char in text for char in _CASE_OUTLIERS):
        return True
    lowered = text.lower()
    return any(key in lowered for key in keys)


def _is_furniture(line: str, rules: _Rules, key: str | None = None) -> bool:
    key = _key(line) if key is None else key
    return not key or key in rules.drop_exact or _folded_head(line, rules).startswith(rules.drop_prefix)


def _is_terminator(line: str, rules: _Rules, key: str | None = None) -> bool:
    key = _key(line) if key is None else key
    return key in rules.stop_exact or _folded_head(line, rules).startswith(rules.stop_prefix)


def _looks_like_headline(line: str, rules: _Rules) -> bool:
    words = line.split()
    return (
        MIN_HEADLINE_WORDS <= len(words) <= MAX_HEADLINE_WORDS
        and not line.rstrip().endswith(".")
        and _key(line) not in rules.category
        and not _folded_head(line, rules).startswith(rules.caption_prefix)
    )


def _looks_like_lead(line: str) -> bool:
    words = len(line.split())
    return words >= MIN_LEAD_WORDS and (bool(_SENTENCE_END.search(line)) or words >= 25)


def _is_caption(line: str, rules: _Rules) -> bool:
    """A photo or video caption ("Foto: ...", "Screenshot video viral ..."), not a lead that opens with the same
    word as prose ("Video seorang pengendara ... viral di media sosial. Akibat ..."): a lower-case word after
    the caption word and the length or the sentences of a lead."""
    if not _folded_head(line, rules).startswith(rules.caption_prefix):
        return False
    words = line.split()
    prose = len(words) > 1 and words[1][:1].islower()
    return not (prose and (len(words) >= 25 or len(_SENTENCE_STOP.findall(line)) >= 2))


def _find_lead(lines: list[str], rules: _Rules) -> tuple[int, Dateline | None]:
    """Index of the lead paragraph and its dateline, if it has one."""
    limit = min(len(lines), MAX_HEADER_LINES)
    for index in range(limit):
        dateline = parse_dateline(lines[index])
        if dateline is not None:
            return index, dateline
    for index in range(limit):
        if _looks_like_lead(lines[index]) and not _is_caption(lines[index], rules):
            return index, None
    return 0, None


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` goes on with the sentence ``previous`` left open: scrapers put an emphasised word on a
    line of its own ("... dibawa olehnya dari" / "kapal pukat" / "dan akan dibawa ..."), so a line opening in
    lower case after a line with no closing punctuation is the same paragraph."""
    return line[:1].islower() and previous[-1:].isalnum()  # no closing punctuation or quote mark


def clean_text(text: str, title_hint: str | None = None) -> CleanText:
    """Headline, outlet, dateline and story paragraphs of a scraped article."""
    rules = _rules()
    dropped: list[tuple[str, str]] = []
    lines: list[str] = []
    keys: dict[str, str] = {}  # each line's key, read once (a paragraph over _CACHED_LINE is folded anew each time)
    normalized = normalize_text(text)
    inline = rules.inline is not None and _may_hold_inline(normalized, rules)
    for line in normalized.split("\n"):
        if inline and rules.inline is not None:
            stripped = rules.inline.sub(" ", line).strip()
            if stripped != line:
                dropped.append(("inline", line))
                line = " ".join(stripped.split())
        if not line:
            continue
        keys[line] = key = _key(line)
        if _is_furniture(line, rules, key):
            dropped.append(("furniture", line))
            continue
        lines.append(line)

    lead_index, dateline = _find_lead(lines, rules)
    header, story = lines[:lead_index], lines[lead_index:]
    title = title_hint.strip() if title_hint and title_hint.strip() else None
    if title is None:
        title = next((h for h in header if _looks_like_headline(h, rules)), None)
        if title is None and dateline is None and len(story) > 1 and _looks_like_headline(story[0], rules) \
                and not _looks_like_lead(story[0]):
            title, story = story[0], story[1:]
    dropped.extend(("header", h) for h in header if h != title)

    paragraphs: list[str] = []
    seen: set[str] = set()
    ended = False  # the story ended inside the previous line
    title_fold = _key(title) if title is not None else None
    for position, line in enumerate(story):
        if position == 0 and dateline is not None:
            line = line[dateline.end:].strip()
        key = keys.get(line)
        if key is None:
            key = _key(line)
        if ended or (position > 0 and _is_terminator(line, rules, key)):
            dropped.extend(("after-end", rest) for rest in story[position:])
            break
        ending = rules.stop_inline.search(line) if rules.stop_inline is not None else None
        if ending is not None:
            cut = ending.start() + 1  # after the stop
            dropped.append(("after-end", line[cut:].strip()))
            line, ended = line[:cut].strip(), True
            key = _key(line)
        if (title_fold is not None and key == title_fold) or key in seen:
            dropped.append(("repeat", line))
            continue
        seen.add(key)
        if paragraphs and _continues(paragraphs[-1], line):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
            continue
        paragraphs.append(line)
    return CleanText(
        title=title, paragraphs=paragraphs,
        outlet=dateline.outlet if dateline else None,
        dateline=dateline.place if dateline else None,
        dropped=dropped,
    )
