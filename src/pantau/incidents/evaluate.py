"""How well articles are grouped into incidents, against hand-labelled groups.

Labels (``bench/incidents/labels.json``) name, for each incident, the articles that report it. Only
labelled articles are scored: an unlabelled article is neither a positive nor a negative. Figures:
pairwise precision and recall (over pairs of labelled articles put in one incident), B-cubed
precision, recall and F1 (per article, the share of its predicted group that is truly its event and
the share of its event found in its group), and how many hard-negative pairs were wrongly joined.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from pantau.incidents.group import group_profiles
from pantau.incidents.match import MatchConfig
from pantau.incidents.profile import profile_of
from pantau.record import Article
from pantau.store.stories import DEFAULT_THRESHOLD, signature


@dataclass
class GroupingReport:
    articles: int
    incidents: int
    pairs_true: int
    pairs_predicted: int
    pairs_correct: int
    bcubed_precision: float
    bcubed_recall: float
    hard_negatives: int
    hard_negatives_joined: list[tuple[str, str]] = field(default_factory=list)
    false_joins: list[tuple[str, str]] = field(default_factory=list)  # article ids wrongly put together
    missed_joins: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.pairs_correct / self.pairs_predicted if self.pairs_predicted else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_correct / self.pairs_true if self.pairs_true else 1.0

    @property
    def bcubed_f1(self) -> float:
        p, r = self.bcubed_precision, self.bcubed_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"articles": self.articles, "incidents": self.incidents, "pairwise_precision": self.precision,
                "pairwise_recall": self.recall, "pairs_true": self.pairs_true,
                "pairs_predicted": self.pairs_predicted, "bcubed_precision": self.bcubed_precision,
                "bcubed_recall": self.bcubed_recall, "bcubed_f1": self.bcubed_f1,
                "hard_negatives": self.hard_negatives, "hard_negatives_joined": self.hard_negatives_joined,
                "false_joins": self.false_joins, "missed_joins": self.missed_joins}


def load_labels(path: str | Path) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("incidents"), dict):
        raise ValueError(f"{path}: not an incident label file (no 'incidents' object)")
    return data


def truth_of(labels: dict[str, Any]) -> dict[str, str]:
    """Article id -> incident label."""
    truth: dict[str, str] = {}
    for label, incident in labels["incidents"].items():
        for article in incident["articles"]:
            if article in truth:
                raise ValueError(f"article {article} is labelled twice ({truth[article]}, {label})")
            truth[article] = label
    return truth


def score_grouping(predicted: dict[str, str], labels: dict[str, Any]) -> GroupingReport:
    """Score ``predicted`` (article id -> incident id; an article missing from it stands alone)."""
    truth = truth_of(labels)
    articles = sorted(truth)
    group = {a: predicted.get(a, f"alone:{a}") for a in articles}
    true_pairs = {(a, b) for a, b in combinations(articles, 2) if truth[a] == truth[b]}
    predicted_pairs = {(a, b) for a, b in combinations(articles, 2) if group[a] == group[b]}
    members_true: dict[str, set[str]] = {}
    members_predicted: dict[str, set[str]] = {}
    for a in articles:
        members_true.setdefault(truth[a], set()).add(a)
        members_predicted.setdefault(group[a], set()).add(a)
    precision = recall = 0.0
    for a in articles:
        mine, right = members_predicted[group[a]], members_true[truth[a]]
        precision += len(mine & right) / len(mine)
        recall += len(mine & right) / len(right)
    joined = []
    negatives = labels.get("hard_negatives", [])
    for left, right, *_ in negatives:
        left_groups = {group[a] for a in members_true.get(left, ())}
        right_groups = {group[a] for a in members_true.get(right, ())}
        if left_groups & right_groups:
            joined.append((left, right))
    return GroupingReport(
        articles=len(articles), incidents=len(members_true), pairs_true=len(true_pairs),
        pairs_predicted=len(predicted_pairs), pairs_correct=len(true_pairs & predicted_pairs),
        bcubed_precision=precision / len(articles) if articles else 1.0,
        bcubed_recall=recall / len(articles) if articles else 1.0,
        hard_negatives=len(negatives), hard_negatives_joined=joined,
        false_joins=sorted(predicted_pairs - true_pairs), missed_joins=sorted(true_pairs - predicted_pairs))


def _stories(signatures: list[np.ndarray], threshold: float = DEFAULT_THRESHOLD) -> list[int]:
    """Each signature's story as the store assigns it: the most similar earlier one's, if similar enough."""
    stories: list[int] = []
    matrix = np.vstack(signatures) if signatures else np.empty((0, 0))
    for i, values in enumerate(signatures):
        if i:
            scores = (matrix[:i] == values).mean(axis=1)
            best = int(np.argmax(scores))
            if scores[best] >= threshold:
                stories.append(stories[best])
                continue
        stories.append(i)
    return stories


def group_articles(articles: Iterable[Article], config: MatchConfig | None = None) -> dict[str, str]:
    """Article id -> incident id, grouping ``articles`` in order as an ingest would (stories included)."""
    articles = list(articles)
    signatures = [signature(f"{a.title or ''}\n{a.body}") for a in articles]
    profiles = [profile_of(a, signature=values, story=story)
                for a, values, story in zip(articles, signatures, _stories(signatures), strict=True)]
    catalog = group_profiles(profiles, config)
    return {article: str(incident) for article, incident in catalog.of_article.items()}


def evaluate_grouping(labels: dict[str, Any], articles: Iterable[Article],
                      config: MatchConfig | None = None) -> GroupingReport:
    """Group ``articles`` (every labelled one must be among them) and score against ``labels``."""
    articles = list(articles)
    missing = set(truth_of(labels)) - {a.id for a in articles}
    if missing:
        raise ValueError(f"{len(missing)} labelled article(s) not in the input, e.g. {sorted(missing)[:3]}")
    return score_grouping(group_articles(articles, config), labels)
