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
