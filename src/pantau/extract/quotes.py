"""Direct quotes and who said them.

Indonesian reports quote officials paragraph by paragraph, and attribute each quote with a speech
verb right after the closing mark: an explicit name or post ("“...,” kata Lisdiarto", "“...,” ujar
Kapolda"), or a pronoun form ("“...,” ucapnya", "“...,” kata dia") that points back to whoever the
text was just talking about. Some quotes are introduced before the opening mark instead ("Kapolda
menambahkan, “...”", "Menurut Kapolres, “...”"). The vocabulary (cue verbs, post words, ranks) is in
``data/quotes.toml``.

Rules, chosen so that a broken or doubtful quote is dropped rather than invented:

- Marks. Curly (“ ” „) and straight (") double quotes; single quotes (‘ ’ and the apostrophe) are
  never quote marks here, so a nested ‘...’ stays inside the text. Inside a quote, marks of the
  other kind are content. A quote never crosses a paragraph, except the Indonesian continuation: a
  paragraph that ends inside a quote and a next paragraph that opens with a quote mark again form
  one quote (at most ``max_paragraphs``). Any other unclosed quote is dropped, and an opening mark
  met inside an open quote restarts it (the earlier mark was stray).
- Span and text. ``span`` is ``[start, end)`` of the quote's content: without the marks, the
  whitespace inside them, and the trailing comma that belongs to the attribution ("“Iya,” kata
  Adnan" gives "Iya"). For a one-paragraph quote ``text == body[start:end]``; a continued quote's
  ``text`` drops the re-opening marks and joins its paragraphs with a blank line.
- Speech, not terms. Every quote needs ``min_words`` words, as the field is defined: a shorter quoted
  string is a term, a title or a bare reply ("“Iya,” kata Adnan") wherever it stands, even with a cue.
  A quote with a cue after it may stand anywhere in its paragraph, also after a sentence of narration
  ("Ia ditangkap di Medan. “...,” kata X."); so may one introduced before it ("X mengatakan, “...”"). A
  quote with no cue is kept only when it stands as a sentence of its own (at a paragraph or sentence
  start, followed by a new sentence) and ends a sentence; so “Paint It, Black”, a quoted nickname or
  “Zero Narkoba” inside a sentence are not quotes, while a second quote after "... ,” ujarnya." is.
- Cue. ``cue`` is the attribution word as written: the verb right after the closing mark ("kata",
  "ucapnya"; with its pronoun, "kata dia"; a capitalised "Kata" only after a quote ending with a
  comma), else the verb or word right before the opening mark ("mengatakan", "Menurut"), else None.
- Speaker. An explicit name after the cue is matched to ``people`` by full name or by a subset of its
  name words, ignoring ranks and titles ("kata Lisdiarto", "tutur AKBP Rury"); an unknown name is
  returned as written (without rank). A post ("ungkap Kapolda", "tegas Asops Polri") resolves to the
  person whose ``position`` contains it, else to a name written with that post earlier, else to the
  post as written. A lower-case description after the cue ("ujar pihak KBRI LA", "tanya perekam")
  is the speaker as written. A pronoun cue (-nya, "kata dia"), a bare cue, a cue before the quote, or no cue at
  all take the most recent speaker before the quote: the previous quote's speaker, or a later
  sentence subject (see ``_subjects``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pantau.record import Person, Quote
from pantau.vocab import fold, load_toml

_MARK = re.compile('[“”„"]')
_PARAGRAPH = re.compile(r"[^\n]+")
# Words (with a trailing period, and inner periods of abbreviations such as "S.H." or "TEMPO.CO",
# but split at a missing space: "WIB.Kasubbag"), "(BNN)", and the punctuation between name parts.
_TOKEN = re.compile(r"\([A-Z][\w.&'’\-]{0,15}\)|[\w'’&\-]+(?:\.(?![A-Z][a-z]{3})[\w'’&\-]+)*\.?|[,;:!?“”„\"()]")
# Academic degrees written after a name: "S.H.", "S.I.K.", "M.Hu", "Sp.PD", "S.Sos".
_DEGREE = re.compile(r"[A-Za-z]{1,3}\.(?:[A-Za-z]{1,4}\.?)+")
# Where a sentence (or a quotation) starts: the clause before a subject is read back to it.
_BOUNDARY = re.compile(r"[.!?…][\"”’]?(?:\s+(?=[A-Z“\"(])|(?=[A-Z][a-z]{3}))|[“”\"]")
_SENTENCE_END = ".!?…"
_CLOSE_FOLLOWERS = ",.;:!?)]—–-"
_OPEN_PRECEDERS = "([{—–-"
_QUOTE_CHARS = "“”„\""
WINDOW = 240  # characters read around a quote or a verb for a name phrase


@dataclass(frozen=True, slots=True)
class _Vocab:
    after: re.Pattern[str]
    after_any_case: re.Pattern[str]
    nya: frozenset[str]
    pronouns: frozenset[str]
    before_verbs: frozenset[str]
    before_words: frozenset[str]
    post_heads: frozenset[str]
    titles: frozenset[str]
    title_parts: frozenset[str]
    openers: frozenset[str]
    prepositions: frozenset[str]
    connectors: frozenset[str]
    org_words: frozenset[str]
    descriptors: frozenset[str]
    initial_roles: frozenset[str]
    initials: re.Pattern[str]  # a marker and the initials it introduces: "berinisial RR"
    calendar: frozenset[str]
    adverbs: frozenset[str]
    while_words: frozenset[str]
    not_verbs: frozenset[str]
    verb_scan: re.Pattern[str]  # a verb after a space: where a sentence subject may end
    agent: re.Pattern[str]  # "kata X", "Menurut X", "dikatakan (oleh) X"
    verb: re.Pattern[str]  # any verb in a clause
    min_words: int
    max_paragraphs: int


def _alternation(words: set[str] | frozenset[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t\u00a0]+") for w in sorted(words, key=len, reverse=True))


@cache
def _vocab() -> _Vocab:
    data = load_toml("quotes")
    cues, speakers, limits = data["cues"], data["speakers"], data["limits"]
    words = {k: frozenset(fold(w) for w in v) for k, v in speakers.items()}
    nya = frozenset(fold(w) for w in cues["after_nya"])
    bare = {fold(w) for w in cues["after"]}
    before_verbs = frozenset(fold(w) for w in cues["before_verbs"])
    before_words = frozenset(fold(w) for w in cues["before_words"])
    passive = {fold(w) for w in cues["passive_verbs"]}
    # -nya forms are never ordinary words, so they match in any case; a bare verb must be lower case
    # ("Kata" opening the next sentence is not a cue) unless the quote ends with the comma that
    # announces an attribution ("“...,” Kata Eko").
    end = r"(?![\w'’-])"
    lead = r"[ \t\u00a0]*,?[ \t\u00a0]*"
    after = re.compile(rf"{lead}(?P<cue>(?i:{_alternation(nya)})|{_alternation(bare)}){end}")
    after_any_case = re.compile(rf"{lead}(?P<cue>(?i:{_alternation(nya)}|{_alternation(bare)})){end}")
    dates = load_toml("dates")
    calendar = frozenset(fold(w) for w in [*dates["weekdays"], *dates["months"]])
    # An active verb: a me-/ber- word that is not a look-alike ("mereka", "melalui"), or a speech verb.
    # Both scans start with a literal space so that the regex engine skips through the text quickly.
    others = {w for w in before_verbs if not w.startswith(("me", "ber"))}
    verb_words = rf"(?:me|ber)[a-z]{{3,}}{end}" + (f"|(?:{_alternation(others)}){end}" if others else "")
    verb = re.compile(rf"(?<![\w'’-])(?!(?:{_alternation(words['not_verbs'])}){end})(?:{verb_words})")
    verb_scan = re.compile(rf"[ \t\u00a0](?P<verb>{verb_words})")
    cased = {w[:1].upper() + w[1:] for w in before_words} | set(before_words) | passive
    # (after a space, a line break or a comma; the text's first word is matched with "\n" before it)
    agent = re.compile(rf"[ \t\n\u00a0,(](?P<word>{_alternation(cased)})(?:[ \t\u00a0]+oleh)?[ \t\u00a0]+(?=[A-Z])")
    return _Vocab(
        after=after, after_any_case=after_any_case, nya=nya, pronouns=frozenset(fold(w) for w in cues["pronouns"]),
        before_verbs=before_verbs, before_words=before_words,
        post_heads=words["post_heads"], titles=words["titles"], title_parts=words["title_parts"],
        openers=words["openers"], prepositions=words["prepositions"], connectors=words["connectors"],
        org_words=words["org_words"], descriptors=words["descriptors"], calendar=calendar,
        initial_roles=frozenset(words["initial_roles"]),
        initials=re.compile(rf"\b(?i:{_alternation(words['initial_markers'])})\s+(?P<initials>[A-Z]{{1,4}})\b"),
        adverbs=words["adverbs"], while_words=words["while_words"], not_verbs=words["not_verbs"],
        verb_scan=verb_scan, agent=agent, verb=verb,
        min_words=int(limits["min_words"]), max_paragraphs=int(limits["max_paragraphs"]),
    )


# --- tokens and name phrases --------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:
    return fold(text.rstrip(".").strip("()"))


class _Tok:
    """A word of a name phrase or its surroundings, with offsets into the body."""

    __slots__ = ("cap", "end", "key", "lower", "start", "text")

    def __init__(self, m: re.Match[str]) -> None:
        self.text = text = m.group()
        self.start, self.end = m.span()
        self.key, self.cap, self.lower = _word_facts(text)


@lru_cache(maxsize=1 << 16)
def _word_facts(text: str) -> tuple[str, bool, bool]:
    """A word's key (case-folded, without the trailing period or the parentheses), whether it is capitalised (after
    an opening bracket) and whether it opens in lower case: by word, as the same words come again and again."""
    first = text[1] if text[0] == "(" and len(text) > 1 else text[0]
    return _key(text), first.isupper(), text[0].islower()


def _tokens(body: str, a: int, b: int) -> list[_Tok]:
    """Tokens of ``body[a:b]`` only: attributions are read in short windows, never the whole text."""
    return [_Tok(m) for m in _TOKEN.finditer(body, max(a, 0), b)]


def _ends_sentence(tok: _Tok, v: _Vocab) -> bool:
    """A word whose period ends the sentence, not an abbreviation ("Pol.", "H.", "S.H.")."""
    text = tok.text
    return text.endswith(".") and len(tok.key) > 1 and tok.key not in v.titles and "." not in text[:-1]


def _namey(tok: _Tok, v: _Vocab) -> bool:
    return tok.cap or tok.key in v.titles


def _broken(body: str, a: _Tok, b: _Tok) -> bool:
    """Paragraph break between two tokens: a name never continues over it."""
    return "\n" in body[a.end:b.start]


def _is_post(tok: _Tok, v: _Vocab) -> bool:
    return tok.key in v.post_heads


Segments = list[list[_Tok]]


def _read_forward(toks: list[_Tok], i: int, body: str, v: _Vocab) -> Segments:
    """The name/post phrase starting at token ``i``, split at commas ("Kanit I, AKP Agus Gunawan")."""
    segs: Segments = [[]]
    commas = 0
    n = len(toks)
    k = i
    while k < n and k - i < 16:
        tok = toks[k]
        if k > i and _broken(body, toks[k - 1], tok):
            break
        if tok.text == ",":
            nxt = toks[k + 1] if k + 1 < n else None
            if (segs[-1] and commas < 2 and nxt is not None and not _broken(body, tok, nxt) and _namey(nxt, v)
                    and nxt.key not in v.calendar and not _DEGREE.fullmatch(nxt.text)):
                segs.append([])
                commas += 1
                k += 1
                continue
            break
        if tok.key in v.calendar:
            break
        joins = tok.key in v.connectors and bool(segs[-1]) and k + 1 < n and toks[k + 1].cap
        if not (_namey(tok, v) or joins):
            break
        segs[-1].append(tok)
        if _ends_sentence(tok, v):
            break
        k += 1
    return [s for s in segs if s]


def _read_backward(toks: list[_Tok], j: int, body: str, v: _Vocab) -> Segments:
    """The name/post phrase ending at token ``j``, without a sentence opener ("Senada, ...")."""
    segs: Segments = [[]]
    commas = 0
    k = j
    while k >= 0 and j - k < 16:
        tok = toks[k]
        if k < j and _broken(body, tok, toks[k + 1]):
            break
        if tok.text == ",":
            prv = toks[k - 1] if k > 0 else None
            if (segs[-1] and commas < 2 and prv is not None and not _broken(body, prv, tok)
                    and _namey(prv, v) and not _ends_sentence(prv, v)):
                segs.append([])
                commas += 1
                k -= 1
                continue
            break
        if _ends_sentence(tok, v) or tok.key in v.calendar:
            break
        joins = tok.key in v.connectors and bool(segs[-1]) and k > 0 and toks[k - 1].cap
        if not (_namey(tok, v) or joins):
            break
        segs[-1].append(tok)
        k -= 1
    ordered = [s[::-1] for s in segs[::-1] if s]
    if len(ordered) > 1 and ordered[0][0].key in v.openers:
        ordered = ordered[1:]
    if ordered:
        first = ordered[0]
        while first and (first[0].key in v.openers or first[0].key in v.connectors):
            first = first[1:]
        ordered = [first, *ordered[1:]] if first else ordered[1:]
    return [[t for t in s if not _DEGREE.fullmatch(t.text)] for s in ordered if s]


def _written(tokens: list[_Tok], v: _Vocab) -> str:
    return " ".join(t.text[:-1] if _ends_sentence(t, v) else t.text for t in tokens)


def _split(segs: Segments, v: _Vocab) -> tuple[list[_Tok], list[_Tok]]:
    """(name, post) of a phrase: "Kapolda NTB Irjen Pol Mohammad Iqbal" -> Mohammad Iqbal, Kapolda NTB.

    A segment that starts with a post word is a post, up to a rank or title ("Kapolres Banyuasin,
    AKBP Rury Prastowo", "Dir Resnarkoba Polda NTB Kombes Pol Helmi Kwarta") or, lacking one, up to
    its last upper-case acronym when name words follow ("Direktur Perlindungan WNI Kemlu RI Judha
    Nugraha"). Any other segment is a name, after its ranks and titles ("Spesialis Penyakit Dalam dr
    Ahmad Akbar" names Ahmad Akbar). Words of unit and place names never make a name.
    """
    name: list[_Tok] = []
    post: list[_Tok] = []
    for seg in segs:
        seg = [t for t in seg if not _DEGREE.fullmatch(t.text)]
        if not seg:
            continue
        cut = next((i for i in range(1, len(seg)) if seg[i].key in v.titles and seg[i].key not in v.title_parts
                    and seg[i - 1].key not in v.titles), None)
        rest: list[_Tok] = []
        if cut is not None:
            rest = seg[cut:]
            while rest and rest[0].key in v.titles:
                rest = rest[1:]
            if not rest or all(t.key in v.org_words for t in rest):
                rest, cut = [], None
        if cut is None and _is_post(seg[0], v):
            caps = [i for i, t in enumerate(seg) if len(t.key) > 1 and t.text.strip("()").isupper()]
            if caps and caps[-1] + 1 < len(seg):
                cut = caps[-1] + 1
                rest = seg[cut:]
                if any(t.key in v.org_words or t.key in v.titles or not t.cap for t in rest):
                    rest, cut = [], None
        head = seg if cut is None else seg[:cut]
        if rest:
            name = rest
        if _is_post(head[0], v):
            post = post or head
        elif not rest:
            while head and head[0].key in v.titles:
                head = head[1:]
            if head:
                name = head
    return name, post


# --- speakers -----------------------------------------------------------------------------------


def _bare(text: str) -> str:
    """Folded words without brackets or punctuation: "Menteri Pemuda dan Olahraga (Menpora)" has the word
    "menpora"."""
    return " ".join(re.findall(r"\w+", fold(text)))


@dataclass(slots=True)
class _Resolver:
    """Maps written names and posts to ``people``; remembers names and posts written earlier."""

    people: Sequence[Person]
    v: _Vocab
    seen: list[str] = field(default_factory=list)  # names as written, not in people
    posts: list[tuple[str, str]] = field(default_factory=list)  # (folded post, speaker) written together

    def nearest(self, persons: list[Person], pos: int) -> Person:
        """Of several matching people, the one mentioned last before ``pos`` (else first mentioned)."""
        def rank(p: Person) -> tuple[int, int]:
            before = [s for s, _ in p.mentions if s <= pos]
            if before:
                return (1, max(before))
            return (0, -min((s for s, _ in p.mentions), default=1 << 60))
        return max(persons, key=rank)

    def by_name(self, keys: list[str], pos: int) -> Person | None:
        wanted = [k for k in keys if k not in self.v.titles]
        if not wanted:
            return None
        exact: list[Person] = []
        partial: list[Person] = []
        for p in self.people:
            have = [k for k in fold(p.name.replace(".", " ")).split() if k not in self.v.titles]
            if have == wanted:
                exact.append(p)
            elif set(wanted) <= set(have) or (len(have) > 1 and set(have) <= set(wanted)):
                partial.append(p)
        found = exact or partial
        return self.nearest(found, pos) if found else None

    def by_post(self, post: str, pos: int) -> Person | None:
        key = f" {_bare(post)} "
        found = [p for p in self.people if p.position and
                 (key in f" {_bare(p.position)} " or f" {_bare(p.position)} " in key)]
        return self.nearest(found, pos) if found else None

    def at(self, tokens: list[_Tok]) -> Person | None:
        """The person one of whose mentions covers these words: a name the entity extractor resolved there
        (an alias, a form of address, a short form it merged)."""
        for token in tokens:
            for person in self.people:
                if any(s <= token.start < e for s, e in person.mentions):
                    return person
        return None

    def by_words(self, tokens: list[_Tok]) -> Person | None:
        """The one person with a name word among these words, titles and posts left out ("Bupati Markus",
        "Gus Fahrur")."""
        wanted = {t.key for t in tokens if t.cap and t.key not in self.v.titles and t.key not in self.v.post_heads}
        found = [p for p in self.people if wanted & set(fold(p.name.replace(".", " ")).split())]
        return found[0] if len(found) == 1 else None

    def resolve(self, segs: Segments, pos: int) -> str | None:
        name, post = _split(segs, self.v)
        post_text = _written(post, self.v) if post else ""
        if name:
            person = (self.by_name([t.key for t in name], pos) or self.at(name) or self.by_words(name)
                      or self.by_post(_written(name, self.v), pos))  # a post the vocabulary does not list
            if person is not None:
                who = person.name
            else:
                who = _written(name, self.v)
                if len(name) == 1:
                    who = next((s for s in reversed(self.seen) if name[0].key in fold(s).split()), who)
                self.seen.append(who)
            if post_text:
                self.posts.append((f" {fold(post_text)} ", who))
            return who
        if post_text:
            person = self.by_post(post_text, pos) or self.at(post) or self.by_words(post)
            if person is not None:
                return person.name
            key = f" {fold(post_text)} "
            # "tambah Kapolsek" after "ujar Kapolsek Bubutan Kompol Vonny Farizky"
            return next((who for p, who in reversed(self.posts) if p.startswith(key) or key.startswith(p)), post_text)
        return None

    def complete(self, speaker: str | None) -> str | None:
        """A one-word name written as a longer name elsewhere in the text ("Gazali" -> "Gazali Ahmad")."""
        if speaker is None or " " in speaker or any(p.name == speaker for p in self.people):
            return speaker
        longer = {s for s in self.seen if " " in s and fold(speaker) in fold(s).split()}
        return longer.pop() if len(longer) == 1 else speaker


# --- quote marks ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Open:
    mark: int  # index of the opening mark
    family: str  # "c" curly, "s" straight
    para_start: int  # paragraph of the opening mark
    segments: list[tuple[int, int]] = field(default_factory=list)
    content_start: int = 0


@dataclass(frozen=True, slots=True)
class _Cand:
    mark: int  # opening mark
    close: int  # closing mark
    para_start: int  # paragraph of the opening mark
    para_end: int  # paragraph of the closing mark
    segments: tuple[tuple[int, int], ...]  # raw content of each paragraph


def _context(body: str, i: int, ps: int, pe: int) -> tuple[bool, bool]:
    """(opening-like, closing-like) position of the mark at ``i``: `` “Kami`` vs ``kami,” ``."""
    prev = body[i - 1] if i > ps else ""
    nxt = body[i + 1] if i + 1 < pe else ""
    opening = (not prev or prev.isspace() or prev in _OPEN_PRECEDERS) and bool(nxt) and not nxt.isspace()
    closing = bool(prev) and not prev.isspace() and (not nxt or nxt.isspace() or nxt in _CLOSE_FOLLOWERS)
    return opening, closing


def _scan(body: str, v: _Vocab) -> list[_Cand]:
    """Pair quote marks paragraph by paragraph; continue a quote over paragraphs the Indonesian way.

    A mark's kind comes from its glyph (“ opens, ” closes) and, for the straight mark and for misused
    curly ones, from its context: a mark before a word after a space opens, a mark after a word
    before a space or punctuation closes, and a mark with spaces on both sides toggles.
    """
    out: list[_Cand] = []
    pending: _Open | None = None
    for para in _PARAGRAPH.finditer(body):
        ps, pe = para.span()
        marks = [m.start() for m in _MARK.finditer(body, ps, pe)]
        state: _Open | None = None
        if pending is not None:
            first = ps + len(para.group()) - len(para.group().lstrip())
            if marks and marks[0] == first and len(pending.segments) < v.max_paragraphs:
                state = pending
                state.content_start = first + 1
                marks = marks[1:]
            pending = None
        for i in marks:
            ch = body[i]
            family = "s" if ch == '"' else "c"
            opening, closing = _context(body, i, ps, pe)
            if state is None:
                stray = (closing and not opening) if ch in '"“„' else not (opening and not closing)
                if not stray:
                    state = _Open(i, family, ps, content_start=i + 1)
                continue
            if family != state.family:
                # a nested mark of the other kind is content, unless it closes a quote that no mark of its own
                # kind closes in the paragraph ("Dari hasil identifikasi ...,” ujar ...: opened straight, closed curly)
                later = [j for j in marks if j > i and (body[j] == '"') == (state.family == "s")]
                if later or not (closing and not opening):
                    continue
                out.append(_Cand(state.mark, i, state.para_start, pe, (*state.segments, (state.content_start, i))))
                state = None
                continue
            reopens = not (closing and not opening) if ch in "“„" else (opening and not closing)
            if reopens:
                state = _Open(i, family, ps, content_start=i + 1)  # the earlier mark was stray
                continue
            out.append(_Cand(state.mark, i, state.para_start, pe, (*state.segments, (state.content_start, i))))
            state = None
        if state is not None:
            state.segments.append((state.content_start, pe))
            pre = body[state.para_start:state.mark].rstrip()
            opening, _ = _context(body, state.mark, state.para_start, pe)
            if len(state.segments) > 1 or not pre or (opening and pre[-1] in ".!?:,"):
                pending = state
    return out


# --- cues ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cue:
    text: str  # as written: "ucapnya", "kata", "kata dia", "mengatakan", "Menurut"
    end: int  # end of the attribution (cue and its phrase)
    speaker: str | None = None  # explicit speaker, else None (resolved from context)


def _after_cue(body: str, cand: _Cand, res: _Resolver) -> _Cue | None:
    """The cue right after the closing mark and the speaker it names, if any."""
    v = res.v
    k = cand.close
    while k > 0 and body[k - 1].isspace():
        k -= 1
    comma = body[k - 1:k] == ","
    m = (v.after_any_case if comma else v.after).match(body, cand.close + 1, cand.para_end)
    if m is None:
        return None
    cue = m.group("cue")
    if fold(cue) in v.nya:
        return _Cue(cue, m.end())
    toks = _tokens(body, m.end(), min(cand.para_end, m.end() + WINDOW))
    if not toks:
        return _Cue(cue, m.end())
    nxt = toks[0]
    if nxt.key in v.pronouns and nxt.lower:
        return _Cue(f"{cue} {nxt.key}", nxt.end)
    segs = _read_forward(toks, 0, body, v)
    if segs:
        return _Cue(cue, segs[-1][-1].end, res.resolve(segs, cand.mark))
    if nxt.lower and nxt.key in v.descriptors:
        # "ujar pihak KBRI LA", "ungkap kuasa hukum Fariz RM", "tanya perekam", "kata peneliti pada
        # Organisasi HAM Saudi Eropa (ESOHR), Duaa Dhainy"
        k = 0
        while k + 1 < len(toks) and toks[k + 1].lower and toks[k + 1].key in v.descriptors \
                and not _ends_sentence(toks[k], v):
            k += 1
        if _ends_sentence(toks[k], v):
            return _Cue(cue, toks[k].end, _introduced(toks[:k + 1], body, cand.mark, v) or _written(toks[:k + 1], v))
        skip = 1 if k + 1 < len(toks) and toks[k + 1].key in v.prepositions else 0
        tail = _read_forward(toks, k + 1 + skip, body, v)
        if len(tail) > 1:
            return _Cue(cue, tail[-1][-1].end, res.resolve(tail[1:], cand.mark))
        named = _named_after_description(toks, k + 1, body, res, cand.mark)
        if named is not None:
            return _Cue(cue, *named)
        phrase = toks[:k + 1] + (tail[0] if tail and not skip else [])
        return _Cue(cue, phrase[-1].end, _introduced(phrase, body, cand.mark, v) or _written(phrase, v))
    return _Cue(cue, m.end())


MAX_DESCRIPTION_WORDS = 5


def _introduced(phrase: list[_Tok], body: str, before: int, v: _Vocab) -> str | None:
    """The initials a suspect speaking as "pelaku" was introduced by before the quote ("berinisial RR")."""
    if len(phrase) != 1 or phrase[0].key not in v.initial_roles:
        return None
    found = v.initials.search(body, 0, before)
    return found.group("initials") if found is not None else None
_INITIALS = re.compile(r"[A-Z]{1,4}(?:\s+(?:dan|&)\s+[A-Z]{1,4})*")


def _initials_only(who: str | None) -> bool:
    """"SD", "SAR dan DUL": people named only by their initials (suspects, in police releases)."""
    return who is not None and _INITIALS.fullmatch(who) is not None


def _named_after_description(toks: list[_Tok], start: int, body: str, res: _Resolver,
                             pos: int) -> tuple[int, str] | None:
    """The person a description leads to: "jawab anggota pansel, Harkristuti ...", "kata ketua majelis hakim Nur
    Sari ...": lower-case words (and a comma) after the descriptor, then a name that is one of the people. Returns
    the end of the name and the person's name."""
    k = start
    while k < len(toks) and k - start < MAX_DESCRIPTION_WORDS and (toks[k].lower or toks[k].text == ","):
        if _ends_sentence(toks[k], res.v):
            return None
        k += 1
    if k >= len(toks) or not toks[k].cap:
        return None
    segs = _read_forward(toks, k, body, res.v)
    if not segs:
        return None
    name, _ = _split(segs, res.v)
    person = res.by_name([t.key for t in name], pos) if name else None
    return (segs[-1][-1].end, person.name) if person is not None else None


def _before_cue(body: str, cand: _Cand, res: _Resolver) -> _Cue | None:
    """ "X mengatakan, “...”", "Menurut X, “...”", "Menurutnya, “...”": same sentence, right before."""
    v = res.v
    toks = _tokens(body, max(cand.para_start, cand.mark - WINDOW), cand.mark)
    j = len(toks) - 1
    if j >= 0 and toks[j].text in (",", ":"):
        j -= 1
    if j >= 0 and toks[j].key == "bahwa":
        j -= 1
    if j < 0:
        return None
    tok = toks[j]
    if (tok.lower and tok.key in v.before_verbs) or tok.key == "menurutnya":
        return _Cue(tok.text, cand.mark)
    # "Menurut X," / "Seperti kata X,": the word a few tokens back, its phrase ending at token j
    for k in range(j - 1, max(j - 14, -1), -1):
        if _ends_sentence(toks[k], v) or toks[k].text in _QUOTE_CHARS:
            break
        if toks[k].key in v.before_words:
            segs = _read_forward(toks, k + 1, body, v)
            if segs and segs[-1][-1] is tok:
                return _Cue(toks[k].text, cand.mark, res.resolve(segs, cand.mark))
            break
    return None


def _standalone(body: str, cand: _Cand) -> bool:
    """The quote is a sentence of its own, not a term inside one ("Lagu “Paint It, Black” dari ...")."""
    pre = body[cand.para_start:cand.mark].rstrip()
    if pre and pre[-1] not in ".!?:”\"":
        return False
    post = body[cand.close + 1:cand.para_end].lstrip()
    return not post or post[0] in "“\"(" or post[0].isupper()


# --- subjects -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Subject:
    pos: int
    segs: Segments
    person: Person | None


def _inside(pos: int, quoted: list[tuple[int, int]]) -> bool:
    i = bisect_left(quoted, (pos + 1, -1)) - 1
    return i >= 0 and quoted[i][0] <= pos < quoted[i][1]


def _person_at(start: int, end: int, mentions: list[tuple[int, int, int]], people: Sequence[Person]) -> Person | None:
    """The person with a mention overlapping ``[start, end)`` (the last such mention wins)."""
    found = None
    i = bisect_left(mentions, (start - 80, -1, -1))
    while i < len(mentions) and mentions[i][0] < end:
        if mentions[i][1] > start:
            found = people[mentions[i][2]]
        i += 1
    return found


def _may_follow_subject(body: str, pos: int, v: _Vocab) -> bool:
    """Cheap test that a verb after ``pos`` follows a name, through adverbs and "saat dikonfirmasi":
    most verbs follow a lower-case word and are dismissed here without tokenizing anything."""
    end = pos
    for _ in range(4):
        while end > 0 and body[end - 1] in " \t\u00a0":
            end -= 1
        start = end - 1
        while start > 0 and body[start - 1] not in " \t\u00a0\n.)(":
            start -= 1
        if start < 0 or start >= end:
            return False
        first = body[start]
        if first.isupper():
            return fold(body[start:end]) not in v.pronouns
        if body[end - 1] in ",)":
            return True
        word = body[start:end]
        if not (word in v.adverbs or word in v.while_words or word.startswith("di") or word == "itu"):
            return False
        end = start
    return False


def _subject_before(body: str, para_start: int, verb_start: int, quoted: list[tuple[int, int]],
                    v: _Vocab) -> Segments:
    """The name phrase ending before a verb, through adverbs, a comma and "saat dikonfirmasi".

    Read in a short window first (most phrases are short); a phrase reaching the window's start is
    read again in a full one.
    """
    for width in (72, WINDOW):
        a = max(para_start, verb_start - width)
        toks = _tokens(body, a, verb_start)
        j = len(toks) - 1
        while j >= 0 and toks[j].lower and toks[j].key in v.adverbs:
            j -= 1
        for back in (1, 2):  # "saat dikonfirmasi", "ketika ditemui wartawan", "saat itu"
            if j - back >= 0 and toks[j - back].key in v.while_words and all(t.lower for t in toks[j - back:j + 1]):
                j -= back + 1
                break
        while j >= 0 and toks[j].lower and toks[j].key in v.adverbs:
            j -= 1
        if j >= 0 and toks[j].text == ",":
            j -= 1
        if j < 0 or not _namey(toks[j], v) or _inside(toks[j].start, quoted):
            return []
        segs = [seg for seg in _read_backward(toks, j, body, v) if seg]  # a phrase may read as an empty segment
        if a == para_start or not segs or segs[0][0].start - a > 24:
            return segs
    return segs


def _subjects(body: str, lo: int, hi: int, people: Sequence[Person], quoted: list[tuple[int, int]],
              v: _Vocab) -> list[_Subject]:
    """Who the text is talking about in ``body[lo:hi]``, in text order: the speakers of pronoun cues.

    - A sentence subject: a name or post followed by a verb ("Ahmad pun menegaskan", "Kabid Humas
      Polda Kalteng, Hendra Rochmawan, membenarkan", "X saat dikonfirmasi membenarkan"). It must start
      its clause: nothing but openers ("Senada,", "Sementara itu", "Di akhir pertemuan,") before it,
      or, with a speech verb, a preposition ("pemaparan dari Karo Wabprop ... menyampaikan"). With a
      speech verb any name counts; with another verb only a post or a known person does. A clause
      with an earlier verb makes the name an object ("menegaskan Fariz RM mengakui"); a description
      before the name makes it someone else ("Kuasa hukum Fariz RM menyampaikan"), unless the clause
      opens with an appositive name ("Susilawati, kakak dari ..., menyampaikan").
    - An attribution outside quotes: "Menurut Ryu, ...", "..., kata Aldi, terbilang baru",
      "Hal tersebut dikatakan Kasat Reskrim ... Kompol Putu", "dikonfirmasi oleh ... Vernal Armando".
    Names inside quotes are never subjects.
    """
    mentions = sorted((s, e, i) for i, p in enumerate(people) for s, e in p.mentions)
    found: list[_Subject] = []
    agents = [m.end() for m in v.agent.finditer(body, max(lo - 1, 0), hi) if not _inside(m.start(), quoted)]
    if lo == 0 and (first := v.agent.match("\n" + body[:40])) is not None:
        agents.insert(0, first.end() - 1)
    for agent_end in agents:
        para_end = body.find("\n", agent_end)
        toks = _tokens(body, agent_end, min(agent_end + WINDOW, para_end if para_end >= 0 else len(body)))
        segs = _read_forward(toks, 0, body, v)
        if segs:
            start, end = segs[0][0].start, segs[-1][-1].end
            found.append(_Subject(start, segs, _person_at(start, end, mentions, people)))
    for m in v.verb_scan.finditer(body, max(lo - 1, 0), hi):
        verb_start = m.start("verb")
        word = m.group("verb")
        if word in v.not_verbs:
            continue
        if not _may_follow_subject(body, m.start(), v):
            continue
        para_start = body.rfind("\n", 0, verb_start) + 1
        segs = _subject_before(body, para_start, verb_start, quoted, v)
        if not segs or (len(segs) == 1 and len(segs[0]) == 1 and segs[0][0].key in v.pronouns):
            continue
        start = segs[0][0].start
        clause_start = para_start
        for b in _BOUNDARY.finditer(body, max(para_start, start - 2 * WINDOW), start + 8):
            if b.end() <= start:
                clause_start = b.end()
        clause = body[clause_start:start]
        if _inside(start, quoted) or v.verb.search(clause):
            continue
        strong = word in v.before_verbs
        words = [fold(w.strip(",")) for w in clause.split()]
        if words and not (clause.rstrip().endswith(",") or all(w in v.openers for w in words if w)
                          or (strong and words[-1] in v.prepositions)):
            # "Susilawati, kakak dari salah satu peserta ..., menyampaikan": the appositive name
            head = _read_forward(_tokens(body, clause_start, start), 0, body, v)
            if not head or head[0][0].key in v.openers or body[head[0][-1].end:head[0][-1].end + 1] != ",":
                continue
            segs = head[:1]
            start = segs[0][0].start
        person = _person_at(start, segs[-1][-1].end, mentions, people)
        if not strong:
            after_preposition = bool(words) and words[-1] in v.prepositions
            if after_preposition or not (person is not None or any(_is_post(seg[0], v) for seg in segs)):
                continue
        found.append(_Subject(start, segs, person))
    found.sort(key=lambda s: s.pos)
    return found


# --- the extractor --------------------------------------------------------------------------------


def _content(body: str, a: int, b: int, last: bool) -> tuple[int, int]:
    while a < b and body[a].isspace():
        a += 1
    while b > a and body[b - 1].isspace():
        b -= 1
    if last:
        while b > a and (body[b - 1] == "," or body[b - 1].isspace()):
            b -= 1
    return a, b


def extract_quotes(body: str, people: Sequence[Person]) -> list[Quote]:
    """Direct quotes in ``body`` with their cue and speaker, in text order.

    ``people`` are the persons found in ``body`` (their ``mentions`` are offsets into it); a speaker
    is returned as a person's ``name`` whenever the attribution refers to one of them.
    """
    if not any(ch in body for ch in _QUOTE_CHARS):
        return []
    v = _vocab()
    res = _Resolver(people, v)

    accepted: list[tuple[_Cand, tuple[int, int], str, _Cue | None]] = []
    for cand in _scan(body, v):
        last = len(cand.segments) - 1
        parts = [_content(body, a, b, n == last) for n, (a, b) in enumerate(cand.segments)]
        parts = [(a, b) for a, b in parts if b > a]
        if not parts:
            continue
        text = "\n\n".join(body[a:b] for a, b in parts)
        words = len(text.split())
        cue = _after_cue(body, cand, res)
        if cue is not None:
            keep = words >= v.min_words
        else:
            cue = _before_cue(body, cand, res)
            if cue is not None:
                keep = words >= v.min_words
            else:
                ends = (text.rstrip("’')]")[-1:] in tuple(_SENTENCE_END)
                        or body[cand.close + 1:cand.close + 2] in tuple(_SENTENCE_END))
                keep = words >= v.min_words and ends and _standalone(body, cand)
        if keep:
            accepted.append((cand, (parts[0][0], parts[-1][1]), text, cue))
    if not accepted:
        return []

    # A quote without an explicit speaker takes the latest subject or quote speaker before it: only
    # the text since the previous quote is searched for subjects.
    quoted = sorted((c.mark, c.close + 1) for c, *_ in accepted)
    subjects: list[_Subject] = []
    previous_close = 0
    for cand, _, _, cue in accepted:
        if cue is None or cue.speaker is None:
            subjects += _subjects(body, previous_close, cand.mark, people, quoted, v)
        previous_close = cand.close + 1
    found: list[tuple[str, str | None, str | None, tuple[int, int]]] = []
    si = 0
    latest: tuple[int, str | None] | None = None  # (position, speaker) of the latest subject or quote
    for cand, span, text, cue in accepted:
        while si < len(subjects) and subjects[si].pos < cand.mark:
            subject = subjects[si]
            who = subject.person.name if subject.person is not None else res.resolve(subject.segs, subject.pos)
            if latest is not None and latest[1] is not None and _initials_only(who) \
                    and not _initials_only(latest[1]):
                si += 1  # "SD mengaku ..." between two quotes of the officer: suspects named by initials
                continue  # are talked about in a release, the officer goes on speaking ("ungkapnya")
            if latest is None or subject.pos > latest[0]:
                latest = (subject.pos, who)
            si += 1
        speaker = cue.speaker if cue is not None else None
        if speaker is None and latest is not None:
            speaker = latest[1]
        found.append((text, speaker, cue.text if cue else None, span))
        latest = (max(cue.end if cue is not None else 0, cand.close), speaker)
    return [Quote(text=text, speaker=res.complete(speaker), cue=cue, span=span) for text, speaker, cue, span in found]
