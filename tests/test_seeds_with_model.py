"""The founding articles keep person precision and recall 1.0 with the NER model switched on."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.evaluate import doc_key, evaluate, load_gold
from pantau.ingest import read_inputs
from pantau.pipeline import process_all
from pantau.record import Article


def test_seed_people_stay_exact_with_the_model(seed_paths: list[Path], gold_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANTAU_NER_MODEL", "1")
    articles = {doc_key(a.id): a for a in process_all(read_inputs([str(p) for p in seed_paths]))
                if isinstance(a, Article)}
    report = evaluate(load_gold(gold_path), articles)
    people = report.scores["people"]
    assert people.precision == 1.0 and people.recall == 1.0, [f for f in report.failures if f.field == "people"]
    assert report.scores["province_codes"].passed
