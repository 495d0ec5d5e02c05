"""pantau on Spark: records/second for local[1] vs local[2] vs the single-process path, on the same pages.

    python bench/bench_spark.py [--count 2400] [--files 8] [--tiny 16]

The input is ``--count`` news pages (bench/synthetic.py articles, about 10% syndicated copies,
rendered as HTML pages by bench/_corpus.py) in ``--files`` WARC.gz files, re-dated into one year
(``--year``): a crawl's pages fill a few months each, while synthetic.py spreads its dates over seven
years, and every (table, month) is one Parquet file whose writing costs the same for 3 rows as for
3,000. Each Spark master runs in its own Python process (a fresh JVM each: no JIT warmed by the
other run), and reports:

* start-up: the SparkSession (JVM), the first use of every Python worker (vocabularies, spaCy
  lexicon, language model) and the JVM's first job (class loading, JIT), paid once per run;
* the fixed cost of one job: a job on ``--tiny`` pages (listing, scheduling, story joins, eight
  table writes and their commits), paid once per job whatever its size;
* the full job past start-up (best of ``--repeat`` runs): pages per second on the whole job, on its
  extraction stage (read, pre-filter, extract, MinHash, rows cached), and on the pages beyond a tiny
  job ((pages - tiny pages) / (full job - tiny job)).

The single-process path is ``pantau.pipeline.process`` in a loop on the same documents (as the WARC
reader gives them), after the same warm-up. Each run is pinned to as many cores as it names
(``local[1]`` and the single process to one, ``local[2]`` to two), JVM included, as bench_pipeline.py
pins itself; ``--no-pin`` lets local[1]'s JVM work on the second core. Goal (issue 7): local[2] >=
1.7x local[1] past start-up, measured on the whole job. The machine's other load is printed: the
figures mean little when other processes hold the cores.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
from _corpus import html_page
from synthetic import corpus

_YEARS = re.compile(r"\b20(?:19|2[0-5])\b")  # synthetic.py's years


def write_crawl(directory: Path, count: int, files: int, year: int) -> list[Path]:
    """``count`` pages as HTTP responses in ``files`` gzipped WARC files, dated in ``year``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    paths = [directory / f"crawl-{i:02d}.warc.gz" for i in range(files)]
    streams = [p.open("wb") for p in paths]
    writers = [WARCWriter(s, gzip=True) for s in streams]
    for number, item in enumerate(corpus(count)):
        text = _YEARS.sub(str(year), f"{item['title']}\n\n{item['text']}")
        page = html_page(text, number).encode("utf-8")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer = writers[number % files]
        writer.write_record(writer.create_warc_record(item["url"], "response", payload=io.BytesIO(page),
                                                      http_headers=headers))
    for stream in streams:
        stream.close()
    return paths


def single_process(paths: list[Path], pinned: bool) -> dict[str, float]:
    from pantau.pipeline import process
    from pantau.spark.job import warm
    from pantau.spark.warc import iter_warc

    if pinned:
        pin("local[1]")
    start = time.perf_counter()
    warm()
    warmed = time.perf_counter() - start
    documents = []
    for path in paths:
        with path.open("rb") as stream:
            documents.extend(item.document for item in iter_warc(stream, str(path)) if item.document)
    start = time.perf_counter()
    for document in documents:
        process(document)
    elapsed = time.perf_counter() - start
    return {"pages": len(documents), "startup": warmed, "seconds": elapsed, "rate": len(documents) / elapsed}


def pin(master: str) -> int | None:
    """Hold this process, and the JVM and Python workers it starts, to the cores ``local[N]`` names.

    Unpinned, ``local[1]`` is not one core: its task runs in one Python worker while the JVM converts
    and caches that worker's rows, collects garbage and compiles on the other core.
    """
    match = re.fullmatch(r"local\[(\d+)\]", master)
    if not match or not hasattr(os, "sched_setaffinity"):
        return None
    cores = sorted(os.sched_getaffinity(0))[: int(match.group(1))]
    os.sched_setaffinity(0, set(cores))
    return len(cores)


def spark_run(master: str, paths: list[Path], tiny: Path, out: Path, repeat: int) -> dict[str, Any]:
    """One master, in this process: start-up, then the tiny and the full job, best of ``repeat`` each."""
    from pantau.spark.job import build_session, run, warm

    start = time.perf_counter()
    spark = build_session(master, conf={"spark.ui.showConsoleProgress": "false"})
    spark.sparkContext.setLogLevel("ERROR")
    session = time.perf_counter() - start
    cores = spark.sparkContext.defaultParallelism
    mark = time.perf_counter()
    spark.sparkContext.parallelize(range(cores), cores).foreach(lambda _: warm())
    run(spark, [str(tiny)], str(out / "first"))  # the JVM's first job: class loading and JIT, paid once
    workers = time.perf_counter() - mark

    def best(inputs: list[Path], name: str) -> tuple[float, Any]:
        timings = []
        for attempt in range(repeat):
            mark = time.perf_counter()
            report = run(spark, [str(p) for p in inputs], str(out / f"{name}-{attempt}"))
            timings.append((time.perf_counter() - mark, report))
        return min(timings, key=lambda t: t[0])

    tiny_seconds, small = best([tiny], "tiny")
    full_seconds, full = best(paths, "full")
    spark.stop()
    pages, tiny_pages = full.counts["extracted"], small.counts["extracted"]
    return {"cores": cores, "load": os.getloadavg()[0], "session": session, "workers": workers,
            "tiny_pages": tiny_pages, "tiny": tiny_seconds, "pages": pages, "full": full_seconds,
            "stories": full.stories, "stages": full.seconds, "rate": pages / full_seconds,
            "extract_rate": pages / full.seconds["extract"],
            "marginal_rate": (pages - tiny_pages) / (full_seconds - tiny_seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2400)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--tiny", type=int, default=16)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each job; the fastest counts")
    parser.add_argument("--masters", default="local[1],local[2]")
    parser.add_argument("--no-pin", dest="pin", action="store_false",
                        help="let local[N] use every core (its JVM works beside its N Python workers)")
    parser.add_argument("--no-single", dest="single", action="store_false",
                        help="skip the single-process run (the Spark masters' ratio does not need it)")
    parser.add_argument("--crawl", type=Path,
                        help="keep the crawl in this folder and reuse it when it is there (same --count, --files, "
                             "--tiny and --year): comparing two versions of the code on a large crawl")
    parser.add_argument("--child", nargs=3, metavar=("MASTER", "DIR", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        master, directory, out = args.child
        if args.pin:
            pin(master)
        paths = sorted(Path(directory).glob("crawl-*.warc.gz"))
        tiny = Path(directory) / "tiny" / "tiny.warc.gz"
        print(json.dumps(spark_run(master, paths, tiny, Path(out), args.repeat)))
        return
    with tempfile.TemporaryDirectory(prefix="pantau-bench-spark-") as tmp:
        directory = args.crawl or Path(tmp)
        paths = sorted(directory.glob("crawl-*.warc.gz"))
        if len(paths) != args.files or not (directory / "tiny" / "tiny.warc.gz").is_file():
            directory.mkdir(parents=True, exist_ok=True)
            paths = write_crawl(directory, args.count, args.files, args.year)
            (directory / "tiny").mkdir(exist_ok=True)
            write_crawl(directory / "tiny", args.tiny, 1, args.year)[0].rename(directory / "tiny" / "tiny.warc.gz")
        results: dict[str, dict[str, Any]] = {}
        for master in args.masters.split(","):
            out = Path(tmp) / master
            command = [sys.executable, __file__, "--repeat", str(args.repeat), *([] if args.pin else ["--no-pin"]),
                       "--child", master, str(directory), str(out)]
            child = subprocess.run(command, capture_output=True, text=True)
            if child.returncode != 0:  # the run's own error, not only its exit status
                sys.exit(f"{master} failed (exit status {child.returncode}):\n{child.stderr[-6000:]}")
            results[master] = json.loads(child.stdout.strip().splitlines()[-1])
        single = single_process(paths, args.pin) if args.single else None
    pages = single["pages"] if single else next(iter(results.values()))["pages"]
    print(f"{pages} pages in {args.files} WARC.gz files; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} now (above 0: other processes compete for them); "
          + ("each run pinned to its N cores" if args.pin else "not pinned: local[N] may use every core"))
    if single:
        print(f"single process: start-up {single['startup']:.1f} s; {single['seconds']:.1f} s = "
              f"{single['rate']:.1f} pages/s")
    for master, r in results.items():
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r["stages"].items())
        print(f"{master}: start-up {r['session'] + r['workers']:.1f} s (session {r['session']:.1f}, workers and "
              f"first job {r['workers']:.1f}); a job on {r['tiny_pages']} pages {r['tiny']:.1f} s; "
              f"full job {r['full']:.1f} s ({stages}) = {r['rate']:.1f} pages/s; extraction stage "
              f"{r['extract_rate']:.1f} pages/s; {r['stories']} stories; load average {r['load']:.1f}")
    if "local[1]" in results and "local[2]" in results:
        one, two = results["local[1]"], results["local[2]"]
        ratio = two["rate"] / one["rate"]
        print(f"local[2] / local[1] past start-up: {ratio:.2f}x on the whole job (goal >= 1.7x: "
              f"{'met' if ratio >= 1.7 else 'NOT met'}); {two['extract_rate'] / one['extract_rate']:.2f}x on the "
              f"extraction stage; {two['marginal_rate'] / one['marginal_rate']:.2f}x on the pages beyond "
              f"a {one['tiny_pages']}-page job")


if __name__ == "__main__":
    main()
