"""Collection rounds against local servers: every new article once, nothing forbidden, faults contained.

The pages are written for these tests (invented places and people), never outlets' texts.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from pantau.store import schema as s
from pantau.store.db import open_store
from pantau.store.watch import source_table
from pantau.watch.collect import Collector, interruptible_sleep
from pantau.watch.http import Fetcher, FetchPolicy
from pantau.watch.sources import parse_sources
from tests.watch.server import FixtureServer, ServerFactory

PLACES = ["Kabupaten Banyuasin", "Kota Kupang", "Kabupaten Tabanan", "Kota Pontianak", "Kabupaten Pemalang",
          "Kota Ambon", "Kabupaten Lombok Timur", "Kota Jambi", "Kabupaten Kapuas", "Kota Palu"]
SUBSTANCES = ["sabu", "ganja", "ekstasi", "tembakau sintetis"]


def article_html(number: int, title: str | None = None, charset: str = "utf-8") -> bytes:
    """An invented news page: a headline and four paragraphs that differ from page to page."""
    place = PLACES[number % len(PLACES)]
    substance = SUBSTANCES[number % len(SUBSTANCES)]
    grams = 10 + number * 7
    title = title or f"Polisi {place} amankan {grams} gram {substance} dari pengedar nomor {number}"
    paragraphs = [
        f"{place} - Satuan Reserse Narkoba menangkap seorang pria berinisial X{number} yang diduga mengedarkan "
        f"{substance} di wilayah {place}. Dari tangan tersangka petugas menyita {grams} gram {substance} "
        f"yang disimpan di dalam kotak rokok.",
        f"Kapolres menjelaskan penangkapan bermula dari laporan warga tentang transaksi mencurigakan di sebuah "
        f"warung pada malam hari. Petugas kemudian melakukan pengintaian selama {number + 2} hari.",
        f"Tersangka kini ditahan di rumah tahanan kepolisian dan dijerat Pasal 114 Undang-Undang Nomor 35 Tahun "
        f"2009 tentang Narkotika dengan ancaman hukuman paling lama {number % 15 + 5} tahun penjara.",
        f"Polisi masih mengembangkan kasus ini untuk mengungkap jaringan pemasok dari luar daerah. "
        f"Warga diminta melapor bila mengetahui peredaran narkoba di lingkungan masing-masing (kode {number}).",
    ]
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    page = (f'<!doctype html><html lang="id"><head><meta charset="{charset}"><title>{title}</title></head>'
            f"<body><header><nav><a href='/'>Beranda</a></nav></header><article><h1>{title}</h1>{body}</article>"
            f"<footer>Hak cipta Kabar Uji</footer></body></html>")
    return page.encode(charset)


def rss(server: FixtureServer, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>berita {i}</title><link>{server.url(path)}</link></item>"
                    for i, path in enumerate(paths))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Uji</title>'
            f"<link>{server.base_url}/</link>{items}</channel></rss>").encode()


def news_sitemap(server: FixtureServer, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{server.url(path)}</loc><news:news><news:publication_date>2026-12-05"
                   f"</news:publication_date><news:title>t</news:title></news:news></url>" for path in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode()


def fast_fetcher() -> Fetcher:
    return Fetcher(FetchPolicy.from_data(host_delay=0.0, timeout=2.0, retries=1, backoff=0.01, max_retry_after=2.0))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    yield store
    store.dispose()


def articles_by_url(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {url: count for url, count in conn.execute(
            select(s.articles.c.url, func.count()).group_by(s.articles.c.url))}


def statuses(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {url: status for url, status in conn.execute(select(s.watch_urls.c.url, s.watch_urls.c.status))}


def test_a_round_ingests_each_new_article_once_and_contains_faults(engine: Engine,
                                                                    fixture_servers: ServerFactory) -> None:
    feed_host, sitemap_host, broken_host = fixture_servers.many(3)
    # host 1: a feed listing three articles, one twice, one under a path robots.txt forbids, one gone (404)
    feed_host.robots("User-agent: *\nDisallow: /rahasia/\n")
    for number in range(3):
        feed_host.route(f"/berita/{number}/polisi-uji", article_html(number))
    feed_host.route("/rahasia/0/tidak-boleh", article_html(50))
    feed_host.route("/berita/9/hilang", b"tidak ada", status=404)
    feed_host.route("/rss", rss(feed_host, ["/berita/0/polisi-uji", "/berita/1/polisi-uji", "/berita/0/polisi-uji",
                                            "/berita/2/polisi-uji?utm_source=rss", "/rahasia/0/tidak-boleh",
                                            "/berita/9/hilang"]), content_type="application/rss+xml")
    # host 2: a gzip sitemap index with a nested gzip news sitemap and a plain one; one page in cp1252
    sitemap_host.robots("User-agent: *\nAllow: /\n")
    sitemap_host.gzip_file("/sitemap_index.xml.gz", (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{sitemap_host.url('/news-1.xml.gz')}</loc></sitemap>"
        f"<sitemap><loc>{sitemap_host.url('/news-2.xml')}</loc></sitemap></sitemapindex>").encode())
    sitemap_host.gzip_file("/news-1.xml.gz", news_sitemap(sitemap_host, ["/read/10/satu", "/read/11/dua"]))
    sitemap_host.route("/news-2.xml", news_sitemap(sitemap_host, ["/read/12/tiga"]), content_type="application/xml")
    sitemap_host.route("/read/10/satu", article_html(10))
    sitemap_host.route("/read/11/dua", article_html(11))
    cp1252 = article_html(12, title="Kapolres menyerahkan barang bukti ke kejaksaan - café “Uji”", charset="cp1252")
    sitemap_host.route("/read/12/tiga", cp1252, content_type="text/html")
    # host 3: its feed answers 500 every time
    broken_host.statuses("/rss", [500] * 10)
    config = parse_sources({"defaults": {"delay": 0.0}, "source": [
        {"key": "feed", "feeds": [feed_host.url("/rss")]},
        {"key": "sitemap", "sitemaps": [sitemap_host.url("/sitemap_index.xml.gz")]},
        {"key": "broken", "feeds": [broken_host.url("/rss")]},
    ]})
    with fast_fetcher() as fetcher:
        summary = Collector(engine, config, fetcher, batch_size=2).run_round()

    stored = articles_by_url(engine)
    expected = {feed_host.url(f"/berita/{n}/polisi-uji") for n in range(3)} | {
        sitemap_host.url(path) for path in ("/read/10/satu", "/read/11/dua", "/read/12/tiga")}
    assert set(stored) == expected and set(stored.values()) == {1}
    assert feed_host.hits("/rahasia/0/tidak-boleh") == 0
    assert feed_host.hits("/berita/0/polisi-uji") == 1
    assert summary.sources["feed"].ingested == 3 and summary.sources["feed"].forbidden == 1
    assert summary.sources["feed"].failed == 1 and summary.sources["sitemap"].ingested == 3
    assert summary.sources["broken"].error and "HTTP 500" in summary.sources["broken"].error
    state = statuses(engine)
    assert state[feed_host.url("/rahasia/0/tidak-boleh")] == "forbidden"
    assert state[feed_host.url("/berita/9/hilang")] == "failed"
    with engine.connect() as conn:
        title = conn.execute(select(s.articles.c.title).where(
            s.articles.c.url == sitemap_host.url("/read/12/tiga"))).scalar_one()
        rows = {row["source"]: row for row in source_table(conn)}
    assert "café “Uji”" in title
    assert rows["broken"]["last_error"] and rows["feed"]["total_ingested"] == 3 and rows["feed"]["rounds"] == 1


def test_the_next_round_fetches_only_what_is_new(engine: Engine, fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nAllow: /\n")
    for number in range(4):
        fixture_server.route(f"/berita/{number}/x", article_html(number))
    feed = rss(fixture_server, ["/berita/0/x", "/berita/1/x"])
    fixture_server.conditional("/sitemap.xml", news_sitemap(fixture_server, ["/berita/2/x"]))
    fixture_server.route("/rss", feed, content_type="application/rss+xml")
    config = parse_sources({"defaults": {"delay": 0.0}, "source": [
        {"key": "uji", "feeds": [fixture_server.url("/rss")], "sitemaps": [fixture_server.url("/sitemap.xml")]}]})
    with fast_fetcher() as fetcher:
        collector = Collector(engine, config, fetcher)
        first = collector.run_round()
        # the feed repeats its old items and adds one; the sitemap is unchanged (answers 304)
        fixture_server.route("/rss", rss(fixture_server, ["/berita/3/x", "/berita/0/x", "/berita/1/x"]),
                             content_type="application/rss+xml")
        second = collector.run_round()
        third = collector.run_round()
    assert first.sources["uji"].ingested == 3 and second.sources["uji"].ingested == 1
    assert third.sources["uji"].fetched == 0
    assert all(fixture_server.hits(f"/berita/{n}/x") == 1 for n in range(4))
    sitemap_requests = fixture_server.requests_for("/sitemap.xml")
    assert len(sitemap_requests) == 3 and sitemap_requests[1].header("If-None-Match")
    assert len(articles_by_url(engine)) == 4


def test_failed_pages_are_retried_in_later_rounds_then_given_up(engine: Engine,
                                                               fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nAllow: /\n")
    fixture_server.statuses("/berita/1/sibuk", [503, 503, 200], body=article_html(1))
    fixture_server.statuses("/berita/2/rusak", [500] * 20)
    fixture_server.route("/rss", rss(fixture_server, ["/berita/1/sibuk", "/berita/2/rusak"]),
                         content_type="application/rss+xml")
    config = parse_sources({"defaults": {"delay": 0.0, "max_attempts": 3}, "source": [
        {"key": "uji", "feeds": [fixture_server.url("/rss")]}]})
    fetcher = Fetcher(FetchPolicy.from_data(host_delay=0.0, timeout=2.0, retries=0, backoff=0.01))
    with fetcher:
        collector = Collector(engine, config, fetcher)
        rounds = [collector.run_round() for _ in range(4)]
    assert [result.sources["uji"].ingested for result in rounds] == [0, 0, 1, 0]
    assert fixture_server.hits("/berita/2/rusak") == 3  # max_attempts, then given up
    assert statuses(engine)[fixture_server.url("/berita/2/rusak")] == "failed"


def test_per_host_delay_is_kept_between_requests(engine: Engine, fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nAllow: /\n")
    for number in range(4):
        fixture_server.route(f"/berita/{number}/x", article_html(number))
    fixture_server.route("/rss", rss(fixture_server, [f"/berita/{n}/x" for n in range(4)]),
                         content_type="application/rss+xml")
    config = parse_sources({"source": [{"key": "uji", "feeds": [fixture_server.url("/rss")], "delay": 0.25}]})
    with fast_fetcher() as fetcher:
        Collector(engine, config, fetcher, fetch_threads=4).run_round()
        starts = [when for url, when in fetcher.request_log() if not url.endswith("/robots.txt")]
    # the fetcher's request starts (a loaded machine may delay when the server reads a request, not when
    # the fetcher sends it); every one of them reached the server, in that order
    assert len(starts) == 5 == len([r for r in fixture_server.requests if r.path != "/robots.txt"])
    assert min(later - earlier for earlier, later in pairwise(starts)) >= 0.25


def test_a_stop_request_ends_the_round_and_the_next_one_completes(engine: Engine,
                                                                 fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nAllow: /\n")
    for number in range(6):
        fixture_server.route(f"/berita/{number}/x", article_html(number), delay=0.05)
    fixture_server.route("/rss", rss(fixture_server, [f"/berita/{n}/x" for n in range(6)]),
                         content_type="application/rss+xml")
    config = parse_sources({"defaults": {"delay": 0.0}, "source": [{"key": "uji",
                                                                      "feeds": [fixture_server.url("/rss")]}]})
    stop = threading.Event()
    with fast_fetcher() as fetcher:
        collector = Collector(engine, config, fetcher, batch_size=1, stop=stop,
                              on_progress=lambda summary: stop.set())
        first = collector.run_round()
        assert first.stopped and 1 <= first.sources["uji"].fetched < 6
        stop.clear()
        collector.on_progress = None
        second = collector.run_round()
    assert not second.stopped
    stored = articles_by_url(engine)
    assert len(stored) == 6 and set(stored.values()) == {1}
    assert all(fixture_server.hits(f"/berita/{n}/x") == 1 for n in range(6))


def test_gzip_content_encoding_pages_are_read(engine: Engine, fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nAllow: /\n")
    fixture_server.gzipped("/berita/1/x", article_html(1))
    fixture_server.route("/rss", gzip.compress(rss(fixture_server, ["/berita/1/x"])),
                         headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml")
    config = parse_sources({"defaults": {"delay": 0.0}, "source": [{"key": "uji",
                                                                      "feeds": [fixture_server.url("/rss")]}]})
    with fast_fetcher() as fetcher:
        summary = Collector(engine, config, fetcher).run_round()
    assert summary.sources["uji"].ingested == 1


def test_page_faults_fail_their_url_and_spare_the_rest(engine: Engine, fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nAllow: /\n")
    fixture_server.route("/berita/1/baik", article_html(1))
    fixture_server.slow("/berita/2/lambat", seconds=4.0)
    fixture_server.redirect_loop("/berita/3/putar", "/berita/3/balik")
    fixture_server.huge("/berita/4/raksasa", size=3 << 20)
    fixture_server.route("/berita/5/gambar", b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png")
    fixture_server.route("/berita/6/kosong", b"<html><body></body></html>")
    paths = ["/berita/1/baik", "/berita/2/lambat", "/berita/3/putar", "/berita/4/raksasa", "/berita/5/gambar",
             "/berita/6/kosong"]
    fixture_server.route("/rss", rss(fixture_server, paths), content_type="application/rss+xml")
    config = parse_sources({"defaults": {"delay": 0.0}, "source": [{"key": "uji",
                                                                      "feeds": [fixture_server.url("/rss")]}]})
    fetcher = Fetcher(FetchPolicy.from_data(host_delay=0.0, timeout=1.0, retries=0, max_bytes=1 << 20))
    with fetcher:
        summary = Collector(engine, config, fetcher).run_round()
    state = statuses(engine)
    assert state[fixture_server.url("/berita/1/baik")] == "ingested"
    assert {state[fixture_server.url(path)] for path in paths[1:4]} == {"failed"}
    assert state[fixture_server.url("/berita/5/gambar")] == "skipped"
    assert state[fixture_server.url("/berita/6/kosong")] == "skipped"
    assert summary.sources["uji"].ingested == 1 and summary.sources["uji"].failed == 3
    with engine.connect() as conn:
        errors = dict(conn.execute(select(s.watch_urls.c.url, s.watch_urls.c.error)).all())
    assert "redirect loop" in errors[fixture_server.url("/berita/3/putar")]
    assert "too large" in errors[fixture_server.url("/berita/4/raksasa")]


def _one_feed(server: FixtureServer, count: int, **route: object) -> None:
    server.robots("User-agent: *\nAllow: /\n")
    for number in range(count):
        server.route(f"/berita/{number}/x", article_html(number), **route)  # type: ignore[arg-type]
    server.route("/rss", rss(server, [f"/berita/{n}/x" for n in range(count)]), content_type="application/rss+xml")


def test_a_failing_write_ends_the_round_with_its_error_not_a_hang(engine: Engine, fixture_server: FixtureServer,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _one_feed(fixture_server, 12)
    config = parse_sources({"defaults": {"delay": 0.0}, "source": [{"key": "uji",
                                                                      "feeds": [fixture_server.url("/rss")]}]})

    def locked(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr("pantau.watch.collect.write_batch", locked)
    outcome: list[BaseException] = []

    def run() -> None:
        with fast_fetcher() as fetcher:
            try:
                Collector(engine, config, fetcher, batch_size=1).run_round()
            except BaseException as error:
                outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the round hung after a failed write"
    assert outcome and "database is locked" in str(outcome[0])
    assert set(statuses(engine).values()) == {"pending"}  # nothing marked without its article


def test_a_malformed_link_costs_nothing_but_itself(engine: Engine, fixture_servers: ServerFactory) -> None:
    bad, good = fixture_servers.many(2)
    bad.robots("User-agent: *\nAllow: /\n")
    bad.route("/berita/1/x", article_html(1))
    bad.route("/rss", (f'<?xml version="1.0"?><rss version="2.0"><channel><item><link>http://[::1/rusak</link>'
                       f"</item><item><link>{bad.url('/berita/1/x')}</link></item><item>"
                       f"<link>{bad.base_url}:99999/x/y</link></item></channel></rss>").encode(),
              content_type="application/rss+xml")
    _one_feed(good, 2)
    config = parse_sources({"defaults": {"delay": 0.0}, "source": [
        {"key": "bad", "feeds": [bad.url("/rss")]}, {"key": "good", "feeds": [good.url("/rss")]}]})
    with fast_fetcher() as fetcher:
        summary = Collector(engine, config, fetcher).run_round()
    assert summary.sources["good"].ingested == 2 and summary.sources["bad"].ingested == 1


def test_a_page_with_an_unusable_declared_charset_is_still_read(engine: Engine,
                                                                fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nAllow: /\n")
    fixture_server.route("/berita/1/x", article_html(1, title="Polisi tangkap pengedar di Kota Palu — “kurir”"),
                         content_type="text/html; charset=punycode")
    fixture_server.route("/rss", rss(fixture_server, ["/berita/1/x"]), content_type="application/rss+xml")
    config = parse_sources({"defaults": {"delay": 0.0}, "source": [{"key": "uji",
                                                                      "feeds": [fixture_server.url("/rss")]}]})
    with fast_fetcher() as fetcher:
        summary = Collector(engine, config, fetcher).run_round()
    assert summary.sources["uji"].ingested == 1


def test_a_sitemap_index_is_read_whole_so_its_children_are_revisited(engine: Engine,
                                                                     fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nAllow: /\n")
    for number in range(3):
        fixture_server.route(f"/read/{number}/x", article_html(number))
    fixture_server.conditional("/sitemap_index.xml", (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{fixture_server.url('/news.xml')}</loc></sitemap></sitemapindex>").encode())
    fixture_server.route("/news.xml", news_sitemap(fixture_server, ["/read/0/x"]), content_type="application/xml")
    config = parse_sources({"defaults": {"delay": 0.0}, "source": [
        {"key": "uji", "sitemaps": [fixture_server.url("/sitemap_index.xml")]}]})
    with fast_fetcher() as fetcher:
        collector = Collector(engine, config, fetcher)
        first = collector.run_round()
        fixture_server.route("/news.xml", news_sitemap(fixture_server, ["/read/1/x", "/read/2/x", "/read/0/x"]),
                             content_type="application/xml")
        second = collector.run_round()
    assert (first.sources["uji"].ingested, second.sources["uji"].ingested) == (1, 2)
    assert not any(request.header("If-None-Match") for request in fixture_server.requests_for("/sitemap_index.xml"))


def test_extraction_in_worker_processes(engine: Engine, fixture_server: FixtureServer) -> None:
    _one_feed(fixture_server, 6)
    config = parse_sources({"defaults": {"delay": 0.0}, "source": [{"key": "uji",
                                                                      "feeds": [fixture_server.url("/rss")]}]})
    with fast_fetcher() as fetcher:
        summary = Collector(engine, config, fetcher, workers=2, batch_size=2).run_round()
    assert summary.sources["uji"].ingested == 6
    assert set(statuses(engine).values()) == {"ingested"}


def test_a_stop_cuts_a_long_politeness_delay_short(engine: Engine, fixture_server: FixtureServer) -> None:
    _one_feed(fixture_server, 3)
    config = parse_sources({"source": [{"key": "uji", "feeds": [fixture_server.url("/rss")], "delay": 30.0}]})
    stop = threading.Event()
    with Fetcher(FetchPolicy.from_data(host_delay=0.0, timeout=2.0), sleep=interruptible_sleep(stop)) as fetcher:
        collector = Collector(engine, config, fetcher, batch_size=1, stop=stop)
        timer = threading.Timer(1.0, stop.set)
        timer.start()
        started = time.monotonic()
        summary = collector.run_round()
        timer.cancel()
    assert time.monotonic() - started < 10
    assert summary.stopped and summary.sources["uji"].fetched <= 1
    assert fixture_server.hits("/berita/1/x") + fixture_server.hits("/berita/2/x") <= 1


def test_news_sitemaps_declared_in_robots_txt_are_read(engine: Engine, fixture_server: FixtureServer) -> None:
    fixture_server.robots(f"User-agent: *\nAllow: /\nSitemap: {fixture_server.url('/sitemap-news.xml')}\n"
                          f"Sitemap: {fixture_server.url('/sitemap-arsip.xml')}\n")
    for number in range(3):
        fixture_server.route(f"/read/{number}/x", article_html(number))
    fixture_server.route("/sitemap-news.xml", news_sitemap(fixture_server, ["/read/1/x", "/read/2/x"]),
                         content_type="application/xml")
    fixture_server.route("/sitemap-arsip.xml", news_sitemap(fixture_server, ["/read/0/x"]),
                         content_type="application/xml")
    fixture_server.route("/rss", rss(fixture_server, ["/read/1/x"]), content_type="application/rss+xml")
    config = parse_sources({"defaults": {"delay": 0.0, "robots_sitemaps": "news"}, "source": [
        {"key": "uji", "feeds": [fixture_server.url("/rss")]}]})
    with fast_fetcher() as fetcher:
        summary = Collector(engine, config, fetcher).run_round()
    assert summary.sources["uji"].ingested == 2
    assert fixture_server.hits("/sitemap-news.xml") == 1 and fixture_server.hits("/sitemap-arsip.xml") == 0
