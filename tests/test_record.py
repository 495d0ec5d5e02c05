from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from pantau.record import Article, Seizure, article_json_schema

LIST_FIELDS = ["topics", "people", "organizations", "locations", "seizures", "statistics", "quotes",
               "legal_refs"]
SCALAR_FIELDS = ["id", "source", "title", "outlet", "dateline", "date", "published", "language", "body"]


def test_every_key_is_present_even_when_nothing_was_found() -> None:
    dumped = json.loads(Article(id="x", source="x.txt").to_json())
    for name in LIST_FIELDS:
        assert dumped[name] == [], name
    for name in SCALAR_FIELDS:
        assert name in dumped, name
    assert dumped["title"] is None and dumped["body"] == ""


def test_json_schema_lists_every_field_and_nested_record() -> None:
    schema = article_json_schema()
    assert set(LIST_FIELDS + SCALAR_FIELDS) <= set(schema["properties"])
    assert {"Person", "Organization", "Location", "Seizure", "Statistic", "Quote", "LegalRef"} <= set(
        schema["$defs"])
    assert "span" in schema["$defs"]["Seizure"]["required"]


def test_unknown_keys_are_rejected_so_the_schema_stays_the_one_definition() -> None:
    with pytest.raises(ValidationError):
        Article(id="x", source="x", colour="red")  # type: ignore[call-arg]


def test_spans_are_pairs_of_offsets() -> None:
    seizure = Seizure(substance="cannabis", term="ganja", quantity=1185, unit="g", span=(10, 25))
    assert seizure.model_dump()["span"] == (10, 25)
    with pytest.raises(ValidationError):
        Seizure(substance="cannabis", term="ganja", span=(1, 2, 3))  # type: ignore[arg-type]
