"""The NER corpora readers, deduplication, scoring, the training path (a tiny model) and the shipped model.

No test reads ../shared: the corpus excerpts below are inline, in each corpus's own format.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pantau.ner import model as ner_model
from pantau.ner.corpora import (
    NERP_LABELS,
    NERP_NATIVE_LABELS,
    NERUI_LABELS,
    Sentence,
    char_to_token_spans,
    dedup_key,
    deduplicate,
    detokenize,
    iob_spans,
    overlap,
    parse_conll,
    read_idner,
    read_nerp,
    read_nerui,
    sentence_text,
    token_offsets,
)
from pantau.ner.evaluate import evaluate, rule_predictor, score_spans
from pantau.ner.model import LABELS, load_model, model_available, model_entities

# --- excerpts, each in its corpus's format -------------------------------------------------------------------
IDNER = (  # token POS NER, CRLF line ends, a blank line is "\r"
    "Berikut PROPN O\r\nadalah AUX O\r\ntujuh NUM O\r\nkota NOUN O\r\ndi ADP O\r\nIndonesia PROPN B-LOC\r\n"
    "yang PRON O\r\ndianggap VERB O\r\nnyaman ADJ O\r\n: PUNCT O\r\n\r\n"
    "Gubernur NOUN O\r\nJawa PROPN B-LOC\r\nTengah PROPN I-LOC\r\nGanjar PROPN B-PER\r\nPranowo PROPN I-PER\r\n"
    "mendatangi VERB O\r\nkantor NOUN O\r\nKPU PROPN B-ORG\r\n. PUNCT O\r\n\r\n"
)
NERUI = (
    '"\tO\nIni\tO\nlebih\tO\nmudah\tO\n,\tO\n"\tO\nkata\tO\nFederer\tB-PERSON\n,\tO\nseperti\tO\n'
    "dilansir\tO\nReuters\tB-ORGANIZATION\n.\tO\n\n"
    "Warga\tO\nDesa\tO\nSukamaju\tB-LOCATION\nmelapor\tO\nke\tO\nPolsek\tB-ORGANIZATION\nCibinong\tI-ORGANIZATION\n"
    ".\tO\n"
)
NERP = (
    "kepala\tO\ndinas\tO\nkota\tO\nmanado\tB-PLC\namos\tB-PPL\nkenda\tI-PPL\nmenonton\tO\njakarta\tB-EVT\n"
    "fair\tI-EVT\ndi\tO\nbank\tB-IND\nmandiri\tI-IND\n.\tO\n\n"
)


def _write_corpora(root: Path) -> None:
    """A miniature corpora folder laid out like ../shared/corpora/ner."""
    idner = root / "idner-news-2k"
    idner.mkdir(parents=True)
    names = ["Rury Prastowo", "Ganjar Pranowo", "Budi Santoso", "Siti Aminah", "Joko Widodo", "Ahmad Hardi"]
    places = ["Banyuasin", "Semarang", "Tabanan", "Kupang", "Palangka Raya", "Mataram"]
    lines = []
    for i, (name, place) in enumerate(zip(names * 2, places[::-1] * 2, strict=True)):
        first, *rest = name.split()
        lines += ["Kapolres NOUN O", f"{place.split()[0]} PROPN B-LOC"]
        lines += [f"{w} PROPN I-LOC" for w in place.split()[1:]]
        lines += [f"{first} PROPN B-PER", *[f"{w} PROPN I-PER" for w in rest]]
        lines += ["mengatakan VERB O", "kepada ADP O", "wartawan NOUN O", f"nomor{i} NUM O", ". PUNCT O", ""]
    text = "\r\n".join(lines) + "\r\n"
    sentences = text.split("\r\n\r\n")
    (idner / "train.txt").write_bytes(("\r\n\r\n".join(sentences[:8]) + "\r\n\r\n").encode())
    (idner / "dev.txt").write_bytes(("\r\n\r\n".join(sentences[8:10]) + "\r\n\r\n").encode())
    # the test split repeats a training sentence: it must be dropped from training
    (idner / "test.txt").write_bytes(("\r\n\r\n".join([sentences[0], *sentences[10:12]]) + "\r\n\r\n").encode())


# --- readers -----------------------------------------------------------------------------------------------
def test_idner_reader_strips_crlf_and_keeps_labels(tmp_path: Path) -> None:
    (tmp_path / "idner-news-2k").mkdir()
    (tmp_path / "idner-news-2k" / "train.txt").write_bytes(IDNER.encode())
    sentences = read_idner(tmp_path, "train")
    assert len(sentences) == 2
    assert sentences[0].tokens[5] == "Indonesia" and not any("\r" in t for s in sentences for t in s.tokens)
    assert sentences[1].spans == [(1, 3, "LOC"), (3, 5, "PER"), (7, 8, "ORG")]
    assert sentences[0].source == "idner/train"


def test_nerui_reader_maps_long_labels(tmp_path: Path) -> None:
    (tmp_path / "indolem-nerui").mkdir()
    (tmp_path / "indolem-nerui" / "test.03.tsv").write_text(NERUI, encoding="utf-8")
    first, second = read_nerui(tmp_path, "test", 3)
    assert [(first.tokens[s], label) for s, _, label in first.spans] == [("Federer", "PER"), ("Reuters", "ORG")]
    assert second.spans == [(2, 3, "LOC"), (5, 7, "ORG")]


NERGRIT = (
    "Ratna\tB-PERSON\nSari\tI-PERSON\nlahir\tO\ndi\tO\nBandung\tB-PLACE\ndan\tO\nbekerja\tO\ndi\tO\n"
    "Bank\tB-ORGANISATION\nSukamaju\tI-ORGANISATION\n.\tO\n\n"
)


def test_nergrit_reader_maps_its_labels(tmp_path: Path) -> None:
    from pantau.ner.corpora import read_nergrit

    (tmp_path / "indonlu-nergrit").mkdir()
    (tmp_path / "indonlu-nergrit" / "train_preprocess.txt").write_text(NERGRIT, encoding="utf-8")
    (sentence,) = read_nergrit(tmp_path, "train")
    assert sentence.spans == [(0, 2, "PER"), (4, 5, "LOC"), (8, 10, "ORG")]
    assert sentence.source == "nergrit/train"


def test_the_shipped_data_add_nergrit_train_and_keep_both_test_splits_out(tmp_path: Path) -> None:
    from pantau.ner.train import shipped_split

    _write_corpora(tmp_path)
    grit = tmp_path / "indonlu-nergrit"
    grit.mkdir()
    other = NERGRIT.replace("Ratna", "Dewi").replace("Bandung", "Bogor")
    (grit / "train_preprocess.txt").write_text(NERGRIT, encoding="utf-8")
    (grit / "valid_preprocess.txt").write_text(other, encoding="utf-8")
    (grit / "test_preprocess.txt").write_text(NERGRIT, encoding="utf-8")  # a test sentence repeated in train
    data = shipped_split(tmp_path)
    assert not any(s.source.startswith("nergrit/train") for s in data.train)  # dropped: it is a test sentence
    assert any(s.source == "nergrit/valid" for s in data.dev)
    assert {s.source for s in data.test} == {"idner/test", "nergrit/test"}
    keys = {s.key for s in data.test}
    assert not keys & {s.key for s in data.train} and not keys & {s.key for s in data.dev}


def test_nerp_reader_maps_onto_per_org_loc_and_drops_events(tmp_path: Path) -> None:
    (tmp_path / "indonlu-nerp").mkdir()
    (tmp_path / "indonlu-nerp" / "valid_preprocess.txt").write_text(NERP, encoding="utf-8")
    (sentence,) = read_nerp(tmp_path, "valid")
    assert sentence.spans == [(3, 4, "LOC"), (4, 6, "PER"), (10, 12, "ORG")]  # "jakarta fair" (EVT) is gone
    (native,) = read_nerp(tmp_path, "valid", native=True)
    assert [label for *_, label in native.spans] == ["PLC", "PPL", "EVT", "IND"]
    assert set(NERP_LABELS.values()) == set(LABELS) and "EVT" in NERP_NATIVE_LABELS


def test_parse_conll_rejects_a_line_without_a_tag() -> None:
    with pytest.raises(ValueError, match="expected"):
        parse_conll(["lonely\n"], NERUI_LABELS, "bad")


@pytest.mark.parametrize(("tags", "spans"), [
    (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
    (["I-PER", "I-PER", "O"], [(0, 2, "PER")]),  # ill-formed start: conlleval/seqeval open an entity
    (["B-PER", "I-LOC", "I-LOC"], [(0, 1, "PER"), (1, 3, "LOC")]),  # label change opens a new entity
    (["B-ORG", "B-ORG"], [(0, 1, "ORG"), (1, 2, "ORG")]),
    (["O", "O"], []),
])
def test_iob_spans_chunk_like_conlleval(tags: list[str], spans: list[tuple[int, int, str]]) -> None:
    assert iob_spans(tags) == spans


# --- deduplication -----------------------------------------------------------------------------------------
def test_dedup_key_ignores_case_and_punctuation() -> None:
    cased = ("Kata", "Federer", ",", "seperti", "dilansir", "Reuters", ".")
    lowered = ("kata", "federer", "seperti", "dilansir", "reuters")
    assert dedup_key(cased) == dedup_key(lowered) == "".join(lowered)
    assert dedup_key(("Rp", "1,5", "juta")) == "rp15juta"


def test_deduplicate_drops_held_out_and_repeated_sentences_across_sets(tmp_path: Path) -> None:
    (tmp_path / "idner-news-2k").mkdir()
    (tmp_path / "idner-news-2k" / "test.txt").write_bytes(IDNER.encode())
    idner_test = read_idner(tmp_path, "test")
    nerp_copy = Sentence(tuple(t.lower() for t in idner_test[1].tokens), ("O",) * len(idner_test[1].tokens), "nerp")
    other = Sentence(("Polisi", "menangkap", "dua", "orang", "."), ("O",) * 5, "nerp")
    kept, dropped = deduplicate([nerp_copy, other, other], idner_test)
    assert kept == [other] and dropped == 2
    assert overlap([nerp_copy], idner_test) == 1


# --- text layout and scoring -------------------------------------------------------------------------------
def test_detokenize_and_offsets_round_trip() -> None:
    sentence = parse_conll(NERUI.splitlines(keepends=True), NERUI_LABELS)[0]
    assert detokenize(("(", "KPU", ")")) == [False, False, False]
    text, offsets = token_offsets(sentence)
    assert text == '"Ini lebih mudah," kata Federer, seperti dilansir Reuters.'
    assert all(text[s:e] == token for (s, e), token in zip(offsets, sentence.tokens, strict=True))
    _, chars = sentence_text(sentence)
    assert [text[s:e] for s, e, _ in chars] == ["Federer", "Reuters"]
    assert char_to_token_spans(offsets, [(24, 31, "PER"), (25, 29, "PER"), (0, 2, "ORG")]) == [
        (7, 8, "PER"), (7, 8, "PER"), (0, 2, "ORG")]


def test_score_spans_counts_only_exact_span_and_label() -> None:
    gold = [[(0, 2, "PER"), (5, 6, "LOC")], [(1, 3, "ORG")]]
    predicted = [[(0, 2, "PER"), (5, 6, "ORG")], [(1, 2, "ORG"), (4, 5, "LOC")]]
    scores = score_spans(gold, predicted)
    assert (scores.total.tp, scores.total.predicted, scores.total.gold) == (1, 4, 3)
    assert scores.total.precision == pytest.approx(0.25) and scores.total.recall == pytest.approx(1 / 3)
    assert scores.by_label["PER"].f1 == 1.0 and scores.by_label["LOC"].f1 == 0.0


def test_evaluate_maps_predicted_characters_onto_corpus_tokens() -> None:
    sentences = parse_conll(NERUI.splitlines(keepends=True), NERUI_LABELS)

    def predict(texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [[(t.index("Federer"), t.index("Federer") + 7, "PER")] if "Federer" in t else
                [(t.index("Polsek"), t.index("Cibinong") + 8, "ORG")] for t in texts]

    scores = evaluate(predict, sentences)
    assert (scores.total.tp, scores.total.predicted, scores.total.gold) == (2, 2, 4)


def test_rule_baseline_predicts_people_and_places() -> None:
    (spans,) = rule_predictor(["Kapolres Banyuasin AKBP Rury Prastowo mengatakan hal itu."])
    text = "Kapolres Banyuasin AKBP Rury Prastowo mengatakan hal itu."
    assert ("Rury Prastowo", "PER") in {(text[s:e], label) for s, e, label in spans}


# --- training path: a tiny model through the same code as the shipped one ------------------------------------
def test_train_ner_and_eval_ner_run_the_shipped_training_path(tmp_path: Path) -> None:
    from pantau.ner.cli import register

    root = tmp_path / "corpora"
    _write_corpora(root)
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    model_dir = tmp_path / "model"
    result = runner.invoke(app, ["train-ner", "--corpora", str(root), "--output", str(model_dir),
                                 "--work", str(tmp_path / "work"), "--max-steps", "12", "--rank-rate", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "pantau_ner" and meta["license"] == "MIT"
    training = meta["pantau_training"]
    assert training["dropped_duplicates"]["train"] == 1  # the test sentence repeated in train
    assert training["corpus_sentences"] == 7 and training["rank_augmented"] == 7  # every sentence names a person
    assert training["dev_sentences"] == 2 and training["best_step"] <= training["steps"] <= 12  # the dev-best ships
    assert training["pretrained_tok2vec"] is False and [s["name"] for s in meta["sources"]] == ["idner-news-2k"]
    config = (model_dir / "config.cfg").read_text(encoding="utf-8")
    assert str(tmp_path) not in config  # no machine-specific paths ship
    assert "model-last" not in {p.name for p in model_dir.iterdir()}
    import spacy

    nlp = spacy.load(model_dir)
    assert nlp.pipe_names == ["tok2vec", "ner"] and nlp.lang == "xx"
    assert set(nlp.get_pipe("ner").labels) <= set(LABELS)

    scores = tmp_path / "scores.json"
    result = runner.invoke(app, ["eval-ner", "idner", "--corpora", str(root), "--model", str(model_dir),
                                 "--rules", "--json", str(scores)])
    assert result.exit_code == 0, result.output
    data = json.loads(scores.read_text(encoding="utf-8"))
    assert data["runs"][0]["test"] == 3 and 0.0 <= data["mean_f1"] <= 1.0 and "rules_mean_f1" in data


def test_training_is_reproducible(tmp_path: Path) -> None:
    from pantau.ner.train import train_model

    sentences = parse_conll(NERUI.splitlines(keepends=True), NERUI_LABELS) * 4
    overrides = {"training.max_steps": 6, "training.eval_frequency": 3,
                 "components.tok2vec.model.encode.width": 32, "components.tok2vec.model.encode.depth": 1}
    first = train_model(sentences, sentences[:2], tmp_path / "a", overrides=overrides)
    second = train_model(sentences, sentences[:2], tmp_path / "b", overrides=overrides)
    assert [row["losses"] for row in first.log] == [row["losses"] for row in second.log]
    assert first.path.is_dir() and first.train_sentences == 8


def test_augment_ranks_puts_a_rank_before_a_name_tagged_o() -> None:
    from pantau.ner.train import augment_ranks, rank_forms

    sentence = parse_conll(NERUI.splitlines(keepends=True), NERUI_LABELS)[0]
    assert augment_ranks([sentence], rate=0.0) == [sentence]
    original, copy = augment_ranks([sentence], rate=1.0)
    assert original == sentence and copy.source.endswith("+rank")
    (start, end, label), _ = copy.spans
    assert (copy.tokens[start:end], label) == (("Federer",), "PER")
    rank = " ".join(copy.tokens[7:start])
    assert rank in rank_forms() and {"AKBP", "Kombes Pol", "Brigjen Pol"} <= set(rank_forms())


def test_eval_ner_without_corpora_exits_2(tmp_path: Path) -> None:
    from pantau.ner.cli import register

    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["eval-ner", "nerui", "--corpora", str(tmp_path / "missing")])
    assert result.exit_code == 2


# --- the shipped model ---------------------------------------------------------------------------------------
def test_the_model_ships_inside_the_package() -> None:
    assert model_available(), "src/pantau/ner/model is missing: run `pantau train-ner`"
    assert load_model() is load_model()  # loaded once per process
    size = sum(p.stat().st_size for p in ner_model.MODEL_DIR.rglob("*") if p.is_file())
    assert size <= 25 * 1024 * 1024


def _found(text: str) -> set[tuple[str, str]]:
    spans = model_entities(text)
    for start, end, label in spans:
        assert label in LABELS and text[start:end] == text[start:end].strip() and start < end
    return {(text[s:e], label) for s, e, label in spans}


@pytest.mark.parametrize(("text", "expected"), [
    ("Tersangka ditangkap di rumahnya di Kecamatan Talang Kelapa, Kabupaten Banyuasin, Sumatera Selatan.",
     {("Kabupaten Banyuasin", "LOC"), ("Sumatera Selatan", "LOC")}),
    ("Presiden Joko Widodo meminta Komisi Pemberantasan Korupsi menuntaskan kasus itu.",
     {("Joko Widodo", "PER"), ("Komisi Pemberantasan Korupsi", "ORG")}),
    # the shipped model leaves out the unusual first name ("Dominika Jone"); the pipeline takes it back in
    # (tests/extract/test_names.py)
    ("Marciana Dominika Jone, aktivis LSM Bengkel APPeK, hadir di Desa Oelnasi.",
     {("Dominika Jone", "PER"), ("LSM Bengkel APPeK", "ORG"), ("Desa Oelnasi", "LOC")}),
    ("Menurut Siti Rahmawati Lubis, warga resah.", {("Siti Rahmawati Lubis", "PER")}),
])
def test_shipped_model_on_held_sentences(text: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= _found(text)


def test_shipped_model_finds_the_place_and_leaves_ranked_people_to_the_rules() -> None:
    # its training data have almost no police ranks: a name after a rank is the rules' (test_entities.py)
    found = _found("Polisi menggerebek sebuah rumah di Kabupaten Banyuasin pada Senin malam.")
    assert ("Kabupaten Banyuasin", "LOC") in found


def test_model_entities_on_empty_and_long_text(monkeypatch: pytest.MonkeyPatch) -> None:
    assert model_entities("") == [] and model_entities(" \n ") == []
    paragraph = "Kapolres Banyuasin AKBP Rury Prastowo mengatakan pelaku sudah diamankan."
    text = "\n\n".join([paragraph] * 6)
    whole = model_entities(text)  # one batch of six paragraphs: six times the same spans, shifted
    assert [(text[s:e], label) for s, e, label in whole] == [(paragraph[s:e], label) for s, e, label in
                                                             model_entities(paragraph)] * 6
    line = " ".join([paragraph] * 6)  # one long line: tagged in pieces cut at spaces
    monkeypatch.setattr(ner_model, "CHUNK_CHARS", 160)
    chunked = model_entities(line)
    assert chunked and all(line[s:e] == line[s:e].strip() and label in LABELS for s, e, label in chunked)
    assert all(a[1] <= b[0] for a, b in pairwise(chunked))


def test_shipped_model_runs_on_numpy_blas() -> None:
    # BLIS's sgemm runs at about a third of OpenBLAS's here (docs/ner.md, "Speed and size"); the CNN
    # tok2vec, most of the model's time, must be built on numpy's
    nlp = load_model()
    assert all(getattr(node.ops, "use_blis", True) is False for node in nlp.get_pipe("tok2vec").model.walk())


# --- lexicon features ----------------------------------------------------------------------------------------
def test_lexicon_classes_mark_the_words_of_pantaus_vocabularies() -> None:
    import spacy

    from pantau.ner.features import CLASSES, LexiconHashEmbed, lexicon_classes

    doc = spacy.blank("xx").make_doc("Kapolres Banyuasin AKBP Rury Prastowo di Desa Oelnasi, Kecamatan Tebet. Namun")
    classes = dict(zip([t.text for t in doc], lexicon_classes(doc), strict=True))
    assert classes["Banyuasin"] & CLASSES["region"] and classes["AKBP"] & CLASSES["rank"]
    assert classes["Kapolres"] & CLASSES["post"] and classes["Kecamatan"] & CLASSES["place_keyword"]
    assert classes["Tebet"] & CLASSES["district"] and classes["Namun"] & CLASSES["stopword"]
    assert classes["Rury"] == classes["Prastowo"] == classes["Oelnasi"] == 0
    embed = LexiconHashEmbed(16, ["NORM", "SHAPE"], [50, 50], lexicon_rows=8)
    embed.initialize([doc])
    (vectors,) = embed.predict([doc])
    assert vectors.shape == (len(doc), 16)


def test_pos_lexicon_classes_mark_proper_nouns_and_common_words() -> None:
    import spacy

    from pantau.ner.features import CLASSES, POS_CLASSES, LexiconHashEmbedPos, lexicon_classes

    doc = spacy.blank("xx").make_doc("Garuda Indonesia memastikan pesawat Leicester tiba di Banyuasin")
    plain = dict(zip([t.text for t in doc], lexicon_classes(doc), strict=True))
    extended = dict(zip([t.text for t in doc], lexicon_classes(doc, pos_classes=True), strict=True))
    assert extended["Garuda"] & POS_CLASSES["proper"] and extended["Leicester"] & POS_CLASSES["proper"]
    assert extended["memastikan"] & POS_CLASSES["common"] and extended["pesawat"] & POS_CLASSES["common"]
    assert not extended["Garuda"] & POS_CLASSES["common"]
    assert all(value < 256 for value in plain.values())  # v1 (the features of models trained on it) unchanged
    assert all(extended[word] & 255 == plain[word] for word in plain)
    assert extended["Banyuasin"] & CLASSES["region"]
    embed = LexiconHashEmbedPos(16, ["NORM", "SHAPE"], [50, 50], lexicon_rows=32)
    embed.initialize([doc])
    (vectors,) = embed.predict([doc])
    assert vectors.shape == (len(doc), 16)
