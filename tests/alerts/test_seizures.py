from __future__ import annotations

import datetime
import random

from pantau.alerts import detect_record_seizures
from tests.alerts._factory import AS_OF, incident

TODAY = AS_OF.date()


def history(count: int = 60, substance: str = "methamphetamine", unit: str = "g", start_id: int = 1,
            regencies: tuple[str, ...] = ("62.01", "63.01", "64.01"), low: float = 1, high: float = 50) -> list:
    """Earlier seizures spread over regencies (hence provinces), quantities between ``low`` and ``high``."""
    rng = random.Random(start_id)
    return [incident(start_id + n, TODAY - datetime.timedelta(days=30 + n), regency=regencies[n % len(regencies)],
                     type_="seizure", substances=(substance,),
                     seizures=((substance, round(rng.uniform(low, high), 2), unit),)) for n in range(count)]


def seizure(id_: int, quantity: float, *, substance: str = "methamphetamine", unit: str = "g",
            regency: str = "62.71", type_: str = "seizure") -> object:
    return incident(id_, TODAY - datetime.timedelta(days=2), regency=regency, type_=type_, substances=(substance,),
                    seizures=((substance, quantity, unit),))


def test_a_national_record() -> None:
    alerts = detect_record_seizures([*history(), seizure(900, 5000)], AS_OF)
    # The national alert replaces the province one.
    assert [a.key for a in alerts] == ["record_seizure:national:methamphetamine:g:900"]
    alert = alerts[0]
    assert alert.title == "Largest methamphetamine seizure on record nationally: 5 kg"
    assert alert.title_id == "Sitaan sabu terbesar yang tercatat secara nasional: 5 kg"
    assert alert.numbers["rank"] == 1 and alert.numbers["history"] == 60 and alert.numbers["quantity"] == 5000
    assert alert.numbers["previous_max"] < 50 < alert.numbers["quantity"]
    assert alert.reason.startswith("5 kg (5000 g) vs ") and "99th percentile of 60 earlier" in alert.reason
    assert alert.province_code == "62" and alert.region_code == "62.71"
    assert 2 < alert.score < 3  # about 200 times the median of ~25 g


def test_a_province_record_below_the_national_top() -> None:
    # Province 62 has seen 1-10 g; the country has seen up to 10 kg elsewhere.
    facts = [*history(30, regencies=("62.01",), high=10),
             *history(60, regencies=("31.71", "12.01"), low=100, high=10_000, start_id=1000),
             seizure(900, 80, regency="62.03")]
    alerts = detect_record_seizures(facts, AS_OF)
    assert [a.key for a in alerts] == ["record_seizure:62:methamphetamine:g:900"]
    assert alerts[0].title == "Largest methamphetamine seizure on record in Kalimantan Tengah: 80 g"
    assert alerts[0].numbers["national"] == 0


def test_ordinary_and_equal_seizures_raise_nothing() -> None:
    assert detect_record_seizures([*history(), seizure(900, 20)], AS_OF) == []
    # Equal to the largest so far is not above the top percentile.
    facts = history(60, low=5, high=5)
    assert detect_record_seizures([*facts, seizure(900, 5)], AS_OF) == []


def test_units_are_not_mixed_and_short_histories_are_a_cold_start() -> None:
    # 5,000 pills of ecstasy against gram seizures of it: no comparable history.
    facts = [*history(60, substance="mdma"), seizure(900, 5000, substance="mdma", unit="pill")]
    assert detect_record_seizures(facts, AS_OF) == []
    # 19 earlier seizures: under both minimum histories (50 national, 20 in the province).
    facts = [*history(19, regencies=("62.01",)), seizure(900, 5000)]
    assert detect_record_seizures(facts, AS_OF) == []


def test_destructions_of_evidence_are_no_seizure() -> None:
    assert detect_record_seizures([*history(), seizure(900, 5000, type_="destruction")], AS_OF) == []


def test_only_recent_seizures_and_stable_keys() -> None:
    big_old = incident(900, TODAY - datetime.timedelta(days=20), type_="seizure",
                       substances=("methamphetamine",), seizures=(("methamphetamine", 5000, "g"),))
    assert detect_record_seizures([*history(), big_old], AS_OF) == []  # 20 days > eval_days (14)
    facts = [*history(), seizure(900, 5000)]
    first = detect_record_seizures(facts, AS_OF)
    random.Random(3).shuffle(facts)
    assert detect_record_seizures(facts, AS_OF) == first
