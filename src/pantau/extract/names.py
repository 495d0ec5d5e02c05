"""Is this span a person's name? Cleaning and checking the names found without a rank or a post.

The rule components find people through their rank or post. Everyone else (ministers named by their office,
lawyers, suspects named in full, victims, athletes, celebrities) comes from the statistical model or from a cue
in the text ("kata Purba", "Pak Joko"), and both propose spans that are not names: a street ("Jalan Lingkar
Timur"), a market ("Pasar Angso Duo"), a club ("Bologna FC"), a product ("Honda Jazz"), a headline in title case
("Nikita Mirzani Bakal Segera ..."), a common word before a name ("Jasad Anggi"). This module cleans a span into
a name (forms of address and titles off, common words at its edges off) or rejects it. Its vocabulary is in
``data/names.toml``; a word is *common* when Sastrawi's Indonesian root dictionary knows it or its stem, unless it
is one of the words seen inside person names of the model's training data (``data/name_tokens.txt``: "Budi",
"Sari" and "Wahyu" are dictionary words and names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from pantau.extract.lexicon import Annotated, lexicon, title_key
from pantau.vocab import load_toml

MAX_NAME_WORDS = 5
# Indonesian verb prefixes and derivational suffixes: a word shaped so whose stem is a dictionary root is a derived
# word ("ditemukan", "menyebut", "kebudayaan"); names take the other prefixes' shapes too often ("Permadi",
# "Berliana", "Setiawan"), and the derived words with them are in the news-common list anyway
_VERB_PREFIXES = ("me", "di", "ter")
_SUFFIXES = ("kan", "an", "nya", "lah", "kah")
_NAME_PUNCTUATION = frozenset("-'’.")


@dataclass(frozen=True, slots=True)
class NameVocabulary:
    honorifics: frozenset[str]  # forms of address, titles and roles written before a name: lower-cased, no dots
    address: frozenset[str]  # forms of address and titles only: a capitalised word after one is a name
    not_after: frozenset[str]
    not_person_words: frozenset[str]
    particles: frozenset[str]
    english_words: frozenset[str]
    never_name_words: frozenset[str]  # countries and short names of state bodies
    contractions: tuple[str, ...]  # prefixes of contracted ministry names ("Kemen"), from organizations.toml
    name_words: frozenset[str]


@cache
def vocabulary() -> NameVocabulary:
    data = load_toml("names")
    folded = {key: frozenset(title_key(w) for w in data[key]) for key in ("honorifics", "roles", "not_after",
                                                                           "not_person_words", "english_words")}
    text = resources.files("pantau.data").joinpath("name_tokens.txt").read_text(encoding="utf-8")
    lex = lexicon()
    # a post or rank word inside a corpus name ("Presiden" in "Presiden Joko Widodo") is still no name word
    name_words = frozenset(w for w in (line.strip() for line in text.splitlines())
                           if w and not w.startswith("#") and w not in lex.stopwords)
    return NameVocabulary(folded["honorifics"] | folded["roles"] | lex.prefix_titles,
                          folded["honorifics"] | lex.prefix_titles, folded["not_after"],
                          folded["not_person_words"], frozenset(w.casefold() for w in data["particles"]),
                          folded["english_words"],
                          frozenset(c.casefold() for c in [*data["countries"], *data["bodies"]]),
                          tuple(load_toml("organizations")["names"]["contractions"]), name_words)


@cache
def stemmer():  # type: ignore[no-untyped-def]
    """Sastrawi's Indonesian stemmer, built once per process (its dictionary takes a while to load)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@cache
def _root_words() -> frozenset[str]:
    import Sastrawi

    path = resources.files(Sastrawi).joinpath("Stemmer", "data", "kata-dasar.txt")
    return frozenset(w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())


@cache
def _news_common_words() -> frozenset[str]:
    """Words almost never tagged proper noun in 550k tokens of cased news (``data/pos_lexicon.tsv``, class
    common): "bakal", "segera", "belum" are never names, even at the end of a headline in title case."""
    text = resources.files("pantau.data").joinpath("pos_lexicon.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return frozenset(row[0] for row in rows if len(row) > 1 and row[1] == "common")


@lru_cache(maxsize=1 << 16)
def is_common_word(word: str, strict: bool = False) -> bool:
    """An Indonesian dictionary word (or an affixed form of one: "ditemukan", "tawarkan") that is not also a name
    word of the training data; and every stop word of the lexicon (posts, ranks, places keywords, ...).

    ``strict``: only words that are surely not names: stop words, affixed forms, and words that news almost never
    writes as proper nouns. A bare root word ("sekar", "jasad") is common but may be a name word ("Wulan Sekar").
    """
    lower = word.casefold()
    if lower in lexicon().stopwords:
        return True
    if not lower.isalpha() or lower in vocabulary().name_words:
        return False
    roots = _root_words()
    suffixed = lower.endswith(_SUFFIXES)
    if suffixed or lower.startswith(_VERB_PREFIXES) or lower.startswith("ber"):  # an infix is no evidence
        stem = stemmer().stem(lower)  # ("Sinurat" is a name); a prefix alone needs a long stem: "Diana" is no
        shortest = 3 if suffixed else 5 if lower.startswith("ber") else 4  # "di-" + "ana", "Berompi" is "rompi"
        if stem != lower and stem in roots and len(stem) >= shortest:
            return True
    if strict:
        return lower in _news_common_words()
    return lower in roots


# A capitalised word of letters, with apostrophes, hyphens or dots inside ("Ma'mun", "O."), and no capital
# after a lower-case letter (a glued "RMmenjalani" is no name; "McDonald" is)
_NAME_WORD = re.compile(r"(?:Mc)?[^\W\d_][^\W\d_'’.-]*(?:[-'’.][^\W\d_]*)*")
_GLUED = re.compile(r"[a-z][A-Z]")


def _is_name_word(text: str, vocab: NameVocabulary) -> bool:
    if text.casefold() in vocab.particles:
        return True
    if not text[:1].isupper() or _NAME_WORD.fullmatch(text) is None:
        return False
    if vocab.contractions and text.startswith(vocab.contractions) and not any(
            len(text) <= len(prefix) + 1 for prefix in vocab.contractions if text.startswith(prefix)):
        return False  # "Kemendikti", "Kemenkumham": a ministry's contracted name (organizations.toml)
    if len(text) > 5 and text.casefold().endswith("nya"):
        return False  # "Dirjennya", "Kapolresnya": a possessive, not a name
    return _GLUED.search(text, 3 if text[:2] == "Mc" else 0) is None  # "RMmenjalani", "Musisifariz": glued


def clean_name(annotated: Annotated, start: int, end: int) -> tuple[int, int] | None:
    """The person-name part of tokens ``[start, end)``, or None when the span is not a person's name.

    Forms of address and titles before the name are dropped ("Gus Fahrur" -> "Fahrur", "Dr Roslan ..."), and
    common words at either edge ("Jasad Anggi", "Nikita Mirzani Bakal Segera"); the span is rejected when a word
    before it opens a place, building, product or event name ("Jalan", "Pasar", "Idul", "Nabi"), when one of its
    words names an organisation, product or event ("FC", "Awards", "Honda"), when it is a place or unit of the
    lexicon, or when a word left inside is not a name word.
    """
    vocab = vocabulary()
    doc = annotated.doc
    texts = [t.text for t in doc[start:end]]
    if any(title_key(t) in vocab.not_person_words and t[:1].isupper() for t in texts):
        return None
    words = [t for t in texts if t.isalpha()]
    if words and 2 * sum(title_key(t) in vocab.english_words for t in words) >= len(words):
        return None  # "Crazy Little Party Girl", "Want Candy": an English title, not a name
    before = _word_before(annotated, start)
    if before is not None and title_key(before) in vocab.not_after:
        return None
    covered = lexicon_tokens(annotated)
    token_texts = annotated.texts
    while start < end and (title_key(token_texts[start]) in vocab.honorifics or token_texts[start] == "."
                           or is_common_word(token_texts[start]) or token_texts[start].casefold() in vocab.particles
                           or start in covered or _is_acronym(token_texts[start])):
        if title_key(token_texts[start]) in vocab.not_after:
            return None
        start += 1
    if start < end and title_key(annotated.texts[start]) in vocab.not_after:
        return None  # "Idul Adha", "Bandara Soekarno", "Istora Senayan"
    while end > start and (token_texts[end - 1] in (".", "-", "'") or is_common_word(token_texts[end - 1], strict=True)
                           or token_texts[end - 1].casefold() in vocab.particles):
        end -= 1
    if end <= start or end - start > MAX_NAME_WORDS:
        return None
    for i in range(start, end):
        text = annotated.texts[i]
        if text == "." and i > start and len(annotated.texts[i - 1]) <= 2:
            continue  # "Markus O. Mansnembra"
        if i > start and glued_hyphen(annotated, i):
            continue  # "Delfino Aguilar-Martinez", "Abdullah al-Derazi"
        if i > start and title_key(text) in vocab.honorifics:
            end = i  # "Vivi Mahasiswi UI": a role after a name ends it
            break
        if not _is_name_word(text, vocab):
            return None
        if i in annotated.places and annotated.places[i][0] <= end and not _inside_longer_name(annotated, i, start,
                                                                                               end):
            return None
        if i in covered and i not in annotated.places:
            return None
        if is_common_word(text, strict=True) and text.casefold() not in vocab.particles:
            return None
    if end - start == 1 and len(annotated.texts[start]) < 3:
        return None
    return start, end


def glued_hyphen(annotated: Annotated, index: int) -> bool:
    """A hyphen written between two words without spaces, inside a double name ("Aguilar-Martinez")."""
    doc = annotated.doc
    return annotated.texts[index] == "-" and 0 < index < len(doc) - 1 and not doc[index - 1].whitespace_ \
        and not doc[index].whitespace_ and annotated.texts[index + 1][:1].isalpha()


def _is_acronym(text: str) -> bool:
    return len(text) > 1 and text.isupper() and text.isalpha()


def lexicon_tokens(annotated: Annotated) -> frozenset[int]:
    """Tokens inside a unit, national body, post or rank of the lexicon, inside a place name after its first
    word ("Barat" of "Jawa Barat"), or naming a country ("Malaysia"): never a word of a personal name."""
    cached = annotated.lexicon_tokens
    if cached is not None:
        return cached
    covered = {i for table in (annotated.kinds, annotated.nationals, annotated.posts, annotated.ranks)
               for start, (end, _) in table.items() for i in range(start, end)}
    covered |= {i for start, (end, _) in annotated.places.items() for i in range(start + 1, end)}
    never = vocabulary().never_name_words
    texts = annotated.texts
    lowers = annotated.lowers  # (folded only when not ASCII: see cue_zone)
    covered |= {i for i in annotated.capitalised
                if lowers[i] in never or (not lowers[i].isascii() and texts[i].casefold() in never)}
    found = frozenset(covered)
    annotated.lexicon_tokens = found
    return found


def is_name_part(annotated: Annotated, index: int) -> bool:
    """Whether token ``index`` can be a word of a personal name on its own evidence: a capitalised name word
    (not an acronym, a dictionary word, a place, unit, post or rank of the lexicon)."""
    parts = annotated.name_parts
    known = parts.get(index)
    if known is None:
        known = parts[index] = _is_name_part(annotated, index)
    return known


def _is_name_part(annotated: Annotated, index: int) -> bool:
    text = annotated.texts[index]
    if not text[:1].isupper() or (len(text) > 1 and text.isupper()):
        return False
    if index in annotated.places or index in lexicon_tokens(annotated):
        return False
    return _is_name_part_word(text)


@lru_cache(maxsize=1 << 16)
def _is_name_part_word(text: str) -> bool:
    """What ``_is_name_part`` reads of the word alone, by word (the vocabularies are fixed for the process): news
    writes the same names and capitalised words again and again."""
    vocab = vocabulary()
    key = title_key(text)
    if key in vocab.not_person_words or key in vocab.honorifics or key in vocab.not_after \
            or key in vocab.english_words or text.casefold() in vocab.particles:
        return False
    # the dictionary and stemmer last: they cost the most on a word seen for the first time
    return _is_name_word(text, vocab) and not is_common_word(text, strict=True)


def _inside_longer_name(annotated: Annotated, index: int, start: int, end: int) -> bool:
    """A place word inside a name of two or more other words ("Bambang Soerabaja Putra") stays a name word."""
    place_end = annotated.places[index][0]
    return (end - start) - (place_end - index) >= 2


def _word_before(annotated: Annotated, index: int) -> str | None:
    i = index - 1
    while i >= 0 and annotated.texts[i] == ".":
        i -= 1
    return annotated.texts[i] if i >= 0 else None


@dataclass(frozen=True, slots=True)
class _Cues:
    before: frozenset[str]  # one or two lower-cased words right before a name
    after: frozenset[str]
    before_tails: frozenset[str] = frozenset()  # what follows a space in a cue of ``before``: the only words
    # worth joining to the word before them to look the pair up (most words are none)
    marked: frozenset[str] = frozenset()  # the tokens ``cue_zone`` looks at: the three sets above, "(" and ","


@cache
def _cues() -> _Cues:
    names = load_toml("names")
    quotes = load_toml("quotes")
    before = set(names["person_before"]) | set(quotes["cues"]["after"]) | set(quotes["cues"]["before_words"]) \
        | set(quotes["cues"]["passive_verbs"])
    after = set(names["person_after"]) | set(quotes["cues"]["before_verbs"])
    folded = frozenset(w.casefold() for w in before)
    tails = frozenset(cue[k + 1:] for cue in folded for k, char in enumerate(cue) if char == " ")
    folded_after = frozenset(w.casefold() for w in after)
    return _Cues(folded, folded_after, tails, folded | folded_after | tails | {"(", ",", "(,"})


@cache
def family_words() -> frozenset[str]:
    """Kinship nouns written before a name ("putri Tukul Arwana" is his daughter): never taken into a name from
    the left, though some are names too ("Putri Ayu")."""
    return frozenset(w.casefold() for w in load_toml("names")["family"])


def cue_zone(annotated: Annotated) -> frozenset[int]:
    """Tokens close enough to a person cue (``has_person_cue``) to be in a name it marks: the words after a cue
    before a name, before a cue after one, or before an age. Only these need the name-word checks."""
    cues = _cues()
    texts = annotated.texts
    size = len(texts)
    honorifics = vocabulary().address
    before, after, tails = cues.before, cues.after, cues.before_tails
    # the few tokens worth a closer look, found in one pass each: a cue word or the second word of a two-word cue,
    # a capitalised word (a form of address?), "(" or "," (an age after it?); each token folded there and then
    marked = cues.marked
    opens: list[int] = []
    closes: list[int] = []
    # (a token whose lower-case form is ASCII folds to that form: no character lower-cases to ASCII and folds to
    # anything else; the lower-case forms are read once per article, ``Annotated.lowers``)
    for j in [j for j, low in enumerate(annotated.lowers)
              if low in marked or (not low.isascii() and texts[j].casefold() in marked)]:
        lower = texts[j].casefold()
        # the pair "<word before> <word>" can be a cue only when the word is what follows a space in one
        if lower in before or (lower in tails and f"{texts[j - 1].casefold()} {lower}" in before
                               if j else "" in before):
            opens.append(j)
        if lower in after or (texts[j] in "(," and j + 1 < size and texts[j + 1].isdigit()):
            closes.append(j)
    if "" in before:  # the first token opens a zone on its own (the pair rule with nothing before it)
        opens.append(0)
    opens += [j for j in annotated.capitalised if title_key(texts[j]) in honorifics]
    zone: set[int] = set()
    for j in opens:
        zone.update(range(j + 1, min(size, j + 1 + MAX_NAME_WORDS + 1)))
    for j in closes:
        zone.update(range(max(0, j - MAX_NAME_WORDS - 2), j))
    return frozenset(zone)


def has_person_cue(annotated: Annotated, start: int, end: int) -> bool:
    """Whether the words around tokens ``[start, end)`` show that they name a person: a speech verb or a person
    noun right before ("kata Purba", "korban Susiati"), a speech or person verb right after ("Purba mengaku"),
    an age in brackets after ("Rohati (45)"), or a form of address before ("Pak Tukul")."""
    texts = annotated.texts  # (Token.lower_ is the text lower-cased)
    cues = _cues()
    before = [text.lower() for text in texts[max(0, start - 2):start]]
    reduplicated = len(before) == 2 and before[0] == "-"  # "kata-kata Dirjennya" is a noun, not "said"
    if before and not reduplicated and (before[-1] in cues.before or " ".join(before) in cues.before):
        return True
    if before and title_key(texts[start - 1]) in vocabulary().address and texts[start - 1][:1].isupper():
        return True
    after = texts[end:end + 3]
    if after and after[0].casefold() in cues.after:
        return True
    if len(after) >= 2 and after[0] == "," and after[1].casefold() in cues.after:
        return True
    if len(after) == 3 and after[0] in "(," and after[1].isdigit() and len(after[1]) <= 2:
        return after[2] in (")", ",", "tahun")  # an age: "Rohati (63)", "Rohati, 63, ...", "Rohati (63 tahun)"
    return False
