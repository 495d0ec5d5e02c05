"""``pantau train-ner`` and ``pantau eval-ner``: added to the main app by :func:`register`."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

err = Console(stderr=True)
out = Console()


class Corpus(StrEnum):
    nerui = "nerui"
    idner = "idner"
    nerp = "nerp"


CorporaOption = Annotated[Path | None, typer.Option(
    "--corpora", help="Folder of the NER corpora (default: $PANTAU_NER_CORPORA, else ../shared/corpora/ner).")]
MaxSteps = Annotated[int | None, typer.Option("--max-steps", help="Override training.max_steps.")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="spaCy training config "
                                                   "(default: the package's pantau/ner/config.cfg).")]
PosCorpusOption = Annotated[Path | None, typer.Option(
    "--pos-corpus", help="Pre-train the tok2vec as a POS tagger on nlp-id's corpus first (measured, not adopted: "
    "docs/ner.md): its dataset_postag.txt, the nlp-id wheel (pip download --no-deps nlp-id) or an installed nlp_id "
    "package folder.")]
InitTok2VecOption = Annotated[Path | None, typer.Option(
    "--init-tok2vec", help="Start from tok2vec weights pre-trained before (the tok2vec.bin of an earlier --work).")]
PretrainStepsOption = Annotated[int | None, typer.Option("--pretrain-steps", help="Steps of POS pre-training.")]
SilverOption = Annotated[Path | None, typer.Option(
    "--silver", help="Distil: add nlp-id's POS corpus (dataset_postag.txt, the nlp-id wheel or package folder), "
    "tagged by the teacher, to the training data (src/pantau/ner/distill.py; docs/ner.md).")]


def _root(corpora: Path | None) -> Path:
    from pantau.ner.corpora import default_root

    root = corpora or default_root()
    if not root.is_dir():
        err.print(f"[red]error:[/] no corpora folder at {root} (use --corpora or $PANTAU_NER_CORPORA)")
        raise typer.Exit(2)
    return root


def _overrides(max_steps: int | None) -> dict[str, Any]:
    return {"training.max_steps": max_steps} if max_steps else {}


def _pretraining(pos_corpus: Path | None, init_tok2vec: Path | None) -> tuple[Path | None, Path | None]:
    """(POS corpus to pre-train on, weights to start from), each checked; at most one is given."""
    if pos_corpus is not None and init_tok2vec is not None:
        err.print("[red]error:[/] --pos-corpus and --init-tok2vec: give one of them")
        raise typer.Exit(2)
    for path, what in ((pos_corpus, "POS corpus"), (init_tok2vec, "tok2vec weights")):
        if path is not None and not path.exists():
            err.print(f"[red]error:[/] no {what} at {path}"
                      + (" (get nlp-id's with `pip download --no-deps nlp-id -d DIR`)" if path is pos_corpus else ""))
            raise typer.Exit(2)
    return pos_corpus, init_tok2vec


def train_ner(
    corpora: CorporaOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Model directory to write "
                                                "(default: the package's pantau/ner/model).")] = None,
    work: Annotated[Path | None, typer.Option("--work", help="Folder for training files and checkpoints.")] = None,
    max_steps: MaxSteps = None,
    config: ConfigOption = None,
    rank_rate: Annotated[float | None, typer.Option("--rank-rate", help="Share of the sentences naming a person "
                                                    "that get a copy with a rank before the name.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No training table.")] = False,
    pos_corpus: PosCorpusOption = None,
    init_tok2vec: InitTok2VecOption = None,
    pretrain_steps: PretrainStepsOption = None,
    silver: SilverOption = None,
    teacher: Annotated[Path | None, typer.Option("--teacher", help="With --silver: the teacher pipeline "
                                                 "(default: the shipped model).")] = None,
    relabel: Annotated[bool, typer.Option("--relabel", help="With --silver: the gold training sentences carry the "
                                          "teacher's entities too.")] = False,
    silver_count: Annotated[int | None, typer.Option("--silver-count", help="With --silver: at most this many "
                                                     "silver sentences (a seeded sample).")] = None,
    teacher_dev: Annotated[int | None, typer.Option("--teacher-dev", help="With --silver: choose the checkpoint on "
                                                    "agreement with the teacher: the dev splits with its labels, "
                                                    "and this many silver sentences held out.")] = None,
    from_teacher: Annotated[bool, typer.Option("--from-teacher", help="With --silver: start from the teacher's "
                                               "embedding, first CNN layers and NER (the same width).")] = False,
    windows: Annotated[bool, typer.Option("--windows", help="With --silver: add the windows the default pipeline "
                                          "hands the model, cut from the silver text.")] = False,
    seed: Annotated[int | None, typer.Option("--seed", help="Override system.seed (and the silver sample's seed).")
                    ] = None,
) -> None:
    """Train the shipped PER/ORG/LOC model on idner-news-2k (MIT) and NERGrit (Apache-2.0/MIT) train splits,
    early-stopped on their dev splits; with --silver, a student of the shipped model (distillation)."""
    from pantau.ner.train import CONFIG_PATH, RANK_RATE, SHIPPED_DIR, train_shipped

    root = _root(corpora)
    corpus, weights = _pretraining(pos_corpus, init_tok2vec)
    target = output or SHIPPED_DIR
    overrides = {**_overrides(max_steps), **({"system.seed": seed} if seed is not None else {})}
    start = time.perf_counter()
    if silver is not None:
        if corpus is not None or weights is not None or rank_rate is not None:
            err.print("[red]error:[/] --silver trains without --pos-corpus, --init-tok2vec or --rank-rate")
            raise typer.Exit(2)
        result = _distil(root, silver, target, work, teacher=teacher, relabel=relabel, limit=silver_count,
                         teacher_dev=teacher_dev, from_teacher=from_teacher, windows=windows,
                         seed=seed or 0,
                         config=config or CONFIG_PATH, overrides=overrides,
                         stdout=None if quiet else sys.stderr)
    else:
        result = train_shipped(root, target, work, overrides=overrides, stdout=None if quiet else sys.stderr,
                               config_path=config or CONFIG_PATH,
                               rank_rate=RANK_RATE if rank_rate is None else rank_rate, pos_corpus=corpus,
                               init_tok2vec=weights, pretrain_overrides=_overrides(pretrain_steps))
    err.print(f"best dev F1 {result.best_score:.4f} at step {result.best_step} (shipped) of {result.steps}, "
              f"{result.train_sentences} training sentences, in {time.perf_counter() - start:.0f} s -> {target}")


def _distil(root: Path, silver: Path, target: Path, work: Path | None, *, teacher: Path | None, relabel: bool,
            limit: int | None, teacher_dev: int | None, from_teacher: bool, windows: bool, seed: int,
            config: Path,
            overrides: dict[str, Any], stdout: Any) -> Any:
    """``train-ner --silver``: its paths checked, then :func:`pantau.ner.distill.train_distilled`."""
    from pantau.ner.distill import train_distilled
    from pantau.ner.model import MODEL_DIR

    for path, what in ((silver, "silver corpus"), (teacher or MODEL_DIR, "teacher model")):
        if not path.exists():
            err.print(f"[red]error:[/] no {what} at {path}")
            raise typer.Exit(2)
    if target.resolve() == (teacher or MODEL_DIR).resolve():
        err.print("[red]error:[/] the student would overwrite its teacher: give --output (or --teacher)")
        raise typer.Exit(2)
    return train_distilled(root, silver, target, work or Path(tempfile.mkdtemp(prefix="pantau-distil-")),
                           teacher_dir=teacher, relabel=relabel, limit=limit, teacher_dev=teacher_dev,
                           from_teacher=from_teacher, windows=windows, seed=seed, config_path=config,
                           overrides=overrides, stdout=stdout)


def eval_ner(
    corpus: Annotated[Corpus, typer.Argument(help="nerui: IndoLEM NER UI, 5 folds, a model trained per fold; "
                                                  "idner: idner-news-2k test, the shipped model; "
                                                  "nerp: IndoNLU NERP test, a model trained on NERP train.")],
    corpora: CorporaOption = None,
    model: Annotated[Path | None, typer.Option("--model", help="Score this pipeline instead of training "
                                               "(idner: default the shipped model).")] = None,
    work: Annotated[Path | None, typer.Option("--work", help="Folder for the per-fold models (kept).")] = None,
    reuse: Annotated[bool, typer.Option("--reuse", help="Reuse a fold model already trained in --work.")] = False,
    folds: Annotated[str, typer.Option("--folds", help="NER UI folds, comma-separated.")] = "1,2,3,4,5",
    rules: Annotated[bool, typer.Option("--rules", help="Also score the rule-only baseline.")] = False,
    max_steps: MaxSteps = None,
    config: ConfigOption = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the scores as JSON here.")] = None,
    extra: Annotated[str, typer.Option("--extra", help="nerui: extra training data for every fold model: "
                                       "'idner' (all of idner-news-2k, MIT, deduplicated), or '' for none.")] = "",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No training table.")] = False,
    pos_corpus: PosCorpusOption = None,
    init_tok2vec: InitTok2VecOption = None,
    pretrain_steps: PretrainStepsOption = None,
) -> None:
    """Entity-level P/R/F1 (exact span and label, seqeval-style) on a public Indonesian NER test set.

    With --pos-corpus the tok2vec is pre-trained once as a POS tagger (every evaluation sentence left out) and
    each model trained here starts from it.
    """
    from pantau.ner.corpora import FOLDS
    from pantau.ner.evaluate import evaluate, model_predictor, rule_predictor
    from pantau.ner.pretrain import WEIGHTS_FILE
    from pantau.ner.train import (
        CONFIG_PATH,
        Split,
        idner_all,
        idner_split,
        nerp_split,
        nerui_fold,
        pretrained_tok2vec,
        train_model,
        with_extra,
    )

    root = _root(corpora)
    work = work or Path(tempfile.mkdtemp(prefix="pantau-ner-eval-"))
    stdout = None if quiet else sys.stderr
    results: dict[str, Any] = {"corpus": corpus.value, "extra": extra, "runs": []}
    if extra not in ("", "idner") or (extra and corpus is not Corpus.nerui):
        err.print(f"[red]error:[/] --extra {extra!r}: only 'idner', and only for nerui")
        raise typer.Exit(2)
    trains = model is None and corpus is not Corpus.idner
    pos, weights = _pretraining(pos_corpus, init_tok2vec) if trains else (None, None)
    if pos is not None:
        weights = work / "pos" / WEIGHTS_FILE
        if not (reuse and weights.is_file()):
            weights = pretrained_tok2vec(root, pos, work / "pos", config_path=config or CONFIG_PATH,
                                         overrides=_overrides(pretrain_steps), stdout=stdout)
    results["pretrained_tok2vec"] = weights is not None

    def run(name: str, split: Split) -> None:
        entry: dict[str, Any] = {"name": name, "train": len(split.train), "dev": len(split.dev),
                                 "test": len(split.test), "dropped_duplicates": split.dropped}
        if model is not None:
            path = model
        elif corpus is Corpus.idner:
            from pantau.ner.model import MODEL_DIR

            path = MODEL_DIR
        else:
            path = work / name / "model-best"
            if not (reuse and path.is_dir()):
                started = time.perf_counter()
                trained = train_model(split.train, split.dev, work / name, overrides=_overrides(max_steps),
                                      stdout=stdout, config_path=config or CONFIG_PATH, init_tok2vec=weights)
                entry.update(best_step=trained.best_step, dev_f1=round(trained.best_score, 4),
                             train_seconds=round(time.perf_counter() - started))
        entry["model"] = str(path)
        entry["scores"] = evaluate(model_predictor(path), split.test).as_dict()
        if rules:
            entry["rules"] = evaluate(rule_predictor, split.test).as_dict()
        results["runs"].append(entry)
        _print_run(entry)

    if corpus is Corpus.nerui:
        for fold in (int(f) for f in folds.split(",") if f.strip()):
            if fold not in FOLDS:
                err.print(f"[red]error:[/] no fold {fold}")
                raise typer.Exit(2)
            split = nerui_fold(root, fold)
            run(f"nerui-fold{fold}", with_extra(split, idner_all(root)) if extra else split)
    elif corpus is Corpus.idner:
        run("idner-test", idner_split(root))
    else:
        run("nerp-test", nerp_split(root, native=True))

    runs = results["runs"]
    results["mean_f1"] = round(sum(r["scores"]["f1"] for r in runs) / len(runs), 4)
    if rules:
        results["rules_mean_f1"] = round(sum(r["rules"]["f1"] for r in runs) / len(runs), 4)
    _print_summary(runs, rules)
    if json_out is not None:
        json_out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _print_run(entry: dict[str, Any]) -> None:
    scores = entry["scores"]
    err.print(f"{entry['name']}: P {scores['precision']:.4f} R {scores['recall']:.4f} F1 {scores['f1']:.4f}"
              + (f" (rules F1 {entry['rules']['f1']:.4f})" if "rules" in entry else ""))


def _print_summary(runs: list[dict[str, Any]], rules: bool) -> None:
    table = Table(title="entity-level scores (exact span and label)")
    labels = sorted({label for r in runs for label in r["scores"]["by_label"]})
    for column in ("run", "P", "R", "F1", *(["rules F1"] if rules else []), *labels):
        table.add_column(column, justify="left" if column == "run" else "right")
    for entry in runs:
        s = entry["scores"]
        per_label = [f"{s['by_label'][label]['f1'] * 100:.1f}" if label in s["by_label"] else "" for label in labels]
        table.add_row(entry["name"], f"{s['precision'] * 100:.1f}", f"{s['recall'] * 100:.1f}", f"{s['f1'] * 100:.1f}",
                      *([f"{entry['rules']['f1'] * 100:.1f}"] if rules else []), *per_label)
    if len(runs) > 1:
        mean = sum(r["scores"]["f1"] for r in runs) / len(runs)
        rule_mean = [f"{sum(r['rules']['f1'] for r in runs) / len(runs) * 100:.1f}"] if rules else []
        table.add_row("mean", "", "", f"{mean * 100:.1f}", *rule_mean)
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``train-ner`` and ``eval-ner`` to ``app``."""
    app.command(name="train-ner")(train_ner)
    app.command(name="eval-ner")(eval_ner)

