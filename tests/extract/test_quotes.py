from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pantau.extract.quotes import extract_quotes
from pantau.record import Person, Quote

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
GOLD = Path(__file__).parent.parent / "fixtures" / "gold.json"


def _spans(body: str, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", body)]


def person(body: str, name: str, position: str | None = None, *, also: tuple[str, ...] = ()) -> Person:
    """A Person as the entity extractor would give it: every mention of the full name, its first and
    last word, the position, and any other form passed in ``also``."""
    words = name.split()
    forms = {name, words[0], words[-1], *also} | ({position} if position else set())
    mentions = sorted({span for form in forms for span in _spans(body, form)})
    return Person(name=name, position=position, mentions=mentions)


def one(body: str, people: list[Person] | None = None) -> Quote:
    [quote] = extract_quotes(body, people or [])
    return quote


def check_spans(body: str, quotes: list[Quote]) -> None:
    for q in quotes:
        if "\n" not in q.text:
            assert body[q.span[0]:q.span[1]] == q.text


# --- explicit names after the cue ---------------------------------------------------------------


def test_surname_after_cue_resolves_to_the_full_name() -> None:
    body = ("Kepala BNNP NTT, Brigjen Pol Totok Lisdiarto, meninjau Lapas Kupang. “Kami ingin memastikan "
            "pengawasan di dalam lapas berjalan lebih baik,” kata Lisdiarto.")
    q = one(body, [person(body, "Totok Lisdiarto", "Kepala BNNP NTT")])
    assert q.text == "Kami ingin memastikan pengawasan di dalam lapas berjalan lebih baik"
    assert (q.speaker, q.cue) == ("Totok Lisdiarto", "kata")
    assert body[q.span[0]:q.span[1]] == q.text


def test_first_name_after_cue() -> None:
    body = ("Kepala Kanwil Kemenkumham NTT, Marciana Dominika Jone, menyambut baik kunjungan itu.\n\n"
            "\"Pengawasan akan kami perketat di seluruh lapas dan rutan,\" ujar Marciana.")
    q = one(body, [person(body, "Marciana Dominika Jone", "Kepala Kanwil Kemenkumham NTT")])
    assert q.text.startswith("Pengawasan akan kami perketat")
    assert (q.speaker, q.cue) == ("Marciana Dominika Jone", "ujar")


@pytest.mark.parametrize("written", ["AKBP Rury", "AKBP Rury Prastowo", "Rury Prastowo", "Kapolres AKBP Rury"])
def test_rank_and_name_after_cue(written: str) -> None:
    body = f"“Kami tidak bisa bekerja sendiri dalam memberantas narkoba,” tutur {written} di Mapolres."
    q = one(body, [person(body, "Rury Prastowo", "Kapolres Banyuasin", also=("AKBP Rury",))])
    assert (q.speaker, q.cue) == ("Rury Prastowo", "tutur")


def test_name_not_in_people_is_returned_as_written_without_rank() -> None:
    body = ("“Dari tangan tersangka didapat 21 linting tembakau gorila,” kata Kanit I Ditnarkoba Polda "
            "Bengkulu, AKP Agus Gunawan kepada wartawan.")
    assert one(body).speaker == "Agus Gunawan"
    body = "“Pelaku gagal menarik ponsel korban lalu kabur,” ujar Kapolsek Bubutan Kompol Vonny Farizky."
    assert one(body).speaker == "Vonny Farizky"


# --- posts --------------------------------------------------------------------------------------


def test_post_after_cue_resolves_through_the_position() -> None:
    body = ("Sementara itu, Kapolda NTB Irjen Pol Mohammad Iqbal mengapresiasi kegiatan tersebut.\n\n"
            "“Kegiatan ini juga upaya membawa NTB ke Zero Narkoba,” ungkap Kapolda.")
    q = one(body, [person(body, "Mohammad Iqbal", "Kapolda NTB", also=("Kapolda",))])
    assert (q.speaker, q.cue) == ("Mohammad Iqbal", "ungkap")


def test_two_word_post_after_cue() -> None:
    body = "“Petakan seluruh potensi gangguan kamtibmas di wilayah masing-masing,” tegas Asops Polri."
    q = one(body, [person(body, "Verdianto Iskandar Bitticaca", "Asops Polri")])
    assert (q.speaker, q.cue) == ("Verdianto Iskandar Bitticaca", "tegas")


def test_post_without_a_person_is_the_speaker_as_written() -> None:
    body = "“Anaknya kemudian saya gendong menuju Mapolres,” tambah Kapolres."
    assert one(body).speaker == "Kapolres"


def test_bare_post_takes_the_name_written_with_it_earlier() -> None:
    body = ("“Pelaku gagal menarik ponsel korban lalu kabur,” ujar Kapolsek Bubutan Kompol Vonny Farizky.\n\n"
            "“Satu pelaku sempat melarikan diri ke Jalan Tunjungan,” tambah Kapolsek.")
    assert [q.speaker for q in extract_quotes(body, [])] == ["Vonny Farizky", "Vonny Farizky"]


# --- pronoun cues -------------------------------------------------------------------------------

NYA = ["ucapnya", "katanya", "ujarnya", "tegasnya", "jelasnya", "tutupnya", "pungkasnya", "bebernya",
       "paparnya", "terangnya", "ungkapnya", "tuturnya", "imbuhnya", "tambahnya", "sebutnya", "lanjutnya"]


@pytest.mark.parametrize("cue", NYA)
def test_every_nya_cue_refers_to_the_subject_of_the_previous_paragraph(cue: str) -> None:
    body = ("Kabid Humas Polda Kalteng, Hendra Rochmawan, membenarkan adanya miskomunikasi antara petugas "
            "sipir dan personel Ditresnarkoba.\n\n"
            "Saat itu, personel yang sudah mendapat izin dari Kalapas Kasongan berangkat ke lapas.\n\n"
            f"“Anggota pengamanan yang berjaga masih baru, sehingga koordinasi sempat terputus,” {cue}.")
    people = [person(body, "Hendra Rochmawan", "Kabid Humas Polda Kalteng"),
              person(body, "Ahmad Hardi", "Kalapas Narkotika Kasongan", also=("Kalapas Kasongan",))]
    q = one(body, people)
    assert (q.speaker, q.cue) == ("Hendra Rochmawan", cue)
    assert q.text.startswith("Anggota pengamanan yang berjaga")


@pytest.mark.parametrize("cue", ["kata dia", "ujar dia", "tutur dia", "tutup dia"])
def test_verb_with_a_pronoun(cue: str) -> None:
    body = ("Kepala Lapas Jelekong Aldi Subartono mengatakan pelaku memesan sabu lewat drone.\n\n"
            f"\"Sejauh ini baru pertama menggunakan drone, petugas kami sigap,\" {cue}, Rabu (11/6/2025).")
    q = one(body, [person(body, "Aldi Subartono", "Kepala Lapas Jelekong")])
    assert (q.speaker, q.cue) == ("Aldi Subartono", cue)


def test_pronoun_cue_after_a_quote_keeps_the_last_speaker() -> None:
    body = ("“Dibuktikan dengan banyaknya tangkapan residivis pasca rehabilitasi,” ungkap Dir Resnarkoba "
            "Polda NTB Kombes Pol Helmi Kwarta.\n\n"
            "Menurutnya, para rehaber tidak memiliki pekerjaan setelah keluar.\n\n"
            "“Mereka tidak punya sumber penghasilan untuk biaya hidup,” bebernya.")
    quotes = extract_quotes(body, [person(body, "Helmi Kwarta", "Dir Resnarkoba Polda NTB")])
    assert [(q.speaker, q.cue) for q in quotes] == [("Helmi Kwarta", "ungkap"), ("Helmi Kwarta", "bebernya")]


def test_pronoun_cue_after_a_new_subject_post_without_a_name() -> None:
    body = ("“Tidak ada lagi anggota yang datang ke posko pemenangan partai,” tegas Asops Polri.\n\n"
            "Sementara, pemaparan dari Karo Wabprop Bid Propam Polri menyampaikan terkait netralitas.\n\n"
            "“Namun masih ada beberapa kejadian viral di medsos soal netralitas,” tutupnya.")
    quotes = extract_quotes(body, [person(body, "Verdianto Iskandar Bitticaca", "Asops Polri")])
    assert [q.speaker for q in quotes] == ["Verdianto Iskandar Bitticaca", "Karo Wabprop Bid Propam Polri"]


def test_pronoun_cue_after_a_post_subject_resolves_to_the_person() -> None:
    body = ("Kapolda menambahkan, dalam mewujudkan zona integritas dibutuhkan orang yang tepat. “Mungkin "
            "diperlukan adanya the man behind the gun,” ucapnya.")
    q = one(body, [person(body, "Mohammad Iqbal", "Kapolda NTB", also=("Kapolda",))])
    assert (q.speaker, q.cue) == ("Mohammad Iqbal", "ucapnya")


def test_a_name_in_a_prepositional_phrase_or_object_is_not_the_subject() -> None:
    body = ("Kasat Resnarkoba AKP Budi Santoso membenarkan penangkapan itu. Pelaku diserahkan kepada "
            "Kapolsek Tambora yang langsung memeriksanya, dan izin dari Kalapas Cipinang berangkat siang.\n\n"
            "“Barang bukti sabu seberat 5 gram kami sita dari saku pelaku,” ujarnya.")
    assert one(body).speaker == "Budi Santoso"


def test_a_name_in_a_subordinate_clause_is_not_the_subject() -> None:
    body = ("Kapolres Tabanan AKBP Leo Dedy Defretes menyebut tersangka AB mengaku membeli sabu dari Denpasar.\n\n"
            "“Kami masih mengejar pemasok sabu tersebut sampai tertangkap,” ujarnya.")
    assert one(body).speaker == "Leo Dedy Defretes"


def test_passive_attribution_and_menurut_make_the_current_speaker() -> None:
    body = ("Korban telah ditemukan. Hal tersebut dikatakan Kasat Reskrim Polresta Depok Kompol Putu Kholis "
            "Aryana.\n\n“Ya betul korban telah ditemukan di daerah Lenteng Agung,” ujarnya.")
    assert one(body).speaker == "Putu Kholis Aryana"
    body = ("Menurut Ryu, biologi bebas nilai sehingga tidak ada yang baik atau jelek. “Nilai itu pada suatu "
            "tempat bisa berbeda dengan tempat lain,” ujarnya.")
    assert one(body).speaker == "Ryu"


def test_subject_with_an_appositive_description_or_a_time_clause() -> None:
    body = ("Susilawati, kakak dari salah satu peserta asal Kecamatan Greged, menyampaikan harapannya.\n\n"
            "\"Ini dia salah pergaulan, terbawa-bawa teman sama kakak kelasnya,\" katanya.")
    assert one(body).speaker == "Susilawati"
    body = ("Kasat Narkotika Polres Buleleng, AKP Putu Edy Sukaryawan saat dikonfirmasi membenarkan "
            "penangkapan SD.\n\n\"Kami berhasil mengamankan sabu dengan berat 0,48 gram,\" ucapnya.")
    assert one(body).speaker == "Putu Edy Sukaryawan"


def test_a_name_after_a_description_is_not_the_speaker() -> None:
    body = ("\"Kalau dikatakan sebagai pengguna, ya dia menerima,\" tegas Griffinly Mewoh.\n\n"
            "Kuasa hukum Fariz RM menyampaikan harapan agar hakim melihat posisi kliennya.\n\n"
            "\"Jadi kami mohon kepada majelis hakim bahwa klien kami korban,\" tukasnya.")
    assert [q.speaker for q in extract_quotes(body, [])] == ["Griffinly Mewoh", "Griffinly Mewoh"]


def test_capitalised_cue_after_a_comma() -> None:
    body = "\"Tim mendapat informasi dari masyarakat soal peredaran sabu,\" Kata Brigjen Eko Hadi Santoso."
    q = one(body)
    assert (q.speaker, q.cue) == ("Eko Hadi Santoso", "Kata")


# --- cues before the quote ------------------------------------------------------------------------


def test_cue_verb_before_the_quote() -> None:
    body = "Keith Richards menuturkan, “Sitar itu sangat rapuh, dan harus hati-hati memainkannya.”"
    q = one(body)
    assert (q.speaker, q.cue) == ("Keith Richards", "menuturkan")
    assert q.text == "Sitar itu sangat rapuh, dan harus hati-hati memainkannya."


def test_post_and_verb_before_the_quote() -> None:
    body = "Kapolres mengatakan, \"Kami akan terus meningkatkan operasi di wilayah rawan narkoba.\""
    q = one(body, [person(body, "Rury Prastowo", "Kapolres Banyuasin", also=("Kapolres",))])
    assert (q.speaker, q.cue) == ("Rury Prastowo", "mengatakan")


def test_menurut_before_the_quote() -> None:
    body = "Menurut Kapolsek Tambora Kompol Slamet Riyadi, “pelaku sudah lama kami intai di kawasan Krukut.”"
    q = one(body)
    assert (q.speaker, q.cue) == ("Slamet Riyadi", "Menurut")


# --- quote marks ----------------------------------------------------------------------------------


def test_quote_continued_over_paragraphs() -> None:
    body = ("Kapolres Banyuasin AKBP Rury Prastowo menegaskan komitmennya.\n\n"
            "“Penurunan ini adalah hasil kerja keras seluruh jajaran.\n\n"
            "“Kami akan terus meningkatkan intensitas operasi,” ungkapnya.\n\n"
            "Kapolres juga mengapresiasi masyarakat.")
    q = one(body, [person(body, "Rury Prastowo", "Kapolres Banyuasin", also=("Kapolres",))])
    assert q.text == ("Penurunan ini adalah hasil kerja keras seluruh jajaran.\n\n"
                      "Kami akan terus meningkatkan intensitas operasi")
    assert (q.speaker, q.cue) == ("Rury Prastowo", "ungkapnya")
    assert body[q.span[0]:].startswith("Penurunan") and body[:q.span[1]].endswith("intensitas operasi")


def test_nested_single_quotes_stay_inside() -> None:
    body = "“Pelaku menyebut barang itu ‘teh hijau’ agar tidak dicurigai petugas,” kata Kombes Gazali Ahmad."
    q = one(body)
    assert q.text == "Pelaku menyebut barang itu ‘teh hijau’ agar tidak dicurigai petugas"
    assert q.speaker == "Gazali Ahmad"
    body = "\"Kami menyebutnya 'kurir tempel' karena tidak pernah bertemu pembeli,\" ujar AKP Edy."
    assert one(body).text == "Kami menyebutnya 'kurir tempel' karena tidak pernah bertemu pembeli"


def test_straight_and_curly_quotes_and_spaces_inside_marks() -> None:
    curly = "“ Kami merasa prihatin karena banyak rekan terjerat narkoba, ” ujar Marcella."
    straight = "\" Kami merasa prihatin karena banyak rekan terjerat narkoba, \" ujar Marcella."
    for body in (curly, straight):
        q = one(body)
        assert (q.text, q.speaker, q.cue) == (
            "Kami merasa prihatin karena banyak rekan terjerat narkoba", "Marcella", "ujar")
        check_spans(body, [q])


def test_stray_opening_mark_does_not_swallow_the_article() -> None:
    body = ("Polisi menyebut “operasi senyap sudah dimulai sejak Januari dan pelaku ditangkap di rumahnya.\n\n"
            "“Kami sudah mengintai pelaku sejak lama,” kata Kapolres AKBP Hendry.\n\n"
            "Pelaku kini ditahan di Mapolres Kendal.")
    q = one(body)
    assert (q.text, q.speaker) == ("Kami sudah mengintai pelaku sejak lama", "Hendry")


def test_unclosed_quote_at_the_end_is_dropped() -> None:
    body = ("Menurut Ryu, biologi bebas nilai. “Nilai itu pada suatu tempat dan saat bisa berbeda dengan\n\n"
            "Baca juga: Polisi tangkap pengedar sabu di Kupang")
    assert extract_quotes(body, []) == []


def test_stray_closing_mark_and_reopened_quote() -> None:
    body = ("Tersangka” ditangkap di rumahnya. “Ini kata yang salah “Kami sita 2 kilogram sabu dari mobil "
            "tersangka,” ujar Kasat Narkoba AKP Sugeng Riyadi.")
    q = one(body)
    assert q.text == "Kami sita 2 kilogram sabu dari mobil tersangka"
    assert q.speaker == "Sugeng Riyadi"


def test_short_quoted_terms_are_not_quotes() -> None:
    body = ("Lagu “Paint It, Black” dari The Rolling Stones kerap dibawakan ulang. Warga menjulukinya “Si "
            "Kancil” karena lincah. Kegiatan ini membawa NTB ke “Zero Narkoba” pada 2025. Tema tahun ini "
            "adalah \"Semangat Pemerataan Pembangunan dan Ketahanan Nasional,\". Aaron berkata ada “masalah "
            "transportasi.” Ia tidak datang.")
    assert extract_quotes(body, []) == []


def test_a_quote_has_five_words_even_with_a_cue() -> None:
    # the field holds statements (annotation guide: at least five words); bare replies are left out
    body = ("\"Mau ketemu Pak Gubernur sekarang,\" kata Adnan.\n\n\"Gubernur?\" tanya perekam.\n\n"
            "\"Iya,\" kata Adnan.")
    quotes = extract_quotes(body, [])
    assert [(q.text, q.speaker, q.cue) for q in quotes] == [("Mau ketemu Pak Gubernur sekarang", "Adnan", "kata")]


# --- a quote inside a paragraph, after a sentence of narration ---------------------------------


MID = "Petugas menggeledah rumah kontrakan di Binjai. Pemiliknya mengaku baru pindah sebulan lalu. "


@pytest.mark.parametrize(("opening", "closing"), [('"', '"'), ("“", "”"), ("„", "”")])
def test_a_cued_quote_after_a_sentence_end_in_the_middle_of_a_paragraph(opening: str, closing: str) -> None:
    body = (f"{MID}{opening}Barang itu bukan milik kami sama sekali,{closing} kata Rosmawati Lubis. "
            "Penyidik masih memeriksa dua saksi.")
    q = one(body, [person(body, "Rosmawati Lubis")])
    assert (q.text, q.speaker, q.cue) == ("Barang itu bukan milik kami sama sekali", "Rosmawati Lubis", "kata")
    assert body[q.span[0]:q.span[1]] == q.text


@pytest.mark.parametrize("end", [".\" kata", "!\" tegas", "\", kata", "\" kata"])
def test_a_mid_paragraph_quote_closed_by_any_speech_punctuation(end: str) -> None:
    body = f'{MID}"Barang itu bukan milik kami sama sekali{end} Rosmawati Lubis, Selasa (4/3). Ia lalu pulang.'
    q = one(body, [person(body, "Rosmawati Lubis")])
    assert q.text.rstrip(".!") == "Barang itu bukan milik kami sama sekali"
    assert q.speaker == "Rosmawati Lubis"


def test_a_mid_paragraph_quote_after_a_nickname_in_quotes_and_a_post_with_rank() -> None:
    body = ("Pria berjuluk “Si Belut” itu ditangkap di Binjai. “Dia sudah lama kami intai di kampung ini,” "
            "kata Kasat Resnarkoba Polres Binjai AKP Darwin Pane.")
    q = one(body, [person(body, "Darwin Pane", "Kasat Resnarkoba Polres Binjai")])
    assert (q.text, q.speaker, q.cue) == ("Dia sudah lama kami intai di kampung ini", "Darwin Pane", "kata")


def test_a_mid_paragraph_quote_after_a_sentence_announcing_it() -> None:
    body = ("Kapolres Binjai AKBP Hendra Wijaya memimpin penggeledahan itu. Kapolres menambahkan. "
            "\"Kami akan terus memburu pemasok barang haram ini,\" ujarnya. Dua saksi sudah diperiksa.")
    q = one(body, [person(body, "Hendra Wijaya", "Kapolres Binjai")])
    assert (q.text, q.speaker, q.cue) == ("Kami akan terus memburu pemasok barang haram ini", "Hendra Wijaya",
                                          "ujarnya")


def test_two_quotes_in_one_paragraph() -> None:
    body = (f"{MID}\"Barang itu bukan milik kami sama sekali,\" kata Rosmawati Lubis. \"Kami hanya menyewa "
            "rumah ini dari orang lain,\" tambahnya.")
    quotes = extract_quotes(body, [person(body, "Rosmawati Lubis")])
    assert [(q.speaker, q.cue) for q in quotes] == [("Rosmawati Lubis", "kata"), ("Rosmawati Lubis", "tambahnya")]
    check_spans(body, quotes)


def test_short_replies_and_terms_in_the_middle_of_a_paragraph_are_not_quotes() -> None:
    # below the field's five words a reply is left out wherever it stands; a term inside a sentence is
    # never a quote, however long
    body = (f"{MID}\"Iya,\" kata Rosmawati Lubis. “Bukan punya saya,” ujarnya. Warga mendukung program "
            "\"Kampung Bebas Narkoba Sejak Dini Sekali\" yang digagas polisi. Ia menyebut \"Zero Narkoba\" itu "
            "penting.")
    assert extract_quotes(body, [person(body, "Rosmawati Lubis")]) == []


def test_quote_without_cue_standing_as_a_sentence_follows_the_previous_speaker() -> None:
    body = ("“Kondisi kesehatannya baik dan sehat,” tutur Egia Tarigan. “Informasi yang kita dapat selama "
            "menghilang dia bekerja di Depok.” (Angga)")
    quotes = extract_quotes(body, [])
    assert [(q.speaker, q.cue) for q in quotes] == [("Egia Tarigan", "tutur"), ("Egia Tarigan", None)]
    assert quotes[1].text == "Informasi yang kita dapat selama menghilang dia bekerja di Depok."


def test_two_speakers_alternating() -> None:
    body = ("Kabid Humas Polda Metro Jaya Kombes Argo Yuwono dan Kepala BNN Budi Waseso hadir.\n\n"
            "“Kami sudah menangkap tiga pengedar di Jakarta Selatan,” kata Argo.\n\n"
            "“BNN akan menelusuri aliran dana para pengedar itu,” ujar Budi Waseso.\n\n"
            "“Pemeriksaan para tersangka masih berjalan,” tambah Argo.\n\n"
            "“Kami juga akan memeriksa rekening bank mereka,” katanya.")
    people = [person(body, "Argo Yuwono", "Kabid Humas Polda Metro Jaya"),
              person(body, "Budi Waseso", "Kepala BNN")]
    quotes = extract_quotes(body, people)
    assert [q.speaker for q in quotes] == ["Argo Yuwono", "Budi Waseso", "Argo Yuwono", "Argo Yuwono"]
    assert [q.text.split()[0] for q in quotes] == ["Kami", "BNN", "Pemeriksaan", "Kami"]
    check_spans(body, quotes)


def test_descriptor_after_the_cue_names_an_unnamed_speaker() -> None:
    body = "“Perkiraan kami jumlahnya dua sampai tiga kali lipat,” ujar pihak KBRI LA melalui pesan tertulis."
    assert one(body).speaker == "pihak KBRI LA"


def test_no_quote_marks_no_quotes() -> None:
    assert extract_quotes("Polisi menangkap dua pengedar sabu di Kupang.", []) == []
    assert extract_quotes("", []) == []


# --- the five founding articles -------------------------------------------------------------------


def _seed_people(body: str, gold_people: list[dict[str, str | None]]) -> list[Person]:
    return [person(body, str(p["name"]), p.get("position")) for p in gold_people]


def test_seed_articles_match_the_gold_quotes() -> None:
    documents = json.loads(GOLD.read_text(encoding="utf-8"))["documents"]
    total = 0
    for doc_id, doc in documents.items():
        body = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
        quotes = extract_quotes(body, _seed_people(body, doc["people"]))
        found = [(q.text, q.speaker) for q in quotes]
        expected = [(g["starts"], g["speaker"]) for g in doc["quotes"]]
        assert len(found) == len(expected), (doc_id, found)
        for (text, speaker), (starts, gold_speaker) in zip(found, expected, strict=True):
            assert text.startswith(starts), (doc_id, text, starts)
            assert speaker == gold_speaker, (doc_id, starts, speaker)
        check_spans(body, quotes)
        total += len(quotes)
    assert total == 22


@pytest.mark.parametrize("text", [
    'M.H, mengatakan “kami siap bekerja keras semua,” ujarnya.',  # a title before the verb, nothing else
    '"Sukamaju Raya tetap aman terkendali," kata',  # the text ends with the cue
    'S.E, menyebutkan, “semua berjalan lancar sampai hari ini,” tuturnya.',
])
def test_a_subject_phrase_with_nothing_in_it_never_crashes(text: str) -> None:
    quotes = extract_quotes(text, [])
    assert len(quotes) == 1 and quotes[0].speaker is None


def test_a_quote_opened_straight_and_closed_curly_is_one_quote() -> None:
    body = "\"Dari hasil olah tempat kejadian, pelaku masuk lewat jendela,” ujar Kapolsek Sukamaju."
    quotes = extract_quotes(body, [])
    assert [(q.text, q.cue) for q in quotes] == [("Dari hasil olah tempat kejadian, pelaku masuk lewat jendela",
                                                  "ujar")]


def test_imbau_is_a_speech_verb() -> None:
    body = "“Mari kita pilih pemimpin yang bersih dan jujur,” imbau Darmawan."
    assert [q.speaker for q in extract_quotes(body, [])] == ["Darmawan"]


def test_a_speaker_written_with_a_post_and_one_name_word_is_the_person_with_that_word() -> None:
    body = ("Bupati Sukamaju Markus O. Lamanda membuka acara itu.\n\n"
            "“Kami menunggu investor datang ke sini,” kata Bupati Markus.")
    person = Person(name="Markus O. Lamanda", mentions=[(16, 33)])
    assert [q.speaker for q in extract_quotes(body, [person])] == ["Markus O. Lamanda"]


def test_a_speaker_at_a_mention_of_a_person_is_that_person() -> None:
    body = ("Ahmad Fahri Rozak atau Gus Fahri hadir.\n\n“Bantuan itu sah menurut hukum negara,” kata Gus Fahri.")
    start = body.index("Gus Fahri", 30)
    person = Person(name="Ahmad Fahri Rozak", mentions=[(0, 17), (23, 32), (start, start + 9)])
    assert [q.speaker for q in extract_quotes(body, [person])] == ["Ahmad Fahri Rozak"]


def test_a_post_written_as_the_speaker_is_its_holder_even_in_brackets() -> None:
    body = ("Menteri Pemuda dan Olahraga (Menpora), Imam Nurdin, hadir.\n\n"
            "“Nama stadion itu tidak akan diganti,” jelas Menpora.")
    person = Person(name="Imam Nurdin", position="Menteri Pemuda dan Olahraga (Menpora)", mentions=[(42, 53)])
    assert [q.speaker for q in extract_quotes(body, [person])] == ["Imam Nurdin"]


def test_a_description_leads_to_the_person_named_after_it() -> None:
    body = "“Masih ada empat anggota lagi yang bertanya,” jawab anggota pansel, Ratna Wulandari kepada wartawan."
    person = Person(name="Ratna Wulandari", mentions=[(body.index("Ratna"), body.index("Ratna") + 15)])
    assert [q.speaker for q in extract_quotes(body, [person])] == ["Ratna Wulandari"]


def test_suspects_named_by_initials_between_quotes_do_not_take_the_officer_s_words() -> None:
    body = ("“Barang bukti kami sita dari rumahnya,” kata Kasat Resnarkoba AKP Budi Santoso.\n\n"
            "SD mengaku sering bertransaksi di wilayah itu.\n\n"
            "“Dia mengaku disuruh temannya sendiri,” ungkapnya.")
    start = body.index("Budi Santoso")
    person = Person(name="Budi Santoso", mentions=[(start - 4, start + 12)])
    assert [q.speaker for q in extract_quotes(body, [person])] == ["Budi Santoso", "Budi Santoso"]


def test_a_suspect_speaking_as_pelaku_is_named_by_the_initials_the_text_gave() -> None:
    body = ("Polisi menangkap seorang pria berinisial DW (28) di Sukamaju.\n\n"
            "“Saya cuma disuruh mengantar paket itu saja,” ujar pelaku.")
    assert [q.speaker for q in extract_quotes(body, [])] == ["DW"]
    assert [q.speaker for q in extract_quotes(body.replace("berinisial DW (28)", "muda"), [])] == ["pelaku"]
