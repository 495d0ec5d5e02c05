"""Early warning (issue 15): spikes, new ground, viral spread and record seizures, from incidents.

The detectors are pure: they read ``IncidentFacts`` and return ``Alert`` values, so the store, the API and
backtests all call the same code. Thresholds: ``pantau/data/alerts.toml`` (``load_config``). Definitions and
measured figures: docs/alerts.md.
"""

from pantau.alerts.config import AlertConfig, load_config
from pantau.alerts.detectors import (
    KINDS,
    detect_all,
    detect_all_at_times,
    detect_new_ground,
    detect_record_seizures,
    detect_spikes,
    detect_viral,
)
from pantau.alerts.model import Alert, IncidentFacts

__all__ = ["KINDS", "Alert", "AlertConfig", "IncidentFacts", "detect_all", "detect_all_at_times", "detect_new_ground",
           "detect_record_seizures", "detect_spikes", "detect_viral", "load_config"]
