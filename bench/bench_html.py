"""What trafilatura's ``fast=True`` costs in main-text quality, and what it saves in time.

    python bench/bench_html.py [--jsonl CORPUS.jsonl ...] [--count 1000]

``pantau.ingest.html.extract_html`` runs trafilatura with ``fast=True``: its own extraction only, without the
readability and jusText fallbacks it otherwise runs and compares when its own result looks poor. This
bench renders article texts (JSON Lines corpora of real articles: by default news-gold and news-more of
../shared when present, else the bundled seeds) into pages of three layouts a news portal uses, each with
its own boilerplate, extracts every page both ways, and prints per layout:

* time per page, one core;
* main-text recall: the share of the article's words found in the extracted text; precision: the share of
  the extracted text's words that are the article's (boilerplate kept lowers it), both as multisets;
* pages where the two settings give a different text, and how many of those ``fast=False`` gets closer;
* the same recall and precision of the body after pantau's cleaning (``pantau.pipeline.prepare``: the text a
  record holds), which takes out boilerplate trafilatura keeps ("Baca juga" lines, an agency's initials).
  The corpora's texts were scraped themselves and keep some of their outlet's boilerplate, which cleaning
  also takes out: part of what this recall misses is correctly removed.

Layouts: ``plain`` (paragraphs in an article element, menu, aside and footer around it), ``portal``
(inside the article: "Baca juga" links between paragraphs, a share bar, an advertisement slot, the
editor's line, tags, a comment thread and a related list) and ``br`` (the body as one div of text
separated by ``<br><br>``, as several regional portals publish it, with the same boilerplate).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from _corpus import seed_texts
from pantau.ingest.document import Document
from pantau.ingest.html import extract_html
from pantau.pipeline import prepare

_SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
DEFAULT_JSONL = [path for path in (_SHARED / "news-gold" / "articles.jsonl", _SHARED / "news-more" / "articles.jsonl")
                 if path.is_file()]

HEAD = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title} - Portal Contoh</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="Portal Contoh">
<meta property="article:published_time" content="2024-12-31T09:15:00+07:00"></head><body>
<header><nav><ul>{menu}</ul></nav><div class="search"><form><input name="q"></form></div></header>"""
FOOT = """<aside><h3>Berita Terpopuler</h3><ol>{popular}</ol></aside>
<footer><p>Copyright © 2024 Portal Contoh. Semua hak dilindungi.</p><ul><li><a href="/redaksi">Redaksi</a></li>
<li><a href="/pedoman">Pedoman Media Siber</a></li></ul></footer></body></html>"""
SHARE = ('<div class="share"><span>Bagikan:</span><a href="#">Facebook</a><a href="#">Twitter</a>'
         '<a href="#">WhatsApp</a><a href="#">Salin tautan</a></div>')
AD = '<div class="ads"><span>ADVERTISEMENT</span><p>Scroll untuk melanjutkan membaca</p></div>'
COMMENTS = ('<section class="comments"><h3>Komentar</h3>{items}<form><textarea></textarea>'
            '<button>Kirim komentar</button></form></section>')
WORDS = ("warga", "kota", "hari", "ini", "polisi", "jalan", "baru", "pasar", "harga", "cuaca", "banjir", "sekolah",
         "lomba", "festival", "musim", "hujan", "wisata", "kuliner", "program", "bantuan")


def _phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _links(rng: random.Random, count: int, prefix: str) -> str:
    return "".join(f'<li><a href="/{prefix}/{rng.randrange(10**6)}">{_phrase(rng, 7)}</a></li>' for _ in range(count))


def render(title: str, paragraphs: list[str], layout: str, seed: int) -> str:
    """A page of ``layout`` holding the article ``title`` and ``paragraphs`` (escaped)."""
    rng = random.Random(seed)
    head = HEAD.format(title=html.escape(title), menu=_links(rng, 12, "kanal"))
    foot = FOOT.format(popular=_links(rng, 6, "populer"))
    body = [html.escape(p) for p in paragraphs]
    if layout == "plain":
        article = "".join(f"<p>{p}</p>" for p in body)
        return f"{head}<main><article><h1>{html.escape(title)}</h1>{article}</article></main>{foot}"
    extras = {
        "read_also": lambda: f'<p><strong>Baca juga: <a href="/baca/{rng.randrange(10**6)}">{_phrase(rng, 8)}</a>'
                             "</strong></p>",
        "ad": lambda: AD,
    }
    pieces = []
    for index, paragraph in enumerate(body):
        pieces.append(f"<p>{paragraph}</p>" if layout == "portal" else f"{paragraph}<br><br>")
        if index in (1, 4):
            pieces.append(extras["read_also"]() if layout == "portal" else
                          f'<a href="/baca/{rng.randrange(10**6)}">Baca juga: {_phrase(rng, 8)}</a><br><br>')
        if index == 2:
            pieces.append(extras["ad"]())
    comments = "".join(f'<div class="comment"><b>pembaca{rng.randrange(999)}</b><p>{_phrase(rng, 12)}.</p></div>'
                       for _ in range(rng.randrange(2, 6)))
    text = "".join(pieces) if layout == "portal" else f'<div class="detail-text">{"".join(pieces)}</div>'
    return (f'{head}<main><article><h1>{html.escape(title)}</h1><div class="meta">Penulis: Redaksi | Editor: '
            f'{_phrase(rng, 2)}</div>{SHARE}{text}<p class="editor">(ant/{rng.randrange(99)})</p>'
            f'<div class="tags"><span>Tag:</span><a href="/tag/a">narkoba</a><a href="/tag/b">polisi</a></div>'
            f'{SHARE}<div class="related"><h3>Berita Terkait</h3><ul>{_links(rng, 5, "terkait")}</ul></div>'
            f'{COMMENTS.format(items=comments)}</article></main>{foot}')


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.casefold()))


def score(title: str, paragraphs: list[str], extracted: str) -> tuple[float, float]:
    """(recall, precision) of the extracted text's words against the article's, counted as multisets (the
    usual measure of boilerplate removal: a word kept twice or a menu's words count against it); a line that
    is the headline repeated counts neither way (cleaning takes it out)."""
    gold = _words("\n".join(paragraphs))
    kept = _words("\n".join(line for line in extracted.splitlines()
                             if " ".join(line.split()) != " ".join(title.split())))
    common = sum((gold & kept).values())
    return common / max(sum(gold.values()), 1), common / max(sum(kept.values()), 1)


def articles(paths: list[Path], count: int) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of up to ``count`` articles with a title and three paragraphs or more."""
    found: list[tuple[str, list[str]]] = []
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                paragraphs = [p.strip() for p in re.split(r"\n+", record.get("text") or "") if p.strip()]
                if record.get("title") and len(paragraphs) >= 3 and len(found) < count:
                    found.append((record["title"], paragraphs))
    if found:
        return found
    for text in seed_texts():
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        found.append((lines[0], lines[1:]))
    return found


def _timed(work: Callable[[], str]) -> tuple[str, float]:
    start = time.process_time()
    text = work()
    return text, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jsonl", type=Path, nargs="*", default=DEFAULT_JSONL)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    corpus = articles(args.jsonl, args.count)
    sources = ", ".join(map(str, args.jsonl)) or "the seeds"
    print(f"trafilatura fast=True vs fast=False, {len(corpus)} articles from {sources}, one core")
    extract_html(render(*corpus[0], "portal", 0), fast=False)  # warm up both paths outside the timings
    extract_html(render(*corpus[0], "portal", 0), fast=True)
    for layout in ("plain", "portal", "br"):
        totals = {True: [0.0, 0.0, 0.0], False: [0.0, 0.0, 0.0]}  # recall, precision, CPU seconds
        differ = better = worse = 0
        cleaned = [0.0, 0.0]
        for number, (title, paragraphs) in enumerate(corpus):
            page = render(title, paragraphs, layout, number)
            texts = {}
            for fast in (True, False):
                text, seconds = _timed(lambda page=page, fast=fast: extract_html(page, fast=fast).text)
                recall, precision = score(title, paragraphs, text)
                totals[fast][0] += recall
                totals[fast][1] += precision
                totals[fast][2] += seconds
                texts[fast] = (text, recall + precision)
            body = prepare(Document(id=str(number), source="bench", html=page)).body
            for slot, value in enumerate(score(title, paragraphs, body)):
                cleaned[slot] += value
            if texts[True][0] != texts[False][0]:
                differ += 1
                better += texts[False][1] > texts[True][1]
                worse += texts[False][1] < texts[True][1]
        count = len(corpus)
        for fast in (True, False):
            recall, precision, seconds = (value / count for value in totals[fast])
            print(f"  {layout:<7} fast={fast!s:<5}  recall {recall:.3f}  precision {precision:.3f}  "
                  f"{1000 * seconds:6.2f} ms a page")
        print(f"  {layout:<7} after pantau's cleaning: recall {cleaned[0] / count:.3f}  "
              f"precision {cleaned[1] / count:.3f}")
        print(f"  {layout:<7} texts differ on {differ} of {count} pages: fast=False closer to the article on "
              f"{better}, further on {worse}; fast=False costs {totals[False][2] / max(totals[True][2], 1e-9):.2f}x")


if __name__ == "__main__":
    main()
