"""Full-text search: filters as index words, date ranges as year and month words, relevance on the window."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.store import search
from pantau.store.db import open_store
from pantau.store.facets import YEAR, facet_term
from pantau.store.ingest import ingest
from pantau.store.queries import Filters


def _years(*years: int) -> list[str]:
    return [facet_term(YEAR, str(y)) for y in years]


def _months(*months: str) -> list[str]:
    return [facet_term("month", m) for m in months]


def test_a_date_range_is_whole_years_and_the_months_at_its_edges() -> None:
    assert search.date_terms("2021-03-15", "2023-02-28", None, None) == \
        _years(2022) + _months(*(f"2021-{m:02d}" for m in range(3, 13)), "2023-01", "2023-02", "2023")
    assert search.date_terms("2021", "2022-12-31", None, None) == _years(2021, 2022)
    assert search.date_terms("2024-02", "2024-03-31", None, None) == _months("2024-02", "2024-03")
    # an open end stops at the store's first or last date
    assert search.date_terms(None, "2020-12-31", "2019-06-02", "2025-01-01") == \
        _years(2020) + _months(*(f"2019-{m:02d}" for m in range(6, 13)))
    assert search.date_terms("2024-05-01", None, "2019-06-02", "2024-07-30") == \
        _months("2024-05", "2024-06", "2024-07")
    assert search.date_terms("2025-01-01", "2024-12-31", None, None) == []  # nothing can match
    assert search.date_terms(None, None, "2019-01-01", "2024-01-01") is None  # no date filter
    assert search.date_terms("1900-01-01", "2099-12-31", None, None) is None  # too many words: dates alone
    assert search.date_terms("kemarin", "2024", None, None) is None


def test_filters_become_words_no_user_word_can_reach() -> None:
    expression = search.filter_expression(Filters(province="16", outlet='A "B" C'), _years(2024))
    assert expression == (f'search_facets : "{facet_term("outlet", chr(65) + " " + chr(34) + "B" + chr(34) + " C")}"'
                          f' AND search_facets : "{facet_term("province", "16")}" AND '
                          f'search_facets : ("{facet_term(YEAR, "2024")}")')
    assert facet_term("outlet", 'A "B" C').isalnum()  # one token of the index, whatever the key holds
    assert search.fts5_query('sabu" OR search_facets:x') == '{title body} : ("sabu" "OR" "search_facets" "x")'
    assert search.fts5_query("  ...  ") == ""


def test_document_sizes_decode_as_fts5_writes_them() -> None:
    assert search._varints(bytes([0x0A, 0x81, 0x00, 0x03])) == [10, 128, 3]
    assert search._varints(b"") == []


def _store(tmp_path: Path) -> str:
    lines = [
        # many mentions, in the title too: the most relevant to "sabu"
        ("a", "Sabu lagi, sabu lagi", "Polisi menyita sabu. Sabu itu disimpan di gudang. Jaringan sabu dibongkar."),
        ("b", "Razia kendaraan", "Petugas memeriksa kendaraan, dan seorang pengendara membawa sabu."),
        ("c", "Penyuluhan di sekolah", "Penyuluhan bahaya narkoba bagi pelajar, tanpa temuan apa pun."),
        ("d", "Ekstasi di hiburan malam", "Petugas menyita ekstasi dan sedikit sabu di tempat hiburan malam."),
        ("e", "Ganja kering", "Polisi menyita ganja kering dari sebuah rumah kosong di pinggir kota."),
        # the same length and as many matches each: the rarer word ("ekstasi") decides
        ("g", "Temuan di terminal", "Ekstasi, ekstasi dan ekstasi lagi, juga sabu, ditemukan di terminal bus."),
        ("f", "Temuan di pelabuhan", "Sabu, sabu dan sabu lagi, juga ekstasi, ditemukan di pelabuhan kapal."),
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": i, "url": f"https://contoh.id/{i}", "title": title, "text": body},
                                           ensure_ascii=False) for i, title, body in lines) + "\n", encoding="utf-8")
    store = str(tmp_path / "search.db")
    assert ingest([str(corpus)], store, workers=1).counts["ok"] == len(lines)
    return store


def test_relevance_ranks_the_window_and_deeper_pages_follow_newest_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = open_store(_store(tmp_path))
    with engine.connect() as conn:
        hits = search.search(conn, "sabu")
        assert hits[0].record_id == "a" and {h.record_id for h in hits} == {"a", "b", "d", "f", "g"}
        assert hits[0].score > hits[1].score > 0
        assert "\x02" in hits[0].snippet
        # a rare word weighs more than a common one, though the other article is newer
        both = [h.record_id for h in search.search(conn, "sabu ekstasi")]
        assert sorted(both) == ["d", "f", "g"] and both.index("g") < both.index("f")
        assert search.count_search(conn, "sabu") == (5, True)
        assert search.search(conn, "heroin") == [] and search.count_search(conn, "heroin") == (0, True)
        monkeypatch.setattr(search, "SEARCH_WINDOW", 1)  # one ranked article, the rest newest first
        pages = [[h.record_id for h in search.search(conn, "sabu", limit=1, offset=n)] for n in range(6)]
        assert pages == [["f"], ["g"], ["d"], ["b"], ["a"], []]
        assert [h.score for h in search.search(conn, "sabu", limit=3)][1:] == [0.0, 0.0]
    engine.dispose()
