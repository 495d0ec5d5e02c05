"""Case statistics: hand-written sentences in the forms Indonesian police news uses, numbers that must
not become statistics, the stated-change check, and the founding articles' gold statistics."""

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


def test_sebanyak_n_tersangka() -> None:
    body = "Sebanyak 14 tersangka kasus narkoba diamankan Satresnarkoba Polres Jember pekan ini."
    assert facts(body) == [("suspects", "drugs", None, 14, [], "14 tersangka kasus narkoba")]


def test_n_kasus_dengan_n_tersangka_share_period_and_subject() -> None:
    body = "Selama 2023, Polda Riau mengungkap 1.024 kasus narkotika dengan 1.397 tersangka."
    assert facts(body) == [
        ("cases", "drugs", "2023", 1024, [], "1.024 kasus narkotika"),
        ("suspects", "drugs", "2023", 1397, [], "1.397 tersangka"),
    ]


def test_single_case_suspects_with_arrest_verb_and_number_words() -> None:
    body = "Polisi menangkap tiga puluh dua tersangka judi online di sebuah ruko di Medan."
    assert facts(body) == [("suspects", "gambling", None, 32, [], "tiga puluh dua tersangka judi online")]


def test_thousands_separator_and_declared_suspects() -> None:
    body = "Ada 2.016 orang yang ditetapkan tersangka selama operasi pemberantasan preman."
    assert facts(body) == [("suspects", None, None, 2016, [], "2.016 orang")]


def test_a_year_like_number_before_a_measure_noun_is_a_count() -> None:
    body = "Kapolda menyebut ada 2016 orang yang ditetapkan tersangka atas sejumlah kejahatan."
    assert facts(body) == [("suspects", None, None, 2016, [], "2016 orang")]


def test_arrests_and_detainees_need_their_verbs() -> None:
    body = "Tim gabungan mengamankan 12 orang pengedar sabu di Kampung Bahari, dan 9 orang yang ditahan di Polres."
    assert facts(body) == [
        ("arrests", "drugs", None, 12, [], "12 orang pengedar sabu"),
        ("detainees", "drugs", None, 9, [], "9 orang"),
    ]


def test_rehabilitations() -> None:
    body = "BNNP Jawa Barat telah merehabilitasi 1.250 orang pecandu sepanjang tahun 2023."
    assert facts(body) == [("rehabilitations", "drugs", "2023", 1250, [], "1.250 orang pecandu")]


def test_inmate_population_needs_a_population_cue() -> None:
    assert facts("Lapas Kelas IIA Banyuasin kini dihuni 1.200 warga binaan.") == [
        ("inmates", None, None, 1200, [], "1.200 warga binaan")]


def test_noun_first_population_with_as_of_date() -> None:
    body = ("Berdasarkan data per tanggal 14 Agustus 2017, jumlah narapidana dan tahanan seluruh Indonesia "
            "berjumlah 226.143 orang dengan rincian narapidana sebanyak 156.613 orang dan tahanan 69.530 orang.")
    assert [(m, p, v) for m, _, p, v, _, _ in facts(body)] == [
        ("inmates", "2017-08-14", 226143), ("prisoners", "2017-08-14", 156613), ("detainees", "2017-08-14", 69530)]


def test_remission_list_takes_each_items_own_subject() -> None:
    body = ("Remisi diberikan kepada 35 narapidana kasus terorisme, 14.661 narapidana kasus narkotika, "
            "dan 400 narapidana kasus korupsi.")
    assert [(m, s, v) for m, s, _, v, _, _ in facts(body)] == [
        ("remissions", "terrorism", 35), ("remissions", "drugs", 14661), ("remissions", "corruption", 400)]


@pytest.mark.parametrize(("body", "period"), [
    ("Selama Januari hingga Juni 2024, Polda Bali menangani 312 perkara narkotika.", "2024-01/2024-06"),
    ("Pada semester I 2024, sebanyak 40 tersangka kasus korupsi ditahan Kejati.", "2024-01/2024-06"),
    ("Sejak 2020 hingga 2024, tercatat 1.500 kasus perjudian.", "2020/2024"),
    ("Sepanjang Maret 2025 tercatat 41 kasus kecelakaan lalu lintas.", "2025-03"),
])
def test_period_forms(body: str, period: str) -> None:
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
def test_dari_menjadi_pair_without_years(stated: str, flag: str) -> None:
    body = f"Kasus kecelakaan lalu lintas menurun dari 120 kasus menjadi 100 kasus, atau turun {stated}."
    assert facts(body) == [
        ("cases", "traffic_accidents", None, 120, [], "120 kasus"),
        ("cases", "traffic_accidents", None, 100, [flag], "100 kasus"),
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
