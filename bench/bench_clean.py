"""Cleaning + metadata speed on one core: scraped text, HTML, and bare trafilatura side by side.

    python bench/bench_clean.py [--count N]

Goals (issue 2): text >= 500 articles/s; HTML within 1.5x of bare ``trafilatura.extract``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

import trafilatura

sys.path.insert(0, os.path.dirname(__file__))
from _corpus import html_corpus, text_corpus
from pantau.ingest.document import Document
from pantau.pipeline import prepare


def rate(label: str, items: list[str], work: Callable[[int, str], object]) -> float:
    work(0, items[0])  # warm caches (vocabularies, language model) outside the timing
    start = time.perf_counter()
    for index, item in enumerate(items):
        work(index, item)
    elapsed = time.perf_counter() - start
    per_second = len(items) / elapsed
    print(f"{label:<44} {len(items):>6} articles {elapsed:8.2f} s {per_second:10.1f} articles/s")
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    texts = text_corpus(args.count)
    pages = html_corpus(max(args.count // 4, 50))
    print(f"pantau cleaning + metadata benchmark, one core, Python {sys.version.split()[0]}")
    text_rate = rate("text: clean + metadata (pantau prepare)", texts,
                     lambda i, t: prepare(Document(id=str(i), source="bench", text=t)))
    bare = rate("html: bare trafilatura.extract", pages, lambda i, h: trafilatura.extract(h))
    full = rate("html: pantau prepare (trafilatura + clean)", pages,
                lambda i, h: prepare(Document(id=str(i), source="bench", html=h)))
    print(f"text goal >= 500 articles/s: {'met' if text_rate >= 500 else 'NOT met'} ({text_rate:.0f})")
    ratio = bare / full
    print(f"html time vs bare trafilatura: {ratio:.2f}x (goal <= 1.5x): {'met' if ratio <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
