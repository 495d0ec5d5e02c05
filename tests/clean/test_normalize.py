"""The glued-word repairs of ``normalize_text`` and the shortcuts that skip a repair a text cannot need."""

from __future__ import annotations

from pantau.clean.normalize import MAX_RUN, normalize_text, unglue


def test_a_speech_verb_glued_to_a_name_is_set_apart_and_a_plain_text_is_left_alone() -> None:
    assert normalize_text("Kata Budimenyampaikan pesan itu.") == "Kata Budi menyampaikan pesan itu."
    assert normalize_text("Kata Budi menyampaikan pesan itu.") == "Kata Budi menyampaikan pesan itu."
    # a head of two letters is too short to be a name before the verb
    assert normalize_text("Kata Bumenyampaikan pesan.") == "Kata Bumenyampaikan pesan."


def test_glued_words_and_initials_are_split_only_on_lines_that_are_not_headlines() -> None:
    text = ("Warga melapor ke petugas di wilayahCengkareng pada malam itu.\n"
            "Polisi Tangkap Pengedar Sabu Di Kampung Baru DatangSidang Hari Ini")
    lines = unglue(text).split("\n")
    assert lines[0] == "Warga melapor ke petugas di wilayah Cengkareng pada malam itu."
    assert lines[1] == "Polisi Tangkap Pengedar Sabu Di Kampung Baru DatangSidang Hari Ini"  # a headline line
    assert unglue("Tersangka RMmenjalani pemeriksaan.") == "Tersangka RM menjalani pemeriksaan."


def test_a_text_without_glued_letters_is_unchanged() -> None:
    text = "Polisi menangkap dua orang di Mataram.\nKeduanya ditahan di Polres Mataram."
    assert unglue(text) == text


def test_only_runs_longer_than_the_limit_are_broken() -> None:
    run = "x" * (MAX_RUN + 50)
    assert normalize_text(f"awal {run} akhir").split() == ["awal", "x" * 100, "x" * 100, "x" * 50, "akhir"]
    just = "y" * MAX_RUN
    assert normalize_text(f"awal {just} akhir") == f"awal {just} akhir"


def test_capitalised_words_are_the_words_a_leading_word_boundary_finds() -> None:
    import re

    from pantau.clean.normalize import capitalised_words

    texts = ["Kapolres Sutrisno mengatakan", "xKapolres Kapolres. (Kapolres) _Kapolres 9Kapolres", "Abc Abcdefghij",
             "KapolresX Kapolres-Tabanan Kapolres'nya Éamon Kapolresé", "", "Kapolres\nSutrisno\tMahendra"]
    for size in (2, 7, 10):
        slow = re.compile(rf"\b[A-Z][a-z]{{{size},}}\b")
        for text in texts:
            assert capitalised_words(size).findall(text) == slow.findall(text), (size, text)


def test_spaces_are_unified_whether_or_not_the_text_has_runs_of_them() -> None:
    import re

    from pantau.clean.normalize import normalize_text

    slow = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
    for text in ["Polisi menangkap dua orang.", "Polisi  menangkap\tdua\u00a0orang .", " Polisi \u3000 menangkap ",
                 "Polisi\u2002menangkap", "a \n  b", "kata\u202fdia"]:
        expected = "\n".join(line.strip() for line in slow.sub(" ", text).split("\n"))
        assert normalize_text(text) == normalize_text(expected) == expected


def test_a_glued_name_is_split_on_a_line_an_earlier_split_changed_and_on_no_other() -> None:
    from pantau.clean.normalize import unglue

    # "Wibowomeninggal" appears only once "wilayahWibowomeninggal" is split into two words
    assert unglue("Warga wilayahWibowomeninggal dunia.\nKapolres Sutrisno hadir.") == \
        unglue("Warga wilayah Wibowomeninggal dunia.\nKapolres Sutrisno hadir.")
    assert unglue("Kapolres Sutrisno hadir di sana.") == "Kapolres Sutrisno hadir di sana."


def test_a_lower_case_letter_before_a_capital_is_found_wherever_it_is() -> None:
    import re

    from pantau.clean.normalize import _LOWER_UPPER

    slow = re.compile("[a-z][A-Z]")
    for text in ["MusisiFariz", "Musisi Fariz", "aB", "AB ab", "", "x\nY", "ÉcoleParis", "wilayahCengkareng."]:
        assert (_LOWER_UPPER.search(text) is None) == (slow.search(text) is None), text
