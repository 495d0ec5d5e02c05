from __future__ import annotations

import datetime

from pantau.alerts import KINDS, detect_all
from tests.alerts._factory import AS_OF, HISTORY_FROM, incident
from tests.alerts.test_seizures import history, seizure
from tests.alerts.test_spike import burst, quiet_history
from tests.alerts.test_viral import fresh


def test_every_detector_in_one_run_in_kind_order() -> None:
    facts = [*quiet_history(regency="62.02"), *burst(6, regency="62.02"), *history(), seizure(900, 5000),
             fresh(950, outlets=9, hours_ago=6), incident(960, AS_OF.date(), regency="62.09")]
    alerts = detect_all(facts, AS_OF, history_from=HISTORY_FROM)
    kinds = [a.kind for a in alerts]
    assert set(kinds) == set(KINDS)
    assert kinds == sorted(kinds, key=KINDS.index)
    assert "spike:62.02:topic:drugs:2026-W10" in {a.key for a in alerts}
    assert "new_ground:62.09:960" in {a.key for a in alerts}
    assert all(a.raised_at == AS_OF and a.reason and a.incident_ids for a in alerts)
    # Alerts are hashable by key, and a second run gives the same ones.
    assert {a.key for a in set(alerts)} == {a.key for a in detect_all(list(reversed(facts)), AS_OF,
                                                                      history_from=HISTORY_FROM)}


def test_an_empty_store_raises_nothing() -> None:
    assert detect_all([], AS_OF) == []
    assert detect_all([incident(1, AS_OF.date())], AS_OF + datetime.timedelta(days=1)) == []
