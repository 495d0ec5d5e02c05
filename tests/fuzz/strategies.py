"""Inputs as an attacker or a careless scraper would give them: bytes, odd text, hostile JSON, filter values."""

from __future__ import annotations

import json

from hypothesis import strategies as st

# pieces of Indonesian law-enforcement prose, so that generated texts reach the extractors' deeper paths
WORDS = ["Polisi", "menyita", "sabu", "ganja", "gram", "kg", "butir", "ekstasi", "tersangka", "berinisial", "AS",
         "(32)", "Kapolres", "AKBP", "Budi", "Santoso", "mengatakan", '"', "“", "”", ",", ".", "Senin", "(7/10/2024)",
         "Kota", "Kupang", "Lapas", "Pasal", "114", "UU", "Nomor", "35", "Tahun", "2009", "kasus", "sebanyak",
         "1.185", "-5", "1e27", "\u0000", "\ud800", "%", "😀", "\n", "\t", "[/]", "[bold]", "<script>", "&amp;",
         "Baca juga:", "sepanjang", "2024", "ton", "kilogram", "dua", "puluh", "ribu"]

prose = st.lists(st.sampled_from(WORDS) | st.text(max_size=12), min_size=1, max_size=60).map(" ".join)
odd_text = st.text(max_size=400) | prose

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | odd_text
json_values = st.recursive(json_scalars, lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(st.text(max_size=8), children, max_size=4), max_leaves=20)
records = st.fixed_dictionaries({}, optional={
    "id": json_scalars, "url": json_scalars, "title": json_scalars, "text": odd_text | json_scalars,
    "html": st.sampled_from(["<p>", "<html><body><p>", "<div a=1>"]).map(lambda h: h) | odd_text,
    "date": json_scalars, "outlet": json_scalars, "meta": json_values})


def jsonl_bytes(rows: list[dict[str, object]], garbage: bytes) -> bytes:
    lines = [json.dumps(row, ensure_ascii=bool(i % 2)).encode("utf-8", "surrogatepass") for i, row in enumerate(rows)]
    return b"\n".join(lines) + b"\n" + garbage


filter_values = st.text(max_size=40) | st.sampled_from(
    ["16", "16.07", "99.99", "drugs", "methamphetamine", "2024", "2024-13-45", "0", "-1", "9" * 30, "' OR 1=1 --",
     "%", "<script>", "\u0000", "..", "a" * 600])
