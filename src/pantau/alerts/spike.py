"""Spike detector: more incidents in a week than a region's own history expects.

One weekly series per region (the regency when an incident has one, and its province) and per topic,
substance (and, when configured, incident type). A week's count is compared with the series' baseline weeks
through the negative binomial of ``pantau.alerts.stats``; docs/alerts.md has the definition and the measured
recall and false-alert rate (bench/bench_alerts.py).
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

from pantau.alerts.common import attributes_of, fmt, history_start, known_at, label, region_name, regions_of
from pantau.alerts.config import AlertConfig, SpikeConfig, load_config
from pantau.alerts.model import Alert, IncidentFacts, event_day, iso_week, utc_naive, week_index, week_monday
from pantau.alerts.stats import Baseline, baseline, nbinom_sf

# (level, region code, dimension, value)
Series = tuple[str, str, str, str]


def series_of(incident: IncidentFacts, config: SpikeConfig) -> tuple[int, list[Series]]:
    """The incident's week number (``model.week_index``) and the series it counts in."""
    attributes = attributes_of(incident, config.dimensions, config.ignore_topics, config.ignore_types)
    if not attributes:
        return 0, []
    keys = [(level, code, dimension, value)
            for level, code in regions_of(incident, config.levels) for dimension, value in attributes]
    return week_index(event_day(incident)), keys


def weekly_series(incidents: Iterable[IncidentFacts], config: SpikeConfig) -> dict[Series, dict[int, list[int]]]:
    """Incident ids per series and week number (``model.week_index``)."""
    series: dict[Series, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for incident in incidents:
        week, keys = series_of(incident, config)
        for key in keys:
            series[key][week].append(incident.id)
    return series


def first_covered_week(start: datetime.date) -> int:
    """The first week the store's history covers from its Monday (a partly covered week would look quieter
    than it was)."""
    return week_index(start) + (0 if start.weekday() == 0 else 1)


def baseline_weeks(week: int, first_covered: int, config: SpikeConfig) -> tuple[list[int], bool]:
    """The weeks a series' count in ``week`` is compared with (only weeks the store's history fully covers),
    and whether they are the seasonal ones."""
    if config.baseline == "seasonal":
        # The same part of the year in earlier years (52 weeks a year; the window absorbs the 53-week years).
        weeks = [w for year in range(1, config.season_years + 1)
                 for w in range(week - 52 * year - config.season_window, week - 52 * year + config.season_window + 1)
                 if w >= first_covered]
        if len(weeks) >= config.min_baseline_weeks:
            return weeks, True
    end = week - config.guard_weeks
    return [w for w in range(end - config.baseline_weeks, end) if w >= first_covered], False


def _evaluated_weeks(as_of: datetime.datetime, weeks: Sequence[datetime.date] | None, config: SpikeConfig) -> list[int]:
    if weeks is not None:
        return sorted({week_index(day) for day in weeks if day <= as_of.date()})
    current = week_index(as_of.date())
    return list(range(current - config.eval_weeks + 1, current + 1))


def _alert(series: Series, week: int, ids: list[int], observed: int, base: Baseline, p_value: float,
           as_of: datetime.datetime, config: AlertConfig) -> Alert:
    level, code, dimension, value = series
    label_en = label(dimension, value, "en", config)
    label_id = label(dimension, value, "id", config)
    period = iso_week(week_monday(week))
    place = region_name(code)
    expected = base.expected
    reason = (f"{observed} {label_en} incidents in week {period} vs expected {fmt(expected)} "
              f"(p={fmt(p_value)}; baseline {base.total} in {base.weeks} weeks"
              + (f", overdispersed x{fmt(base.dispersion)}" if base.overdispersed else "") + ")")
    cfg = config.spike
    return Alert(
        key=f"spike:{code}:{dimension}:{value}:{period}",
        kind="spike",
        title=f"Spike in {label_en} incidents in {place}, {period}",
        title_id=f"Lonjakan kasus {label_id} di {place}, {period}",
        reason=reason,
        # -log10(p): a p-value of 1e-6 is twice as strong as 1e-3; bounded so that p = 0 stays finite.
        score=round(min(300.0, -math.log10(max(p_value, 1e-300))), 3),
        region_code=code,
        province_code=code.split(".")[0],
        period=period,
        incident_ids=tuple(sorted(set(ids))),
        numbers={"observed": float(observed), "expected": expected, "p_value": p_value,
                 "ratio": observed / expected, "baseline_weeks": float(base.weeks),
                 "baseline_total": float(base.total), "dispersion": base.dispersion, "nb_size": base.size,
                 "alpha": cfg.alpha, "min_count": float(cfg.min_count), "min_ratio": cfg.min_ratio,
                 "regency_level": 1.0 if level == "regency" else 0.0},
        raised_at=as_of,
    )


def _deduplicate(alerts: list[tuple[Series, Alert]], config: SpikeConfig) -> list[Alert]:
    """One alert per week and set of incidents: a province alert made of exactly one regency alert's
    incidents, or a substance alert made of exactly its topic alert's, adds nothing. The one kept is the
    most specific region, then the dimension listed first in the config (stable across runs)."""
    def preference(item: tuple[Series, Alert]) -> tuple[int, int, str]:
        (level, _code, dimension, _value), alert = item
        return (0 if level == "regency" else 1, config.dimensions.index(dimension), alert.key)

    kept: dict[tuple[str | None, tuple[int, ...]], tuple[Series, Alert]] = {}
    for item in alerts:
        group = (item[1].period, item[1].incident_ids)
        if group not in kept or preference(item) < preference(kept[group]):
            kept[group] = item
    return [alert for _series, alert in kept.values()]


def detect_spikes(incidents: Iterable[IncidentFacts], as_of: datetime.datetime, config: AlertConfig | None = None,
                  *, weeks: Sequence[datetime.date] | None = None,
                  history_from: datetime.date | None = None) -> list[Alert]:
    """Spike alerts for the weeks evaluated at ``as_of``.

    ``weeks`` (any day of each week) replaces the default weeks (the one holding as_of and the
    ``eval_weeks - 1`` before); a backtest passes many at once. ``history_from`` is the first day of the
    store's records when known; by default the earliest first-seen day of the incidents."""
    config = config or load_config()
    cfg = config.spike
    as_of = utc_naive(as_of)
    facts = known_at(incidents, as_of)
    start = history_from or history_start(facts)
    if start is None:
        return []
    first_covered = first_covered_week(start)
    evaluated = _evaluated_weeks(as_of, weeks, cfg)
    raised: list[tuple[Series, Alert]] = []
    for key, by_week in weekly_series(facts, cfg).items():
        for week in evaluated:
            found = _test(by_week, week, first_covered, cfg)
            if found is not None:
                raised.append((key, _alert(key, week, *found, as_of, config)))
    return sorted(_deduplicate(raised, cfg), key=lambda a: (-a.score, a.key))


# What a series' week raises: (its incident ids, observed, baseline, p-value).
Finding = tuple[list[int], int, Baseline, float]


def _test(by_week: dict[int, list[int]], week: int, first_covered: int, cfg: SpikeConfig) -> Finding | None:
    """Whether one series' count in ``week`` is a spike against its baseline weeks."""
    ids = by_week.get(week)
    if ids is None or len(ids) < cfg.min_count:
        return None
    base_weeks, seasonal = baseline_weeks(week, first_covered, cfg)
    if len(base_weeks) < cfg.min_baseline_weeks:
        return None  # cold start: too little known history to say what is usual
    counts = [len(by_week.get(w, ())) for w in base_weeks]
    end = week - cfg.guard_weeks
    spread = [len(by_week.get(w, ())) for w in range(max(first_covered, end - cfg.dispersion_weeks), end)]
    # A seasonal baseline follows the season, so only the variation within quarters is burstiness;
    # a trailing one lags it, and the season's swing belongs in its uncertainty.
    block = cfg.season_block if seasonal else 0
    base = baseline(counts, cfg.prior_count, cfg.prior_weeks, cfg.dispersion_confidence, spread,
                    cfg.dispersion_trim, block)
    observed = len(ids)
    if observed < cfg.min_ratio * base.expected:
        return None
    p_value = nbinom_sf(observed, base.expected, base.size)
    if not p_value <= cfg.alpha:  # (a NaN never alerts)
        return None
    return list(ids), observed, base, p_value


class SpikeTracker:
    """``detect_spikes`` (default weeks) at rising as-of times, the incidents added as they become known.

    The weekly series are kept and appended to instead of rebuilt at every time, an index of the series
    each week holds limits an evaluation to the series with incidents in its evaluated weeks, and a series'
    week is tested again only when the series gained an incident or the covered history moved."""

    def __init__(self, config: AlertConfig) -> None:
        self.config = config
        self.series: dict[Series, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.in_week: dict[int, set[Series]] = defaultdict(set)
        self.version: dict[Series, int] = defaultdict(int)  # incidents added to the series so far
        self.tested: dict[tuple[Series, int], tuple[int, int, Finding | None]] = {}

    def add(self, incident: IncidentFacts) -> None:
        week, keys = series_of(incident, self.config.spike)
        for key in keys:
            self.series[key][week].append(incident.id)
            self.in_week[week].add(key)
            self.version[key] += 1

    def evaluate(self, as_of: datetime.datetime, start: datetime.date | None) -> list[Alert]:
        """What ``detect_spikes`` returns at ``as_of`` on the incidents added so far (all known at as_of,
        added in the order they became known) with the history starting on ``start``."""
        if start is None:
            return []
        cfg = self.config.spike
        first_covered = first_covered_week(start)
        raised: list[tuple[Series, Alert]] = []
        for week in _evaluated_weeks(as_of, None, cfg):
            for key in self.in_week.get(week, ()):
                state = (self.version[key], first_covered)
                cached = self.tested.get((key, week))
                if cached is None or cached[:2] != state:
                    cached = (*state, _test(self.series[key], week, first_covered, cfg))
                    self.tested[(key, week)] = cached
                found = cached[2]
                if found is not None:
                    raised.append((key, _alert(key, week, *found, as_of, self.config)))
        return sorted(_deduplicate(raised, cfg), key=lambda a: (-a.score, a.key))
