"""Distillation: a smaller NER model trained to imitate the shipped one (the teacher) on its own labels.

Retraining any config, even the shipped one, gives another draw of the same distribution, and on news-gold the
shipped model is a favourable draw (docs/ner.md, "Smaller models for speed"): a smaller model trained on the gold
corpora alone learns *a* tagger, not *this* one. A student trained on the teacher's output learns the teacher's
decisions instead, including the ones the gold corpora never show (names in police news, the pipeline's name
filters having been tuned against the teacher's spans).

The student's training data is the shipped model's gold training data (idner-news-2k + NERGrit train,
:func:`pantau.ner.train.shipped_split`) plus **silver** sentences: licensed unlabelled text tagged by the
teacher. The silver text is nlp-id's POS corpus of kumparan news (MIT; :mod:`pantau.ner.pretrain` reads it),
written out as running text and tokenised by ``spacy.blank("xx")``, the teacher's own tokenizer, so the teacher's
entities fall on the student's tokens exactly. With ``relabel`` the gold training sentences carry the teacher's
entities instead of the gold ones too (the teacher fits them closely, but not exactly). Every sentence any score
is read on (:func:`pantau.ner.train.evaluation_sentences`, and the dev and test splits of the shipped data) is
dropped from the silver text first; the checkpoint is still chosen on the gold dev splits, as the shipped one was.

Three options bring the student closer to the teacher (each measured in docs/ner.md, "Distillation"):
``teacher_dev`` chooses the checkpoint on agreement with the teacher instead of on the gold; ``from_teacher``
starts a student of the teacher's width from the teacher's own embedding, first CNN layers and NER
(:func:`truncated_teacher`) instead of from random weights; ``windows`` adds the windows the default pipeline
cuts from the silver text (:func:`pipeline_windows`), the inputs the model actually gets at run time.

Only hard labels pass (the teacher's entities): spaCy's transition-based NER has no soft-target loss.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from pantau.ner.corpora import Sentence, dedup_key, sentence_text, token_offsets
from pantau.ner.model import LABELS

SILVER_FILE = "silver.spacy"


@dataclass(slots=True)
class DistillData:
    train: list[Doc]  # gold (or teacher-relabelled) training sentences, then the silver ones
    dev: list[Doc]  # gold dev sentences (or, with teacher_dev, the teacher's labels of them + held-out silver)
    gold_sentences: int
    silver_sentences: int
    silver_entities: int
    silver_dropped: int  # silver sentences dropped as repeats or as sentences of a held-out or training split
    relabelled: int  # gold training sentences whose teacher entities differ from their gold ones (with relabel)


def silver_texts(corpus: Iterable[Any], held_out: Iterable[Sentence], *, limit: int | None = None,
                 seed: int = 0) -> tuple[list[str], int]:
    """Running texts of ``corpus`` (sentences with ``tokens``: the POS corpus's) less repeats and any sentence of
    ``held_out``; at most ``limit`` of them, a seeded random sample. Returns (texts, how many were dropped)."""
    seen = {s.key for s in held_out}
    texts: list[str] = []
    dropped = 0
    for sentence in corpus:
        key = dedup_key(sentence.tokens)
        if not key or key in seen:
            dropped += 1
            continue
        seen.add(key)
        texts.append(token_offsets(sentence)[0])
    if limit is not None and limit < len(texts):
        texts = random.Random(seed).sample(texts, limit)
    return texts, dropped


def teacher_docs(teacher: Language, nlp: Language, texts: Sequence[str], batch_size: int = 256) -> list[Doc]:
    """Each text tokenised by ``nlp`` with the teacher's PER/ORG/LOC entities as ``doc.ents`` (every other token O).

    The teacher tokenises with the same ``spacy.blank("xx")`` tokenizer, so its entities are copied token for token;
    a text tokenised differently would be a bug, and raises.
    """
    from pantau.ner.model import cpu_ops

    docs: list[Doc] = []
    with cpu_ops():
        for text, tagged in zip(texts, teacher.pipe(texts, batch_size=batch_size), strict=True):
            doc = nlp.make_doc(text)
            if len(doc) != len(tagged) or any(a.idx != b.idx for a, b in zip(doc, tagged, strict=True)):
                raise ValueError(f"teacher and student tokenise differently: {text!r}")
            doc.ents = [Span(doc, e.start, e.end, label=e.label_) for e in tagged.ents if e.label_ in LABELS]
            docs.append(doc)
    return docs


def pipeline_windows(texts: Sequence[str], per_article: int = 10) -> list[str]:
    """The pieces pantau's default pipeline hands the model when ``texts`` are read as articles of ``per_article``
    consecutive sentences, one a line (:func:`pantau.extract.entities.draft_entities`).

    At run time the model reads no whole sentences, but windows of about a dozen words around runs of name-like
    words the rules did not take; the teacher's behaviour on exactly those (a window's cut edges, the names the
    rules leave over) is what the pipeline's output depends on, so the student sees them too.
    """
    from pantau.extract.entities import draft_entities

    windows: list[str] = []
    for start in range(0, len(texts), per_article):
        draft = draft_entities("\n".join(texts[start:start + per_article]), use_model=True)
        windows += [piece if isinstance(piece, str) else piece.text for piece in draft.pieces]
    return windows


def _spans(doc: Doc) -> set[tuple[int, int, str]]:
    return {(e.start, e.end, e.label_) for e in doc.ents}


def distill_data(teacher: Language, train: Sequence[Sentence], dev: Sequence[Sentence], silver: Sequence[str], *,
                 relabel: bool = False, silver_dropped: int = 0, teacher_dev: int | None = None) -> DistillData:
    """The student's documents: ``train`` (gold entities, or the teacher's with ``relabel``), then ``silver`` tagged
    by the teacher; ``dev`` keeps its gold entities.

    With ``teacher_dev`` (a number of silver sentences) the checkpoint is chosen on agreement with the teacher
    instead of on the gold: ``dev`` carries the teacher's entities, and the last ``teacher_dev`` silver sentences
    join it instead of the training data. The gold dev F1 rewards the teacher's errors' fixes as much as its
    decisions; a student meant to reproduce the teacher's output is better chosen on the teacher's output.
    """
    from pantau.ner.loop import blank
    from pantau.ner.train import to_doc

    nlp = blank()
    gold = [to_doc(nlp, s) for s in train]
    changed = 0
    if relabel:
        relabelled = teacher_docs(teacher, nlp, [sentence_text(s)[0] for s in train])
        changed = sum(_spans(a) != _spans(b) for a, b in zip(gold, relabelled, strict=True))
        gold = relabelled
    silver_docs = teacher_docs(teacher, nlp, silver)
    if teacher_dev is None:
        dev_docs = [to_doc(nlp, s) for s in dev]
    else:
        cut = len(silver_docs) - teacher_dev
        dev_docs = [*teacher_docs(teacher, nlp, [sentence_text(s)[0] for s in dev]), *silver_docs[cut:]]
        silver_docs = silver_docs[:cut]
    return DistillData([*gold, *silver_docs], dev_docs, len(gold), len(silver_docs),
                       sum(len(d.ents) for d in silver_docs), silver_dropped, changed)


def _residual_blocks(tok2vec: Any) -> list[Any]:
    """The CNN's residual layers of a ``spacy.Tok2Vec.v2`` model: ``chain(embed, with_array(chain(blocks...)))``."""
    encoder = tok2vec.layers[1].layers[0]
    return list(encoder.layers) if encoder.name.startswith("residual(") and ">>" in encoder.name else [encoder]


def _copy_params(source: Any, target: Any) -> int:
    """Every parameter of ``source``'s nodes onto ``target``'s, node by node (same structure); how many arrays."""
    copied = 0
    for a, b in zip(source.walk(), target.walk(), strict=True):
        if a.name != b.name:
            raise ValueError(f"different layers: {a.name} and {b.name}")
        for name in a.param_names:
            if a.has_param(name):
                b.set_param(name, a.get_param(name).copy())
                copied += 1
    return copied


def truncated_teacher(teacher: Language, config_path: Path, output: Path, examples: Sequence[Doc]) -> Path:
    """A pipeline of the student's config (``config_path``: the teacher's width, fewer CNN layers) starting from the
    teacher's own weights: its embedding, its first CNN layers and its NER, written to ``output``.

    The CNN's layers are residual, so dropping the last ones leaves each token's vector what the first layers made of
    it, and the NER starts from the teacher's decisions instead of from a random draw; training then adapts it to
    the missing layers. ``examples`` (a few labelled docs) only initialise the shapes before the copy.
    """
    from spacy.training import Example
    from spacy.util import load_config, load_model_from_config

    from pantau.ner.embed_cache import plain_embedding
    from pantau.ner.model import cpu_ops

    config = load_config(config_path, interpolate=False)
    with cpu_ops():
        nlp = load_model_from_config(config, auto_fill=True, validate=True)
        nlp.initialize(lambda: [Example(nlp.make_doc(d.text), d) for d in examples])
        source, target = teacher.get_pipe("tok2vec").model, nlp.get_pipe("tok2vec").model
        _copy_params(plain_embedding(source.layers[0]), target.layers[0])  # a loaded teacher's may be cached
        blocks = _residual_blocks(target)
        for a, b in zip(_residual_blocks(source)[:len(blocks)], blocks, strict=True):
            _copy_params(a, b)
        nlp.get_pipe("ner").from_bytes(teacher.get_pipe("ner").to_bytes())
    nlp.to_disk(output)
    return output


def sourced_config(config_path: Path, pipeline: Path, output: Path) -> Path:
    """A copy of the training config at ``output`` whose components start from (and go on training) ``pipeline``."""
    from spacy.util import load_config

    config = load_config(config_path, interpolate=False)
    for name in config["nlp"]["pipeline"]:
        config["components"][name] = {"source": str(pipeline)}
    config.to_disk(output)
    return output


def train_distilled(root: Path, silver_corpus: Path, output: Path, work: Path, *, teacher_dir: Path | None = None,
                    relabel: bool = False, limit: int | None = None, seed: int = 0, teacher_dev: int | None = None,
                    from_teacher: bool = False, windows: bool = False, config_path: Path | None = None,
                    overrides: dict[str, Any] | None = None, stdout: IO[str] | None = None) -> Any:
    """Train a student on the shipped data + the teacher's labels of ``silver_corpus`` into ``output``.

    ``silver_corpus`` is nlp-id's POS corpus (its text file, wheel or package folder: :func:`read_postag`);
    ``teacher_dir`` defaults to the shipped model, ``limit`` caps the silver sentences (a seeded sample),
    ``windows`` adds the pipeline's own windows of the silver text (:func:`pipeline_windows`); ``from_teacher`` starts
    the student from the teacher's weights (:func:`truncated_teacher`: same width, fewer CNN layers);
    ``teacher_dev`` chooses the checkpoint on agreement with the teacher (:func:`distill_data`);
    ``config_path`` is the student's config. The student is trained as the shipped model was (dev-best
    checkpoint of an early-stopped run, ``training.seed`` from the config or ``overrides``) and packaged with
    the metadata of both corpora and of the teacher. Returns the :class:`pantau.ner.train.TrainResult`.
    """
    from pantau.ner.loop import best_evaluation, train_on_files
    from pantau.ner.model import MODEL_DIR, load_pipeline
    from pantau.ner.pretrain import POS_SOURCE, read_postag
    from pantau.ner.train import CONFIG_PATH, TrainResult, evaluation_sentences, package, shipped_split, write_docs

    data = shipped_split(root)
    held = [*evaluation_sentences(root), *data.train, *data.dev, *data.test]
    texts, dropped = silver_texts(read_postag(silver_corpus), held, limit=limit, seed=seed)
    if windows:  # the held-out silver (teacher_dev, the last texts) stays last and gives no window
        cut = len(texts) - (teacher_dev or 0)
        texts = [*texts[:cut], *pipeline_windows(texts[:cut]), *texts[cut:]]
    teacher_path = teacher_dir or MODEL_DIR
    teacher = load_pipeline(teacher_path)
    docs = distill_data(teacher, data.train, data.dev, texts, relabel=relabel, silver_dropped=dropped,
                        teacher_dev=teacher_dev)
    run = work / "distill"
    run.mkdir(parents=True, exist_ok=True)
    write_docs(docs.train, run / "train.spacy")
    write_docs(docs.dev, run / "dev.spacy")
    config_path = config_path or CONFIG_PATH
    if from_teacher:
        start = truncated_teacher(teacher, config_path, run / "from-teacher", docs.train[:50])
        config_path = sourced_config(config_path, start, run / "config-from-teacher.cfg")
    history = train_on_files(config_path, run, run / "train.spacy", run / "dev.spacy",
                             run / "training_log.jsonl", overrides=overrides, stdout=stdout)
    best = best_evaluation(history)
    result = TrainResult(run / "model-best", int(best["step"]), float(best["score"]),
                         int(history[-1]["step"]) if history else 0, len(docs.train), len(docs.dev), history)
    with_grit = any(s.source.startswith("nergrit/") for s in data.train)
    chosen_on = "the teacher's labels of the dev splits and of held-out silver" if teacher_dev else "gold dev splits"
    package(result.path, output, {
        "protocol": "distilled: gold train (" + ("teacher-relabelled" if relabel else "gold labels")
                    + f") + the teacher's labels of nlp-id's kumparan sentences, early-stopped on {chosen_on}"
                    + "; the best dev checkpoint ships",
        "teacher": str(teacher.meta.get("name")) + " " + str(teacher.meta.get("version")),
        "best_step": result.best_step, "dev_f": result.best_score, "steps": result.steps,
        "gold_sentences": docs.gold_sentences, "silver_sentences": docs.silver_sentences,
        "silver_entities": docs.silver_entities, "silver_dropped": docs.silver_dropped, "relabel": relabel,
        "teacher_dev": teacher_dev, "from_teacher": from_teacher,
        "windows": windows,
        "relabelled_changed": docs.relabelled, "silver_seed": seed, "dev_sentences": len(docs.dev),
    }, nergrit=with_grit, extra_sources=[POS_SOURCE])
    return TrainResult(output, result.best_step, result.best_score, result.steps, len(docs.train), len(docs.dev),
                       history)
