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
    ("Ia dilaporkan dengan Pasal 27 ayat (3) UU ITE.", [("UU 11/2008", "27", "3")]),
    ("Tersangka dijerat Pasal 45A ayat (2) UU Nomor 19 Tahun 2016.", [("UU 19/2016", "45A", "2")]),
    ("Remisi diatur dalam Pasal 34 Peraturan Pemerintah Nomor 28 Tahun 2006.", [("PP 28/2006", "34", None)]),
    ("Ormas itu dibubarkan berdasarkan Pasal 80A Peraturan Pemerintah Pengganti Undang-undang (Perppu) 2/2017 "
     "tentang Organisasi Kemasyarakatan.",
     [("Perppu 2/2017", "80A", None)]),
    ("Syarat usia calon diatur Pasal 15 PKPU Nomor 19 Tahun 2023 tentang Pencalonan.", [("PKPU 19/2023", "15", None)]),
    ("Pelaku dijerat Pasal 2 ayat (1) UU Darurat Nomor 12 Tahun 1951 tentang senjata tajam.",
     [("UU Darurat 12/1951", "2", "1")]),
    # "UU Darurat" with no number is the 1951 law on weapons in police reports.
    ("Karena membawa celurit, ia juga dikenai Pasal 2 ayat (1) Undang-Undang Darurat.",
     [("UU Darurat 12/1951", "2", "1")]),
    # A code after "tentang" is the title of the numbered law before it, not a law of its own: the
    # article after "juncto" belongs to the next law, not to the title.
    ("Ia dijerat Pasal 458 ayat (1) UU RI Nomor 1 Tahun 2023 tentang KUHP juncto Pasal 2 ayat (1) UU Darurat.",
     [("UU 1/2023", "458", "1"), ("UU Darurat 12/1951", "2", "1")]),
    # Paragraphs joined by "jo", and letters, paragraphs and points mixed after one article.
    ("Tersangka dijerat Pasal 81 Ayat (1) Jo Ayat (3) UU Nomor 17 Tahun 2016 tentang Perlindungan Anak.",
     [("UU 17/2016", "81", "1"), ("UU 17/2016", "81", "3")]),
    ("Terdakwa didakwa dengan Pasal 3 jo Pasal 18 ayat (1) huruf a, b, ayat (2), dan (3) Undang-Undang "
     "Nomor 31 Tahun 1999.",
     [("UU 31/1999", "3", None), ("UU 31/1999", "18", "1"), ("UU 31/1999", "18", "2"), ("UU 31/1999", "18", "3")]),
    ("Ia dijerat Pasal 50 Ayat 3 (e) Undang-Undang Nomor 41 Tahun 1999 tentang Kehutanan.",
     [("UU 41/1999", "50", "3")]),
    # Tipikor: a lower-case letter is a huruf ("12a" is Pasal 12 huruf a); "12B" is an inserted article.
    ("Keduanya disangkakan Pasal 12a atau Pasal 12B UU Nomor 31 Tahun 1999 jo Pasal 55 ayat (1) ke-1 KUHP.",
     [("UU 31/1999", "12", None), ("UU 31/1999", "12B", None), ("KUHP", "55", "1")]),
    ("Ia dijerat Pasal 12 E dan Pasal 12C Undang-Undang Nomor 20 Tahun 2001.",
     [("UU 20/2001", "12", None), ("UU 20/2001", "12C", None)]),
    # Other laws keep the letter, whatever its case: these are inserted articles.
    ("Ia dijerat Pasal 156a KUHP tentang penodaan agama.", [("KUHP", "156A", None)]),
    ("Pelaku dijerat Pasal 76d jo Pasal 81 UU Perlindungan Anak.",
     [("UU 35/2014", "76D", None), ("UU 35/2014", "81", None)]),
    ("Pelaku dijerat Pasal 45 A ayat (2) UU Nomor 19 Tahun 2016.", [("UU 19/2016", "45A", "2")]),
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


def test_each_reference_is_reported_once() -> None:
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
    # Laws and regulations cited without an article are not references.
    "Tersangka dijerat UU Narkotika dengan ancaman hukuman mati.",
    "Remisi diberikan berdasarkan Peraturan Pemerintah Nomor 28 Tahun 2006.",
    "Penggolongan diatur dalam Peraturan Menteri Kesehatan Republik Indonesia Nomor 30 Tahun 2023.",
    "Program itu sesuai Instruksi Presiden Nomor 8 Tahun 2025 dan amanat UUD 1945.",
    "Mereka dijerat UU Nomor 31 Tahun 1999 sebagaimana diubah dengan UU Nomor 20 Tahun 2001.",
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
