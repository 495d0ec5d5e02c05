"""Record-seizure detector: a seizure in the top percentile of its substance, per province and nationally.

A seizure is compared with the earlier seizures (in event order) of the same substance in the same unit:
grams with grams, pills with pills; a unit is never converted into another. A national record drops the
same seizure's province alert, which would say less.
"""

from __future__ import annotations

import bisect
import datetime
import math
from collections import defaultdict
from collections.abc import Iterable

from pantau.alerts.common import fmt, known_at, label, province_of, region_name
from pantau.alerts.config import AlertConfig, load_config
from pantau.alerts.model import Alert, IncidentFacts, event_day, utc_naive
from pantau.alerts.stats import SortedView, quantile

_UNITS_EN = {"g": "g", "pill": "pills", "plant": "plants", "ml": "ml", "package": "packages"}
_UNITS_ID = {"g": "g", "pill": "butir", "plant": "batang", "ml": "ml", "package": "paket"}


def amount_text(quantity: float, unit: str, language: str) -> str:
    """A quantity as a title shows it: grams from 1,000 up in kg (tons from a million), others as counted."""
    if unit == "g":
        if quantity >= 1_000_000:
            return f"{fmt(quantity / 1_000_000)} t" if language == "en" else f"{fmt(quantity / 1_000_000)} ton"
        if quantity >= 1000:
            return f"{fmt(quantity / 1000)} kg"
        return f"{fmt(quantity)} g"
    if unit == "ml" and quantity >= 1000:
        return f"{fmt(quantity / 1000)} l"
    names = _UNITS_EN if language == "en" else _UNITS_ID
    return f"{fmt(quantity)} {names.get(unit, unit)}"


def _largest(incident: IncidentFacts) -> dict[tuple[str, str], float]:
    """An incident's seizure per (substance, unit): the largest when its merged list has several."""
    out: dict[tuple[str, str], float] = {}
    for substance, quantity, unit in incident.seizures:
        if quantity is None or not math.isfinite(quantity) or quantity <= 0:
            continue
        key = (substance, unit)
        out[key] = max(out.get(key, 0.0), float(quantity))
    return out


# Event order; the id breaks ties so that the same seizures are "earlier" run after run.
Order = tuple[datetime.date, datetime.datetime, int]


def _order(incident: IncidentFacts) -> Order:
    return (event_day(incident), utc_naive(incident.first_seen), incident.id)


def detect_record_seizures(incidents: Iterable[IncidentFacts], as_of: datetime.datetime,
                           config: AlertConfig | None = None) -> list[Alert]:
    """Alerts for recent seizures strictly above the ``quantile`` of the earlier ones in their scope."""
    config = config or load_config()
    cfg = config.record_seizure
    as_of = utc_naive(as_of)
    facts = [i for i in known_at(incidents, as_of) if i.type not in cfg.ignore_types]
    facts.sort(key=_order)
    first_day = as_of.date() - datetime.timedelta(days=cfg.eval_days)
    # Evaluated incidents are the last ones in event order: the ones before them are history for all and are
    # sorted once; from the first evaluated one on, each seizure joins its sorted lists after its own check.
    split = next((n for n, i in enumerate(facts) if event_day(i) >= first_day), len(facts))
    national: dict[tuple[str, str], list[float]] = defaultdict(list)
    provincial: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for incident in facts[:split]:
        province = province_of(incident)
        for (substance, unit), quantity in _largest(incident).items():
            national[(substance, unit)].append(quantity)
            if province:
                provincial[(province, substance, unit)].append(quantity)
    for values in (*national.values(), *provincial.values()):
        values.sort()
    alerts: list[Alert] = []
    for incident in facts[split:]:
        province = province_of(incident)
        for (substance, unit), quantity in sorted(_largest(incident).items()):
            raised = None
            if "national" in cfg.scopes:
                raised = _check(incident, substance, unit, quantity, None, national[(substance, unit)],
                                cfg.min_history_national, as_of, config)
            if raised is None and "province" in cfg.scopes and province:
                raised = _check(incident, substance, unit, quantity, province,
                                provincial[(province, substance, unit)], cfg.min_history_province, as_of, config)
            if raised is not None:
                alerts.append(raised)
            bisect.insort(national[(substance, unit)], quantity)
            if province:
                bisect.insort(provincial[(province, substance, unit)], quantity)
    return sorted(alerts, key=lambda a: (-a.score, a.key))


def _check(incident: IncidentFacts, substance: str, unit: str, quantity: float, province: str | None,
           earlier: list[float], min_history: int, as_of: datetime.datetime, config: AlertConfig) -> Alert | None:
    cfg = config.record_seizure
    if len(earlier) < min_history:
        return None  # cold start: too few earlier seizures to say what the top percentile is
    threshold = quantile(earlier, cfg.quantile)
    if quantity <= threshold:
        return None
    below = bisect.bisect_left(earlier, quantity)
    median = quantile(earlier, 0.5)
    previous_max = earlier[-1]
    rank = len(earlier) - below + 1  # 1 = larger than every earlier seizure
    scope_en = "nationally" if province is None else f"in {region_name(province)}"
    scope_id = "secara nasional" if province is None else f"di {region_name(province)}"
    what_en = label("substance", substance, "en", config)
    what_id = label("substance", substance, "id", config)
    amount_en = amount_text(quantity, unit, "en")
    amount_id = amount_text(quantity, unit, "id")
    if rank == 1:
        title = f"Largest {what_en} seizure on record {scope_en}: {amount_en}"
        title_id = f"Sitaan {what_id} terbesar yang tercatat {scope_id}: {amount_id}"
    else:
        title = f"Top-{round((1 - cfg.quantile) * 100)}% {what_en} seizure {scope_en}: {amount_en}"
        title_id = f"Sitaan {what_id} {round((1 - cfg.quantile) * 100)}% teratas {scope_id}: {amount_id}"
    # The figure as compared, when the title shows it converted (5 kg = 5000 g).
    raw = f" ({fmt(quantity)} {unit})" if unit in ("g", "ml") and quantity >= 1000 else ""
    reason = (f"{amount_en}{raw} vs {fmt(threshold)} {unit} at the "
              f"{round(cfg.quantile * 100)}th percentile of {len(earlier)} earlier {what_en} seizures "
              f"{scope_en} (median {fmt(median)} {unit}, previous largest {fmt(previous_max)} {unit}); rank {rank}")
    scope = "national" if province is None else province
    return Alert(
        key=f"record_seizure:{scope}:{substance}:{unit}:{incident.id}",
        kind="record_seizure",
        title=title,
        title_id=title_id,
        reason=reason,
        # Orders of magnitude above the typical seizure of the substance in the scope.
        score=round(math.log10(quantity / median), 3) if median > 0 else 0.0,
        region_code=incident.regency_code or province_of(incident),
        province_code=province_of(incident),
        period=event_day(incident).isoformat(),
        incident_ids=(incident.id,),
        numbers={"quantity": quantity, "threshold": threshold, "quantile": cfg.quantile, "median": median,
                 "previous_max": previous_max, "rank": float(rank), "history": float(len(earlier)),
                 "national": 1.0 if province is None else 0.0},
        raised_at=as_of,
    )


class _Without(SortedView[float]):
    """A sorted list without a few of its values (a sorted sub-multiset of it), indexed without copying."""

    def __init__(self, values: list[float], without: list[float]) -> None:
        self._values = values
        self._without = without
        self._len = len(values) - len(without)

    def _at(self, index: int) -> float:
        if not self._without:
            return self._values[index]
        # The first position whose value has more than `index` values left at or below it.
        values, without = self._values, self._without
        lo, hi = index, len(values) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            value = values[mid]
            if bisect.bisect_right(values, value) - bisect.bisect_right(without, value) > index:
                hi = mid
            else:
                lo = mid + 1
        return values[lo]


class RecordSeizureTracker:
    """``detect_record_seizures`` at rising as-of times, the incidents added as they become known.

    Each scope keeps the sorted seizures of its known incidents; a recent seizure's earlier ones are that
    list without the known seizures at or after it in event order, which all lie within the evaluated days,
    so an evaluation costs the recent seizures times a few bisections, not a sort of the history."""

    def __init__(self, config: AlertConfig) -> None:
        self.config = config
        # scope (province code, or None for national), substance, unit -> sorted quantities of known incidents
        self.values: dict[tuple[str | None, str, str], list[float]] = defaultdict(list)
        # the same by event day: (order, quantity), for the ones at or after an evaluated seizure
        self.by_day: dict[tuple[str | None, str, str], dict[datetime.date, list[tuple[Order, float]]]] = (
            defaultdict(lambda: defaultdict(list)))
        self.incidents: dict[datetime.date, list[tuple[Order, IncidentFacts, dict[tuple[str, str], float]]]] = (
            defaultdict(list))
        # (scope key, order) -> how many earlier seizures it was last checked against, when that raised nothing
        self.quiet: dict[tuple[tuple[str | None, str, str], Order], int] = {}

    def add(self, incident: IncidentFacts) -> None:
        if incident.type in self.config.record_seizure.ignore_types:
            return
        order = _order(incident)
        largest = _largest(incident)
        province = province_of(incident)
        for (substance, unit), quantity in largest.items():
            for scope in (None, province) if province else (None,):
                bisect.insort(self.values[(scope, substance, unit)], quantity)
                self.by_day[(scope, substance, unit)][order[0]].append((order, quantity))
        self.incidents[order[0]].append((order, incident, largest))

    def _check_known(self, incident: IncidentFacts, order: Order, substance: str, unit: str, quantity: float,
                     province: str | None, min_history: int, as_of: datetime.datetime, first_day: datetime.date,
                     recent: dict[tuple[str | None, str, str], list[tuple[Order, float]]]) -> Alert | None:
        """``_check`` against the known seizures of the scope before ``order`` in event order: the scope's
        sorted list without its seizures at or after ``order``, which all lie within the evaluated days
        (``recent`` holds each scope's seizures of those days in event order, for one evaluation)."""
        key = (province, substance, unit)
        entries = recent.get(key)
        if entries is None:
            by_day = self.by_day[key]
            today = as_of.date()
            entries = sorted(entry for back in range((today - first_day).days, -1, -1)
                             for entry in by_day.get(today - datetime.timedelta(days=back), ()))
            recent[key] = entries
        at = bisect.bisect_left(entries, (order,))
        values = self.values[key]
        # The earlier seizures only ever grow in number as times pass, so the same number is the same ones:
        # a check that raised nothing need not be made again until one more is known.
        earlier = len(values) - (len(entries) - at)
        if self.quiet.get((key, order)) == earlier:
            return None
        raised = _check(incident, substance, unit, quantity, province,
                        _Without(values, sorted(quantity for _order, quantity in entries[at:])), min_history, as_of,
                        self.config)
        if raised is None:
            self.quiet[(key, order)] = earlier
        return raised

    def evaluate(self, as_of: datetime.datetime) -> list[Alert]:
        """What ``detect_record_seizures`` returns at ``as_of`` on the incidents added so far (all known at
        as_of)."""
        cfg = self.config.record_seizure
        today = as_of.date()
        first_day = today - datetime.timedelta(days=cfg.eval_days)
        recent: dict[tuple[str | None, str, str], list[tuple[Order, float]]] = {}
        alerts: list[Alert] = []
        for back in range(cfg.eval_days, -1, -1):
            for order, incident, largest in self.incidents.get(today - datetime.timedelta(days=back), ()):
                province = province_of(incident)
                for (substance, unit), quantity in sorted(largest.items()):
                    raised = None
                    if "national" in cfg.scopes:
                        raised = self._check_known(incident, order, substance, unit, quantity, None,
                                                   cfg.min_history_national, as_of, first_day, recent)
                    if raised is None and "province" in cfg.scopes and province:
                        raised = self._check_known(incident, order, substance, unit, quantity, province,
                                                   cfg.min_history_province, as_of, first_day, recent)
                    if raised is not None:
                        alerts.append(raised)
        return sorted(alerts, key=lambda a: (-a.score, a.key))
