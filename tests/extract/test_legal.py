from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.extract.legal import extract_legal_refs

SEEDS = Path(__file__).parents[1] / "fixtures" / "seeds"
GOLD = Path(__file__).parents[1] / "fixtures" / "gold.json"

Ref = tuple[str, str | None, str | None]


def refs(text: str) -> list[Ref]:
    return [(r.law, r.article, r.paragraph) for r in extract_legal_refs(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("netralitas anggota Polri yang sudah tertuang dalam Undang-Undang Nomor 2 tahun 2002 pasal 28 maupun ST Kapolri",
     [("UU 2/2002", "28", None)]),
    ("Tersangka dijerat Pasal 114 ayat (2) jo Pasal 112 ayat (1) UU RI No. 35 Tahun 2009 tentang Narkotika.",
     [("UU 35/2009", "114", "2"), ("UU 35/2009", "112", "1")]),
    ("Tersangka dijerat UU Narkotika dengan ancaman hukuman mati.",
     [("UU 35/2009", None, None)]),
    ("Kedua pelaku dijerat Pasal 363 KUHP tentang pencurian dengan pemberatan.",
     [("KUHP", "363", None)]),
    ("Kedua pelaku kini dijerat dengan Pasal 53 Jo Pasal 365 KUHP terkait percobaan pencurian.",
     [("KUHP", "53", None), ("KUHP", "365", None)]),
    ("Pelaku dijerat pasal 114 ayat (2) juncto 132 ayat (1) subsider pasal 112 ayat (2) UU No 35 Taun 2009.",
     [("UU 35/2009", "114", "2"), ("UU 35/2009", "132", "1"), ("UU 35/2009", "112", "2")]),
    ("Pelaku dijerat dengan Pasal 114 Sub Pasal 112 Undang-Undang RI Nomor 35 Tahun 2009 tentang Narkotika.",
     [("UU 35/2009", "114", None), ("UU 35/2009", "112", None)]),
    ("Keduanya melanggar Pasal 114 Ayat (1) Subs Pasal 112 Ayat (1) Jo Pasal 132 Ayat (1) Undang-Undang (UU) "
     "Nomor 35 Tahun 2009 tentang Narkotika.",
     [("UU 35/2009", "114", "1"), ("UU 35/2009", "112", "1"), ("UU 35/2009", "132", "1")]),
    ("Jonathan dijerat dengan Pasal 435 subsider Pasal 436 ayat (2) Undang-Undang Nomor 17 Tahun 2023 tentang "
     "Kesehatan juncto Pasal 55 KUHP, dengan ancaman pidana maksimal 12 tahun penjara.",
     [("UU 17/2023", "435", None), ("UU 17/2023", "436", "2"), ("KUHP", "55", None)]),
    ("Fariz dijerat dengan Pasal 114 ayat (1) UU No 35 Tahun 2009 tentang Narkotika juncto "
     "Pasal 55 ayat (1) ke-1 KUHP.",
     [("UU 35/2009", "114", "1"), ("KUHP", "55", "1")]),
    ("Pengguna dijerat Pasal 112 ayat 1 UU Narkotika.", [("UU 35/2009", "112", "1")]),
    ("Pengguna dijerat Pasal 127 ayat (1) huruf a UU Narkotika.", [("UU 35/2009", "127", "1")]),
    ("Pengguna dijerat Pasal 127 huruf a UU Narkotika.", [("UU 35/2009", "127", None)]),
    ("Ketiganya dijerat Pasal 111, 112 dan 114 UU Narkotika.",
     [("UU 35/2009", "111", None), ("UU 35/2009", "112", None), ("UU 35/2009", "114", None)]),
    ("Pelaku dijerat Pasal 82 ayat (1) dan (2) UU Perlindungan Anak.",
     [("UU 35/2014", "82", "1"), ("UU 35/2014", "82", "2")]),
    ("Tersangka dijerat Pasal 62 UU Psikotropika.", [("UU 5/1997", "62", None)]),
    ("Ia dilaporkan dengan UU ITE.", [("UU 11/2008", None, None)]),
    ("Tersangka dijerat Pasal 45A ayat (2) UU Nomor 19 Tahun 2016.", [("UU 19/2016", "45A", "2")]),
    ("Remisi diberikan berdasarkan Peraturan Pemerintah Nomor 28 Tahun 2006.", [("PP 28/2006", None, None)]),
    ("Seiring munculnya Peraturan Pemerintah Pengganti Undang-undang (Perppu) 2/2017 tentang Organisasi "
     "Kemasyarakatan, dana dihentikan.",
     [("Perppu 2/2017", None, None)]),
    ("Penggolongan diatur dalam Peraturan Menteri Kesehatan Republik Indonesia Nomor 30 Tahun 2023.",
     [("Permenkes 30/2023", None, None)]),
    ("Pelaku dijerat Pasal 2 ayat (1) UU Darurat Nomor 12 Tahun 1951 tentang senjata tajam.",
     [("UU Darurat 12/1951", "2", "1")]),
])
def test_citation_forms(text: str, expected: list[Ref]) -> None:
    assert refs(text) == expected


def test_spans_cover_the_article_and_its_adjacent_law() -> None:
    text = "Tersangka dijerat Pasal 114 ayat (2) jo Pasal 112 ayat (1) UU RI No. 35 Tahun 2009 tentang Narkotika."
    found = extract_legal_refs(text)
    assert [text[r.span[0]:r.span[1]] for r in found] == [
        "Pasal 114 ayat (2)",
        "Pasal 112 ayat (1) UU RI No. 35 Tahun 2009",
    ]


def test_each_reference_is_reported_once_and_a_bare_law_yields_to_its_articles() -> None:
    text = ("Fariz dijerat Pasal 112 UU Narkotika. Jaksa menambahkan dakwaan Pasal 112 UU Narkotika. "
            "Menurut UU Narkotika, ia terancam 12 tahun penjara.")
    assert refs(text) == [("UU 35/2009", "112", None)]


@pytest.mark.parametrize("text", [
    "Kejadian itu terjadi pada tahun 2009 di Jakarta.",
    "Menurut Nomor 2 tahun 2002, rapat digelar.",  # a number and a year, but no instrument
    "Jaksa menuntut berdasarkan pasal yang didakwakan.",
    "Ia menyebut Pasal 28 dalam rapat itu.",  # an article with no law
    "Tangani unras agar tetap mempedomani Perkap serta mewaspadai pihak tertentu.",
    "DPR membahas revisi UU yang baru.",
    "Pemerintah menerbitkan UU Cipta Kerja.",  # no number, not a listed name
    "Pasal 114 dan 2 tersangka lainnya ditahan.",
])
def test_no_reference(text: str) -> None:
    assert extract_legal_refs(text) == []


def test_seed_003_yields_exactly_its_gold_reference() -> None:
    [path] = SEEDS.glob("003_*.txt")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["documents"][path.stem]["legal_refs"]
    found = extract_legal_refs(path.read_text(encoding="utf-8"))
    assert [{"law": r.law, "article": r.article} for r in found] == gold == [{"law": "UU 2/2002", "article": "28"}]
    assert found[0].paragraph is None


@pytest.mark.parametrize("prefix", ["000_", "001_", "002_", "004_"])
def test_seeds_without_references(prefix: str) -> None:
    [path] = SEEDS.glob(f"{prefix}*.txt")
    assert extract_legal_refs(path.read_text(encoding="utf-8")) == []
