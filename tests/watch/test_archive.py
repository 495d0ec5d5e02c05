"""The WARC archive: what the fetcher got is readable by warcio and by pantau's own WARC reader."""

from __future__ import annotations

import gzip
import random
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from pantau.spark.warc import HTML, HTTP_STATUS, NOT_RESPONSE, iter_warc
from pantau.watch.archive import WarcArchive
from pantau.watch.http import Fetcher, FetchError, FetchPolicy
from tests.watch.server import ARTICLE, ARTICLE_LATIN1, FixtureServer, Reply

NAME = re.compile(r"^pantau-\d{8}T\d{6}Z-\d+(-\d+)?\.warc\.gz$")


def records(path: Path) -> list[tuple[str, str | None, str | None, bytes, object, object]]:
    """(type, target URI, status, decoded payload, warc headers, http headers) of every record."""
    found = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            status = record.http_headers.get_statuscode() if record.http_headers else None
            found.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"), status,
                          record.content_stream().read(), record.rec_headers, record.http_headers))
    return found


def test_fetched_exchanges_round_trip(fixture_server: FixtureServer, tmp_path: Path) -> None:
    fixture_server.robots("User-agent: *\nDisallow: /rahasia\n")
    page = fixture_server.route("/berita/1", ARTICLE, headers={"ETag": '"a1"'})
    packed = fixture_server.gzipped("/berita/2", ARTICLE.replace("Dua", "Tiga"))
    chunked = fixture_server.route("/berita/3", handler=lambda _r: Reply(chunks=[b"<html><body><p>Satu ",
                                                                                 b"dua tiga</p></body></html>"]))
    latin = fixture_server.route("/berita/4", ARTICLE_LATIN1, content_type="text/html; charset=iso-8859-1")
    moved = fixture_server.redirect("/lama", "/berita/1")
    with WarcArchive(tmp_path / "warc") as archive, Fetcher(FetchPolicy.from_data(host_delay=0.0),
                                                            archive=archive) as fetcher:
        for url in (page, packed, chunked, latin, moved):
            fetcher.get(url)
        with pytest.raises(FetchError):
            fetcher.get(fixture_server.url("/hilang"))
        written = list(archive.paths)
    assert len(written) == 1 and NAME.match(written[0].name)
    found = records(written[0])
    assert found[0][0] == "warcinfo" and b"pantau/" in found[0][3]
    responses = [entry for entry in found if entry[0] == "response"]
    requests = [entry for entry in found if entry[0] == "request"]
    assert [(uri, status) for _, uri, status, *_ in responses] == [
        (fixture_server.url("/robots.txt"), "200"), (page, "200"), (packed, "200"), (chunked, "200"),
        (latin, "200"), (moved, "301"), (page, "200"), (fixture_server.url("/hilang"), "404")]
    assert len(requests) == len(responses)
    for response, request in zip(responses, requests, strict=True):
        assert request[4].get_header("WARC-Concurrent-To") == response[4].get_header("WARC-Record-ID")
        assert request[5].protocol == "GET" and request[5].statusline.endswith(" HTTP/1.1")  # warcio's split
        assert request[5].get_header("User-Agent").startswith("pantau/")
        assert response[4].get_header("WARC-IP-Address") == "127.0.0.1"
    by_uri = {uri: (payload, http) for _, uri, status, payload, _, http in responses if status == "200"}
    assert by_uri[page][0] == ARTICLE.encode() and by_uri[page][1].get_header("ETag") == '"a1"'
    assert by_uri[packed][0] == ARTICLE.replace("Dua", "Tiga").encode()  # stored compressed, read back decoded
    assert by_uri[packed][1].get_header("Content-Encoding") == "gzip"
    assert by_uri[chunked][0] == b"<html><body><p>Satu dua tiga</p></body></html>"
    assert by_uri[chunked][1].get_header("X-Crawler-Transfer-Encoding") == "chunked"
    assert by_uri[latin][0] == ARTICLE_LATIN1

    # pantau's own reader (pantau spark) sees the same pages as documents
    with written[0].open("rb") as stream:
        items = list(iter_warc(stream, str(written[0])))
    pages = {item.document.url: item.document for item in items if item.outcome == HTML and item.document}
    assert set(pages) == {page, packed, chunked, latin}
    assert "Tiga Pengedar" in pages[packed].html and "caf\u00e9" in pages[latin].html
    assert sorted(item.reason or "" for item in items if item.outcome == HTTP_STATUS) == ["HTTP 301", "HTTP 404"]
    assert {item.reason for item in items if item.outcome == NOT_RESPONSE} == {"warcinfo", "request"}


def test_files_rotate_and_each_is_complete(tmp_path: Path) -> None:
    body = random.Random(7).randbytes(3_000)  # does not compress: every file passes the limit after one exchange
    with WarcArchive(tmp_path, max_file_bytes=2_000) as archive:
        for number in range(5):
            archive.write_exchange(f"https://contoh.id/b/{number}", [("Host", "contoh.id")], "HTTP/1.1", 200, "OK",
                                   [("Content-Type", "application/octet-stream")], body,
                                   datetime(2024, 12, 3, 8, tzinfo=UTC))
        paths = list(archive.paths)
    assert len(paths) == 5 and len(set(paths)) == 5 and all(NAME.match(path.name) for path in paths)
    for number, path in enumerate(paths):
        found = records(path)
        assert [entry[0] for entry in found] == ["warcinfo", "response", "request"]
        assert found[1][1] == f"https://contoh.id/b/{number}" and found[1][3] == body
        assert found[1][4].get_header("WARC-Date") == "2024-12-03T08:00:00.000Z"


def test_nothing_fetched_leaves_no_file(tmp_path: Path) -> None:
    with WarcArchive(tmp_path / "kosong") as archive:
        assert archive.path is None
    assert not (tmp_path / "kosong").exists() or not any((tmp_path / "kosong").iterdir())


def test_writes_from_many_threads_stay_whole(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path)

    def write(worker: int) -> None:
        for number in range(40):
            archive.write_exchange(f"https://contoh{worker}.id/b/{number}", [], "HTTP/1.1", 200, "OK",
                                   [("Content-Type", "text/plain")], f"{worker}:{number}".encode() * 50)

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    archive.close()
    found = records(archive.paths[0])
    responses = [entry for entry in found if entry[0] == "response"]
    assert len(responses) == 160 and len(found) == 321
    for _, uri, _, payload, _, _ in responses:
        worker, number = re.findall(r"contoh(\d)\.id/b/(\d+)", uri or "")[0]
        assert payload == f"{worker}:{number}".encode() * 50
    with gzip.open(archive.paths[0]) as whole:  # one gzip member per record, a plain gzip reader reads them all
        assert whole.read().count(b"WARC/1.1\r\n") == 321
