"""What every detector does first (keep the incidents known at as_of, find where the history starts), and the
labels its titles use."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cache

from pantau.alerts.config import AlertConfig
from pantau.alerts.model import IncidentFacts, event_day, utc_naive
from pantau.vocab import load_toml


def known_at(incidents: Iterable[IncidentFacts], as_of: datetime.datetime) -> list[IncidentFacts]:
    """The incidents pantau had seen by ``as_of`` and that had happened by then.

    A backtest at a past as_of must not see what was only reported later, or it would look better than a
    live run could be."""
    today = as_of.date()
    return [i for i in incidents if utc_naive(i.first_seen) <= as_of and event_day(i) <= today]


def known_since(incident: IncidentFacts) -> datetime.datetime:
    """The earliest as-of time ``known_at`` keeps the incident at: first seen, and its event day begun."""
    return max(utc_naive(incident.first_seen), datetime.datetime.combine(event_day(incident), datetime.time()))


def history_start(incidents: Iterable[IncidentFacts]) -> datetime.date | None:
    """The first day the store has records for: the earliest day an incident was first seen.

    The event dates are not used: one article about a case of years ago would otherwise make a young store
    look as if it had years of (empty) history."""
    return min((utc_naive(i.first_seen).date() for i in incidents), default=None)


def regions_of(incident: IncidentFacts, levels: Iterable[str]) -> list[tuple[str, str]]:
    """(level, code) of each region the incident counts in, most specific first."""
    out: list[tuple[str, str]] = []
    province = incident.province_code or (incident.regency_code.split(".")[0] if incident.regency_code else None)
    for level in levels:
        if level == "regency" and incident.regency_code:
            out.append(("regency", incident.regency_code))
        elif level == "province" and province:
            out.append(("province", province))
    out.sort(key=lambda pair: pair[0] != "regency")
    return out


def attributes_of(incident: IncidentFacts, dimensions: Iterable[str], ignore_topics: Iterable[str],
                  ignore_types: Iterable[str]) -> list[tuple[str, str]]:
    """(dimension, value) pairs an incident has, in the order of ``dimensions``, without duplicates."""
    out: list[tuple[str, str]] = []
    for dimension in dimensions:
        if dimension == "topic":
            values: Iterable[str] = (t for t in incident.topics if t not in ignore_topics)
        elif dimension == "substance":
            values = incident.substances
        else:
            values = () if incident.type in ignore_types else (incident.type,)
        for value in dict.fromkeys(values):
            out.append((dimension, value))
    return out


def province_of(incident: IncidentFacts) -> str | None:
    if incident.province_code:
        return incident.province_code
    return incident.regency_code.split(".")[0] if incident.regency_code else None


# --- Labels ------------------------------------------------------------------------------------------------


@cache
def region_name(code: str | None) -> str:
    """The Kemendagri name of a region ("Kota Palangkaraya"), else its code (synthetic or retired codes)."""
    if code is None:
        return "an unknown region"
    try:
        from pantau.regions import regions

        region = regions().get(code)
    except (ImportError, OSError, ValueError):  # the register is package data; a broken install still alerts
        region = None
    return region.name if region is not None else code


@cache
def _topic_labels() -> dict[str, tuple[str, str]]:
    topics = load_toml("topics").get("topics", {})
    return {key: (str(v.get("label_en", key)), str(v.get("label_id", key))) for key, v in topics.items()}


@cache
def _substance_labels() -> dict[str, str]:
    """Indonesian name of a substance: the first written form of its own entry in substances.toml ("sabu");
    entries filed under another key (double L under trihexyphenidyl) name it only when it has no entry."""
    substances = load_toml("substances").get("substance", {})
    own: dict[str, str] = {}
    borrowed: dict[str, str] = {}
    for name, entry in substances.items():
        forms = entry.get("forms") or [name]
        key = str(entry.get("key", name))
        (own if key == name else borrowed).setdefault(key, str(forms[0]))
    return {**borrowed, **own}


def label(dimension: str, value: str, language: str, config: AlertConfig) -> str:
    """How a title names a topic, substance or incident type, in lower case for use inside a sentence."""
    if dimension == "topic":
        en, id_ = _topic_labels().get(value, (value.replace("_", " "), value.replace("_", " ")))
        return (en if language == "en" else id_).lower()
    if dimension == "substance":
        table = config.labels.substance_en if language == "en" else config.labels.substance_id
        if value in table:
            return table[value]
        if language == "en":
            return value.replace("_", " ")
        return _substance_labels().get(value, value.replace("_", " "))
    table = config.labels.type_en if language == "en" else config.labels.type_id
    return table.get(value, value.replace("_", " "))


def span_text(days: int, language: str) -> str:
    """ "12 months" / "12 bulan" for a window of days (months from 60 days on)."""
    if days >= 60:
        months = round(days / 30.44)
        return f"{months} months" if language == "en" else f"{months} bulan"
    return f"{days} days" if language == "en" else f"{days} hari"


def fmt(value: float) -> str:
    """A figure as a reason shows it: integers bare, others with 2 significant decimals, p-values in e-notation."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    if abs(value) < 0.001:
        return f"{value:.1e}"
    if abs(value) < 1:
        return f"{value:.2g}" if abs(value) < 0.1 else f"{value:.2f}"
    return f"{value:.1f}"
