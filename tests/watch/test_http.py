"""The fetch layer against the local fixture server: politeness, retries, limits, robots.txt, conditional GET."""

from __future__ import annotations

import socket

import httpx

from tests.watch.server import ARTICLE, FixtureServer, Reply, ServerFactory


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
