"""Unicode and white-space normalisation of scraped text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from pantau.clean.dateline import is_masthead_word, unglue_dateline
from pantau.regions import is_place_name
from pantau.vocab import load_toml, zipf

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE_CHARS = r"\t\u00a0\u2000-\u200a\u202f\u205f\u3000"  # white space other than " " and line breaks
# A run of white space that is not one plain space (each becomes one space): a single space, most of them, is left
# alone rather than replaced by itself.
_SPACES = re.compile(rf"[ {_SPACE_CHARS}]{{2,}}|[{_SPACE_CHARS}]")
_OTHER_SPACE = re.compile(rf"[{_SPACE_CHARS}]")
# "Jakarta\n-\nSingapura ...": a dateline split over three lines by the page layout.
_SPLIT_DATELINE = re.compile(r"\A\s*([^\n]{1,60})\n\s*([-–—|]{1,2})\s*\n")


@dataclass(frozen=True, slots=True)
class _GluedVerb:
    pattern: re.Pattern[str]
    verbs: tuple[str, ...]  # longest first
    lower_case: bool  # every verb is lower-case ASCII letters: then only a word of ``_LONG_CAPITALISED`` can hold one


def capitalised_words(min_lower: int) -> re.Pattern[str]:
    """Whole words of a capital and ``min_lower`` or more lower-case ASCII letters: ``\\b[A-Z][a-z]{n,}\\b``, written
    capital first (the word boundary before it as a look-behind after it), so that the engine scans for a capital
    in C and tries the rest only there (twice as fast over news text as a pattern that opens with ``\\b``)."""
    return re.compile(rf"[A-Z](?<!\w[A-Z])[a-z]{{{min_lower},}}\b")


MIN_GLUED_VERB = 8
_LONG_CAPITALISED = capitalised_words(2 + MIN_GLUED_VERB)


@cache
def _glued_verb() -> _GluedVerb:
    """A capitalised word with a speech verb glued to it by the scraper ("Mahendramengatakan"): the verbs of
    ``data/quotes.toml`` that introduce a quote, long enough never to end a name by chance."""
    verbs = sorted((v for v in load_toml("quotes")["cues"]["before_verbs"] if len(v) >= MIN_GLUED_VERB), key=len,
                   reverse=True)
    pattern = re.compile(rf"\b([A-Z][a-z]{{2,}})({'|'.join(map(re.escape, verbs))})\b")
    return _GluedVerb(pattern, tuple(verbs), all(re.fullmatch("[a-z]+", v) for v in verbs))


def _split_glued_verbs(text: str) -> str:
    """``text`` with the speech verbs glued to a capitalised word set apart (``_glued_verb``). A match is a whole
    word of ASCII letters, a capital and two or more lower-case letters before the verb, so when the verbs are
    lower-case ASCII words, a text none of whose long capitalised words (``_LONG_CAPITALISED``) ends in one is
    returned as it is without running the alternation over every word."""
    glued = _glued_verb()
    if glued.lower_case and not any(word.endswith(glued.verbs) and len(word) - 3 >= _shortest_verb_in(word, glued)
                                    for word in _LONG_CAPITALISED.findall(text)):
        return text
    return glued.pattern.sub(r"\1 \2", text)


def _shortest_verb_in(word: str, glued: _GluedVerb) -> int:
    return min(len(verb) for verb in glued.verbs if word.endswith(verb))


# Two words glued where a scraper dropped the tag between them: a word and a capitalised word ("MusisiFariz",
# "wilayahCengkareng"), or initials and a word ("RMmenjalani", "HIVatau"). Split only when the first piece is
# a common Indonesian word (``GLUE_MIN_ZIPF`` or more on wordfreq's Zipf scale; after initials, the word):
# a name glued to what follows ("KusmantoKasus") is left whole, since its own glued tail could be a name and
# would make one up (a lower-case tail is set apart by ``_split_glued_name``); brand names glue
# uncommon pieces ("WhatsApp", "TikTok") and stay whole, and so do outlet names, whose pieces may be common
# words and places ("detikSumut", "TribunLombok": set apart, "Sumut" would read as a place of the story).
_GLUED_WORDS = re.compile(r"\b([A-Za-z]?[a-z]{3,})([A-Z][a-z]{3,})")
_GLUED_INITIALS = re.compile(r"\b([A-Z]{2,5})([a-z]{4,})\b")
# What a match of each needs somewhere: a lower-case letter before a capital, two capitals before a lower-case
# letter. Most texts have neither, and a line without it is left as it is.
_LOWER_UPPER = re.compile("[A-Z](?<=[a-z][A-Z])")  # (capital first: capitals are rarer than lower-case letters)
_UPPER_UPPER_LOWER = re.compile("[A-Z][A-Z][a-z]")  # (a class first, not a repeat: the engine scans for it in C)
GLUE_MIN_ZIPF = 3.5


def _split_words(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    if zipf(left.lower()) >= GLUE_MIN_ZIPF and not (is_masthead_word(left) or is_masthead_word(right)):
        return f"{left} {right}"
    return match.group(0)


def _split_initials(match: re.Match[str]) -> str:
    initials, word = match.group(1), match.group(2)
    return f"{initials} {word}" if zipf(word) >= GLUE_MIN_ZIPF else match.group(0)


@dataclass(frozen=True, slots=True)
class _GluedName:
    """``data/language.toml`` [glued_name]: a name glued to the lower-case word after it."""
    min_zipf: float
    min_head: int
    min_tail: int
    min_stem: int
    short_tail: int
    min_head_short_tail: int
    verb_prefixes: tuple[str, ...]
    function_words: frozenset[str]
    name_words: frozenset[str]  # data/name_tokens.txt: "Setiawan", "Danghyang" stay whole
    token: re.Pattern[str]


@cache
def _glued_name() -> _GluedName:
    data = load_toml("language")["glued_name"]
    names = resources.files("pantau.data").joinpath("name_tokens.txt").read_text(encoding="utf-8").splitlines()
    sizes = {key: int(data[key]) for key in ("min_head", "min_tail", "min_stem", "short_tail", "min_head_short_tail")}
    return _GluedName(float(data["min_zipf"]), **sizes, verb_prefixes=tuple(data["verb_prefixes"]),
                      function_words=frozenset(data["function_words"]),
                      name_words=frozenset(w.strip() for w in names if w.strip() and not w.startswith("#")),
                      token=capitalised_words(sizes["min_head"] + sizes["min_tail"] - 1))


def _clause_word(tail: str, glued: _GluedName) -> bool:
    """A common word that opens a clause after a name: a function word, or a verb with one of the prefixes whose
    stem Sastrawi finds ("ditangkap", "menyampaikan"; not a root word that merely starts so: "dinding")."""
    if len(tail) < glued.min_tail or zipf(tail) < glued.min_zipf:
        return False
    if tail in glued.function_words:
        return True
    if not any(tail.startswith(p) and len(tail) - len(p) >= glued.min_stem for p in glued.verb_prefixes):
        return False
    from pantau.extract.names import stemmer  # Sastrawi, loaded only when a glued word is met

    return bool(stemmer().stem(tail) != tail)


def _split_glued_name(match: re.Match[str]) -> str:
    return _unglued_name(match.group(0))


@lru_cache(maxsize=1 << 14)
def _unglued_name(word: str) -> str:
    """A capitalised word that is no known word, name word or place, made of a name (or any capitalised word) and a
    lower-case word that opens a clause glued after it ("Wibowomeninggal", "Turbayyang"): the two set apart, the
    longest such tail first. The head may be a common word itself ("Wibowo" and "Bali" are, in news). Cached by
    word: a news text writes the same capitalised words again and again."""
    glued = _glued_name()
    lower = word.lower()
    if zipf(lower) > 0 or lower in glued.name_words or is_place_name(word):
        return word
    for cut in range(glued.min_head, len(word) - glued.min_tail + 1):
        if len(word) - cut <= glued.short_tail and cut < glued.min_head_short_tail:
            continue  # a short tail after a short head: a Chinese name or place ("Shenyang")
        if _clause_word(lower[cut:], glued):
            return f"{word[:cut]} {word[cut:]}"
    return word


_LETTERS = re.compile(r"[^\W\d_]+")


def _title_case(line: str) -> bool:
    """A line of mostly capitalised words: headlines, often a list of related ones glued together, where a glued
    pair marks the end of one headline ("... Tak Bisa DatangSidang Kasus ..."); set apart, the two would read
    as one name."""
    words = _LETTERS.findall(line)
    return len(words) >= 6 and sum(w[0].isupper() for w in words) > 0.6 * len(words)


def unglue(text: str) -> str:
    """``text`` with glued words set apart (see ``_GLUED_WORDS``; a name glued to a lower-case word:
    ``_split_glued_name``), and a dateline glued to the story's first word
    set apart by a dash; lines of headlines are left as they are (``_title_case``, read only for a line that
    would change)."""
    # the dateline repair only puts spaces between pieces, and each split only adds a space: no step makes a pair
    # of letters the next step looks for, so a text without one skips that step on every line
    words = _LOWER_UPPER.search(text) is not None
    initials = _UPPER_UPPER_LOWER.search(text) is not None
    token = _glued_name().token
    # a name glued to a word is split only where ``_unglued_name`` changes a capitalised word: when it changes none
    # of the text's, only a line an earlier step changed (a split puts a space before a capital) can hold one
    names = any(_unglued_name(word) != word for word in token.findall(text))
    lines = []
    for line in text.split("\n"):
        changed = unglue_dateline(line)
        if words and _LOWER_UPPER.search(changed) is not None:
            changed = _GLUED_WORDS.sub(_split_words, changed)
        if initials and _UPPER_UPPER_LOWER.search(changed) is not None:
            changed = _GLUED_INITIALS.sub(_split_initials, changed)
        if names or changed != line:
            changed = token.sub(_split_glued_name, changed)
        lines.append(line if changed == line or _title_case(line) else changed)
    return "\n".join(lines)


MAX_RUN = 200  # characters without a space: past this, a "word" is line noise (no Indonesian word is that long)
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")  # a run starts a word (\S is what str.split keeps)
_RUN_PIECE = 100


def _break_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return " ".join(run[i:i + _RUN_PIECE] for i in range(0, len(run), _RUN_PIECE))


def normalize_text(text: str) -> str:
    """NFC, unified line breaks, no invisible characters, single spaces, trimmed lines, speech verbs glued to
    the word before them and other glued words set apart (``unglue``), runs of over 200 characters without a
    space cut every 100 (the tokenizer's affix search is quadratic in a token's length: 10,000 "%" took 20 s)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    if max(map(len, text.split()), default=0) > MAX_RUN:  # rare: most texts skip the scan for a run
        text = _LONG_RUN.sub(_break_run, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _SPLIT_DATELINE.sub(r"\1 \2 ", text, count=1)
    if "  " in text or _OTHER_SPACE.search(text) is not None:  # most texts: single plain spaces only
        text = _SPACES.sub(" ", text)
    lines = (line.strip() for line in text.split("\n"))  # no run of spaces spans a line break
    return unglue(_split_glued_verbs("\n".join(lines)))
