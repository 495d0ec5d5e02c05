"""Do two articles report the same event? Evidence points from their profiles, with the reasons.

Hard conditions first: compatible kinds, places that can be one place (the same regency, or the same
province when one side only knows the province), event dates within a window (a long one for a trial
or sentencing report). Then evidence for and against: the same story or similar wording, seizures of
the same substance and quantity (within rounding, or one the sum of the other's parts), the same
suspects' initials, the same officers and units, the same regency and day. Text similarity is one
signal among these, because outlets rewrite a release in their own words.

An article with no place or no date is never joined by place and date alone: it needs
``unanchored_threshold`` points of evidence that are not place or date.

Weights are in ``data/incidents.toml`` ``[match]``; docs/incidents.md has the measured effect.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from itertools import combinations
from operator import attrgetter
from typing import Literal

import numpy as np

from pantau.incidents.names import shared_count
from pantau.incidents.profile import (
    FOLLOW_UP_FLAG,
    NO_DAY,
    OFFICIALS_FLAG,
    OTHER,
    SCREEN,
    UNSCREENED_FLAG,
    Amount,
    Profile,
    screen_kind_count,
    screen_kinds,
)
from pantau.vocab import load_toml


@dataclass(frozen=True, slots=True)
class MatchConfig:
    date_window: int
    follow_up_window: int
    late_window: int
    threshold: float
    same_story: float
    similarity_copy: float
    similarity_copy_points: float
    similarity_high: float
    similarity_high_points: float
    similarity_low: float
    similarity_low_points: float
    seizure_match: float
    seizure_conflict: float
    substance_conflict: float
    suspects_match: float
    suspects_conflict: float
    named_match: float
    named_more: float
    official_match: float
    distinctive_quantity: dict[str, float]
    distinctive_points: float
    province_conflict: float
    unit_match: float
    regency_match: float
    same_day: float
    quantity_tolerance: float
    about_tolerance: float
    unanchored_threshold: float
    keyword_match: float
    keywords_match: float
    max_members: int
    kind_mismatch: float
    same_kind: dict[str, float]
    families: tuple[frozenset[str], ...]
    separate: frozenset[str]


@cache
def match_config() -> MatchConfig:
    data = load_toml("incidents")
    families = tuple(frozenset(f) for f in data["kinds"]["families"])
    return MatchConfig(**data["match"], families=families, separate=frozenset(data["kinds"]["separate"]))


@dataclass(frozen=True, slots=True)
class Match:
    points: float
    anchored: bool  # place and date both known and compatible
    reasons: tuple[str, ...]

    def accepted(self, config: MatchConfig) -> bool:
        if self.points == float("-inf"):
            return False
        return self.points >= (config.threshold if self.anchored else config.unanchored_threshold)


REJECTED = Match(float("-inf"), False, ())


def kinds_agree(a: str, b: str, config: MatchConfig) -> bool | None:
    """True: the same kind, kinds of one family, or an unnamed kind ("other") on either side; False:
    kinds that may still be one event; None: kinds that never are."""
    if a == b or OTHER in (a, b) or any(a in family and b in family for family in config.families):
        return True
    return None if a in config.separate or b in config.separate else False


@lru_cache(maxsize=1 << 14)  # grouping compares the same few figures of a window with every article's
def _step(value: float) -> float:
    """The precision a figure was written to: the place of its last significant digit, taken as at
    least two significant digits ("40 kg" is 40 give or take 1, not 10; "4,38 gram" is to 0.01)."""
    digits = f"{value:.9g}"
    mantissa, _, exponent = digits.partition("e")
    whole, _, fraction = mantissa.partition(".")
    fraction = fraction.rstrip("0")
    if fraction:
        last = -len(fraction)
    else:
        stripped = whole.lstrip("-")
        last = len(stripped) - len(stripped.rstrip("0"))
    last += int(exponent or 0)
    top = math.floor(math.log10(abs(value))) if value else 0
    return 10.0 ** min(last, top - 1)


def same_figure(x: float, y: float) -> bool:
    """``x`` and ``y`` are one figure written to different precision: the finer one rounds to the coarser
    one ("40 kg" and "39,8 kilogram"), while two figures written to one precision must be equal ("467 gram"
    and "474 gram" are two seizures although within 2 %, "4,3 gram" and "4,38 gram" too)."""
    coarse, fine = (x, y) if _step(x) >= _step(y) else (y, x)
    step = _step(coarse)
    return abs(math.floor(fine / step + 0.5) * step - coarse) <= 1e-6 * step


def _figures_agree(x: float, y: float, tolerance: float, exact: bool) -> bool:
    if exact:
        return same_figure(x, y)
    return abs(x - y) <= tolerance * max(x, y)


def same_quantity(a: Amount, b: Amount, config: MatchConfig) -> bool:
    if a.approximate or b.approximate:
        return _figures_agree(a.quantity, b.quantity, config.about_tolerance, False)
    return same_figure(a.quantity, b.quantity)


def _sums(amounts: list[Amount]) -> list[tuple[float, bool]]:
    """The quantities as written (True), and the sums of two or more of them (a total reported against its
    parts; False: their precision is unknown, so they agree within a tolerance)."""
    values = [a.quantity for a in amounts]
    sums = [(value, True) for value in values]
    if 1 < len(values) <= 6:
        for size in range(2, len(values) + 1):
            sums.extend((sum(c), False) for c in combinations(values, size))
    return sums


def _quantities_agree(left: list[Amount], right: list[Amount], tolerance: float, approximate: bool) -> bool:
    """A figure both sides write, else a figure of one side that is a sum of the other's (a total against its
    parts). Written figures are compared first: the sums are only needed when they disagree."""
    written_left, written_right = [a.quantity for a in left], [a.quantity for a in right]
    if any(_figures_agree(x, y, tolerance, not approximate) for x in written_left for y in written_right):
        return True
    for figures, parts in ((written_left, right), (written_right, left)):
        totals = [total for total, is_written in _sums(parts) if not is_written]
        if any(_figures_agree(x, total, tolerance, False) for x in figures for total in totals):
            return True
    return False


def seizures_agree(a: Iterable[Amount], b: Iterable[Amount], config: MatchConfig) -> tuple[int, int]:
    """(substances with a quantity both report, substances both report with no common quantity)."""
    a, b = tuple(a), tuple(b)
    # most pairs of a window report other substances or units: settled without grouping the amounts
    common = {(x.substance, x.unit) for x in a} & {(y.substance, y.unit) for y in b}
    agree = conflict = 0
    for substance, unit in common:
        left = [x for x in a if x.substance == substance and x.unit == unit]
        right = [y for y in b if y.substance == substance and y.unit == unit]
        approximate = any(x.approximate for x in left + right)
        tolerance = config.about_tolerance if approximate else config.quantity_tolerance
        if _quantities_agree(left, right, tolerance, approximate):
            agree += 1
        else:
            conflict += 1
    return agree, conflict


def _distinctive(a: Iterable[Amount], b: Iterable[Amount], config: MatchConfig) -> bool:
    """Both report one quantity large enough that few cases share it."""
    return any(x.substance == y.substance and x.unit == y.unit and same_quantity(x, y, config)
               and x.quantity >= config.distinctive_quantity.get(x.unit, float("inf"))
               for x in a for y in b)


def _similarity(a: Profile, b: Profile) -> float | None:
    if a.signature is None or b.signature is None:
        return None
    left, right = np.asarray(a.signature), np.asarray(b.signature)
    # the share of equal MinHash values; count_nonzero is np.mean's result without its per-call overhead
    return np.count_nonzero(left == right) / left.size


class _Unset(Enum):
    """``compare``'s ``similarity`` not given (None is a value: a side without a signature)."""

    UNSET = 0


def similarities(a: Profile, others: Sequence[Profile]) -> list[float | None]:
    """``_similarity(a, b)`` for each ``b`` of ``others``: one numpy comparison of ``a``'s signature with the
    stacked signatures of its shape (an article meets a thousand members in a busy window; a call each
    costs more than the comparison)."""
    found: list[float | None] = [None] * len(others)
    if a.signature is None:
        return found
    left = np.asarray(a.signature)
    rows: list[int] = []
    for index, other in enumerate(others):
        if other.signature is None:
            continue
        if np.shape(other.signature) == left.shape:
            rows.append(index)
        else:
            found[index] = _similarity(a, other)
    if rows:
        # one flat copy of the rows (half the cost of np.stack, which reshapes each one first)
        stacked = np.concatenate([np.asarray(others[i].signature) for i in rows]).reshape(len(rows), left.size)
        agree = np.count_nonzero(stacked == left, axis=1)
        for index, count in zip(rows, agree.tolist(), strict=True):
            found[index] = count / left.size  # as _similarity divides: an int by the size, a Python float
    return found


def _other_case(a: Profile, b: Profile, config: MatchConfig) -> bool:
    """Other suspects and another quantity of the same substance: another case, however alike the texts.

    Police releases and court reports follow templates ("Polisi Sita ... Gram Sabu dari Pria di ...",
    "Hakim ... Jatuhkan Vonis ... Tahun Penjara"), so two cases can share most of their wording; the
    facts that name a case cannot both differ. Follow-ups count too: two sentencing reports of one court
    with other defendants and other quantities are two cases.
    """
    if not (a.suspects and b.suspects) or a.suspects & b.suspects or not (a.amounts and b.amounts):
        return False
    agree, conflict = seizures_agree(a.amounts, b.amounts, config)
    return conflict > 0 and agree == 0


def _dates(a: Profile, b: Profile, config: MatchConfig) -> tuple[int | None, bool] | None:
    """(days between the two events, None when a date is unknown; whether the later is weeks after the
    earlier), or None when the dates rule the pair out."""
    day_a, day_b = a.day, b.day
    if day_a is None or day_b is None:
        return None, False
    gap = abs(day_a - day_b)
    if a.follow_up or b.follow_up:
        if gap > config.follow_up_window:
            return None
        if a.follow_up != b.follow_up:
            trial, report = (day_a, day_b) if a.follow_up else (day_b, day_a)
            if report - trial > config.date_window:
                # a trial or sentencing comes after the event it follows, not weeks before it: a
                # hearing before the event is another proceeding between the same people
                return None
        return gap, False
    if gap > config.late_window:
        return None
    return gap, gap > config.date_window  # late: the case again, weeks later: only names may join it


def cannot_match(a: Profile, b: Profile, config: MatchConfig) -> bool:
    """True when ``compare(a, b, config)`` would certainly not be accepted, known from the conditions that
    are cheap to test: kinds that are never one event, dates out of range, a report weeks later sharing
    neither suspects nor names, another province with other officers speaking (or weeks later). Most
    members a busy window offers an article fail one of these, and weighing their evidence costs ten
    times as much. Each condition is one on which ``compare`` returns a rejection, whatever the evidence.
    """
    # the cheap tests first: a window's members are mostly of other provinces, and most of them weeks away
    # (its keys span whole months); comparing the officers' names costs more than all of these together
    place_conflict = bool(a.provinces and b.provinces and not a.provinces & b.provinces)
    dates = _dates(a, b, config)
    if dates is None:
        return True
    late = dates[1]
    if late and place_conflict:
        return True
    if kinds_agree(a.kind, b.kind, config) is None:
        return True
    if place_conflict and a.officials and b.officials and not shared_count(a.officials, b.officials):
        return True
    return late and not (a.suspects & b.suspects or shared_count(a.named, b.named))


_SCREEN_OF = attrgetter("screen")


# (config's id, kind, kinds numbered) -> (config, _never's flags): kinds are only ever added, so the flags of a
# count of kinds never change; the config is kept to tell a reused id from its own
_NEVER_FLAGS: dict[tuple[int, str, int], tuple[MatchConfig, np.ndarray]] = {}


def _never(kind: str, config: MatchConfig) -> np.ndarray:
    """For each kind numbered so far (``profile.kind_code``), whether it is never one event with ``kind`` (made once
    a kind and count of kinds: an article's screen asks it, and the kinds are a handful)."""
    key = (id(config), kind, screen_kind_count())
    known = _NEVER_FLAGS.get(key)
    if known is not None and known[0] is config:
        return known[1]
    flags = np.array([kinds_agree(kind, other, config) is None for other in screen_kinds()], dtype=bool)
    flags.flags.writeable = False
    if len(_NEVER_FLAGS) > 4096:  # configs made and dropped (tests): start again
        _NEVER_FLAGS.clear()
    _NEVER_FLAGS[key] = (config, flags)
    return flags


def admissible(a: Profile, members: Sequence[Profile], config: MatchConfig) -> list[bool]:
    """``[not cannot_match(a, m, config) for m in members]`` (``admissible_indices`` as one flag a member)."""
    result = [False] * len(members)
    for index in admissible_indices(a, members, config).tolist():
        result[index] = True
    return result


def admissible_indices(a: Profile, members: Sequence[Profile], config: MatchConfig, *,
                       screens: bytes | None = None) -> np.ndarray:
    """The indices of ``members`` that ``cannot_match`` leaves in, ascending, with the conditions on dates, kinds
    and provinces tested on every member at once from their screens (``Profile.screen``); names are compared,
    as there, only for the members those leave in. An article meets over a thousand members in a busy window,
    most of them settled by the cheap conditions, which cost more as a call each than as one pass. ``screens``:
    the members' screens already joined in their order (``Catalog.screens``), when the caller has them."""
    count = len(members)
    if count == 0:
        return np.zeros(0, dtype=np.intp)
    _, a_flags, a_mask, _ = SCREEN.unpack(a.screen)
    if a_flags & UNSCREENED_FLAG:  # a province beyond the masks' bits: one pair at a time
        return np.array([i for i, member in enumerate(members) if not cannot_match(a, member, config)], dtype=np.intp)
    if screens is None:
        screens = b"".join(map(_SCREEN_OF, members))
    elif len(screens) != count * SCREEN.size:
        raise ValueError(f"{len(screens) // SCREEN.size} screens for {count} members")
    table = np.frombuffer(screens, dtype=np.int64).reshape(count, 4)
    day, flags, mask, kind = table[:, 0], table[:, 1], table[:, 2], table[:, 3]
    # as _dates: no day on either side rules nothing out and is never late
    rejected = np.zeros(count, dtype=bool)
    late = np.zeros(count, dtype=bool)
    if a.day is not None:
        known = day != NO_DAY
        gap = np.abs(day - a.day)
        follow_up = (flags & FOLLOW_UP_FLAG) != 0
        if a.follow_up:  # a is the trial: a report more than date_window after it is another proceeding
            rejected = known & ((gap > config.follow_up_window) | (~follow_up & (day - a.day > config.date_window)))
        else:
            rejected = known & np.where(follow_up, (gap > config.follow_up_window) | (a.day - day > config.date_window),
                                        gap > config.late_window)
            late = known & ~follow_up & (gap > config.date_window) & ~rejected
    if a_mask:
        place_conflict = (mask != 0) & ((mask & a_mask) == 0)
        rejected |= late & place_conflict
    else:
        place_conflict = np.zeros(count, dtype=bool)
    # every member's kind was numbered when it was built, before this list is read
    rejected |= _never(a.kind, config)[kind]
    # names are compared only where the sets share a first word (``shared_count`` is 0 otherwise: most pairs)
    # (the members to test listed, and those that pass written back at once: a numpy element set one at a time
    # costs more than the test, and a busy window holds hundreds of other provinces' officers)
    if a.officials:
        apart = a.official_keys.isdisjoint
        tested = np.flatnonzero(~rejected & place_conflict & ((flags & OFFICIALS_FLAG) != 0))
        if tested.size:
            passed = [index for index in tested.tolist() if not apart(members[index].official_keys)
                      and shared_count(a.officials, members[index].officials)]
            rejected[tested] = True
            rejected[passed] = False
    if a.suspects or a.named:
        apart = a.named_keys.isdisjoint
        tested = np.flatnonzero(~rejected & late)
        if tested.size:
            passed = [index for index in tested.tolist()
                      if a.suspects & members[index].suspects
                      or (not apart(members[index].named_keys) and shared_count(a.named, members[index].named))]
            rejected[tested] = True
            rejected[passed] = False
    else:  # nothing to share: every late member is out (most articles name no suspect and no one but officials)
        rejected |= late
    unscreened = (flags & UNSCREENED_FLAG) != 0
    kept = np.flatnonzero(~rejected & ~unscreened)
    if not unscreened.any():
        return kept
    # a member's province beyond the masks' bits: those pairs one at a time
    judged = [i for i in np.flatnonzero(unscreened).tolist() if not cannot_match(a, members[i], config)]
    return np.sort(np.concatenate([kept, np.array(judged, dtype=np.intp)]))


def _place_and_day(a: Profile, b: Profile, kinds: bool, gap: int | None, place_conflict: bool, place_known: bool,
                   config: MatchConfig, reasons: list[str] | None = None) -> float:
    """The points of kinds that differ, of place and of the same day (``compare``'s first terms, in its order of
    addition); their reasons added to ``reasons`` when given."""
    points = 0.0
    if not kinds:
        points += config.kind_mismatch
        if reasons is not None:
            reasons.append(f"{a.kind} and {b.kind}")
    if place_conflict:
        points += config.province_conflict
        if reasons is not None:
            reasons.append("different provinces")
    elif place_known and a.regencies and b.regencies:
        if a.regencies & b.regencies:
            points += config.regency_match
            if reasons is not None:
                reasons.append("same regency")
            if a.kind == b.kind and a.kind in config.same_kind:
                points += config.same_kind[a.kind]
                if reasons is not None:
                    reasons.append(f"both {a.kind}")
        elif not (a.regencies <= b.regencies or b.regencies <= a.regencies):
            # both name regencies and share none: only strong evidence may join them
            points -= config.regency_match
            if reasons is not None:
                reasons.append("different regencies")
    if gap == 0:
        points += config.same_day
        if reasons is not None:
            reasons.append("same day")
    return points


_WORDING = (("similarity_copy", "similarity_copy_points", "nearly the same text"),
            ("similarity_high", "similarity_high_points", "similar wording"),
            ("similarity_low", "similarity_low_points", "some common wording"))


def _story_or_wording(a: Profile, b: Profile, similarity: float | None, config: MatchConfig,
                      reasons: list[str] | None = None) -> float:
    """The evidence of one story, else of the wording's ``similarity`` (None: a side has no signature); its reason
    added to ``reasons`` when given."""
    if a.story is not None and a.story == b.story:
        if reasons is not None:
            reasons.append("same story")
        return 0.0 + config.same_story
    if similarity is not None:
        for least, points, phrase in _WORDING:
            if similarity >= getattr(config, least):
                if reasons is not None:
                    reasons.append(f"{phrase} ({similarity:.2f})")
                return 0.0 + getattr(config, points)
    return 0.0


def could_accept(a: Profile, b: Profile, config: MatchConfig, similarity: float | None) -> bool:
    """False only when ``compare(a, b, config, similarity=similarity)`` is certainly not accepted: its points with
    each term that compares names or quantities (people named, officials, seizures) at its largest, the others as
    ``compare`` counts them. Most members a window leaves in (``admissible_indices``) name no one the article
    names and fall short on place, date and wording alone; weighing all their evidence costs several times this.
    ``similarity``: the pair's (``similarities``)."""
    kinds = kinds_agree(a.kind, b.kind, config)
    if kinds is None:
        return False
    dates = _dates(a, b, config)
    if dates is None:
        return False
    gap, late = dates
    common_suspects = not a.suspects.isdisjoint(b.suspects)
    may_name = not a.named_keys.isdisjoint(b.named_keys)  # ``shared_count`` is 0 when they are disjoint
    if late and not (common_suspects or may_name):
        return False
    place_known = bool(a.provinces) and bool(b.provinces)
    place_conflict = place_known and a.provinces.isdisjoint(b.provinces)
    if place_conflict and late:
        return False
    points = _place_and_day(a, b, kinds, gap, place_conflict, place_known, config)
    evidence = _story_or_wording(a, b, similarity, config)
    if a.amounts and b.amounts:  # at most every substance and unit both report agrees
        common = len({(x.substance, x.unit) for x in a.amounts} & {(y.substance, y.unit) for y in b.amounts})
        if common:
            if a.follow_up or b.follow_up:
                evidence += max(0.0, config.seizure_match)
            else:
                evidence += max(0.0, config.seizure_match) * common + max(0.0, config.distinctive_points)
    if a.suspects and b.suspects:
        evidence += config.suspects_match if common_suspects else config.suspects_conflict
    if may_name:
        evidence += max(0.0, *(config.named_match + config.named_more * more for more in range(3)))
    if a.officials and b.officials and not a.official_keys.isdisjoint(b.official_keys):
        evidence += max(0.0, config.official_match)
    if not a.units.isdisjoint(b.units):
        evidence += config.unit_match
    keywords = len(a.keywords & b.keywords)
    if keywords:
        evidence += config.keywords_match if keywords > 1 else config.keyword_match
    anchored = place_known and gap is not None and not late and not place_conflict
    if place_conflict:
        evidence += config.province_conflict
    total = points + evidence if anchored else evidence
    # a margin for sums taken in another order than compare's
    return total >= (config.threshold if anchored else config.unanchored_threshold) - 1e-9


def compare(a: Profile, b: Profile, config: MatchConfig | None = None, *,
            similarity: float | Literal[_Unset.UNSET] | None = _Unset.UNSET) -> Match:
    """The evidence that ``a`` and ``b`` report the same event (``REJECTED`` when they cannot);
    ``similarity``, when given, is ``a`` and ``b``'s (``similarities`` computes it for many ``b`` at once)."""
    config = config or match_config()
    kinds = kinds_agree(a.kind, b.kind, config)
    if kinds is None:
        return REJECTED
    if _other_case(a, b, config):
        return Match(float("-inf"), False, ("different suspects", "different quantities"))
    # date first: its hard conditions, and a report weeks later that shares neither suspects nor names, end
    # many comparisons (a lookup reads a province's incidents of whole months) before any evidence is weighed
    dates = _dates(a, b, config)
    if dates is None:
        return REJECTED
    gap, late = dates
    date_known = gap is not None
    common_suspects = a.suspects & b.suspects
    named = shared_count(a.named, b.named)
    if late and not (common_suspects or named):
        return REJECTED
    reasons: list[str] = []
    place_known = bool(a.provinces) and bool(b.provinces)
    place_conflict = place_known and not a.provinces & b.provinces
    points = _place_and_day(a, b, kinds, gap, place_conflict, place_known, config, reasons)
    if similarity is _Unset.UNSET and not (a.story is not None and a.story == b.story):
        similarity = _similarity(a, b)
    evidence = _story_or_wording(a, b, similarity, config, reasons)  # points not from place or date
    if a.amounts and b.amounts and not (a.follow_up or b.follow_up):
        agree, conflict = seizures_agree(a.amounts, b.amounts, config)
        if agree:
            evidence += config.seizure_match * agree
            if _distinctive(a.amounts, b.amounts, config):
                evidence += config.distinctive_points
            reasons.append(f"same seizure ({agree} substance{'s' if agree > 1 else ''})")
        if conflict and not agree:
            evidence += config.seizure_conflict
            reasons.append("different quantities")
        # no substance in common (the same question as ``a.substances & b.substances``, without building them)
        if not agree and not conflict and not any(x.substance == y.substance for x in a.amounts for y in b.amounts):
            evidence += config.substance_conflict
            reasons.append("different substances")
    elif a.amounts and b.amounts:
        agree, _ = seizures_agree(a.amounts, b.amounts, config)
        if agree:
            evidence += config.seizure_match
            reasons.append("same seizure")
    if a.suspects and b.suspects:
        if common_suspects:
            evidence += config.suspects_match
            reasons.append("same suspects")
        else:
            evidence += config.suspects_conflict
            reasons.append("different suspects")
    if named:
        # each further name both report adds evidence: two people named together rarely recur
        evidence += config.named_match + config.named_more * min(named - 1, 2)
        reasons.append("same people named" + (f" ({named})" if named > 1 else ""))
    officials = shared_count(a.officials, b.officials)
    if officials:
        evidence += config.official_match
        reasons.append("same officials")
    if a.units & b.units:
        evidence += config.unit_match
        reasons.append("same units")
    keywords = a.keywords & b.keywords
    if keywords:
        evidence += config.keywords_match if len(keywords) > 1 else config.keyword_match
        reasons.append("same rare words (" + ", ".join(sorted(keywords)[:3]) + ")")
    if place_conflict and (late or (a.officials and b.officials and not officials)):
        # Another province weeks later, or another province with other officers speaking: the same
        # template or the same initials, not the same event (a place misread still shares its officers).
        return Match(float("-inf"), False, tuple(reasons))
    anchored = place_known and date_known and not late and not place_conflict
    if place_conflict:
        evidence += config.province_conflict
    return Match(points + evidence if anchored else evidence, anchored, tuple(reasons))
