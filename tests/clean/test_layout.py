from __future__ import annotations

from pantau.clean import clean_text

LEAD = "KabarNTB, Mataram – Polisi menangkap dua pengedar sabu di Kota Mataram, Kamis 22 April 2021."
STORY = [
    "Kapolres menyebut kedua tersangka merupakan jaringan antarprovinsi yang sudah lama diintai.",
    "“Kami akan terus memburu jaringan ini sampai tuntas,” kata Kapolres kepada wartawan.",
    "Kedua tersangka kini ditahan di Mapolres untuk pemeriksaan lebih lanjut.",
]


def _page(*lines: str) -> str:
    return "\n\n".join(lines)


def test_headline_lead_and_story_in_order() -> None:
    clean = clean_text(_page("Polisi Tangkap Dua Pengedar Sabu di Mataram", LEAD, *STORY))
    assert clean.title == "Polisi Tangkap Dua Pengedar Sabu di Mataram"
    assert (clean.outlet, clean.dateline) == ("KabarNTB", "Mataram")
    assert clean.paragraphs[0].startswith("Polisi menangkap dua pengedar")
    assert clean.paragraphs[1:] == STORY


def test_inline_read_also_links_are_dropped_and_the_story_kept() -> None:
    clean = clean_text(_page("Judul Berita Narkoba Hari Ini", LEAD, STORY[0],
                             "BACA JUGA:Pemkab Rayakan Pergantian Tahun", "Baca juga: Kue Gem Rose Manis",
                             STORY[1], STORY[2]))
    assert "BACA JUGA" not in clean.body and "Baca juga" not in clean.body
    assert clean.paragraphs[1:] == STORY


def test_share_tag_and_menu_widgets_end_the_story() -> None:
    clean = clean_text(_page("Judul Berita Narkoba Hari Ini", LEAD, *STORY, "Tag", "narkoba", "Share",
                             "Berita Terkini", "Berita Terpopuler", "Berita Pilihan"))
    assert clean.paragraphs[1:] == STORY


def test_subscription_and_comment_forms_are_dropped() -> None:
    clean = clean_text(_page("Judul Berita Narkoba Hari Ini", LEAD, *STORY, "Posted by: On: Reply",
                             "Subscribe", "Langganan Berita Kami Disini. Silahkan Masukkan Alamat E-mail Anda."))
    assert clean.paragraphs[1:] == STORY
    clean = clean_text(_page("Judul Berita Narkoba Hari Ini", LEAD, *STORY, "Related Articles",
                             "Berita lain yang panjang sekali tentang hal lain di kota lain.",
                             "Tinggalkan Balasan", "Alamat email Anda tidak akan dipublikasikan. Ruas wajib *",
                             "Back to top button"))
    assert clean.paragraphs[1:] == STORY


def test_advertisement_lines_and_inline_fragments_are_dropped() -> None:
    clean = clean_text(_page("Judul Berita Narkoba Hari Ini", LEAD, STORY[0], "Advertisement",
                             STORY[1] + " ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT", STORY[2]))
    assert clean.paragraphs[1:] == STORY


def test_category_label_caption_and_repeated_headline_above_the_lead() -> None:
    title = "Kapolres Tegaskan Komitmen Berantas Narkoba, Kasus Turun 7% pada 2024"
    clean = clean_text(_page("Tak Berkategori", title, "Screenshot video viral dugaan personel dilarang masuk",
                             title + "--", LEAD, *STORY))
    assert clean.title == title
    assert clean.paragraphs[1:] == STORY
    assert "Screenshot" not in clean.body and "Tak Berkategori" not in clean.body


def test_photo_caption_inside_the_story_is_dropped() -> None:
    clean = clean_text(_page("Judul Berita Narkoba Hari Ini", LEAD, "Foto: " + LEAD, *STORY))
    assert clean.paragraphs[1:] == STORY


def test_text_that_starts_with_the_lead_has_no_title() -> None:
    clean = clean_text("Kupang - Kepala BNNP NTT melaksanakan kunjungan ke Kanwil Kemenkumham NTT, "
                       "Selasa (01/10/2024).\n" + "\n".join(STORY))
    assert clean.title is None and clean.dateline == "Kupang"
    assert clean.paragraphs[0].startswith("Kepala BNNP NTT")
    assert len(clean.paragraphs) == 4


def test_title_from_metadata_is_not_repeated_in_the_body() -> None:
    title = "SD Diamankan di Buleleng, Kurir Narkoba Sebut Nama"
    clean = clean_text(title + "\nTRIBUN-BALI.COM, BULELENG - " + STORY[0], title_hint=title)
    assert clean.title == title and clean.body == STORY[0]


def test_lead_without_dateline_after_headline() -> None:
    clean = clean_text(_page("Polisi Ungkap Jaringan Sabu Antarprovinsi", *STORY))
    assert clean.title == "Polisi Ungkap Jaringan Sabu Antarprovinsi"
    assert clean.outlet is None and clean.dateline is None
    assert clean.paragraphs == STORY


def test_white_space_and_invisible_characters_are_normalised() -> None:
    clean = clean_text("Judul  Berita\u00a0Narkoba Hari Ini\r\n\r\n" + LEAD.replace(" ", "  ") + "\u200b\r\n")
    assert clean.title == "Judul Berita Narkoba Hari Ini"
    assert "  " not in clean.body and "\u200b" not in clean.body and "\r" not in clean.body


def test_split_dateline_over_three_lines_is_rejoined() -> None:
    clean = clean_text("Jakarta\n-\nSingapura baru-baru ini menggelar operasi penegakan hukum besar-besaran.")
    assert clean.dateline == "Jakarta"
    assert clean.body.startswith("Singapura baru-baru ini")


def test_story_paragraphs_that_mention_boilerplate_words_are_kept() -> None:
    line = "Share narkoba di media sosial kini marak, kata Kapolres, dan Tag pelaku dilacak polisi siber."
    clean = clean_text(_page("Judul Berita Narkoba Hari Ini", LEAD, line, *STORY))
    assert line in clean.paragraphs


def test_a_word_the_scraper_put_on_its_own_line_stays_in_its_sentence() -> None:
    text = ("Sukamaju - Barang itu dibawa olehnya dari\n\nkapal nelayan\n\ndan akan dikirim ke darat.\n\n"
            "Paragraf berikutnya dimulai di sini.")
    assert clean_text(text, title_hint="Kurir Ditangkap").paragraphs == [
        "Barang itu dibawa olehnya dari kapal nelayan dan akan dikirim ke darat.",
        "Paragraf berikutnya dimulai di sini."]


def test_a_speech_verb_glued_to_a_name_by_the_scraper_is_set_apart() -> None:
    from pantau.clean.normalize import normalize_text

    assert normalize_text("Menurut Yosua Lamurymengatakan hal itu.") == "Menurut Yosua Lamury mengatakan hal itu."
    assert normalize_text("Ia mengatakan dan menyampaikan.") == "Ia mengatakan dan menyampaikan."


def test_runs_without_spaces_are_cut_before_the_tokenizer_sees_them() -> None:
    from pantau.clean.normalize import normalize_text

    noisy = "Polisi menyita sabu. " + "%" * 1000 + " lalu " + "😀" * 450
    pieces = normalize_text(noisy).split()
    assert max(len(p) for p in pieces) <= 100
    assert "".join(p for p in pieces if set(p) == {"%"}) == "%" * 1000  # nothing lost, only spaced
    url = "https://contoh.example/" + "a" * 150  # a long URL under the limit stays whole
    assert url in normalize_text(f"Sumber: {url} .")


def test_words_glued_by_the_scraper_are_set_apart_when_a_piece_is_a_common_word() -> None:
    from pantau.clean.normalize import normalize_text

    glued = "Penyanyi Dodi AKmenjalani sidang. Ia tinggal di wilayahKedoya sejak kecil."
    assert normalize_text(glued) == "Penyanyi Dodi AK menjalani sidang. Ia tinggal di wilayah Kedoya sejak kecil."
    assert normalize_text("PenyanyiDodi hadir.") == "Penyanyi Dodi hadir."
    # brand names glue uncommon pieces and stay whole; outlet names too, though "Sumut" is a common word and a place
    assert normalize_text("Pesan dikirim lewat WhatsApp dan TikTok.") == "Pesan dikirim lewat WhatsApp dan TikTok."
    assert normalize_text("Hal itu dikonfirmasi kepada detikSumut.") == "Hal itu dikonfirmasi kepada detikSumut."


def test_a_name_glued_to_the_lower_case_word_after_it_is_set_apart() -> None:
    from pantau.clean.normalize import normalize_text

    # a verb with its prefix, or a function word, glued after a name: the name alone is the name
    assert (normalize_text("Kabar duka datang dari klub itu karena pelatih Budi Wibowomeninggal dunia kemarin.")
            == "Kabar duka datang dari klub itu karena pelatih Budi Wibowo meninggal dunia kemarin.")
    assert (normalize_text("Menurut polisi, tersangka Rudi Hartonoditangkap di rumahnya pada malam hari.")
            == "Menurut polisi, tersangka Rudi Hartono ditangkap di rumahnya pada malam hari.")
    assert (normalize_text("Penyanyi asal kota itu, Dewi Lestariyang dikenal luas, juga ikut hadir.")
            == "Penyanyi asal kota itu, Dewi Lestari yang dikenal luas, juga ikut hadir.")
    assert (normalize_text("Dalam acara itu produsen mobil Xpengmemperkenalkan dua model baru.")
            == "Dalam acara itu produsen mobil Xpeng memperkenalkan dua model baru.")
    # names whose end is a word, or that a root word starting like a verb ends, stay whole
    names = ("Hadir dalam rapat itu Santoso, Hidayat, Kurniawan, Setiawan, Nugroho, Gunawan, Pratama, Simanjuntak, "
             "Purnama, Permadi, Mardiana, Danghyang dan warga dari Shenyang serta Tanjungpinang.")
    assert normalize_text(names) == names
    root = "Mereka berlibur bersama keluarga ke Eurodisney lalu melihat Kalidinding dan Sukamenang pada musim panas."
    assert normalize_text(root) == root


def test_a_line_of_glued_headlines_is_not_split_into_false_names() -> None:
    from pantau.clean.normalize import normalize_text

    headlines = "Baca Juga Polisi Tangkap Pengedar Sabu di Pasar KemisSidang Kasus Narkoba Artis Digelar Pekan Depan"
    assert normalize_text(headlines) == headlines


def test_a_dateline_glued_to_the_first_word_is_read_as_a_dateline() -> None:
    page = _page("Kabarsatu.com, MataramPolisi menangkap dua pengedar sabu di Kota Mataram, Kamis (22/4/2021).",
                 *STORY)
    cleaned = clean_text(page)
    assert cleaned.dateline == "Mataram"
    assert cleaned.paragraphs[0].startswith("Polisi menangkap dua pengedar")


def test_a_related_list_glued_after_the_last_sentence_ends_the_story() -> None:
    last = "Kedua tersangka kini ditahan di Mapolres.Cek Yang Lain Juga, Yuk!Artis Anu Ditangkap Lagi"
    cleaned = clean_text(_page(LEAD, STORY[0], last, "Artis Lain Diperiksa Polisi"))
    assert cleaned.paragraphs[-1] == "Kedua tersangka kini ditahan di Mapolres."
    assert not any("Artis" in p for p in cleaned.paragraphs)
    # the same words inside a sentence are the story's own
    sentence = "Warga diminta cek yang lain juga, kata Kapolres, agar tidak tertipu."
    assert clean_text(_page(LEAD, sentence, STORY[2])).paragraphs[1] == sentence


def test_a_lead_that_opens_with_a_caption_word_is_the_lead() -> None:
    lead = ("Video seorang pria memukul petugas parkir di depan sebuah minimarket di Kota Mataram beredar luas "
            "di media sosial. Polisi kini memburu pelaku.")
    cleaned = clean_text(_page("Viral Pria Pukul Petugas Parkir di Mataram", lead, *STORY))
    assert cleaned.paragraphs[0] == lead
    # a caption stays a caption: a separator, or too short for a lead
    for caption in ("Video: polisi menggerebek sebuah rumah di Mataram, Kamis (22/4/2021).",
                    "Video penggerebekan rumah pengedar sabu di Mataram."):
        cleaned = clean_text(_page("Polisi Tangkap Dua Pengedar Sabu di Mataram", caption, LEAD, *STORY))
        assert caption not in cleaned.paragraphs


def test_the_inline_terminator_cuts_where_a_look_behind_for_the_stop_would() -> None:
    import re

    from pantau.clean.layout import _rules

    pattern = _rules().stop_inline
    assert pattern is not None
    slow = re.compile("(?<=" + pattern.pattern[:pattern.pattern.index("]") + 1] + ")"
                      + pattern.pattern[pattern.pattern.index("]") + 1:], pattern.flags)
    lines = ['ditahan di Mapolres." Cek Yang Lain Juga, Yuk!', "ditahan.Cek yang lain juga", "Cek Yang Lain Juga",
             "ditahan!!  cek YANG lain juga? Cek Yang Lain Juga", "tidak ada apa-apa di sini.", "”Cek yang lain juga"]
    for line in lines:
        fast, found = pattern.search(line), slow.search(line)
        assert (fast.start() + 1 if fast else None) == (found.start() if found else None), line
    cleaned = clean_text(_page(LEAD, STORY[0], 'Keduanya ditahan di Mapolres." Cek Yang Lain Juga, Yuk! Artis Anu'))
    assert cleaned.paragraphs[-1] == 'Keduanya ditahan di Mapolres."'
    assert ("after-end", "Cek Yang Lain Juga, Yuk! Artis Anu") in cleaned.dropped


def test_a_text_said_to_hold_no_inline_fragment_holds_none() -> None:
    from pantau.clean.layout import _may_hold_inline, _rules

    rules = _rules()
    assert rules.inline is not None and rules.inline_keys is not None
    texts = ["Polisi menangkap dua orang.", "Polisi. ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT Ia berkata.",
             "scroll to continue with content", "Scroll To Continue With Content!", "ſcroll to continue with content",
             "SCROLL TO CONTİNUE WITH CONTENT", "scroll to continue with \u212aontent", "scroll to continue with",
             "SCROLL  TO CONTINUE WITH CONTENT", "İstanbul scroll"]
    for text in texts:
        if rules.inline.search(text) is not None:
            assert _may_hold_inline(text, rules), text
    assert not _may_hold_inline("Polisi menangkap dua orang.", rules)


def test_the_case_outliers_are_every_other_character_an_ascii_letter_matches() -> None:
    import re
    import sys

    from pantau.clean.layout import _CASE_OUTLIERS

    letter = re.compile("[a-z]", re.I)
    found = {chr(c) for c in range(128, sys.maxunicode + 1) if letter.fullmatch(chr(c))}
    assert found == set(_CASE_OUTLIERS)
    # and the only ones str.lower turns into (or into something holding) an ASCII letter
    lowered = {chr(c) for c in range(128, sys.maxunicode + 1) if any(x.isascii() for x in chr(c).lower())}
    assert lowered <= set(_CASE_OUTLIERS)


def test_a_line_folded_at_its_head_starts_with_a_prefix_as_the_whole_folded_line_does() -> None:
    from pantau.clean.layout import _folded_head, _rules
    from pantau.vocab import fold

    rules = _rules()
    prefixes = (*rules.drop_prefix, *rules.stop_prefix, *rules.caption_prefix)
    story = " Polisi menangkap dua orang di Kupang pada Senin malam." * 12
    lines = ["BACA JUGA: " + story, "Baca" + " \u2003" * 40 + "juga: " + story, "Foto" + story, story,
             "Artikel ini telah tayang" + story, "ARTIKEL INI TELAH TAYANG di " + story, "ẞ" * 200 + story, "Foto:",
             "Dapatkan\tupdate\n\nberita" + story, "Reporter :" + " " * 300 + "Andi", "©" + story, ""]
    for line in lines:
        for prefix in prefixes:
            assert _folded_head(line, rules).startswith(prefix) == fold(line).startswith(prefix), (line[:40], prefix)
        assert fold(line).startswith(_folded_head(line, rules))
