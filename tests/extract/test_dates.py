from __future__ import annotations

from datetime import date

import pytest

from pantau.extract.dates import event_date, find_dates, parse_iso_date


@pytest.mark.parametrize(("text", "expected"), [
    ("ucapnya, Minggu (29/11/2020) malam.", date(2020, 11, 29)),
    ("di Ruang Kerja Kakanwil. Selasa (01/10/2024).", date(2024, 10, 1)),
    ("di lapangan Bhara Daksa Polda NTB, Kamis 22 April 2021.", date(2021, 4, 22)),
    ("di Rupatama Polres Tabanan, Rabu, 20 Desember 2023.", date(2023, 12, 20)),
    ("diamankan pada Jumat (4/5/2018) dini hari", date(2018, 5, 4)),
    ("pada Jum'at, 3 Mei 2024 sore", date(2024, 5, 3)),
    ("terjadi Minggu (28/8 / 2016) malam", date(2016, 8, 28)),
    ("digelar 17 Agustus 2025 di Jakarta", date(2025, 8, 17)),
    ("pada Senin, 2 Sept 2024", date(2024, 9, 2)),
    ("ditangkap Sabtu (15/06/24) pagi", date(2024, 6, 15)),
])
def test_written_date_forms(text: str, expected: date) -> None:
    assert [m.value for m in find_dates(text)] == [expected]


def test_weekday_without_year_takes_the_year_from_the_publication_date() -> None:
    [mention] = find_dates("kata Kapolres, Senin (12/8).", reference=date(2024, 8, 13))
    assert mention.value == date(2024, 8, 12) and mention.has_weekday and not mention.year_given


def test_day_month_in_january_published_looks_back_to_december() -> None:
    [mention] = find_dates("ungkapnya, Sabtu (30/12).", reference=date(2024, 1, 2))
    assert mention.value == date(2023, 12, 30)


def test_weekday_without_year_and_no_publication_date_uses_the_latest_year_if_it_fits() -> None:
    assert [m.value for m in find_dates("Sepanjang 2024 ... kata dia, Senin (12/8).")] == [date(2024, 8, 12)]
    # 12 August 2023 was a Saturday: the weekday contradicts the guess, so there is no date
    assert find_dates("Sepanjang 2023 ... kata dia, Senin (12/8).") == []


def test_law_numbers_scores_and_times_are_not_dates() -> None:
    text = ("sesuai Undang-Undang Nomor 2 tahun 2002 pasal 28, skor 12/8, pukul 10.30 WIB, "
            "disita 1.185 gram ganja dan 20.187 butir ekstasi, rasio 3/4.")
    assert find_dates(text) == []


def test_impossible_dates_are_rejected() -> None:
    assert find_dates("Senin (31/02/2024) dan Selasa (12/13/2024)") == []


def test_event_date_prefers_the_weekday_date_in_the_lead() -> None:
    body = ("Polisi menangkap dua orang, Senin (7/10/2024).\n\nSebelumnya, Jumat (4/10/2024), "
            "pelaku sempat kabur.")
    assert event_date(body) == date(2024, 10, 7)


def test_event_date_falls_back_to_a_weekday_date_later_in_the_body() -> None:
    body = "Kabid Humas membenarkan kejadian itu.\n\n“Sudah selesai,” ucapnya, Minggu (29/11/2020) malam."
    assert event_date(body) == date(2020, 11, 29)


def test_kemarin_is_relative_to_the_publication_date() -> None:
    body = ("Musisi itu menjalani sidang di Pengadilan Negeri Jakarta Selatan, kemarin.\n\n"
            "Ia ditangkap Rabu (19/2/2025).")
    assert event_date(body, published=date(2025, 6, 20)) == date(2025, 6, 19)


def test_no_date_in_text_gives_the_publication_date_or_none() -> None:
    assert event_date("Dalam konferensi pers akhir tahun, Kapolres menegaskan komitmennya.") is None
    assert event_date("Tanpa tanggal.", published=date(2024, 1, 5)) == date(2024, 1, 5)


def test_iso_dates_and_timestamps_from_metadata() -> None:
    assert parse_iso_date("2024-10-01T08:00:00+07:00") == date(2024, 10, 1)
    assert parse_iso_date("2024-02-30") is None
    assert parse_iso_date("kemarin") is None


def test_a_day_must_start_a_word() -> None:
    assert [m.value for m in find_dates("Senin, 12 Mei 2025 dan 3/4/2024.")] == [date(2025, 5, 12), date(2024, 4, 3)]
    assert find_dates("kode A12 Mei 2025 dan B3/4/2024 dan 123 Mei 2025") == []


def test_years_in_text_are_the_whole_word_years_a_leading_boundary_finds() -> None:
    import re

    from pantau.extract.dates import _YEAR_IN_TEXT

    slow = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
    for text in ["2024 dan 1949, 1950 serta 2099", "x2024 12024 20245 2024x 2024.", "(1998) 1998/1999 _2001 2001_",
                 "pada tahun 2025\n1965", "", "2", "19999 1995"]:
        assert _YEAR_IN_TEXT.findall(text) == slow.findall(text), text
