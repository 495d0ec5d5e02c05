"""The NER model's embedding cache: the plain layer's vectors and entities, each distinct token embedded once."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from thinc.api import set_dropout_rate

from pantau.ner import embed_cache
from pantau.ner.model import MODEL_DIR, load_model, load_pipeline, model_available

pytestmark = pytest.mark.skipif(not model_available(), reason="no trained model in the package")

SENTENCES = [
    "Kapolres Banyuasin AKBP Rudi Hartono mengatakan tersangka berinisial AS ditangkap di Desa Sukamaju.",
    "Kepala BNNP Kalimantan Tengah Brigjen Pol Sumirat Wibowo memusnahkan 1.185 gram ganja di Palangka Raya.",
    "Menurut Rudi Hartono, tersangka AS menyimpan sabu di rumahnya di Kecamatan Sukamaju.",
    "",
    "Warga binaan Lapas Kelas IIA Banyuasin kabur pada Minggu (29/11/2020) malam.",
    "Kasat Resnarkoba Polres Banyuasin AKP Dewi Lestari membenarkan penangkapan itu.",
]


@pytest.fixture(scope="module")
def plain() -> spacy.language.Language:
    return load_pipeline(MODEL_DIR)


def _embed(nlp: spacy.language.Language):
    return nlp.get_pipe("tok2vec").model.get_ref("embed")


def _entities(nlp: spacy.language.Language, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=3)]


def test_the_shipped_model_is_loaded_with_the_cache() -> None:
    assert _embed(load_model()).name == "cached_embedding"


def test_vectors_and_entities_are_the_plain_layers(plain: spacy.language.Language) -> None:
    cached = load_pipeline(MODEL_DIR)
    assert embed_cache.install(cached)
    table = _embed(cached).attrs["table"]
    for start in (0, 2, 0):  # the second batch meets tokens of the first; the third only known ones
        batch = SENTENCES[start:start + 4]
        want = _embed(plain).predict([plain.make_doc(t) for t in batch])
        got = _embed(cached).predict([cached.make_doc(t) for t in batch])
        assert [g.shape for g in got] == [w.shape for w in want]
        for g, w in zip(got, want, strict=True):
            # the same rows; the matrix product of another batch may round the last bits otherwise
            np.testing.assert_allclose(g, w, rtol=0, atol=1e-5)
    distinct = {tuple(row) for doc in _embed(plain).layers[0].predict([plain.make_doc(t) for t in SENTENCES])
                for row in doc.tolist()}
    assert len(table) == len(distinct)  # each distinct row embedded and kept once
    assert _entities(cached, SENTENCES) == _entities(plain, SENTENCES)
    assert any(_entities(plain, SENTENCES))  # the comparison is not of empty lists


def test_a_full_table_keeps_its_rows_and_embeds_the_rest(plain: spacy.language.Language) -> None:
    cached = load_pipeline(MODEL_DIR)
    assert embed_cache.install(cached, capacity=5)
    table = _embed(cached).attrs["table"]
    for _ in range(2):
        got = _embed(cached).predict([cached.make_doc(t) for t in SENTENCES])
        want = _embed(plain).predict([plain.make_doc(t) for t in SENTENCES])
        for g, w in zip(got, want, strict=True):
            np.testing.assert_allclose(g, w, rtol=0, atol=1e-5)
    assert len(table) == 5
    assert len(table.vectors) == 5


def test_an_empty_batch_and_empty_documents(plain: spacy.language.Language) -> None:
    cached = load_pipeline(MODEL_DIR)
    embed_cache.install(cached)
    got = _embed(cached).predict([cached.make_doc(""), cached.make_doc("")])
    assert [g.shape for g in got] == [(0, 128), (0, 128)]
    assert _embed(cached).predict([]) == []


def test_training_runs_the_plain_layer(plain: spacy.language.Language) -> None:
    cached = load_pipeline(MODEL_DIR)
    embed_cache.install(cached)
    wrapper = _embed(cached)
    set_dropout_rate(wrapper, 0.0)  # the loaded model keeps its training dropout: none, to compare
    docs = [cached.make_doc(SENTENCES[0])]
    outputs, backprop = wrapper(docs, is_train=True)
    np.testing.assert_allclose(outputs[0], wrapper.layers[0].predict(docs)[0], rtol=0, atol=1e-6)
    assert len(wrapper.attrs["table"]) == 0  # nothing cached from a training step
    backprop([np.zeros_like(outputs[0])])  # the plain layer's gradient: no error


def test_install_only_once_and_only_on_the_embedding_it_knows() -> None:
    cached = load_pipeline(MODEL_DIR)
    assert embed_cache.install(cached)
    assert not embed_cache.install(cached)
    assert not embed_cache.install(spacy.blank("xx"))


def test_the_table_grows_by_doubling_within_its_capacity() -> None:
    table = embed_cache.EmbeddingTable(width=2, capacity=10_000)
    keys = [bytes([i % 256, i // 256]) for i in range(5_000)]
    table.keep(keys[:3], np.ones((3, 2), dtype=np.float32))
    assert len(table.vectors) == 4_096
    table.keep(keys[3:], np.arange(4_997 * 2, dtype=np.float32).reshape(4_997, 2))
    assert len(table) == 5_000 and len(table.vectors) == 8_192
    assert table.vectors[table.index[keys[4]]].tolist() == [2.0, 3.0]
    assert table.vectors[table.index[keys[0]]].tolist() == [1.0, 1.0]


def test_a_key_kept_twice_keeps_its_first_row() -> None:
    table = embed_cache.EmbeddingTable(width=2, capacity=10)
    table.keep([b"a", b"b"], np.array([[1, 1], [2, 2]], dtype=np.float32))
    table.keep([b"b", b"c"], np.array([[9, 9], [3, 3]], dtype=np.float32))  # "b" came from another thread too
    assert len(table) == 3
    assert [table.vectors[table.index[k]].tolist() for k in (b"a", b"b", b"c")] == [[1, 1], [2, 2], [3, 3]]


def test_threads_share_one_table(plain: spacy.language.Language) -> None:
    from concurrent.futures import ThreadPoolExecutor

    cached = load_pipeline(MODEL_DIR)
    embed_cache.install(cached)
    wrapper = _embed(cached)
    texts = [f"{sentence} Nomor {n} di Banyuasin {n * 7}." for n in range(40) for sentence in SENTENCES[:3]]
    docs = [cached.make_doc(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda doc: wrapper.predict([doc])[0], docs))
    want = _embed(plain).predict([plain.make_doc(t) for t in texts])
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=0, atol=1e-5)
    table = wrapper.attrs["table"]
    assert sorted(table.index.values()) == list(range(len(table)))  # no row written twice, none skipped
