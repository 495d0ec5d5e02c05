"""Readers for the public Indonesian NER corpora, label mapping, and cross-set deduplication.

Three formats, one token a line and a blank line between sentences, IOB2 tags in the last column:

- idner-news-2k (Khairunnisa et al. 2020, MIT): ``token POS NER`` separated by spaces, CRLF line ends,
  labels ``PER ORG LOC``;
- IndoLEM NER UI (Koto et al. 2020; no licence from its authors: evaluation only): ``token<TAB>label``,
  5 folds of ``train/dev/test.0N.tsv``, labels ``PERSON ORGANIZATION LOCATION``;
- IndoNLU NERGrit (Wilie et al. 2020; NERGRIT corpus by grit-id; Apache-2.0 repository, MIT dataset card):
  ``token<TAB>label``, cased, labels ``PERSON PLACE ORGANISATION``;
- IndoNLU NERP (Wilie et al. 2020; Hoesen & Purwarianti 2018): ``token<TAB>label``, all lower-case, labels
  ``PPL PLC IND EVT FNB``; mapped PPL->PER, PLC->LOC, IND->ORG, EVT and FNB dropped (or kept with ``native``).

Every reader gives :class:`Sentence` objects with tags mapped onto PER/ORG/LOC. idner-news-2k and part of NERP are
the same sentences (see each corpus's SOURCE.md), so :func:`deduplicate` drops from a training list every sentence
whose key (lower-cased, non-alphanumerics removed) is in a held-out list or already kept, before any training.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

LABELS = ("PER", "ORG", "LOC")
IDNER_LABELS: Mapping[str, str] = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
NERUI_LABELS: Mapping[str, str] = {"PERSON": "PER", "ORGANIZATION": "ORG", "LOCATION": "LOC"}
NERP_LABELS: Mapping[str, str] = {"PPL": "PER", "PLC": "LOC", "IND": "ORG"}  # EVT, FNB: no PER/ORG/LOC class
NERP_NATIVE_LABELS: Mapping[str, str] = {k: k for k in ("PPL", "PLC", "IND", "EVT", "FNB")}
NERGRIT_LABELS: Mapping[str, str] = {"PERSON": "PER", "ORGANISATION": "ORG", "PLACE": "LOC"}
FOLDS = (1, 2, 3, 4, 5)
CORPORA_ENV = "PANTAU_NER_CORPORA"

Span = tuple[int, int, str]  # token start, token end (exclusive), label


class HasKey(Protocol):
    @property
    def key(self) -> str: ...


Keyed = TypeVar("Keyed", bound=HasKey)


class HasTokens(Protocol):
    @property
    def tokens(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]  # IOB2 over the mapped labels
    source: str = ""  # "idner/train", "nerui/test.01", ...

    @property
    def spans(self) -> list[Span]:
        return iob_spans(self.tags)

    @property
    def key(self) -> str:
        return dedup_key(self.tokens)


def default_root() -> Path:
    """The corpora folder: ``$PANTAU_NER_CORPORA``, else ``shared/corpora/ner`` beside the repository."""
    if os.environ.get(CORPORA_ENV):
        return Path(os.environ[CORPORA_ENV])
    repo = Path(__file__).resolve().parents[3]
    for candidate in (repo.parent / "shared" / "corpora" / "ner", Path.cwd().parent / "shared" / "corpora" / "ner"):
        if candidate.is_dir():
            return candidate
    return repo.parent / "shared" / "corpora" / "ner"


def map_tag(tag: str, labels: Mapping[str, str]) -> str:
    """'B-PERSON' -> 'B-PER'; a label outside ``labels`` (and anything malformed) -> 'O'."""
    if tag == "O" or len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI":
        return "O"
    label = labels.get(tag[2:])
    return f"{tag[0]}-{label}" if label else "O"


def parse_conll(lines: Iterable[str], labels: Mapping[str, str], source: str = "") -> list[Sentence]:
    """Sentences from token-per-line text: the token is the first column, the IOB2 tag the last.

    Columns are split on tabs when the line has one, else on whitespace; CR line ends are stripped, so a
    line holding only ``\\r`` separates sentences.
    """
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for raw in lines:
        line = raw.rstrip("\r\n").rstrip("\r")
        if not line.strip():
            if tokens:
                sentences.append(Sentence(tuple(tokens), tuple(tags), source))
                tokens, tags = [], []
            continue
        columns = line.split("\t") if "\t" in line else line.split()
        if len(columns) < 2:
            raise ValueError(f"{source}: expected 'token ... tag', got {line!r}")
        tokens.append(columns[0])
        tags.append(map_tag(columns[-1].strip(), labels))
    if tokens:
        sentences.append(Sentence(tuple(tokens), tuple(tags), source))
    return sentences


def read_file(path: Path, labels: Mapping[str, str], source: str = "") -> list[Sentence]:
    # newline="" keeps the CRs so parse_conll strips them itself (the idner files are CRLF)
    with open(path, encoding="utf-8", newline="") as handle:
        return parse_conll(handle, labels, source or path.name)


def read_idner(root: Path, split: str) -> list[Sentence]:
    """idner-news-2k ``train``, ``dev`` or ``test``."""
    return read_file(root / "idner-news-2k" / f"{split}.txt", IDNER_LABELS, f"idner/{split}")


def read_nerui(root: Path, split: str, fold: int) -> list[Sentence]:
    """IndoLEM NER UI ``train``, ``dev`` or ``test`` of fold 1-5."""
    return read_file(root / "indolem-nerui" / f"{split}.0{fold}.tsv", NERUI_LABELS, f"nerui/{split}.0{fold}")


def read_nergrit(root: Path, split: str) -> list[Sentence]:
    """IndoNLU NERGrit ``train``, ``valid`` or ``test`` (cased; PERSON/PLACE/ORGANISATION mapped to PER/LOC/ORG)."""
    return read_file(root / "indonlu-nergrit" / f"{split}_preprocess.txt", NERGRIT_LABELS, f"nergrit/{split}")


def read_nerp(root: Path, split: str, native: bool = False) -> list[Sentence]:
    """IndoNLU NERP ``train``, ``valid`` or ``test``; PER/ORG/LOC, or its own five labels with ``native``."""
    labels = NERP_NATIVE_LABELS if native else NERP_LABELS
    return read_file(root / "indonlu-nerp" / f"{split}_preprocess.txt", labels, f"nerp/{split}")


def iob_spans(tags: Sequence[str]) -> list[Span]:
    """Entity spans of an IOB2 sequence, chunked as conlleval and seqeval's default mode do.

    An ``I-X`` after ``O`` or after another label opens a new entity (ill-formed but common in the corpora).
    """
    spans: list[Span] = []
    start, label = -1, ""
    for index, tag in enumerate([*tags, "O"]):
        prefix, kind = (tag[0], tag[2:]) if tag != "O" else ("O", "")
        ends = prefix == "O" or prefix == "B" or kind != label
        if label and ends:
            spans.append((start, index, label))
            label = ""
        if prefix != "O" and (prefix == "B" or not label):
            start, label = index, kind
    return spans


def spans_to_iob(length: int, spans: Iterable[Span]) -> list[str]:
    tags = ["O"] * length
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        for index in range(start + 1, end):
            tags[index] = f"I-{label}"
    return tags


def dedup_key(tokens: Iterable[str]) -> str:
    """A sentence's identity across corpora: lower-cased, every non-alphanumeric character removed."""
    return "".join(c for c in "".join(tokens).casefold() if c.isalnum())


def deduplicate(train: Iterable[Keyed], held_out: Iterable[HasKey] = ()) -> tuple[list[Keyed], int]:
    """``train`` without sentences whose key is in ``held_out`` or already kept; and how many were dropped.

    Any sentence with a ``key`` will do: the NER corpora's, or the POS corpus's (:mod:`pantau.ner.pretrain`).
    """
    seen = {s.key for s in held_out}
    kept: list[Keyed] = []
    dropped = 0
    for sentence in train:
        key = sentence.key
        if key in seen:
            dropped += 1
            continue
        seen.add(key)
        kept.append(sentence)
    return kept, dropped


def overlap(a: Iterable[Sentence], b: Iterable[Sentence]) -> int:
    """How many distinct sentence keys two lists share."""
    return len({s.key for s in a} & {s.key for s in b})


_NO_SPACE_BEFORE = frozenset({",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "...", "'s"})
_NO_SPACE_AFTER = frozenset({"(", "[", "{"})
_QUOTES = frozenset({'"', "“", "”", "'"})


def detokenize(tokens: Sequence[str]) -> list[bool]:
    """Whether each token is followed by a space in plausible running text ("kata Federer, seperti")."""
    spaces = [True] * len(tokens)
    open_quote = False
    for index, token in enumerate(tokens):
        if index and token in _NO_SPACE_BEFORE:
            spaces[index - 1] = False
        if token in _NO_SPACE_AFTER:
            spaces[index] = False
        if token in _QUOTES:
            if open_quote and index:
                spaces[index - 1] = False
            elif not open_quote:
                spaces[index] = False
            open_quote = not open_quote
    if spaces:
        spaces[-1] = False
    return spaces


def token_offsets(sentence: HasTokens) -> tuple[str, list[tuple[int, int]]]:
    """The sentence as running text (:func:`detokenize`) and each token's character span in it."""
    spaces = detokenize(sentence.tokens)
    offsets: list[tuple[int, int]] = []
    parts: list[str] = []
    offset = 0
    for token, space in zip(sentence.tokens, spaces, strict=True):
        offsets.append((offset, offset + len(token)))
        parts.append(token + (" " if space else ""))
        offset += len(token) + (1 if space else 0)
    return "".join(parts), offsets


def sentence_text(sentence: Sentence) -> tuple[str, list[tuple[int, int, str]]]:
    """The sentence as running text and its entities as character spans ``(start, end, label)``."""
    text, offsets = token_offsets(sentence)
    return text, [(offsets[s][0], offsets[e - 1][1], label) for s, e, label in sentence.spans]


def char_to_token_spans(offsets: Sequence[tuple[int, int]], chars: Iterable[tuple[int, int, str]]) -> list[Span]:
    """Character spans as spans of the corpus's own tokens: each covers every token it touches."""
    spans: list[Span] = []
    for start, end, label in chars:
        first = next((i for i, (_, e) in enumerate(offsets) if e > start), None)
        last = next((i for i in range(len(offsets) - 1, -1, -1) if offsets[i][0] < end), None)
        if first is not None and last is not None and first <= last:
            spans.append((first, last + 1, label))
    return spans
