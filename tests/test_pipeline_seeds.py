"""The founding articles: every metadata and body check of the gold file holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.evaluate import doc_key, evaluate, load_gold
from pantau.ingest import read_inputs
from pantau.pipeline import process_all
from pantau.record import Article

FOUNDATION_FIELDS = ("title", "outlet", "dateline", "date", "body_must_include", "body_must_exclude")


@pytest.fixture(scope="module")
def seed_articles(seed_paths: list[Path]) -> dict[str, Article]:
    items = list(process_all(read_inputs([str(p) for p in seed_paths])))
    assert all(isinstance(i, Article) for i in items)
    return {doc_key(a.id): a for a in items if isinstance(a, Article)}


def test_every_foundation_check_of_the_seeds_passes(seed_articles: dict[str, Article], gold_path: Path) -> None:
    report = evaluate(load_gold(gold_path), seed_articles)
    assert not report.missing_documents
    for name in FOUNDATION_FIELDS:
        score = report.scores[name]
        failures = [f for f in report.failures if f.field == name]
        assert score.total > 0 and score.correct == score.total, failures


def test_seed_bodies_keep_every_story_paragraph_in_order(seed_articles: dict[str, Article]) -> None:
    body = seed_articles["004_08796327ddaf0306"].body
    paragraphs = body.split("\n\n")
    assert paragraphs[0].startswith("Kapolres Banyuasin, AKBP Rury Prastowo, menegaskan")
    assert paragraphs[-1].startswith("Dengan semangat dan komitmen yang kuat")
    assert len(paragraphs) == 11
    assert body.index("Pada 2023, tercatat 121 kasus") < body.index("Sepanjang tahun ini")


def test_seed_records_are_indonesian_with_no_title_when_the_text_opens_with_the_lead(
        seed_articles: dict[str, Article]) -> None:
    assert {a.language for a in seed_articles.values()} == {"id"}
    lead_only = seed_articles["001_daf840c5136c6c10"]
    assert lead_only.title is None
    assert lead_only.body.startswith("Kepala Badan Narkotika Nasional (BNN) Provinsi NTT")
