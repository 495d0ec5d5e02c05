from __future__ import annotations

import pytest

from pantau.clean.dateline import parse_dateline

CASES = [
    ("BALANGANEWS, PALANGKA RAYA –  Upaya pengembangan", "BALANGANEWS", "Palangka Raya", "Upaya"),
    ("Kupang - Kepala Badan Narkotika Nasional", None, "Kupang", "Kepala"),
    ("KabarNTB, Mataram – Ditresnarkoba Polda NTB", "KabarNTB", "Mataram", "Ditresnarkoba"),
    ("Jbm.co.id-TABANAN | AKBP Leo Dedy Defretes", "Jbm.co.id", "Tabanan", "AKBP"),
    ("KORANHARIANBANYUASIN.ID – Kapolres Banyuasin", "KORANHARIANBANYUASIN.ID", None, "Kapolres"),
    ("BANDUNG, KOMPAS.com - Kapolresta Bandung", "KOMPAS.com", "Bandung", "Kapolresta"),
    ("Serang, Banten (ANTARA News) - Presiden Joko Widodo", "ANTARA News", "Serang", "Presiden"),
    ("JAKARTA (Pos Kota) – Penasihat spiritual", "Pos Kota", "Jakarta", "Penasihat"),
    ("Jakarta, CNN Indonesia -- Aaron Carter pernah", "CNN Indonesia", "Jakarta", "Aaron"),
    ("TEMPO.CO,Jakarta- Polisi mengungkap", "TEMPO.CO", "Jakarta", "Polisi"),
    ("Liputan6.com, Jakarta -Mitos dan stigma", "Liputan6.com", "Jakarta", "Mitos"),
    ("TRIBUN-BALI.COM, BULELENG - Seorang kurir", "TRIBUN-BALI.COM", "Buleleng", "Seorang"),
    ("LOS ANGELES - Agen Penegakan Imigrasi", None, "Los Angeles", "Agen"),
    ("Rimanews - Polisi membekuk pria", "Rimanews", None, "Polisi"),
    ("JAKARTA, KOMPAS.com Calon pimpinan KPK", "KOMPAS.com", "Jakarta", "Calon"),
    ("REPUBLIKA.CO.ID, JAKARTA -- Sebanyak 480 narapidana", "REPUBLIKA.CO.ID", "Jakarta", "Sebanyak"),
    ("Laporan Wartawan Tribunnews.com, Wahyu Aji TRIBUNNEWS.COM, JAKARTA - Badan Narkotika",
     "Tribunnews.com", "Jakarta", "Badan"),
]


@pytest.mark.parametrize(("lead", "outlet", "place", "starts"), CASES)
def test_outlet_and_dateline_forms(lead: str, outlet: str | None, place: str | None, starts: str) -> None:
    found = parse_dateline(lead)
    assert found is not None
    assert (found.outlet, found.place) == (outlet, place)
    assert lead[found.end:].startswith(starts)


@pytest.mark.parametrize("lead", [
    "Polisi menangkap dua pengedar - satu di antaranya residivis.",
    "Kepala Badan Narkotika Nasional (BNN) Provinsi NTT, Brigadir Jenderal Polisi Totok Lisdiarto hadir.",
    "Kapolres Banyuasin AKBP Rury Prastowo – yang baru menjabat – menegaskan komitmennya.",
    "Sabu-sabu seberat 2 kilogram disita.",
    "Upaya pengembangan yang dilakukan jajaran Ditresnarkoba Polda Kalteng viral.",
])
def test_story_sentences_are_not_datelines(lead: str) -> None:
    assert parse_dateline(lead) is None


def test_a_lead_without_a_dash_in_its_opening_has_no_separator() -> None:
    from pantau.clean import dateline

    for lead in ["KUPANG, Polisi menangkap dua orang di Kupang.", "Polisi menangkap dua orang -- di Kupang.",
                 "TRIBUNNEWS.COM, KUPANG – Polisi menangkap dua orang.", "KUPANG | Polisi menangkap dua orang.",
                 "KUPANG-Polisi menangkap dua orang.", "KUPANG - Polisi menangkap dua orang."]:
        found = dateline._SEPARATOR.search(lead, 0, dateline.MAX_PREFIX + 4)
        dash = dateline._DASH.search(lead, 0, dateline.MAX_PREFIX + 4)
        assert dash is not None or found is None, lead  # no dash, no separator: the search can be skipped
    assert parse_dateline("TRIBUNNEWS.COM, KUPANG – Polisi menangkap dua orang.") is not None


def test_a_word_without_a_dot_is_no_domain() -> None:
    from pantau.clean.dateline import _is_domain, _vocab

    for word in ["TRIBUNNEWS.COM", "Jbm.co.id,", "kompas.com.", "KOMPAS", "com", "Liputan6", "detik.com-", ".id", ""]:
        assert _is_domain(word) == bool(_vocab()[1].match(word.rstrip(".,"))), word
