"""The bundled demo corpus (src/pantau/data/demo): reproducible, well-formed, with its planned alert situations,
and read by pantau as its generator meant (on a deterministic sample)."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = resources.files("pantau.data").joinpath("demo")
SAMPLE_SIZE = 20


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_demo_corpus", ROOT / "tools" / "build_demo_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _generator()


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    text = DEMO.joinpath("articles.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def truth() -> dict[str, Any]:
    return json.loads(DEMO.joinpath("truth.json").read_text(encoding="utf-8"))


def test_committed_corpus_is_what_the_generator_writes(generator: ModuleType, tmp_path: Path) -> None:
    generator.build(tmp_path)
    for name in ("articles.jsonl", "truth.json"):
        assert (tmp_path / name).read_bytes() == DEMO.joinpath(name).read_bytes(), \
            f"{name} differs from the generator's output: run python tools/build_demo_corpus.py"


def test_articles_are_well_formed(articles: list[dict[str, Any]], truth: dict[str, Any]) -> None:
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids))
    assert 300 <= len(articles) <= 450
    start, end = date.fromisoformat(truth["range"]["start"]), date.fromisoformat(truth["range"]["end"])
    assert (end - start).days >= 400
    outlets = {o["name"]: o["domain"] for o in truth["outlets"]}
    assert 6 <= len(outlets) <= 8
    for article in articles:
        assert set(article) == {"id", "url", "outlet", "published", "title", "text"}
        assert start <= date.fromisoformat(article["published"]) <= end
        assert article["url"].startswith(f"https://{outlets[article['outlet']]}/")
        assert article["title"] and len(article["text"]) > 300
    assert len(DEMO.joinpath("articles.jsonl").read_bytes()) < 1_000_000
    assert set(truth["documents"]) == set(ids)


def test_corpus_spreads_over_the_country(truth: dict[str, Any]) -> None:
    incidents = truth["incidents"].values()
    assert len({i["province"] for i in incidents}) >= 12
    assert len({i["regency"] for i in incidents}) >= 25
    assert {i["kind"] for i in incidents} >= {"bust", "raid", "destruction", "prison", "clash", "viral"}
    kinds = Counter(d["kind"] for d in truth["documents"].values())
    assert kinds["follow_up"] >= 3 and kinds["statement"] >= 3
    assert truth["hard_negatives"], "no two busts of one substance in one province within a week"
    for a, b in truth["hard_negatives"]:
        assert truth["incidents"][a]["province"] == truth["incidents"][b]["province"]


def _week(day: str) -> date:
    d = date.fromisoformat(day)
    return d - timedelta(days=d.weekday())


def test_planned_situations(truth: dict[str, Any]) -> None:
    situations = truth["situations"]
    assert {s["type"] for s in situations} == {"spike", "new_ground", "viral", "record_seizure"}
    incidents = truth["incidents"]
    start = date.fromisoformat(truth["range"]["start"])

    spike = next(s for s in situations if s["type"] == "spike")
    weekly = Counter(_week(i["date"]) for i in incidents.values() if i["regency"] == spike["region"] and i["narkoba"])
    first = min(date.fromisoformat(w) for w in spike["weeks"])
    usual = sum(weekly[first - timedelta(weeks=k)] for k in range(1, 27)) / 26
    assert 0 < usual < 1, "the spike needs a steady background history"
    for week in spike["weeks"]:
        assert weekly[date.fromisoformat(week)] >= max(3, 3 * usual)

    for ground in (s for s in situations if s["type"] == "new_ground"):
        incident = incidents[ground["incident"]]
        assert (date.fromisoformat(incident["date"]) - start).days >= 365
        earlier = [i for key, i in incidents.items() if key != ground["incident"] and i["regency"] == ground["region"]
                   and i["kind"] == incident["kind"] and i["date"] < incident["date"]]
        assert not earlier

    viral = next(s for s in situations if s["type"] == "viral")
    reports = viral["articles"]
    days = {truth["documents"][d]["published"] for d in reports}
    assert len(reports) >= 6 and len(days) <= 2
    others = [len(i["articles"]) for key, i in incidents.items() if i["kind"] == "viral" and key != viral["incident"]]
    assert others and len(reports) > 2 * max(others)

    record = next(s for s in situations if s["type"] == "record_seizure")
    other_amounts = [s["quantity"] for key, i in incidents.items() if key != record["incident"]
                     for s in i["seizures"] if s["substance"] == record["substance"] and s["unit"] == record["unit"]]
    assert record["quantity"] >= 10 * max(other_amounts)


def test_no_text_of_the_bundled_samples(articles: list[dict[str, Any]]) -> None:
    """The corpus is written for the project: no run of eight words of the old samples is in it."""
    corpus = " ".join(" ".join(re.findall(r"\w+", a["text"].lower())) for a in articles)
    samples = resources.files("pantau.data").joinpath("samples")
    for sample in samples.iterdir():
        words = re.findall(r"\w+", sample.read_text(encoding="utf-8").lower())
        for i in range(0, max(0, len(words) - 8), 4):
            assert " ".join(words[i:i + 8]) not in corpus


def test_sample_extracts_as_meant(generator: ModuleType, articles: list[dict[str, Any]],
                                  truth: dict[str, Any], tmp_path: Path) -> None:
    from pantau.ingest.readers import read_inputs
    from pantau.pipeline import process_all

    step = len(articles) // SAMPLE_SIZE
    sample = articles[::step][:SAMPLE_SIZE]
    path = tmp_path / "sample.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in sample), encoding="utf-8")
    records = {a.id: json.loads(a.to_json()) for a in process_all(read_inputs([str(path)]))}
    assert set(records) == {a["id"] for a in sample}
    agree: Counter[str] = Counter()
    for doc_id, record in records.items():
        flags = generator.agreement(truth["documents"][doc_id], record)
        agree.update(k for k, ok in flags.items() if ok)
    for field in ("seizures", "provinces", "people"):
        assert agree[field] >= 0.9 * len(sample), f"{field}: {agree[field]}/{len(sample)} agree with truth.json"
