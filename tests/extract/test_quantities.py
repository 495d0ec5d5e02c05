from __future__ import annotations

from decimal import Decimal

import pytest

from pantau.extract.quantities import find_quantities, parse_digits, parse_number_words, parse_quantity


@pytest.mark.parametrize(("text", "expected"), [
    ("1.185", Decimal("1185")),
    ("20.187", Decimal("20187")),
    ("28,5", Decimal("28.5")),
    ("1.234,56", Decimal("1234.56")),
    ("1.500.000", Decimal("1500000")),
    ("0,48", Decimal("0.48")),
    ("1.5", Decimal("1.5")),  # a dot before other than three digits can only be a decimal point
    ("40", Decimal("40")),
])
def test_indonesian_digit_notation(text: str, expected: Decimal) -> None:
    assert parse_digits(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("satu", Decimal(1)),
    ("dua puluh", Decimal(20)),
    ("seratus", Decimal(100)),
    ("dua ratus lima puluh", Decimal(250)),
    ("seribu", Decimal(1000)),
    ("dua belas", Decimal(12)),
    ("seratus dua puluh lima", Decimal(125)),
    ("dua puluh ribu", Decimal(20000)),
    ("setengah", Decimal("0.5")),
    ("satu setengah", Decimal("1.5")),
])
def test_number_words(text: str, expected: Decimal) -> None:
    assert parse_number_words(text) == expected


@pytest.mark.parametrize("text", ["ribuan", "puluhan", "dua tiga", "ratus", "belas"])
def test_vague_or_malformed_number_words_are_not_numbers(text: str) -> None:
    assert parse_number_words(text) is None


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("1.185 gram", 1185.0, "g"),
    ("28,5 kg", 28500.0, "g"),
    ("1.234,56 gram", 1234.56, "g"),
    ("2 ons", 200.0, "g"),
    ("1,2 ton", 1200000.0, "g"),
    ("500 mg", 0.5, "g"),
    ("40kg", 40000.0, "g"),
    ("3,18 gr", 3.18, "g"),
    ("setengah kilogram", 500.0, "g"),
    ("seperempat kilogram", 250.0, "g"),
    ("½ kg", 500.0, "g"),
    ("20.187 butir", 20187.0, "pill"),
    ("1,2 juta butir", 1200000.0, "pill"),
    ("dua ratus lima puluh butir", 250.0, "pill"),
    ("seribu tablet", 1000.0, "pill"),
    ("5 batang", 5.0, "plant"),
    ("100 ml", 100.0, "ml"),
    ("2 liter", 2000.0, "ml"),
    ("2 L", 2000.0, "ml"),
    ("5 paket", 5.0, "package"),
    ("3 klip", 3.0, "package"),
    ("dua bungkus", 2.0, "package"),
])
def test_units_are_normalised(text: str, value: float, unit: str) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.unit) == (value, unit)
    assert q.span == (0, len(text))


@pytest.mark.parametrize(("text", "qualifier"), [
    ("lebih dari 28 kilogram", "more_than"),
    ("1 kilogram lebih", "more_than"),
    ("sekitar 5 kg", "about"),
    ("kurang lebih 25 gram", "about"),
    ("lebih kurang 25 gram", "about"),
    ("kira-kira 3 gram", "about"),
    ("± 3 gram", "about"),
    ("kurang dari 1 gram", "less_than"),
    ("hampir 2 kg", "almost"),
    ("nyaris 1 ton", "almost"),
    ("25 gram", None),
])
def test_qualifiers(text: str, qualifier: str | None) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert q.qualifier == qualifier
    assert q.span == (0, len(text))


@pytest.mark.parametrize(("text", "basis"), [
    ("0,48 gram brutto", "gross"),
    ("21.158 gram (bruto)", "gross"),
    ("5,12 gram netto", "net"),
    ("19,4 kg neto", "net"),
    ("5 gram", None),
])
def test_weight_basis(text: str, basis: str | None) -> None:
    q = parse_quantity(text)
    assert q is not None and q.weight_basis == basis


def test_a_decimal_split_by_a_space_after_a_grouped_number_is_joined() -> None:
    # news-dev: "sabu dengan berat total 19.426, 7307 gram neto"
    [q] = find_quantities("berat total 19.426, 7307 gram neto")
    assert (q.value, q.unit, q.weight_basis) == (19426.7307, "g", "net")


@pytest.mark.parametrize("text", [
    "ribuan gram sabu",
    "puluhan ribu butir obat keras",
    "ratusan kilogram ganja",
    "beberapa paket sabu",
    "2-3 gram",
    "2 hingga 3 gram",
    "Amankan 17, 45 Gr Sabu",  # a list or a broken decimal: not guessed
    "Rp 1,5 juta per gram",
    "AS (29) dan 2 tersangka",
    "pada tahun 2024",
    "2 l",  # lower-case l is not a litre
])
def test_no_quantity(text: str) -> None:
    assert find_quantities(text) == []


def test_several_amounts_in_one_list_keep_their_own_qualifiers() -> None:
    text = "lebih dari 28 kilogram sabu, 1.185 gram ganja, dan 20.187 butir ekstasi"
    found = find_quantities(text)
    assert [(q.value, q.unit, q.qualifier) for q in found] == [
        (28000.0, "g", "more_than"), (1185.0, "g", None), (20187.0, "pill", None),
    ]
    assert [text[q.span[0]:q.span[1]] for q in found] == ["lebih dari 28 kilogram", "1.185 gram", "20.187 butir"]


def test_amount_restated_in_other_unit() -> None:
    found = find_quantities("sabu sebanyak 6.521 gram atau 6,5 kg")
    assert [(q.value, q.precision) for q in found] == [(6521.0, 4), (6500.0, 2)]


@pytest.mark.parametrize("number", ["1" * 16, "1" * 400, ".".join(["111"] * 30)])
def test_a_number_longer_than_any_amount_is_not_read(number: str) -> None:
    assert [q.value for q in find_quantities(f"sebanyak {number} gram dan 15 kg")] == [15000.0]


def test_the_longest_readable_number() -> None:
    # 15 digits are read (here a decimal, since a figure that large is past every unit's limit); 16 are not
    assert [q.value for q in find_quantities(f"1,{'9' * 14} gram")] == [float("1." + "9" * 14)]
    assert find_quantities(f"1,{'9' * 15} gram") == []


def test_negative_and_absurd_amounts_are_not_quantities() -> None:
    found = find_quantities("Ada -5 gram, 2-3 gram, 1.000.000 ton dan 12 gram.")
    assert [(q.value, q.unit) for q in found] == [(12.0, "g")]  # a range is left out on purpose too
