from __future__ import annotations

import datetime
import random

from pantau.alerts import detect_new_ground
from tests.alerts._factory import AS_OF, HISTORY_FROM, incident

TODAY = AS_OF.date()


def busy_region(regency: str = "62.01", start_id: int = 1) -> list:
    """A drug arrest in ``regency`` every two weeks for two years."""
    return [incident(start_id + n, TODAY - datetime.timedelta(days=14 * n + 3), regency=regency,
                     substances=("methamphetamine",)) for n in range(1, 53)]


def test_first_incident_in_a_long_quiet_regency() -> None:
    old = incident(900, TODAY - datetime.timedelta(days=500), regency="62.71")
    new = incident(901, TODAY - datetime.timedelta(days=1), regency="62.71")
    alerts = detect_new_ground([*busy_region(), old, new], AS_OF)
    assert [a.key for a in alerts] == ["new_ground:62.71:901"]
    alert = alerts[0]
    assert alert.kind == "new_ground" and alert.incident_ids == (901,)
    assert alert.period == new.date.isoformat()
    assert alert.numbers["gap_days"] == 499  # since the previous drugs incident there
    assert alert.numbers["window_days"] == 365
    assert "previous 499 days before" in alert.reason and "first in 365 days in 62.71" in alert.reason
    assert alert.title == "First drugs incident in Kota Palangkaraya in 12 months"
    assert alert.title_id == "Kasus narkoba pertama di Kota Palangkaraya dalam 12 bulan"


def test_a_regular_region_raises_nothing() -> None:
    facts = busy_region()
    facts.append(incident(999, TODAY - datetime.timedelta(days=1), regency="62.01", substances=("methamphetamine",)))
    assert detect_new_ground(facts, AS_OF) == []


def test_a_new_substance_in_a_busy_region_names_only_what_is_new() -> None:
    facts = busy_region()
    facts.append(incident(999, TODAY, regency="62.01", substances=("methamphetamine", "cocaine")))
    alerts = detect_new_ground(facts, AS_OF)
    assert [a.key for a in alerts] == ["new_ground:62.01:999"]
    assert alerts[0].numbers["new_attributes"] == 1
    assert "substance cocaine" in alerts[0].reason and "methamphetamine" not in alerts[0].reason
    assert alerts[0].title.startswith("First cocaine incident in ")
    assert alerts[0].title_id.startswith("Kasus kokain pertama di ")
    # Other incidents in the window give the figure its context.
    assert alerts[0].numbers["region_incidents_in_window"] >= 25


def test_cold_start_a_young_store_raises_nothing() -> None:
    # The store's first record is 100 days old: "first in 12 months" cannot be known.
    facts = [incident(1, TODAY - datetime.timedelta(days=100), regency="62.01"),
             incident(2, TODAY - datetime.timedelta(days=1), regency="62.71")]
    assert detect_new_ground(facts, AS_OF) == []
    # With the history declared long enough, the same incident is new ground, "since records began".
    alerts = detect_new_ground(facts, AS_OF, history_from=HISTORY_FROM)
    assert [a.key for a in alerts] == ["new_ground:62.71:2"]
    assert "none since records began" in alerts[0].reason


def test_of_two_firsts_on_one_day_only_one_is_new_and_runs_agree() -> None:
    facts = [*busy_region(), incident(501, TODAY, regency="62.71"), incident(500, TODAY, regency="62.71")]
    first = detect_new_ground(facts, AS_OF)
    assert [a.key for a in first] == ["new_ground:62.71:500"]
    shuffled = list(facts)
    random.Random(7).shuffle(shuffled)
    assert detect_new_ground(shuffled, AS_OF) == first


def test_only_recent_incidents_are_evaluated() -> None:
    old = incident(700, TODAY - datetime.timedelta(days=30), regency="62.71")
    assert detect_new_ground([*busy_region(), old], AS_OF) == []
    assert len(detect_new_ground([*busy_region(), old], AS_OF - datetime.timedelta(days=29))) == 1
