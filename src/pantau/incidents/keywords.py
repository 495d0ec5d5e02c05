"""The rare words of an article's headline and lead: what names its event when its facts do not.

Outlets rewrite a release in their own words, so two reports of one event often share no sentence, yet
their headlines and leads keep the words that name the event: a kampung raided ("Boncos"), a district
("Brangsong"), the thing that happened ("patwal", "klakson", "mutilasi"), a foreign name the extractors do
not know. Those words are rare in Indonesian at large; the words every report of its kind uses are not
("polisi", "ditangkap"), and neither is the domain's own vocabulary, which is rare in general text but
common in police news ("satresnarkoba", "kalapas", "inkrah"): every word of pantau's vocabulary files is
left out, with the ``common`` words of ``data/incidents.toml`` ``[keywords]``. Region names (province,
regency) and the names of the article's people are left out too: places and people are evidence of their
own, and counting them twice would join two busts of one regency or two cases of one officer.

Rarity is a word's frequency in Indonesian from ``wordfreq`` (its bundled word list, no download). Words are
compared by their Sastrawi stem, so "membonceng" and "bonceng" are one word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from pantau.vocab import fold, load_toml, zipf

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class KeywordConfig:
    lead_chars: int
    min_length: int
    max_zipf: float  # a word at or above this frequency (vocab.zipf) is common
    excluded: frozenset[str]  # folded words and stems that never count


def _strings(value: Any) -> Iterable[str]:
    """Every string inside a parsed TOML value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@cache
def keyword_config() -> KeywordConfig:
    from pantau.regions import regions

    settings = load_toml("incidents")["keywords"]
    excluded: set[str] = set()
    for name in settings["vocabulary_files"]:
        for text in _strings(load_toml(name)):
            excluded.update(_WORD.findall(fold(text)))
    excluded.update(_WORD.findall(fold(" ".join(settings["common"]))))
    for region in regions().values():
        if len(region.code) <= 5:  # provinces and regencies; a district's name is a keyword (it is finer)
            excluded.update(_WORD.findall(fold(region.name)))
    excluded |= {_stem(word) for word in excluded}
    return KeywordConfig(lead_chars=settings["lead_chars"], min_length=settings["min_length"],
                         max_zipf=settings["max_zipf"], excluded=frozenset(excluded))


@lru_cache(maxsize=1 << 15)
def _stem(word: str) -> str:
    from pantau.extract.names import stemmer

    return str(stemmer().stem(word)) or word


def rare_words(title: str | None, body: str, people: Iterable[str] = (),
               config: KeywordConfig | None = None) -> frozenset[str]:
    """The stems of the rare words of ``title`` and the first ``lead_chars`` of ``body`` (see the module),
    leaving out the words of ``people``'s names."""
    config = config or keyword_config()
    names = {word for person in people for word in _WORD.findall(fold(person))}
    found: set[str] = set()
    for word in _WORD.findall(fold(f"{title or ''}\n{body[:config.lead_chars]}")):
        if (len(word) < config.min_length or word in config.excluded or word in names
                or zipf(word) >= config.max_zipf):
            continue
        stem = _stem(word)
        if stem not in config.excluded and zipf(stem) < config.max_zipf:
            found.add(stem)
    return frozenset(found)
