"""Finding article URLs in what a source publishes: feeds, sitemaps and listing pages.

Pure functions of the bytes fetched, so every format quirk is tested without a network. Feed links come
from trafilatura's feed reader (RSS, Atom and JSON Feed, tolerant of broken XML). Sitemaps are parsed
here with lxml rather than with trafilatura's sitemap reader, because that one fetches by itself and
drops the news metadata (``<news:publication_date>``, ``<news:title>``) the collector orders by.
"""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from trafilatura.feeds import FeedParameters, find_links, is_potential_feed

from pantau.ingest.encoding import BinaryContent, decode_bytes

MAX_SITEMAP_BYTES = 50 << 20  # the sitemaps protocol's own limit for an uncompressed sitemap
MAX_LINKS = 50_000  # per document: also the protocol's limit of URLs per sitemap
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_TEXT_URL = re.compile(r"^https?://\S+$")


class DiscoveryError(ValueError):
    """What was fetched is not the kind of document it was listed as (an error page for a feed, say)."""


@dataclass(frozen=True, slots=True)
class Discovered:
    url: str
    published: str | None = None  # ISO date or date-time, as the sitemap gave it
    title: str | None = None


@dataclass(slots=True)
class SitemapContent:
    articles: list[Discovered] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # nested sitemaps of an index


def _text(body: bytes | str) -> str:
    if isinstance(body, str):
        return body
    try:
        return decode_bytes(body)
    except BinaryContent as error:
        raise DiscoveryError(str(error)) from error


def feed_links(body: bytes | str, feed_url: str) -> list[Discovered]:
    """The item links of an RSS, Atom or JSON feed, absolute, in feed order, each once."""
    text = _text(body).strip()
    if not text:
        return []
    if not is_potential_feed(text) and not text.startswith("{"):
        raise DiscoveryError("not a feed (RSS, Atom or JSON Feed)")
    parts = urlsplit(feed_url)
    params = FeedParameters(f"{parts.scheme}://{parts.netloc}", parts.hostname or "", feed_url)
    links = [_absolute(feed_url, link) for link in find_links(text, params)[:MAX_LINKS]]
    return [Discovered(url) for url in _unique([link for link in links if link]) if _is_page(url, feed_url)]


def _gunzip(body: bytes) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError) as error:
        raise DiscoveryError(f"broken gzip data: {error}") from error
    if len(data) > MAX_SITEMAP_BYTES:
        raise DiscoveryError(f"sitemap larger than {MAX_SITEMAP_BYTES >> 20} MB uncompressed")
    return data


def parse_sitemap(body: bytes, sitemap_url: str) -> SitemapContent:
    """Article URLs (with news dates and titles when given) and nested sitemaps of a sitemap or index.

    Accepts XML sitemaps and indexes, gzip-compressed or not, and plain-text sitemaps (one URL a line)."""
    data = _gunzip(body)
    content = SitemapContent()
    head = data[:2048].lstrip()
    if not head.startswith(b"<"):
        for line in _text(data).splitlines()[:MAX_LINKS]:
            line = line.strip()
            if _TEXT_URL.match(line) and _is_page(line, sitemap_url):
                content.articles.append(Discovered(line))
        if not content.articles and data.strip():
            raise DiscoveryError("not a sitemap (XML or one URL a line)")
        return content
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise DiscoveryError(f"unreadable sitemap XML: {error}") from error
    if root is None:
        raise DiscoveryError("unreadable sitemap XML")
    kind = etree.QName(root).localname
    if kind == "sitemapindex":
        for element in root.iter(f"{{{_SITEMAP_NS}}}sitemap", "sitemap"):
            nested = _absolute(sitemap_url, _child_text(element, "loc"))
            if nested:
                content.sitemaps.append(nested)
        content.sitemaps = _unique(content.sitemaps)[:MAX_LINKS]
        return content
    if kind != "urlset":
        raise DiscoveryError(f"not a sitemap: the document is <{kind}>")
    seen: set[str] = set()
    for element in root.iter(f"{{{_SITEMAP_NS}}}url", "url"):
        url = _absolute(sitemap_url, _child_text(element, "loc"))
        if not url or url in seen or not _is_page(url, sitemap_url):
            continue
        seen.add(url)
        news = element.find(f"{{{_NEWS_NS}}}news")
        published = _child_text(news, "publication_date", _NEWS_NS) if news is not None else None
        title = _child_text(news, "title", _NEWS_NS) if news is not None else None
        content.articles.append(Discovered(url, published or _child_text(element, "lastmod"), title))
        if len(content.articles) >= MAX_LINKS:
            break
    return content


def listing_links(body: bytes | str, page_url: str, article_pattern: re.Pattern[str]) -> list[Discovered]:
    """Links of an HTML index page that match the source's article pattern, absolute, each once."""
    text = _text(body)
    if not text.strip():
        return []
    try:
        tree = lxml_html.fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise DiscoveryError(f"unreadable listing page: {error}") from error
    links = []
    for anchor in tree.iterfind(".//a[@href]"):
        url = (_absolute(page_url, anchor.get("href")) or "").split("#", 1)[0]
        if url and article_pattern.search(url) and _is_page(url, page_url):
            links.append(url)
    return [Discovered(url) for url in _unique(links)[:MAX_LINKS]]


def _child_text(element: etree._Element, name: str, namespace: str = _SITEMAP_NS) -> str | None:
    child = element.find(f"{{{namespace}}}{name}")
    if child is None:
        child = element.find(name)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None


def _absolute(base: str, link: str | None) -> str | None:
    """``link`` made absolute against ``base``; None for a link no URL parser accepts ("http://[::1/x")."""
    if not link or not link.strip():
        return None
    try:
        return urljoin(base, link.strip())
    except ValueError:
        return None


def _is_page(url: str, listed_at: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a malformed port raises here, not in urlsplit
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.path not in ("", "/") \
        and url != listed_at


def _unique(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(urls))
