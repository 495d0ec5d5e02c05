"""Safe HTML for article text: escape everything, then add the highlight markup pantau owns.

Article text is attacker-controlled. Nothing from it reaches the page unescaped: bodies are split
at fact boundaries, every piece is escaped, and only pantau's own ``<span>``/``<mark>`` tags are
added around the pieces.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

from pantau.store.search import HIGHLIGHT_END, HIGHLIGHT_START

# Fact kinds in drawing order (later kinds are drawn inside earlier ones' colours), with labels.
KINDS: dict[str, str] = {
    "quote": "Kutipan", "person": "Orang", "organization": "Organisasi", "location": "Tempat",
    "seizure": "Sitaan", "statistic": "Statistik", "legal": "Dasar hukum",
}


def snippet_html(snippet: str) -> Markup:
    """A search snippet with its match markers turned into ``<mark>`` after escaping."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>"))


def fact_spans(record: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, label) of every fact in the record."""
    spans: list[tuple[int, int, str, str]] = []
    for person in record.get("people", []):
        spans += [(s, e, "person", person["name"]) for s, e in person.get("mentions", [])]
    for org in record.get("organizations", []):
        spans += [(s, e, "organization", org["name"]) for s, e in org.get("mentions", [])]
    for loc in record.get("locations", []):
        spans += [(s, e, "location", f"{loc['name']} ({loc.get('code') or '-'})") for s, e in loc.get("mentions", [])]
    for item in record.get("seizures", []):
        quantity = item.get("quantity")
        spans.append((*item["span"], "seizure", f"{item['substance']}: {quantity} {item.get('unit') or ''}"))
    for item in record.get("statistics", []):
        spans.append((*item["span"], "statistic", f"{item['measure']} {item.get('period') or ''}: {item['value']}"))
    for item in record.get("quotes", []):
        spans.append((*item["span"], "quote", f"kutipan: {item.get('speaker') or '?'}"))
    for item in record.get("legal_refs", []):
        spans.append((*item["span"], "legal", item["law"]))
    return [(int(s), int(e), k, label) for s, e, k, label in spans if 0 <= int(s) < int(e)]


def highlighted_body(body: str, record: dict[str, Any]) -> Markup:
    """The body as paragraphs, each fact wrapped in a span of its kind (displaCy-style)."""
    spans = [s for s in fact_spans(record) if s[1] <= len(body)]
    cuts = sorted({0, len(body), *[s for s, _, _, _ in spans], *[e for _, e, _, _ in spans]})
    pieces: list[str] = []
    for start, end in pairwise(cuts):
        covering = [sp for sp in spans if sp[0] <= start and end <= sp[1]]
        paragraphs = [str(escape(part)).replace("\n", "<br>") for part in body[start:end].split("\n\n")]
        if covering:
            kinds = sorted({k for _, _, k, _ in covering}, key=list(KINDS).index)
            title = escape("; ".join(dict.fromkeys(label for _, _, _, label in covering)))
            opening = f'<span class="ent {" ".join(f"ent-{k}" for k in kinds)}" title="{title}">'
            # a fact that crosses a paragraph break is closed and reopened around it: tags stay nested
            paragraphs = [f"{opening}{part}</span>" if part else "" for part in paragraphs]
        pieces.append("</p><p>".join(paragraphs))
    return Markup("<p>" + "".join(pieces) + "</p>")
