from __future__ import annotations

import dataclasses
import datetime

from pantau.alerts import detect_viral
from tests.alerts._factory import AS_OF, incident

HOUR = datetime.timedelta(hours=1)


def usual(type_: str = "arrest", count: int = 40, start_id: int = 1, outlets: int = 2) -> list:
    """Earlier incidents of a type, each reported by 1 to ``outlets`` outlets within a day."""
    out = []
    for n in range(count):
        day = AS_OF.date() - datetime.timedelta(days=10 + n)
        spread = tuple((3.0 * k, f"outlet-{k}") for k in range(1 + n % outlets))
        out.append(incident(start_id + n, day, type_=type_, outlets=spread))
    return out


def fresh(id_: int, outlets: int, hours_ago: float, type_: str = "arrest", every: float = 1.0) -> object:
    """An incident first reported ``hours_ago`` before AS_OF, one new outlet every ``every`` hours."""
    seen = AS_OF - datetime.timedelta(hours=hours_ago)
    return incident(id_, seen.date(), type_=type_, seen=seen,
                    outlets=tuple((every * k, f"portal-{k}") for k in range(outlets)))


def test_an_incident_spreading_faster_than_its_type() -> None:
    facts = [*usual(), fresh(500, outlets=8, hours_ago=10)]
    alerts = detect_viral(facts, AS_OF)
    assert [a.key for a in alerts] == ["viral:500"]
    alert = alerts[0]
    assert alert.numbers["outlets"] == 8 and alert.numbers["threshold"] == 2
    assert alert.numbers["reference_incidents"] == 40 and alert.numbers["pooled_types"] == 0
    assert alert.reason.startswith("8 outlets in the first 24 h (so far, 10 h in) vs 2 at the 95th percentile")
    assert "40 earlier arrest incidents" in alert.reason
    assert alert.title == "Fast-spreading arrest in Kota Palangkaraya: 8 outlets in 24 h"
    assert alert.score == 4.0  # 8 outlets / the type's 95th percentile of 2


def test_usual_spread_and_few_outlets_raise_nothing() -> None:
    assert detect_viral([*usual(), fresh(500, outlets=2, hours_ago=10)], AS_OF) == []
    # Above the type's usual spread but under min_outlets (4).
    assert detect_viral([*usual(), fresh(500, outlets=3, hours_ago=10)], AS_OF) == []


def test_each_type_has_its_own_usual_spread() -> None:
    # Viral-video incidents usually reach 10 outlets: 8 is nothing special for them.
    facts = [*usual("viral", outlets=12), fresh(500, outlets=8, hours_ago=10, type_="viral")]
    assert detect_viral(facts, AS_OF) == []


def test_too_few_of_a_type_compares_with_all_types_and_none_is_a_cold_start() -> None:
    facts = [*usual("arrest", count=40), *usual("clash", count=3, start_id=100),
             fresh(500, outlets=8, hours_ago=10, type_="clash")]
    alerts = detect_viral(facts, AS_OF)
    assert [a.key for a in alerts] == ["viral:500"] and alerts[0].numbers["pooled_types"] == 1
    assert "43 earlier incidents of all types" in alerts[0].reason
    # With five earlier incidents in the whole store, nothing is usual yet.
    assert detect_viral([*usual(count=5), fresh(500, outlets=8, hours_ago=10)], AS_OF) == []


def test_slow_spread_over_two_days_is_judged_by_its_48_hours() -> None:
    # 6 outlets over 40 hours (one every 8 h): 3 in the first 24 h, 6 in 48 h; the type's 48 h usual is 2.
    facts = [*usual(), fresh(500, outlets=6, hours_ago=47, every=8.0)]
    alerts = detect_viral(facts, AS_OF)
    assert [a.numbers["window_hours"] for a in alerts] == [48]
    assert alerts[0].numbers["outlets"] == 6


def test_old_incidents_and_later_reports_are_not_counted() -> None:
    # First reported four days ago: past eval_hours (72).
    assert detect_viral([*usual(), fresh(500, outlets=8, hours_ago=96)], AS_OF) == []
    # Reports after as_of are unknown at as_of: 8 outlets, of which only 2 by then.
    late = fresh(500, outlets=8, hours_ago=1, every=0.5)
    assert detect_viral([*usual(), late], AS_OF) == []
    assert [a.key for a in detect_viral([*usual(), late], AS_OF + 4 * HOUR)] == ["viral:500"]


def test_time_zones_and_outlet_spelling() -> None:
    wib = datetime.timezone(datetime.timedelta(hours=7))
    seen = (AS_OF - 5 * HOUR).replace(tzinfo=datetime.UTC).astimezone(wib)
    reports = tuple((seen + k * HOUR, name) for k, name in enumerate(
        ["Portal A", "portal a ", "Portal B", "Portal C", "Portal D", "Portal E"]))
    viral = dataclasses.replace(incident(500, seen.date(), seen=seen), reports=reports)
    alerts = detect_viral([*usual(), viral], AS_OF)  # AS_OF is naive UTC
    assert [a.numbers["outlets"] for a in alerts] == [5]  # "Portal A" and "portal a " are one outlet
    assert alerts[0].numbers["articles"] == 6
