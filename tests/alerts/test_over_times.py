"""detect_all_at_times must give, at every time, exactly what detect_all gives there (generated incident sets)."""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import random

import pytest

from pantau.alerts import IncidentFacts, detect_all, detect_all_at_times, load_config
from pantau.alerts.common import known_at, known_since
from pantau.alerts.config import AlertConfig
from pantau.alerts.model import utc_naive
from pantau.alerts.seizures import _Without
from pantau.alerts.stats import quantile
from pantau.alerts.viral import _Histogram
from tests.alerts._factory import incident

START = datetime.date(2025, 1, 6)  # a Monday
DAYS = 300
REGENCIES = ["71.01", "71.02", "71.03", "72.01", "72.02"]
QUIET, BURSTY = REGENCIES[:3], REGENCIES[3:]
OUTLETS = [f"outlet-{n}" for n in range(12)]


def _config(small: bool) -> AlertConfig:
    """The defaults, or thresholds low enough for a few hundred incidents to raise every kind often."""
    config = load_config()
    if not small:
        return config
    return dataclasses.replace(
        config,
        spike=dataclasses.replace(config.spike, min_baseline_weeks=3, alpha=0.05, min_count=2, dimensions=(
            "topic", "substance", "type")),
        new_ground=dataclasses.replace(config.new_ground, window_days=40, min_history_days=30, eval_days=10,
                                       levels=("regency", "province")),
        viral=dataclasses.replace(config.viral, min_outlets=2, min_history=4, quantile=0.8, reference_days=60),
        record_seizure=dataclasses.replace(config.record_seizure, min_history_national=5, min_history_province=3,
                                           quantile=0.8))


def generate(seed: int) -> list[IncidentFacts]:
    """Quiet and bursty regions, seizures of growing size, incidents that spread fast, late and early reports,
    undated ones, and now and then a new kind of incident in a region."""
    rng = random.Random(seed)
    out: list[IncidentFacts] = []
    for day_number in range(DAYS):
        day = START + datetime.timedelta(days=day_number)
        burst = rng.random() < 0.08
        for region in REGENCIES:
            rate = 0.15 if region in QUIET else (2.5 if burst else 0.4)
            count = sum(rng.random() < rate / 3 for _ in range(3)) + (rng.randint(0, 4) if burst and
                                                                        region in BURSTY else 0)
            for _ in range(count):
                out.append(_one(len(out) + 1, day, region, rng))
    return out


def _one(id_: int, day: datetime.date, region: str, rng: random.Random) -> IncidentFacts:
    type_ = rng.choice(["arrest", "arrest", "seizure", "raid", "destruction", "clash", "other"])
    topics = tuple(rng.sample(["drugs", "theft", "other", "fraud"], rng.randint(0, 2)))
    if rng.random() < 0.03:
        topics = ("smuggling",)  # rare: new ground where it appears
    seizures: tuple[tuple[str, float, str], ...] = ()
    if type_ in ("seizure", "raid", "destruction") or rng.random() < 0.2:
        substance = rng.choice(["methamphetamine", "cannabis", "ecstasy"])
        unit = "pill" if substance == "ecstasy" else "g"
        quantity = round(rng.lognormvariate(3 + day.toordinal() % 97 / 40, 1.5), 2)
        seizures = ((substance, quantity, unit),) + (((substance, quantity / 2, unit),) if rng.random() < 0.2 else ())
    spread = rng.random()
    hours = [0.0] + ([rng.uniform(0, 60) for _ in range(rng.randint(3, 11))] if spread < 0.15 else
                     [rng.uniform(0, 100) for _ in range(rng.randint(0, 2))])
    if rng.random() < 0.1:
        hours = [h + rng.uniform(1, 30) for h in hours]  # the first report comes after it was first seen
    if rng.random() < 0.05:
        hours.append(-rng.uniform(1, 40))  # one report dated before it was first seen
    outlets = tuple((h, rng.choice(OUTLETS)) for h in hours)
    seen = datetime.datetime.combine(day, datetime.time(rng.randint(0, 23), rng.choice([0, 30])))
    lag = rng.random()
    if lag < 0.15:
        seen += datetime.timedelta(days=rng.randint(1, 40))  # reported late: known long after its day
    elif lag < 0.2:
        seen -= datetime.timedelta(days=1)  # announced the day before it happened
    if rng.random() < 0.1:
        seen = seen.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=7)))  # an aware time (WIB)
    regency: str | None = region
    province = None
    if rng.random() < 0.1:
        regency, province = None, region.split(".")[0]  # only the province is known
    made = incident(id_, day, regency=regency, province=province, type_=type_, topics=topics,
                    substances=tuple(sorted({s for s, _q, _u in seizures})), seizures=seizures, outlets=outlets,
                    seen=seen)
    if rng.random() < 0.05:
        made = dataclasses.replace(made, date=None)  # undated: its day is the day it was first seen
    if rng.random() < 0.03:
        made = dataclasses.replace(made, province_code=None, regency_code=None)  # placed nowhere
    return made


def times_of(facts: list[IncidentFacts], rng: random.Random) -> list[datetime.datetime]:
    """Ingest-like evaluation times (the end of two days after event days), and random moments between."""
    days = sorted({i.date for i in facts if i.date})
    times = {datetime.datetime.combine(d + datetime.timedelta(days=2), datetime.time(23, 59, 59)) for d in days}
    times.update(datetime.datetime.combine(START, datetime.time()) + datetime.timedelta(
        minutes=rng.randrange(0, (DAYS + 60) * 24 * 60)) for _ in range(60))
    times = set(rng.sample(sorted(times), min(len(times), 160)))
    # The boundaries: the moment an incident becomes known, a window closes, a reference incident ages out.
    for one in rng.sample(facts, 30):
        times.add(known_since(one))
        times.add(known_since(one) - datetime.timedelta(microseconds=1))
        first = min(utc_naive(when) for when, _outlet in one.reports)
        times.add(max(first, known_since(one)) + datetime.timedelta(hours=24))
        times.add(utc_naive(one.first_seen) + datetime.timedelta(days=60))  # reference_days of _config(True)
    return sorted(times)


@pytest.mark.parametrize(("seed", "small", "history_from"), [
    (1, True, None), (2, True, datetime.date(2024, 12, 1)), (3, True, None), (4, False, None),
    (5, False, datetime.date(2024, 6, 3))])
def test_every_time_gives_what_detect_all_gives_there(seed: int, small: bool,
                                                      history_from: datetime.date | None) -> None:
    facts = generate(seed)
    config = _config(small)
    times = times_of(facts, random.Random(seed))
    shuffled = list(facts)
    random.Random(seed).shuffle(shuffled)  # the input order must not matter
    multi = list(detect_all_at_times(shuffled, reversed(times), config, history_from=history_from))
    assert [t for t, _alerts in multi] == times
    kinds: set[str] = set()
    for as_of, alerts in multi:
        expected = detect_all(facts, as_of, config, history_from=history_from)
        assert alerts == expected, as_of
        kinds.update(a.kind for a in alerts)
    if small:  # the generated sets exercise every detector
        assert kinds == {"spike", "new_ground", "viral", "record_seizure"}


def test_an_incident_first_reported_after_it_was_seen_counts_as_silent_until_then() -> None:
    """detect_viral starts a timeline at its first report known at as_of, else at first seen: an incident whose
    only report comes two days after it was first seen has a closed 24-hour window of 0 outlets in between."""
    config = _config(True)
    config = dataclasses.replace(config, viral=dataclasses.replace(config.viral, windows_hours=(24.0,)))
    day = datetime.date(2025, 5, 5)
    reference = [incident(n, day - datetime.timedelta(days=n)) for n in range(1, 4)]  # 1 outlet each
    silent = incident(10, day, outlets=((48.0, "outlet-b"),))
    fresh = incident(11, day + datetime.timedelta(days=1), seen=datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time(12)), outlets=((0, "a"), (1, "b"), (2, "c")))
    facts = [*reference, silent, fresh]
    at = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(20))
    # With the silent incident's 0 the reference holds min_history = 4 incidents, enough to alert.
    assert [a.key for a in detect_all(facts, at, config)] == ["viral:11"]
    times = [datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(hours=h) for h in range(0, 96, 1)]
    for as_of, alerts in detect_all_at_times(facts, times, config):
        assert alerts == detect_all(facts, as_of, config), as_of
    # Silent for its first day, then reported by 3 outlets: when it is evaluated after its window closes
    # (with no evaluation in between), its own count is left out of its reference, not its silent 0.
    late = incident(20, day, outlets=((30.0, "a"), (31.0, "b"), (32.0, "c")))
    facts = [*reference, incident(4, day - datetime.timedelta(days=4)), late]
    seen = late.first_seen
    times = [seen + datetime.timedelta(hours=26), seen + datetime.timedelta(hours=55)]
    multi = list(detect_all_at_times(facts, times, config))
    assert [a.key for a in multi[1][1]] == ["viral:20"]
    assert multi[1][1][0].numbers["reference_incidents"] == 4
    assert multi == [(t, detect_all(facts, t, config)) for t in times]


def test_times_are_taken_once_and_as_naive_utc() -> None:
    facts = generate(6)
    wib = datetime.timezone(datetime.timedelta(hours=7))
    moment = datetime.datetime(2025, 6, 1, 12, 0)
    multi = list(detect_all_at_times(facts, [moment.replace(tzinfo=datetime.UTC), moment + datetime.timedelta(
        hours=7), moment.replace(hour=19, tzinfo=wib)], _config(True)))
    assert [t for t, _a in multi] == [moment, moment + datetime.timedelta(hours=7)]
    assert multi[0][1] == detect_all(facts, moment, _config(True))
    assert list(detect_all_at_times([], [moment])) == [(moment, [])]


def test_known_since_is_when_known_at_starts_keeping_an_incident() -> None:
    facts = generate(7)
    for as_of in times_of(facts, random.Random(7))[::10]:
        assert known_at(facts, as_of) == [i for i in facts if known_since(i) <= as_of]
    late = incident(1, "2025-03-10", seen=datetime.datetime(2025, 3, 9, 22))
    assert known_since(late) == datetime.datetime(2025, 3, 10)


def test_a_sorted_list_without_some_values_indexes_as_the_remaining_list() -> None:
    rng = random.Random(8)
    for _ in range(200):
        values = sorted(rng.choice([1.0, 2.0, 2.0, 3.5, 7.0, 9.0]) for _ in range(rng.randint(1, 12)))
        without = sorted(rng.sample(values, rng.randint(0, len(values) - 1)))
        remaining = list(values)
        for value in without:
            remaining.remove(value)
        view = _Without(values, without)
        assert len(view) == len(remaining)
        assert [view[i] for i in range(len(view))] == remaining
        assert view[-1] == remaining[-1]
        for q in (0.0, 0.5, 0.99):
            assert quantile(view, q) == quantile(remaining, q)
        assert bisect.bisect_left(view, 3.5) == bisect.bisect_left(remaining, 3.5)
    with pytest.raises(IndexError):
        _Without([1.0, 2.0], [2.0])[1]


def test_a_histogram_indexes_as_its_sorted_values() -> None:
    values = [4, 1, 1, 9, 4, 4, 2]
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    counts[5] = 0  # a value that left the reference
    assert list(_Histogram(counts, len(values))) == sorted(values)
    assert list(_Histogram(counts, len(values), without=4)) == [1, 1, 2, 4, 4, 9]
    assert list(_Histogram(counts, len(values), without=9)) == [1, 1, 2, 4, 4, 4]
    assert quantile(_Histogram(counts, len(values)), 0.95) == quantile(sorted(values), 0.95)
    with pytest.raises(IndexError):
        _Histogram(counts, len(values))[7]
