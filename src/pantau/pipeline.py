"""The single-machine pipeline: Document -> cleaning -> extractors -> Article.

Data flows one way. Every front end (``pantau extract``, ``eval``, ``ingest``, Spark) calls
:func:`process_many` (or :func:`process`, the same for one document), so there is exactly one extraction
implementation.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import islice

from pantau.clean.layout import clean_text
from pantau.extract.entities import Entities, EntityDraft, draft_entities, extract_entities, finish_entities, tag_drafts
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
    _set_entities(article, extract_entities(article.body, article.dateline, title=article.title))


def _set_entities(article: Article, found: Entities) -> None:
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


def _timer_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


_handler_held = False  # _on_alarm is the SIGALRM handler for the whole of a batch (``_alarm_handler``)


@contextmanager
def _alarm_handler() -> Iterator[None]:
    """Hold ``_on_alarm`` as the SIGALRM handler while a batch is extracted, so that each extractor's deadline
    only arms and disarms the timer: setting the handler for every extractor of every article (the signal module
    wraps each previous handler in an enum) cost about 2% of the rules' time. The previous handler is back
    afterwards."""
    global _handler_held
    if _handler_held or not _timer_usable():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _handler_held = True
    try:
        yield
    finally:
        _handler_held = False
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (a timer signal: Unix, main thread only; elsewhere the budget is
    checked between extractors). Within ``_alarm_handler`` only the timer is set; outside it, the handler too."""
    if seconds <= 0 or not _timer_usable():
        yield
        return
    own = not _handler_held
    previous = signal.signal(signal.SIGALRM, _on_alarm) if own else None
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        if own:
            signal.signal(signal.SIGALRM, previous)


BATCH = 8  # articles whose model pieces are tagged together: 1.5x faster than one at a time, little more beyond


@dataclass(slots=True)
class _Budget:
    """What is left of one article's time budget for its extractors (``time_budget``): each extractor's time is
    taken from it, so the articles extracted together each keep their own."""

    total: float
    spent: float = 0.0

    def left(self) -> float:
        return self.total - self.spent


def _run(article: Article, name: str, step: Callable[[], None], budget: _Budget) -> None:
    """Run one extractor's ``step`` within what is left of the article's budget.

    One that raises leaves its fields empty, is named in the record's ``extraction_errors`` and logged; one that
    runs past the budget, or is not started once it is spent, is named the same way."""
    limit = budget.total
    if limit and budget.left() <= 0:
        article.extraction_errors.append(f"{name}: not run: the article's {limit:g} s time budget was spent")
        return
    seconds = budget.left() if limit else 0.0
    started = time.monotonic()
    try:
        if _handler_held and seconds > 0 and _timer_usable():  # in a batch: only the timer to arm and disarm (the
            signal.setitimer(signal.ITIMER_REAL, seconds)  # context manager cost more than the extractor of a
            try:  # short article)
                step()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        else:
            with _deadline(seconds):
                step()
    except ExtractionTimeout:
        log.warning("%s extractor ran past the %g s budget on %s", name, limit, article.source)
        article.extraction_errors.append(f"{name}: interrupted: the article's {limit:g} s time budget was spent")
    except Exception as error:  # isolate each extractor: the rest of the record is still worth having
        log.warning("%s extractor failed on %s: %s: %s", name, article.source, type(error).__name__, error,
                    exc_info=log.isEnabledFor(logging.DEBUG))
        article.extraction_errors.append(f"{name}: {type(error).__name__}: {error}"[:500])
    finally:
        budget.spent += time.monotonic() - started


def _fill_entities_together(articles: list[Article], budgets: list[_Budget]) -> None:
    """``fill_entities`` for several articles, their model pieces tagged in one call.

    Each article's rules run within its own budget. The shared call runs within the smallest budget left; if it
    fails or runs past that, each article's pieces are tagged on their own within its budget, so one article's
    trouble stays its own."""
    drafts: dict[int, EntityDraft] = {}
    for index, (article, budget) in enumerate(zip(articles, budgets, strict=True)):
        def draft(index: int = index, article: Article = article) -> None:
            drafts[index] = draft_entities(article.body)
        _run(article, "entities", draft, budget)
    indexes = sorted(drafts)
    tagged: dict[int, list[list[tuple[int, int, str]]]] = {}
    if len(indexes) > 1:  # one article alone is tagged within its own budget, below
        limited = budgets[indexes[0]].total > 0
        limit = min(budgets[i].left() for i in indexes) if limited else 0.0
        if not limited or limit > 0:
            started = time.monotonic()
            try:
                with _deadline(limit):
                    tagged = dict(zip(indexes, tag_drafts([drafts[i] for i in indexes]), strict=True))
            except Exception:  # ExtractionTimeout too: each article is tagged again on its own, within its budget
                log.warning("tagging %d articles together failed; each is tagged on its own", len(indexes),
                            exc_info=True)
                tagged = {}
            if tagged:  # each article is charged its share of the pieces; a failed call charges none
                elapsed = time.monotonic() - started
                pieces = sum(len(drafts[i].pieces) for i in indexes) or 1
                for index in indexes:
                    budgets[index].spent += elapsed * len(drafts[index].pieces) / pieces
    for index in indexes:
        article, budget = articles[index], budgets[index]

        def finish(index: int = index, article: Article = article) -> None:
            spans = tagged[index] if index in tagged else tag_drafts([drafts[index]])[0]
            _set_entities(article, finish_entities(drafts[index], spans, article.dateline, title=article.title))
        _run(article, "entities", finish, budget)


def process_many(documents: Sequence[Document]) -> list[Article | Exception]:
    """Extract the article record of each of ``documents``, in order: each an ``Article``, or the exception that
    stopped it (``EmptyArticle`` when cleaning left no text).

    Each extractor runs on its own: one that raises leaves its fields empty, is named in the record's
    ``extraction_errors`` and logged, and the others still fill theirs (one bug never loses an article).
    All of an article's extractors share a time budget (``time_budget``): one interrupted, or not started, once
    it is spent is named in ``extraction_errors`` the same way. The documents go through each extractor in
    turn, which lets the NER model read their pieces together; every record is what ``process`` gives alone.
    """
    try:
        with _alarm_handler():
            return _process_together(documents)
    except Exception as error:  # not expected (each extractor is isolated): then each document goes alone
        if len(documents) == 1:
            return [error]
        log.exception("extracting %d documents together failed; each is extracted alone", len(documents))
        return [result for document in documents for result in process_many([document])]


def _process_together(documents: Sequence[Document]) -> list[Article | Exception]:
    results: list[Article | Exception] = []
    for document in documents:
        try:
            results.append(prepare(document))
        except Exception as error:
            results.append(error)
    articles = [item for item in results if isinstance(item, Article)]
    budgets = [_Budget(time_budget()) for _ in articles]
    for name, extractor in EXTRACTORS:
        if extractor is fill_entities:
            _fill_entities_together(articles, budgets)
            continue
        for article, budget in zip(articles, budgets, strict=True):
            _run(article, name, partial(extractor, article), budget)
    return results


def process(document: Document) -> Article:
    """Extract one article record from one raw document (``process_many`` of one)."""
    result = process_many([document])[0]
    if isinstance(result, Exception):
        raise result
    return result


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


def process_all(items: Iterable[Document | Skipped], batch: int = BATCH) -> Iterator[Article | Skipped]:
    """Articles for documents, in input order, extracted ``batch`` at a time (``process_many``); a document that
    fails becomes a Skipped with its reason."""
    iterator = iter(items)
    while chunk := list(islice(iterator, batch)):
        documents = [item for item in chunk if not isinstance(item, Skipped)]
        extracted = iter(process_many(documents))
        for item in chunk:
            if isinstance(item, Skipped):
                yield item
                continue
            result = next(extracted)
            if isinstance(result, Article):
                yield result
            elif isinstance(result, EmptyArticle):
                yield Skipped(item.source, str(result))
            else:  # one bad page must never lose the others' results
                log.error("extraction failed for %s", item.source, exc_info=result)
                yield Skipped(item.source, f"extraction failed: {type(result).__name__}: {result}")
