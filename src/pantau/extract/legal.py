"""Legal references: which article (pasal) of which law a story cites, and its paragraph (ayat).

Why a small parser and not one regex: reports chain citations ("Pasal 114 ayat (2) jo Pasal 112
ayat (1) UU RI No. 35 Tahun 2009 tentang Narkotika", "pasal 114 ayat (2) juncto 132 ayat (1)",
"Pasal 53 Jo Pasal 365 KUHP") and put the law after its articles or before them ("Undang-Undang
Nomor 2 tahun 2002 pasal 28"). A citation is read as a chain of tokens -- articles, numbered laws,
named laws ("UU Narkotika"), codes ("KUHP") -- joined by connectors (",", "jo", "juncto",
"subsider", "dan", "atau"); inside a chain an article belongs to the next law after it, else to
the last law before it. A law's title is read past ("UU Nomor 1 Tahun 2023 tentang KUHP" is one
law, not two). Years and dates are never laws: a number is a law's only after an instrument word
("UU", "Perppu", "PP", "PKPU", ...).

Choices: a reference is an article of a law. An article with no law in its chain is dropped (a
reference must name its law), and so is a law or regulation cited without an article ("UU
Narkotika", "PP 28/2006", "UUD 1945"): it names the legal basis of a story but cites no provision.
``paragraph`` is the ayat number only ("Pasal 127 ayat (1) huruf a" -> article "127", paragraph
"1"; "huruf"/"angka"/"ke-1" are not kept); for a law whose inserted articles are listed ("Pasal 12B"
of Tipikor), a letter that makes no inserted article is a huruf too ("Pasal 12e" -> "12"). Each
(law, article, paragraph) is reported once, at its first mention; ``span`` covers the article and,
when it stands right next to it, its law.

Vocabulary (instruments, number words, codes, named laws, connectors, inserted articles) is in
``data/laws.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pantau.extract.quantities import alternation, lowered
from pantau.record import LegalRef
from pantau.vocab import fold, load_toml

MIN_YEAR, MAX_YEAR = 1945, 2100


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "article" or "law"
    span: tuple[int, int]
    law: str | None = None
    article: str | None = None
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Vocab:
    instruments: dict[str, str]
    codes: dict[str, str]
    named: dict[str, str]
    inserted: dict[str, frozenset[str]]  # law -> its articles inserted by amendment ("12B")
    start: re.Pattern[str]
    cont: re.Pattern[str]
    title: re.Pattern[str]
    anchor: re.Pattern[str]
    paragraph: re.Pattern[str]


def _w(words: list[str]) -> str:
    return rf"(?<!\w)(?:{alternation([fold(w) for w in words])})(?!\w)"


def _alt(words: list[str]) -> str:
    return alternation([fold(w) for w in words])


@cache
def _vocab() -> _Vocab:
    data = load_toml("laws")
    instruments = {fold(form): key for key, forms in data["instruments"].items() for form in forms}
    codes = {fold(form): key for key, forms in data["codes"].items() for form in forms}
    named = {fold(form): key for key, forms in data["named_laws"].items() for form in forms}
    uu_forms = data["instruments"]["UU"]
    number = data["number"]
    # Tokens are matched on lower-cased text, case-sensitively (much faster than IGNORECASE);
    # only a law's title ("tentang Narkotika"), which ends at the first lower-case word, is
    # matched on the original text.
    inst = _alt(list(instruments))
    state = _alt(number["state"])
    num_word = _alt(number["number_words"])
    year_word = _alt(number["year_words"])
    parts = data["parts"]
    article_word = _w(parts["article"])
    paragraph_word = _alt(parts["paragraph"])
    letter_word = _alt(parts["letter"])
    point_word = _alt(parts["point"])
    title_word = _alt(parts["title"])
    joiner = _alt(parts["title_joiners"])
    connector = _w(data["connectors"]["words"])
    code = _w(list(codes))
    stop = rf"(?:{article_word}|{connector}|{_w(list(instruments))}|{code})"
    abbr = r"(?:\s*\(\s*[a-z]{2,10}\s*\))?"
    law_number = (
        rf"{abbr}(?:\s+(?:{state})(?!\w))?{abbr}\s*,?\s*(?:(?:{num_word})\s*:?\s*)?"
        rf"(?P<num>\d{{1,4}}[a-z]?)(?!\d)\s*(?:/\s*|,?\s*(?:{year_word})\s*)(?P<year>\d{{4}})(?!\d)"
    )
    # A code right after "tentang" is the law's title ("UU Nomor 1 Tahun 2023 tentang KUHP"), not a
    # second law that the next articles would belong to.
    title = re.compile(
        rf"\s+(?:{title_word})\s+(?:{code}|(?!{stop})[\w-]+"
        rf"(?:\s+(?:(?:{joiner})\s+)?(?!{stop})(?-i:[A-Z])[\w-]*)*)",
        re.IGNORECASE,
    )
    named_law = (
        rf"(?<!\w)(?:{_alt(uu_forms)})(?:\s+(?:{state})(?!\w))?(?:\s+(?:{title_word}))?\s+"
        rf"(?P<name>{alternation(list(named))})(?!\w)"
        rf"(?:\s+(?:{num_word})\s*:?\s*(?P<nnum>\d{{1,4}})\s*(?:/\s*|(?:{year_word})\s*)(?P<nyear>\d{{4}})(?!\d))?"
    )
    # The subdivisions after an article number, in any order and joined by connectors: paragraphs
    # ("ayat (1) dan (2)", "Ayat (1) Jo Ayat (2)"), letters ("huruf a, b", "(a)") and points ("ke-1",
    # "angka 2"): "Pasal 18 ayat (1) huruf a, b, ayat (2), dan (3)". A bare number is never a paragraph
    # ("Pasal 111 ayat 1 dan 112" cites two articles); a bare letter only continues a list.
    sub_joiner = rf"(?:,|&|{_w(['dan/atau', 'dan', 'atau', *parts['subdivision_joiners']])})"
    part = (
        rf"(?:(?:{paragraph_word})\s*\(?\s*\d{{1,3}}\s*\)?|\(\s*\d{{1,3}}\s*\)"
        rf"|(?:{letter_word})\s+[a-z](?!\w)|\(\s*[a-z]\s*\)|(?:{point_word})\s*\d{{1,3}})"
    )
    tail = rf"(?P<tail>(?:\s*{part}(?:\s*(?:{sub_joiner}\s*)*{part}|\s*(?:{sub_joiner}\s*)+[a-z](?!\w))*)?)"
    # "Pasal 12B", "Pasal 45 A": an article number with the letter of an inserted article.
    article = rf"{article_word}\s*(?P<art>\d{{1,4}}(?:\s?[a-z])?)(?!\w)(?![.,]\d){tail}"
    bare_tail = tail.replace("?P<tail>", "?P<btail>")
    bare = (
        rf"(?P<bart>\d{{1,4}}[a-z]?)(?!\w)(?![.,/]\d)(?!\s*(?:{year_word})(?!\w)){bare_tail}"
        rf"(?=\s*(?:[.,;:)\]\"”]|$)|\s+{stop})"
    )
    tokens = (
        rf"(?P<code>{code})"
        rf"|(?P<law>(?<!\w)(?P<inst>{inst})(?!\w){law_number})"
        rf"|(?P<named>{named_law})"
        rf"|(?P<article>{article})"
    )
    start = re.compile(tokens)
    # First words of every token that can open a citation: a cheap scan for where to try `start`.
    first_words = {fold(f).split()[0] for f in [*instruments, *codes, *uu_forms, *parts["article"]]}
    anchor = re.compile(rf"(?<![a-z])(?:{alternation(first_words)})")
    gap = rf"(?P<gap>\s*(?:[,;]\s*)?(?:{connector}\s*(?:[,;]\s*)?)*)"
    cont = re.compile(rf"{gap}(?:{tokens}|(?P<bare>{bare}))")
    inserted = {law: frozenset(a.upper() for a in articles) for law, articles in data["inserted_articles"].items()}
    # The paragraph numbers inside a tail: after "ayat", or in brackets ("ayat (1) dan (2)").
    paragraph = re.compile(rf"(?:(?:{paragraph_word})\s*\(?|\()\s*(\d{{1,3}})")
    return _Vocab(instruments, codes, named, inserted, start, cont, title, anchor, paragraph)


def _token(m: re.Match[str], body: str, v: _Vocab) -> _Token | None:
    if m.group("code"):
        return _Token("law", m.span("code"), law=v.codes[fold(m.group("code"))])
    if m.group("law"):
        year = int(m.group("year"))
        if not MIN_YEAR <= year <= MAX_YEAR or int(re.sub(r"\D", "", m.group("num"))) == 0:
            return None
        law = f"{v.instruments[fold(m.group('inst'))]} {m.group('num').upper()}/{year}"
        return _Token("law", m.span("law"), law=law)
    if m.group("named"):
        if m.group("nnum"):
            year = int(m.group("nyear"))
            if not MIN_YEAR <= year <= MAX_YEAR:
                return None
            law = f"UU {int(m.group('nnum'))}/{year}"
        else:
            law = v.named[fold(m.group("name"))]
        return _Token("law", m.span("named"), law=law)
    group, number, tail = ("article", "art", "tail") if m.group("article") else ("bare", "bart", "btail")
    paragraphs = tuple(dict.fromkeys(v.paragraph.findall(m.group(tail)))) if m.group(tail) else ()
    span = m.span(group)
    # As written: the case of a letter after the number tells an inserted article from a huruf.
    written = re.sub(r"\s", "", body[m.start(number):m.end(number)])
    return _Token("article", span, article=written, paragraphs=paragraphs)


def _chain_end(m: re.Match[str], body: str, v: _Vocab) -> int:
    """End of a token, past a law's title ("... Tahun 2009 tentang Narkotika")."""
    if m.group("law") or m.group("named"):
        title = v.title.match(body, m.end())
        if title:
            return title.end()
    return m.end()


def _chains(body: str, v: _Vocab) -> list[list[_Token]]:
    low = lowered(body)
    chains: list[list[_Token]] = []
    pos = 0
    for anchor in v.anchor.finditer(low):
        if anchor.start() < pos or (m := v.start.match(low, anchor.start())) is None:
            continue
        pos = _chain_end(m, body, v)
        first = _token(m, body, v)
        if first is None:
            continue
        chain = [first]
        while (c := v.cont.match(low, pos)) is not None:
            if c.group("bare") and (not c.group("gap").strip() or chain[-1].kind != "article"):
                break
            token = _token(c, body, v)
            if token is None:
                break
            chain.append(token)
            pos = _chain_end(c, body, v)
        chains.append(chain)
    return chains


def _article_of(law: str, written: str, v: _Vocab) -> str:
    """The article as the law numbers it ("12B"). For a law whose inserted articles are known, a letter
    is the article's huruf when it is written in lower case ("12e", "12a") or makes no inserted article
    ("12E"); for other laws it is kept ("156a" -> "156A")."""
    article = written.upper()
    inserted = v.inserted.get(law)
    if inserted is not None and written[-1:].isalpha() and (written[-1:].islower() or article not in inserted):
        return article[:-1]
    return article


@cache
def _article_words() -> tuple[str, ...]:
    return tuple(fold(w) for w in load_toml("laws")["parts"]["article"])


def extract_legal_refs(body: str) -> list[LegalRef]:
    """Articles of laws cited in ``body``, in text order, each (law, article, paragraph) once."""
    low = lowered(body)
    if not any(word in low for word in _article_words()):
        return []  # every reference is an article ("pasal"): most stories cite none, and need no citation scan
    v = _vocab()
    refs: list[LegalRef] = []
    for chain in _chains(body, v):
        laws = [i for i, t in enumerate(chain) if t.kind == "law"]
        for i, token in enumerate(chain):
            if token.kind != "article":
                continue
            after = [j for j in laws if j > i]
            before = [j for j in laws if j < i]
            j = after[0] if after else (before[-1] if before else None)
            if j is None:
                continue
            law = chain[j]
            span = token.span
            if abs(j - i) == 1:
                span = (min(span[0], law.span[0]), max(span[1], law.span[1]))
            article = _article_of(law.law or "", token.article or "", v)
            for paragraph in token.paragraphs or (None,):
                refs.append(LegalRef(law=law.law or "", article=article, paragraph=paragraph, span=span))
    seen: set[tuple[str, str | None, str | None]] = set()
    result: list[LegalRef] = []
    for ref in sorted(refs, key=lambda r: r.span):
        key = (ref.law, ref.article, ref.paragraph)
        if key in seen:
            continue
        seen.add(key)
        result.append(ref)
    return result
