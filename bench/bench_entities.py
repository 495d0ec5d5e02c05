"""Entity stage speed (people, organisations, places) on one core.

    python bench/bench_entities.py [--count N]

Goal (issue 3): >= 300 articles/s on one core, after the one-off lexicon build.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _corpus import text_corpus
from pantau.clean import clean_text
from pantau.extract.entities import extract_entities
from pantau.extract.lexicon import lexicon


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    start = time.perf_counter()
    lexicon()
    build = time.perf_counter() - start
    bodies = [clean_text(text) for text in text_corpus(args.count)]
    extract_entities(bodies[0].body, bodies[0].dateline)
    start = time.perf_counter()
    people = 0
    for clean in bodies:
        people += len(extract_entities(clean.body, clean.dateline).people)
    elapsed = time.perf_counter() - start
    rate = len(bodies) / elapsed
    print(f"lexicon build (once per process): {build:.2f} s")
    print(f"entities: {len(bodies)} articles in {elapsed:.2f} s = {rate:.1f} articles/s on one core "
          f"({people} people)")
    print(f"goal >= 300 articles/s: {'met' if rate >= 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
