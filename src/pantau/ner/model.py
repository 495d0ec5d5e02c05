"""The shipped NER model: Indonesian PER / ORG / LOC character spans of any text.

The model is a spaCy pipeline directory inside the package (``pantau/ner/model``), loaded once per process with
``spacy.load`` (no network, no download). It tokenises with ``spacy.blank("xx")``'s tokenizer, the one pantau's
rule components use, so its spans fall on the same token boundaries as theirs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pantau.ner import features  # noqa: F401  (registers pantau.LexiconHashEmbed.v1 for spacy.load)

MODEL_DIR = Path(__file__).with_name("model")
LABELS = ("PER", "ORG", "LOC")
CHUNK_CHARS = 20_000  # a longer line is tagged in pieces cut at spaces
_LINE = re.compile(r"[^\n]*\S[^\n]*")  # a line with something on it

EntitySpan = tuple[int, int, str]


class ModelMissingError(RuntimeError):
    """The package holds no trained model (run ``pantau train-ner``)."""


def model_available() -> bool:
    return (MODEL_DIR / "config.cfg").is_file() and (MODEL_DIR / "ner").is_dir()


def cpu_ops() -> Any:
    """thinc's CPU ops with numpy's BLAS (OpenBLAS) for matrix products instead of the BLIS bundled with thinc.

    On this project's machines BLIS's single-core sgemm runs at about a third of OpenBLAS's, and the CNN
    tok2vec is matrix products: the same weights give the same entities about twice as fast (docs/ner.md).
    Layers keep the ops they were built with, so loading (and training) under ``use_ops`` is enough.
    """
    from thinc.api import use_ops

    return use_ops("numpy", use_blis=False)


def load_pipeline(path: str | Path) -> Language:
    """A pantau NER pipeline at ``path`` (its embedding registered by this module's import), on the CPU ops it
    runs on (``cpu_ops``): the shipped model, a student, a model under evaluation."""
    import spacy

    with cpu_ops():
        return spacy.load(path)


@cache
def load_model() -> Language:
    """The shipped pipeline, loaded on first use and kept for the life of the process (~0.2 s), each distinct
    token embedded once (``pantau.ner.embed_cache``)."""
    from pantau.ner import embed_cache

    if not model_available():
        raise ModelMissingError(f"no NER model in {MODEL_DIR}; train one with `pantau train-ner`")
    nlp = load_pipeline(MODEL_DIR)
    embed_cache.install(nlp)
    return nlp


def model_entities(text: str) -> list[EntitySpan]:
    """``[start, end)`` character spans of the people (PER), organisations (ORG) and places (LOC) in ``text``.

    Sorted by start; spans never overlap, never start or end with whitespace, and ``text[start:end]`` is the
    entity as written. Paragraphs (lines) are tagged as one batch: the model was trained on sentences, and a
    batch of short documents runs about a quarter faster than one long one.
    """
    if not text.strip():
        return []
    nlp = load_model()
    pieces = [(offset + line.start(), chunk) for line in _LINE.finditer(text)
              for offset, chunk in _chunks(line.group())]
    found: list[EntitySpan] = []
    for (offset, _), doc in zip(pieces, nlp.pipe([chunk for _, chunk in pieces], batch_size=64), strict=True):
        found += [(offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS]
    return found


Piece = str | Doc  # a text, or a Doc already tokenised by spacy.blank("xx"), on any vocabulary


def tag_pieces(pieces: Sequence[Piece]) -> list[list[EntitySpan]]:
    """Each of ``pieces`` (sentences, usually) tagged in one batch: per piece, its spans as in ``model_entities``.

    A piece is a text, or a ``Doc`` made by ``spacy.blank("xx")``'s tokenizer (the model's own, and the one
    pantau's rule components use), on the model's vocabulary or on another one made the same way: the rule
    components pass their own tokens, which are then not tokenised, nor looked up, a second time. The model
    reads only lexeme attributes that both vocabularies compute alike (NORM, PREFIX, SUFFIX, SHAPE, LOWER);
    its labels are added to a foreign vocabulary's strings so that the entities can be set.
    """
    if not pieces:
        return []
    nlp = load_model()
    for vocab in {id(p.vocab): p.vocab for p in pieces if not isinstance(p, str) and p.vocab is not nlp.vocab}.values():
        for label in LABELS:
            vocab.strings.add(label)
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS]
            for doc in nlp.pipe(pieces, batch_size=64)]


def _chunks(text: str) -> list[tuple[int, str]]:
    """``text`` in pieces of at most about ``CHUNK_CHARS``, cut after a space where there is one."""
    if len(text) <= CHUNK_CHARS:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind(" ", start + CHUNK_CHARS // 2, end)
            end = cut + 1 if cut != -1 else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces
