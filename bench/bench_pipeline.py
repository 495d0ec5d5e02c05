"""The whole extraction pipeline (cleaning, metadata, entities with the NER model, facts, topics) on one core.

    python bench/bench_pipeline.py [--count N] [--jsonl ../shared/corpora/news-more/articles.jsonl] [--rounds 3]

Runs the default configuration (the NER model on) and, for comparison, the rules alone
(``PANTAU_NER_MODEL=0``), interleaved round by round, pinned to one core with one BLAS thread. Without
``--jsonl`` the corpus is the bundled seed articles, varied. Goal (accuracy issue): >= 100 articles/s on one core
on news-more in the default configuration.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # one core: no BLAS thread pool competing with the measurement

sys.path.insert(0, os.path.dirname(__file__))
# imported after the BLAS settings above: numpy reads them when it is first imported
from _corpus import text_corpus  # noqa: E402
from pantau.ingest.document import Document  # noqa: E402
from pantau.pipeline import process  # noqa: E402

GOAL = 100.0


def _documents(args: argparse.Namespace) -> list[Document]:
    if args.jsonl:
        with open(args.jsonl, encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()][:args.count]
        return [Document(id=str(r.get("id", i)), source="bench", text=r.get("text") or "",
                         title=r.get("title") or None) for i, r in enumerate(rows)]
    return [Document(id=str(i), source="bench", text=text) for i, text in enumerate(text_corpus(args.count))]


def _rate(documents: list[Document], model: bool) -> float:
    os.environ["PANTAU_NER_MODEL"] = "1" if model else "0"
    start = time.perf_counter()
    for document in documents:
        process(document)
    return len(documents) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jsonl", help="a JSON Lines corpus (text, title) instead of the bundled seeds")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    documents = _documents(args)
    start = time.perf_counter()
    _rate(documents[:1], model=True)  # vocabularies, lexicon, language model, NER model
    print(f"first article (vocabularies, lexicon, language and NER models): {time.perf_counter() - start:.2f} s")
    rates: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for model in (True, False):
            rates[model].append(_rate(documents, model))
    for model, label in ((True, "default (NER model on)"), (False, "rules only (PANTAU_NER_MODEL=0)")):
        values = ", ".join(f"{r:.1f}" for r in rates[model])
        print(f"{label}: {len(documents)} articles, median {statistics.median(rates[model]):.1f} articles/s "
              f"on one core (rounds: {values})")
    met = statistics.median(rates[True]) >= GOAL
    print(f"goal >= {GOAL:.0f} articles/s in the default configuration: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
