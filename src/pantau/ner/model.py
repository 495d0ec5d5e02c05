"""The shipped NER model: Indonesian PER / ORG / LOC character spans of any text.

The model is a spaCy pipeline directory inside the package (``pantau/ner/model``), loaded once per process with
``spacy.load`` (no network, no download). It tokenises with ``spacy.blank("xx")``'s tokenizer, the one pantau's
rule components use, so its spans fall on the same token boundaries as theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
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


@cache
def load_model() -> Language:
    """The shipped pipeline, loaded on first use and kept for the life of the process (~0.2 s)."""
    import spacy

    if not model_available():
        raise ModelMissingError(f"no NER model in {MODEL_DIR}; train one with `pantau train-ner`")
    with cpu_ops():
        return spacy.load(MODEL_DIR)


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
    encode = _fast_tok2vec()
    if encode is None:
        docs: Iterable[Doc] = nlp.pipe(pieces, batch_size=PIPE_BATCH)
    else:
        docs = [nlp.make_doc(p) if isinstance(p, str) else p for p in pieces]
        _tag(nlp, docs, encode)
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS] for doc in docs]


PIPE_BATCH = 64  # docs per batch, as nlp.pipe(batch_size=64) runs each component


def _tag(nlp: Language, docs: list[Doc], encode: Callable[[list[Doc]], list[Any]]) -> None:
    """What ``nlp.pipe(docs, batch_size=PIPE_BATCH)`` does, with the token vectors from ``encode``: the same
    batches through the tok2vec component (``TrainablePipe.pipe``), then the NER component's own ``pipe``."""
    tok2vec, ner = nlp.get_pipe("tok2vec"), nlp.get_pipe("ner")
    for start in range(0, len(docs), PIPE_BATCH):
        batch = docs[start:start + PIPE_BATCH]
        # an empty doc takes spaCy's own path (Tok2Vec.predict allocates its vectors)
        tok2vec.set_annotations(batch, encode(batch) if all(len(d) for d in batch) else tok2vec.predict(batch))
    for _ in ner.pipe(docs, batch_size=PIPE_BATCH):
        pass


@cache
def _fast_tok2vec() -> Callable[[list[Doc]], list[Any]] | None:
    """The shipped tok2vec's forward pass as plain calls to the ops its layers make, in the same order, or None
    when the model is not built as expected (then ``nlp.pipe`` runs it).

    thinc dispatches every layer of every batch through ``Model.__call__``, ``chain``, ``with_array``,
    ``residual`` and ``get_param``: for the few short sentences of one article that is about a fifth of the
    tok2vec's time, the rest being the matrix products. The arithmetic is thinc's own (its ops, on the same
    arrays, in the same order), so the vectors are the same to the bit (``tests/test_pipeline_model_fast.py``).
    """
    try:
        return _build_fast_tok2vec(load_model().get_pipe("tok2vec").model)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return None


def _build_fast_tok2vec(model: Any) -> Callable[[list[Doc]], list[Any]] | None:
    embed, encoder = model.layers
    names = [layer.name for layer in embed.layers]
    if len(names) != 5 or names[0] != "extract_lexicon_features" or names[1] != "list2ragged" \
            or names[4] != "ragged2list" or not names[2].startswith("with_array(") \
            or names[3] != "with_array(maxout>>layernorm>>dropout)":
        return None
    extract = embed.layers[0]
    columns = []
    for layer in embed.layers[2].layers[0].layers:  # concatenate(ints-getitem>>hashembed, ...)
        getitem, hashembed = layer.layers
        if getitem.name != "ints-getitem" or hashembed.name != "hashembed":
            return None
        columns.append((getitem.attrs["index"], hashembed.ops, hashembed.get_param("E"), hashembed.attrs["seed"]))
    mix = _maxout_norm(embed.layers[3].layers[0])
    if mix is None or not encoder.name.startswith("with_array(") or len(encoder.layers) != 1:
        return None
    pad = encoder.attrs["pad"]
    blocks = []
    for residual in encoder.layers[0].layers:
        window, rest = residual.layers[0].layers if residual.name.startswith("residual(") else (None, None)
        if window is None or window.name != "expand_window" or rest is None:
            return None
        block = _maxout_norm(rest)
        if block is None:
            return None
        blocks.append((window.attrs["window_size"], window.ops, block))
    flat_ops, list_ops = embed.layers[1].ops, encoder.layers[0].ops

    def encode(docs: list[Doc]) -> list[Any]:
        extracted = extract.predict(docs)
        lengths = flat_ops.asarray1i([len(f) for f in extracted])
        rows = flat_ops.flatten(extracted)
        embedded = []
        for index, ops, table, seed in columns:
            ids = ops.as_contig(rows[index], dtype="uint64")
            embedded.append(ops.gather_add(table, ops.hash(ids, seed) % table.shape[0]))
        vectors = mix(embed.layers[2].ops.xp.hstack(embedded))
        flat = list_ops.flatten(embed.layers[4].ops.unflatten(vectors, lengths), pad=pad)
        for size, ops, block in blocks:
            flat = flat + block(ops.seq2col(flat, size))
        return list_ops.unflatten(flat, lengths, pad=pad)

    return encode


def _maxout_norm(layer: Any) -> Callable[[Any], Any] | None:
    """``maxout>>layernorm>>dropout`` at inference (dropout does nothing there), as thinc computes it."""
    if layer.name != "maxout>>layernorm>>dropout":
        return None
    (maxout, norm), dropout = layer.layers[0].layers, layer.layers[1]
    if maxout.name != "maxout" or norm.name != "layernorm" or dropout.name != "dropout":
        return None
    ops = maxout.ops
    width, pieces, inputs = maxout.get_dim("nO"), maxout.get_dim("nP"), maxout.get_dim("nI")
    weights = ops.reshape2f(maxout.get_param("W"), width * pieces, inputs)
    bias = ops.reshape1f(maxout.get_param("b"), width * pieces)
    scale, shift = norm.get_param("G"), norm.get_param("b")

    def forward(X: Any) -> Any:
        Y = ops.gemm(X, weights, trans2=True)
        Y += bias
        best, _ = ops.maxout(ops.reshape3f(Y, Y.shape[0], width, pieces))
        mu = best.mean(axis=1, keepdims=True)
        var = best.var(axis=1, keepdims=True) + 1e-08
        out = (best - mu) * var ** (-1.0 / 2.0) * scale
        out += shift
        return out

    return forward


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
