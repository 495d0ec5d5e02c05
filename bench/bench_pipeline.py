"""The whole text pipeline (cleaning, metadata, entities with the NER model, facts, topics) on one core, against
a bare ``spacy.blank("xx")`` tokenisation of the same texts, and the CLI's start-up.

    python bench/bench_pipeline.py [--jsonl ../shared/corpora/news-more/articles.jsonl] [--count N]
                                   [--rounds 3] [--startup-runs 5] [--no-startup]

Prints, in articles per second on one core (pinned, one BLAS thread):

- the bare pass: ``spacy.blank("xx")`` tokenising each article's text, nothing else (the floor of any pipeline
  that tokenises with spaCy);
- the pipeline with the rules only (``PANTAU_NER_MODEL=0``) and in the default configuration (the NER model on);
- the first pass of the bare tokenizer and of the default pipeline over text they have not seen (spaCy's
  vocabulary, the tokenizer's cache and the stemmer's cache fill on new words), then the median of ``--rounds``
  interleaved rounds over the same text (warm);
- each stage's share of the default pipeline's time (a separate pass with a timer around each stage);
- start-up: the wall and CPU time of ``pantau extract`` on one small article, of ``pantau --version`` and of
  ``pantau --help``, each a fresh process, median of ``--startup-runs``; when ``PYTHONDONTWRITEBYTECODE`` is set
  (pantau's sources are then compiled again by every process, as an installed package's are not), again with a
  bytecode cache in a temporary folder (``PYTHONPYCACHEPREFIX``, filled by one run first).

Without ``--jsonl`` the corpus is ``../shared/corpora/news-more/articles.jsonl`` when it exists, else the
bundled seed articles, varied. Goals (issue 18): default >= 300 articles/s, rules only >= 500 articles/s,
``pantau extract`` of one article < 0.5 s, ``pantau --version`` and ``pantau --help`` < 0.2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # one core: no BLAS thread pool competing with the measurement

sys.path.insert(0, os.path.dirname(__file__))
# imported after the BLAS settings above: numpy reads them when it is first imported
from _corpus import SEEDS, text_corpus  # noqa: E402
from pantau.ingest.document import Document  # noqa: E402

NEWS_MORE = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "news-more" / "articles.jsonl"
GOALS = {"default": 300.0, "rules": 500.0}
STARTUP_GOALS = {"extract": 0.5, "version": 0.2, "help": 0.2}


def _documents(path: str | None, count: int) -> tuple[str, list[Document]]:
    if path is None and NEWS_MORE.is_file():
        path = str(NEWS_MORE)
    if path:
        with open(path, encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()][:count]
        return path, [Document(id=str(r.get("id", i)), source="bench", text=r.get("text") or "",
                               title=r.get("title") or None) for i, r in enumerate(rows)]
    return "bundled seeds", [Document(id=str(i), source="bench", text=text)
                             for i, text in enumerate(text_corpus(count))]


Rate = tuple[float, float]  # articles per second of wall time, and per second of this process's CPU time


def _rate(count: int, wall: float, cpu: float) -> Rate:
    return count / wall, count / max(cpu, 1e-9)


def _bare_rate(nlp: Any, documents: list[Document]) -> Rate:
    texts = [d.text or "" for d in documents]
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        nlp.make_doc(text)
    return _rate(len(texts), time.perf_counter() - start, time.process_time() - cpu)


def _pipeline_rate(documents: list[Document], model: bool, together: int | None = None) -> Rate:
    """The pipeline's rate as the front ends run it (``process_many`` of ``pipeline.BATCH`` documents: ingest,
    Spark, ``pantau extract``), or ``together`` at a time (1: ``process`` of each, as ``pantau watch`` does)."""
    from pantau.pipeline import BATCH, process_many

    size = together or BATCH
    os.environ["PANTAU_NER_MODEL"] = "1" if model else "0"
    start, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(documents), size):
        process_many(documents[first:first + size])
    return _rate(len(documents), time.perf_counter() - start, time.process_time() - cpu)


@contextmanager
def _stage_timers(totals: dict[str, float]) -> Iterator[None]:
    """A timer around each stage of ``pipeline.process`` (and the tokeniser and the model inside the entities
    stage), undone on exit."""
    import pantau.extract.entities as entities
    import pantau.ner.model as model
    import pantau.pipeline as pipeline

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                totals[name] += time.perf_counter() - start
        return wrapper

    patched = [(pipeline, "clean_text", "cleaning"), (pipeline, "extract_metadata", "metadata"),
               (entities, "annotate", "entities: tokenise + lexicon"), (model, "tag_pieces", "entities: NER model")]
    saved = [(module, attribute, getattr(module, attribute)) for module, attribute, _ in patched]
    extractors = list(pipeline.EXTRACTORS)
    try:
        for module, attribute, name in patched:
            setattr(module, attribute, timed(name, getattr(module, attribute)))
        pipeline.EXTRACTORS[:] = [(name, timed(name, function)) for name, function in extractors]
        yield
    finally:
        for module, attribute, function in saved:
            setattr(module, attribute, function)
        pipeline.EXTRACTORS[:] = extractors


def _stage_shares(documents: list[Document]) -> tuple[float, dict[str, float]]:
    from pantau.pipeline import process

    os.environ["PANTAU_NER_MODEL"] = "1"
    totals: dict[str, float] = defaultdict(float)
    with _stage_timers(totals):
        start = time.perf_counter()
        for document in documents:
            process(document)
        elapsed = time.perf_counter() - start
    return elapsed, dict(totals)


def _timed(command: list[str], runs: int, env: dict[str, str]) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each run of ``command``, a fresh process each time; CPU is the child's user and
    system time, steadier than wall time on a machine other processes share."""
    times: list[tuple[float, float]] = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime))
    return times


def _startup(runs: int) -> None:
    executable = Path(sys.executable).with_name("pantau")
    command = [str(executable)] if executable.is_file() else [sys.executable, "-m", "pantau.cli"]
    seed = sorted(SEEDS.glob("*.txt"))[0]
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "article.txt"
        article.write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
        commands = {"extract": [*command, "extract", str(article)], "version": [*command, "--version"],
                    "help": [*command, "--help"]}
        settings = {"": dict(os.environ)}
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            cached["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "bytecode")
            settings[", bytecode cached"] = cached
        for setting, env in settings.items():
            for name, argv in commands.items():
                if setting:
                    _timed(argv, 1, env)  # fills the bytecode cache
                times = _timed(argv, runs, env)
                wall = statistics.median(t[0] for t in times)
                cpu = statistics.median(t[1] for t in times)
                label = f"pantau {name}" + (f" (one article, {seed.stat().st_size} bytes)" if name == "extract" else "")
                verdict = "met" if wall < STARTUP_GOALS[name] else "NOT met"
                print(f"start-up{setting}, {label}: median {wall:.3f} s wall, {cpu:.3f} s CPU over {runs} runs "
                      f"(wall: {', '.join(f'{t[0]:.3f}' for t in times)}); goal < {STARTUP_GOALS[name]} s: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jsonl", help="a JSON Lines corpus (text, title); default news-more, else the seeds")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up measurement")
    args = parser.parse_args()
    if not args.no_startup:  # first, before this process loads anything that would compete for the core
        _startup(args.startup_runs)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    name, documents = _documents(args.jsonl, args.count)
    print(f"corpus: {name}, {len(documents)} articles")

    import spacy

    from pantau.pipeline import process

    start = time.perf_counter()
    warm_up = Document(id="warm-up", source="bench", text=sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8"))
    os.environ["PANTAU_NER_MODEL"] = "1"
    process(warm_up)  # vocabularies, lexicon, language and NER models: once per process
    print(f"one-off loading (vocabularies, lexicon, language and NER models): {time.perf_counter() - start:.2f} s")

    bare = spacy.blank("xx")
    first = {"bare": _bare_rate(bare, documents), "default": _pipeline_rate(documents, model=True)}
    print(f"first pass over unseen text: bare blank('xx') {first['bare'][0]:.1f} articles/s, default pipeline "
          f"{first['default'][0]:.1f} articles/s (the bare pass {first['bare'][0] / first['default'][0]:.2f}x as "
          f"fast; CPU time: {first['bare'][1]:.1f} and {first['default'][1]:.1f} articles/s, "
          f"{first['bare'][1] / first['default'][1]:.2f}x)")

    rates: dict[str, list[Rate]] = {"bare": [], "rules": [], "default": [], "alone": []}
    for _ in range(args.rounds):
        rates["bare"].append(_bare_rate(bare, documents))
        rates["rules"].append(_pipeline_rate(documents, model=False))
        rates["default"].append(_pipeline_rate(documents, model=True))
        rates["alone"].append(_pipeline_rate(documents, model=True, together=1))
    # wall time is what the goal names; CPU time is steadier on a machine other processes share
    walls = {key: statistics.median(r[0] for r in values) for key, values in rates.items()}
    cpus = {key: statistics.median(r[1] for r in values) for key, values in rates.items()}
    labels = {"bare": "bare spacy.blank('xx') tokenisation", "rules": "pipeline, rules only (PANTAU_NER_MODEL=0)",
              "default": "pipeline, default (NER model on)",
              "alone": "pipeline, default, one article at a time (pantau watch)"}
    for key, label in labels.items():
        ratio = "" if key == "bare" else (f"; the bare pass is {walls['bare'] / walls[key]:.2f}x as fast "
                                          f"({cpus['bare'] / cpus[key]:.2f}x in CPU time)")
        print(f"{label}: median {walls[key]:.1f} articles/s on one core, {cpus[key]:.1f} per CPU second "
              f"(rounds: {', '.join(f'{r[0]:.1f}' for r in rates[key])}){ratio}")
    for key, goal in GOALS.items():
        print(f"goal {labels[key]} >= {goal:.0f} articles/s: {'met' if walls[key] >= goal else 'NOT met'}")

    elapsed, totals = _stage_shares(documents)
    print(f"stage shares of the default pipeline (timed pass, {len(documents) / elapsed:.1f} articles/s):")
    inner = {"entities: tokenise + lexicon", "entities: NER model"}
    for stage, seconds in sorted(totals.items(), key=lambda item: (item[0] in inner, -item[1])):
        indent = "    " if stage in inner else "  "
        print(f"{indent}{stage:30s} {100 * seconds / elapsed:5.1f}%  {1000 * seconds / len(documents):6.2f} ms/article")
    rest = elapsed - sum(seconds for stage, seconds in totals.items() if stage not in inner)
    print(f"  {'(reading, record, budget)':30s} {100 * rest / elapsed:5.1f}%  "
          f"{1000 * rest / len(documents):6.2f} ms/article")


if __name__ == "__main__":
    main()
