"""Scoring extracted records against a hand-checked gold file (the format of seeds/gold.json).

Single-valued fields (title, outlet, dateline, date) and checks (topics, body include/exclude,
rank, position, quote speaker) are scored by accuracy; lists (people, provinces, seizures,
statistics, quotes, legal references) by micro-averaged precision, recall and F1 over documents.
Every failing check is listed with its document id, so that a regression points at its cause.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pantau.record import Article

SCALAR_FIELDS = ("title", "outlet", "dateline", "date")


@dataclass(slots=True)
class Score:
    """Counts for one field: accuracy (correct/total) or set matching (tp/fp/fn)."""

    kind: str  # "accuracy" or "prf"
    correct: int = 0
    total: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    @property
    def passed(self) -> bool:
        if self.kind == "accuracy":
            return self.correct == self.total
        return self.fp == 0 and self.fn == 0

    def as_dict(self) -> dict[str, Any]:
        if self.kind == "accuracy":
            return {"kind": self.kind, "correct": self.correct, "total": self.total, "accuracy": self.accuracy}
        return {"kind": self.kind, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(slots=True)
class Failure:
    doc_id: str
    field: str
    expected: Any
    got: Any

    def as_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "field": self.field, "expected": self.expected, "got": self.got}


@dataclass(slots=True)
class Report:
    scores: dict[str, Score] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)

    def score(self, name: str, kind: str) -> Score:
        return self.scores.setdefault(name, Score(kind))

    def check(self, doc_id: str, name: str, ok: bool, expected: Any, got: Any) -> None:
        score = self.score(name, "accuracy")
        score.total += 1
        score.correct += ok
        if not ok:
            self.failures.append(Failure(doc_id, name, expected, got))

    def match_sets(self, doc_id: str, name: str, expected: Iterable[Hashable], got: Iterable[Hashable]) -> None:
        expected_set, got_set = set(expected), set(got)
        score = self.score(name, "prf")
        score.tp += len(expected_set & got_set)
        missed, extra = expected_set - got_set, got_set - expected_set
        score.fn += len(missed)
        score.fp += len(extra)
        for item in sorted(missed, key=repr):
            self.failures.append(Failure(doc_id, name, item, None))
        for item in sorted(extra, key=repr):
            self.failures.append(Failure(doc_id, name, None, item))

    def as_dict(self) -> dict[str, Any]:
        return {"scores": {k: v.as_dict() for k, v in self.scores.items()},
                "failures": [f.as_dict() for f in self.failures],
                "missing_documents": self.missing_documents}


def _norm(text: str | None) -> str:
    return " ".join((text or "").replace("“", '"').replace("”", '"').split()).casefold()


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _province_codes(article: Article) -> set[str]:
    codes = {loc.province_code or (loc.code or "").split(".")[0] for loc in article.locations}
    return {c for c in codes if c}


def _regency_codes(article: Article) -> set[str]:
    return {loc.code for loc in article.locations
            if loc.code and loc.level in ("regency", "city") and loc.code.count(".") == 1}


def _evaluate_people(report: Report, doc_id: str, gold: list[dict[str, Any]], article: Article) -> None:
    found = {_norm(p.name): p for p in article.people}
    report.match_sets(doc_id, "people", (_norm(p["name"]) for p in gold), found)
    for person in gold:
        match = found.get(_norm(person["name"]))
        if match is None:
            continue
        report.check(doc_id, "people.rank", match.rank == person.get("rank"),
                     f"{person['name']}: {person.get('rank')}", match.rank)
        report.check(doc_id, "people.position", _norm(match.position) == _norm(person.get("position")),
                     f"{person['name']}: {person.get('position')}", match.position)


def _evaluate_quotes(report: Report, doc_id: str, gold: list[dict[str, Any]], article: Article) -> None:
    def key_of(text: str, starts: list[str]) -> str:
        normalized = _norm(text).lstrip("\"' ")
        return next((s for s in starts if normalized.startswith(s)), normalized[:60])

    starts = [_norm(q["starts"]) for q in gold]
    got = {key_of(q.text, starts): q for q in article.quotes}
    report.match_sets(doc_id, "quotes", starts, got)
    for quote in gold:
        match = got.get(_norm(quote["starts"]))
        if match is not None:
            report.check(doc_id, "quotes.speaker", _norm(match.speaker) == _norm(quote["speaker"]),
                         f"{quote['starts'][:30]}…: {quote['speaker']}", match.speaker)


def evaluate(gold: dict[str, Any], articles: dict[str, Article]) -> Report:
    """Score ``articles`` (by id) against ``gold`` (the ``documents`` mapping of a gold file)."""
    report = Report()
    for doc_id, expected in gold.items():
        article = articles.get(doc_id)
        if article is None:
            report.missing_documents.append(doc_id)
            continue
        for name in SCALAR_FIELDS:
            if name in expected:
                got = getattr(article, name)
                ok = _norm(got) == _norm(expected[name]) if name == "title" else got == expected[name]
                report.check(doc_id, name, ok, expected[name], got)
        for topic in expected.get("topics_include", []):
            report.check(doc_id, "topics_include", topic in article.topics, topic, article.topics)
        for topic in expected.get("topics_exclude", []):
            report.check(doc_id, "topics_exclude", topic not in article.topics, f"not {topic}", article.topics)
        for text in expected.get("body_must_include", []):
            report.check(doc_id, "body_must_include", text in article.body, text, None)
        for text in expected.get("body_must_exclude", []):
            report.check(doc_id, "body_must_exclude", text not in article.body, f"not {text!r}", text)
        if "people" in expected:
            _evaluate_people(report, doc_id, expected["people"], article)
        names = {_norm(o.name) for o in article.organizations}
        for org in expected.get("organizations_include", []):
            report.check(doc_id, "organizations_include", _norm(org) in names, org,
                         sorted(o.name for o in article.organizations))
        if "province_codes" in expected:
            report.match_sets(doc_id, "province_codes", expected["province_codes"], _province_codes(article))
        if "regency_codes" in expected:
            report.match_sets(doc_id, "regency_codes", expected["regency_codes"], _regency_codes(article))
        _match_records(report, doc_id, "seizures", expected, article.seizures,
                       lambda s: (s["substance"], _number(s["quantity"]), s["unit"], s.get("qualifier"),
                                  s.get("period")))
        _match_records(report, doc_id, "statistics", expected, article.statistics,
                       lambda s: (s["measure"], s.get("subject"), s.get("period"), _number(s["value"])))
        _match_records(report, doc_id, "legal_refs", expected, article.legal_refs,
                       lambda s: (s["law"], s.get("article")))
        if "quotes" in expected:
            _evaluate_quotes(report, doc_id, expected["quotes"], article)
    return report


def _match_records(report: Report, doc_id: str, name: str, expected: dict[str, Any], got: list[Any],
                   key: Callable[[dict[str, Any]], tuple[Any, ...]]) -> None:
    if name not in expected:
        return
    report.match_sets(doc_id, name, (key(item) for item in expected[name]),
                      (key(item.model_dump()) for item in got))


def load_gold(path: str | Path) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    documents = data.get("documents", data)
    if not isinstance(documents, dict):
        raise ValueError("gold file must map document ids to expectations (under 'documents')")
    return documents


def doc_key(article_id: str) -> str:
    """Gold keys are file stems; strip any directory or extension an id may carry."""
    return re.sub(r"\.[A-Za-z0-9]+$", "", Path(article_id).name)
