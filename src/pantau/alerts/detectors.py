"""The early-warning detectors, pure functions of incidents, an as-of time and thresholds.

Each takes ``(incidents, as_of, config)`` and returns alerts saying why in numbers; none reads the store.
``incidents`` should be the store's whole history up to as_of (the detectors need what is usual, not only what
is new); incidents first seen after ``as_of`` are ignored, so a backtest can pass everything.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from pantau.alerts.common import known_since
from pantau.alerts.config import AlertConfig, load_config
from pantau.alerts.model import Alert, IncidentFacts, utc_naive
from pantau.alerts.new_ground import NewGroundTracker, detect_new_ground
from pantau.alerts.seizures import RecordSeizureTracker, detect_record_seizures
from pantau.alerts.spike import SpikeTracker, detect_spikes
from pantau.alerts.viral import ViralTracker, detect_viral

KINDS = ("spike", "new_ground", "viral", "record_seizure")


def detect_all(incidents: Iterable[IncidentFacts], as_of: datetime.datetime, config: AlertConfig | None = None,
               *, history_from: datetime.date | None = None) -> list[Alert]:
    """Every detector's alerts, by kind (in ``KINDS`` order), then strongest first, then key."""
    config = config or load_config()
    facts = list(incidents)  # iterated by each detector
    alerts = [
        *detect_spikes(facts, as_of, config, history_from=history_from),
        *detect_new_ground(facts, as_of, config, history_from=history_from),
        *detect_viral(facts, as_of, config),
        *detect_record_seizures(facts, as_of, config),
    ]
    return _ranked(alerts)


def _ranked(alerts: list[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (KINDS.index(a.kind), -a.score, a.key))


def detect_all_at_times(incidents: Iterable[IncidentFacts], times: Iterable[datetime.datetime],
                        config: AlertConfig | None = None, *, history_from: datetime.date | None = None,
                        ) -> Iterator[tuple[datetime.datetime, list[Alert]]]:
    """``detect_all`` at each of many as-of times, at a cost linear in the incidents (not times x incidents).

    Yields ``(as_of, detect_all(incidents, as_of, config, history_from=history_from))`` for each distinct
    time (as naive UTC) in time order. The incidents are sorted once by when they became known
    (``known_since``) and added to each detector's tracker as the times pass them; each evaluation then
    reads only what its windows need (the series with incidents in its weeks, the incidents of its days)."""
    config = config or load_config()
    facts = sorted(incidents, key=known_since)
    spikes, new_ground = SpikeTracker(config), NewGroundTracker(config)
    viral, seizures = ViralTracker(config), RecordSeizureTracker(config)
    earliest: datetime.date | None = None  # history_start of the incidents known so far
    position = 0
    for as_of in sorted({utc_naive(t) for t in times}):
        while position < len(facts) and known_since(facts[position]) <= as_of:
            incident = facts[position]
            position += 1
            seen = utc_naive(incident.first_seen).date()
            earliest = seen if earliest is None or seen < earliest else earliest
            for tracker in (spikes, new_ground, viral, seizures):
                tracker.add(incident)
        start = history_from or earliest
        yield as_of, _ranked([*spikes.evaluate(as_of, start), *new_ground.evaluate(as_of, start),
                              *viral.evaluate(as_of), *seizures.evaluate(as_of)])


__all__ = ["KINDS", "detect_all", "detect_all_at_times", "detect_new_ground", "detect_record_seizures",
           "detect_spikes", "detect_viral"]
