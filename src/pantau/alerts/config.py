"""Thresholds of the early-warning detectors: ``pantau/data/alerts.toml`` with a user file over it.

``load_config()`` gives the defaults; ``load_config(path)`` overrides any of their keys with the user's TOML
file (same sections and names). Unknown sections or keys and values of the wrong type are errors naming the
key, so that a misspelt threshold cannot be silently ignored.
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pantau.vocab import load_toml


@dataclass(frozen=True, slots=True)
class SpikeConfig:
    dimensions: tuple[str, ...]
    levels: tuple[str, ...]
    ignore_topics: tuple[str, ...]
    ignore_types: tuple[str, ...]
    baseline_weeks: int
    guard_weeks: int
    min_baseline_weeks: int
    baseline: str
    season_years: int
    season_window: int
    season_block: int
    prior_count: float
    prior_weeks: float
    dispersion_weeks: int
    dispersion_trim: int
    dispersion_confidence: float
    alpha: float
    min_count: int
    min_ratio: float
    eval_weeks: int


@dataclass(frozen=True, slots=True)
class NewGroundConfig:
    dimensions: tuple[str, ...]
    levels: tuple[str, ...]
    ignore_topics: tuple[str, ...]
    ignore_types: tuple[str, ...]
    window_days: int
    min_history_days: int
    eval_days: int


@dataclass(frozen=True, slots=True)
class ViralConfig:
    windows_hours: tuple[float, ...]
    min_outlets: int
    quantile: float
    min_history: int
    reference_days: int
    eval_hours: float


@dataclass(frozen=True, slots=True)
class RecordSeizureConfig:
    scopes: tuple[str, ...]
    quantile: float
    min_history_national: int
    min_history_province: int
    ignore_types: tuple[str, ...]
    eval_days: int


@dataclass(frozen=True, slots=True)
class LabelsConfig:
    type_en: dict[str, str] = field(default_factory=dict)
    type_id: dict[str, str] = field(default_factory=dict)
    substance_en: dict[str, str] = field(default_factory=dict)
    substance_id: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AlertConfig:
    spike: SpikeConfig
    new_ground: NewGroundConfig
    viral: ViralConfig
    record_seizure: RecordSeizureConfig
    labels: LabelsConfig


_CHOICES: dict[tuple[str, str], frozenset[str]] = {
    ("spike", "dimensions"): frozenset({"topic", "substance", "type"}),
    ("spike", "levels"): frozenset({"regency", "province"}),
    ("spike", "baseline"): frozenset({"trailing", "seasonal"}),
    ("new_ground", "dimensions"): frozenset({"topic", "substance", "type"}),
    ("new_ground", "levels"): frozenset({"regency", "province"}),
    ("record_seizure", "scopes"): frozenset({"national", "province"}),
}


def _merge(base: Mapping[str, Any], over: Mapping[str, Any], where: str) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        name = f"{where}.{key}" if where else key
        if key not in base:
            raise ValueError(f"alerts config: unknown key {name!r}")
        if isinstance(base[key], Mapping):
            if not isinstance(value, Mapping):
                raise ValueError(f"alerts config: {name!r} must be a table")
            # Label tables may gain new keys (a new incident type); threshold tables may not.
            merged[key] = {**base[key], **value} if where == "labels" else _merge(base[key], value, name)
        else:
            merged[key] = value
    return merged


def _coerce(value: Any, hint: Any, name: str) -> Any:
    """Check one TOML value against the dataclass field's type and convert lists to tuples."""
    origin = typing.get_origin(hint)
    if origin is tuple:
        (item,) = {a for a in typing.get_args(hint) if a is not Ellipsis}
        if not isinstance(value, list):
            raise ValueError(f"alerts config: {name!r} must be a list")
        return tuple(_coerce(v, item, f"{name}[]") for v in value)
    if origin is dict:
        if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
            raise ValueError(f"alerts config: {name!r} must be a table of strings")
        return dict(value)
    if hint is float:
        # TOML writes 1 for 1.0; a bool is an int in Python but never a threshold.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"alerts config: {name!r} must be a number")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"alerts config: {name!r} must be an integer")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ValueError(f"alerts config: {name!r} must be a string")
        return value
    raise TypeError(f"unsupported config type {hint!r}")  # a programming error, not a user one


def _build(cls: type, data: Mapping[str, Any], section: str) -> Any:
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        name = f"{section}.{f.name}"
        if f.name not in data:
            raise ValueError(f"alerts config: missing key {name!r}")
        value = _coerce(data[f.name], hints[f.name], name)
        choices = _CHOICES.get((section, f.name))
        if choices is not None:
            for v in value if isinstance(value, tuple) else (value,):
                if v not in choices:
                    raise ValueError(f"alerts config: {name!r} has {v!r}; expected one of {sorted(choices)}")
        values[f.name] = value
    return cls(**values)


def _check(config: AlertConfig) -> None:
    """Ranges that the types cannot say; a wrong one would make a detector silent or noisy without a word."""
    if not 0.0 <= config.spike.dispersion_confidence < 1.0:
        raise ValueError("alerts config: 'spike.dispersion_confidence' must be in [0, 1)")
    probabilities = {"spike.alpha": config.spike.alpha, "viral.quantile": config.viral.quantile,
                     "record_seizure.quantile": config.record_seizure.quantile}
    for name, value in probabilities.items():
        if not 0.0 < value < 1.0:
            raise ValueError(f"alerts config: {name!r} must be between 0 and 1, not {value}")
    positives = {"spike.baseline_weeks": config.spike.baseline_weeks, "spike.prior_count": config.spike.prior_count,
                 "spike.min_count": config.spike.min_count, "spike.dispersion_weeks": config.spike.dispersion_weeks,
                 "spike.season_block": config.spike.season_block, "spike.eval_weeks": config.spike.eval_weeks,
                 "new_ground.window_days": config.new_ground.window_days,
                 "viral.min_outlets": config.viral.min_outlets, "viral.reference_days": config.viral.reference_days,
                 "viral.eval_hours": config.viral.eval_hours}
    for name, value in positives.items():
        if value <= 0:
            raise ValueError(f"alerts config: {name!r} must be positive, not {value}")
    for name, value in {"spike.prior_weeks": config.spike.prior_weeks, "spike.guard_weeks": config.spike.guard_weeks,
                        "spike.dispersion_trim": config.spike.dispersion_trim,
                        "spike.min_baseline_weeks": config.spike.min_baseline_weeks}.items():
        if value < 0:
            raise ValueError(f"alerts config: {name!r} must not be negative, not {value}")
    if not config.viral.windows_hours or min(config.viral.windows_hours) <= 0:
        raise ValueError("alerts config: 'viral.windows_hours' must list positive hours")


_SECTIONS: dict[str, type] = {"spike": SpikeConfig, "new_ground": NewGroundConfig, "viral": ViralConfig,
                              "record_seizure": RecordSeizureConfig, "labels": LabelsConfig}

def config_from_mapping(data: Mapping[str, Any]) -> AlertConfig:
    """An ``AlertConfig`` from the defaults overridden by ``data`` (the parsed user file, or a test's dict)."""
    merged = _merge(load_toml("alerts"), data, "")
    config = AlertConfig(**{section: _build(cls, merged.get(section, {}), section)
                            for section, cls in _SECTIONS.items()})
    _check(config)
    return config


@cache
def _default() -> AlertConfig:
    return config_from_mapping({})


def load_config(path: str | Path | None = None) -> AlertConfig:
    """The detectors' thresholds: the packaged defaults, with the keys of the TOML file at ``path`` over them."""
    if path is None:
        return _default()
    with open(path, "rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"alerts config {path}: {error}") from error
    return config_from_mapping(data)


__all__ = ["AlertConfig", "LabelsConfig", "NewGroundConfig", "RecordSeizureConfig", "SpikeConfig", "ViralConfig",
           "config_from_mapping", "load_config"]
