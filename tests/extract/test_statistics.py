"""Case statistics (period tallies): hand-written sentences in the forms Indonesian police news uses,
numbers that must not become statistics, the stated-change check, and the founding articles' gold
statistics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.extract.statistics import CONSISTENT, INCONSISTENT, extract_statistics
from pantau.record import Statistic


def facts(body: str) -> list[tuple[str, str | None, str | None, float, list[str], str]]:
    """(measure, subject, period, value, flags, spanned text) of every statistic, in text order."""
    return [(s.measure, s.subject, s.period, s.value, s.flags, body[s.span[0]:s.span[1]])
            for s in extract_statistics(body)]


# --- forms that are tallies ---------------------------------------------------------------------

def test_tercatat_n_kasus_with_year_and_explicit_subject() -> None:
    body = "Sepanjang 2024 tercatat 87 kasus pencurian kendaraan bermotor di wilayah hukum Polres Sleman."
    assert facts(body) == [("cases", "theft", "2024", 87, [], "87 kasus pencurian kendaraan bermotor")]


def test_sebanyak_n_tersangka_over_a_month() -> None:
    body = "Sebanyak 14 tersangka kasus narkoba diamankan Satresnarkoba Polres Jember sepanjang Juni 2025."
    assert facts(body) == [("suspects", "drugs", "2025", 14, [], "14 tersangka kasus narkoba")]


def test_n_kasus_dengan_n_tersangka_share_period_and_subject() -> None:
    body = "Selama 2023, Polda Riau mengungkap 1.024 kasus narkotika dengan 1.397 tersangka."
    assert facts(body) == [
        ("cases", "drugs", "2023", 1024, [], "1.024 kasus narkotika"),
        ("suspects", "drugs", "2023", 1397, [], "1.397 tersangka"),
    ]


def test_number_words_and_a_month_range() -> None:
    body = "Selama Maret-April 2025 polisi menangkap tiga puluh dua tersangka judi online di Medan."
    assert facts(body) == [("suspects", "gambling", "2025", 32, [], "tiga puluh dua tersangka judi online")]


def test_thousands_separator_and_declared_suspects() -> None:
    body = "Sepanjang 2024 ada 2.016 orang yang ditetapkan tersangka kasus narkoba di Jawa Timur."
    assert facts(body) == [("suspects", "drugs", "2024", 2016, [], "2.016 orang")]


def test_a_year_like_number_before_a_measure_noun_is_a_count() -> None:
    body = "Selama 2017, Polda mencatat ada 2016 orang yang ditetapkan tersangka kasus narkoba."
    assert facts(body) == [("suspects", "drugs", "2017", 2016, [], "2016 orang")]


def test_arrests_need_their_verbs() -> None:
    body = ("Sepanjang 2024 tim gabungan mengamankan 12 orang pengedar sabu di Kampung Bahari, dan 9 orang yang "
            "ditahan di Polres.")
    assert facts(body) == [("arrests", "drugs", "2024", 12, [], "12 orang pengedar sabu")]


def test_rehabilitations_over_a_plain_year() -> None:
    body = "Pada tahun 2023, BNNP merehabilitasi 450 pecandu narkoba di klinik pratama."
    assert facts(body) == [("rehabilitations", "drugs", "2023", 450, [], "450 pecandu narkoba")]


def test_cumulative_count_up_to_a_month() -> None:
    body = "Hingga Mei 2025, tercatat 15 kasus pembunuhan di wilayah hukum Polda itu."
    assert facts(body) == [("cases", "murder", "2025", 15, [], "15 kasus pembunuhan")]


def test_rehabilitations() -> None:
    body = "BNNP Jawa Barat telah merehabilitasi 1.250 orang pecandu sepanjang tahun 2023."
    assert facts(body) == [("rehabilitations", "drugs", "2023", 1250, [], "1.250 orang pecandu")]


@pytest.mark.parametrize("body", [
    "Lapas Kelas IIA Banyuasin kini dihuni 1.200 warga binaan.",
    ("Berdasarkan data per tanggal 14 Agustus 2017, jumlah narapidana dan tahanan seluruh Indonesia "
     "berjumlah 226.143 orang dengan rincian narapidana sebanyak 156.613 orang dan tahanan 69.530 orang."),
    ("Pada HUT RI 2024, remisi diberikan kepada 35 narapidana kasus terorisme, 14.661 narapidana kasus "
     "narkotika, dan 400 narapidana kasus korupsi."),
])
def test_prison_populations_and_remissions_are_not_statistics(body: str) -> None:
    assert facts(body) == []


@pytest.mark.parametrize(("body", "period"), [
    ("Selama Januari hingga Juni 2024, Polda Bali menangani 312 perkara narkotika.", "2024"),
    ("Pada semester I 2024, sebanyak 40 tersangka kasus korupsi ditahan Kejati.", "2024"),
    ("Sejak 2020 hingga 2024, tercatat 1.500 kasus perjudian.", "2020/2024"),
    ("Sepanjang Maret 2025 tercatat 41 kasus kecelakaan lalu lintas.", "2025"),
    ("Hingga 30 Juni 2025 tercatat 41 kasus narkoba di wilayah itu.", "2025"),
])
def test_period_forms_keep_their_year(body: str, period: str) -> None:
    assert [p for _, _, p, _, _, _ in facts(body)] == [period]


def test_qualifier_becomes_a_flag() -> None:
    body = "Sepanjang 2024, Polres Metro Jakarta Barat menangani lebih dari 300 kasus narkoba."
    assert facts(body) == [("cases", "drugs", "2024", 300, ["more_than"], "300 kasus narkoba")]


def test_period_does_not_leak_across_a_contrast() -> None:
    body = "Pada 2023 terjadi 50 kasus pencurian, sedangkan 2024 ada 60 kasus."
    assert [(p, v) for _, _, p, v, _, _ in facts(body)] == [("2023", 50), ("2024", 60)]


# --- the stated-change check --------------------------------------------------------------------

SEED_004_EXCERPT = (
    "Data dari Polres Banyuasin menunjukkan adanya penurunan jumlah kasus narkoba sebesar 7% pada 2024 "
    "dibandingkan tahun sebelumnya. Pada 2023, tercatat 121 kasus narkoba, sedangkan pada 2024 angka tersebut "
    "turun menjadi 112 kasus."
)


def test_per_year_comparison_inherits_subject_and_checks_the_stated_fall() -> None:
    assert facts(SEED_004_EXCERPT) == [
        ("cases", "drugs", "2023", 121, [], "121 kasus narkoba"),
        ("cases", "drugs", "2024", 112, [CONSISTENT], "112 kasus"),
    ]


@pytest.mark.parametrize(("stated", "flag"), [
    ("turun 7%", CONSISTENT),  # -7.4 %: the rounded-down figure
    ("turun 8 persen", CONSISTENT),  # within one percentage point
    ("turun 9 persen", INCONSISTENT),  # 1.6 points off
    ("naik 7%", INCONSISTENT),  # wrong direction
])
def test_stated_fall_tolerance_and_direction(stated: str, flag: str) -> None:
    body = f"Kasus narkoba {stated}. Pada 2023 tercatat 121 kasus narkoba, sedangkan pada 2024 tercatat 112 kasus."
    assert [f for _, _, _, _, f, _ in facts(body)] == [[], [flag]]


def test_consistent_increase() -> None:
    body = ("Kasus penipuan online meningkat 20% pada 2024. Tahun 2023 tercatat 50 kasus penipuan, "
            "sedangkan tahun 2024 tercatat 60 kasus.")
    assert facts(body)[-1] == ("cases", "fraud", "2024", 60, [CONSISTENT], "60 kasus")


def test_stated_rise_while_figures_fall_is_inconsistent() -> None:
    body = ("Jumlah kasus curanmor naik 15 persen. Pada 2022 tercatat 200 kasus curanmor, "
            "sedangkan pada 2023 tercatat 180 kasus.")
    assert facts(body)[-1] == ("cases", "theft", "2023", 180, [INCONSISTENT], "180 kasus")


@pytest.mark.parametrize(("stated", "flag"), [("16,7 persen", CONSISTENT), ("25 persen", INCONSISTENT)])
def test_dari_menjadi_pair_within_a_year(stated: str, flag: str) -> None:
    body = f"Sepanjang 2024, kasus kecelakaan lalu lintas turun dari 120 kasus menjadi 100 kasus, atau turun {stated}."
    assert facts(body) == [
        ("cases", "traffic_accidents", "2024", 120, [], "120 kasus"),
        ("cases", "traffic_accidents", "2024", 100, [flag], "100 kasus"),
    ]


def test_no_flag_without_a_stated_change() -> None:
    body = "Pada 2023 tercatat 121 kasus narkoba, sedangkan pada 2024 tercatat 112 kasus."
    assert [f for _, _, _, _, f, _ in facts(body)] == [[], []]


# --- numbers that are not statistics ------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "Tersangka AM (29) ditangkap pada Senin (12/8/2024) di rumahnya.",
    "Polisi menyita 28 kilogram sabu, 20.187 butir ekstasi dan uang Rp 100 juta dari tersangka.",
    "Upaya pengembangan dilakukan terhadap dua narapidana asal Lapas Narkotika Kasongan.",
    "Pelaku dijerat Pasal 114 ayat (1) UU Nomor 35 Tahun 2009 dengan ancaman 20 tahun penjara.",
    "Jumlah kasus turun 9 kasus dibandingkan tahun lalu.",
    "Dalam kasus ini, ia ditetapkan sebagai tersangka bersama tiga orang lainnya.",
    "Sebanyak 480 narapidana se-Jawa dan Lampung akan mengikuti upacara kepramukaan.",
    "Baca juga: 7 Orang Ditangkap karena Judi Online di Bekasi",
    "Data menunjukkan penurunan jumlah kasus narkoba sebesar 7% pada 2024.",
    "Ia pernah dua kali ditangkap dalam kasus yang sama, kata Kapolsek.",
    "Menurutnya, semua kasus bisa diungkap dengan baik dan diproses.",
    # the suspects of one arrest, even dated, are that operation's facts, not a tally
    "Polisi menangkap tiga puluh dua tersangka judi online di sebuah ruko di Medan.",
    "Sebanyak 14 tersangka kasus narkoba diamankan Satresnarkoba Polres Jember pekan ini.",
    "Pada Juni 2025 polisi menangkap dua tersangka pengedar sabu di Pekanbaru.",
    # a tally needs a crime: cases of a disease are none
    "Dinas Kesehatan mencatat empat kasus demam berdarah sepanjang 2026.",
    # a span of years in a story's opening dates the case, not a tally
    "Kejari menyidik korupsi dana hibah periode 2008-2022 di dinas itu.\nTotal sudah ada 4 tersangka yang ditahan.",
])
def test_numbers_that_are_not_statistics(body: str) -> None:
    assert extract_statistics(body) == []


def test_empty_body() -> None:
    assert extract_statistics("") == []


# --- the founding articles ----------------------------------------------------------------------

def test_seed_gold_statistics(seed_paths: list[Path], gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["documents"]
    for path in seed_paths:
        body = path.read_text(encoding="utf-8")
        got = extract_statistics(body)
        expected = gold[path.stem]["statistics"]
        assert [(s.measure, s.subject, s.period, s.value) for s in got] == [
            (e["measure"], e["subject"], e["period"], e["value"]) for e in expected], path.stem
        assert all(isinstance(s, Statistic) and body[s.span[0]:s.span[1]].strip() for s in got)


# --- periods and subjects from elsewhere in the story ---------------------------------------------

def test_a_story_opening_as_a_period_report_gives_its_period() -> None:
    body = ("Penulis Berita\n"
            "Bea Cukai Kota menyatakan selama semester I 2025 pihaknya menyelamatkan potensi kerugian negara.\n"
            "Pihaknya berhasil menggagalkan penyelundupan narkotika sebanyak 9 kali dengan barang bukti sabu.\n"
            "Kemudian ada juga penindakan rokok ilegal sebanyak 4 kali di pelabuhan.")
    assert [(m, s, p, v) for m, s, p, v, _, _ in facts(body)] == [
        ("cases", "drugs", "2025", 9), ("cases", "illegal_cigarettes", "2025", 4)]


def test_a_sentence_referring_back_to_a_period_takes_it() -> None:
    body = ("Polres Kota menggelar operasi selama periode bulan April-Mei 2025.\n"
            "\"Dari periode tersebut kami mengamankan 40 tersangka kasus narkoba,\" kata Kapolres.")
    assert [(m, s, p, v) for m, s, p, v, _, _ in facts(body)] == [("suspects", "drugs", "2025", 40)]


def test_arrest_count_over_a_stated_span_with_the_subject_in_the_next_sentence() -> None:
    body = ("Polres Kota menangkap 40 orang tersangka selama periode bulan April-Mei 2025.\n"
            "Mereka terlibat kasus narkotika dan peredaran obat keras.")
    assert [(m, s, p, v) for m, s, p, v, _, _ in facts(body)] == [("suspects", "drugs", "2025", 40)]


def test_breakdown_opening_the_next_sentence_continues_the_tally() -> None:
    body = "Sepanjang 2024 polisi mengamankan 60 tersangka kasus narkoba dan judi. 52 kasus narkoba, sisanya judi."
    assert [(m, s, p, v) for m, s, p, v, _, _ in facts(body)] == [
        ("suspects", "drugs", "2024", 60), ("cases", "drugs", "2024", 52)]


def test_a_narrower_period_inside_a_total_is_its_part() -> None:
    body = ("Selama semester I 2025 Bea Cukai menggagalkan penyelundupan narkotika sebanyak 11 kali. "
            "Pada Juni 2025 saja tercatat 2 kali penindakan narkotika.")
    assert [(m, s, p, v) for m, s, p, v, _, _ in facts(body)] == [("cases", "drugs", "2025", 11)]


def test_title_case_line_is_another_storys_headline() -> None:
    body = "Polres Kota Ungkap 120 Kasus Narkoba Sepanjang 2024 di Wilayahnya\nKapolres memimpin apel pagi."
    assert facts(body) == []


@pytest.mark.parametrize("digits", [16, 400, 5000])
def test_a_number_too_long_to_be_a_count_is_skipped(digits: int) -> None:
    body = f"Sepanjang 2024 tercatat sebanyak {'1' * digits} kasus narkoba dan 7 kasus judi."
    assert [(s, v) for _, s, _, v, _, _ in facts(body)] == [("gambling", 7)]


def test_a_count_past_the_population_is_not_a_tally() -> None:
    found = extract_statistics("Sepanjang 2024 tercatat 1.000.000.000.000.000 kasus narkoba dan 1.200 kasus pencurian.")
    assert [(s.measure, s.value) for s in found] == [("cases", 1200.0)]


def test_holds_finds_a_position_inside_a_span_as_a_scan_of_all_would() -> None:
    from itertools import product

    from pantau.extract.statistics import _holds

    positions = [0, 3, 3, 7, 12]
    for start, end in product(range(-1, 15), repeat=2):
        assert _holds(positions, start, end) == any(start <= p < end for p in positions), (start, end)
    assert not _holds([], 0, 10)


def test_period_years_are_found_where_the_look_behind_form_finds_them() -> None:
    import re

    from pantau.extract.statistics_periods import _YEAR

    slow = re.compile(r"(?<![\d.,/])(?:19|20)\d\d(?![\d/])")
    for text in ["semester I 2025 dan 1999", "1.2025 ,2025 /2025 2025/ 20255 x2025 2025x", "(2024) 12024", "2019-2020"]:
        assert [m.span() for m in _YEAR.finditer(text)] == [m.span() for m in slow.finditer(text)], text
        assert [m.span() for m in _YEAR.finditer(text, 2, 12)] == [m.span() for m in slow.finditer(text, 2, 12)], text
