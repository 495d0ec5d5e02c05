"""Build ``src/pantau/data/pos_lexicon.tsv``: words nlp-id's POS corpus tags as proper nouns, and as common words.

The NER model's lexicon classes (``pantau.LexiconHashEmbed.v2``) mark a word usually tagged ``NNP`` in 550k tokens
of cased kumparan news ("garuda", "tokopedia", "leicester") as *proper*, and one almost never tagged ``NNP``
("memastikan", "pesawat") as *common*: what that corpus knows about words the NER corpora never show.

    python tools/build_pos_lexicon.py --pos-corpus nlp_id-0.1.23.0-py3-none-any.whl

The corpus is nlp-id's ``dataset_postag.txt`` (MIT, (c) kumparan; ``pip download --no-deps nlp-id``), read by
:func:`pantau.ner.pretrain.read_postag`; every NER evaluation sentence is left out first when ``--corpora`` is given.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from pantau.ner.pretrain import pretrain_sentences, read_postag

OUTPUT = Path(__file__).resolve().parents[1] / "src" / "pantau" / "data" / "pos_lexicon.tsv"
PROPER_SHARE, PROPER_MIN = 0.8, 2  # tagged NNP in at least 80% of at least 2 occurrences
COMMON_SHARE, COMMON_MIN = 0.1, 3  # tagged NNP in at most 10% of at least 3 occurrences


def build(corpus: Path, corpora: Path | None) -> list[tuple[str, str, int, int]]:
    sentences = read_postag(corpus)
    if corpora is not None:
        from pantau.ner.train import evaluation_sentences

        sentences, _ = pretrain_sentences(sentences, evaluation_sentences(corpora))
    total: Counter[str] = Counter()
    proper: Counter[str] = Counter()
    for sentence in sentences:
        for token, tag in zip(sentence.tokens, sentence.tags, strict=True):
            word = token.casefold()
            if not any(c.isalpha() for c in word):
                continue
            total[word] += 1
            proper[word] += tag == "NNP"
    rows: list[tuple[str, str, int, int]] = []
    for word, count in total.items():
        share = proper[word] / count
        if count >= PROPER_MIN and share >= PROPER_SHARE:
            rows.append((word, "proper", count, proper[word]))
        elif count >= COMMON_MIN and share <= COMMON_SHARE:
            rows.append((word, "common", count, proper[word]))
    return sorted(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pos-corpus", type=Path, required=True)
    parser.add_argument("--corpora", type=Path, default=None, help="NER corpora folder: leave its evaluation "
                        "sentences out")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    rows = build(args.pos_corpus, args.corpora)
    header = ("# word<TAB>class<TAB>occurrences<TAB>tagged NNP. Built by tools/build_pos_lexicon.py from nlp-id's "
              "POS corpus (kumparan news, MIT, (c) kumparan.com).\n")
    args.output.write_text(header + "".join(f"{w}\t{c}\t{n}\t{p}\n" for w, c, n, p in rows), encoding="utf-8")
    kinds = Counter(c for _, c, _, _ in rows)
    print(f"{len(rows)} words ({kinds['proper']} proper, {kinds['common']} common) -> {args.output}")


if __name__ == "__main__":
    main()
