"""Entity-level precision, recall and F1, seqeval-style: an entity counts only with its exact span and label.

Gold entities are chunked from the corpus's IOB2 tags as conlleval and ``seqeval`` (default mode) chunk them
(:func:`pantau.ner.corpora.iob_spans`). A predictor sees each sentence as running text and returns character
spans; they are mapped onto the corpus's own tokens (:func:`pantau.ner.corpora.char_to_token_spans`), so the
model's tokenizer, or the rule components', never changes what counts as a match. Scores are micro-averaged
over entities, overall and per label.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pantau.ner.corpora import Sentence, Span, char_to_token_spans, token_offsets

CharSpans = list[tuple[int, int, str]]
Predictor = Callable[[Sequence[str]], list[CharSpans]]


@dataclass(slots=True)
class Counts:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "predicted": self.predicted, "gold": self.gold}


@dataclass(slots=True)
class Scores:
    total: Counts = field(default_factory=Counts)
    by_label: dict[str, Counts] = field(default_factory=dict)
    sentences: int = 0

    def as_dict(self) -> dict[str, object]:
        return {**self.total.as_dict(), "sentences": self.sentences,
                "by_label": {label: c.as_dict() for label, c in sorted(self.by_label.items())}}


def score_spans(gold: Iterable[Iterable[Span]], predicted: Iterable[Iterable[Span]]) -> Scores:
    """Exact-match counts over aligned lists of per-sentence spans ``(start, end, label)``."""
    scores = Scores()
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        g, p = Counter(gold_spans), Counter(predicted_spans)
        scores.sentences += 1
        for span, n in g.items():
            scores.by_label.setdefault(span[2], Counts()).gold += n
        for span, n in p.items():
            scores.by_label.setdefault(span[2], Counts()).predicted += n
        for span, n in (g & p).items():
            scores.by_label[span[2]].tp += n
    for counts in scores.by_label.values():
        scores.total.tp += counts.tp
        scores.total.predicted += counts.predicted
        scores.total.gold += counts.gold
    return scores


def evaluate(predict: Predictor, sentences: Sequence[Sentence]) -> Scores:
    """Score ``predict`` on ``sentences``: gold from their tags, predictions from their running text."""
    layouts = [token_offsets(s) for s in sentences]
    predicted = predict([text for text, _ in layouts])
    return score_spans([s.spans for s in sentences],
                       [char_to_token_spans(offsets, chars) for (_, offsets), chars in zip(layouts, predicted,
                                                                                           strict=True)])


def model_predictor(model: str | Path | object) -> Predictor:
    """A predictor from a spaCy pipeline (a loaded ``Language`` or a directory)."""
    from pantau.ner.model import load_pipeline

    nlp = load_pipeline(model) if isinstance(model, str | Path) else model

    def predict(texts: Sequence[str]) -> list[CharSpans]:
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
                for doc in nlp.pipe(texts, batch_size=256)]  # type: ignore[attr-defined]

    return predict


def rule_predictor(texts: Sequence[str]) -> list[CharSpans]:
    """pantau's rule components (no model): people as PER, organisations as ORG, places as LOC.

    A person's mention is cut to the words of their name ("AKBP Rury Prastowo" -> "Rury Prastowo"), as the
    corpora annotate names without rank or post; a mention by post alone ("Kapolres") is no PER span.
    """
    from pantau.extract.entities import extract_entities

    found: list[CharSpans] = []
    for text in texts:
        entities = extract_entities(text)
        spans = [span for p in entities.people for s, e in p.mentions
                 if (span := _name_part(text, s, e, p.name)) is not None]
        spans += [(s, e, "ORG") for o in entities.organizations for s, e in o.mentions]
        spans += [(s, e, "LOC") for loc in entities.locations for s, e in loc.mentions]
        found.append(sorted(set(spans)))
    return found


def _name_part(text: str, start: int, end: int, name: str) -> tuple[int, int, str] | None:
    words = set(name.split())
    inside = [m for m in re.finditer(r"[^\s,]+", text[start:end]) if m.group().strip(".") in words]
    if not inside:
        return None
    return start + inside[0].start(), start + inside[-1].end(), "PER"


def mean_f1(results: Sequence[Scores]) -> float:
    return sum(r.total.f1 for r in results) / len(results) if results else 0.0
