"""spaCy's training loop on ``.spacy`` files: the step NER training (:mod:`pantau.ner.train`) and tok2vec
pre-training (:mod:`pantau.ner.pretrain`) both run, apart from either so that neither imports the other's
module for it.

Training runs on thinc's CPU ops with numpy's BLAS (:func:`pantau.ner.model.cpu_ops`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import spacy
from spacy.language import Language

from pantau.ner.model import cpu_ops


def blank() -> Language:
    """The pipeline's tokenizer: the same multi-language tokenizer as ``pantau.extract.lexicon``."""
    return spacy.blank("xx")


def train_on_files(config_path: Path, output: Path, train: Path, dev: Path, log_file: Path, *,
                   overrides: Mapping[str, Any] | None = None, stdout: IO[str] | None = None) -> list[dict[str, Any]]:
    """spaCy's training loop on ``.spacy`` files into ``output`` (``model-best``, ``model-last``); the evaluations.

    Checkpoints and the log of an earlier run in ``output`` are removed first; the log (one line per evaluation)
    goes to ``log_file`` and is returned parsed.
    """
    for stale in (output / "model-best", output / "model-last", log_file):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    settings: dict[str, Any] = {"paths.train": str(train), "paths.dev": str(dev),
                                "training.logger.output_file": str(log_file)}
    if stdout is None:
        settings["training.logger.console_output"] = False
    settings.update(overrides or {})
    _run_spacy_training(config_path, output, settings, stdout)
    return [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines() if line.strip()]


def best_evaluation(history: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The evaluation with the best score (the earliest of equals): the one ``model-best`` holds."""
    return max(history, key=lambda row: (row["score"], -row["step"])) if history else {"step": 0, "score": 0.0}


def _run_spacy_training(config_path: Path, output: Path, overrides: Mapping[str, Any],
                        stdout: IO[str] | None) -> None:
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as spacy_train
    from spacy.util import load_config

    config = load_config(config_path, overrides=dict(overrides), interpolate=False)
    sink = stdout if stdout is not None else open(os.devnull, "w")  # noqa: SIM115
    try:
        quiet = stdout is None
        logger = logging.getLogger("spacy")
        level = logger.level
        if quiet:
            logger.setLevel(logging.ERROR)
        try:
            with cpu_ops():
                nlp = init_nlp(config, use_gpu=-1)
                spacy_train(nlp, output, use_gpu=-1, stdout=sink, stderr=sink if quiet else sys.stderr)
        finally:
            logger.setLevel(level)
    finally:
        if stdout is None:
            sink.close()
