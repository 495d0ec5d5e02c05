"""People, organisations and places of one article, resolved together.

The components run in a fixed order over one annotated text. People first, in stages: the rank and post rules
(``people``), the NER model's people cleaned by ``names`` (``_model_gaps``), the people the text marks by a cue
(``marked_people.cued_people``); then short forms are completed from full names, merged into them, aliases
joined, later mentions found, the other names of lists of people added, and people only another story's
headline names left out. Their names are then kept out of place and unit matching ("Bima" in "AKBP Bima Sakti"
is no city). Organisations next, then places; each person's organisation is the unit named in their position,
or the unit their post heads in the region it names ("Kapolres Tabanan" -> Polres Tabanan).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from pantau.extract.lexicon import Annotated, annotate, lexicon, title_key
from pantau.extract.marked_people import cued_people, listed_people, only_in_headlines
from pantau.extract.names import (
    MAX_NAME_WORDS,
    clean_name,
    glued_hyphen,
    has_person_cue,
    is_common_word,
    is_name_part,
)
from pantau.extract.organizations import (
    PARENT_FAMILIES,
    OrgMention,
    canonical_name,
    find_organizations,
    national_name,
    parent_name,
    to_organizations,
)
from pantau.extract.people import (
    PersonFound,
    _position_after,
    _position_before,
    _skip_titles,
    add_later_mentions,
    complete_names,
    extend_position,
    find_people,
    is_entity_start,
    merge_aliases,
    merge_short_names,
)
from pantau.extract.places import (
    PlaceMention,
    UnitPlace,
    choose_region,
    dateline_region,
    find_places,
    to_locations,
)
from pantau.record import Location, Organization, Person

if TYPE_CHECKING:
    from pantau.ner.model import EntitySpan, Piece


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
    kind = lexicon().kinds_by_key.get(unit)
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
            return OrgMention(national_name(national.name), national.type, None, national.parent, start, end)
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


def model_enabled() -> bool:
    """The statistical NER model is on by default: without it, people named with no rank or post (ministers,
    lawyers, victims, athletes, suspects named in full) are lost (docs/accuracy.md). ``PANTAU_NER_MODEL=0``
    switches it off (rules only, about twice the articles per second); a package without a model runs rules only."""
    setting = os.environ.get("PANTAU_NER_MODEL", "").strip().lower()
    if setting in ("0", "false", "no", "off"):
        return False
    return _model_shipped()


@cache
def _model_shipped() -> bool:
    """Whether the package holds the model, looked up once: two file-system checks on every article cost about
    a tenth of a millisecond."""
    from pantau.ner.model import model_available

    return model_available()


_SENTENCE_END = frozenset(".!?")
_CLOSERS = frozenset("\"'”’)]»")


def sentences(annotated: Annotated, texts: list[str] | None = None) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of the sentences of the text: a line break ends one, and so does ".", "!"
    or "?" (with any closing quote) before a capitalised word or an opening quote, unless the word before the
    stop is an initial or a short title ("Budi S. Widodo", "H. Ahmad", "Dr. Siti"). ``texts``: the token texts,
    if the caller has them (``Annotated.texts``)."""
    texts = annotated.texts if texts is None else texts
    lex = lexicon()
    found: list[tuple[int, int]] = []
    start = 0
    size = len(texts)
    for i, text in enumerate(texts):
        if text.isspace():  # spaCy's Token.is_space
            if "\n" in text:
                if i > start:
                    found.append((start, i))
                start = i + 1
            continue
        if text not in _SENTENCE_END or i + 1 >= size:
            continue
        before = title_key(texts[i - 1]) if i > start else ""
        if len(before) == 1 or before in lex.prefix_titles or before in lex.academic_titles:
            continue
        end = i + 1
        while end < size and texts[end] in _CLOSERS:
            end += 1
        if end < size and (texts[end][:1].isupper() or texts[end][:1] in "\"“'‘(" or texts[end].isspace()):
            found.append((start, end))
            start = end
    if start < size:
        found.append((start, size))
    return [(s, e) for s, e in found if any(not texts[i].isspace() for i in range(s, e))]


def _name_runs(annotated: Annotated, start: int, end: int, taken: set[int], texts: list[str]) -> list[tuple[int, int]]:
    """Token spans of the runs of two or more adjacent words of the sentence ``[start, end)`` that may be words of
    a personal name (``names.is_name_part``: capitalised, not a dictionary word, acronym, place, unit, post, rank
    or country) outside the people the rules found."""
    runs: list[tuple[int, int]] = []
    i = start
    while i < end:
        if not texts[i][:1].isupper() or i in taken or not is_name_part(annotated, i):
            i += 1  # the case test first: most words are lower case, and this runs on every word
            continue
        j = i + 1
        while j < end and j not in taken and (is_name_part(annotated, j) or texts[j] == "."
                                              or glued_hyphen(annotated, j)):
            j += 1
        if j - i >= 2:
            runs.append((i, j))
        i = j
    return runs


WINDOW_CONTEXT = 12  # words of context the model reads on each side of a possible name


def _windows(annotated: Annotated, start: int, end: int, taken: set[int], texts: list[str],
             seen: set[str]) -> list[tuple[int, int]]:
    """The parts of the sentence ``[start, end)`` the model reads: each run of possible name words (``_name_runs``)
    with ``WINDOW_CONTEXT`` words on each side, overlapping parts joined; none when every run was in an earlier
    sentence (``seen``: a name tagged once is found again by ``add_later_mentions``). A news sentence is about
    thirty words and a name two or three; the words the model needs to tell a person from a club or a place are
    the ones next to the name. A single name word needs a cue to be kept, which the rules read themselves
    (``marked_people.cued_people``); a model place must be a region of the register, which the place matcher
    reads. About a sixth of a news article's words are tagged."""
    runs = _name_runs(annotated, start, end, taken, texts)
    written = [" ".join(texts[i:j]) for i, j in runs]
    fresh = any(run not in seen for run in written)
    seen.update(written)
    if not fresh:
        return []
    windows: list[tuple[int, int]] = []
    for i, j in runs:
        left, right = max(start, i - WINDOW_CONTEXT), min(end, j + WINDOW_CONTEXT)
        if windows and left <= windows[-1][1]:
            windows[-1] = (windows[-1][0], right)
        else:
            windows.append((left, right))
    return windows


@dataclass(slots=True)
class _ModelGaps:
    people: list[PersonFound]
    places: list[PlaceMention]
    units: dict[int, OrgMention]  # by id() of the person: the model organisation named in their position (a key
    # by name would be lost when the name is completed or merged later)
    orgs: list[tuple[int, int]]  # token spans the model labels ORG outside the rules' entities
    not_people: frozenset[int] = frozenset()  # tokens the model labels LOC or ORG: no cued name there


def _model_pieces(annotated: Annotated, taken: set[int]) -> tuple[list[int], list[Piece]]:
    """What the model is to read of the text: only the sentences where it can add a person (``_windows``), as
    pieces, with the character offset of each."""
    doc = annotated.doc
    texts = annotated.texts
    seen: set[str] = set()
    chosen = [window for s, e in sentences(annotated, texts)
              for window in _windows(annotated, s, e, taken, texts, seen)]
    return [doc[s].idx for s, _ in chosen], [_piece(annotated, s, e) for s, e in chosen]


def _model_gaps(annotated: Annotated, taken: set[int], offsets: list[int],
                tagged: list[list[EntitySpan]]) -> _ModelGaps:
    """People, places and organisation spans the model found (``tagged``: the spans of each piece of
    ``_model_pieces``) where the rules found nothing (rules first, the model fills gaps).

    Its person spans become people only through ``names.clean_name`` (``_model_names``): the model alone proposes
    "Tokoh Agama", "Zoom Meeting" or a club as people.
    """
    doc = annotated.doc
    people: dict[str, PersonFound] = {}
    places: list[PlaceMention] = []
    orgs: list[tuple[int, int]] = []
    per_spans: list[tuple[int, int]] = []
    other_spans: list[tuple[int, int]] = []
    for offset, spans in zip(offsets, tagged, strict=True):
        for start_char, end_char, label in spans:
            span = doc.char_span(offset + start_char, offset + end_char, alignment_mode="expand")
            if span is None or any(i in taken for i in range(span.start, span.end)):
                continue
            if label == "PER":
                per_spans.append((span.start, span.end))
            elif label == "LOC":
                other_spans.append((span.start, span.end))
                region = dateline_region(annotated.text(span.start, span.end))
                if region is not None and span.start not in annotated.places:
                    places.append(PlaceMention(region, span.start, span.end))
            elif label == "ORG":
                orgs.append((span.start, span.end))
    for start, end in _model_names(annotated, per_spans, taken):
        name = annotated.text(start, end)
        person = people.get(name.casefold())
        if person is None:
            tokens = tuple(t.text for t in doc[start:end] if t.text != ".")
            person = people[name.casefold()] = PersonFound(name=name, name_tokens=tokens)
        _attach_context(annotated, person, start, end)
    units: dict[int, OrgMention] = {}
    for person in people.values():
        if person.position is None:
            continue
        start, end = person.position
        inside = [(s, e) for s, e in orgs if start <= s and e <= end]
        if inside:  # "Ketua LSM Bengkel APPeK": the unit no vocabulary knows, as the model reads it
            s, e = max(inside, key=lambda span: span[1] - span[0])
            words = [t.text for t in annotated.doc[s:e]]
            if "(" in words and ")" not in words:  # "Otoritas Jasa Keuangan (OJK": no open bracket
                e = s + words.index("(")
            if e <= s:
                continue
            units[id(person)] = OrgMention(annotated.text(s, e), None, None, None, s, e)  # type: ignore[arg-type]
    not_people = frozenset(i for start, end in [*orgs, *other_spans] for i in range(start, end))
    return _ModelGaps(list(people.values()), places, units, orgs, not_people)


def _model_names(annotated: Annotated, spans: list[tuple[int, int]], taken: set[int]) -> list[tuple[int, int]]:
    """The model's PER spans that are personal names, cleaned (``names.clean_name``) and completed: a name the
    model cut short takes in the name words right after it ("Muhammad Amran Said" + "Ali") and one before it. A
    one-word name ("Purba", "Neymar") is kept when the text backs it: it comes with a speech verb or an age, or
    it is a word of a longer name kept here (then ``merge_short_names`` joins them); the model alone calls clubs
    ("Juventus") people too often."""
    cleaned: list[tuple[int, int]] = []
    for start, end in spans:
        found = clean_name(annotated, start, end)
        if found is None:
            continue
        start, end = found
        while end < len(annotated.doc) and end - start < MAX_NAME_WORDS and end not in taken:
            if clean_name(annotated, end, end + 1) == (end, end + 1) and not is_entity_start(annotated, end):
                end += 1
            elif end + 1 < len(annotated.doc) and glued_hyphen(annotated, end) and is_name_part(annotated, end + 1):
                end += 2  # "Trent Alexander" + "-Arnold"
            else:
                break
        if start > 0 and start - 1 not in taken and is_name_part(annotated, start - 1) \
                and not is_common_word(annotated.doc[start - 1].text) and end - start < MAX_NAME_WORDS:
            start -= 1  # a first name the model left out ("Marciana" of "Marciana Dominika Jone")
        cleaned.append((start, end))
    texts = [annotated.text(s, e) for s, e in cleaned]
    long_words = {w for (s, e) in cleaned if e - s > 1 for w in annotated.text(s, e).split()}
    return [(s, e) for (s, e), text in zip(cleaned, texts, strict=True)
            if e - s > 1 or text in long_words or (not is_common_word(text) and has_person_cue(annotated, s, e))]


def _piece(annotated: Annotated, start: int, end: int) -> Piece:
    """Tokens ``[start, end)`` as the model gets them: a ``Doc`` of these tokens (on the rule components'
    vocabulary) when the sentence begins and ends at whitespace, so the model's tokenizer would cut its text
    into the same tokens (it tokenises each whitespace-separated chunk on its own) and need not run; else the
    text (a sentence cut inside a chunk, as in '(25/8).Dia', is tokenised again, as its own text)."""
    doc = annotated.doc
    first, last = doc[start], doc[end - 1]
    if (start == 0 or doc[start - 1].whitespace_ or doc[start - 1].is_space) and (
            end == len(doc) or last.whitespace_ or doc[end].is_space):
        tokens = doc[start:end]
        return Doc(doc.vocab, words=[t.text for t in tokens],
                   spaces=[bool(t.whitespace_) for t in tokens[:-1]] + [False])
    return annotated.source[first.idx:last.idx + len(last.text)]


def _attach_context(annotated: Annotated, person: PersonFound, start: int, end: int) -> None:
    """A mention of a model person at tokens ``[start, end)``, with the rank and position the text gives
    around it, read as the rules read them: a rank right before the name ("Bripka Siti Rahayu" where the rules
    missed the name), a position before it ("Kepala Desa Oelnasi, Marciana ...") or after it, with or without
    "selaku" (", Ketua LSM Bengkel APPeK,")."""
    rank_start = next((s for s, (e, _) in annotated.ranks.items() if e == start), None)
    if person.rank is None and rank_start is not None:
        person.rank = annotated.ranks[rank_start][1]
    person.mentions.append((rank_start if rank_start is not None else start, end))
    if person.position is not None:
        return
    after = _skip_titles(annotated, end)
    position = _position_before(annotated, rank_start if rank_start is not None else start) or _position_after(
        annotated, after)
    if position is None and after + 1 < len(annotated.doc) and annotated.doc[after].text == "," \
            and after + 1 in annotated.posts and annotated.doc[after + 1].text[:1].isupper():
        position = (after + 1, extend_position(annotated, after + 1), annotated.posts[after + 1][1])
    if position is not None:
        person.position, person.post = (position[0], position[1]), position[2]


@dataclass(slots=True)
class EntityDraft:
    """One article's entities before the model has read it: the rules' people so far, and the pieces of text the
    model is to tag (``pieces``; none when the model is off). Several articles' pieces can then be tagged in one
    call (``pantau.pipeline.process_many``): the model runs about a third faster on a few articles' pieces at
    once than on each article's alone."""

    annotated: Annotated
    people: list[PersonFound]
    taken: set[int] | None  # tokens the model may not claim; None when the model is off
    offsets: list[int]
    pieces: list[Piece]


def draft_entities(body: str, *, use_model: bool | None = None) -> EntityDraft:
    """The first half of ``extract_entities``: the rules' people, and what the model is to read."""
    annotated = annotate(body)
    found_people = find_people(annotated)
    if not (use_model if use_model is not None else model_enabled()):
        return EntityDraft(annotated, found_people, None, [], [])
    taken = {i for p in found_people for s, e in p.mentions for i in range(s, e)}
    taken |= {i for start, (end, _) in annotated.kinds.items() for i in range(start, end)}
    taken |= {i for start, (end, _) in annotated.posts.items() for i in range(start, end)}
    offsets, pieces = _model_pieces(annotated, taken)
    return EntityDraft(annotated, found_people, taken, offsets, pieces)


def tag_drafts(drafts: list[EntityDraft]) -> list[list[list[EntitySpan]]]:
    """The model's spans for each piece of each of ``drafts``, tagged in one batch."""
    pieces = [piece for draft in drafts for piece in draft.pieces]
    if not pieces:
        return [[] for _ in drafts]
    from pantau.ner.model import tag_pieces

    tagged = tag_pieces(pieces)
    found, start = [], 0
    for draft in drafts:
        found.append(tagged[start:start + len(draft.pieces)])
        start += len(draft.pieces)
    return found


def extract_entities(body: str, dateline: str | None = None, *, use_model: bool | None = None,
                     title: str | None = None) -> Entities:
    draft = draft_entities(body, use_model=use_model)
    return finish_entities(draft, tag_drafts([draft])[0], dateline, title=title)


def finish_entities(draft: EntityDraft, tagged: list[list[EntitySpan]], dateline: str | None = None, *,
                    title: str | None = None) -> Entities:
    """The second half of ``extract_entities``: ``draft`` completed with the model's spans of its pieces."""
    annotated, found_people = draft.annotated, draft.people
    if draft.taken is not None:
        gaps = _model_gaps(annotated, draft.taken, draft.offsets, tagged)
    else:
        gaps = _ModelGaps([], [], {}, [])
    model_people, model_places = gaps.people, gaps.places
    by_key = {p.key: p for p in found_people}
    for person in model_people:  # a name the rules know, written out where they did not read it: one person
        if person.key in by_key:
            by_key[person.key].mentions += person.mentions
        else:
            found_people.append(person)
    found_people += cued_people(annotated, found_people, gaps.not_people)
    complete_names(annotated, found_people)
    found_people = merge_aliases(annotated, merge_short_names(found_people))
    add_later_mentions(annotated, found_people)
    listed = listed_people(annotated, found_people, gaps.not_people)
    if listed:
        found_people += listed
        add_later_mentions(annotated, found_people)
    found_people = [p for p in found_people if not only_in_headlines(annotated, p)]
    name_tokens = {i for p in found_people for s, e in p.mentions for i in range(s, e)
                   if annotated.doc[i].text in p.name_tokens}
    org_result = find_organizations(annotated, name_tokens, gaps.orgs)
    place_result = find_places(annotated, name_tokens)
    covered = {i for m in place_result.mentions for i in range(m.start, m.end)}
    place_result.mentions += [m for m in model_places if not any(i in covered for i in range(m.start, m.end))]
    org_mentions = list(org_result.mentions)
    people: list[Person] = []
    for person in found_people:
        unit = _person_organization(person, org_mentions, place_result.mentions, annotated) or gaps.units.get(
            id(person))
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
    units = [UnitPlace(m.region, m.start, m.end, m.kind) for m in org_mentions if m.region is not None]
    return Entities(
        people=people,
        organizations=to_organizations(org_mentions, annotated),
        locations=to_locations(place_result.mentions, annotated, dateline=dateline_region(dateline), units=units,
                               title=title),
    )
