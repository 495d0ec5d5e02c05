"""Build ``src/pantau/data/name_tokens.txt``: words seen inside person names in the shipped model's training data.

    python tools/build_name_tokens.py [--corpora ../shared/corpora/ner]

The person filter (``pantau.extract.names``) calls a word "common" when Sastrawi's Indonesian root dictionary
knows it (or its stem); many personal names are dictionary words too ("Budi", "Sari", "Wahyu", "Indah"), so a
word seen at least twice inside a PER span of idner-news-2k train (MIT) or NERGrit train (Apache-2.0 / MIT) is
kept as a name word. Only those training splits are read: no evaluation sentence.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from pantau.ner.corpora import default_root, read_idner, read_nergrit

OUTPUT = Path(__file__).resolve().parents[1] / "src" / "pantau" / "data" / "name_tokens.txt"
MIN_COUNT = 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=None)
    args = parser.parse_args()
    root = args.corpora or default_root()
    counts: Counter[str] = Counter()
    for sentence in [*read_idner(root, "train"), *read_nergrit(root, "train")]:
        for start, end, label in sentence.spans:
            if label == "PER":
                counts.update(t.casefold() for t in sentence.tokens[start:end] if t.isalpha() and len(t) > 1)
    words = sorted(w for w, n in counts.items() if n >= MIN_COUNT)
    header = ("# Words seen inside person names (PER) of idner-news-2k train (MIT, (c) 2020 "
              "khairunnisaor)\n# and NERGrit train (IndoNLU; Apache-2.0 repository, MIT card; credit NERGRIT / "
              "grit-id). Lower-cased, one a line.\n# Built by tools/build_name_tokens.py; read by "
              "pantau.extract.names to tell names from common words.\n")
    OUTPUT.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} name words -> {OUTPUT}")


if __name__ == "__main__":
    main()
