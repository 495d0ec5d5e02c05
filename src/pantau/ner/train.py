"""Training pantau's NER model through spaCy's config system (``config.cfg`` beside this file).

Sentences from :mod:`pantau.ner.corpora` become spaCy ``Doc`` objects tokenised the way pantau tokenises at run
time: each sentence is written out as running text and re-tokenised with ``spacy.blank("xx")``, and its gold
entities are carried over as character spans (brackets and quotes around an entity dropped, so "(KPU)" gives the
entity "KPU"). The ``Doc`` lists go to ``.spacy`` files, and spaCy's own loop trains on them with the config's
fixed seed, bounded by ``max_steps`` and early-stopped on the dev set (``patience``).

The shipped model is trained on idner-news-2k train and NERGrit train (when the corpus is present),
early-stopped on their dev splits, and the checkpoint with the best dev F1 ships (:func:`train_shipped`); no test
sentence and no licence-restricted set is used. Train and
dev drop every sentence that also occurs in a test split (:func:`corpora.deduplicate`).
IndoLEM NER UI and IndoNLU NERP never enter the shipped model (see docs/ner.md for the licences).

idner-news-2k is general news with almost no police ranks. :func:`augment_ranks` can add, for a share of the
sentences naming a person, a copy with a Polri/TNI rank from ``data/ranks.toml`` before the name (tagged O, as
the corpora tag titles); it is off in the shipped model (``RANK_RATE``, measured in docs/ner.md), since the rule
components read ranks exactly.

Training runs on thinc's CPU ops with numpy's BLAS (:func:`pantau.ner.model.cpu_ops`), more than twice as fast
than with the bundled BLIS on this project's machines; a fixed seed gives the same model on the same machine.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans
from thinc.api import Config

from pantau.ner.corpora import (
    Sentence,
    deduplicate,
    read_idner,
    read_nergrit,
    read_nerp,
    read_nerui,
    sentence_text,
)
from pantau.ner.loop import best_evaluation, blank, train_on_files

CONFIG_PATH = Path(__file__).with_name("config.cfg")
SHIPPED_DIR = Path(__file__).with_name("model")
MODEL_NAME = "pantau_ner"
MODEL_LICENSE = "MIT"  # idner-news-2k (c) 2020 khairunnisaor, and nlp-id's corpus (c) kumparan when a model uses it
MODEL_SOURCES = [
    {"name": "idner-news-2k", "url": "https://github.com/khairunnisaor/idner-news-2k", "license": "MIT",
     "author": "Siti Oryza Khairunnisa, Aizhan Imankulova, Mamoru Komachi (AACL-IJCNLP 2020 SRW)"},
]
NERGRIT_SOURCE = {
    "name": "NERGRIT (IndoNLU nergrit_ner-grit)", "url": "https://github.com/IndoNLP/indonlu",
    "license": "Apache-2.0 (IndoNLU repository); MIT (SEACrowd dataset card)",
    "author": "NERGRIT contributors (grit-id, PT Gria Inovasi Teknologi); IndoNLU, Wilie et al. (AACL-IJCNLP 2020)"}
RANK_RATE = 0.0  # off: share of the sentences naming a person given a ranked copy (augment_ranks, docs/ner.md)
_EDGE = "()[]{}\"'“”‘’«»,;:"

log = logging.getLogger(__name__)


@dataclass(slots=True)
class TrainResult:
    path: Path  # the trained pipeline directory
    best_step: int
    best_score: float
    steps: int
    train_sentences: int
    dev_sentences: int
    log: list[dict[str, Any]] = field(default_factory=list)


def to_doc(nlp: Language, sentence: Sentence) -> Doc:
    """``sentence`` as running text re-tokenised by ``nlp``, with its entities as ``doc.ents``."""
    text, chars = sentence_text(sentence)
    doc = nlp.make_doc(text)
    spans: list[Span] = []
    for start, end, label in chars:
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        if start == end:
            continue
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


def write_docs(docs: Iterable[Doc], path: Path) -> int:
    """``docs`` to a ``.spacy`` file (tokens and entities); how many."""
    out = DocBin(store_user_data=False)
    count = 0
    for doc in docs:
        out.add(doc)
        count += 1
    out.to_disk(path)
    return count


def write_docbin(nlp: Language, sentences: Iterable[Sentence], path: Path) -> int:
    return write_docs((to_doc(nlp, sentence) for sentence in sentences), path)


def train_model(train: Sequence[Sentence], dev: Sequence[Sentence], output: Path, *,
                overrides: Mapping[str, Any] | None = None, config_path: Path = CONFIG_PATH,
                stdout: IO[str] | None = None, init_tok2vec: Path | None = None) -> TrainResult:
    """Train a pipeline on ``train``, checkpointing the best ``dev`` F1; returns the ``model-best`` directory.

    ``overrides`` are spaCy config overrides ("training.max_steps": 200, ...). ``init_tok2vec`` is a file of
    pre-trained tok2vec weights to start from (:func:`pantau.ner.pretrain.pretrain_tok2vec`). ``output`` gets
    ``train.spacy``, ``dev.spacy``, ``training_log.jsonl`` (one line per evaluation), ``model-best`` and
    ``model-last``.
    """
    output.mkdir(parents=True, exist_ok=True)
    if init_tok2vec is not None:
        from pantau.ner.pretrain import with_init_tok2vec

        config_path = with_init_tok2vec(config_path, init_tok2vec, output / "config-init.cfg")
    nlp = blank()
    n_train = write_docbin(nlp, train, output / "train.spacy")
    n_dev = write_docbin(nlp, dev, output / "dev.spacy")
    history = train_on_files(config_path, output, output / "train.spacy", output / "dev.spacy",
                             output / "training_log.jsonl", overrides=overrides, stdout=stdout)
    best = best_evaluation(history)
    return TrainResult(output / "model-best", int(best["step"]), float(best["score"]),
                       int(history[-1]["step"]) if history else 0, n_train, n_dev, history)


# --- the data of each model ----------------------------------------------------------------------------------
@dataclass(slots=True)
class Split:
    train: list[Sentence]
    dev: list[Sentence]
    test: list[Sentence]
    dropped: dict[str, int] = field(default_factory=dict)  # duplicates removed, by split


def split_sets(train: Sequence[Sentence], dev: Sequence[Sentence], test: Sequence[Sentence]) -> Split:
    """The three splits with no sentence in two of them: test is kept whole, dev and train lose duplicates."""
    dev_kept, dev_dropped = deduplicate(dev, test)
    train_kept, train_dropped = deduplicate(train, [*test, *dev_kept])
    return Split(train_kept, dev_kept, list(test), {"dev": dev_dropped, "train": train_dropped})


def nerui_fold(root: Path, fold: int) -> Split:
    """IndoLEM NER UI fold 1-5 (evaluation only: its models are never shipped)."""
    return split_sets(*(read_nerui(root, split, fold) for split in ("train", "dev", "test")))


def with_extra(split: Split, extra: Sequence[Sentence]) -> Split:
    """``split`` with ``extra`` training sentences added, less those in its test, dev or train (deduplicated)."""
    kept, dropped = deduplicate(extra, [*split.test, *split.dev, *split.train])
    return Split([*split.train, *kept], split.dev, split.test, {**split.dropped, "extra": dropped,
                                                                "extra_kept": len(kept)})


def idner_all(root: Path) -> list[Sentence]:
    """Every idner-news-2k sentence (train, dev, test): MIT, and it shares no sentence with NER UI."""
    return [s for split in ("train", "dev", "test") for s in read_idner(root, split)]


def idner_split(root: Path) -> Split:
    return split_sets(*(read_idner(root, split) for split in ("train", "dev", "test")))


def nergrit_split(root: Path) -> Split:
    """IndoNLU NERGrit train / valid / test: cased, mostly encyclopaedic; shares no sentence with the others."""
    return split_sets(*(read_nergrit(root, split) for split in ("train", "valid", "test")))


def shipped_split(root: Path) -> Split:
    """The shipped model's data: idner-news-2k and, when present, NERGrit; train on both trains, choose on both dev
    splits, and keep both test splits out of everything (each is scored on its own by ``pantau eval-ner``)."""
    data = idner_split(root)
    if not (root / "indonlu-nergrit").is_dir():
        return data
    grit = nergrit_split(root)
    return split_sets([*data.train, *grit.train], [*data.dev, *grit.dev], [*data.test, *grit.test])


def nerp_split(root: Path, native: bool = True) -> Split:
    """IndoNLU NERP (evaluation only: CC BY-SA per its dataset cards, so its models are never shipped)."""
    return split_sets(*(read_nerp(root, split, native) for split in ("train", "valid", "test")))


# --- rank augmentation ----------------------------------------------------------------------------------------
def rank_forms() -> list[str]:
    """Every written rank form of ``data/ranks.toml``, with "Pol" after Polri abbreviations ("AKBP", "Kombes Pol")."""
    from pantau.vocab import load_toml

    forms: list[str] = []
    for entry in load_toml("ranks")["rank"]:
        forms += entry["forms"]
        if entry["service"] == "polri":
            forms += [f"{form} Pol" for form in entry["forms"] if " " not in form and form.isalpha()]
    return sorted(set(forms))


def augment_ranks(sentences: Sequence[Sentence], rate: float = RANK_RATE, seed: int = 0) -> list[Sentence]:
    """``sentences`` plus, for a ``rate`` share of those naming a person, a copy with a rank before one name."""
    rng = random.Random(seed)
    forms = rank_forms()
    extra: list[Sentence] = []
    for sentence in sentences:
        people = [span for span in sentence.spans if span[2] == "PER"]
        if not people or rng.random() >= rate:
            continue
        start = rng.choice(people)[0]
        rank = tuple(rng.choice(forms).split())
        extra.append(Sentence(sentence.tokens[:start] + rank + sentence.tokens[start:],
                              sentence.tags[:start] + ("O",) * len(rank) + sentence.tags[start:],
                              f"{sentence.source}+rank"))
    return [*sentences, *extra]


# --- the shipped model ---------------------------------------------------------------------------------------
def evaluation_sentences(root: Path) -> list[Sentence]:
    """Every sentence a score is read on, of the corpora present under ``root``: kept out of any pre-training.

    All of NER UI (each of its sentences is in some fold's test split), idner-news-2k dev and test, NERP valid
    and test.
    """
    from pantau.ner.corpora import FOLDS

    held: list[Sentence] = []
    if (root / "indolem-nerui").is_dir():
        held += [s for fold in FOLDS for split in ("train", "dev", "test") for s in read_nerui(root, split, fold)]
    if (root / "idner-news-2k").is_dir():
        held += [s for split in ("dev", "test") for s in read_idner(root, split)]
    if (root / "indonlu-nerp").is_dir():
        held += [s for split in ("valid", "test") for s in read_nerp(root, split)]
    return held


def pretrained_tok2vec(root: Path, pos_corpus: Path, work: Path, *, config_path: Path = CONFIG_PATH,
                       overrides: Mapping[str, Any] | None = None, stdout: IO[str] | None = None) -> Path:
    """tok2vec weights pre-trained as a POS tagger on ``pos_corpus`` (:mod:`pantau.ner.pretrain`) in ``work``.

    Every sentence of :func:`evaluation_sentences` is left out first. Returns the weights file.
    """
    from pantau.ner.pretrain import pretrain_tok2vec, read_postag

    result = pretrain_tok2vec(read_postag(pos_corpus), evaluation_sentences(root), work, config_path=config_path,
                              overrides=overrides, stdout=stdout)
    (work / "pretrain.json").write_text(json.dumps({
        "tag_acc": result.tag_acc, "steps": result.steps, "train_sentences": result.train_sentences,
        "dev_sentences": result.dev_sentences, "dropped": result.dropped}, indent=2) + "\n", encoding="utf-8")
    return result.weights


def train_shipped(root: Path, output: Path = SHIPPED_DIR, work: Path | None = None, *,
                  overrides: Mapping[str, Any] | None = None, stdout: IO[str] | None = None,
                  rank_rate: float = RANK_RATE, config_path: Path = CONFIG_PATH,
                  pos_corpus: Path | None = None, init_tok2vec: Path | None = None,
                  pretrain_overrides: Mapping[str, Any] | None = None) -> TrainResult:
    """Train the model that ships with pantau into ``output``: idner-news-2k (+ NERGrit) train, early-stopped on
    their dev splits (:func:`shipped_split`).

    The checkpoint with the best dev F1 (``model-best``) ships: a standard protocol in which only the dev split
    chooses, and the test split nothing. (An earlier protocol retrained on train + dev for a fixed number of
    steps and shipped its last state, which with a constant learning rate is a noisy point; a decaying
    learning rate, tried to steady it, scored lower on dev: docs/ner.md.)

    With ``pos_corpus`` the tok2vec is first pre-trained as a POS tagger on it (:func:`pretrained_tok2vec`);
    ``init_tok2vec`` starts from weights pre-trained before.
    """
    data = shipped_split(root)
    with_grit = any(s.source.startswith("nergrit/") for s in data.train)
    work = work or Path(tempfile.mkdtemp(prefix="pantau-ner-"))
    if init_tok2vec is None and pos_corpus is not None:
        init_tok2vec = pretrained_tok2vec(root, pos_corpus, work / "pos", config_path=config_path,
                                          overrides=pretrain_overrides, stdout=stdout)
    train = augment_ranks(data.train, rank_rate)
    result = train_model(train, data.dev, work / "idner", overrides=overrides, stdout=stdout,
                         config_path=config_path, init_tok2vec=init_tok2vec)
    last = result.log[-1]["score"] if result.log else 0.0
    pretrained = init_tok2vec is not None
    package(result.path, output, {
        "protocol": ("idner-news-2k + NERGrit train, early-stopped on their dev splits" if with_grit else
                     "idner-news-2k train, early-stopped on idner-news-2k dev") + "; the best dev checkpoint ships"
                    + ("; tok2vec pre-trained as a POS tagger on nlp-id's corpus" if pretrained else ""),
        "best_step": result.best_step, "dev_f": result.best_score, "steps": result.steps, "last_dev_f": last,
        "train_sentences": result.train_sentences, "corpus_sentences": len(data.train),
        "dev_sentences": result.dev_sentences, "rank_rate": rank_rate,
        "rank_augmented": result.train_sentences - len(data.train), "dropped_duplicates": data.dropped,
        "pretrained_tok2vec": pretrained,
    }, pretrained=pretrained, nergrit=with_grit)
    return TrainResult(output, result.best_step, result.best_score, result.steps, result.train_sentences,
                       result.dev_sentences, result.log)


def package(source: Path, output: Path, training: Mapping[str, Any], *, pretrained: bool = False,
            nergrit: bool = False, extra_sources: Sequence[Mapping[str, str]] = ()) -> None:
    """Copy a trained pipeline to ``output`` with pantau's metadata and no machine-specific paths.

    ``extra_sources`` are credited beside the corpora (a distilled model's silver text: :mod:`pantau.ner.distill`).
    """
    from pantau.ner.pretrain import POS_SOURCE

    nlp = spacy.load(source)
    # the POS lexicon classes (pantau.LexiconHashEmbed.v2) are derived from nlp-id's corpus too
    uses_pos_corpus = pretrained or "pantau.LexiconHashEmbed.v2" in nlp.config.to_str()
    extra = [credit for credit in extra_sources if not (uses_pos_corpus and credit is POS_SOURCE)]
    nlp.meta.update({
        "name": MODEL_NAME, "version": _version(), "license": MODEL_LICENSE,
        "sources": [*MODEL_SOURCES, *([NERGRIT_SOURCE] if nergrit else []), *([POS_SOURCE] if uses_pos_corpus else []),
                    *extra],
        "description": "Indonesian PER/ORG/LOC named entities for pantau (hash embeddings + pantau lexicon classes, "
                       "CNN tok2vec, transition NER; CPU).",
        "author": "pantau contributors", "pantau_training": dict(training),
    })
    nlp.meta.pop("performance", None)
    if output.exists():
        shutil.rmtree(output)
    nlp.to_disk(output)
    config = Config().from_disk(output / "config.cfg", interpolate=False)
    config["paths"]["train"] = None
    config["paths"]["dev"] = None
    config["paths"]["init_tok2vec"] = None  # pre-trained weights are in the model; their file stays behind
    config["training"]["logger"]["output_file"] = None
    config["training"]["logger"]["console_output"] = True
    config.to_disk(output / "config.cfg")


def _version() -> str:
    from pantau import __version__

    return __version__
