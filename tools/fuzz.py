"""A longer fuzz campaign than the test suite's: hostile inputs of many kinds through the readers and the
pipeline, with counts in the format of issue 17's table.

    python tools/fuzz.py [--inputs 2000] [--seed 17] [--budget 30]

Kinds: random bytes under every suffix, gzip with trailing bytes, JSON Lines of hostile records (NUL, lone
surrogates, deep nesting, huge ids and URLs, wrong types), prose of law-enforcement words with noise,
punctuation and emoji runs, huge attributes in HTML. Prints, per kind: inputs, records, skips, crashes
(an exception out of read_inputs or process), records with extraction errors, and the slowest input.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzz.strategies import WORDS

from pantau.ingest.document import Skipped
from pantau.ingest.readers import read_inputs
from pantau.pipeline import EmptyArticle, process


def prose(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def make(kind: str, rng: random.Random, folder: Path, n: int) -> Path:
    path = folder / f"{n}"
    if kind == "bytes":
        path = path.with_suffix(rng.choice([".txt", ".html", ".json", ".jsonl", ".bin"]))
        path.write_bytes(os.urandom(rng.randint(0, 5000)))
    elif kind == "gzip":
        path = path.with_suffix(".jsonl.gz")
        body = json.dumps({"id": str(n), "text": prose(rng, 80)}).encode()
        path.write_bytes(gzip.compress(body) + os.urandom(rng.randint(0, 64)))
    elif kind == "jsonl":
        path = path.with_suffix(".jsonl")
        rows = []
        for _ in range(rng.randint(1, 5)):
            record: dict[str, object] = {"text": prose(rng, rng.randint(0, 120))}
            if rng.random() < 0.3:
                record["id"] = rng.choice(["a\ud800", "x" * 700, 12, None, "[/]", "\u0000"])
            if rng.random() < 0.3:
                record["url"] = rng.choice(["javascript:alert(1)", "https://c.example/" + "a" * 3000, "\u0000"])
            if rng.random() < 0.1:
                nested: object = []
                for _ in range(1200):
                    nested = [nested]
                record["meta"] = nested
            rows.append(record)
        lines = []
        for row in rows:
            try:
                lines.append(json.dumps(row, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass"))
            except RecursionError:
                lines.append(b'{"text": "' + b"[" * 5000 + b'"}')
        path.write_bytes(b"\n".join(lines) + rng.choice([b"", b"\n", b"{broken", b"\x00\xff"]))
    elif kind == "prose":
        path = path.with_suffix(".txt")
        noise = rng.choice(["", "%" * 20000, "😀" * 8000, "!?" * 10000, "9" * 400 + " kasus", "-5 gram sabu"])
        path.write_text(prose(rng, rng.randint(1, 400)) + noise, encoding="utf-8", errors="surrogatepass")
    else:  # html
        path = path.with_suffix(".html")
        attributes = " ".join(f'a{i}="{i}"' for i in range(rng.choice([0, 100, 50000])))
        path.write_text(f"<html><body><div {attributes}><p>{prose(rng, 60)}</p></div>" + "<b>" * rng.randint(0, 3000),
                        encoding="utf-8", errors="surrogatepass")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--budget", type=float, default=30.0, help="per-article extraction budget, seconds")
    args = parser.parse_args()
    os.environ["PANTAU_EXTRACT_SECONDS"] = str(args.budget)
    rng = random.Random(args.seed)
    kinds = ["bytes", "gzip", "jsonl", "prose", "html"]
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.inputs):
            kind = kinds[n % len(kinds)]
            path = make(kind, rng, Path(tmp), n)
            row = counts[kind]
            row["inputs"] += 1
            started = time.perf_counter()
            try:
                for item in read_inputs([str(path)]):
                    if isinstance(item, Skipped):
                        row["skips"] += 1
                        continue
                    try:
                        article = process(item)
                    except EmptyArticle:
                        row["skips"] += 1
                        continue
                    article.to_json()
                    row["records"] += 1
                    row["partial"] += bool(article.extraction_errors)
            except Exception as error:  # a crash: what the campaign is looking for
                row["crashes"] += 1
                print(f"crash on {kind} input {n}: {type(error).__name__}: {error}", file=sys.stderr)
            row["max_seconds"] = max(row["max_seconds"], time.perf_counter() - started)
            path.unlink()
    print(f"{'kind':8} {'inputs':>7} {'records':>8} {'skips':>6} {'crashes':>8} {'partial':>8} {'max s':>7}")
    for kind in kinds:
        row = counts[kind]
        print(f"{kind:8} {row['inputs']:7.0f} {row['records']:8.0f} {row['skips']:6.0f} {row['crashes']:8.0f} "
              f"{row['partial']:8.0f} {row['max_seconds']:7.2f}")


if __name__ == "__main__":
    main()
