"""The article record: the one typed definition that every pantau module reads and writes.

Every key is always present. Extractors only fill fields; a field with nothing found is an empty
list or ``None``, never missing, so consumers (store, API, Spark) never test for keys.
Offsets (``mentions``, ``span``) are ``[start, end)`` character offsets into ``body``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

Span = Annotated[tuple[int, int], Field(description="[start, end) character offsets into body")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Person(_Strict):
    name: str = Field(description="Full name without rank or academic titles")
    rank: str | None = Field(None, description="Full official rank, e.g. 'Ajun Komisaris Besar Polisi'")
    rank_abbr: str | None = Field(None, description="Rank abbreviation, e.g. 'AKBP'")
    position: str | None = Field(None, description="Post as written, e.g. 'Kapolres Banyuasin'")
    organization: str | None = Field(None, description="Canonical unit name")
    mentions: list[Span] = Field(default_factory=list)


class Organization(_Strict):
    name: str = Field(description="Canonical name: unit kind + full region name")
    type: str | None = Field(None, description="police, bnn, corrections, customs, prosecutor, court, ...")
    region_code: str | None = Field(None, description="Kemendagri code of the unit's region")
    parent: str | None = Field(None, description="Canonical name of the parent unit, when known")
    mentions: list[Span] = Field(default_factory=list)


class Location(_Strict):
    name: str
    level: str | None = Field(None, description="province, regency, city or district")
    code: str | None = Field(None, description="Kemendagri code, dotted ('16.07')")
    province_code: str | None = None
    mentions: list[Span] = Field(default_factory=list)


class Seizure(_Strict):
    substance: str = Field(description="Canonical substance key, e.g. 'methamphetamine'")
    term: str = Field(description="The substance as written")
    quantity: float | None = None
    unit: str | None = Field(None, description="g, pill, plant, ml or package")
    qualifier: str | None = Field(None, description="more_than, about, less_than, almost")
    weight_basis: str | None = Field(None, description="gross ('bruto') or net ('netto')")
    period: str | None = Field(None, description="Period of a total ('2024'), null for a single case")
    span: Span


class Statistic(_Strict):
    measure: str = Field(description="cases, suspects, arrests, rehabilitations, ...")
    subject: str | None = None
    period: str | None = None
    value: float
    span: Span
    flags: list[str] = Field(default_factory=list, description="e.g. 'stated_change_inconsistent'")


class Quote(_Strict):
    text: str
    speaker: str | None = None
    cue: str | None = None
    span: Span


class LegalRef(_Strict):
    law: str = Field(description="Normalised law, e.g. 'UU 35/2009'")
    article: str | None = Field(None, description="Pasal, e.g. '114'")
    paragraph: str | None = Field(None, description="Ayat, e.g. '2'")
    span: Span


class Article(_Strict):
    id: str
    source: str = Field(description="Path or URL the article was read from")
    url: str | None = None
    title: str | None = None
    outlet: str | None = Field(None, description="Masthead as written: 'BALANGANEWS', 'KabarNTB'")
    dateline: str | None = Field(None, description="Dateline city in title case: 'Palangka Raya'")
    date: str | None = Field(None, description="ISO date of the reported event, else of publication")
    published: str | None = Field(None, description="ISO publication date from page metadata")
    language: str | None = Field(None, description="ISO 639-1 code of the text's language")
    topics: list[str] = Field(default_factory=list)
    body: str = ""
    people: list[Person] = Field(default_factory=list)
    organizations: list[Organization] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    seizures: list[Seizure] = Field(default_factory=list)
    statistics: list[Statistic] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    legal_refs: list[LegalRef] = Field(default_factory=list)
    extraction_errors: list[str] = Field(
        default_factory=list, description="Extractors that failed on this article ('quotes: IndexError: ...'); "
                                          "their fields are left empty, the rest of the record stands")

    def to_json(self) -> str:
        return self.model_dump_json()


def article_json_schema() -> dict[str, Any]:
    return Article.model_json_schema()


def article_json_schema_text() -> str:
    return json.dumps(article_json_schema(), indent=2, ensure_ascii=False)
