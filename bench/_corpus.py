"""Benchmark inputs built from the bundled seed articles (no ../shared needed)."""

from __future__ import annotations

import html
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seeds"

PAGE = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="Koran Contoh">
<meta property="article:published_time" content="2024-12-31T09:15:00+07:00"></head><body>
<header><nav><ul>{menu}</ul></nav></header><main><article><h1>{title}</h1>
<div class="content">{paragraphs}</div></article>
<aside><h3>Berita Terpopuler</h3><ul>{related}</ul></aside></main>
<footer><p>Copyright © 2024 Koran Contoh. Semua hak dilindungi.</p></footer></body></html>"""


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def text_corpus(count: int) -> list[str]:
    """``count`` scraped texts: the seeds, each copy varied so no two are identical."""
    seeds = seed_texts()
    return [f"{seeds[i % len(seeds)]}\n\nCatatan redaksi nomor {i}." for i in range(count)]


def html_page(text: str, number: int) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    title = html.escape(lines[0])
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    menu = "".join(f'<li><a href="/k{i}">Kanal {i}</a></li>' for i in range(12))
    related = "".join(f'<li><a href="/r{number}-{i}">Berita terkait nomor {i} hari ini</a></li>' for i in range(8))
    return PAGE.format(title=title, paragraphs=paragraphs, menu=menu, related=related)


def html_corpus(count: int) -> list[str]:
    return [html_page(text, i) for i, text in enumerate(text_corpus(count))]
