"""The whole extraction pipeline (cleaning, metadata, entities, facts, topics) on one core.

    python bench/bench_pipeline.py [--count N]

Goal (issue 4): >= 150 articles/s on one core.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _corpus import text_corpus
from pantau.ingest.document import Document
from pantau.pipeline import process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = text_corpus(args.count)
    start = time.perf_counter()
    process(Document(id="warm", source="bench", text=texts[0]))
    warm = time.perf_counter() - start
    start = time.perf_counter()
    facts = 0
    for index, text in enumerate(texts):
        article = process(Document(id=str(index), source="bench", text=text))
        facts += len(article.people) + len(article.seizures) + len(article.quotes) + len(article.statistics)
    elapsed = time.perf_counter() - start
    rate = len(texts) / elapsed
    print(f"first article (vocabularies, lexicon, language model): {warm:.2f} s")
    print(f"pipeline: {len(texts)} articles in {elapsed:.2f} s = {rate:.1f} articles/s on one core ({facts} facts)")
    print(f"goal >= 150 articles/s: {'met' if rate >= 150 else 'NOT met'}")


if __name__ == "__main__":
    main()
