"""The domain lexicon on a spaCy ``Doc``: ranks, posts, unit kinds, national bodies and places.

Every vocabulary data file (ranks, titles, posts, organizations, places, the Kemendagri register)
becomes one spaCy ``PhraseMatcher`` over lower-cased tokens, built once per process. ``annotate``
tokenises a text and records, for each token where a term starts, the longest term of each kind.
The entity components (places, organizations, people) read these tables; none of them holds a
regex of domain words.

Tokenisation uses ``spacy.blank("xx")``: the Indonesian tokenizer's 16k exceptions cost 3-4 s to
load and cut throughput to ~140k tokens/s; the multi-language one loads in 0.1 s and runs at
~1.6M tokens/s, and patterns are tokenised by the same tokenizer, so they always agree.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

import spacy
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pantau.regions import Region, regions
from pantau.vocab import load_toml

POLRI_SUFFIXES = (" Pol", " Pol.", ". Pol.", ". Pol", "pol", " Polisi")
_REGISTER_PREFIX = re.compile(r"^(kabupaten administrasi|kota administrasi|kabupaten|kota)\s+", re.I)


@dataclass(frozen=True, slots=True)
class Rank:
    abbr: str
    full: str
    service: str
    ambiguous: bool = False


@dataclass(frozen=True, slots=True)
class Post:
    key: int
    forms: tuple[str, ...]
    meaning: str
    unit: str  # organisation kind key, "" for generic heads

    @property
    def generic(self) -> bool:
        return not self.unit


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    type: str
    level: str
    qualifiers: frozenset[str]
    parent: str | None


@dataclass(frozen=True, slots=True)
class National:
    name: str
    type: str
    parent: str | None
    regional: tuple[tuple[str, str], ...]  # (region level, kind key): "BNN NTT" -> BNNP


@dataclass(frozen=True, slots=True)
class PlaceTerm:
    regions: tuple[Region, ...]
    ambiguous: bool


@dataclass(slots=True)
class Lexicon:
    nlp: Language
    matcher: PhraseMatcher
    ranks: dict[str, Rank]
    posts: dict[str, Post]
    kinds: dict[str, Kind]  # folded alias -> kind
    kinds_by_key: dict[str, Kind]  # kind key ("polres") -> kind
    nationals: dict[str, National]
    places: dict[str, PlaceTerm]
    districts: dict[str, tuple[Region, ...]]
    place_keywords: dict[str, str]  # folded keyword -> level
    corps: frozenset[str]  # marks after a TNI rank: "Letkol Inf"
    street_words: frozenset[str]  # lower-cased: "Jalan Kapten P Tendean" is no person
    academic_titles: frozenset[str]
    prefix_titles: frozenset[str]
    stopwords: frozenset[str]  # lower-cased words that are never part of a person's name
    post_names: frozenset[str]  # lower-cased one-word posts that are also personal names ("hakim")
    alias_openers: frozenset[str] = frozenset()  # "atau", "alias", "akrab disapa": an alias follows a name


@lru_cache(maxsize=1 << 16)
def title_key(text: str) -> str:
    """'S.I.K.' -> 'sik': titles compare without dots, spaces or case."""
    return re.sub(r"[^a-z]", "", text.casefold())


def strip_register_prefix(name: str) -> str:
    return _REGISTER_PREFIX.sub("", name)


# spaCy refuses texts over 1,000,000 characters to protect its parser's memory; pantau only tokenises
# whole texts (the NER model reads 12-word windows), so its limit is the readers' 32 MiB a page.
MAX_TEXT_CHARS = 32 * 1024 * 1024


# spaCy keeps the tokens of the first 10,000 whitespace-separated chunks it cuts, and cuts every later one again
# each time it meets it: news fills that within a few hundred articles (552 real articles hold 31k distinct
# chunks), so a long run re-cut most of its common words. 100,000 chunks cost about 30 MB (some 300 bytes
# each); the tokens are the same either way.
TOKENIZER_CACHE_CHUNKS = 100_000


@cache
def tokenizer() -> Language:
    nlp = spacy.blank("xx")
    nlp.max_length = MAX_TEXT_CHARS + 1
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE_CHUNKS
    return nlp


def _add(matcher: PhraseMatcher, nlp: Language, label: str, forms: Iterable[str]) -> None:
    patterns = [nlp.make_doc(form) for form in dict.fromkeys(forms) if form.strip()]
    if patterns:
        matcher.add(label, patterns)


def _rank_forms(entry: dict) -> list[str]:
    forms = list(entry["forms"])
    if entry["service"] == "polri":
        for form in entry["forms"]:
            if " " not in form and not form.casefold().endswith("pol"):
                forms += [form + suffix for suffix in POLRI_SUFFIXES]
    return forms


@cache
def lexicon() -> Lexicon:
    """The lexicon, built once per process (~0.3 s)."""
    nlp = tokenizer()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    stop: set[str] = set()

    ranks: dict[str, Rank] = {}
    for index, entry in enumerate(load_toml("ranks")["rank"]):
        label = f"RANK{index}"
        ranks[label] = Rank(entry["abbr"], entry["full"], entry["service"], entry.get("ambiguous", False))
        _add(matcher, nlp, label, _rank_forms(entry))
        stop.update(w.casefold() for form in entry["forms"] for w in form.split())

    posts: dict[str, Post] = {}
    for index, entry in enumerate(load_toml("posts")["post"]):
        label = f"POST{index}"
        posts[label] = Post(index, tuple(entry["forms"]), entry["meaning"], entry["unit"])
        _add(matcher, nlp, label, entry["forms"])
        stop.update(w.casefold() for form in entry["forms"] for w in form.split())

    org_data = load_toml("organizations")
    kinds: dict[str, Kind] = {}
    for entry in org_data["kind"]:
        label = f"KIND:{entry['key']}"
        kinds[label] = Kind(entry["key"], entry["type"], entry["level"], frozenset(entry.get("qualifiers", [])),
                            entry.get("parent"))
        _add(matcher, nlp, label, entry["aliases"])
        stop.update(w.casefold() for alias in entry["aliases"] for w in alias.split())
    nationals: dict[str, National] = {}
    for entry in org_data["national"]:
        label = f"NAT:{entry['name']}"
        regional = tuple(sorted(entry.get("regional", {}).items()))
        nationals[label] = National(entry["name"], entry["type"], entry.get("parent"), regional)
        _add(matcher, nlp, label, entry["aliases"])
        stop.update(w.casefold() for alias in entry["aliases"] for w in alias.split() if w.isupper())

    place_data = load_toml("places")
    ambiguous = {a.casefold() for a in place_data["ambiguous"]["names"]}
    register = regions()
    place_terms: dict[str, list[Region]] = {}
    districts: dict[str, list[Region]] = {}
    for region in register.values():
        if region.level == "district":
            districts.setdefault(region.name.casefold(), []).append(region)
            continue
        for form in {region.name, strip_register_prefix(region.name)}:
            place_terms.setdefault(form.casefold(), []).append(region)
    for code, aliases in place_data["province_aliases"].items():
        for alias in aliases:
            place_terms.setdefault(alias.casefold(), []).append(register[code])
    for code, aliases in place_data["regency_aliases"].items():
        for alias in aliases:
            place_terms.setdefault(alias.casefold(), []).append(register[code])
    places: dict[str, PlaceTerm] = {}
    for index, (form, found) in enumerate(sorted(place_terms.items())):
        label = f"PLACE{index}"
        unique = tuple(dict.fromkeys(sorted(found, key=lambda r: (r.code.count("."), r.level != "city", r.code))))
        places[label] = PlaceTerm(unique, form in ambiguous)
        _add(matcher, nlp, label, [form])
    keywords = {k.casefold().rstrip("."): level for level, words in place_data["keywords"].items() for k in words}

    titles = load_toml("titles")
    rank_data = load_toml("ranks")
    post_names = frozenset(w.casefold() for w in load_toml("posts").get("also_names", []))
    stop.update(keywords)
    stop.update(w.casefold() for w in _NAME_STOPWORDS)
    return Lexicon(
        nlp=nlp, matcher=matcher, ranks=ranks, posts=posts, kinds=kinds,
        kinds_by_key={k.key: k for k in kinds.values()}, nationals=nationals, places=places,
        districts={k: tuple(v) for k, v in districts.items()}, place_keywords=keywords,
        corps=frozenset(rank_data["after_rank"]["corps"]),
        street_words=frozenset(w.casefold() for w in rank_data["before_rank"]["streets"]),
        academic_titles=frozenset(title_key(t) for t in titles["academic"]),
        prefix_titles=frozenset(title_key(t) for t in titles["prefix"]),
        stopwords=frozenset(stop - post_names),
        post_names=post_names,
        alias_openers=frozenset(w.casefold() for w in titles.get("alias_openers", [])),
    )


# Capitalised words that open sentences or clauses in news and are never names.
_NAME_STOPWORDS = (
    "Namun", "Saat", "Sementara", "Sementara itu", "Selain", "Dalam", "Di", "Ia", "Kami", "Kita", "Mereka",
    "Menurutnya", "Menurut", "Senada", "Selanjutnya", "Kemudian", "Adapun", "Apalagi", "Bahkan", "Sebelumnya",
    "Setelah", "Sedangkan", "Pada", "Dari", "Ke", "Untuk", "Dengan", "Oleh", "Atas", "Bersama", "Hal", "Ini",
    "Itu", "Tersebut", "Yang", "Dan", "Atau", "Tetapi", "Tapi", "Jika", "Kalau", "Agar", "Supaya", "Karena",
    "Sehingga", "Lalu", "Juga", "Pun", "Serta", "Hingga", "Sejak", "Selama", "Sepanjang", "Tahun", "Bulan",
    "Hari", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu", "Ahad", "Januari", "Februari",
    "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    "WIB", "WITA", "WIT", "Tim", "Personel", "Anggota", "Petugas", "Polisi", "Warga", "Tersangka", "Pelaku",
    "Korban", "Saksi", "Tokoh", "Agama", "Masyarakat", "Perwakilan", "Pihak", "Jajaran", "Satuan", "Unit",
    "Kegiatan", "Acara", "Rapat", "Ruang", "Gedung", "Jalan", "Jl", "Desa", "Kelurahan", "Dusun", "Kampung",
    "Republik", "Indonesia", "Negara", "Nasional", "Daerah", "Wilayah", "Provinsi", "Kabupaten", "Kota",
    "Kecamatan", "Narkoba", "Narkotika", "Sabu", "Ganja", "Ekstasi", "Polres", "Polda", "Polsek", "Lapas",
    "Rutan", "Humas", "Reserse", "Resnarkoba", "Zoom", "Meeting", "Vicon", "MoU", "Sat", "Bid", "Subbid",
)


@dataclass(slots=True)
class Annotated:
    """A tokenised text with the longest lexicon term starting at each token, by kind."""

    doc: Doc
    source: str  # the text itself: Doc.text rebuilds the string from tokens on every access
    ranks: dict[int, tuple[int, Rank]] = field(default_factory=dict)
    posts: dict[int, tuple[int, Post]] = field(default_factory=dict)
    kinds: dict[int, tuple[int, Kind]] = field(default_factory=dict)
    nationals: dict[int, tuple[int, National]] = field(default_factory=dict)
    places: dict[int, tuple[int, PlaceTerm]] = field(default_factory=dict)
    lexicon_tokens: frozenset[int] | None = None  # computed by names.lexicon_tokens when first needed
    name_parts: dict[int, bool] = field(default_factory=dict)  # names.is_name_part, by token
    _texts: list[str] | None = None
    _starts: list[int] | None = None  # each token's character offset, read with the texts
    _capitalised: list[int] | None = None
    _lowers: list[str] | None = None
    _line_breaks: list[int] | None = None

    @property
    def texts(self) -> list[str]:
        """The text of each token, read once (``doc[i]`` builds a ``Token`` on every access)."""
        if self._texts is None:  # cut from the source at the token offsets: a Token per doc[i] costs more
            source = self.source
            offsets = self.doc.to_array([IDX, LENGTH])  # the starts and ends as two flat lists: half the time
            starts = offsets[:, 0].tolist()  # of a list of pairs unpacked token by token
            ends = (offsets[:, 0] + offsets[:, 1]).tolist()
            self._texts = [source[start:end] for start, end in zip(starts, ends, strict=True)]
            self._starts = starts
        return self._texts

    @property
    def lowers(self) -> list[str]:
        """The text of each token lower-cased (``Token.lower_``, which spaCy makes with ``str.lower``), read once:
        the place components read it for most tokens."""
        if self._lowers is None:
            self._lowers = [text.lower() for text in self.texts]
        return self._lowers

    @property
    def line_breaks(self) -> list[int]:
        """The tokens holding a line break, in order: found from the breaks of the source (a story has a few dozen
        and hundreds of tokens), each the token whose span holds it."""
        if self._line_breaks is None:
            texts, starts = self.texts, self._starts
            assert starts is not None  # read with the texts
            found: list[int] = []
            source = self.source
            at = source.find("\n")
            while at >= 0:
                i = bisect_right(starts, at) - 1
                if i >= 0 and at < starts[i] + len(texts[i]) and (not found or found[-1] != i):
                    found.append(i)
                at = source.find("\n", at + 1)
            self._line_breaks = found
        return self._line_breaks

    @property
    def capitalised(self) -> list[int]:
        """The tokens whose first character is upper case, in order (read once: several components look only at
        these, and most words are lower case)."""
        if self._capitalised is None:
            # text[0]: the tokenizer makes no empty token (and the first character is cheaper than a slice)
            self._capitalised = [i for i, text in enumerate(self.texts) if text[0].isupper()]
        return self._capitalised

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of tokens [start, end)."""
        texts = self.texts
        starts = self._starts
        assert starts is not None  # read with the texts
        return starts[start], starts[end - 1] + len(texts[end - 1])

    def text(self, start: int, end: int) -> str:
        begin, finish = self.char_span(start, end)
        return self.source[begin:finish]


def positions(texts: list[str], word: str) -> list[int]:
    """The indexes of ``word`` in ``texts``, in order: ``list.index`` scans in C, a comprehension over every token
    in Python (a word looked for is written a few times among hundreds of tokens)."""
    found: list[int] = []
    i = -1
    try:
        while True:
            i = texts.index(word, i + 1)
            found.append(i)
    except ValueError:
        return found


def _keep_longest(table: dict[int, tuple[int, object]], start: int, end: int, value: object) -> None:
    current = table.get(start)
    if current is None or current[0] < end:
        table[start] = (end, value)


def annotate(text: str) -> Annotated:
    lex = lexicon()
    doc = lex.nlp.make_doc(text)
    annotated = Annotated(doc, text)
    strings = lex.nlp.vocab.strings
    for match_id, start, end in lex.matcher(doc):
        label = strings[match_id]
        if label.startswith("RANK"):
            _keep_longest(annotated.ranks, start, end, lex.ranks[label])  # type: ignore[arg-type]
        elif label.startswith("POST"):
            _keep_longest(annotated.posts, start, end, lex.posts[label])  # type: ignore[arg-type]
        elif label.startswith("KIND:"):
            _keep_longest(annotated.kinds, start, end, lex.kinds[label])  # type: ignore[arg-type]
        elif label.startswith("NAT:"):
            _keep_longest(annotated.nationals, start, end, lex.nationals[label])  # type: ignore[arg-type]
        elif label.startswith("PLACE"):
            _keep_longest(annotated.places, start, end, lex.places[label])  # type: ignore[arg-type]
    return annotated
