"""Speed of the shipped NER model, alone and after the whole extraction pipeline, on one core.

    python bench/bench_ner.py [--count N]

Words are whitespace-separated words of the clean article bodies (the seeds, varied as in the other benchmarks).
"pipeline + model" is ``pantau.pipeline.process`` followed by ``model_entities`` on the article's body: the cost
the pipeline has once the entity extractor calls the model. CPU seconds are reported beside wall-clock seconds,
since the machine is shared.

Goals (issue 8): the model >= 10,000 words/s; the pipeline with the model >= 50 articles/s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _corpus import text_corpus
from pantau.ingest.document import Document
from pantau.ner.model import load_model, model_entities
from pantau.pipeline import process


def _timed(fn, items):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    results = [fn(item) for item in items]
    return results, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    started = time.perf_counter()
    load_model()
    print(f"model load: {time.perf_counter() - started:.2f} s")
    texts = text_corpus(args.count)
    process(Document(id="warm", source="bench", text=texts[0]))
    documents = [Document(id=str(i), source="bench", text=text) for i, text in enumerate(texts)]
    articles, pipe_wall, pipe_cpu = _timed(process, documents)
    bodies = [article.body for article in articles]
    words = sum(len(body.split()) for body in bodies)
    model_entities(bodies[0])
    found, model_wall, model_cpu = _timed(model_entities, bodies)
    entities = sum(len(spans) for spans in found)
    print(f"model: {len(bodies)} articles, {words} words, {entities} entities in {model_wall:.2f} s "
          f"({model_cpu:.2f} s CPU) = {words / model_wall:,.0f} words/s ({words / model_cpu:,.0f} per CPU second)")
    total_wall, total_cpu = pipe_wall + model_wall, pipe_cpu + model_cpu
    print(f"pipeline alone: {len(bodies) / pipe_wall:.1f} articles/s ({len(bodies) / pipe_cpu:.1f} per CPU second)")
    print(f"pipeline + model: {len(bodies) / total_wall:.1f} articles/s ({len(bodies) / total_cpu:.1f} per CPU second)")
    rate, articles_rate = words / model_cpu, len(bodies) / total_cpu
    print(f"goal >= 10,000 words/s: {'met' if rate >= 10_000 else 'NOT met'}; "
          f"goal >= 50 articles/s with the model: {'met' if articles_rate >= 50 else 'NOT met'}")


if __name__ == "__main__":
    main()
