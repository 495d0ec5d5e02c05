"""People the text itself marks, without a rank or a post: names around a cue, the other names of a list of
people, and the people only another story's headline names (left out).

``entities.extract_entities`` runs these after the rank and post rules and the NER model: a cue ("kata Harli",
"Pongki menuturkan", "korban Susiati", "Rohati (45)") or a list ("1 - Rizky Pratama, 4 - Bagas Kaffa, ...")
is evidence a model may miss, and a headline of another story ("Baca Juga ...") names people who are not in
this one.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cache

from pantau.extract.headlines import is_headline_line
from pantau.extract.lexicon import Annotated
from pantau.extract.names import (
    MAX_NAME_WORDS,
    cue_zone,
    glued_hyphen,
    has_person_cue,
    is_common_word,
    is_name_part,
    vocabulary,
)
from pantau.extract.people import PersonFound
from pantau.vocab import load_toml

MAX_HEADLINE_WORDS = 20  # a longer title-case line is a list or a table of the story, not another story's headline


def cued_people(annotated: Annotated, people: list[PersonFound], not_people: frozenset[int]) -> list[PersonFound]:
    """Names the text itself marks as people, where neither the rules nor the model found one: a run of name
    words (``names.is_name_part``, at least three letters each) right after a speech verb or a person noun, or
    right before a speech verb, or with an age ("kata Harli", "Pongki menuturkan", "korban Susiati", "Rohati
    (45)"); never where the model reads a place or an organisation ("Malaysia menegaskan"), and never a word of
    a person already found (that is a later mention of them)."""
    doc = annotated.doc
    taken = {i for p in people for s, e in p.mentions for i in range(s, e)}
    known = {p.key for p in people}
    known_words = {w for p in people for w in p.name_tokens}
    found: dict[str, PersonFound] = {}
    resume = 0  # tokens before it are inside a run already read
    zone = cue_zone(annotated)  # only a cue's neighbourhood can hold a name it marks, and a name opens with a capital
    for i in [i for i in annotated.capitalised if i in zone]:
        if i < resume or i in taken or i in not_people or not _cue_name_word(annotated, i):
            continue
        end = i + 1
        while end < len(doc) and end - i < MAX_NAME_WORDS and end not in taken and end not in not_people:
            if _cue_name_word(annotated, end):
                end += 1
            elif end + 1 < len(doc) and glued_hyphen(annotated, end) and _cue_name_word(annotated, end + 1):
                end += 2
            else:
                break
        start = i
        while start < end and is_common_word(annotated.texts[start], strict=True):
            start += 1  # "Pedagang Irman Ali": a common word opens no name
        words = tuple(t.text for t in doc[start:end] if t.text != "-")
        if start < end and has_person_cue(annotated, i, end) and not set(words) <= known_words \
                and (end - start > 1 or not is_common_word(words[0], strict=True)):
            name = annotated.text(start, end)
            if name.casefold() not in known:
                person = found.setdefault(name.casefold(), PersonFound(name=name, name_tokens=words))
                person.mentions.append((start, end))
        resume = end
    return list(found.values())


MIN_LISTED_PEOPLE = 2  # people already found in a list before its other names are read as people
MIN_LIST_NAMES = 3


def listed_people(annotated: Annotated, people: list[PersonFound], not_people: frozenset[int]) -> list[PersonFound]:
    """The other names of a list of people: a line whose comma-separated items are names, at least two of them
    people already found ("Juventus: 32 - Emil Audero, 15 - Andrea Barzagli, 26 - Stephan Lichtsteiner ...", a
    cabinet list, "tersangka A, B dan C"): every item of two to four name words is a person too. Numbers, dashes
    and minutes around an item are not part of it."""
    doc = annotated.doc
    if len(people) < MIN_LISTED_PEOPLE:  # no line can name enough of them
        return []
    owner = {i: p for p in people for s, e in p.mentions for i in range(s, e)}
    owned = sorted(owner)
    found: dict[str, PersonFound] = {}
    known = {p.key for p in people}
    line_start = 0
    texts = annotated.texts
    for index in [*annotated.line_breaks, len(texts)]:  # each line's end
        start_of_line, line_start = line_start, index + 1
        persons = {id(owner[i]) for i in owned[bisect_left(owned, start_of_line):bisect_left(owned, index)]}
        if len(persons) < MIN_LISTED_PEOPLE:  # most lines: read no further
            continue
        items = _list_items(annotated, start_of_line, index)
        shaped = [(s, e) for s, e in items if 2 <= e - s <= 4 and _name_shaped(annotated, s, e, not_people)]
        if len(shaped) < MIN_LIST_NAMES:
            continue
        for start, end in shaped:
            if any(i in owner for i in range(start, end)):
                continue
            name = annotated.text(start, end)
            if name.casefold() in known:
                continue
            person = found.setdefault(name.casefold(), PersonFound(
                name=name, name_tokens=tuple(t.text for t in doc[start:end] if t.text not in (".", "-"))))
            person.mentions.append((start, end))
    return list(found.values())


@cache
def _list_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    data = load_toml("names")
    return frozenset(data["list_separators"]), frozenset(data["list_item_edges"])


def _list_items(annotated: Annotated, start: int, end: int) -> list[tuple[int, int]]:
    """Token spans of the items of tokens ``[start, end)`` split at commas, "dan", brackets ..., each trimmed of
    numbers and dashes at its edges."""
    texts = annotated.texts
    separators, edges = _list_vocabulary()
    items: list[tuple[int, int]] = []
    item_start = start
    for i in range(start, end + 1):
        if i < end and texts[i].casefold() not in separators:
            continue
        s, e = item_start, i
        while s < e and (texts[s] in edges or texts[s].isdigit() or texts[s].isspace()):
            s += 1
        while e > s and (texts[e - 1] in edges or texts[e - 1].isdigit()):
            e -= 1
        if e > s:
            items.append((s, e))
        item_start = i + 1
    return items


def _name_shaped(annotated: Annotated, start: int, end: int, not_people: frozenset[int]) -> bool:
    texts = annotated.texts
    particles = vocabulary().particles
    return all(i not in not_people and (is_name_part(annotated, i) or glued_hyphen(annotated, i)
                                        or (texts[i].casefold() in particles and start < i < end - 1))
               for i in range(start, end))


def _cue_name_word(annotated: Annotated, index: int) -> bool:
    return len(annotated.texts[index]) >= 3 and is_name_part(annotated, index)


def only_in_headlines(annotated: Annotated, person: PersonFound) -> bool:
    """Whether every mention of a person without a rank stands in a title-case line of its own: another story's
    headline (a related-article link, "Baca juga ...") names people who are not in this story."""
    if person.rank is not None:
        return False
    body = annotated.source
    for start, _ in person.mentions:
        char = annotated.doc[start].idx
        line_start = body.rfind("\n", 0, char) + 1
        line_end = body.find("\n", char)
        line = body[line_start:line_end if line_end != -1 else len(body)]
        if len(line.split()) > MAX_HEADLINE_WORDS or not is_headline_line(line):
            return False
    return True
