"""Speed of the shipped NER model, alone and inside the whole extraction pipeline, on one core.

    python bench/bench_ner.py [--count N] [--jsonl ARTICLES.jsonl] [--rounds R]
    python bench/bench_ner.py --compare MODEL_DIR [MODEL_DIR ...] [--jsonl ARTICLES.jsonl] [--count N] [--rounds R]

The articles are the bundled seeds, varied as in the other benchmarks (police news), or with ``--jsonl`` the
``text`` of each line of a JSONL file (for instance ../shared/corpora/news-dev/articles.jsonl, general news),
repeated up to ``--count``. Words are the whitespace-separated words of the clean article bodies.

- "model alone": ``model_entities`` on every body, whole (every line tagged): the model's own speed.
- "pipeline": ``pantau.pipeline.process`` with the model off, then with ``PANTAU_NER_MODEL=1``; the second is
  what ingest does with the model on (the entity extractor tags only the sentences where the model can add
  something, in one batch per article).

``--compare``: the model's own cost in the pipeline, for the shipped model and each other trained pipeline given
(``pantau train-ner --output DIR``). The default pipeline runs once over the articles with the shipped model and
the sentence windows it hands to ``pantau.ner.model.tag_pieces`` are kept (per article, one batch); each model
then tags exactly those batches, in interleaved rounds, and the CPU milliseconds per article are reported (the
"entities: NER model" line of bench/bench_pipeline.py, for any model), with the number of articles whose spans
equal the shipped model's.

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


Batch = list[tuple[list[str], list[bool]] | str]  # one article's pieces: a Doc's words and spaces, or a text


def _pipeline_batches(documents: list[Document]) -> list[Batch]:
    """The batches the default pipeline hands the shipped model, one per article that has any."""
    from pantau.ner import model as ner_model

    batches: list[Batch] = []
    tag = ner_model.tag_pieces

    def record(pieces: Sequence[Any]) -> list[list[tuple[int, int, str]]]:
        if pieces:
            batches.append([p if isinstance(p, str) else ([t.text for t in p], [bool(t.whitespace_) for t in p])
                            for p in pieces])
        return tag(pieces)

    previous = os.environ.get("PANTAU_NER_MODEL")
    os.environ["PANTAU_NER_MODEL"] = "1"
    ner_model.tag_pieces = record  # type: ignore[assignment]
    try:
        for document in documents:
            process(document)
    finally:
        ner_model.tag_pieces = tag  # type: ignore[assignment]
        if previous is None:
            os.environ.pop("PANTAU_NER_MODEL", None)
        else:
            os.environ["PANTAU_NER_MODEL"] = previous
    return batches


def _tag_batches(nlp: Any, batches: list[Batch]) -> tuple[list[Any], float]:
    """Each batch tagged as ``tag_pieces`` tags it (Docs made on the model's vocabulary): spans, CPU seconds."""
    from spacy.tokens import Doc

    cpu = time.process_time()
    found = []
    for batch in batches:
        docs = [p if isinstance(p, str) else Doc(nlp.vocab, words=p[0], spaces=p[1]) for p in batch]
        found.append([[(e.start_char, e.end_char, e.label_) for e in doc.ents]
                      for doc in nlp.pipe(docs, batch_size=64)])
    return found, time.process_time() - cpu


def compare(documents: list[Document], models: list[Path], rounds: int) -> None:
    """CPU ms per article of the shipped model and of each of ``models`` on the pipeline's own batches."""
    import spacy

    from pantau.ner.model import MODEL_DIR, cpu_ops

    batches = _pipeline_batches(documents)
    pieces = sum(len(b) for b in batches)
    print(f"{len(documents)} articles: {len(batches)} batches to the model, {pieces} pieces, "
          f"{sum(len(p[0]) if not isinstance(p, str) else len(p.split()) for b in batches for p in b)} tokens")
    paths = [MODEL_DIR, *models]
    nlps = []
    for path in paths:
        with cpu_ops():
            nlps.append(spacy.load(path))
    for nlp in nlps:
        _tag_batches(nlp, batches[:20])  # warm
    seconds: list[list[float]] = [[] for _ in paths]
    spans: list[list[Any]] = [[] for _ in paths]
    for _ in range(rounds):
        for i, nlp in enumerate(nlps):  # interleaved: a load change hits every model alike
            spans[i], cpu = _tag_batches(nlp, batches)
            seconds[i].append(cpu)
    base = sorted(seconds[0])[len(seconds[0]) // 2]
    for i, path in enumerate(paths):
        median = sorted(seconds[i])[len(seconds[i]) // 2]
        same = sum(a == b for a, b in zip(spans[0], spans[i], strict=True))
        print(f"{path}: {1000 * median / len(documents):.3f} ms of CPU an article "
              f"(rounds {', '.join(f'{1000 * s / len(documents):.3f}' for s in seconds[i])}; "
              f"{median / base:.2f}x the shipped model); spans equal to the shipped model's in "
              f"{same}/{len(batches)} batches")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--jsonl", type=Path, default=None, help="articles to use instead of the seeds")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each measurement (median reported)")
    parser.add_argument("--compare", type=Path, nargs="+", default=None, metavar="MODEL_DIR",
                        help="the model's CPU time per article in the pipeline: the shipped model against these")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    if args.compare:
        if args.jsonl is not None:  # the articles as they are, once each (no repeats, no added line)
            rows = [json.loads(line) for line in args.jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
            documents = [Document(id=str(i), source="bench", text=r.get("text") or "", title=r.get("title") or None)
                         for i, r in enumerate(rows[:args.count])]
        else:
            documents = [Document(id=str(i), source="bench", text=t) for i, t in enumerate(text_corpus(args.count))]
        compare(documents, args.compare, max(1, args.rounds))
        return
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
