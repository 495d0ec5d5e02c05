"""List pairs of articles that may report the same incident, for a person to read and judge.

Input: article records as written by ``pantau extract FILE --format jsonl`` (several files may be given).
Each pair gets a score from signals that rewrites of one press release tend to share:

- cosine of word counts over title + first 600 characters of body (outlets rewrite the lead),
- shared person names (suspects' initials are too short to count, so names of 2+ words only),
- a seizure of the same substance whose quantities agree within 5 % (the same haul, written differently),
- the same province code, and publication dates close together.

The score only orders candidates for reading; it decides nothing. Usage::

    .venv/bin/pantau extract A.jsonl B.jsonl --format jsonl -o /tmp/recs.jsonl
    .venv/bin/python bench/incidents/find_candidates.py /tmp/recs.jsonl --top 150

With ``--labels labels.json`` it instead prints how well this score alone separates the labelled pairs
(pairwise precision/recall per threshold, and the best cross score of each hard-negative pair): a floor
that a real incident matcher should beat.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path

# Words that every police story shares; counting them makes unrelated busts look alike.
_STOP_TEXT = """yang dan di ke dari ini itu dengan untuk pada dalam tidak akan oleh sebagai juga atau karena
    telah sudah ada para saat kata ia dia mereka kami kita tersebut adalah bahwa lebih secara jadi
    serta hingga masih bisa dapat agar namun satu dua tiga seorang sejumlah polisi polres polda
    narkoba kasus tersangka pelaku jenis barang bukti hari senin selasa rabu kamis jumat sabtu
    minggu tahun bulan jakarta com wib pihak kapolres kasat terhadap setelah usai"""
STOP = frozenset(_STOP_TEXT.split())
WORD = re.compile(r"[a-z]{3,}")


@dataclass
class Item:
    id: str
    title: str
    day: date | None
    words: Counter[str]
    names: set[str]
    provinces: set[str]
    seizures: list[tuple[str, float]] = field(default_factory=list)


def load(paths: list[Path]) -> list[Item]:
    items: list[Item] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            title = rec.get("title") or ""
            lead = f"{title} {title} {(rec.get('body') or '')[:600]}".lower()
            words = Counter(w for w in WORD.findall(lead) if w not in STOP)
            names = {p["name"].lower() for p in rec["people"] if len(p["name"].split()) >= 2}
            provinces = {loc["province_code"] for loc in rec["locations"] if loc.get("province_code")}
            seizures = [
                (s["substance"], float(s["quantity"]))
                for s in rec["seizures"]
                if s.get("quantity") and not s.get("period")
            ]
            day = None
            if rec.get("date"):
                try:
                    day = date.fromisoformat(rec["date"][:10])
                except ValueError:
                    day = None
            items.append(Item(rec["id"], title, day, words, names, provinces, seizures))
    return items


def cosine(a: Counter[str], b: Counter[str]) -> float:
    common = set(a) & set(b)
    if not common:
        return 0.0
    dot = sum(a[w] * b[w] for w in common)
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def same_haul(a: list[tuple[str, float]], b: list[tuple[str, float]]) -> bool:
    return any(sa == sb and abs(qa - qb) <= 0.05 * max(qa, qb) for sa, qa in a for sb, qb in b)


def score(a: Item, b: Item) -> tuple[float, list[str]]:
    why: list[str] = []
    value = cosine(a.words, b.words)
    if a.names & b.names:
        value += 0.3
        why.append("names:" + ",".join(sorted(a.names & b.names))[:60])
    if same_haul(a.seizures, b.seizures):
        value += 0.3
        why.append("haul")
    if a.provinces and a.provinces & b.provinces:
        value += 0.05
    if a.day and b.day:
        gap = abs((a.day - b.day).days)
        if gap > 60:
            value -= 0.2  # far apart: only a trial follow-up could join them, and it would share names
        elif gap <= 3:
            value += 0.05
    return value, why


def report(items: list[Item], labels_path: Path) -> None:
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    incident_of = {a: name for name, inc in labels["incidents"].items() for a in inc["articles"]}
    by_id = {item.id: item for item in items}
    missing = sorted(set(incident_of) - set(by_id))
    if missing:
        print(f"{len(missing)} labelled articles have no record, e.g. {missing[:3]}")
    labelled = [by_id[a] for a in incident_of if a in by_id]
    scored = [(score(a, b)[0], incident_of[a.id] == incident_of[b.id]) for a, b in combinations(labelled, 2)]
    positives = sum(same for _, same in scored)
    print(f"{len(labelled)} labelled articles, {len(scored)} pairs, {positives} same-incident pairs")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.8):
        tp = sum(1 for value, same in scored if value >= threshold and same)
        fp = sum(1 for value, same in scored if value >= threshold and not same)
        print(f"score >= {threshold}: precision {tp / max(1, tp + fp):.2f}  recall {tp / max(1, positives):.2f}")
    print("hard negatives, best cross score:")
    for name_a, name_b, _why in labels["hard_negatives"]:
        best = max(
            score(by_id[x], by_id[y])[0]
            for x in labels["incidents"][name_a]["articles"]
            for y in labels["incidents"][name_b]["articles"]
            if x in by_id and y in by_id
        )
        print(f"{best:.2f}\t{name_a}\t{name_b}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=120, help="how many best pairs to print")
    parser.add_argument("--min", type=float, default=0.25, help="lowest score printed")
    parser.add_argument("--labels", type=Path, help="labels.json: score the labelled pairs instead of listing")
    args = parser.parse_args()
    items = load(args.records)
    if args.labels:
        report(items, args.labels)
        return
    pairs = []
    for a, b in combinations(items, 2):
        value, why = score(a, b)
        if value >= args.min:
            pairs.append((value, a, b, why))
    pairs.sort(key=lambda p: -p[0])
    for value, a, b, why in pairs[: args.top]:
        print(f"{value:.2f}\t{a.id}\t{b.id}\t{a.day}\t{b.day}\t{' '.join(why)}")
        print(f"\t{a.title[:90]}\n\t{b.title[:90]}")


if __name__ == "__main__":
    main()
