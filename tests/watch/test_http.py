"""The fetch layer against the local fixture server: politeness, retries, limits, robots.txt, conditional GET."""

from __future__ import annotations

import gzip
import itertools
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from pantau import __version__
from pantau.watch.http import Fetcher, FetchError, FetchPolicy, RobotsForbidden
from tests.watch.server import ARTICLE, ARTICLE_LATIN1, FixtureServer, Reply, ServerFactory, http_date


def test_fixture_server_routes_log_and_faults(fixture_server: FixtureServer) -> None:
    """The fixture itself: fixed routes, sequences, 304s, unknown paths, and the request log."""
    page = fixture_server.route("/berita/1", ARTICLE)
    seq = fixture_server.statuses("/naik-turun", [500, 200])
    cond = fixture_server.conditional("/tetap", "<p>sama</p>")
    with httpx.Client() as client:
        assert client.get(page).text == ARTICLE
        assert [client.get(seq).status_code for _ in range(3)] == [500, 200, 200]
        first = client.get(cond)
        assert first.status_code == 200
        assert client.get(cond, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        assert client.get(fixture_server.url("/tidak-ada")).status_code == 404
    assert fixture_server.hits("/naik-turun") == 3
    assert fixture_server.requests_for("/tetap")[1].header("if-none-match") == '"v1"'
    assert fixture_server.paths()[0] == "/berita/1"


def test_fixture_servers_are_distinct_hosts(fixture_servers: ServerFactory) -> None:
    first, second = fixture_servers.many(2)
    assert first.host != second.host
    second.sequence("/x", [Reply(503, b"", {"Retry-After": "1"}), Reply(200, b"ok")])
    assert httpx.get(second.url("/x")).headers["retry-after"] == "1"
    assert first.hits("/x") == 0 and second.hits("/x") == 1


def test_fixture_server_sees_a_client_hang_up(fixture_server: FixtureServer) -> None:
    """A client that stops reading a huge body leaves the request marked not completed."""
    fixture_server.huge("/besar", 64 << 20)
    with socket.create_connection(("127.0.0.1", fixture_server.port)) as raw:
        raw.sendall(b"GET /besar HTTP/1.1\r\nHost: x\r\n\r\n")
        assert raw.recv(1024).startswith(b"HTTP/1.1 200")
    finished = fixture_server.wait_finished("/besar")
    assert finished is not None and finished.completed is False and finished.sent < 64 << 20


# -- the fetcher ------------------------------------------------------------------------------------


class FakeTime:
    """A clock that only moves when the fetcher sleeps: delays are asserted exactly and cost no time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def policy(**changes: object) -> FetchPolicy:
    """Test policy: quick, with the given changes on top of the shipped defaults."""
    base: dict[str, object] = {"host_delay": 0.0, "backoff": 0.01, "timeout": 5.0}
    base.update(changes)
    return FetchPolicy.from_data(**base)


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def test_policy_defaults_come_from_the_data_file() -> None:
    shipped = FetchPolicy.from_data()
    assert shipped.user_agent.startswith(f"pantau/{__version__} (+https://")
    assert (shipped.host_delay, shipped.host_concurrency, shipped.max_bytes) == (1.0, 1, 8 << 20)
    assert 429 in shipped.retry_statuses and 404 not in shipped.retry_statuses
    assert FetchPolicy.from_data(retries=0).retries == 0
    with pytest.raises(ValueError, match="unknown"):
        FetchPolicy.from_data(speed=3)


def test_identifies_itself_and_reads_robots_first(fixture_server: FixtureServer) -> None:
    url = fixture_server.route("/berita/1", ARTICLE)
    with Fetcher(policy()) as fetcher:
        response = fetcher.get(url)
        fetcher.get(url)
    assert response.status == 200 and response.body == ARTICLE.encode()
    assert response.url == response.requested == url and response.fetched_at.tzinfo is not None
    assert response.content_type == "text/html" and response.charset == "utf-8"
    assert fixture_server.paths() == ["/robots.txt", "/berita/1", "/berita/1"]  # robots.txt read once
    agent = fixture_server.requests_for("/berita/1")[0].header("user-agent") or ""
    assert agent.startswith("pantau/") and "+https://" in agent


def test_per_host_delay_spaces_request_starts(fixture_server: FixtureServer) -> None:
    urls = [fixture_server.route(f"/b/{n}", ARTICLE) for n in range(3)]
    with Fetcher(policy(host_delay=0.25)) as fetcher:
        for url in urls:
            fetcher.get(url)
        logged = [when for _, when in fetcher.request_log()]
    assert len(logged) == 4  # robots.txt, then the three pages
    assert all(gap >= 0.25 for gap in gaps(logged))
    arrivals = [request.time for request in fixture_server.requests]
    # the server never saw a request before the gap after the previous one's start had passed
    assert all(arrival >= start + 0.25 for start, arrival in zip(logged, arrivals[1:], strict=False))


def test_source_delay_and_crawl_delay_raise_the_gap(fixture_servers: ServerFactory) -> None:
    plain, slowed = fixture_servers.many(2)
    plain_urls = [plain.route(f"/p/{n}", ARTICLE) for n in range(2)]
    slowed.robots("User-agent: *\nCrawl-delay: 4\nDisallow: /admin\n")
    slowed_urls = [slowed.route(f"/s/{n}", ARTICLE) for n in range(2)]
    fake = FakeTime()
    with Fetcher(policy(host_delay=1.0), sleep=fake.sleep, clock=fake.clock) as fetcher:
        for url in plain_urls:
            fetcher.get(url, delay=2.5)  # the source's own politeness delay wins over host_delay
        for url in slowed_urls:
            fetcher.get(url, delay=2.5)  # Crawl-delay 4 wins over both
        log = fetcher.request_log()
    plain_times = [when for url, when in log if plain.host in url]
    slowed_times = [when for url, when in log if slowed.host in url]
    assert gaps(plain_times) == [2.5, 2.5]
    assert gaps(slowed_times) == [4.0, 4.0]  # the page after robots.txt already waits its Crawl-delay


def test_max_crawl_delay_caps_a_huge_crawl_delay(fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nCrawl-delay: 86400\n")
    urls = [fixture_server.route(f"/c/{n}", ARTICLE) for n in range(2)]
    fake = FakeTime()
    with Fetcher(policy(max_crawl_delay=30.0), sleep=fake.sleep, clock=fake.clock) as fetcher:
        for url in urls:
            fetcher.get(url)
        times = [when for _, when in fetcher.request_log()]
    assert gaps(times)[-1] == 30.0


def test_hosts_overlap_while_one_host_is_serialised(fixture_servers: ServerFactory) -> None:
    first, second = fixture_servers.many(2)
    urls = []
    for server in (first, second):
        urls += [server.route(f"/lambat/{n}", ARTICLE, delay=0.5) for n in range(2)]
    with Fetcher(policy()) as fetcher, ThreadPoolExecutor(4) as pool:
        assert all(response.status == 200 for response in pool.map(fetcher.get, urls))
    for server in (first, second):
        one, two = sorted((r for r in server.requests if r.path.startswith("/lambat")), key=lambda r: r.time)
        assert two.time - one.time >= 0.49  # the second waited for the first's slow answer: one at a time
    a = min((r for r in first.requests if r.path.startswith("/lambat")), key=lambda r: r.time)
    b = min((r for r in second.requests if r.path.startswith("/lambat")), key=lambda r: r.time)
    assert abs(a.time - b.time) < 0.45  # the two hosts were asked while each other's answer was pending


def test_host_concurrency_two_lets_two_requests_overlap(fixture_server: FixtureServer) -> None:
    urls = [fixture_server.route(f"/dua/{n}", ARTICLE, delay=0.5) for n in range(2)]
    with Fetcher(policy(host_concurrency=2)) as fetcher, ThreadPoolExecutor(2) as pool:
        list(pool.map(fetcher.get, urls))
    one, two = sorted(fixture_server.requests_for("/dua/0") + fixture_server.requests_for("/dua/1"),
                      key=lambda r: r.time)
    assert two.time - one.time < 0.45


def test_retry_after_seconds_and_date_are_honoured(fixture_server: FixtureServer) -> None:
    url = fixture_server.sequence("/sibuk", [Reply(429, b"", {"Retry-After": "7"}),
                                             Reply(503, b"", {"Retry-After": http_date(30)}),
                                             Reply(200, ARTICLE.encode())])
    fake = FakeTime()
    with Fetcher(policy(), sleep=fake.sleep, clock=fake.clock) as fetcher:
        response = fetcher.get(url)
    assert response.status == 200 and response.attempts == 3
    assert fixture_server.hits("/sibuk") == 3
    assert fake.sleeps[0] == 7.0
    assert 27.0 <= fake.sleeps[1] <= 31.0  # an HTTP date has whole seconds


def test_a_real_short_retry_after_is_waited_for(fixture_server: FixtureServer) -> None:
    url = fixture_server.sequence("/sebentar", [Reply(503, b"", {"Retry-After": "1"}), Reply(200, b"ok")])
    with Fetcher(policy()) as fetcher:
        assert fetcher.get(url).body == b"ok"
    first, second = fixture_server.requests_for("/sebentar")
    assert second.time - first.time >= 0.95


def test_backoff_grows_without_retry_after(fixture_server: FixtureServer) -> None:
    url = fixture_server.statuses("/rusak", [500, 502, 200])
    fake = FakeTime()
    with Fetcher(policy(backoff=1.0), sleep=fake.sleep, clock=fake.clock) as fetcher:
        assert fetcher.get(url).status == 200
    assert 1.0 <= fake.sleeps[0] <= 1.5 and 2.0 <= fake.sleeps[1] <= 3.0


def test_retries_run_out_and_long_retry_after_is_not_waited_for(fixture_server: FixtureServer) -> None:
    broken = fixture_server.statuses("/mati", [503])
    later = fixture_server.statuses("/nanti", [429], headers={"Retry-After": "3600"})
    fake = FakeTime()
    with Fetcher(policy(retries=2), sleep=fake.sleep, clock=fake.clock) as fetcher:
        with pytest.raises(FetchError) as exhausted:
            fetcher.get(broken)
        with pytest.raises(FetchError) as refused:
            fetcher.get(later)
    assert exhausted.value.reason == "HTTP 503" and exhausted.value.status == 503 and exhausted.value.retryable
    assert fixture_server.hits("/mati") == 3
    assert refused.value.retryable and refused.value.retry_after == 3600.0
    assert fixture_server.hits("/nanti") == 1
    assert max(fake.sleeps) < 3600


def test_dropped_connections_are_retried(fixture_server: FixtureServer) -> None:
    url = fixture_server.dropped("/putus", 2)
    with Fetcher(policy()) as fetcher:
        assert fetcher.get(url).body == b"<p>pulih</p>"
    assert fixture_server.hits("/putus") == 3


def test_404_is_not_retried(fixture_server: FixtureServer) -> None:
    with Fetcher(policy()) as fetcher, pytest.raises(FetchError) as error:
        fetcher.get(fixture_server.url("/hilang"))
    assert (error.value.reason, error.value.status, error.value.retryable) == ("HTTP 404", 404, False)
    assert fixture_server.hits("/hilang") == 1


def test_slow_server_times_out(fixture_server: FixtureServer) -> None:
    silent = fixture_server.slow("/diam", 5.0)
    trickling = fixture_server.trickle("/tetes", pieces=40, every=0.1)  # 4 s in all, each read quick
    with Fetcher(policy(timeout=0.5)) as fetcher:
        for url in (silent, trickling):
            started = time.monotonic()
            with pytest.raises(FetchError) as error:
                fetcher.get(url)
            assert error.value.reason == "timeout" and error.value.retryable
            assert time.monotonic() - started < 2.0  # the whole exchange is bounded, not each read
    assert fixture_server.hits("/diam") == 1  # a timeout is left to the next round, not retried at once


def test_redirects_followed_counted_and_loops_caught(fixture_server: FixtureServer) -> None:
    short = fixture_server.redirect_chain("/pendek", 3)
    long = fixture_server.redirect_chain("/panjang", 7)
    loop = fixture_server.redirect_loop()
    with Fetcher(policy(max_redirects=5)) as fetcher:
        response = fetcher.get(short)
        assert response.url == fixture_server.url("/pendek/3") and len(response.redirects) == 3
        with pytest.raises(FetchError, match="too many redirects"):
            fetcher.get(long)
        with pytest.raises(FetchError) as looped:
            fetcher.get(loop)
    assert looped.value.reason == "redirect loop"
    assert fixture_server.hits("/loop/a") == 1 and fixture_server.hits("/loop/b") == 1
    assert fixture_server.hits("/panjang/6") == 0


def test_huge_body_is_cut_and_the_connection_closed(fixture_server: FixtureServer) -> None:
    streamed = fixture_server.huge("/besar", 64 << 20, declare_length=False)
    declared = fixture_server.huge("/besar-juga", 64 << 20)
    bomb = fixture_server.gzipped("/bom", b"\0" * (4 << 20), content_type="text/html")
    with Fetcher(policy(max_bytes=1 << 20)) as fetcher:
        for url in (streamed, declared, bomb):
            with pytest.raises(FetchError) as error:
                fetcher.get(url)
            assert error.value.reason == "too large" and not error.value.retryable
    for path in ("/besar", "/besar-juga"):
        finished = fixture_server.wait_finished(path)
        assert finished is not None and finished.completed is False and finished.sent < 64 << 20


def test_robots_disallow_means_never_requested(fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nDisallow: /rahasia\n\nUser-agent: pantau\nDisallow: /khusus\n"
                          "Disallow: /rahasia\n")
    fixture_server.route("/rahasia/1", ARTICLE)
    fixture_server.route("/khusus/1", ARTICLE)
    open_page = fixture_server.route("/terbuka", ARTICLE)
    with Fetcher(policy()) as fetcher:
        for path in ("/rahasia/1", "/khusus/1"):
            with pytest.raises(RobotsForbidden) as error:
                fetcher.get(fixture_server.url(path))
            assert error.value.reason == "robots.txt forbids" and not error.value.retryable
        assert not fetcher.allowed(fixture_server.url("/khusus/2"))
        assert fetcher.allowed(open_page) and fetcher.get(open_page).status == 200
    assert fixture_server.paths() == ["/robots.txt", "/terbuka"]


def test_redirect_into_a_forbidden_path_is_not_followed(fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nDisallow: /dalam\n")
    start = fixture_server.redirect("/luar", "/dalam/1")
    with Fetcher(policy()) as fetcher, pytest.raises(RobotsForbidden):
        fetcher.get(start)
    assert fixture_server.hits("/dalam/1") == 0


def test_robots_errors_disallow_and_missing_robots_allows(fixture_servers: ServerFactory) -> None:
    failing, missing = fixture_servers.many(2)
    failing.robots("", status=503)
    blocked = failing.route("/a", ARTICLE)
    free = missing.route("/a", ARTICLE)
    with Fetcher(policy()) as fetcher:
        with pytest.raises(RobotsForbidden) as error:
            fetcher.get(blocked)
        assert error.value.retryable and "503" in error.value.reason
        assert fetcher.get(free).status == 200
    assert failing.hits("/a") == 0 and failing.hits("/robots.txt") == 1  # robots.txt itself not retried
    assert missing.paths() == ["/robots.txt", "/a"]


def test_conditional_get_yields_304(fixture_server: FixtureServer) -> None:
    url = fixture_server.conditional("/feed.xml", "<rss><channel><title>Berita</title></channel></rss>")
    with Fetcher(policy()) as fetcher:
        first = fetcher.get(url)
        by_etag = fetcher.get(url, etag=first.etag)
        by_date = fetcher.get(url, last_modified=first.last_modified)
        changed = fetcher.get(url, etag='"lama"')
    assert first.status == 200 and first.etag == '"v1"' and first.last_modified
    assert by_etag.not_modified and by_etag.body == b"" and by_date.not_modified
    assert changed.status == 200 and changed.body.startswith(b"<rss>")
    sent = fixture_server.requests_for("/feed.xml")
    assert sent[0].header("if-none-match") is None
    assert sent[1].header("if-none-match") == '"v1"'
    assert sent[2].header("if-modified-since") == first.last_modified and sent[2].header("if-none-match") is None


def test_gzip_encoding_is_decoded_but_a_gz_file_stays_raw(fixture_server: FixtureServer) -> None:
    encoded = fixture_server.gzipped("/halaman", ARTICLE)
    sitemap = b'<?xml version="1.0"?><urlset><url><loc>http://contoh.id/a</loc></url></urlset>'
    packed = fixture_server.gzip_file("/sitemap.xml.gz", sitemap)
    with Fetcher(policy()) as fetcher:
        assert fetcher.get(encoded).body == ARTICLE.encode()
        raw = fetcher.get(packed).body
    assert raw[:2] == b"\x1f\x8b" and gzip.decompress(raw) == sitemap
    assert "gzip" in (fixture_server.requests_for("/halaman")[0].header("accept-encoding") or "")


def test_non_utf8_bytes_come_back_untouched(fixture_server: FixtureServer) -> None:
    url = fixture_server.route("/latin", ARTICLE_LATIN1, content_type="text/html; charset=ISO-8859-1")
    with Fetcher(policy()) as fetcher:
        response = fetcher.get(url)
    assert response.body == ARTICLE_LATIN1 and response.charset == "ISO-8859-1"
    assert response.body.decode(response.charset).count("caf\u00e9") == 1


def test_bad_urls_fail_without_a_request(fixture_server: FixtureServer) -> None:
    with Fetcher(policy()) as fetcher:
        for url in ("ftp://contoh.id/berkas", "mailto:redaksi@contoh.id", "http:///tanpa-host"):
            with pytest.raises(FetchError, match="bad URL"):
                fetcher.get(url)
            assert not fetcher.allowed(url)
        assert fetcher.request_log() == []


def test_only_the_start_of_a_huge_robots_txt_counts(fixture_server: FixtureServer) -> None:
    padding = "".join(f"# baris {n}\n" for n in range(200))
    fixture_server.robots(f"User-agent: *\nDisallow: /awal\n{padding}Disallow: /akhir\n")
    with Fetcher(policy(robots_max_bytes=200)) as fetcher:
        assert not fetcher.allowed(fixture_server.url("/awal/1"))
        assert fetcher.allowed(fixture_server.url("/akhir/1"))  # beyond the limit: never read


def test_a_long_retry_after_closes_the_host_until_it_is_over(fixture_server: FixtureServer) -> None:
    busy = fixture_server.statuses("/antre", [503, 200], headers={"Retry-After": "600"})
    other = fixture_server.route("/lain", ARTICLE)
    fake = FakeTime()
    with Fetcher(policy(max_retry_after=60.0), sleep=fake.sleep, clock=fake.clock) as fetcher:
        with pytest.raises(FetchError) as first:
            fetcher.get(busy)
        with pytest.raises(FetchError) as second:
            fetcher.get(other)
        assert first.value.retry_after == 600.0
        assert second.value.reason == "server asked to wait" and second.value.retryable
        assert fixture_server.hits("/lain") == 0  # not even asked
        fake.now += 601
        assert fetcher.get(other).status == 200


def test_robots_groups_match_the_product_token_not_the_contact_url(fixture_server: FixtureServer) -> None:
    # our user agent contains "github" and "news" in its contact part: those groups are for other crawlers
    fixture_server.robots("User-agent: github\nDisallow: /\n\nUser-agent: news\nDisallow: /\n\n"
                          "User-agent: PANTAU\nDisallow: /dapur\n")
    with Fetcher(policy()) as fetcher:
        assert fetcher.policy.robots_token == "pantau"
        assert fetcher.allowed(fixture_server.url("/berita/1"))
        assert not fetcher.allowed(fixture_server.url("/dapur/1"))


def test_a_validator_http_cannot_carry_fails_without_retries(fixture_server: FixtureServer) -> None:
    url = fixture_server.route("/a", ARTICLE)
    with Fetcher(policy()) as fetcher, pytest.raises(FetchError) as error:
        fetcher.get(url, etag='"a"\r\nX-Sisipan: 1')
    assert error.value.reason == "bad request" and not error.value.retryable
    assert fixture_server.hits("/a") == 0


def test_robots_sitemaps_are_offered(fixture_server: FixtureServer) -> None:
    fixture_server.robots("User-agent: *\nDisallow:\nSitemap: /sitemap-berita.xml\n"
                          "Sitemap: https://cdn.contoh.id/sitemap-index.xml.gz\n")
    with Fetcher(policy()) as fetcher:
        assert fetcher.robots_sitemaps(fixture_server.url("/apa-saja")) == [
            fixture_server.url("/sitemap-berita.xml"), "https://cdn.contoh.id/sitemap-index.xml.gz"]
        assert fetcher.robots_sitemaps("mailto:redaksi@contoh.id") == []
    assert fixture_server.paths() == ["/robots.txt"]
