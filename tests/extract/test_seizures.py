from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.extract.seizures import extract_seizures
from pantau.record import Seizure

SEEDS = Path(__file__).parents[1] / "fixtures" / "seeds"
GOLD = Path(__file__).parents[1] / "fixtures" / "gold.json"

Row = tuple[str, str, float, str, str | None, str | None, str | None, str]


def rows(text: str, **kwargs: int) -> list[Row]:
    """(substance, term, quantity, unit, qualifier, weight_basis, period, spanned text) per seizure."""
    found: list[Seizure] = extract_seizures(text, **kwargs)
    return [
        (s.substance, s.term, s.quantity, s.unit, s.qualifier, s.weight_basis, s.period, text[s.span[0]:s.span[1]])
        for s in found
    ]


@pytest.mark.parametrize(("text", "expected"), [
    # amount before the drug, amount after it ("seberat", "sebanyak", "dengan berat")
    ("Petugas mengamankan 40 kg sabu di dalam mobil.",
     [("methamphetamine", "sabu", 40000.0, "g", None, None, None, "40 kg sabu")]),
    ("Polda Sumut menangkap seorang kurir sabu seberat 40 kg bernama AS (29) di Aceh Timur.",
     [("methamphetamine", "sabu", 40000.0, "g", None, None, None, "sabu seberat 40 kg")]),
    ("Saat diperiksa polisi menemukan barang bukti sabu seberat 3,18 gram.",
     [("methamphetamine", "sabu", 3.18, "g", None, None, None, "sabu seberat 3,18 gram")]),
    ("Polisi memeriksa barang bukti berupa narkotika jenis sabu dengan berat 25 gram.",
     [("methamphetamine", "sabu", 25.0, "g", None, None, None, "sabu dengan berat 25 gram")]),
    ("Bareskrim Polri memusnahkan 19,4 kilogram narkotika jenis sabu.",
     [("methamphetamine", "sabu", 19400.0, "g", None, None, None, "19,4 kilogram narkotika jenis sabu")]),
    ("Mary Jane ditangkap karena membawa 2,6 kilogram heroin.",
     [("heroin", "heroin", 2600.0, "g", None, None, None, "2,6 kilogram heroin")]),
    ("Barang bukti yang diamankan berupa 28,5 kg ganja kering.",
     [("cannabis", "ganja kering", 28500.0, "g", None, None, None, "28,5 kg ganja kering")]),
    ("Petugas menyita 1.234,56 gram sabu dari rumah tersangka.",
     [("methamphetamine", "sabu", 1234.56, "g", None, None, None, "1.234,56 gram sabu")]),
    ("Tersangka kedapatan membawa 2 ons sabu.",
     [("methamphetamine", "sabu", 200.0, "g", None, None, None, "2 ons sabu")]),
    ("BNN menggagalkan penyelundupan 1,2 ton sabu dari Malaysia.",
     [("methamphetamine", "sabu", 1200000.0, "g", None, None, None, "1,2 ton sabu")]),
    ("Polisi mengamankan setengah kilogram sabu dari rumah tersangka.",
     [("methamphetamine", "sabu", 500.0, "g", None, None, None, "setengah kilogram sabu")]),
    ("Dari penggeledahan ditemukan seperempat kilogram ganja.",
     [("cannabis", "ganja", 250.0, "g", None, None, None, "seperempat kilogram ganja")]),
    ("Petugas menyita dua ratus lima puluh butir pil ekstasi.",
     [("mdma", "pil ekstasi", 250.0, "pill", None, None, None, "dua ratus lima puluh butir pil ekstasi")]),
    ("Kami menemukan ada sabu seberat 6,5 kilogram dan ekstasi sebanyak 45 butir.",
     [("methamphetamine", "sabu", 6500.0, "g", None, None, None, "sabu seberat 6,5 kilogram"),
      ("mdma", "ekstasi", 45.0, "pill", None, None, None, "ekstasi sebanyak 45 butir")]),
    # plants, liquids, pills of other drugs
    ("Polisi mengamankan 15 batang ganja siap panen di ladang.",
     [("cannabis", "ganja", 15.0, "plant", None, None, None, "15 batang ganja")]),
    ("Petugas mencabut dan menyita 5 pohon ganja serta 2 kg daun ganja kering.",
     [("cannabis", "ganja", 5.0, "plant", None, None, None, "5 pohon ganja"),
      ("cannabis", "daun ganja kering", 2000.0, "g", None, None, None, "2 kg daun ganja kering")]),
    ("Barang bukti berupa 100 ml happy water berhasil diamankan.",
     [("other", "happy water", 100.0, "ml", None, None, None, "100 ml happy water")]),
    ("Polisi mengamankan 10 butir pil koplo dan 20 butir tramadol.",
     [("other", "pil koplo", 10.0, "pill", None, None, None, "10 butir pil koplo"),
      ("tramadol", "tramadol", 20.0, "pill", None, None, None, "20 butir tramadol")]),
    ("Petugas menyita 50 butir happy five dan 30 butir riklona.",
     [("benzodiazepine", "happy five", 50.0, "pill", None, None, None, "50 butir happy five"),
      ("benzodiazepine", "riklona", 30.0, "pill", None, None, None, "30 butir riklona")]),
    ("Polisi menyita tembakau gorila seberat 150 gram dari kamar kos JR.",
     [("synthetic_cannabinoid", "tembakau gorila", 150.0, "g", None, None, None,
       "tembakau gorila seberat 150 gram")]),
    ("Polisi menyita 100 butir pil double L dari tas tersangka.",
     [("trihexyphenidyl", "pil double L", 100.0, "pill", None, None, None, "100 butir pil double L")]),
    ("Polisi menyita 10 biji pil koplo.",
     [("other", "pil koplo", 10.0, "pill", None, None, None, "10 biji pil koplo")]),
])
def test_single_case_seizures(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Polisi menyita sabu seberat lebih kurang 25 gram.", ("about", "sabu seberat lebih kurang 25 gram")),
    ("Polisi menyita sekitar 5 kg ganja.", ("about", "sekitar 5 kg ganja")),
    ("Polisi menyita sabu seberat ± 3 gram.", ("about", "sabu seberat ± 3 gram")),
    ("Polisi menyita lebih dari 2 kilogram sabu.", ("more_than", "lebih dari 2 kilogram sabu")),
    ("Polisi menyita 1 kilogram lebih sabu.", ("more_than", "1 kilogram lebih sabu")),
    ("Polisi menyita sabu seberat kurang dari 1 gram.", ("less_than", "sabu seberat kurang dari 1 gram")),
    ("Polisi menyita hampir 2 kg sabu.", ("almost", "hampir 2 kg sabu")),
    ("Dari tangan AS didapati kurang lebih sabu sebanyak tiga gram.", ("about", "sabu sebanyak tiga gram")),
])
def test_qualifiers(text: str, expected: tuple[str, str]) -> None:
    [seizure] = extract_seizures(text)
    assert (seizure.qualifier, text[seizure.span[0]:seizure.span[1]]) == expected


def test_gross_and_net_weight() -> None:
    gross = "Kami berhasil mengamankan barang bukti narkoba jenis sabu-sabu dengan berat 0,48 gram brutto."
    assert rows(gross) == [
        ("methamphetamine", "sabu-sabu", 0.48, "g", None, "gross", None, "sabu-sabu dengan berat 0,48 gram brutto"),
    ]
    gross_before = "Polisi menyita sabu dengan total berat bruto 21.158 gram."
    assert [(s.quantity, s.weight_basis) for s in extract_seizures(gross_before)] == [(21158.0, "gross")]
    net = "Barang bukti sabu seberat 5,12 gram netto disita dari tersangka."
    assert [(s.quantity, s.weight_basis) for s in extract_seizures(net)] == [(5.12, "net")]


def test_several_seizures_in_one_sentence() -> None:
    text = "Polisi mengamankan 1,5 kg sabu, 3 kg ganja, serta 500 butir ekstasi dari gudang itu."
    assert [(s.substance, s.quantity, s.unit) for s in extract_seizures(text)] == [
        ("methamphetamine", 1500.0, "g"), ("cannabis", 3000.0, "g"), ("mdma", 500.0, "pill"),
    ]


def test_package_count_with_weight_keeps_the_weight() -> None:
    text = "Polisi menemukan 5 paket sabu seberat 2,5 gram di kamar tersangka."
    assert rows(text) == [("methamphetamine", "sabu", 2.5, "g", None, None, None, "5 paket sabu seberat 2,5 gram")]


def test_package_count_alone_is_a_package_seizure() -> None:
    assert rows("Dari tangan tersangka, polisi mengamankan sabu sebanyak 5 paket.") == [
        ("methamphetamine", "sabu", 5.0, "package", None, None, None, "sabu sebanyak 5 paket"),
    ]
    assert rows("Polisi menyita 3 klip plastik sabu dari saku celana tersangka.") == [
        ("methamphetamine", "sabu", 3.0, "package", None, None, None, "3 klip plastik sabu"),
    ]


def test_package_in_one_sentence_and_weight_in_the_next_are_one_seizure() -> None:
    text = ("Saat dilakukan penggeledahan, polisi menemukan satu paket narkoba berupa sabu-sabu. "
            "Kami berhasil mengamankan sabu-sabu dengan berat 0,48 gram brutto.")
    assert [(s.quantity, s.unit) for s in extract_seizures(text)] == [(0.48, "g")]


def test_weight_of_each_package_is_not_a_total() -> None:
    text = "Polisi menyita dua paket sabu masing-masing seberat 0,5 gram."
    assert [(s.quantity, s.unit) for s in extract_seizures(text)] == [(2.0, "package")]


def test_restatements_are_one_seizure_keeping_the_first_statement() -> None:
    text = ("Saat penggeledahan, ditemukan sabu sebanyak 6.521 gram atau 6,5 kg dan juga 45 butir ekstasi. "
            "\"Kami menemukan ada sabu seberat 6,5 kilogram dan ekstasi sebanyak 45 butir,\" katanya.")
    assert rows(text) == [
        ("methamphetamine", "sabu", 6521.0, "g", None, None, None, "sabu sebanyak 6.521 gram"),
        ("mdma", "ekstasi", 45.0, "pill", None, None, None, "45 butir ekstasi"),
    ]


@pytest.mark.parametrize(("text", "period"), [
    ("Sepanjang tahun 2024, Polres Banyuasin menyita 28 kg sabu.", "2024"),
    ("Selama 2023, BNNP Sumsel menyita 1,2 ton ganja.", "2023"),
    # a weak cue ("pada 2024") counts only where the sentence speaks of a total or compares years
    ("Pada 2024 total barang bukti yang disita mencapai 10 kilogram sabu.", "2024"),
    ("Pada 2024 polisi mengamankan 10 kilogram sabu.", None),
    ("Ia ditangkap di bandara pada tahun 2004 karena kedapatan membawa 4,1 kilogram ganja.", None),
    ("Periode Januari-Juni 2024, petugas menyita 15 kg sabu.", "2024"),
    ("Jumlah barang bukti yang disita pada 2024 meningkat. Sepanjang tahun ini, polisi mengamankan 5 kg sabu.",
     "2024"),
    ("Polisi menyita 5 kg sabu, Kamis (19/6/2025).", None),
    ("Polisi menyita 5 kg sabu pada Januari 2024 di Medan.", None),
    ("Tersangka dijerat UU Nomor 35 Tahun 2009 karena menyimpan 5 gram sabu.", None),
])
def test_period_totals_and_single_cases(text: str, period: str | None) -> None:
    [seizure] = extract_seizures(text)
    assert seizure.period == period


def test_this_year_without_a_year_in_the_text_uses_the_reference_year() -> None:
    text = "Sepanjang tahun ini polisi menyita 5 kg sabu."
    assert extract_seizures(text)[0].period is None
    assert extract_seizures(text, year=2025)[0].period == "2025"
    assert extract_seizures("Sepanjang tahun lalu polisi menyita 5 kg sabu.", year=2025)[0].period == "2024"


@pytest.mark.parametrize("text", [
    "Kapolres menekankan bahaya narkoba bagi generasi muda.",
    "Polisi menangkap 2 tersangka pengguna sabu, AS (29) dan BR (31).",
    "Kasus ganja di Aceh meningkat tajam tahun ini.",
    "Perang melawan narkoba harus terus digelorakan.",
    "Sabu tersebut dijual seharga Rp 1,5 juta per gram.",
    "Harga 1 gram sabu di pasaran mencapai Rp 1,5 juta.",
    "Ia mengaku mengonsumsi 1 gram sabu per hari.",
    "Polisi mengamankan ribuan butir pil ekstasi.",
    "Petugas menemukan puluhan paket sabu di rumah itu.",
    "Pekerja Gudang Nyambi Edarkan Narkoba, Puluhan Ribu Butir Obat Keras Disita.",
    "Pemusnahan dilakukan dengan memasukkan ribuan gram sabu tersebut ke mesin insinerator.",
    "Polisi mengamankan 17, 45 Gr Sabu dari tersangka.",
    "Polisi menyita 2-3 gram sabu.",
    "Polisi menyita 10 biji ganja.",
    "Barang bukti 1 ton di Anyer beberapa waktu lalu.",
    "Baca juga: 7 Orang dan 19 Klip Plastik Sabu Diamankan Polisi.",
    "Bulog akan menjual beras seperempat kilogram di warung-warung.",
    # "Sabu" in place names of NTT is no methamphetamine
    "Petugas menyita beras kiriman dari Sabu Raijua sebanyak 2 ton.",
    "Petugas menyita ikan berformalin asal Sabu Barat seberat 40 kg.",
    "Roro memesan sabu dari seseorang berinisial WH sebanyak 2,4 gram dengan harga Rp 5 juta.",
])
def test_no_seizure(text: str) -> None:
    assert extract_seizures(text) == []


def test_seed_004_yields_exactly_the_gold_seizures() -> None:
    [path] = SEEDS.glob("004_*.txt")
    text = path.read_text(encoding="utf-8")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["documents"][path.stem]["seizures"]
    found = extract_seizures(text)
    assert [
        {"substance": s.substance, "quantity": s.quantity, "unit": s.unit, "qualifier": s.qualifier, "period": s.period}
        for s in found
    ] == gold
    assert [text[s.span[0]:s.span[1]] for s in found] == [
        "lebih dari 28 kilogram sabu", "1.185 gram ganja", "20.187 butir ekstasi",
    ]
    assert [s.term for s in found] == ["sabu", "ganja", "ekstasi"]


@pytest.mark.parametrize("prefix", ["000_", "001_", "002_", "003_"])
def test_seeds_without_seizures(prefix: str) -> None:
    [path] = SEEDS.glob(f"{prefix}*.txt")
    assert extract_seizures(path.read_text(encoding="utf-8")) == []


def test_a_total_restated_without_its_period_keeps_the_period() -> None:
    text = ("Sepanjang 2024, Polres Banyuasin berhasil mengamankan 28 kilogram sabu. "
            "\"Sabu seberat 28 kg itu kami musnahkan,\" kata Kapolres.")
    assert [(s.quantity, s.period) for s in extract_seizures(text)] == [(28000.0, "2024")]


def test_totals_of_two_years_are_two_facts() -> None:
    text = "Pada 2023 polisi menyita 10 kg sabu, sedangkan pada 2024 polisi menyita 10 kg sabu."
    assert [(s.quantity, s.period) for s in extract_seizures(text)] == [(10000.0, "2023"), (10000.0, "2024")]


# --- drugs named by class, brand or misspelling -------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Petugas menyita 120 butir eximer dari tas tersangka.", ("trihexyphenidyl", 120.0, "pill")),
    ("Di kamar itu ditemukan hashis dengan berat 3,5 gram.", ("cannabis", 3.5, "g")),
    ("Polisi menyita 12 linting tembaku gorila dari saku pelaku.", ("synthetic_cannabinoid", 12.0, "package")),
    ("Bea Cukai menyita 2 kg narkotika yang disembunyikan dalam koper.", ("other", 2000.0, "g")),
    ("Polisi menyita psikotropika sebanyak 300 butir dari apotek itu.", ("other", 300.0, "pill")),
    ("Polisi mengamankan 2 kg narkotika jenis sabu dari sebuah gudang.", ("methamphetamine", 2000.0, "g")),
])
def test_substance_keys_of_the_annotation_guide(text: str, expected: tuple[str, float, str]) -> None:
    assert [(s.substance, s.quantity, s.unit) for s in extract_seizures(text)] == [expected]


def test_a_class_word_figure_restating_a_named_drug_is_the_named_drug() -> None:
    text = ("Polisi menyita 3 kg sabu dari gudang itu. "
            "Menurut Kapolres, 3 kg narkotika itu akan dimusnahkan pekan depan.")
    assert [(s.substance, s.quantity) for s in extract_seizures(text)] == [("methamphetamine", 3000.0)]


def test_a_package_of_no_named_drug_beside_a_named_seizure_is_not_another_seizure() -> None:
    text = ("Petugas menemukan satu karung narkotika di bagasi mobil. "
            "Karung itu berisi 25 bungkus sabu seberat 25 kg.")
    assert [(s.substance, s.quantity, s.unit) for s in extract_seizures(text)] == [
        ("methamphetamine", 25000.0, "g")]


# --- how the amount finds its drug ---------------------------------------------------------------

def test_package_count_between_the_drug_and_its_weight() -> None:
    text = "Polisi menyita sabu sebanyak 12 bungkus dengan berat sekitar 12 kg."
    assert rows(text) == [("methamphetamine", "sabu", 12000.0, "g", "about", None, None,
                           "sabu sebanyak 12 bungkus dengan berat sekitar 12 kg")]


def test_ready_to_sell_between_the_drug_and_its_weight() -> None:
    text = "Polisi menyita empat paket sabu siap edar dengan berat 3,2 gram."
    assert [(s.quantity, s.unit) for s in extract_seizures(text)] == [(3.2, "g")]


def test_drug_named_inside_its_package() -> None:
    text = "Polisi menemukan 1 bungkus plastik warna hijau berisi daun kering yang berisi ganja di saku pelaku."
    assert [(s.substance, s.quantity, s.unit) for s in extract_seizures(text)] == [("cannabis", 1.0, "package")]


def test_inner_count_of_a_package_is_the_seizure() -> None:
    text = "Polisi menemukan 1 bungkus rokok berisi 3 linting ganja di saku pelaku."
    assert [(s.quantity, s.unit, text[s.span[0]:s.span[1]]) for s in extract_seizures(text)] == [
        (3.0, "package", "3 linting ganja")]


def test_evidence_list_items_that_leave_their_drug_unsaid() -> None:
    text = ("Polisi menyita 8 linting ganja, tiga paket kecil, satu paket besar seberat 200 gram, "
            "serta sebuah koper berisi 20 paket ganja.")
    assert [(s.substance, s.quantity, s.unit) for s in extract_seizures(text)] == [
        ("cannabis", 8.0, "package"), ("cannabis", 3.0, "package"), ("cannabis", 200.0, "g"),
        ("cannabis", 20.0, "package")]


def test_a_list_item_naming_something_else_takes_no_drug() -> None:
    text = "Polisi menyita 5 paket sabu, 3 bungkus rokok dan 2 unit ponsel."
    assert [(s.quantity, s.unit) for s in extract_seizures(text)] == [(5.0, "package")]


# --- context: evidence lists, headlines ----------------------------------------------------------

def test_evidence_list_continued_in_the_next_sentences() -> None:
    text = ("Polisi juga menyita sejumlah barang bukti dari rumah itu. Yaitu 20 butir peluru dan dua ponsel.\n"
            "\"Selain itu satu unit radio dan satu bungkus ganja kering,\" kata Kapolres.")
    assert [(s.substance, s.quantity, s.unit) for s in extract_seizures(text)] == [("cannabis", 1.0, "package")]


def test_a_sentence_without_a_cue_that_continues_nothing_is_no_seizure() -> None:
    text = "Polisi menggelar razia di jalan itu. Pelaku mengaku pernah mencoba 1 gram sabu."
    assert extract_seizures(text) == []


def test_title_case_line_is_a_headline_of_another_story() -> None:
    text = ("Polisi menyita 3 kg ganja dari sebuah rumah di Bireuen, Senin (2/6).\n"
            "Petugas Bongkar Jaringan Antarprovinsi, 7 Kg Sabu Disita di Dumai\n"
            "Tersangka kini ditahan di Mapolres.")
    assert [s.quantity for s in extract_seizures(text)] == [3000.0]


def test_story_resumes_after_a_glued_related_link() -> None:
    text = ("Petugas lapas menggagalkan penyelundupan itu. Baca juga: Polisi Gagalkan Penyelundupan 9 Kg Sabu "
            "di Jambi Kalapas menjelaskan, bungkusan itu berisi tiga paket sabu dengan berat total 12 gram.")
    assert [(s.quantity, s.unit) for s in extract_seizures(text)] == [(12.0, "g")]


# --- periods ------------------------------------------------------------------------------------

def test_a_story_opening_as_a_period_report_gives_its_year_to_its_figures() -> None:
    text = ("Pewarta Kota\n"
            "Polres Kota menangkap 40 tersangka narkoba selama periode bulan Maret-April 2025 di wilayahnya.\n"
            "Barang bukti yang disita antara lain sabu seberat 120 gram dan ganja 2 kg.\n"
            "Salah satu tersangka ditangkap pada Selasa (8/4) dengan 5 gram sabu di sakunya.\n"
            "\"Kami juga menyita 300 butir ekstasi,\" kata Kapolres di Mapolres, Senin (5/5/2025).")
    assert [(s.quantity, s.period) for s in extract_seizures(text)] == [
        (120.0, "2025"), (2000.0, "2025"), (5.0, None), (300.0, "2025")]


def test_a_single_case_story_has_no_period() -> None:
    text = ("Polisi menangkap AS (30) di rumahnya pada Senin (9/6/2025).\n"
            "Dari tangan AS, polisi menyita sabu seberat 5 gram.")
    assert [s.period for s in extract_seizures(text)] == [None]


# --- one fact once ------------------------------------------------------------------------------

def test_lead_figure_and_its_precise_restatement_keep_the_lead() -> None:
    text = ("Polisi memusnahkan 12,3 kilogram narkotika jenis sabu. "
            "\"Sabu dengan berat total 12.312,5 gram neto itu kami musnahkan,\" kata Kapolres.")
    assert [(s.quantity, s.weight_basis) for s in extract_seizures(text)] == [(12300.0, "net")]


def test_first_statement_gives_the_qualifier() -> None:
    text = ("Petugas menyita sabu dengan berat sekitar 8 kg dari mobil itu. "
            "Mobil itu membawa 8 bungkus sabu seberat 8 kg.")
    assert [(s.quantity, s.qualifier) for s in extract_seizures(text)] == [(8000.0, "about")]


def test_gross_and_net_weights_of_one_seizure_are_one_fact() -> None:
    text = ("Polisi memusnahkan sabu seberat 9.512 gram netto, Rabu (3/6). "
            "Sebelumnya polisi menyita 10 bungkus sabu dengan total berat bruto 10.300 gram dari pelaku.")
    assert [(s.quantity, s.weight_basis) for s in extract_seizures(text)] == [(9512.0, "net")]


def test_a_total_of_itemised_parts_is_left_out() -> None:
    text = ("Polisi menyita barang bukti ganja seberat 100 gram dari rumah SM. "
            "Polisi juga menyita 20 bungkus ganja seberat 20.000 gram dari ekspedisi. "
            "Total ganja yang disita seberat 20.100 gram.")
    assert [s.quantity for s in extract_seizures(text)] == [100.0, 20000.0]


# --- robustness ---------------------------------------------------------------------------------

@pytest.mark.parametrize("digits", [16, 400, 5000])
def test_a_number_too_long_to_be_an_amount_is_skipped(digits: int) -> None:
    text = f"Polisi menyita sebanyak {'1' * digits} gram sabu dan 5 gram ganja dari tersangka."
    assert [(s.substance, s.quantity) for s in extract_seizures(text)] == [("cannabis", 5.0)]
