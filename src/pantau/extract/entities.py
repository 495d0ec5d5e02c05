"""People, organisations and places of one article, resolved together.

The components run in a fixed order over one annotated text: people first (their names are then
kept out of place and unit matching: "Bima" in "AKBP Bima Sakti" is no city), then organisations,
then places; each person's organisation is the unit named in their position, or the unit their
post heads in the region it names ("Kapolres Tabanan" -> Polres Tabanan).
"""

from __future__ import annotations

from dataclasses import dataclass

from pantau.extract.lexicon import Annotated, annotate, lexicon
from pantau.extract.organizations import (
    PARENT_FAMILIES,
    OrgMention,
    canonical_name,
    find_organizations,
    parent_name,
    to_organizations,
)
from pantau.extract.people import PersonFound, find_people
from pantau.extract.places import PlaceMention, choose_region, dateline_region, find_places, to_locations
from pantau.record import Location, Organization, Person


@dataclass(frozen=True, slots=True)
class Entities:
    people: list[Person]
    organizations: list[Organization]
    locations: list[Location]


def _person_organization(person: PersonFound, orgs: list[OrgMention], places: list[PlaceMention],
                         annotated: Annotated) -> OrgMention | None:
    if person.position is None:
        return None
    start, end = person.position
    unit = person.post.unit if person.post else ""
    kind = next((k for k in lexicon().kinds.values() if k.key == unit), None)
    inside = [m for m in orgs if start <= m.start and m.end <= end]
    if inside:
        largest = max(inside, key=lambda m: (m.end - m.start, -m.start))
        if kind is not None and kind.level == "parent" and largest.kind in _family(kind.parent):
            # "Dir Resnarkoba Polda NTB": the post heads a Ditresnarkoba inside the Polda it names
            return OrgMention(f"{kind.key} {largest.name}", kind.type, largest.region, largest.name, start, end,
                              kind.key)
        return largest
    if kind is None:
        national = next((n for n in lexicon().nationals.values() if n.name == unit), None)
        if national is not None:
            return OrgMention(national.name, national.type, None, national.parent, start, end)
        return None
    place = next((p for p in places if start <= p.start and p.end <= end), None)
    if place is not None and kind.level not in ("parent", "place"):
        wanted = {"any": "city"}.get(kind.level, kind.level)
        region = choose_region([place.region], wanted) or place.region
        return OrgMention(canonical_name(kind.key, region), kind.type, region, parent_name(kind, region), start, end,
                          kind.key)
    same_kind = {m.name: m for m in orgs if m.kind == kind.key}
    if len(same_kind) == 1:  # "Kalapas" in an article about one Lapas
        return next(iter(same_kind.values()))
    if kind.level == "parent":
        parents = {m.name: m for m in orgs if m.kind in _family(kind.parent)}
        if len(parents) == 1:
            parent = next(iter(parents.values()))
            return OrgMention(f"{kind.key} {parent.name}", kind.type, parent.region, parent.name, start, end,
                              kind.key)
    return None


def _family(kind_key: str | None) -> set[str]:
    return PARENT_FAMILIES.get(kind_key or "", {kind_key or ""})


def extract_entities(body: str, dateline: str | None = None) -> Entities:
    annotated = annotate(body)
    found_people = find_people(annotated)
    name_tokens = {i for p in found_people for s, e in p.mentions for i in range(s, e)
                   if annotated.doc[i].text in p.name_tokens}
    org_result = find_organizations(annotated, name_tokens)
    place_result = find_places(annotated, name_tokens)
    org_mentions = list(org_result.mentions)
    people: list[Person] = []
    for person in found_people:
        unit = _person_organization(person, org_mentions, place_result.mentions, annotated)
        if unit is not None and not any(m.name == unit.name for m in org_mentions):
            org_mentions.append(unit)
        people.append(Person(
            name=person.name,
            rank=person.rank.full if person.rank else None,
            rank_abbr=person.rank.abbr if person.rank else None,
            position=annotated.text(*person.position) if person.position else None,
            organization=unit.name if unit else None,
            mentions=[annotated.char_span(s, e) for s, e in person.mentions],
        ))
    extra = [r for r in [dateline_region(dateline)] if r is not None]
    extra += [m.region for m in org_mentions if m.region is not None]
    return Entities(
        people=people,
        organizations=to_organizations(org_mentions, annotated),
        locations=to_locations(place_result.mentions, annotated, extra),
    )
