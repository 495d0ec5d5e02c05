"""Do two written names name one person? Officers and people named in two reports, compared for incident matching.

Reports spell names differently ("Johan Budi SP" / "Johan Budi Sapto Pribowo", "Andres" / "Andreas"), so two
forms are one person when the shorter's words are found in order in the longer, each the word itself (at most
one misspelt) or its initials. Grouping compares a window's officers with every article of their province:
the comparisons are remembered within a writer's batch (``forget`` empties them), and name sets with no first
word in common are settled without comparing names (``first_word_keys``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache


def _close(x: str, y: str) -> bool:
    """One word, or one misspelt by a letter added, dropped or changed ("Andres"/"Andreas",
    "Harkrisnowo"/"Haskrisnowo"); short words must be equal."""
    if x == y:
        return True
    if min(len(x), len(y)) < 5 or abs(len(x) - len(y)) > 1:
        return False
    if len(x) == len(y):
        return sum(p != q for p, q in zip(x, y, strict=True)) == 1
    short, long = (x, y) if len(x) < len(y) else (y, x)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@lru_cache(maxsize=1 << 16)  # the officers of a province meet each other in every comparison of its window
def same_person(x: str, y: str) -> bool:
    """Two written forms of one name: equal, or the shorter's words found in order in the longer, each
    the word itself (at most one misspelt), or its initials ("Johan Budi SP" / "Johan Budi Sapto Pribowo",
    "Fariz RM" / "Fariz Roestam Moenaf", "Victor E Simanjuntak", "Anniesa Hasibuan" / "Anniesa Desvitasari
    Hasibuan"). The first words must agree, and a one-word name matches only itself."""
    if x == y:
        return True
    short, long = sorted((x.split(), y.split()), key=len)
    if len(short) < 2 or not _close(short[0], long[0]):
        return False
    typos = int(short[0] != long[0])
    at = 1
    for word in short[1:]:
        if at >= len(long):
            return False
        for start in range(at, len(long)):
            if word == long[start] or (typos == 0 and _close(word, long[start])):
                typos += word != long[start]
                at = start + 1
                break
            if len(word) <= 3 and "".join(w[0] for w in long[start:start + len(word)]) == word:
                at = start + len(word)
                break
        else:
            return False
    return True


def shared_people(a: Iterable[str], b: Iterable[str]) -> int:
    """How many of the names in ``a`` name someone in ``b``."""
    others = list(b)
    count = 0
    # loops rather than sum(any(...)): called for most pairs of a window, where two generators a call cost
    # more than the one or two names compared
    for x in a:
        for y in others:
            if same_person(x, y):
                count += 1
                break
    return count


@lru_cache(maxsize=1 << 14)
def first_word_keys(names: frozenset[str]) -> frozenset[str]:
    """Keys that two names ``same_person`` could join share: each name's first word, and that word with one
    letter dropped (two words one letter added, dropped or changed apart share one of these)."""
    keys: set[str] = set()
    for name in names:
        words = name.split()
        first = words[0] if words else ""
        keys.add(first)
        if len(first) >= 5:  # _close: shorter first words must be equal
            keys.update(first[:i] + first[i + 1:] for i in range(len(first)))
    return frozenset(keys)


@lru_cache(maxsize=1 << 16)
def shared_count(a: frozenset[str], b: frozenset[str]) -> int:
    """``shared_people`` of two profiles' name sets, remembered: a window's officers meet every article of
    their province, and a frozenset keeps its hash, so a repeat costs one lookup. Sets whose names have no
    first word in common (``first_word_keys``), most pairs of a window, share no one without a name compared."""
    if first_word_keys(a).isdisjoint(first_word_keys(b)):
        return 0
    return shared_people(a, b)


def forget() -> None:
    """Empty the name comparisons remembered (``same_person``, ``shared_count``, ``first_word_keys``). They are worth
    keeping within a batch, where a window's officers meet every article; kept for the life of a writer, they
    filled to their bounds (about 40 MB of a long ingest's memory)."""
    same_person.cache_clear()
    shared_count.cache_clear()
    first_word_keys.cache_clear()
