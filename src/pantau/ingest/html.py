"""Main text and metadata of an HTML page, through trafilatura, with its own fallbacks."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement
from trafilatura import metadata as trafilatura_metadata
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

log = logging.getLogger(__name__)


@dataclass(slots=True)
class HtmlContent:
    text: str
    title: str | None = None
    published: str | None = None
    sitename: str | None = None
    url: str | None = None
    method: str = "trafilatura"


def _page_metadata(tree: HtmlElement, url: str | None) -> HtmlContent:
    """Title, publication date, site name and URL, with trafilatura's own metadata readers.

    Only the fields pantau uses: trafilatura's full ``extract_metadata`` also hunts authors,
    categories, tags and licences, which costs more than the text extraction itself.
    """
    meta = trafilatura_metadata.examine_meta(tree)
    try:
        meta = trafilatura_metadata.extract_meta_json(tree, meta)
    except Exception:  # trafilatura's JSON-LD reader raises on malformed site data
        log.debug("malformed JSON-LD metadata", exc_info=True)
    page_url = meta.url or trafilatura_metadata.extract_url(tree, url) or url
    params = set_date_params(extensive=False)
    params["url"] = page_url
    published = trafilatura_metadata.find_date(tree, **params)
    return HtmlContent(
        text="",
        title=meta.title or trafilatura_metadata.extract_title(tree),
        published=published,
        sitename=(meta.sitename or trafilatura_metadata.extract_sitename(tree) or "").lstrip("@") or None,
        url=page_url,
    )


# A tag of over 10,000 characters (100,000 attributes) is no page's markup: trafilatura's date search
# walks every attribute of every element, and such a tag took 46 s. It keeps its name, not its attributes.
_HUGE_TAG = re.compile(r"<([A-Za-z][\w:-]{0,30})(?:\s[^>]{10000,})>")


def extract_html(html: str, url: str | None = None, *, fast: bool = True) -> HtmlContent:
    """Article text (paragraphs on their own lines) and page metadata.

    trafilatura's extraction first; when it finds no main text (tiny or unusual pages), its
    ``baseline`` extractor, then all the page's text (``html2txt``): a page is never silently lost.
    ``fast`` skips trafilatura's readability and jusText comparison (``bench/bench_html.py`` measures
    what that costs in main text on news layouts).
    """
    html = _HUGE_TAG.sub(r"<\1>", html)
    tree = load_html(html)
    if tree is None:
        return HtmlContent(text=trafilatura.html2txt(html, clean=False) or "", method="html2txt")
    content = _page_metadata(tree, url)
    result = trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, include_tables=False,
        include_images=False, deduplicate=False, fast=fast,
    )
    content.text = (result.text if result is not None else None) or ""
    if not content.text.strip():
        _, content.text, _ = trafilatura.baseline(html)
        content.method = "baseline"
    if not content.text.strip():
        # clean=False: the last resort keeps every text node, even in footers or asides
        content.text, content.method = trafilatura.html2txt(html, clean=False) or "", "html2txt"
    return content
