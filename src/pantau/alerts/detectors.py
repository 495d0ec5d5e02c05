"""The early-warning detectors, pure functions of incidents, an as-of time and thresholds.

Each takes ``(incidents, as_of, config)`` and returns alerts saying why in numbers; none reads the store.
``incidents`` should be the store's whole history up to as_of (the detectors need what is usual, not only what
is new); incidents first seen after ``as_of`` are ignored, so a backtest can pass everything.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from pantau.alerts.config import AlertConfig, load_config
from pantau.alerts.model import Alert, IncidentFacts
from pantau.alerts.new_ground import detect_new_ground
from pantau.alerts.seizures import detect_record_seizures
from pantau.alerts.spike import detect_spikes
from pantau.alerts.viral import detect_viral

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
    return sorted(alerts, key=lambda a: (KINDS.index(a.kind), -a.score, a.key))


__all__ = ["KINDS", "detect_all", "detect_new_ground", "detect_record_seizures", "detect_spikes", "detect_viral"]
