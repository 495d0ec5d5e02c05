"""One article, one URL: canonical forms and keys of the spellings feeds and pages link articles under."""

from __future__ import annotations

import pytest

from pantau.watch.canonical import canonical_url, same_site, site_host, url_key

CASES = [
    # case, default port, fragment, trackers, sorted query; the path keeps its case
    ("HTTP://Www.Contoh.ID:80/Berita/Satu?utm_source=fb&b=2&a=1#baca", "http://www.contoh.id/Berita/Satu?a=1&b=2"),
    ("https://contoh.id:443/x/", "https://contoh.id/x/"),
    ("https://contoh.id", "https://contoh.id/"),
    ("https://contoh.id/a/?fbclid=IwAR0&gclid=Cj0&utm_medium=social", "https://contoh.id/a/"),
    ("https://contoh.id/a?_ga=2.1&ref=beranda&page=2", "https://contoh.id/a?page=2"),
    # AMP copies: path segment first or last, suffix, query, amp. host
    ("https://www.contoh.id/amp/regional/2024/12/03/polisi-tangkap",
     "https://www.contoh.id/regional/2024/12/03/polisi-tangkap"),
    ("https://contoh.id/berita/d-123/judul/amp", "https://contoh.id/berita/d-123/judul"),
    ("https://contoh.id/berita/judul.amp", "https://contoh.id/berita/judul"),
    ("https://contoh.id/berita/judul.amp.html", "https://contoh.id/berita/judul.html"),
    ("https://contoh.id/read/x?outputType=amp&page=2", "https://contoh.id/read/x?page=2"),
    ("https://contoh.id/read/x?amp=1", "https://contoh.id/read/x"),
    ("https://contoh.id/read/x?amp", "https://contoh.id/read/x"),
    ("https://amp.contoh.co.id/read/x", "https://contoh.co.id/read/x"),
    # mobile copies name the main site; a registered domain that starts with "m." is left alone
    ("https://m.contoh.id/news/amp/123?amp=1", "https://contoh.id/news/123"),
    ("https://mobile.contoh.go.id/rilis/1", "https://contoh.go.id/rilis/1"),
    ("https://m.co.id/a", "https://m.co.id/a"),
    # path spelling: dot segments, escapes of unreserved characters, raw spaces and non-ASCII
    ("https://contoh.id/a/b/../c/./d", "https://contoh.id/a/c/d"),
    ("https://contoh.id/%7eRedaksi/Kab%2fKota/caf\u00e9 baru", "https://contoh.id/~Redaksi/Kab%2FKota/caf%C3%A9%20baru"),
    ("https://contoh.id//berita//1", "https://contoh.id/berita/1"),
    # session identifiers in the path go, other path parameters stay
    ("https://contoh.id/a;jsessionid=0A1B2C?x=1", "https://contoh.id/a?x=1"),
    ("https://contoh.id/a;v=2", "https://contoh.id/a;v=2"),
    # IPv6 literals keep their brackets
    ("http://[::1]:80/a", "http://[::1]/a"),
    # repeated parameters keep their order
    ("https://contoh.id/x?tag=b&id=5&tag=a", "https://contoh.id/x?id=5&tag=b&tag=a"),
    # local hosts keep their ports (the test servers)
    ("http://127.0.0.1:8080/amp/x?amp", "http://127.0.0.1:8080/x"),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected  # idempotent


def test_canonical_url_refuses_what_is_not_a_web_url() -> None:
    for url in ("mailto:redaksi@contoh.id", "javascript:void(0)", "/relatif/saja", "ftp://contoh.id/a"):
        with pytest.raises(ValueError):
            canonical_url(url)


def test_url_key_is_one_per_article() -> None:
    same = ["https://www.contoh.id/berita/1", "http://contoh.id/berita/1#komentar",
            "https://m.contoh.id/berita/1?utm_campaign=x", "https://contoh.id/amp/berita/1",
            " https://CONTOH.id/berita/1 "]
    keys = {url_key(url) for url in same}
    assert len(keys) == 1
    key = keys.pop()
    assert len(key) == 64 and int(key, 16) >= 0
    assert url_key("https://contoh.id/berita/2") != key
    assert url_key("https://contoh.id/Berita/1") != key  # path case is the site's business
    assert url_key("https://lain.id/berita/1") != key


def test_same_site_and_site_host() -> None:
    assert site_host("https://m.news.contoh.id/a") == "news.contoh.id"
    assert site_host("www.contoh.co.id") == "contoh.co.id"
    assert same_site("https://news.contoh.id/a", "www.contoh.id")
    assert same_site("https://m.contoh.id/a", "contoh.id")
    assert not same_site("https://contohx.id/a", "contoh.id")
    assert not same_site("https://contoh.id.palsu.com/a", "contoh.id")
