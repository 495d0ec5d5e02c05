"""The alerts as an Atom feed (RFC 4287): any feed reader or chat integration can subscribe to /alerts.atom.

Every text is XML-escaped; links point into the dashboard (the incidents of the alert).
"""

from __future__ import annotations

import datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from pantau import __version__


def _updated(items: list[dict[str, Any]]) -> str:
    stamps = [item["updated_at"] for item in items if item.get("updated_at")]
    return max(stamps) if stamps else datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(items: list[dict[str, Any]], base_url: str) -> str:
    base = base_url.rstrip("/")
    entries = []
    for item in items:
        incidents = item.get("incident_ids") or []
        link = f"{base}/insiden/{int(incidents[0])}" if incidents else f"{base}/"
        where = item.get("region_code") or item.get("province_code") or "-"
        summary = f"{item['reason']} (region {where}, period {item.get('period') or '-'}, incidents " + \
            ", ".join(str(int(i)) for i in incidents[:20]) + ")"
        identity = "tag:pantau,2026:alert:" + item["key"]
        entries.append(
            "<entry>"
            f"<id>{escape(identity)}</id>"
            f"<title>{escape(item.get('title_id') or item['title'])}</title>"
            f"<updated>{escape(item.get('updated_at') or _updated(items))}</updated>"
            f"<published>{escape(item.get('first_seen') or _updated(items))}</published>"
            f"<category term={quoteattr(item['kind'])}/>"
            f"<link href={quoteattr(link)}/>"
            f"<summary>{escape(summary)}</summary>"
            "</entry>")
    return ('<?xml version="1.0" encoding="utf-8"?>'
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>{escape(f'{base}/alerts.atom')}</id>"
            "<title>pantau: peringatan dini (early warnings)</title>"
            f"<updated>{escape(_updated(items))}</updated>"
            f"<link rel=\"self\" href={quoteattr(base + '/alerts.atom')}/>"
            f"<generator version={quoteattr(__version__)}>pantau</generator>"
            + "".join(entries) + "</feed>")
