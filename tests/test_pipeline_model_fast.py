"""The NER model's fast tok2vec pass (``pantau.ner.model._fast_tok2vec``) gives thinc's vectors to the bit, and
the entities of ``tag_pieces`` are those of ``nlp.pipe``."""

from __future__ import annotations

import numpy
import pytest
from thinc.api import Linear, chain

from pantau.extract.lexicon import tokenizer
from pantau.ner.model import (
    LABELS,
    PIPE_BATCH,
    _build_fast_tok2vec,
    _fast_tok2vec,
    load_model,
    model_available,
    tag_pieces,
)

pytestmark = pytest.mark.skipif(not model_available(), reason="no NER model in the package")

SENTENCES = [
    "Kapolres Tabanan AKBP Budi Santoso mengatakan tersangka ditangkap di Jalan Gajah Mada.",
    "Menurut Siti Rahmawati, warga Desa Sukamaju, kejadian itu berlangsung pada Senin malam.",
    "BNN Provinsi Bali bersama Bea Cukai Ngurah Rai menggagalkan penyelundupan sabu.",
    "Ia",
    "Rapat di Gedung DPR dihadiri Menteri Hukum dan perwakilan Kejaksaan Agung RI (Kejagung).",
]


def _docs() -> list:
    nlp = tokenizer()  # the rule components' tokenizer and vocabulary, as entities.py passes its windows
    return [nlp.make_doc(text) for text in SENTENCES]


def test_fast_tok2vec_matches_thinc_to_the_bit() -> None:
    encode = _fast_tok2vec()
    assert encode is not None, "the shipped model's tok2vec is not built as the fast pass expects"
    model = load_model().get_pipe("tok2vec").model
    docs = _docs()
    for batch in (docs, docs[:1], docs[2:4], docs * 3):
        expected, got = model.predict(batch), encode(batch)
        assert len(got) == len(expected)
        for want, have in zip(expected, got, strict=True):
            assert have.dtype == want.dtype and have.shape == want.shape
            assert numpy.array_equal(have, want)


def test_tag_pieces_matches_nlp_pipe() -> None:
    nlp = load_model()
    pieces = [*_docs(), "Wakil Bupati Sleman Danang Maharsa meninjau lokasi banjir di Kecamatan Depok."]
    pieces = pieces * (PIPE_BATCH // len(pieces) + 2)  # more than one batch
    for label in LABELS:
        tokenizer().vocab.strings.add(label)
    expected = [[(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS]
                for doc in nlp.pipe(pieces, batch_size=PIPE_BATCH)]
    assert tag_pieces(pieces) == expected
    assert any(expected), "the sentences name people, places and organisations"


def test_a_model_built_otherwise_gets_no_fast_pass() -> None:
    assert _build_fast_tok2vec(chain(Linear(4, 4), Linear(4, 4))) is None
