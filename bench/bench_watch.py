"""Collector benchmark: one `pantau watch` round over local servers, end to end, and where the time goes.

    python bench/bench_watch.py [--articles 2000] [--sources 20] [--workers 2] [--delay 0]

Starts ``--sources`` local HTTP servers (each its own host, as the collector sees it) holding the
synthetic corpus of bench/synthetic.py as HTML pages: half the sources list their articles in an RSS
feed, half in a gzip news sitemap under a sitemap index. Then runs one round into a new SQLite store
(discovery, fetching, extraction on ``--workers`` processes, batch writes, alerts) and a second round,
which finds nothing new (feeds answer 304). The politeness delay is 0 by default so the figure is the
collector's own cost; with the bundled 2 s per host, a round over 20 hosts is capped near 10 pages/s.
"""

from __future__ import annotations

import argparse
import gzip
import html
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, os.path.dirname(__file__))

from tests.watch.server import FixtureServer  # noqa: E402

from pantau.store.db import open_store  # noqa: E402
from pantau.watch.collect import Collector, RoundSummary  # noqa: E402
from pantau.watch.http import Fetcher, FetchPolicy  # noqa: E402
from pantau.watch.sources import parse_sources  # noqa: E402
from synthetic import corpus  # noqa: E402


def page(item: dict[str, str]) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(text)}</p>" for text in item["text"].split("\n\n"))
    title = html.escape(item["title"])
    return (f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f"<nav><a href='/'>Beranda</a> <a href='/indeks'>Indeks</a></nav><article><h1>{title}</h1>"
            f"{paragraphs}</article><footer>Hak cipta</footer></body></html>").encode()


def serve(servers: list[FixtureServer], articles: list[dict[str, str]]) -> list[dict[str, object]]:
    """Spread the articles over the servers; returns the sources-file entries."""
    entries: list[dict[str, object]] = []
    for number, server in enumerate(servers):
        server.robots("User-agent: *\nAllow: /\n")
        mine = articles[number::len(servers)]
        paths = [f"/berita/{number}/{index}/{item['id']}" for index, item in enumerate(mine)]
        for path, item in zip(paths, mine, strict=True):
            server.route(path, page(item))
        if number % 2 == 0:
            items = "".join(f"<item><title>t</title><link>{server.url(path)}</link></item>" for path in paths)
            feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>s{number}</title>'
                    f"<link>{server.base_url}/</link>{items}</channel></rss>")
            server.conditional("/rss", feed.encode())
            entries.append({"key": f"s{number:02d}", "feeds": [server.url("/rss")]})
        else:
            urls = "".join(f"<url><loc>{server.url(path)}</loc><news:news><news:publication_date>2026-12-05"
                           "</news:publication_date></news:news></url>" for path in paths)
            sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                       f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')
            server.gzip_file("/news.xml.gz", sitemap.encode())
            index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                     f"<sitemap><loc>{server.url('/news.xml.gz')}</loc></sitemap></sitemapindex>")
            server.conditional("/sitemap.xml", index.encode())
            entries.append({"key": f"s{number:02d}", "sitemaps": [server.url("/sitemap.xml")]})
    return entries


def report(label: str, summary: RoundSummary) -> None:
    stored = summary.total("ingested") + summary.total("updated")
    print(f"{label}: {summary.elapsed:.2f} s, {summary.total('seen')} listed, {summary.total('fetched')} fetched, "
          f"{stored} stored, {summary.total('failed')} failed -> {summary.rate:.1f} articles/s end to end")
    for name, seconds in sorted(summary.timings.items(), key=lambda item: -item[1]):
        print(f"  {name:<22} {seconds:8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0.0, help="politeness delay per host, seconds")
    parser.add_argument("--batch-size", type=int, default=50)
    args = parser.parse_args()

    articles = list(corpus(args.articles, copies=0.0))
    gzip.compress(b"")  # warm imports before timing
    servers = [FixtureServer() for _ in range(args.sources)]
    try:
        entries = serve(servers, articles)
        config = parse_sources({"defaults": {"delay": args.delay, "max_items": args.articles},
                                "source": entries})
        with tempfile.TemporaryDirectory() as folder:
            engine = open_store(f"sqlite:///{Path(folder) / 'watch.db'}")
            print(f"{args.articles} articles on {args.sources} local hosts; extraction on {args.workers} "
                  f"process(es); politeness delay {args.delay:g} s; {os.cpu_count()} cores")
            with Fetcher(FetchPolicy.from_data(host_delay=0.0)) as fetcher:
                collector = Collector(engine, config, fetcher, workers=args.workers, batch_size=args.batch_size,
                                      fetch_threads=min(16, args.sources))
                started = time.monotonic()
                first = collector.run_round()
                report("round 1 (all new)", first)
                second = collector.run_round()
                report("round 2 (nothing new)", second)
                print(f"total {time.monotonic() - started:.2f} s; store "
                      f"{(Path(folder) / 'watch.db').stat().st_size / max(1, first.total('ingested')) / 1024:.1f} "
                      "KiB per article")
            engine.dispose()
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
