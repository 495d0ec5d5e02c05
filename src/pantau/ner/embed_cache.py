"""Each distinct token's embedding computed once a process, at inference.

The embedding of ``pantau.LexiconHashEmbed`` (``pantau.ner.features``) depends on a token's feature row alone
(NORM, PREFIX, SUFFIX, SHAPE and the lexicon classes: five numbers), not on its neighbours: its hash tables,
concatenation, Maxout and layer norm give the same vector wherever the row occurs. News repeats its words, so
an article's tokens are nearly all rows met before, and a look-up replaces the embedding's matrix product (a
quarter of the model's time). The context (the CNN) and the NER decoder still run on every token.

The cache wraps the loaded model's embedding layer (``thinc``'s ``Model.replace_node``): the weights and their
file are unchanged, training builds the plain layer, and a training step through the wrapper (``is_train``)
runs the plain layer too. Like spaCy's tokenizer cache, it keeps the first rows met up to its capacity and
never evicts: by then those are a run's common words, and a row not kept is computed as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Model
from thinc.types import Floats2d

# rows kept (128 float32 each with the shipped model: 512 bytes, about 33 MB at most a process with their keys and
# index, measured with tracemalloc); news-gold and news-more together hold about 31,000 distinct tokens
CAPACITY = 50_000
_FIRST_ROWS = 4_096  # the table grows by doubling up to CAPACITY


class EmbeddingTable:
    """The vectors of the feature rows met so far, keyed by the row's bytes."""

    def __init__(self, width: int, capacity: int = CAPACITY) -> None:
        self.width = width
        self.capacity = capacity
        self.index: dict[bytes, int] = {}
        self.vectors = np.empty((0, width), dtype=np.float32)
        # writers take turns; a reader needs no lock: a key enters the index only after its row is written, and a
        # grown table holds every row of the one it replaces
        self._writing = threading.Lock()

    def __len__(self) -> int:
        return len(self.index)

    def keep(self, keys: list[bytes], vectors: np.ndarray) -> None:
        """Store ``vectors`` under ``keys`` (new keys) while there is room."""
        with self._writing:
            fresh = [(key, row) for row, key in enumerate(keys) if key not in self.index]  # another thread's since
            room = min(len(fresh), self.capacity - len(self.index))
            if room <= 0:
                return
            start = len(self.index)
            if start + room > len(self.vectors):
                size = max(_FIRST_ROWS, len(self.vectors))
                while size < start + room:
                    size *= 2
                grown = np.empty((min(size, self.capacity), self.width), dtype=np.float32)
                grown[:start] = self.vectors[:start]
                self.vectors = grown
            kept = fresh[:room]
            self.vectors[start:start + room] = vectors[[row for _, row in kept]]
            self.index.update((key, start + at) for at, (key, _) in enumerate(kept))


def cached_embedding(embed: Model[list[Doc], list[Floats2d]], capacity: int = CAPACITY
                     ) -> Model[list[Doc], list[Floats2d]]:
    """``embed`` (a ``LexiconHashEmbed``: its features layer, then the layers that embed a ragged batch of rows)
    with each distinct feature row embedded once; the same vectors as ``embed`` at inference."""
    features, embed_rows = embed.layers[0], embed.layers[1:]
    width = embed.get_dim("nO")
    table = EmbeddingTable(width, capacity)

    def embed_new(rows: np.ndarray) -> np.ndarray:
        data: Any = [rows]
        for layer in embed_rows:
            data = layer.predict(data)
        return np.asarray(data[0], dtype=np.float32)

    def forward(model: Model[list[Doc], list[Floats2d]], docs: list[Doc], is_train: bool
                ) -> tuple[list[Floats2d], Callable[[Any], Any]]:
        if is_train:
            return embed(docs, is_train)
        per_doc = features.predict(docs)
        lengths = [len(rows) for rows in per_doc]
        total = sum(lengths)
        if total == 0:
            return [np.zeros((0, width), dtype=np.float32) for _ in docs], _no_backprop
        rows = np.ascontiguousarray(np.concatenate(per_doc), dtype=np.uint64)
        keys: list[bytes] = rows.view(np.dtype((np.void, rows.shape[1] * 8))).ravel().tolist()
        found = np.fromiter(map(table.index.get, keys, [-1] * total), dtype=np.intp, count=total)
        missing = np.flatnonzero(found < 0)
        if missing.size == 0:
            out = table.vectors[found]
        else:
            new: dict[bytes, int] = {}  # a row met twice in this batch is embedded once: its slot in ``first``
            first: list[int] = []
            slots: list[int] = []
            for position in missing.tolist():
                slot = new.get(keys[position])
                if slot is None:
                    slot = new[keys[position]] = len(first)
                    first.append(position)
                slots.append(slot)
            vectors = embed_new(rows[first])
            out = np.empty((total, width), dtype=np.float32)
            hits = np.flatnonzero(found >= 0)
            out[hits] = table.vectors[found[hits]]
            out[missing] = vectors[slots]
            table.keep(list(new), vectors)
        return np.split(out, np.cumsum(lengths[:-1]).tolist()), _no_backprop

    model: Model[list[Doc], list[Floats2d]] = Model("cached_embedding", forward, layers=[embed], dims={"nO": width},
                                                    ops=embed.ops)
    model.attrs["table"] = table
    return model


def _no_backprop(d_outputs: Any) -> Any:
    raise NotImplementedError("the embedding cache is for inference; training runs the plain layer")


def plain_embedding(layer: Model[Any, Any]) -> Model[Any, Any]:
    """The embedding ``layer`` wraps when it is the cache, else ``layer``: what training code copies and walks."""
    return layer.layers[0] if layer.name == "cached_embedding" else layer


def install(nlp: Language, capacity: int = CAPACITY) -> bool:
    """Put the cache around the embedding of ``nlp``'s tok2vec; False (nothing changed) when it has no
    ``LexiconHashEmbed`` there or already has the cache."""
    if "tok2vec" not in nlp.pipe_names:
        return False
    tok2vec = nlp.get_pipe("tok2vec").model
    if not tok2vec.has_ref("embed"):
        return False
    embed = tok2vec.get_ref("embed")
    if embed.name == "cached_embedding" or not embed.layers or embed.layers[0].name != "extract_lexicon_features":
        return False
    return tok2vec.replace_node(embed, cached_embedding(embed, capacity))
