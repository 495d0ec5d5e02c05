"""Pre-training the NER model's tok2vec as a part-of-speech tagger on cased Indonesian news.

The NER corpora are small (idner-news-2k: 1,454 training sentences), so the CNN learns what a name looks like in
context from a few thousand examples. kumparan's ``nlp-id`` package (MIT, on PyPI) ships the corpus its POS
tagger was trained on: 32,780 sentences, 550k tokens of cased kumparan news, each token tagged (``NNP`` proper
noun, ``NN``, ``VB``, ``SYM``, ... 16 tags). A tok2vec first trained to tag that corpus has seen fifteen times
more text, and learnt proper nouns against common words in context ("Garuda Indonesia", "Direktur Utama Perum
Bulog Budi Waseso"); the NER training then starts from its weights (spaCy's ``initialize.init_tok2vec``)
instead of from random ones. Only the tok2vec moves over: the tagger is thrown away.

The corpus is read from a path (``--pos-corpus``): the ``dataset_postag.txt`` file, the ``nlp-id`` wheel itself
(``pip download --no-deps nlp-id``; the file is read from inside the zip), or an installed ``nlp_id`` package's
folder. pantau does not depend on ``nlp-id`` (it pins old numpy and scikit-learn
versions), and nothing of it is needed at run time.

The corpus splits clitics off their word ("keemasan nya", "acara nya"); they are written back onto it
("keemasannya", tagged as the word), since pantau's tokenizer sees them joined. Sentences whose key
(:func:`pantau.ner.corpora.dedup_key`) occurs in an evaluation set are dropped before training
(:func:`pretrain_sentences`), so that no test sentence is seen, even untagged for NER.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin
from thinc.api import Config

from pantau.ner.corpora import Sentence, dedup_key, deduplicate, token_offsets

POS_MEMBER = "nlp_id/data/dataset_postag.txt"  # inside the nlp-id wheel, or under site-packages
POS_SOURCE = {"name": "nlp-id POS corpus (kumparan)", "url": "https://pypi.org/project/nlp-id/", "license": "MIT",
              "author": "kumparan (nlp-id, (c) 2025 kumparan.com)"}
CLITICS = frozenset({"nya", "lah", "kah", "ku", "mu"})  # written onto the word before them
WEIGHTS_FILE = "tok2vec.bin"

_SPACY_DEFAULT_PRETRAINING = "default_config_pretraining.cfg"


@dataclass(frozen=True, slots=True)
class TaggedSentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def key(self) -> str:
        return dedup_key(self.tokens)


class PosCorpusMissingError(FileNotFoundError):
    """No POS corpus was given or found."""


def parse_postag(lines: Iterable[str]) -> list[TaggedSentence]:
    """``token<TAB>tag`` lines, a blank line between sentences; clitics joined onto the word before them."""
    sentences: list[TaggedSentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def close() -> None:
        if tokens:
            sentences.append(TaggedSentence(tuple(tokens), tuple(tags)))
            tokens.clear()
            tags.clear()

    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip():
            close()
            continue
        columns = line.split("\t")
        token, tag = columns[0].strip(), columns[-1].strip().upper() if len(columns) > 1 else ""
        if not token or not tag:
            continue
        if token in CLITICS and tokens and tokens[-1][-1:].isalpha():
            tokens[-1] += token
            continue
        tokens.append(token)
        tags.append(tag)
    close()
    return sentences


def read_postag(path: Path) -> list[TaggedSentence]:
    """The corpus at ``path``: the text file, the nlp-id wheel (a zip), or a folder holding ``POS_MEMBER``."""
    if path.is_dir():
        for candidate in (path / POS_MEMBER, path / "data" / "dataset_postag.txt", path / "dataset_postag.txt"):
            if candidate.is_file():
                return read_postag(candidate)
        raise PosCorpusMissingError(f"no {POS_MEMBER} under {path}")
    if not path.is_file():
        raise PosCorpusMissingError(f"no POS corpus at {path}")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive, archive.open(POS_MEMBER) as member:
            return parse_postag(io.TextIOWrapper(member, encoding="utf-8"))
    with open(path, encoding="utf-8") as handle:
        return parse_postag(handle)


def pretrain_sentences(corpus: Sequence[TaggedSentence], held_out: Iterable[Sentence | TaggedSentence]
                       ) -> tuple[list[TaggedSentence], int]:
    """``corpus`` less sentences in ``held_out`` (any evaluation split), repeats and empty ones; how many dropped."""
    kept, _ = deduplicate([s for s in corpus if s.key], held_out)
    return kept, len(corpus) - len(kept)


def to_tagged_doc(nlp: Language, sentence: TaggedSentence) -> Doc:
    """``sentence`` re-tokenised by ``nlp``; each token gets the tag of the corpus token it starts in."""
    text, offsets = token_offsets(sentence)
    doc = nlp.make_doc(text)
    index = 0
    for token in doc:
        while index + 1 < len(offsets) and offsets[index][1] <= token.idx:
            index += 1
        token.tag_ = sentence.tags[index]
    return doc


def tagger_config(config_path: Path) -> Config:
    """The NER config with the NER swapped for a tagger on the same tok2vec (architecture and widths)."""
    from spacy.util import load_config

    config = load_config(config_path, interpolate=False)
    config["nlp"]["pipeline"] = ["tok2vec", "tagger"]
    del config["components"]["ner"]
    config["components"]["tagger"] = {
        "factory": "tagger", "overwrite": False, "neg_prefix": "!", "label_smoothing": 0.0,
        "scorer": {"@scorers": "spacy.tagger_scorer.v1"},
        "model": {"@architectures": "spacy.Tagger.v2", "nO": None, "normalize": False,
                  "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1",
                              "width": "${components.tok2vec.model.encode.width}", "upstream": "*"}},
    }
    config["training"]["score_weights"] = {"tag_acc": 1.0}
    return config


def with_init_tok2vec(config_path: Path, weights: Path, output: Path) -> Path:
    """A copy of the NER config at ``output`` that starts its tok2vec from ``weights``."""
    import spacy
    from spacy.util import load_config

    config = load_config(config_path, interpolate=False)
    defaults = Config().from_disk(Path(spacy.__file__).with_name(_SPACY_DEFAULT_PRETRAINING), interpolate=False)
    config["pretraining"] = dict(defaults["pretraining"])
    config["pretraining"].update(component="tok2vec", layer="")
    config["paths"]["init_tok2vec"] = str(weights)
    config["initialize"]["init_tok2vec"] = "${paths.init_tok2vec}"
    output.parent.mkdir(parents=True, exist_ok=True)
    config.to_disk(output)
    return output


@dataclass(slots=True)
class PretrainResult:
    weights: Path
    tag_acc: float
    steps: int
    train_sentences: int
    dev_sentences: int
    dropped: int


def pretrain_tok2vec(corpus: Sequence[TaggedSentence], held_out: Iterable[Sentence | TaggedSentence], output: Path,
                     *, config_path: Path, dev_size: int = 1000, overrides: Mapping[str, Any] | None = None,
                     stdout: IO[str] | None = None) -> PretrainResult:
    """Train a tagger on ``corpus`` (less ``held_out``) and write its tok2vec's weights to ``output/tok2vec.bin``.

    The last ``dev_size`` sentences choose the checkpoint (best tagging accuracy); ``overrides`` are spaCy
    config overrides of the tagger's training ("training.max_steps": 3000, ...).
    """
    import spacy

    from pantau.ner.loop import best_evaluation, blank, train_on_files
    from pantau.ner.model import cpu_ops

    kept, dropped = pretrain_sentences(corpus, held_out)
    if len(kept) <= dev_size:
        dev_size = max(1, len(kept) // 10)
    train, dev = kept[:-dev_size], kept[-dev_size:]
    output.mkdir(parents=True, exist_ok=True)
    nlp = blank()
    for name, part in (("pos-train.spacy", train), ("pos-dev.spacy", dev)):
        docs = DocBin(attrs=["ORTH", "TAG"], store_user_data=False)
        for sentence in part:
            docs.add(to_tagged_doc(nlp, sentence))
        docs.to_disk(output / name)
    config_file = output / "tagger.cfg"
    tagger_config(config_path).to_disk(config_file)
    history = train_on_files(config_file, output, output / "pos-train.spacy", output / "pos-dev.spacy",
                             output / "pos_training_log.jsonl",
                             overrides={"training.eval_frequency": 250, "training.patience": 1500,
                                        "training.max_steps": 3000, **(overrides or {})}, stdout=stdout)
    with cpu_ops():
        tagger = spacy.load(output / "model-best")
    weights = output / WEIGHTS_FILE
    weights.write_bytes(tagger.get_pipe("tok2vec").model.to_bytes())
    return PretrainResult(weights, float(best_evaluation(history)["score"]), int(history[-1]["step"]), len(train),
                          len(dev), dropped)
