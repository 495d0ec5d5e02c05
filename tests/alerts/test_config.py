from __future__ import annotations

import re
from pathlib import Path

import pytest

from pantau.alerts import detect_spikes, load_config
from pantau.alerts.config import config_from_mapping
from tests.alerts._factory import AS_OF, HISTORY_FROM
from tests.alerts.test_spike import burst, quiet_history


def test_defaults_are_typed_and_frozen() -> None:
    config = load_config()
    assert config.spike.alpha == 0.001 and config.spike.min_count == 3
    assert config.spike.dimensions == ("topic", "substance")
    assert config.viral.windows_hours == (24.0, 48.0)
    assert config.labels.type_id["raid"] == "razia"
    with pytest.raises(AttributeError):
        config.spike.alpha = 0.5  # type: ignore[misc]


def test_a_user_file_overrides_only_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "alerts.toml"
    path.write_text("[spike]\nmin_count = 10\nalpha = 1e-4\n\n[labels.type_en]\nkidnap = \"kidnapping\"\n",
                    encoding="utf-8")
    config = load_config(path)
    assert config.spike.min_count == 10 and config.spike.alpha == 1e-4
    assert config.spike.baseline_weeks == load_config().spike.baseline_weeks
    assert config.labels.type_en["kidnap"] == "kidnapping" and config.labels.type_en["raid"] == "raid"
    # The override changes what fires: 6 incidents are a spike by default, not with min_count 10.
    facts = quiet_history() + burst(6)
    assert len(detect_spikes(facts, AS_OF, history_from=HISTORY_FROM)) == 1
    assert detect_spikes(facts, AS_OF, config, history_from=HISTORY_FROM) == []


@pytest.mark.parametrize(("data", "message"), [
    ({"spike": {"min_cuont": 3}}, "unknown key 'spike.min_cuont'"),
    ({"spikes": {}}, "unknown key 'spikes'"),
    ({"spike": {"min_count": "3"}}, "'spike.min_count' must be an integer"),
    ({"spike": {"min_count": 2.5}}, "'spike.min_count' must be an integer"),
    ({"spike": {"alpha": True}}, "'spike.alpha' must be a number"),
    ({"spike": {"alpha": 1.5}}, "'spike.alpha' must be between 0 and 1"),
    ({"spike": {"baseline": "weekly"}}, "'spike.baseline' has 'weekly'"),
    ({"spike": {"levels": ["village"]}}, "'spike.levels' has 'village'"),
    ({"viral": {"windows_hours": []}}, "'viral.windows_hours' must list positive hours"),
    ({"spike": "x"}, "'spike' must be a table"),
])
def test_bad_overrides_name_the_key(data: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        config_from_mapping(data)


def test_an_integer_is_a_valid_float(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text("[viral]\nquantile = 0.9\nwindows_hours = [12, 36]\n", encoding="utf-8")
    config = load_config(path)
    assert config.viral.windows_hours == (12.0, 36.0) and config.viral.quantile == 0.9


def test_a_broken_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[spike\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.toml"):
        load_config(path)
