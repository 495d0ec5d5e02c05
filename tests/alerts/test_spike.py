from __future__ import annotations

import dataclasses
import datetime
import random

import numpy as np

from pantau.alerts import detect_spikes, load_config
from pantau.alerts.model import iso_week
from tests.alerts._factory import AS_OF, HISTORY_FROM, weekly

W10 = datetime.date(2026, 3, 2)  # Monday of 2026-W10, the week of AS_OF
QUIET_START = W10 - datetime.timedelta(weeks=39)


def quiet_history(**kwargs: object) -> list:
    """One incident every four weeks for 39 weeks before 2026-W10."""
    return weekly(1, QUIET_START, [1 if w % 4 == 0 else 0 for w in range(39)], **kwargs)


def burst(count: int, start_id: int = 1000, **kwargs: object) -> list:
    return weekly(start_id, W10, [count], **kwargs)


def test_a_burst_after_a_quiet_history_is_a_spike_with_its_numbers() -> None:
    facts = quiet_history(substances=("methamphetamine",)) + burst(6, substances=("methamphetamine",))
    alerts = detect_spikes(facts, AS_OF, history_from=HISTORY_FROM)
    assert [a.key for a in alerts] == ["spike:62.71:topic:drugs:2026-W10"]
    alert = alerts[0]
    assert alert.kind == "spike" and alert.period == "2026-W10"
    assert alert.incident_ids == tuple(range(1000, 1006))
    assert alert.region_code == "62.71" and alert.province_code == "62"
    assert alert.numbers["observed"] == 6
    assert 0.1 < alert.numbers["expected"] < 0.5  # 7 incidents in the 26 weeks before (+ the prior's 0.5)
    assert alert.numbers["p_value"] < load_config().spike.alpha
    assert alert.reason.startswith("6 drugs incidents in week 2026-W10 vs expected 0.")
    assert "p=" in alert.reason and "26 weeks" in alert.reason
    assert "Palangkaraya" in alert.title and "narkoba" in alert.title_id
    assert alert.raised_at == AS_OF
    assert alert.score > 3  # -log10(p) with p below 0.001


def test_province_and_substance_series_with_the_same_incidents_are_not_repeated() -> None:
    # The province series and the substance series hold exactly the regency topic alert's incidents.
    facts = quiet_history(substances=("methamphetamine",)) + burst(6, substances=("methamphetamine",))
    keys = {a.key for a in detect_spikes(facts, AS_OF, history_from=HISTORY_FROM)}
    assert "spike:62:topic:drugs:2026-W10" not in keys
    assert "spike:62.71:substance:methamphetamine:2026-W10" not in keys


def test_a_province_spike_made_of_several_quiet_regencies() -> None:
    facts = []
    for n, regency in enumerate(("62.01", "62.02", "62.03")):
        facts += weekly(100 * n + 1, QUIET_START, [1 if w % 8 == n else 0 for w in range(39)], regency=regency)
        facts += burst(2, start_id=1000 + 10 * n, regency=regency)  # 2 a regency: under min_count
    alerts = detect_spikes(facts, AS_OF, history_from=HISTORY_FROM)
    assert [a.key for a in alerts] == ["spike:62:topic:drugs:2026-W10"]
    assert alerts[0].numbers["observed"] == 6 and alerts[0].region_code == "62"


def test_one_incident_after_an_all_zero_history_is_no_spike() -> None:
    alerts = detect_spikes(burst(1), AS_OF, history_from=HISTORY_FROM)
    assert alerts == []
    # Two stay under min_count; three after two quiet years are a spike.
    assert detect_spikes(burst(2), AS_OF, history_from=HISTORY_FROM) == []
    assert len(detect_spikes(burst(3), AS_OF, history_from=HISTORY_FROM)) == 1


def test_a_busy_series_needs_more_than_a_few_extra() -> None:
    # About 5 a week: 8 is within its usual range, 20 is not.
    rng = random.Random(3)
    history = weekly(1, W10 - datetime.timedelta(weeks=52), [rng.choice([3, 4, 5, 6, 7]) for _ in range(52)])
    assert detect_spikes(history + burst(8), AS_OF, history_from=HISTORY_FROM) == []
    assert len(detect_spikes(history + burst(20), AS_OF, history_from=HISTORY_FROM)) == 1


def test_cold_start_without_history_raises_nothing() -> None:
    # The store's history starts three weeks before the burst: too short to know what is usual.
    facts = weekly(1, W10 - datetime.timedelta(weeks=3), [1, 0, 1]) + burst(10)
    assert detect_spikes(facts, AS_OF) == []
    # The same incidents with the history declared two years long do alert.
    assert len(detect_spikes(facts, AS_OF, history_from=HISTORY_FROM)) == 1


def test_incidents_seen_after_as_of_are_ignored() -> None:
    later = datetime.datetime(2026, 3, 9, 8)
    facts = quiet_history() + [dataclasses.replace(i, first_seen=later) for i in burst(6)]
    assert detect_spikes(facts, AS_OF, history_from=HISTORY_FROM) == []
    assert len(detect_spikes(facts, later, history_from=HISTORY_FROM)) == 1


def test_last_week_is_still_raised_and_keys_are_stable() -> None:
    facts = quiet_history() + burst(6)
    first = detect_spikes(facts, AS_OF, history_from=HISTORY_FROM)
    # A run a week later (eval_weeks = 2) raises the same alert, under the same key.
    next_week = detect_spikes(facts, AS_OF + datetime.timedelta(days=7), history_from=HISTORY_FROM)
    assert [a.key for a in next_week] == [a.key for a in first]
    shuffled = list(facts)
    random.Random(1).shuffle(shuffled)
    again = detect_spikes(shuffled, AS_OF, history_from=HISTORY_FROM)
    assert again == first
    # Two weeks later it is no longer evaluated.
    assert detect_spikes(facts, AS_OF + datetime.timedelta(days=14), history_from=HISTORY_FROM) == []


def test_seasonal_baseline_expects_the_yearly_season() -> None:
    # Weeks 17-23 of each year hold 3-4 incidents a week, the rest of the year one in ten weeks; in the fourth
    # year, week 20 has 7. In season that is usual; the same 7 half a year away from the season is not.
    start = datetime.date(2023, 1, 2)
    config = load_config()
    seasonal_config = dataclasses.replace(config, spike=dataclasses.replace(config.spike, baseline="seasonal"))
    evaluated = start + datetime.timedelta(weeks=3 * 52 + 20)
    as_of = datetime.datetime.combine(evaluated + datetime.timedelta(days=6), datetime.time(23))
    found = {}
    for shift in (0, 26):
        counts = [3 + w % 2 if 17 <= (w + shift) % 52 <= 23 else (1 if w % 10 == 0 else 0) for w in range(3 * 52 + 20)]
        facts = weekly(1, start, [*counts, 7])
        found[shift] = [a.period for a in detect_spikes(facts, as_of, seasonal_config, history_from=start)]
    assert found[0] == []
    assert found[26] == [iso_week(evaluated)]


def test_no_false_alerts_on_seeded_flat_series_and_spikes_found() -> None:
    rng = np.random.default_rng(20260315)
    start = datetime.date(2024, 1, 1)
    facts = []
    spiked = []
    for region in range(30):
        counts = [int(c) for c in rng.poisson(2.0, size=100)]
        facts += weekly(10_000 * region + 1, start, counts, regency=f"71.{region + 10:02d}")
        # The same series with a 10x week in week 90.
        with_spike = list(counts)
        with_spike[90] += 18
        spiked += weekly(10_000 * region + 1, start, with_spike, regency=f"71.{region + 10:02d}")
    as_of = datetime.datetime.combine(start + datetime.timedelta(weeks=100), datetime.time(0))
    weeks = [start + datetime.timedelta(weeks=w) for w in range(52, 100)]
    # 30 x 48 = 1,440 region-weeks: at the target rate (<= 1 in 1,000) about one alert; a z-score above 3 on
    # these small counts would raise about six (P(X >= 7 | 2) = 0.0045).
    assert len(detect_spikes(facts, as_of, weeks=weeks, history_from=start)) <= 2
    found = {a.region_code for a in detect_spikes(spiked, as_of, weeks=weeks, history_from=start)
             if a.period == iso_week(start + datetime.timedelta(weeks=90))}
    assert found == {f"71.{region + 10:02d}" for region in range(30)} | {"71"}  # and their province


def test_seasonal_baseline_falls_back_to_trailing_on_a_short_history() -> None:
    # 39 weeks of history hold no earlier year: the seasonal setting judges the week as the trailing one does.
    config = load_config()
    seasonal_config = dataclasses.replace(config, spike=dataclasses.replace(config.spike, baseline="seasonal"))
    facts = quiet_history() + burst(6)
    start = QUIET_START
    trailing = detect_spikes(facts, AS_OF, config, history_from=start)
    assert [a.key for a in trailing] == ["spike:62.71:topic:drugs:2026-W10"]
    assert detect_spikes(facts, AS_OF, seasonal_config, history_from=start) == trailing
