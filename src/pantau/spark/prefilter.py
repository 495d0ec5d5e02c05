"""The cheap pre-filter that runs before full extraction: domain, then language, then keywords.

A general crawl is mostly pages pantau has nothing to say about (shops, sport, English news).
Full extraction costs ~5-10 ms a page; this filter costs ~0.5 ms: the host is read from the URL,
and language and keywords are checked on the page's paragraph text (``<title>``, headings and
``<p>`` elements through lxml, not trafilatura). It errs towards keeping: text too short to tell
the language passes, and keywords match inside words.

The vocabulary is ``data/spark_filter.toml``; command-line lists replace its parts.
"""

from __future__ import annotations

import html as html_lib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pantau.extract.language import detect_language
from pantau.ingest.document import Document
from pantau.vocab import load_toml

DOMAIN, LANGUAGE, KEYWORD = "domain", "language", "keyword"
SUBSTRING_MIN = 5  # shorter terms (bnn, kpk, sabu, napi) match whole words only: "sabu" is not "sabun"
MIN_PARAGRAPH_TEXT = 200  # below this, the page's paragraphs are not its text: use all of the body
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_TAGS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)


def _split(values: Iterable[str] | None) -> list[str] | None:
    """Comma-separated, repeatable command-line lists; ``None`` when the option was not given."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _core_cues(topics: Iterable[str]) -> list[str]:
    data = load_toml("topics")
    core = float(data["settings"]["core_weight"])
    cues: list[str] = []
    for key in topics:
        if key not in data["topics"]:
            raise ValueError(f"unknown topic {key!r} in the pre-filter's topic_cues")
        cues.extend(c for c, w in data["topics"][key].get("cues", {}).items() if float(w) >= core)
    return cues


@dataclass(frozen=True, slots=True)
class PreFilter:
    """Which pages deserve full extraction. Empty lists switch a check off."""

    languages: frozenset[str] = frozenset()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, path: str | Path | None = None, *, keywords: Iterable[str] | None = None,
                    domains: Iterable[str] | None = None, languages: Iterable[str] | None = None) -> PreFilter:
        """The vocabulary file (``path`` or the shipped one) with command-line overrides applied."""
        data: dict[str, Any] = (tomllib.loads(Path(path).read_text(encoding="utf-8")) if path
                                else load_toml("spark_filter"))
        kw = data.get("keywords", {})
        terms = _split(keywords)
        if terms is None:
            terms = [*kw.get("terms", []), *_core_cues(kw.get("topic_cues", []))]
        hosts = _split(domains)
        langs = _split(languages)
        return cls(
            languages=frozenset(langs if langs is not None else data.get("languages", {}).get("keep", [])),
            include=tuple(h.casefold() for h in (hosts if hosts is not None else data.get("domains", {}).get(
                "include", []))),
            exclude=tuple(h.casefold() for h in data.get("domains", {}).get("exclude", [])),
            keywords=tuple(dict.fromkeys(t.casefold() for t in terms)),
        )

    def reject(self, document: Document) -> str | None:
        """The step that rejects ``document`` (``domain``, ``language``, ``keyword``), or ``None``."""
        if not self.domain_ok(document.url):
            return DOMAIN
        if not self.languages and not self.keywords:
            return None
        text = page_text(document)
        if self.languages:
            language = detect_language(text)
            if language is not None and language not in self.languages:
                return LANGUAGE
        if self.keywords and _keyword_pattern(self.keywords).search(text.casefold()) is None:
            return KEYWORD
        return None

    def domain_ok(self, url: str | None) -> bool:
        """Whether the URL's host passes the lists; a page without a (readable) host passes."""
        if not url or not (self.include or self.exclude):
            return True
        try:
            host = (urlsplit(url).hostname or "").casefold().rstrip(".")
        except ValueError:  # a malformed URL ("http://[broken") names no host to judge
            return True
        if not host:
            return True

        def within(domains: tuple[str, ...]) -> bool:
            return any(host == d or host.endswith("." + d) for d in domains)

        if self.include and not within(self.include):
            return False
        return not within(self.exclude)

    def language_ok(self, language: str | None) -> bool:
        """The extracted record's language (exact, on the clean body) against the kept languages."""
        return not self.languages or language is None or language in self.languages


@cache
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation, longest first; short terms bounded as words."""
    parts = []
    for term in sorted(keywords, key=len, reverse=True):
        escaped = r"\s+".join(re.escape(word) for word in term.split())
        parts.append(escaped if len(term) >= SUBSTRING_MIN else rf"(?<!\w){escaped}(?!\w)")
    return re.compile("|".join(parts) or r"(?!)")


def page_text(document: Document) -> str:
    """Cheap text of a document: plain text as is; for HTML, title, headings and paragraphs."""
    if document.html is None:
        return "\n".join(part for part in (document.title, document.text) if part)
    return html_text(document.html, document.title)


def html_text(page: str, title: str | None = None) -> str:
    """Title, headings and paragraph text of a page through lxml; all body text when paragraphs are few."""
    import lxml.html
    from lxml.etree import ParserError

    parts = [title] if title else []
    try:
        # str, not bytes: the page is already decoded, and a <meta charset> must not re-decode it;
        # lxml refuses a str that still carries an XML encoding declaration.
        tree = lxml.html.fromstring(_XML_DECLARATION.sub("", page, count=1))
    except (ParserError, ValueError):
        return "\n".join([*parts, html_lib.unescape(_TAGS.sub(" ", page))])
    paragraphs = [element.text_content() for element in tree.iter("title", "h1", "h2", "p")]
    text = "\n".join(paragraphs)
    if len(text) < MIN_PARAGRAPH_TEXT:
        for element in list(tree.iter("script", "style", "noscript", "template")):
            element.drop_tree()
        text = tree.text_content()
    return "\n".join([*parts, text])
