"""Speed of the shipped NER model, alone and inside the whole extraction pipeline, on one core.

    python bench/bench_ner.py [--count N] [--jsonl ARTICLES.jsonl] [--rounds R]

The articles are the bundled seeds, varied as in the other benchmarks (police news), or with ``--jsonl`` the
``text`` of each line of a JSONL file (for instance ../shared/corpora/news-dev/articles.jsonl, general news),
repeated up to ``--count``. Words are the whitespace-separated words of the clean article bodies.

- "model alone": ``model_entities`` on every body, whole (every line tagged): the model's own speed.
- "pipeline": ``pantau.pipeline.process`` with the model off, then with ``PANTAU_NER_MODEL=1``; the second is
  what ingest does with the model on (the entity extractor tags only the sentences where the model can add
  something, in one batch per article).

CPU seconds are reported beside wall-clock seconds, since the machine is shared; each measurement is run
``--rounds`` times over the same articles (default 3) and the median round is reported with the range; the
goals are read on the median CPU-second rates. Goals (issue 8): the model >= 10,000 words/s; the pipeline
with the model >= 50 articles/s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
from _corpus import text_corpus
from pantau.ingest.document import Document
from pantau.ner.model import load_model, model_entities
from pantau.pipeline import process


def _timed(fn: Callable[[Any], Any], items: Sequence[Any]) -> tuple[list[Any], float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    results = [fn(item) for item in items]
    return results, time.perf_counter() - wall, time.process_time() - cpu


def _texts(count: int, jsonl: Path | None) -> list[str]:
    if jsonl is None:
        return text_corpus(count)
    lines = [json.loads(line)["text"] for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [f"{lines[i % len(lines)]}\n\nCatatan redaksi nomor {i}." for i in range(count)]


def _rounds(fn: Callable[[Any], Any], items: Sequence[Any], rounds: int) -> tuple[list[Any], list[float], list[float]]:
    """``fn`` over ``items`` ``rounds`` times: the results, and the wall and CPU seconds of each round."""
    walls: list[float] = []
    cpus: list[float] = []
    results: list[Any] = []
    for _ in range(rounds):
        results, wall, cpu = _timed(fn, items)
        walls.append(wall)
        cpus.append(cpu)
    return results, walls, cpus


def _rate(amount: float, seconds: list[float]) -> str:
    """``amount`` per second over the rounds: the median round, and the range when there are several."""
    rates = sorted(amount / s for s in seconds)
    median = rates[len(rates) // 2]
    fmt = "{:,.0f}" if amount / max(seconds) >= 1_000 else "{:.1f}"
    span = f" [{fmt.format(rates[0])}-{fmt.format(rates[-1])}]" if len(rates) > 1 else ""
    return fmt.format(median) + span


def _median(amount: float, seconds: list[float]) -> float:
    rates = sorted(amount / s for s in seconds)
    return rates[len(rates) // 2]


def _pipeline(documents: list[Document], model: bool, rounds: int) -> tuple[list[Any], list[float], list[float]]:
    previous = os.environ.get("PANTAU_NER_MODEL")
    os.environ["PANTAU_NER_MODEL"] = "1" if model else "0"
    try:
        process(documents[0])  # warm
        return _rounds(process, documents, rounds)
    finally:
        if previous is None:
            os.environ.pop("PANTAU_NER_MODEL", None)
        else:
            os.environ["PANTAU_NER_MODEL"] = previous


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--jsonl", type=Path, default=None, help="articles to use instead of the seeds")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each measurement (median reported)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    started = time.perf_counter()
    load_model()
    print(f"model load: {time.perf_counter() - started:.2f} s")
    texts = _texts(args.count, args.jsonl)
    documents = [Document(id=str(i), source="bench", text=text) for i, text in enumerate(texts)]
    rounds = max(1, args.rounds)
    articles, pipe_wall, pipe_cpu = _pipeline(documents, model=False, rounds=rounds)
    bodies = [article.body for article in articles]
    n = len(bodies)
    words = sum(len(body.split()) for body in bodies)
    model_entities(bodies[0])
    found, model_wall, model_cpu = _rounds(model_entities, bodies, rounds)
    entities = sum(len(spans) for spans in found)
    print(f"{rounds} rounds each; median [range]")
    print(f"model alone: {n} articles, {words} words, {entities} entities: {_rate(words, model_wall)} words/s "
          f"({_rate(words, model_cpu)} per CPU second)")
    with_model, full_wall, full_cpu = _pipeline(documents, model=True, rounds=rounds)
    added = sum(len(a.people) for a in with_model) - sum(len(a.people) for a in articles)
    print(f"pipeline, model off: {_rate(n, pipe_wall)} articles/s ({_rate(n, pipe_cpu)} per CPU second)")
    print(f"pipeline, model on (PANTAU_NER_MODEL=1): {_rate(n, full_wall)} articles/s "
          f"({_rate(n, full_cpu)} per CPU second); {added} people added by the model")
    rate, articles_rate = _median(words, model_cpu), _median(n, full_cpu)
    print(f"goal >= 10,000 words/s: {'met' if rate >= 10_000 else 'NOT met'}; "
          f"goal >= 50 articles/s with the model: {'met' if articles_rate >= 50 else 'NOT met'} (medians)")


if __name__ == "__main__":
    main()
