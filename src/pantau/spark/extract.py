"""Extraction on the executors: the single-machine pipeline per record, plus what grouping needs later.

Each record leaves as one row of :func:`pantau.spark.schema.extracted_columns`: the record, its
MinHash signature and LSH bands (stories), its incident profile (:mod:`pantau.incidents.profile`,
computed here where the record object exists, so the driver never rebuilds records), and its
partition; each partition's tally follows as one more row.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from pantau.incidents.profile import profile_of
from pantau.ingest.document import Document
from pantau.pipeline import BATCH, EmptyArticle, process, process_many, settle
from pantau.spark import schema as sch
from pantau.spark.prefilter import PreFilter
from pantau.spark.read import COUNTS, MAX_EXAMPLES
from pantau.store.stories import NUM_PERM, bands, signature, to_bytes
from pantau.store.writer import content_hash

log = logging.getLogger(__name__)

_warm = False


def warm() -> None:
    """Load what every record needs (vocabularies, spaCy lexicon, language model, HTML reader) once per process.

    Python workers are reused across tasks, so this runs once per worker, not per partition.
    """
    global _warm
    if _warm:
        return
    from importlib import resources

    from pantau.extract.language import detect_language
    from pantau.extract.lexicon import lexicon
    from pantau.ingest.html import extract_html

    lexicon()
    detect_language("The language model loads on the first text that is not clearly Indonesian.")
    samples = sorted(p for p in resources.files("pantau.data").joinpath("samples").iterdir() if p.name.endswith(".txt"))
    if samples:
        process(Document(id="warm", source="warm", text=samples[0].read_text(encoding="utf-8")))
    extract_html("<html><body><p>pemanasan</p></body></html>")
    settle()
    _warm = True


_POSITIONS = np.arange(NUM_PERM, dtype=np.uint64) << np.uint64(32)


def minhash_keys(values: np.ndarray) -> list[int]:
    """Each MinHash value tagged with its position: two signatures' equal positions are their keys' intersection.

    Spark compares them with the built-in, compiled ``array_intersect`` (a lambda over 128 positions
    runs interpreted, row by row, and cost more than the rest of the story joins). datasketch's
    values are below 2**32 (its ``_max_hash``), so position and value fit in one long.
    """
    if int(values.max(initial=0)) >> 32:
        raise ValueError("MinHash values wider than 32 bits")
    return (_POSITIONS | values.astype(np.uint64)).astype(np.int64).tolist()


def extract_partition(items: Iterable[tuple], prefilter: PreFilter, threshold: float) -> Iterator[tuple]:
    """Rows of :func:`schema.extracted_columns`: one per record, then this partition's tally row.

    The tallies of the reading stage arrive as items too and leave as tally rows.
    """
    warm()
    counts: Counter[str] = Counter()
    months: Counter[str] = Counter()
    examples: list[tuple[str, str, str]] = []
    blank = (None,) * (len(sch.extracted_columns()) - 1)
    pending: list[tuple[Any, Document]] = []

    def extracted() -> Iterator[tuple]:
        """The rows of the pending documents, extracted together (``process_many``)."""
        results = process_many([document for _, document in pending])
        for (rid, document), article in zip(pending, results, strict=True):
            try:
                if isinstance(article, Exception):
                    raise article
                # the profile is built here, from the record object, as the store's writer builds it: the
                # driver then groups without rebuilding records (key and story are set there)
                profile = json.dumps(profile_of(article, str(rid)).to_json(), ensure_ascii=False)
            except EmptyArticle:
                counts["empty"] += 1
                continue
            except Exception as error:  # one bad page never loses the others
                log.error("extraction failed for %s", document.source, exc_info=error)
                counts["failed"] += 1
                if len(examples) < MAX_EXAMPLES:
                    examples.append(("failed", document.source, f"{type(error).__name__}: {error}"))
                continue
            if not prefilter.language_ok(article.language):
                counts["filtered_language_record"] += 1
                continue
            counts["extracted"] += 1
            values = signature(article.body)
            year, month = sch.partition_of(article)
            months[f"{year}/{month}"] += 1
            yield (rid, *sch.record_row(article), to_bytes(values), minhash_keys(values), bands(values, threshold),
                   profile, content_hash(article), year, month, None)
        pending.clear()

    for item in items:
        if item[0] == COUNTS:
            yield from extracted()
            yield (*blank, json.dumps({"counts": item[1], "examples": item[2], "months": {}}))
            continue
        _, rid, document = item
        pending.append((rid, document))
        if len(pending) >= BATCH:
            yield from extracted()
    yield from extracted()
    yield (*blank, json.dumps({"counts": counts, "examples": examples, "months": months}))
