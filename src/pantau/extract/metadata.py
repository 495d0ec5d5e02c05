"""Article metadata: headline, outlet, dateline, event date, publication date, language."""

from __future__ import annotations

from dataclasses import dataclass

from pantau.clean.layout import CleanText
from pantau.extract.dates import event_date, parse_iso_date
from pantau.extract.language import detect_language


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None
    outlet: str | None
    dateline: str | None
    date: str | None
    published: str | None
    language: str | None


def extract_metadata(clean: CleanText, *, published: str | None = None, outlet_hint: str | None = None,
                     title: str | None = None) -> Metadata:
    """Metadata from the cleaned article; the source's own metadata fills what the text lacks.

    The masthead written in the lead wins over a site name from page metadata, and the weekday-
    anchored date in the text wins over the publication date (a URL date is often a day late).
    """
    body = clean.body
    published_date = parse_iso_date(published)
    event = event_date(body, published_date)
    return Metadata(
        title=title or clean.title,
        outlet=clean.outlet or outlet_hint,
        dateline=clean.dateline,
        date=event.isoformat() if event else None,
        published=published_date.isoformat() if published_date else None,
        language=detect_language(((title or clean.title or "") + "\n" + body).strip()),
    )
