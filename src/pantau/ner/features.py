"""Gazetteer features for the NER model: each token's classes in pantau's own vocabularies.

``pantau.LexiconHashEmbed.v1`` is spaCy's ``MultiHashEmbed.v2`` (hash embeddings of NORM, PREFIX, SUFFIX, SHAPE,
concatenated and mixed by a Maxout layer) with one more embedded column: a small integer per token, the set of
pantau vocabularies its lower-cased form occurs in (bits of :data:`CLASSES`): a word of a Kemendagri region name,
of a district name, of an organisation alias, a rank, a post, a title, a place keyword ("kabupaten") or a
word that opens sentences and is never a name. The model learns how far to trust each class; words outside
every vocabulary get 0. The vocabularies are the package's data files, so the feature costs no download and
the shipped model reads the same classes at run time as in training.

The architecture is registered when this module is imported; :mod:`pantau.ner.model` and
:mod:`pantau.ner.train` import it before loading or training a pipeline whose config names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from spacy.attrs import LOWER
from spacy.ml.featureextractor import FeatureExtractor
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d, Ints2d

CLASSES = {  # bit: vocabulary
    "region": 1,  # a word of a province, regency or city name (or alias), or a dateline city
    "district": 2,  # a word of a district (kecamatan) name
    "organization": 4,  # a word of a unit kind or national organisation alias ("Polres", "BNN", "Kejaksaan")
    "rank": 8,
    "post": 16,
    "title": 32,  # "H.", "Dr", "S.H."
    "place_keyword": 64,  # "provinsi", "kabupaten", "kota", "kecamatan"
    "stopword": 128,  # capitalised words that open sentences and are never names ("Namun", "Senin")
}
POS_CLASSES = {  # bit: class in data/pos_lexicon.tsv (pantau.LexiconHashEmbed.v2 only)
    "proper": 256,  # tagged NNP in at least 80% of its occurrences in nlp-id's POS corpus ("garuda", "leicester")
    "common": 512,  # tagged NNP in at most 10% ("memastikan", "pesawat")
}
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def _words(texts: Iterable[str]) -> set[str]:
    return {w.casefold() for text in texts for w in _WORD.findall(text)}


@cache
def word_classes() -> dict[int, int]:
    """The class bits of every vocabulary word, keyed by the spaCy hash of the lower-cased word."""
    from pantau.extract.lexicon import _NAME_STOPWORDS, strip_register_prefix
    from pantau.regions import regions
    from pantau.vocab import load_toml

    register = regions().values()
    places = load_toml("places")
    orgs = load_toml("organizations")
    ranks = load_toml("ranks")["rank"]
    titles = load_toml("titles")
    groups: dict[str, set[str]] = {
        "region": _words([strip_register_prefix(r.name) for r in register if r.level != "district"]
                         + [a for aliases in places["province_aliases"].values() for a in aliases]
                         + [a for aliases in places["regency_aliases"].values() for a in aliases]
                         + list(load_toml("lead")["places"])),
        "district": _words(r.name for r in register if r.level == "district"),
        "organization": _words([a for entry in orgs["kind"] for a in entry["aliases"]]
                               + [a for entry in orgs["national"] for a in entry["aliases"]]),
        "rank": _words(form for entry in ranks for form in entry["forms"]),
        "post": _words(form for entry in load_toml("posts")["post"] for form in entry["forms"]),
        "title": _words([*titles["prefix"], *titles["academic"]]),
        "place_keyword": _words(k for words in places["keywords"].values() for k in words),
        "stopword": _words(_NAME_STOPWORDS),
    }
    classes: dict[int, int] = {}
    for name, words in groups.items():
        for word in words:
            key = hash_string(word)
            classes[key] = classes.get(key, 0) | CLASSES[name]
    return classes


@cache
def pos_word_classes() -> dict[int, int]:
    """:func:`word_classes` plus the proper-noun and common-word classes of ``data/pos_lexicon.tsv``."""
    from importlib import resources

    classes = dict(word_classes())
    text = resources.files("pantau.data").joinpath("pos_lexicon.tsv").read_text(encoding="utf-8")
    for line in text.split("\n"):  # not splitlines(): a word may hold a character it splits at (U+2028)
        if line and not line.startswith("# "):
            word, kind, *_ = line.split("\t")
            key = hash_string(word)
            classes[key] = classes.get(key, 0) | POS_CLASSES[kind]
    return classes


def lexicon_classes(doc: Doc, pos_classes: bool = False) -> list[int]:
    """The class bits of each token of ``doc`` (with the POS-lexicon classes when ``pos_classes``)."""
    classes = pos_word_classes() if pos_classes else word_classes()
    return [classes.get(h, 0) for h in doc.to_array(LOWER).tolist()]


def LexiconFeatures(columns: list[str | int], pos_classes: bool = False) -> Model[list[Doc], list[Ints2d]]:
    """spaCy's ``FeatureExtractor(columns)`` with the lexicon classes as one more (last) column."""
    extract = FeatureExtractor(columns)

    def forward(model: Model[list[Doc], list[Ints2d]], docs: list[Doc], is_train: bool
                ) -> tuple[list[Ints2d], Callable[[Any], list[Any]]]:
        features, _ = extract(docs, is_train)
        ops = model.ops
        out = [ops.xp.hstack([f, ops.asarray2i([[c] for c in lexicon_classes(doc, pos_classes)], dtype="uint64")
                              .reshape((len(doc), 1))]).astype("uint64")
               for f, doc in zip(features, docs, strict=True)]
        return out, lambda d_features: []

    return Model("extract_lexicon_features", forward, attrs={"columns": columns})


@registry.architectures("pantau.LexiconHashEmbed.v1")
def LexiconHashEmbed(width: int, attrs: list[str | int], rows: list[int],
                     lexicon_rows: int = 256) -> Model[list[Doc], list[Floats2d]]:
    """``spacy.MultiHashEmbed.v2`` (no static vectors) plus an embedding of the lexicon classes."""
    return _lexicon_hash_embed(width, attrs, rows, lexicon_rows, pos_classes=False)


@registry.architectures("pantau.LexiconHashEmbed.v2")
def LexiconHashEmbedPos(width: int, attrs: list[str | int], rows: list[int],
                        lexicon_rows: int = 1024) -> Model[list[Doc], list[Floats2d]]:
    """``pantau.LexiconHashEmbed.v1`` whose lexicon classes add nlp-id's proper-noun and common-word classes."""
    return _lexicon_hash_embed(width, attrs, rows, lexicon_rows, pos_classes=True)


def _lexicon_hash_embed(width: int, attrs: list[str | int], rows: list[int], lexicon_rows: int, *,
                        pos_classes: bool) -> Model[list[Doc], list[Floats2d]]:
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} vs {len(attrs)}")
    seed = 7
    tables = [*rows, lexicon_rows]

    def make_hash_embed(index: int) -> Model[Ints2d, Floats2d]:
        nonlocal seed
        seed += 1
        return HashEmbed(width, tables[index], column=index, seed=seed, dropout=0.0)

    embeddings = [make_hash_embed(i) for i in range(len(tables))]
    max_out = with_array(Maxout(width, width * len(embeddings), nP=3, dropout=0.0, normalize=True))
    return chain(LexiconFeatures(attrs, pos_classes), list2ragged(), with_array(concatenate(*embeddings)), max_out,
                 ragged2list())
