"""Discovery is a pure function of the bytes fetched: feeds, sitemaps and listing pages, with their quirks."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from pantau.watch.canonical import same_site
from pantau.watch.discover import DiscoveryError, feed_links, listing_links, parse_sitemap

BASE = "http://kabar.test"

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Kabar Uji</title><link>{BASE}/</link>
<atom:link href="{BASE}/rss" rel="self" type="application/rss+xml"/>
<item><title>Polres Uji menyita sabu</title><link>{BASE}/hukum/2026/12/05/polres-uji-menyita-sabu</link></item>
<item><title>Lapas Uji</title><link><![CDATA[/hukum/2026/12/05/lapas-uji-razia?utm_source=rss]]></link></item>
<item><title>Polres Uji menyita sabu (lagi)</title><link>{BASE}/hukum/2026/12/05/polres-uji-menyita-sabu</link></item>
</channel></rss>"""


def test_rss_items_absolute_in_order_each_once() -> None:
    urls = [found.url for found in feed_links(RSS.encode(), f"{BASE}/rss")]
    assert urls == [f"{BASE}/hukum/2026/12/05/polres-uji-menyita-sabu",
                    f"{BASE}/hukum/2026/12/05/lapas-uji-razia?utm_source=rss"]


def test_atom_entries_without_self_or_homepage_links() -> None:
    atom = f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
    <link rel="self" href="{BASE}/atom"/><link rel="alternate" href="{BASE}/"/>
    <entry><title>a</title><link href="{BASE}/berita/satu-dua"/></entry>
    <entry><title>b</title><link rel="alternate" href="{BASE}/berita/tiga-empat"/></entry></feed>"""
    assert [found.url for found in feed_links(atom, f"{BASE}/atom")] == [f"{BASE}/berita/satu-dua",
                                                                          f"{BASE}/berita/tiga-empat"]


def test_json_feed() -> None:
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "url": f"{BASE}/b/c"}]})
    assert [found.url for found in feed_links(body, f"{BASE}/feed.json")] == [f"{BASE}/b/c"]


def test_malformed_feed_xml_still_yields_its_links() -> None:
    broken = RSS.replace("</channel></rss>", "<item><title>unclosed & broken")
    assert len(feed_links(broken, f"{BASE}/rss")) == 2


def test_an_error_page_is_not_a_feed() -> None:
    with pytest.raises(DiscoveryError, match="not a feed"):
        feed_links(b"<!doctype html><html><body>Halaman tidak ditemukan</body></html>", f"{BASE}/rss")


def test_empty_feed_is_no_links_not_an_error() -> None:
    assert feed_links(b"  ", f"{BASE}/rss") == []


NEWS_SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{BASE}/read/101/bnnp-uji-musnahkan-ganja</loc>
  <news:news><news:publication><news:name>Kabar Uji</news:name><news:language>id</news:language></news:publication>
  <news:publication_date>2026-12-05T09:30:00+07:00</news:publication_date>
  <news:title>BNNP Uji musnahkan ganja</news:title></news:news></url>
<url><loc>{BASE}/read/102/polsek-uji</loc><lastmod>2026-12-04</lastmod></url>
<url><loc>{BASE}/read/101/bnnp-uji-musnahkan-ganja</loc></url>
</urlset>"""


def test_news_sitemap_keeps_publication_date_and_title() -> None:
    content = parse_sitemap(NEWS_SITEMAP.encode(), f"{BASE}/sitemap-news.xml")
    assert [(found.url, found.published, found.title) for found in content.articles] == [
        (f"{BASE}/read/101/bnnp-uji-musnahkan-ganja", "2026-12-05T09:30:00+07:00", "BNNP Uji musnahkan ganja"),
        (f"{BASE}/read/102/polsek-uji", "2026-12-04", None)]
    assert content.sitemaps == []


def test_gzip_sitemap_index_lists_nested_sitemaps() -> None:
    index = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f'<sitemap><loc>{BASE}/sitemap-1.xml.gz</loc></sitemap><sitemap><loc>/sitemap-2.xml</loc></sitemap>'
             f'</sitemapindex>')
    content = parse_sitemap(gzip.compress(index.encode()), f"{BASE}/sitemap_index.xml.gz")
    assert content.sitemaps == [f"{BASE}/sitemap-1.xml.gz", f"{BASE}/sitemap-2.xml"]
    assert content.articles == []


def test_text_sitemap_and_non_sitemaps() -> None:
    text = f"{BASE}/a/satu\n\n{BASE}/a/dua\nbukan url\n".encode()
    assert [found.url for found in parse_sitemap(text, f"{BASE}/sitemap.txt").articles] == [f"{BASE}/a/satu",
                                                                                           f"{BASE}/a/dua"]
    with pytest.raises(DiscoveryError, match="not a sitemap"):
        parse_sitemap(b'<?xml version="1.0"?><rss><channel/></rss>', f"{BASE}/sitemap.xml")
    with pytest.raises(DiscoveryError, match="gzip"):
        parse_sitemap(b"\x1f\x8b\x08\x00broken", f"{BASE}/sitemap.xml.gz")


def test_sitemap_entities_are_not_expanded() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{BASE}/x/&b;</loc></url>'
            '</urlset>')
    urls = [found.url for found in parse_sitemap(bomb.encode(), f"{BASE}/s.xml").articles]
    assert all("aaaaaaaaaa" not in url for url in urls)


def test_listing_page_links_matching_the_article_pattern() -> None:
    page = (b'<html><body><a href="/berita/2026/12/polisi-uji">a</a><a href="/tag/narkoba">t</a>'
            b'<a href="/berita/2026/12/polisi-uji#komentar">dup</a><a href="mailto:x@y">m</a></body></html>')
    found = listing_links(page, f"{BASE}/indeks", re.compile(r"/berita/\d{4}/"))
    assert [item.url for item in found] == [f"{BASE}/berita/2026/12/polisi-uji"]


def test_same_site_by_host_or_registered_domain() -> None:
    assert same_site("https://news.detik.com/berita/x", {"rss.detik.com"})
    assert same_site("http://127.0.0.1:8123/a", {"127.0.0.1"})
    assert not same_site("https://iklan.example.com/promo", {"rss.detik.com"})
    assert not same_site("http://127.0.0.2/a", {"127.0.0.1"})
