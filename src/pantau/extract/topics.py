"""Story topics: a fixed, documented multi-label taxonomy scored from weighted cue phrases.

Why cue scoring and not a trained model: pantau has no labelled training corpus, the taxonomy must
be reviewable by people who read Indonesian but not Python, and every decision must be explainable
("prison because: lapas x4, warga binaan, sipir"). The taxonomy, its labels, descriptions, cue
weights and thresholds live in ``data/topics.toml``; the method and its measured precision/recall
are in ``docs/topics.md``.

Matching is on whole words, longest phrase first and without overlap, so a phrase shadows the words
inside it: "Wilayah Bebas Korupsi" is integrity evidence, not corruption evidence, and the regency
"Sabu Raijua" (a [neutral] phrase) is not drug evidence. Repeats count logarithmically and the body
score is normalised by the square root of its length, so that a long story does not gain topics
from passing mentions; the title counts ``title_weight`` times.

Two kinds of evidence are statements rather than hints, and one occurrence is enough: a cue weighted at
least the topic's threshold ("viral di media sosial", "sempat viral"), and, for a topic with a
``together`` section (interagency), agencies named acting together in one sentence ("bersama aparat
TNI", "bekerja sama dengan Kominfo", "berkoordinasi dengan Satresnarkoba"): a joint-action word
followed closely by an agency, in a story that names agencies of at least two kinds.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from pantau.extract.lexicon import positions
from pantau.vocab import load_toml

OTHER = "other"
NEUTRAL = ""
_WORD = re.compile(r"\w+(?:-\w+)*")
# Words, and sentence ends as tokens of their own ("." before space or end, a line break).
_TOKEN = re.compile(r"\w+(?:-\w+)*|[.!?](?=[\"”’)]*(?:\s|$))|\n")
_BREAKS = frozenset({".", "!", "?", "\n"})
# One to three words in single quote marks: a word mentioned, not used -- a label or an insult
# ("diteriaki 'teroris'"), a nickname, a metaphor. Not a cue. Double quotes are left alone: they also
# report a charge as worded ("dihukum mati atas \"terorisme\""), which is the story's topic.
# (The opening mark comes first and the look-behind after it, so the search jumps from quote mark to quote mark.)
_MENTION = re.compile(r"['‘](?<![\w'‘]['‘])[\w-]+(?:[ ][\w-]+){0,2}['’](?![\w'’])")


@dataclass(frozen=True)
class Topic:
    """One taxonomy entry, as documented in ``data/topics.toml``."""

    key: str
    label_id: str
    label_en: str
    description: str
    threshold: float
    min_distinct: int


@dataclass(frozen=True)
class _Phrases:
    """Phrases of whole words, looked up longest first by their first word."""

    keys: dict[tuple[str, ...], str]  # phrase -> its value (an agency's kind, or "")
    sizes: dict[str, tuple[int, ...]]  # first word -> phrase lengths starting with it, longest first

    @classmethod
    def of(cls, keys: dict[tuple[str, ...], str]) -> _Phrases:
        firsts = {p[0] for p in keys}
        return cls(keys, {f: tuple(sorted({len(p) for p in keys if p[0] == f}, reverse=True)) for f in firsts})

    def at(self, tokens: list[str], i: int) -> tuple[str, ...] | None:
        for size in self.sizes.get(tokens[i], ()):
            phrase = tuple(tokens[i:i + size])
            if phrase in self.keys:
                return phrase
        return None


@dataclass(frozen=True)
class _Together:
    """Agencies acting together: a joint-action word, then within ``window`` words an agency."""

    words: _Phrases
    agencies: _Phrases  # phrase -> the agency's kind ("police", "customs", ...)
    not_after: frozenset[str]  # a word that makes the agency after it a place ("ditahan di rutan")
    window: int
    weight: float
    min_kinds: int  # kinds of agency the story must name for the topic to apply at all


@dataclass(frozen=True)
class _Taxonomy:
    topics: tuple[Topic, ...]
    cues: dict[tuple[str, ...], tuple[tuple[str, float], ...]]  # phrase -> (topic, weight) pairs
    sizes: dict[str, tuple[int, ...]]  # first word -> phrase lengths starting with it, longest first
    title_weight: float
    reference_words: float
    min_sentences: int
    core_weight: float
    core_sentences: int
    together: dict[str, _Together]  # topic -> its joint-action evidence
    starts: frozenset[str] = frozenset()  # first words of the cue phrases and of the agencies: most words are none


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@cache
def _taxonomy() -> _Taxonomy:
    data = load_toml("topics")
    settings = data["settings"]
    topics = []
    cues: dict[tuple[str, ...], list[tuple[str, float]]] = {}
    for key, spec in data["topics"].items():
        topics.append(Topic(
            key=key,
            label_id=spec["label_id"],
            label_en=spec["label_en"],
            description=" ".join(spec["description"].split()),
            threshold=float(spec.get("threshold", settings["default_threshold"])),
            min_distinct=int(spec.get("min_distinct", settings["default_min_distinct"])),
        ))
        for phrase, weight in spec["cues"].items():
            cues.setdefault(tuple(_words(phrase)), []).append((key, float(weight)))
    for phrase in data["neutral"]["phrases"]:
        cues.setdefault(tuple(_words(phrase)), [(NEUTRAL, 0.0)])
    together = {key: _together(spec["together"]) for key, spec in data["topics"].items() if "together" in spec}
    return _Taxonomy(
        topics=tuple(topics),
        cues={phrase: tuple(pairs) for phrase, pairs in cues.items()},
        sizes={first: tuple(sorted({len(p) for p in cues if p[0] == first}, reverse=True))
               for first in {p[0] for p in cues}},
        title_weight=float(settings["title_weight"]),
        reference_words=float(settings["reference_words"]),
        min_sentences=int(settings["min_sentences"]),
        core_weight=float(settings["core_weight"]),
        core_sentences=int(settings["core_sentences"]),
        together=together,
        starts=frozenset({p[0] for p in cues}.union(*(t.agencies.sizes for t in together.values()))),
    )


def _together(spec: dict[str, Any]) -> _Together:
    agencies = {tuple(_words(form)): kind for kind, forms in spec["agencies"].items() for form in forms}
    return _Together(
        words=_Phrases.of({tuple(_words(w)): "" for w in spec["words"]}),
        agencies=_Phrases.of(agencies),
        not_after=frozenset(spec["not_after"]),
        window=int(spec["window"]),
        weight=float(spec["weight"]),
        min_kinds=int(spec["min_kinds"]),
    )


def taxonomy() -> tuple[Topic, ...]:
    """The topics in their documented order ("other" is implicit: nothing else applies)."""
    return _taxonomy().topics


def _sentences(tokens: list[str]) -> list[list[str]]:
    """The words of each sentence (break tokens split them)."""
    ends = [i for i, token in enumerate(tokens) if token in _BREAKS]
    starts = [0, *(i + 1 for i in ends)]
    ends.append(len(tokens))
    return [tokens[start:end] for start, end in zip(starts, ends, strict=True) if end > start]


def _cues(sentence: list[str], taxonomy: _Taxonomy) -> Counter[tuple[str, ...]]:
    """Cue phrase occurrences in a sentence: longest phrase first, no overlaps."""
    found: Counter[tuple[str, ...]] = Counter()
    sizes, cues = taxonomy.sizes, taxonomy.cues
    free = 0  # words before it are inside a phrase found
    for i in [i for i, word in enumerate(sentence) if word in sizes]:  # a phrase starts at one of its first words
        if i < free:
            continue
        for size in sizes[sentence[i]]:
            phrase = tuple(sentence[i:i + size])
            if phrase in cues:
                found[phrase] += 1
                free = i + size
                break
    return found


def _break_positions(tokens: list[str]) -> list[int]:
    """Where the break tokens are, in order (``list.index`` scans in C; a story has a few dozen breaks and
    hundreds of words)."""
    return sorted(i for mark in _BREAKS for i in positions(tokens, mark))


def _body_cues(tokens: list[str], taxonomy: _Taxonomy, starts: list[int] | None = None,
               breaks: list[int] | None = None) -> list[tuple[tuple[str, ...], int]]:
    """``_cues`` of each sentence of ``tokens`` (``_sentences``) in one pass over the tokens: each cue phrase found,
    in text order, with the index of its sentence among the sentences ``_sentences`` gives. No phrase holds a
    break token, so a phrase found in the whole list lies inside one sentence, and one that ends a sentence
    frees the words after it as the end of the sentence does. ``starts``: the tokens that are a word of
    ``taxonomy.starts``, ``breaks``: ``_break_positions``, when the caller has them."""
    sizes, cues = taxonomy.sizes, taxonomy.cues
    if starts is None:
        starts = [i for i, word in enumerate(tokens) if word in taxonomy.starts]
    if breaks is None:
        breaks = _break_positions(tokens)
    closers = [i for i in breaks if i and tokens[i - 1] not in _BREAKS]  # the breaks that end a sentence
    found: list[tuple[tuple[str, ...], int]] = []
    free = 0  # words before it are inside a phrase found
    for i in starts:  # a phrase starts at one of its first words
        if i < free or tokens[i] not in sizes:
            continue
        for size in sizes[tokens[i]]:
            phrase = tuple(tokens[i:i + size])
            if phrase in cues:
                found.append((phrase, bisect_left(closers, i)))  # the sentences closed before it
                free = i + size
                break
    return found


def _agency_kinds(token_lists: list[tuple[list[str], list[int]]], together: _Together) -> set[str]:
    """The kinds of agency named in the tokens (of the body and the title), each list with the positions of its
    words of ``_Taxonomy.starts`` (a phrase can start only at one of its first words): no agency phrase holds a
    break token, so each list is read whole rather than sentence by sentence."""
    kinds = set()
    firsts = together.agencies.sizes
    for tokens, starts in token_lists:
        for i in starts:
            if tokens[i] in firsts and (agency := together.agencies.at(tokens, i)) is not None:
                kinds.add(together.agencies.keys[agency])
    return kinds


def _acting_together(sentence: list[str], together: _Together, kinds: set[str]) -> str | None:
    """The first joint-action word of ``sentence`` followed within the window by an agency, as
    "<word> … <agency>"; the agency must not be the story's only kind of agency."""
    firsts = together.words.sizes
    for i, first in enumerate(sentence):
        if first not in firsts or (word := together.words.at(sentence, i)) is None:
            continue
        start = i + len(word)
        for j in range(start, min(len(sentence), start + together.window)):
            agency = together.agencies.at(sentence, j)
            if agency is None or (j > 0 and sentence[j - 1] in together.not_after):
                continue
            if kinds - {together.agencies.keys[agency]}:
                return f"{' '.join(word)} … {' '.join(agency)}"
    return None


@dataclass(frozen=True)
class Evidence:
    """Why a topic scored what it did: its score and how widely its cues are spread."""

    score: float
    distinct: int  # distinct cue phrases in title and body
    sentences: int  # body sentences with at least one cue
    core_sentences: int  # most body sentences any single core cue (weight >= core_weight) appears in
    in_title: bool
    cues: tuple[str, ...]  # the cue phrases found, for explanations
    statement: bool = False  # a cue weighted at least the threshold, or agencies acting together
    agency_kinds: int | None = None  # kinds of agency the story names, for a topic with a together section


@cache
def _no_evidence(agency_kinds: int | None) -> Evidence:
    """The evidence of a topic nothing was found for (what ``topic_evidence`` builds then, made once: a frozen
    record of eight fields costs about as much to build as a story's cue look-ups)."""
    return Evidence(score=0.0, distinct=0, sentences=0, core_sentences=0, in_title=False, cues=(), statement=False,
                    agency_kinds=agency_kinds)


def topic_evidence(title: str | None, body: str) -> dict[str, Evidence]:
    """Per topic evidence; exposed for evaluation (bench/eval_topics.py) and explanations."""
    tax = _taxonomy()
    tokens = _TOKEN.findall(_MENTION.sub(" ", body).lower())
    title_tokens = _TOKEN.findall(_MENTION.sub(" ", title).lower()) if title else []
    title_sentences = _sentences(title_tokens)
    starts = [i for i, word in enumerate(tokens) if word in tax.starts]
    breaks = _break_positions(tokens)
    found_cues = _body_cues(tokens, tax, starts, breaks)
    body_cues = Counter(phrase for phrase, _ in found_cues)  # in the order of first occurrence
    phrase_sentences = Counter(phrase for phrase, _ in dict.fromkeys(found_cues))  # sentences each phrase occurs in
    topic_sentences: dict[str, set[int]] = {}  # the body sentences with a cue of each topic
    for phrase, index in found_cues:
        for key, _ in tax.cues[phrase]:
            topic_sentences.setdefault(key, set()).add(index)
    title_cues: set[tuple[str, ...]] = set()
    for sentence in title_sentences:
        title_cues.update(_cues(sentence, tax))
    words = len(tokens) - len(breaks)
    norm = max(1.0, math.sqrt(words / tax.reference_words))
    scores: dict[str, float] = {}
    found: dict[str, dict[str, float]] = {}  # topic -> its cue phrases found, with weights
    in_title: set[str] = set()
    for phrase, count in body_cues.items():
        for key, weight in tax.cues[phrase]:
            scores[key] = scores.get(key, 0.0) + weight * (1 + math.log(count)) / norm
            found.setdefault(key, {})[" ".join(phrase)] = weight
    for phrase in title_cues:
        for key, weight in tax.cues[phrase]:
            scores[key] = scores.get(key, 0.0) + tax.title_weight * weight
            found.setdefault(key, {})[" ".join(phrase)] = weight
            in_title.add(key)
    kinds_named: dict[str, int] = {}
    sentences: list[list[str]] | None = None  # split only for a story that names two kinds of agency
    title_starts = [i for i, word in enumerate(title_tokens) if word in tax.starts]
    for key, together in tax.together.items():
        kinds = _agency_kinds([(tokens, starts), (title_tokens, title_starts)], together)
        kinds_named[key] = len(kinds)
        if len(kinds) < 2:
            continue
        if sentences is None:
            sentences = _sentences(tokens)
        joint = {i: cue for i, sentence in enumerate(sentences) if (cue := _acting_together(sentence, together, kinds))}
        if joint:
            # A statement, not a hint: weighted like a title cue, not shrunk by the story's length.
            scores[key] = scores.get(key, 0.0) + together.weight * (1 + math.log(len(joint)))
            found.setdefault(key, {}).update(dict.fromkeys(joint.values(), together.weight))
            topic_sentences.setdefault(key, set()).update(joint)
    evidence = {}
    for topic in tax.topics:
        if topic.key not in scores and topic.key not in found and topic.key not in topic_sentences \
                and topic.key not in in_title:  # most topics of a story: nothing found, the same record each time
            evidence[topic.key] = _no_evidence(kinds_named.get(topic.key))
            continue
        weights = found.get(topic.key, {})
        core = max((phrase_sentences[tuple(p.split())] for p, w in weights.items() if w >= tax.core_weight),
                   default=0)
        evidence[topic.key] = Evidence(
            score=scores.get(topic.key, 0.0), distinct=len(weights),
            sentences=len(topic_sentences.get(topic.key, ())), core_sentences=core,
            in_title=topic.key in in_title, cues=tuple(sorted(weights)),
            statement=any(w >= topic.threshold for w in weights.values()),
            agency_kinds=kinds_named.get(topic.key),
        )
    return evidence


def _qualifies(topic: Topic, evidence: Evidence, tax: _Taxonomy) -> bool:
    together = tax.together.get(topic.key)
    if together is not None and (evidence.agency_kinds or 0) < together.min_kinds:
        return False
    if evidence.statement:
        return True
    if evidence.score < topic.threshold:
        return False
    spread = evidence.distinct >= topic.min_distinct and evidence.sentences >= tax.min_sentences
    return evidence.in_title or spread or evidence.core_sentences >= tax.core_sentences


def classify_topics(title: str | None, body: str) -> list[str]:
    """Topic keys of a story, most salient first; ``["other"]`` when no topic has enough evidence.

    A topic needs a statement (a cue weighted at least its threshold, or agencies named acting
    together), or its threshold score and evidence that is more than one word or one sentence: a cue
    in the title (a headline is a deliberate statement of what the story is about), several distinct
    cues across sentences, or its core term repeated through the story.
    """
    tax = _taxonomy()
    evidence = topic_evidence(title, body)
    order = {t.key: i for i, t in enumerate(tax.topics)}
    chosen = [t.key for t in tax.topics if _qualifies(t, evidence[t.key], tax)]
    chosen.sort(key=lambda key: (-evidence[key].score, order[key]))
    return chosen or [OTHER]
