"""SQLite's search: filters as words of the FTS5 index no user word can reach, relevance on the window."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.store import search
from pantau.store.db import open_store
from pantau.store.facets import YEAR, facet_term
from pantau.store.ingest import ingest
from pantau.store.queries import Filters
from pantau.store.search import fts5, terms


def test_filters_become_words_no_user_word_can_reach() -> None:
    expression = fts5.filter_expression(Filters(province="16", outlet='A "B" C'), [facet_term(YEAR, "2024")])
    assert expression == (f'search_facets : "{facet_term("outlet", chr(65) + " " + chr(34) + "B" + chr(34) + " C")}"'
                          f' AND search_facets : "{facet_term("province", "16")}" AND '
                          f'search_facets : ("{facet_term(YEAR, "2024")}")')
    # the province of a regency is implied by it; another province is not
    assert facet_term("province", "16") not in fts5.filter_expression(Filters(province="16", regency="16.07"), None)
    assert facet_term("province", "33") in fts5.filter_expression(Filters(province="33", regency="16.07"), None)
    assert facet_term("outlet", 'A "B" C').isalnum()  # one token of the index, whatever the key holds
    assert fts5.fts5_query('sabu" OR search_facets:x') == '{title body} : ("sabu" "OR" "search_facets" "x")'
    assert fts5.fts5_query("  ...  ") == ""


def test_document_sizes_decode_as_fts5_writes_them() -> None:
    assert fts5._varints(bytes([0x0A, 0x81, 0x00, 0x03])) == [10, 128, 3]
    assert fts5._varints(b"") == []


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
        # a window short of SEARCH_WINDOW holds every match: the total needs no count
        with monkeypatch.context() as patched:
            patched.setattr(fts5, "_count", lambda *args, **kwargs: pytest.fail("counted"))
            found = search.search_page(conn, "sabu", limit=2)
            assert (found.total, found.exact, len(found.hits)) == (5, True, 2)
        monkeypatch.setattr(terms, "SEARCH_WINDOW", 2)
        assert (search.search_page(conn, "sabu").total, search.search_page(conn, "sabu", Filters(), 1, 4).exact) == \
            (5, True)
        monkeypatch.setattr(terms, "SEARCH_WINDOW", 1)  # one ranked article, the rest newest first
        pages = [[h.record_id for h in search.search(conn, "sabu", limit=1, offset=n)] for n in range(6)]
        assert pages == [["f"], ["g"], ["d"], ["b"], ["a"], []]
        assert [h.score for h in search.search(conn, "sabu", limit=3)][1:] == [0.0, 0.0]
    engine.dispose()
