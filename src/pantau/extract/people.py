"""People named with a rank or a post, and every later mention of them; short forms, aliases and full names.

Police reports introduce people in a few fixed shapes:

- post, rank, name: "Kapolres Banyuasin, AKBP Rury Prastowo", "Kapolda NTB Irjen Pol Mohammad Iqbal",
  "Kepala Badan Narkotika Nasional (BNN) Provinsi NTT, Brigadir Jenderal Polisi Totok Lisdiarto";
- rank, name, titles, post: "AKBP Leo Dedy Defretes, S.H.,S.I.K.,M.H, selaku Kapolres Tabanan", or the post
  between commas: "AKP Boby Kusumawardhana, Kapolsek Tambun, mengatakan";
- post, comma, name: "Kabid Humas Polda Kalteng, Hendra Rochmawan, membenarkan ...";
- post and name without a comma: "Wakil Menteri Pertanian Sudaryono", "Kalapas Narkotika Kasongan Ahmad Hardi":
  the name is the run of name words (``names.is_name_part``) that closes the phrase, after the unit's place.

A post with no name ("Kepala BNNP NTB") is not a person. Later mentions by surname, first name, rank and first
name, or the post alone ("Kapolda") are resolved to the one person they can mean. The same functions serve the
people found without a rank (``entities``): a short form is completed from the full name the text writes
(``complete_names``), merged into it (``merge_short_names``), and an alias after a full name joins it
(``merge_aliases``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Token

from pantau.extract.lexicon import Annotated, Post, Rank, lexicon, positions, title_key
from pantau.extract.names import (
    MAX_NAME_WORDS,
    family_words,
    glued_hyphen,
    has_person_cue,
    is_common_word,
    is_name_part,
    vocabulary,
)

MAX_POSITION_TOKENS = 12
MIN_SHORT_MENTION_CHARS = 3
APPOSITION_WORDS = frozenset({"selaku", "sebagai"})
_NAME_PUNCTUATION = frozenset("-'’")


@dataclass(slots=True)
class PersonFound:
    name: str
    rank: Rank | None = None
    post: Post | None = None
    position: tuple[int, int] | None = None  # token span of the position phrase
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token spans
    name_tokens: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.name.casefold()


def is_name_token(token: Token) -> bool:
    text = token.text
    lex = lexicon()
    if not text[:1].isupper() or token.lower_ in lex.stopwords:
        return False
    if title_key(text) in lex.academic_titles:
        return False
    return all(c.isalpha() or c in _NAME_PUNCTUATION for c in text) and any(c.isalpha() for c in text)


def is_entity_start(annotated: Annotated, index: int) -> bool:
    return (index in annotated.ranks or index in annotated.posts or index in annotated.kinds
            or index in annotated.nationals)


def _ends_name(annotated: Annotated, index: int) -> bool:
    """Does an entity start at ``index``? A one-word post that is also a personal name does not."""
    post = annotated.posts.get(index)
    if post is not None and post[0] == index + 1 and annotated.texts[index].lower() in lexicon().post_names \
            and index not in annotated.ranks and index not in annotated.kinds and index not in annotated.nationals:
        return False
    return is_entity_start(annotated, index)


def parse_name(annotated: Annotated, index: int) -> tuple[int, int] | None:
    """Token span of a personal name starting at ``index``, after any prefix titles ('Drs.', 'H.')."""
    doc = annotated.doc
    texts = annotated.texts
    lex = lexicon()
    size = len(doc)
    while index + 1 < size and title_key(texts[index]) in lex.prefix_titles and texts[index][:1].isupper() \
            and (texts[index + 1] == "." or texts[index + 1][:1].isupper()):
        index += 2 if texts[index + 1] == "." else 1
    start = end = index
    while end < size and end - start < MAX_NAME_WORDS and not _ends_name(annotated, end):
        if _is_initial_token(annotated, end) and end + 1 < size and is_name_token(doc[end + 1]):
            end += 1  # "Markus O. Mansnembra", "A. Razak", "I.S Simanjuntak": initials written in one token
            continue
        if not is_name_token(doc[end]):
            break
        is_initial = len(texts[end]) == 1
        end += 1
        if is_initial and end < size and texts[end] == "." and end + 1 < size and \
                texts[end + 1][:1].isupper():
            end += 1
    if end == start or (end - start == 1 and len(texts[start]) == 1):
        return None
    return start, end


def _skip_titles(annotated: Annotated, index: int) -> int:
    """Index after ', S.H.,S.I.K.,M.H' or ', M.Hu' following a name."""
    doc = annotated.doc
    academic = lexicon().academic_titles
    while index + 1 < len(doc) and annotated.texts[index] == ",":
        parts = [p for p in annotated.texts[index + 1].split(",") if p.strip(". ")]
        if parts and all(title_key(p) in academic for p in parts):
            index += 2
        else:
            break
    return index


def _is_position_word(annotated: Annotated, index: int) -> bool:
    token = annotated.doc[index]
    if index in annotated.ranks:
        return False
    text = token.text
    if text == "." and index > 0 and _is_initial(annotated, index - 1) and index + 1 < len(annotated.doc) \
            and annotated.texts[index + 1][:1].isupper():
        return True  # the dot of an initial in the name that closes the phrase: "Menkumham Yosua H. Lamury"
    if text in ("(", ")", "&") or text.isdigit():
        return True
    if text in ("dan", "bidang"):  # "Kepala Bea dan Cukai NTB", "Kasubdit I bidang Kamneg Ditreskrimum"
        return index + 1 < len(annotated.doc) and annotated.texts[index + 1][:1].isupper()
    if text == "." and 0 < index < len(annotated.doc) - 1:  # "(Ka. KPLP)": the dot of an abbreviated post
        before, after = annotated.texts[index - 1], annotated.texts[index + 1]
        return before[:1].isupper() and len(before) <= 3 and after[:1].isupper()
    return text[:1].isupper() and any(c.isalpha() for c in text)


def extend_position(annotated: Annotated, start: int) -> int:
    """End of the position phrase opened by the post at ``start``: the unit and region words after it."""
    end = annotated.posts[start][0]
    while end < len(annotated.doc) and end - start < MAX_POSITION_TOKENS and _is_position_word(annotated, end) \
            and not (end in annotated.posts and annotated.posts[end][1].generic is False and end > start
                     and annotated.texts[end - 1] == ","):
        end += 1
    while end > start and annotated.texts[end - 1] in ("(", "dan", "&"):
        end -= 1
    return end


def _position_before(annotated: Annotated, start: int) -> tuple[int, int, Post] | None:
    """The position phrase right before a rank or name: 'Kapolres Banyuasin, ' AKBP ..."""
    end = start - 1 if start > 0 and annotated.texts[start - 1] == "," else start
    best = None
    index = end - 1
    while index >= 0 and end - index <= MAX_POSITION_TOKENS and _is_position_word(annotated, index):
        found = annotated.posts.get(index)
        if found is not None and found[0] <= end and annotated.texts[index][:1].isupper():
            best = (index, end, found[1])
        index -= 1
    return best


def _position_after(annotated: Annotated, index: int) -> tuple[int, int, Post] | None:
    """', selaku Kapolres Tabanan' after a name, or a post between commas: ', Kapolsek Tambun,'."""
    doc = annotated.doc
    comma = index < len(doc) and annotated.texts[index] == ","
    if comma:
        index += 1
    if index + 1 < len(doc) and annotated.texts[index].lower() in APPOSITION_WORDS and index + 1 in annotated.posts:
        start = index + 1
        return start, extend_position(annotated, start), annotated.posts[start][1]
    if comma and index in annotated.posts and annotated.texts[index][:1].isupper():
        end = extend_position(annotated, index)  # "AKP Boby Kusumawardhana, Kapolsek Tambun, mengatakan"
        if end < len(doc) and annotated.texts[end] == ",":
            return index, end, annotated.posts[index][1]
    return None


def _after_street_word(annotated: Annotated, index: int) -> bool:
    doc = annotated.doc
    words = lexicon().street_words
    before = [t.lower_ for t in doc[max(0, index - 2):index] if t.text != "."]
    return bool(before) and (before[-1] in words or " ".join(before[-2:]) in words)


def _name_is_bounded(annotated: Annotated, end: int) -> bool:
    """A name after a post and comma must end the phrase: ', ' / '.' / a verb / 'di' ..."""
    if end >= len(annotated.doc):
        return True
    token = annotated.doc[end]
    return token.is_punct or token.text[:1].islower()


def _apposed_name(annotated: Annotated, start: int, end: int) -> bool:
    """A one-word name set between commas after a post ("Ketua MUI Kota Serang, Mahmudi, dan ...", "Direktur CV
    Ronggo, Roespandi;"): a name word no dictionary knows, closed by a comma or a semicolon."""
    texts = annotated.texts
    return end - start == 1 and end < len(texts) and texts[end] in (",", ";") and is_name_part(annotated, start) \
        and not is_common_word(texts[start])


def _name_closing_position(annotated: Annotated, post_start: int, end: int) -> tuple[int, int] | None:
    """The name that closes a position phrase written without a comma: "Wakil Menteri Pertanian Sudaryono",
    "Kapuspenkum Kejagung Anang Supriatna", "Kalapas Narkotika Kasongan Ahmad Hardi". The name is the run of name
    words at the end of the phrase after the post and its unit: words that are not dictionary words, acronyms,
    places, units, posts or ranks (``names.is_name_part``). Two words or more make a name; a single word only when
    the text shows it names a person somewhere ("kata Sudaryono", "Sudaryono mengatakan"): else it may be a
    place the register does not hold ("Kalapas Narkotika Kasongan")."""
    start = end
    post_end, post = annotated.posts[post_start]
    kind = lexicon().kinds_by_key.get(post.unit)
    if kind is not None and kind.level == "place":  # "Kalapas Narkotika Sukamaju ...": the prison's place first
        while post_end < end and annotated.texts[post_end] in kind.qualifiers:
            post_end += 1
        post_end += 1
    while start - 1 >= post_end and end - (start - 1) <= MAX_NAME_WORDS:
        if is_name_part(annotated, start - 1) or (start < end and _is_initial_token(annotated, start - 1)):
            start -= 1
        elif start - 2 >= post_end and start < end and _is_initial(annotated, start - 2):
            start -= 2  # "Yosua H. Lamury"
        else:
            break
    while start < end and (is_common_word(annotated.texts[start], strict=True)
                           or (end - start > 2 and is_common_word(annotated.texts[start]))):
        start += 1  # "... Partai Keadilan Sejahtera Jazuli Juwaini": a dictionary word before a full name
    if start >= end or (start == post_end and annotated.texts[post_end - 1][:1].islower()):
        return None
    if end - start == 1:
        word = annotated.texts[start]
        if not any(has_person_cue(annotated, i, i + 1) for i in positions(annotated.texts, word)):
            return None
    return start, end


def find_people(annotated: Annotated) -> list[PersonFound]:
    """People with their rank, post and every mention, in order of first mention."""
    doc = annotated.doc
    texts = annotated.texts
    found: dict[str, PersonFound] = {}
    consumed_posts: set[int] = set()

    def add(name_span: tuple[int, int], rank: Rank | None, rank_start: int | None,
            position: tuple[int, int, Post] | None) -> None:
        name = annotated.text(*name_span)
        tokens = tuple(t for t in texts[name_span[0]:name_span[1]] if t != ".")
        person = found.get(name.casefold())
        if person is None:
            person = found[name.casefold()] = PersonFound(name=name, name_tokens=tokens)
        if person.rank is None and rank is not None:
            person.rank = rank
        if person.position is None and position is not None:
            person.position, person.post = (position[0], position[1]), position[2]
        mention_start = rank_start if rank_start is not None else name_span[0]
        person.mentions.append((mention_start, name_span[1]))
        if position is not None:
            consumed_posts.add(position[0])

    inside_rank = {i for s, (e, _) in annotated.ranks.items() for i in range(s + 1, e)}
    for rank_start, (rank_end, rank) in sorted(annotated.ranks.items()):
        if not texts[rank_start][:1].isupper() or rank_start in inside_rank or _after_street_word(annotated,
                                                                                                    rank_start):
            continue  # "Jenderal Polisi" inside "Brigadir Jenderal Polisi"; "Jalan Kapten P Tendean"
        while rank.service == "tni" and rank_end < len(doc) and texts[rank_end] in lexicon().corps:
            rank_end += 1  # "Letkol Inf", "Kolonel Laut (P)"
        opened = rank_end > 0 and texts[rank_end - 1] == "("  # a TNI rank has read the bracket as a corps mark
        if not opened and rank_end + 2 < len(doc) and texts[rank_end] == "(":
            rank_end, opened = rank_end + 1, True
        if opened and rank_end + 1 < len(doc) and texts[rank_end + 1] == ")" \
                and title_key(texts[rank_end]) in vocabulary().honorifics:
            rank_end += 2  # "Bripka (Purn) Sutikno", "Mayor Jenderal (Purn) ...": a status between rank and name
        name_span = parse_name(annotated, rank_end)
        if name_span is None:
            continue
        if rank.ambiguous and name_span[1] - name_span[0] < 2:
            continue
        position = _position_before(annotated, rank_start) or _position_after(
            annotated, _skip_titles(annotated, name_span[1]))
        add(name_span, rank, rank_start, position)

    for post_start in sorted(annotated.posts):
        if post_start in consumed_posts or not texts[post_start][:1].isupper():
            continue
        end = extend_position(annotated, post_start)
        position_end = end
        while end + 1 < len(doc) and texts[end] == "," and end + 1 in annotated.places \
                and annotated.places[end + 1][0] < len(doc) and annotated.texts[annotated.places[end + 1][0]] == ",":
            end = annotated.places[end + 1][0]  # "Bupati Hulu Sungai Tengah, Kalimantan Selatan, Abdul Latif"
        if end < len(doc) and texts[end] == "," and end + 1 not in annotated.ranks:
            name_span = parse_name(annotated, end + 1)
            if name_span is not None and _name_is_bounded(annotated, name_span[1]) and (
                    name_span[1] - name_span[0] >= 2 or _apposed_name(annotated, *name_span)) \
                    and not is_common_word(annotated.texts[name_span[0]], strict=True):
                # a headline after a post and a comma is no name: "Dubes ... Temui Prabowo, Tawarkan Bantuan ..."
                add(name_span, None, None, (post_start, position_end, annotated.posts[post_start][1]))
        elif end - post_start > 1 and _name_is_bounded(annotated, end):
            name_span = _name_closing_position(annotated, post_start, end)
            if name_span is not None:
                add(name_span, None, None, (post_start, name_span[0], annotated.posts[post_start][1]))
    people = merge_short_names(list(found.values()))
    add_later_mentions(annotated, people)
    return people


def merge_short_names(people: list[PersonFound]) -> list[PersonFound]:
    """A short form of one longer name is that person: 'AKBP Rury' (one name word) is 'Rury Prastowo', and 'Gayus
    Tambunan' is 'Gayus Halomoan P. Tambunan' (its words in the same order, first and last word kept), when
    only one longer name fits."""
    merged: list[PersonFound] = []
    for person in sorted(people, key=lambda p: -len(p.name_tokens)):
        owners = [p for p in merged if len(p.name_tokens) > len(person.name_tokens) and _short_form_of(person, p)]
        if len(owners) == 1:
            owner = owners[0]
            owner.mentions.extend(person.mentions)
            owner.rank = owner.rank or person.rank
            if owner.position is None:
                owner.position, owner.post = person.position, person.post
            continue
        merged.append(person)
    merged.sort(key=lambda p: min(p.mentions))
    return merged


def complete_names(annotated: Annotated, people: list[PersonFound]) -> None:
    """A person known by a short form ("kata Judha", "Aveiro", "Ortega-Salinas") whose full name the text writes
    somewhere ("Judha Nugraha", "Katiua Aveiro", "Delflorintus M. Wee", "Ramon Ortega-Salinas") takes the full
    name: the short form with the name words around it (``names.is_name_part``, initials with their dot, double
    names), when every longer form the text writes is one name and no other person has it."""
    doc = annotated.doc
    known = {p.key for p in people}
    texts = annotated.texts
    for person in people:
        if len(person.name.split()) > 2:
            continue
        forms: dict[str, tuple[int, int]] = {}
        one_word = " " not in person.name  # "Aveiro", "Ortega-Salinas": may take a first name before it
        for start, end in _occurrences(annotated, person.name):
            while end < len(doc) and end - start < MAX_NAME_WORDS:
                if _name_word_at(annotated, end):
                    end += 2 if _is_initial(annotated, end) else 1
                elif end + 1 < len(doc) and glued_hyphen(annotated, end) and is_name_part(annotated, end + 1):
                    end += 2  # "Victor Mendoza-Aguilar"
                else:
                    break
            # one word before at most: "Katiua Aveiro"; further back the words may be a club or a country
            if one_word and start > 1 and _bare_initial(texts[start - 1]) and is_name_part(annotated, start - 2):
                start -= 2  # "Yasonna H Laoly", "Dani M Nursalam": a first name and an initial without its dot
            elif one_word and start > 0 and end - start < MAX_NAME_WORDS and is_name_part(annotated, start - 1) \
                    and texts[start - 1].casefold() not in family_words() and not _sentence_start(annotated, start - 1):
                start -= 1
            forms.setdefault(annotated.text(start, end), (start, end))
        forms.pop(person.name, None)
        longest = max(forms, key=lambda form: len(form.split()), default=None)
        if longest is None or not all(_written_short(form, longest) for form in forms):
            continue  # two different full names with this word: which one is meant is unknown
        name, (start, end) = longest, forms[longest]
        if name.casefold() in known:
            continue
        person.name = name
        person.name_tokens = tuple(t.text for t in doc[start:end] if t.text not in (".", "-"))
        person.mentions.append((start, end))
        known.add(name.casefold())


def _occurrences(annotated: Annotated, name: str) -> list[tuple[int, int]]:
    r"""Token spans where ``name`` is written as a whole word or words: the matches of
    ``(?<!\w)<name>(?!\w)``, found by substring search (a pattern per name cost a regex compile per person
    of every article)."""
    source = annotated.source
    if not name:
        return []
    found: list[tuple[int, int]] = []
    size = len(source)
    pos = source.find(name)
    while pos != -1:
        end = pos + len(name)
        # \w of a str pattern: a character that is alphanumeric (str.isalnum) or "_"
        if (pos == 0 or not _is_word_char(source[pos - 1])) and (end == size or not _is_word_char(source[end])):
            span = annotated.doc.char_span(pos, end)
            if span is not None:
                found.append((span.start, span.end))
            pos = source.find(name, end)  # matches do not overlap
        else:
            pos = source.find(name, pos + 1)
    return found


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _written_short(form: str, full: str) -> bool:
    """"Yasonna Laoly" and "Ortega-Salinas" are short forms of "Yasonna H. Laoly" and "Ramon Ortega-Salinas": the
    same last word, its words in order."""
    words, whole = form.replace(".", " ").split(), full.replace(".", " ").split()
    return words[-1] == whole[-1] and _in_order(words, whole)


def merge_aliases(annotated: Annotated, people: list[PersonFound]) -> list[PersonFound]:
    """A person found under the alias the text gives right after a full name is that person: "Roslan Yusni Hasan
    atau Ryu Hasan", "Budi Waseso (Buwas)", "Ahmad Heryawan alias Aher", "... yang akrab disapa Vita"."""
    doc = annotated.doc
    openers = lexicon().alias_openers
    by_name = {p.key: p for p in people}
    merged: set[str] = set()
    for person in people:
        if person.key in merged:
            continue
        for _, end in list(person.mentions):
            cursor = end
            if cursor < len(doc) and annotated.texts[cursor] == "(":
                cursor += 1
            else:
                words = [t.lower_ for t in doc[cursor:cursor + 3]]
                width = next((n for n in (3, 2, 1) if " ".join(words[:n]) in openers), 0)
                if not width:
                    continue
                cursor += width
            alias_end = cursor
            while alias_end < len(doc) and alias_end - cursor < 3 and annotated.texts[alias_end][:1].isupper() \
                    and doc[alias_end].is_alpha:
                alias_end += 1
            alias = by_name.get(annotated.text(cursor, alias_end).casefold()) if alias_end > cursor else None
            if alias is None or alias is person or alias.key in merged \
                    or (alias.rank is not None and person.rank is not None):
                continue
            person.mentions.extend(alias.mentions)
            person.rank = person.rank or alias.rank
            if person.position is None:
                person.position, person.post = alias.position, alias.post
            merged.add(alias.key)
    return [p for p in people if p.key not in merged]


def _is_initial(annotated: Annotated, index: int) -> bool:
    """An initial written as a letter and a dot, in one token ("H.") or two ("H" "."): count both as two tokens
    wide by returning True for the letter only when the dot is a token of its own."""
    doc = annotated.doc
    return len(annotated.texts[index]) == 1 and annotated.texts[index].isupper() and index + 1 < len(doc) \
        and annotated.texts[index + 1] == "."


def _bare_initial(text: str) -> bool:
    return len(text) == 1 and text.isupper()


_INITIALS_TOKEN = re.compile(r"[A-Z]\.(?:[A-Z]\.?)?|[A-Z]\.[A-Z]")


def _is_initial_token(annotated: Annotated, index: int) -> bool:
    """One token of initials with their dots: "H.", "I.S", "A.S."."""
    return _INITIALS_TOKEN.fullmatch(annotated.texts[index]) is not None


def _name_word_at(annotated: Annotated, index: int) -> bool:
    return _is_initial(annotated, index) or _is_initial_token(annotated, index) or is_name_part(annotated, index) \
        or _middle_initials(annotated, index) or _inner_particle(annotated, index)


def _inner_particle(annotated: Annotated, index: int) -> bool:
    """A particle between two name words: "Angelo Da Costa", "Ahmad bin Umar"."""
    texts = annotated.texts
    return texts[index].casefold() in vocabulary().particles and index + 1 < len(texts) \
        and is_name_part(annotated, index + 1)


def _middle_initials(annotated: Annotated, index: int) -> bool:
    """Initials of middle names between two name words, without dots: "Bambang PS Brodjonegoro"."""
    texts = annotated.texts
    text = texts[index]
    return 1 < len(text) <= 3 and text.isalpha() and text.isupper() and index + 1 < len(texts) \
        and is_name_part(annotated, index + 1) and index not in annotated.places


def _sentence_start(annotated: Annotated, index: int) -> bool:
    """A capitalised word opening a sentence or line is no evidence of a name ("Pelatih Aveiro ...")."""
    if index == 0:
        return True
    before = annotated.texts[index - 1]
    return before in (".", "!", "?", "\"", "“") or before.isspace()


def _short_form_of(short: PersonFound, full: PersonFound) -> bool:
    words = short.name_tokens
    if len(words) == 1:
        return words[0] in full.name_tokens
    return words[0] == full.name_tokens[0] and words[-1] == full.name_tokens[-1] and _in_order(words, full.name_tokens)


def _in_order(words: Sequence[str], whole: Sequence[str]) -> bool:
    """Whether every one of ``words`` appears in ``whole``, in the same order."""
    position = 0
    for word in words:
        try:
            position = whole.index(word, position) + 1
        except ValueError:
            return False
    return True


def add_later_mentions(annotated: Annotated, people: list[PersonFound]) -> None:
    doc = annotated.doc
    taken = {i for p in people for s, e in p.mentions for i in range(s, e)}
    owners: dict[str, list[PersonFound]] = {}
    for person in people:
        for token in set(person.name_tokens):
            owners.setdefault(token, []).append(person)
    if not owners:  # no one named: nothing to find again (most articles without people)
        return
    texts = annotated.texts
    for start in [i for i, text in enumerate(texts) if text in owners]:  # the few words of a name, in order
        text = texts[start]
        if start in taken or len(text) < MIN_SHORT_MENTION_CHARS:
            continue
        candidates = owners.get(text)
        if candidates is None or len(candidates) != 1:
            continue
        person = candidates[0]
        end = start + 1
        # take in the rest of the name when written out ('Ahmad Hardi' after 'Kalapas ... Kasongan')
        while end < len(doc) and texts[end] in person.name_tokens and end not in taken:
            end += 1
        rank_before = next((s for s, (e, _) in annotated.ranks.items() if e == start), None)
        person.mentions.append((rank_before if rank_before is not None else start, end))
        taken.update(range(start, end))
    by_post: dict[int, list[PersonFound]] = {}
    for person in people:
        if person.post is not None and not person.post.generic:
            by_post.setdefault(person.post.key, []).append(person)
    for start, (post_end, post) in annotated.posts.items():
        holders = by_post.get(post.key)
        if start in taken or holders is None or len(holders) != 1 or not annotated.texts[start][:1].isupper():
            continue
        holder = holders[0]
        end = extend_position(annotated, start)
        written = annotated.text(start, end).casefold()
        position = annotated.text(*holder.position).casefold() if holder.position else ""
        if end == post_end or written == position:
            holder.mentions.append((start, end))
            taken.update(range(start, end))
    for person in people:
        spans = sorted(set(person.mentions), key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int]] = []
        for span in spans:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        person.mentions = kept
