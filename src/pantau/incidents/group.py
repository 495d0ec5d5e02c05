"""Grouping articles into incidents, one article at a time, against whatever holds the incidents.

An article is compared with the members of the incidents that can be its event: those indexed under
its province and an event month near its date, its story, or its suspects' initials. It joins the
incident with the most evidence above the threshold; when it matches several, they were one event
seen in parts, and they merge into the oldest. An article that reports no event pantau can name
still opens or joins one, of kind "other". The cost of one assignment depends on how many
incidents share a province and a few
months, not on the size of the store.

The same ``assign`` runs over the store (``pantau.store.incidents``), in memory for evaluation, and on
the Spark driver, so all three give the same incidents for the same articles in the same order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate, chain
from typing import Protocol

import numpy as np

from pantau.extract.dates import parse_iso_date
from pantau.incidents.match import (
    Match,
    MatchConfig,
    admissible_indices,
    compare,
    could_accept,
    match_config,
    similarities,
)
from pantau.incidents.profile import SCREEN, Profile

REPORT, FOLLOW_UP = "report", "follow_up"


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(first: date, last: date) -> list[str]:
    months, current = [], date(first.year, first.month, 1)
    while current <= last:
        months.append(_month(current))
        current = (current + timedelta(days=32)).replace(day=1)
    return months


TEXT_BANDS, TEXT_ROWS = 32, 2  # MinHash bands: two texts with ~0.3 estimated Jaccard share one almost surely


def _name_keys(name: str) -> list[str]:
    """Keys under which the written forms of one name meet (``names.same_person``): the first word with each
    later full word, with the initials of the later words ("fariz rm" for "Fariz RM" and "Fariz Roestam
    Moenaf"), and the last word with the first initial (a misspelt first name)."""
    words = name.split()
    if len(words) < 2:
        return [name]
    keys = {f"{words[0]} {word}" for word in words[1:] if len(word) > 3}
    keys.add(f"{words[0]} " + "".join(word if len(word) <= 3 else word[0] for word in words[1:]))
    keys.add(f"{words[-1]} {words[0][0]}")
    return sorted(keys)


def _text_keys(profile: Profile) -> list[str]:
    """Bands of the text's MinHash signature: articles with similar wording but no place, suspect or name
    in common (a foreign event, a digest) still find each other."""
    if profile.signature is None:
        return []
    head = profile.signature[:TEXT_BANDS * TEXT_ROWS]
    values = head.tolist() if isinstance(head, np.ndarray) else [int(v) for v in head]  # Python ints either way
    return [f"{band}:{values[band * TEXT_ROWS]:x}.{values[band * TEXT_ROWS + 1]:x}" for band in range(TEXT_BANDS)]


def index_keys(profile: Profile) -> list[str]:
    """The keys an incident is found by once ``profile`` is one of its members."""
    keys = [f"story:{profile.story}"] if profile.story is not None else []
    day = parse_iso_date(profile.date)
    month = _month(day) if day else "-"
    keys += [f"place:{province}:{month}" for province in sorted(profile.provinces)]
    # by month, so that a lookup reads the incidents of its window, not every "AS" ever; and unscoped, for
    # the rare article with no date, which cannot know its month
    keys += [f"suspect:{initials}:{month}" for initials in sorted(profile.suspects)]
    keys += [f"suspect:{initials}" for initials in sorted(profile.suspects)]
    keys += [f"person:{key}:{month}" for key in sorted({k for name in profile.named for k in _name_keys(name)})]
    keys += [f"text:{band}:{month}" for band in _text_keys(profile)]
    if not profile.provinces:
        keys += [f"substance:{substance}:{month}" for substance in sorted(profile.substances)]
    return keys


def lookup_keys(profile: Profile, config: MatchConfig) -> list[str]:
    """The keys of the incidents ``profile`` may belong to (a superset of what ``compare`` accepts)."""
    keys = [f"story:{profile.story}"] if profile.story is not None else []
    day = parse_iso_date(profile.date)
    if day is None:
        months = ["-"]
        keys += [f"suspect:{initials}" for initials in sorted(profile.suspects)]
    else:
        back = config.follow_up_window if profile.follow_up else config.late_window
        months = [*_months(day - timedelta(days=back), day + timedelta(days=config.late_window)), "-"]
    keys += [f"suspect:{initials}:{month}" for initials in sorted(profile.suspects) for month in months]
    for key in sorted({k for name in profile.named for k in _name_keys(name)}):
        keys += [f"person:{key}:{month}" for month in months]
    # Place, wording and seizures count only near the event's date: a report weeks later joins on names
    # alone (``compare`` rejects it otherwise), and those have their keys above. A follow-up (a trial)
    # joins its case on place and other evidence months later, so it looks over its whole window. Reading
    # a province's incidents of 2 months instead of 7 is most of what a lookup costs in a busy province.
    near = [*_months(day - timedelta(days=config.date_window), day + timedelta(days=config.date_window)), "-"] \
        if day is not None else ["-"]
    around = months if profile.follow_up else near
    for province in sorted(profile.provinces):
        keys += [f"place:{province}:{month}" for month in around]
    keys += [f"text:{band}:{month}" for band in _text_keys(profile) for month in near]
    if not profile.provinces:
        keys += [f"substance:{s}:{month}" for s in sorted(profile.substances) for month in around]
    return keys


class Catalog(Protocol):
    """Where incidents live: memory, the store, the Spark driver."""

    def candidates(self, keys: list[str]) -> dict[int, list[Profile]]:
        """The incidents indexed under any of ``keys``, each with its members (most recent last)."""
        ...

    def screens(self, candidates: dict[int, list[Profile]], cap: int) -> bytes | None:
        """The screens (``Profile.screen``) of the last ``cap`` members of each of ``candidates``, joined in their
        order, if the catalog keeps them joined; None lets ``admissible_indices`` join them."""
        ...

    def create(self, profile: Profile, role: str) -> int: ...

    def add(self, incident: int, profile: Profile, role: str) -> None: ...

    def merge(self, into: int, others: list[int]) -> None: ...


@dataclass(frozen=True, slots=True)
class Assignment:
    incident: int
    created: bool
    merged: tuple[int, ...]  # incidents folded into ``incident`` by this article
    match: Match | None  # the evidence that joined it (None when it opened the incident)
    note: str  # why, in words: shown by the CLI and kept with the membership


def assign(profile: Profile, catalog: Catalog, config: MatchConfig | None = None, *,
           keys: list[str] | None = None) -> Assignment:
    """Put ``profile`` in its incident (joined, merged or new); ``keys``: its ``lookup_keys``, when already made."""
    config = config or match_config()
    role = FOLLOW_UP if profile.follow_up else REPORT
    candidates = catalog.candidates(keys if keys is not None else lookup_keys(profile, config))
    incidents = list(candidates)
    cap = config.max_members  # an incident's latest members only (most hold fewer: no copy then)
    recent = [members if len(members) <= cap else members[-cap:] for members in candidates.values()]
    members = list(chain.from_iterable(recent))
    ends = list(accumulate(map(len, recent)))  # where each incident's members end in ``members``
    # the members ``compare`` could accept: the cheap conditions (``admissible_indices``) leave out most of a busy
    # window, and only those are paired with their incident
    pairs: list[tuple[int, Profile]] = []
    screens = catalog.screens(candidates, cap)
    for index in admissible_indices(profile, members, config, screens=screens).tolist():
        member = members[index]
        if member.article != profile.article:  # itself, read back (a changed article assigned again)
            pairs.append((incidents[bisect_right(ends, index)], member))
    # the wording of every member in one numpy comparison, not one call a member
    alike = similarities(profile, [member for _, member in pairs])
    best: dict[int, Match] = {}  # incident -> its member with the most points (the first of equals)
    for (incident, member), similarity in zip(pairs, alike, strict=True):
        if not could_accept(profile, member, config, similarity):
            continue  # certainly rejected: most pairs, settled without weighing every piece of evidence
        found = compare(profile, member, config, similarity=similarity)
        if found.accepted(config) and (incident not in best or found.points > best[incident].points):
            best[incident] = found
    accepted: list[tuple[float, int, Match]] = [(match.points, incident, match) for incident, match in best.items()]
    if not accepted:
        incident = catalog.create(profile, role)
        missing = [what for what, known in (("place", profile.provinces), ("date", profile.date)) if not known]
        note = "new incident" + (f" (no {' or '.join(missing)}: joins others by evidence only)" if missing else "")
        return Assignment(incident, True, (), None, note)
    accepted.sort(key=lambda item: (-item[0], item[1]))
    target = min(incident for _, incident, _ in accepted)
    others = sorted({incident for _, incident, _ in accepted} - {target})
    if others:
        catalog.merge(target, others)
    catalog.add(target, profile, role)
    match = accepted[0][2]
    note = "joined: " + ", ".join(match.reasons) + (f"; merged {len(others)} incident(s)" if others else "")
    return Assignment(target, False, tuple(others), match, note)


@dataclass
class MemoryCatalog:
    """Incidents in memory: evaluation, tests and the Spark driver."""

    members: dict[int, list[Profile]] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    keys: dict[str, set[int]] = field(default_factory=dict)
    of_article: dict[str, int] = field(default_factory=dict)
    indexed: dict[int, set[str]] = field(default_factory=dict)  # incident -> its lookup keys
    next_id: int = 1
    joined: dict[int, bytes] = field(default_factory=dict)  # incident -> its members' screens, once read

    def candidates(self, keys: list[str]) -> dict[int, list[Profile]]:
        found = set().union(*filter(None, map(self.keys.get, keys)))  # one look-up a key, most of them misses
        members = self.members
        return {incident: members[incident] for incident in sorted(found)}

    def screens(self, candidates: dict[int, list[Profile]], cap: int) -> bytes:
        """Kept joined per incident as members come: a catalog that lives as long as the grouping (the Spark
        driver's) meets the same incidents in article after article, a few members each, and joining them
        member by member was a tenth of its time."""
        joined, cut = self.joined, cap * SCREEN.size
        parts = []
        for incident, members in candidates.items():
            screens = joined.get(incident)
            if screens is None:
                screens = joined[incident] = b"".join([member.screen for member in members])
            parts.append(screens if len(screens) <= cut else screens[-cut:])
        return b"".join(parts)

    def _index(self, incident: int, keys: Iterable[str]) -> None:
        keys = set(keys)
        for key in keys:
            self.keys.setdefault(key, set()).add(incident)
        self.indexed.setdefault(incident, set()).update(keys)

    def create(self, profile: Profile, role: str) -> int:
        incident, self.next_id = self.next_id, self.next_id + 1
        self.members[incident] = []
        self.add(incident, profile, role)
        return incident

    def add(self, incident: int, profile: Profile, role: str) -> None:
        self.members[incident].append(profile)
        if incident in self.joined:
            self.joined[incident] += profile.screen
        self.roles[profile.article] = role
        self.of_article[profile.article] = incident
        self._index(incident, index_keys(profile))

    def merge(self, into: int, others: list[int]) -> None:
        """Fold ``others`` into ``into``: their members, and their lookup keys (visiting only those keys)."""
        self.joined.pop(into, None)  # members added and put in order: joined again when next read
        for other in others:
            self.joined.pop(other, None)
            keys = self.indexed.pop(other, set())
            for key in keys:
                self.keys[key].discard(other)
            self._index(into, keys)
            for profile in self.members.pop(other):
                self.members[into].append(profile)
                self.of_article[profile.article] = into
        self._order(self.members[into])

    def _order(self, members: list[Profile]) -> None:
        """Members after a merge: by date (the evaluation's order; the Spark driver keeps load order)."""
        members.sort(key=lambda p: (p.date or "", p.article))


def group_profiles(profiles: Iterable[Profile], config: MatchConfig | None = None) -> MemoryCatalog:
    """Incidents of ``profiles`` assigned in order (the order an ingest would see them)."""
    catalog = MemoryCatalog()
    for profile in profiles:
        assign(profile, catalog, config)
    return catalog
