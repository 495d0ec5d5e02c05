"""The single-machine pipeline: Document -> cleaning -> extractors -> Article.

Data flows one way. Every front end (``pantau extract``, ``eval``, ``ingest``, Spark) calls
:func:`process`, so there is exactly one extraction implementation.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from pantau.clean.layout import clean_text
from pantau.extract.entities import extract_entities
from pantau.extract.legal import extract_legal_refs
from pantau.extract.metadata import extract_metadata
from pantau.extract.quotes import extract_quotes
from pantau.extract.seizures import extract_seizures
from pantau.extract.statistics import extract_statistics
from pantau.extract.topics import classify_topics
from pantau.ingest.document import Document, Skipped
from pantau.record import Article

log = logging.getLogger(__name__)

Extractor = Callable[[Article], None]


def fill_entities(article: Article) -> None:
    found = extract_entities(article.body, article.dateline, title=article.title)
    article.people, article.organizations, article.locations = found.people, found.organizations, found.locations


def fill_seizures(article: Article) -> None:
    reference = article.date or article.published
    article.seizures = extract_seizures(article.body, year=int(reference[:4]) if reference else None)


def fill_legal_refs(article: Article) -> None:
    article.legal_refs = extract_legal_refs(article.body)


def fill_statistics(article: Article) -> None:
    article.statistics = extract_statistics(article.body)


def fill_quotes(article: Article) -> None:
    article.quotes = extract_quotes(article.body, article.people)


def fill_topics(article: Article) -> None:
    article.topics = classify_topics(article.title, article.body)


# Fact extractors, in order, by name: each fills its own fields of the record from the clean body.
EXTRACTORS: list[tuple[str, Extractor]] = [
    ("entities", fill_entities), ("quotes", fill_quotes), ("seizures", fill_seizures),
    ("statistics", fill_statistics), ("legal_refs", fill_legal_refs), ("topics", fill_topics),
]


class EmptyArticle(ValueError):
    """The input held no article text after cleaning."""


def prepare(document: Document) -> Article:
    """The record with its clean body and metadata, before the fact extractors run."""
    text, title, published, outlet, url = document.text or "", document.title, document.published, \
        document.outlet, document.url
    if document.html is not None:
        from pantau.ingest.html import extract_html  # trafilatura: loaded for the first page, not for text input

        page = extract_html(document.html, url=document.url)
        text = page.text
        title = title or page.title
        published = published or page.published
        outlet = outlet or page.sitename
        url = url or page.url
    clean = clean_text(text, title_hint=title)
    if not clean.paragraphs:
        raise EmptyArticle("no article text after cleaning")
    meta = extract_metadata(clean, published=published, outlet_hint=outlet, title=title)
    article = Article(
        id=document.id, source=document.source, url=url, title=meta.title, outlet=meta.outlet,
        dateline=meta.dateline, date=meta.date, published=meta.published, language=meta.language,
        body=clean.body,
    )
    return article


class ExtractionTimeout(TimeoutError):
    """An extractor ran past the article's time budget."""


def time_budget() -> float:
    """Seconds all the fact extractors together may spend on one article (``PANTAU_EXTRACT_SECONDS``, default
    30; a real article takes 10-50 ms). 0 turns the budget off."""
    try:
        return max(0.0, float(os.environ.get("PANTAU_EXTRACT_SECONDS", "30")))
    except ValueError:
        return 30.0


def _on_alarm(_signum: int, _frame: object) -> None:
    raise ExtractionTimeout("ran past the article's time budget")


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (a timer signal: Unix, main thread only; elsewhere the budget is
    checked between extractors)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process(document: Document) -> Article:
    """Extract one article record from one raw document.

    Each extractor runs on its own: one that raises leaves its fields empty, is named in the record's
    ``extraction_errors`` and logged, and the others still fill theirs (one bug never loses an article).
    All of them share a time budget (``time_budget``): one interrupted, or not started, once it is spent
    is named in ``extraction_errors`` the same way.
    """
    article = prepare(document)
    budget = time_budget()
    deadline = time.monotonic() + budget
    for name, extractor in EXTRACTORS:
        left = deadline - time.monotonic()
        if budget and left <= 0:
            article.extraction_errors.append(f"{name}: not run: the article's {budget:g} s time budget was spent")
            continue
        try:
            with _deadline(left if budget else 0):
                extractor(article)
        except ExtractionTimeout:
            log.warning("%s extractor ran past the %g s budget on %s", name, budget, document.source)
            article.extraction_errors.append(f"{name}: interrupted: the article's {budget:g} s time budget was spent")
        except Exception as error:  # isolate each extractor: the rest of the record is still worth having
            log.warning("%s extractor failed on %s: %s: %s", name, document.source, type(error).__name__, error,
                        exc_info=log.isEnabledFor(logging.DEBUG))
            article.extraction_errors.append(f"{name}: {type(error).__name__}: {error}"[:500])
    return article


_settled = False


def settle() -> None:
    """Freeze what extraction has loaded into this process (spaCy, the vocabularies, the models), once, after
    its first article: those objects stay for the life of the process, and frozen, no later garbage
    collection walks them again (about 8% of the rules' time on real articles). For processes that only extract:
    ingest's pool workers, Spark's Python workers, the ``pantau`` executable's ``extract`` and ``eval``. Not for a
    process that goes on to other work (a one-process ingest, the collector, a server): whatever else is alive
    at that moment, garbage included, would be frozen with it."""
    global _settled
    if not _settled:
        _settled = True
        gc.freeze()


def process_all(items: Iterable[Document | Skipped]) -> Iterator[Article | Skipped]:
    """Articles for documents, in input order; a document that fails becomes a Skipped with its reason."""
    for item in items:
        if isinstance(item, Skipped):
            yield item
            continue
        try:
            yield process(item)
        except EmptyArticle as error:
            yield Skipped(item.source, str(error))
        except Exception as error:  # one bad page must never lose the others' results
            log.exception("extraction failed for %s", item.source)
            yield Skipped(item.source, f"extraction failed: {type(error).__name__}: {error}")
