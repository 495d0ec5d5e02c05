from __future__ import annotations

import pytest

from pantau.extract.language import detect_language

INDONESIAN = ("Polres Banyuasin berhasil mengamankan lebih dari 28 kilogram sabu dan 20.187 butir ekstasi "
              "sepanjang tahun 2024, kata Kapolres kepada wartawan.")


def test_indonesian_news_is_id() -> None:
    assert detect_language(INDONESIAN) == "id"


def test_short_indonesian_sentence_is_still_id() -> None:
    assert detect_language("Polisi menyita 28 kilogram sabu di Banyuasin.") == "id"


@pytest.mark.parametrize(("text", "code"), [
    ("The police seized 28 kilograms of methamphetamine in South Sumatra on Monday, officials said, "
     "adding that two suspects were arrested at the scene.", "en"),
    ("La police a saisi vingt-huit kilogrammes de méthamphétamine dans le sud du pays lundi, selon "
     "les autorités, et deux suspects ont été arrêtés.", "fr"),
    ("Die Polizei hat am Montag im Süden des Landes achtundzwanzig Kilogramm Methamphetamin "
     "beschlagnahmt, teilten die Behörden mit.", "de"),
])
def test_other_languages_are_marked_with_their_code(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_too_little_text_has_no_language() -> None:
    assert detect_language("") is None
    assert detect_language("12/08 2024") is None
