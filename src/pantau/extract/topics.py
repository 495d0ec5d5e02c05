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
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from pantau.vocab import load_toml

OTHER = "other"
NEUTRAL = ""
_WORD = re.compile(r"\w+(?:-\w+)*")
# Words, and sentence ends as tokens of their own ("." before space or end, a line break).
_TOKEN = re.compile(r"\w+(?:-\w+)*|[.!?](?=[\"”’)]*(?:\s|$))|\n")
_BREAKS = frozenset({".", "!", "?", "\n"})


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
class _Taxonomy:
    topics: tuple[Topic, ...]
    cues: dict[tuple[str, ...], tuple[tuple[str, float], ...]]  # phrase -> (topic, weight) pairs
    sizes: dict[str, tuple[int, ...]]  # first word -> phrase lengths starting with it, longest first
    title_weight: float
    reference_words: float
    min_sentences: int
    core_weight: float
    core_sentences: int


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
    )


def taxonomy() -> tuple[Topic, ...]:
    """The topics in their documented order ("other" is implicit: nothing else applies)."""
    return _taxonomy().topics


def _cue_sentences(tokens: list[str], taxonomy: _Taxonomy) -> list[Counter[tuple[str, ...]]]:
    """Cue phrase occurrences per sentence: longest phrase first, no overlaps, never across a
    sentence end (a break token matches no phrase)."""
    sentences: list[Counter[tuple[str, ...]]] = [Counter()]
    sizes = taxonomy.sizes
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        if token not in sizes:
            if token in _BREAKS and sentences[-1]:
                sentences.append(Counter())
            i += 1
            continue
        for size in sizes[token]:
            phrase = tuple(tokens[i:i + size])
            if phrase in taxonomy.cues:
                sentences[-1][phrase] += 1
                i += size
                break
        else:
            i += 1
    return [s for s in sentences if s]


@dataclass(frozen=True)
class Evidence:
    """Why a topic scored what it did: its score and how widely its cues are spread."""

    score: float
    distinct: int  # distinct cue phrases in title and body
    sentences: int  # body sentences with at least one cue
    core_sentences: int  # most body sentences any single core cue (weight >= core_weight) appears in
    in_title: bool
    cues: tuple[str, ...]  # the cue phrases found, for explanations


def topic_evidence(title: str | None, body: str) -> dict[str, Evidence]:
    """Per topic evidence; exposed for evaluation (bench/eval_topics.py) and explanations."""
    tax = _taxonomy()
    tokens = _TOKEN.findall(body.lower())
    body_cues: Counter[tuple[str, ...]] = Counter()
    phrase_sentences: Counter[tuple[str, ...]] = Counter()  # sentences each phrase occurs in
    topic_sentences: Counter[str] = Counter()  # sentences with a cue of each topic
    for cues in _cue_sentences(tokens, tax):
        body_cues.update(cues)
        phrase_sentences.update(cues.keys())
        topic_sentences.update({key for phrase in cues for key, _ in tax.cues[phrase]})
    title_cues: set[tuple[str, ...]] = set()
    for cues in _cue_sentences(_TOKEN.findall(title.lower()), tax) if title else ():
        title_cues.update(cues)
    words = len(tokens) - sum(1 for t in tokens if t in _BREAKS)
    norm = max(1.0, math.sqrt(words / tax.reference_words))
    scores: dict[str, float] = {}
    found: dict[str, dict[tuple[str, ...], float]] = {}  # topic -> its cue phrases found, with weights
    in_title: set[str] = set()
    for phrase, count in body_cues.items():
        for key, weight in tax.cues[phrase]:
            scores[key] = scores.get(key, 0.0) + weight * (1 + math.log(count)) / norm
            found.setdefault(key, {})[phrase] = weight
    for phrase in title_cues:
        for key, weight in tax.cues[phrase]:
            scores[key] = scores.get(key, 0.0) + tax.title_weight * weight
            found.setdefault(key, {})[phrase] = weight
            in_title.add(key)
    evidence = {}
    for topic in tax.topics:
        weights = found.get(topic.key, {})
        core = max((phrase_sentences[p] for p, w in weights.items() if w >= tax.core_weight), default=0)
        evidence[topic.key] = Evidence(
            score=scores.get(topic.key, 0.0), distinct=len(weights), sentences=topic_sentences[topic.key],
            core_sentences=core, in_title=topic.key in in_title, cues=tuple(sorted(" ".join(p) for p in weights)),
        )
    return evidence


def _qualifies(topic: Topic, evidence: Evidence, tax: _Taxonomy) -> bool:
    if evidence.score < topic.threshold:
        return False
    spread = evidence.distinct >= topic.min_distinct and evidence.sentences >= tax.min_sentences
    return evidence.in_title or spread or evidence.core_sentences >= tax.core_sentences


def classify_topics(title: str | None, body: str) -> list[str]:
    """Topic keys of a story, most salient first; ``["other"]`` when no topic has enough evidence.

    A topic needs its threshold score and evidence that is more than one word or one sentence: a cue
    in the title (a headline is a deliberate statement of what the story is about), several distinct
    cues across sentences, or its core term repeated through the story.
    """
    tax = _taxonomy()
    evidence = topic_evidence(title, body)
    order = {t.key: i for i, t in enumerate(tax.topics)}
    chosen = [t.key for t in tax.topics if _qualifies(t, evidence[t.key], tax)]
    chosen.sort(key=lambda key: (-evidence[key].score, order[key]))
    return chosen or [OTHER]
