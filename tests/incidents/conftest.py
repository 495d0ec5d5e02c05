from __future__ import annotations

from typing import Any

import pytest

from pantau.record import Article, Location, Organization, Person, Seizure


def make_article(id: str, title: str, body: str, *, date: str | None = "2025-06-02", regency: str | None = "16.07",
                 seizures: list[tuple[str, float, str]] = (), people: list[tuple[str, str | None]] = (),
                 outlet: str = "kabar-satu", unit: str | None = "Polres Banyuasin") -> Article:
    """An article record as the extractors would fill it, for the sentences given."""
    locations = []
    if regency:
        locations.append(Location(name="Place", level="regency", code=regency, province_code=regency[:2]))
    organizations = [Organization(name=unit, type="police", region_code=regency)] if unit and regency else []
    return Article(
        id=id, source=f"{id}.txt", title=title, body=body, date=date, outlet=outlet, locations=locations,
        organizations=organizations,
        seizures=[Seizure(substance=s, term=s, quantity=q, unit=u, span=(0, 1)) for s, q, u in seizures],
        people=[Person(name=name, position=post) for name, post in people],
    )


@pytest.fixture
def article() -> Any:
    return make_article
