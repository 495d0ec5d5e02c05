"""People named without a rank: names cleaned from model spans, the post-then-name shape, short forms merged."""

from __future__ import annotations

import pytest

from pantau.extract.entities import extract_entities
from pantau.extract.lexicon import annotate
from pantau.extract.names import clean_name, has_person_cue, is_common_word


def _clean(text: str, first: str, last: str) -> str | None:
    annotated = annotate(text)
    words = [t.text for t in annotated.doc]
    found = clean_name(annotated, words.index(first), words.index(last) + 1)
    return annotated.text(*found) if found else None


@pytest.mark.parametrize(("word", "common"), [
    ("ditemukan", True), ("Jasad", True), ("segera", True), ("tawarkan", True),
    ("Budi", False), ("Sudaryono", False), ("Simanjutak", False),
    ("dibeli", True), ("Berompi", True), ("Diana", False), ("Permadi", False), ("Sinurat", False),
])
def test_common_words_are_dictionary_words_that_are_not_name_words(word: str, common: bool) -> None:
    assert is_common_word(word) is common


def test_a_form_of_address_and_a_common_word_are_not_part_of_a_name() -> None:
    assert _clean("Kami bertemu Gus Hanafi Rozak di pondok.", "Gus", "Rozak") == "Hanafi Rozak"
    assert _clean("Pagi itu Jasad Wulan Sekar ditemukan warga.", "Jasad", "Sekar") == "Wulan Sekar"
    assert _clean("Kabar Rina Marlina Bebas Segera beredar.", "Rina", "Segera") == "Rina Marlina"


@pytest.mark.parametrize(("text", "first", "last"), [
    ("Ia tinggal di Jalan Lingkar Sukamaju bersama istrinya.", "Lingkar", "Sukamaju"),
    ("Pedagang menolak pindah ke Pasar Angsa Dua pekan depan.", "Angsa", "Dua"),
    ("Tim tamu Bengkulu Raya FC menang tipis malam itu.", "Raya", "FC"),
    ("Pelaku kabur naik Honda Vario warna hitam.", "Honda", "Vario"),
    ("Umat merayakan Idul Adha dengan berkurban.", "Adha", "Adha"),
])
def test_streets_markets_clubs_products_and_feasts_are_not_people(text: str, first: str, last: str) -> None:
    assert _clean(text, first, last) is None


def test_person_cues_around_a_single_word() -> None:
    annotated = annotate('"Kami belum tahu," kata Sitorus kepada wartawan. Marbun (45) tinggal di sana.')
    words = [t.text for t in annotated.doc]
    assert has_person_cue(annotated, words.index("Sitorus"), words.index("Sitorus") + 1)
    assert has_person_cue(annotated, words.index("Marbun"), words.index("Marbun") + 1)
    assert not has_person_cue(annotated, words.index("Kami"), words.index("Kami") + 1)


def test_a_name_closing_a_position_without_a_comma_is_a_person() -> None:
    text = ("Wakil Menteri Perikanan Hendra Wicaksono meninjau pelabuhan. Menurut Hendra, produksi naik. "
            "Kalapas Narkotika Sukamaju Ahmad Darmadi menerima kunjungan itu.")
    people = {p.name: p for p in extract_entities(text, use_model=False).people}
    assert set(people) == {"Hendra Wicaksono", "Ahmad Darmadi"}
    assert people["Hendra Wicaksono"].position == "Wakil Menteri Perikanan"
    assert len(people["Hendra Wicaksono"].mentions) == 2


def test_a_place_word_closing_a_position_is_no_person() -> None:
    text = "Kalapas Narkotika Sukamaju menerima kunjungan itu. Lapas Sukamaju penuh."
    assert extract_entities(text, use_model=False).people == []


def test_a_short_form_of_a_full_name_is_the_same_person() -> None:
    text = ("Terpidana Darmawan Halomoan P. Siregar kembali disorot. Kuasa hukum Darmawan Siregar, Yusuf Hamid, "
            "membantah. \"Klien kami kooperatif,\" kata Yusuf Hamid. Darmawan belum berkomentar.")
    people = [p.name for p in extract_entities(text).people]
    assert "Darmawan Halomoan P. Siregar" in people
    assert "Darmawan Siregar" not in people and "Darmawan" not in people


def test_a_one_word_name_takes_the_full_name_the_text_writes() -> None:
    text = ("Upacara dihadiri Rudiyanto Prawiro dan jajaran. Kemudian AKBP Rudiyanto mengatakan situasi aman. "
            "Korban Ketut Wirya sudah pulang, kata Rudiyanto.")
    people = {p.name: p for p in extract_entities(text, use_model=False).people}
    assert "Rudiyanto Prawiro" in people and "Rudiyanto" not in people
    assert people["Rudiyanto Prawiro"].rank_abbr == "AKBP"


def test_a_minister_named_by_the_short_form_of_the_post() -> None:
    people = {p.name: p for p in extract_entities("Menpora Dito Wirastama meninjau stadion itu.",
                                                  use_model=False).people}
    assert people["Dito Wirastama"].position == "Menpora"


def test_people_only_named_in_another_story_s_headline_are_not_in_this_one() -> None:
    text = ("Kapolres Sukamaju, AKBP Andi Wirawan, memimpin razia di pasar.\n\n"
            "Baca Juga Cerita Haru Tono Sudirja Kembali Ke Kampung Halaman\n\n"
            "Razia itu menyita 20 botol miras, kata Andi Wirawan.")
    names = {p.name for p in extract_entities(text).people}
    assert names == {"Andi Wirawan"}


def test_a_long_title_case_list_is_not_a_headline() -> None:
    text = ("Daftar pejabat baru:\n\n1. Wakil Menteri Perikanan Hendra Wicaksono - Komisaris Utama PT Samudra Jaya"
            "2. Wakil Menteri Pertanian Bagus Santosa - Komisaris PT Tani Makmur3. Wakil Menteri Kehutanan Yosef "
            "Manurung - Komisaris PT Rimba Raya")
    names = {p.name for p in extract_entities(text, use_model=False).people}
    assert names == {"Hendra Wicaksono", "Bagus Santosa", "Yosef Manurung"}


def test_the_pipeline_completes_a_name_the_model_cuts_short() -> None:
    people = extract_entities("Marciana Dominika Jone, aktivis LSM Bengkel APPeK, hadir di Desa Oelnasi.").people
    assert [p.name for p in people] == ["Marciana Dominika Jone"]


def test_names_marked_by_speech_verbs_are_people_with_their_full_name() -> None:
    text = ("Ekonom Tauwik Ahmadi menyoroti harga beras. \"Harga naik terus,\" kata Tauwik. "
            "Pedagang bernama Sinurat mengaku rugi. Sinurat mengatakan pembeli sepi.")
    names = {p.name for p in extract_entities(text, use_model=False).people}
    assert names == {"Tauwik Ahmadi", "Sinurat"}


def test_a_speech_verb_after_a_place_or_a_single_letter_makes_no_person() -> None:
    text = "Sementara itu, Jakarta mengatakan siap. Pelaku M mengaku menyesal."
    assert extract_entities(text, use_model=False).people == []


def test_an_alias_after_a_full_name_is_the_same_person() -> None:
    text = ("Kepala BNN, Budi Wirasena atau Buwira, hadir. \"Saya mendukung,\" ujar Buwira. "
            "Korban Ratna Sulistya Dewi (Ratih) dirawat. Ratih mengatakan sudah membaik.")
    names = {p.name for p in extract_entities(text, use_model=False).people}
    assert names == {"Budi Wirasena", "Ratna Sulistya Dewi"}


def test_the_longest_written_form_completes_a_one_word_name() -> None:
    text = ("Menkumham Yosua H. Lamury menerima laporan. Menurut Yosua Lamury, remisi sesuai aturan. "
            "\"Semua sesuai prosedur,\" kata Yosua.")
    names = {p.name for p in extract_entities(text, use_model=False).people}
    assert names == {"Yosua H. Lamury"}


def test_a_double_name_joined_by_a_hyphen_is_one_name() -> None:
    text = "Imigrasi menahan Ramon Ortega-Salinas dan Yusuf al-Hamdani. \"Mereka melanggar izin,\" kata Ortega-Salinas."
    names = {p.name for p in extract_entities(text).people}
    assert {"Ramon Ortega-Salinas", "Yusuf al-Hamdani"} <= names
    assert not names & {"Ortega", "Salinas", "Hamdani"}


def test_the_other_names_of_a_list_of_people_are_people() -> None:
    text = ("Susunan pemain Garuda Muda: 1 - Rizky Pratama, 4 - Bagas Kaffa, 5 - Yandi Sofyan, "
            "8 - Arkhan Fikri (Dony Tri 70'), 10 - Marselino Ferdinan.\n\n"
            "\"Kami puas,\" kata Rizky Pratama. Marselino Ferdinan mengatakan timnya siap.")
    names = {p.name for p in extract_entities(text, use_model=False).people}
    assert {"Bagas Kaffa", "Yandi Sofyan", "Arkhan Fikri", "Dony Tri"} <= names


def test_a_list_with_fewer_than_two_known_people_adds_nobody() -> None:
    text = "Peserta: Rizky Pratama, Bagas Kaffa, Yandi Sofyan, Arkhan Fikri."
    assert extract_entities(text, use_model=False).people == []


def test_an_initial_without_its_dot_is_part_of_the_full_name() -> None:
    text = "Rapat dipimpin Yosua H Lamury di Jakarta. \"Semua sudah sesuai aturan,\" kata Lamury."
    assert {p.name for p in extract_entities(text, use_model=False).people} == {"Yosua H Lamury"}


def test_an_initial_with_its_dot_in_one_token_stays_in_a_name_after_a_post() -> None:
    text = "Bupati Sukamaju, Markus O. Lamanda, menerima investor."
    (person,) = extract_entities(text, use_model=False).people
    assert person.name == "Markus O. Lamanda" and person.position == "Bupati Sukamaju"


def test_a_post_between_commas_after_a_ranked_name_is_the_position() -> None:
    text = "AKP Dodi Kurniawan, Kapolsek Sukamaju, mengatakan pelaku sudah ditahan."
    (person,) = extract_entities(text, use_model=False).people
    assert person.name == "Dodi Kurniawan" and person.position == "Kapolsek Sukamaju"


def test_a_position_with_bidang_and_an_abbreviated_post_in_brackets() -> None:
    people = {p.name: p.position for p in extract_entities(
        "Kasubdit I bidang Kamneg Ditreskrimum Polda NTB AKBP Andi Darma hadir. Kepala Kesatuan Pengamanan Lapas "
        "(Ka. KPLP), Rudi Hartono, berjaga.", use_model=False).people}
    assert people == {"Andi Darma": "Kasubdit I bidang Kamneg Ditreskrimum Polda NTB",
                      "Rudi Hartono": "Kepala Kesatuan Pengamanan Lapas (Ka. KPLP)"}


def test_a_dictionary_word_of_a_unit_before_a_full_name_closing_a_position_is_not_in_the_name() -> None:
    text = "Ketua Fraksi Partai Keadilan Sejahtera Ahmad Junaedi Rasyid menolak usulan itu."
    (person,) = extract_entities(text, use_model=False).people
    assert person.name == "Ahmad Junaedi Rasyid"


def test_roles_before_or_after_a_name_are_not_part_of_it() -> None:
    assert _clean("Kemarin Dosen Hukum Rina Marlina memberi kuliah.", "Dosen", "Marlina") == "Rina Marlina"
    assert _clean("Kabar Vivi Lestari Mahasiswi Sukamaju beredar.", "Vivi", "Sukamaju") == "Vivi Lestari"


def test_middle_initials_without_dots_complete_a_name() -> None:
    text = ("Menteri Bambang TS Wiradinata hadir. Menurut Bambang Wiradinata, target pajak naik. "
            "\"Kami terus memperbaiki sistem pajak,\" kata Wiradinata.")
    assert "Bambang TS Wiradinata" in {p.name for p in extract_entities(text, use_model=False).people}


def test_a_state_body_s_short_name_before_a_name_is_not_part_of_it() -> None:
    text = "Wakil Menteri Komdigi Rahmat Hidayatullah meninjau pusat data."
    assert [p.name for p in extract_entities(text, use_model=False).people] == ["Rahmat Hidayatullah"]


def test_a_two_word_cue_marks_a_name() -> None:
    text = "Terdakwa hadir bersama kuasa hukum Sutrisno Wibisono dalam sidang itu."
    assert [p.name for p in extract_entities(text, use_model=False).people] == ["Sutrisno Wibisono"]


def test_ranked_names_with_initials_first_and_a_status_in_brackets() -> None:
    text = ("Hadir Kasi Humas Iptu A. Rasyid, Ipda I.S Manurung dan Bripka (Purn) Sutarjo di acara itu. "
            "Ketua MUI Kota Sukamaju, Mahmudin, dan menantunya melapor.")
    names = {p.name for p in extract_entities(text, use_model=False).people}
    assert {"A. Rasyid", "I.S Manurung", "Sutarjo", "Mahmudin"} <= names


def test_an_age_between_commas_marks_a_name() -> None:
    text = "Dari tangan Suryani, 63, polisi menemukan uang palsu."
    assert [p.name for p in extract_entities(text, use_model=False).people] == ["Suryani"]


def test_a_particle_between_name_words_and_a_status_after_a_tni_rank() -> None:
    text = ("Bola ditepis kiper Marco Da Silva. \"Kami bertahan dengan baik,\" kata Silva. "
            "Hadir pula Mayor Jenderal (Purn) Hendra Wiratama.")
    names = {p.name for p in extract_entities(text, use_model=False).people}
    assert {"Marco Da Silva", "Hendra Wiratama"} <= names and "Silva" not in names and "Purn" not in names


def test_a_headline_after_a_post_and_a_comma_is_no_name() -> None:
    text = "Tonton juga video \"Dubes Sukamaju Temui Bupati, Tawarkan Bantuan Ternak untuk Warga\"."
    assert extract_entities(text, use_model=False).people == []


def test_the_capitalised_tokens_are_listed_in_order() -> None:
    from pantau.extract.lexicon import annotate

    annotated = annotate("Polisi menangkap Budi di Mataram, kata (Kapolres).")
    assert [annotated.texts[i] for i in annotated.capitalised] == ["Polisi", "Budi", "Mataram", "Kapolres"]


def test_char_spans_agree_with_the_tokens() -> None:
    from pantau.extract.lexicon import annotate

    text = "Kapolres AKBP I Made Sinar, S.I.K., M.H. mengatakan — “sabu 5,2 gram” disita di Jl. Sudirman."
    annotated = annotate(text)
    doc = annotated.doc
    for start in range(len(doc)):
        for end in range(start + 1, min(len(doc), start + 4) + 1):
            assert annotated.char_span(start, end) == (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
            assert annotated.text(start, end) == doc[start:end].text


def test_a_character_that_lower_cases_to_ascii_folds_to_the_same() -> None:
    import sys

    odd = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF
           and chr(c).lower().isascii() and chr(c).lower() != chr(c).casefold()]
    assert odd == []  # names.cue_zone looks cue words up by the lower-case form of an ASCII-lowering token
