"""Per-topic precision/recall of ``classify_topics`` against hand labels of the news-dev corpus.

    python bench/eval_topics.py [ARTICLES.jsonl] [LABELS.json] [--errors]

The corpus (/work/shared/corpora/news-dev/articles.jsonl by default) is not part of the repository;
when it is absent the script says so and exits 0. Labels: tests/fixtures/topics_labels.json
({id: [topic, ...]}, "other" for none), or a gold file in the ``pantau eval`` format, whose
``topics_include`` lists are read as each document's labels ("other" when empty): a predicted topic
that the gold does not list counts against precision. Articles are classified from their corpus title
and raw text, as ``pantau extract`` would see a JSONL line (cleaning is not applied here).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pantau.extract.topics import OTHER, classify_topics, taxonomy

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpora/news-dev/articles.jsonl")
LABELS = ROOT / "tests" / "fixtures" / "topics_labels.json"


def main(argv: list[str]) -> int:
    show_errors = "--errors" in argv
    paths = [a for a in argv if not a.startswith("--")]
    corpus = Path(paths[0]) if paths else CORPUS
    labels_path = Path(paths[1]) if len(paths) > 1 else LABELS
    if not corpus.is_file():
        print(f"corpus not found: {corpus} -- nothing to evaluate (it is not shipped with pantau)")
        return 0
    labels = _labels(json.loads(labels_path.read_text(encoding="utf-8")))
    keys = [t.key for t in taxonomy()] + [OTHER]
    tp = dict.fromkeys(keys, 0)
    fp = dict.fromkeys(keys, 0)
    fn = dict.fromkeys(keys, 0)
    exact = total = 0
    errors: list[str] = []
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            gold = set(labels.get(article["id"], ()))
            if not gold:
                continue
            predicted = set(classify_topics(article.get("title"), article.get("text") or ""))
            total += 1
            exact += predicted == gold
            for key in keys:
                tp[key] += key in predicted and key in gold
                fp[key] += key in predicted and key not in gold
                fn[key] += key not in predicted and key in gold
            if predicted != gold:
                errors.append(f"{article['id']}: gold {sorted(gold)} predicted {sorted(predicted)} "
                              f"| {(article.get('title') or '')[:70]}")
    print(f"{total} labelled articles from {corpus.name}; exact label-set match {exact}/{total}\n")
    print(f"| {'topic':<15} | support | predicted | precision | recall |   F1 |")
    print(f"|{'-' * 17}|---------|-----------|-----------|--------|------|")
    sums = [0, 0, 0]
    for key in keys:
        support, predicted = tp[key] + fn[key], tp[key] + fp[key]
        if key != OTHER:
            sums = [sums[0] + tp[key], sums[1] + fp[key], sums[2] + fn[key]]
        print(_row(key, support, predicted, tp[key]))
    print(_row("micro (topics)", sums[0] + sums[2], sums[0] + sums[1], sums[0]))
    if show_errors:
        print("\n" + "\n".join(errors))
    return 0


def _labels(data: dict[str, Any]) -> dict[str, list[str]]:
    """``{id: [topics]}`` from a label file, or from a gold file's ``topics_include`` lists."""
    documents = data.get("documents")
    if not isinstance(documents, dict):
        return data
    return {doc_id: doc["topics_include"] or [OTHER] for doc_id, doc in documents.items() if "topics_include" in doc}


def _row(name: str, support: int, predicted: int, hits: int) -> str:
    """A table row; a ratio with nothing to divide by is shown as "-" (no such labels or predictions)."""
    precision = f"{hits / predicted:.2f}" if predicted else "-"
    recall = f"{hits / support:.2f}" if support else "-"
    f1 = f"{2 * hits / (predicted + support):.2f}" if predicted + support else "-"
    return f"| {name:<15} | {support:>7} | {predicted:>9} | {precision:>9} | {recall:>6} | {f1:>4} |"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
