"""Places and their salience on hand-written sentences in the style of real reports: a record's locations
are the places where the story happens, not the places named in passing."""

from __future__ import annotations

import pytest

from pantau.extract.entities import extract_entities
from pantau.extract.lexicon import annotate
from pantau.extract.places import PlaceMention, UnitPlace, dateline_region, find_places, to_locations
from pantau.record import Location
from pantau.regions import regions


def _locations(text: str, *, dateline: str | None = None, title: str | None = None) -> list[Location]:
    """The locations of a text read by the place rules alone (no person names, no units)."""
    annotated = annotate(text)
    found = find_places(annotated, set())
    return to_locations(found.mentions, annotated, dateline=dateline_region(dateline), title=title)


def _provinces(text: str, **kwargs: str) -> set[str]:
    return {loc.province_code for loc in _locations(text, **kwargs) if loc.province_code}


def _codes(text: str, **kwargs: str) -> set[str]:
    return {loc.code for loc in _locations(text, **kwargs) if loc.code}


def _entity_provinces(text: str, dateline: str | None = None) -> set[str]:
    """With units and people, as the pipeline reads them (rules only)."""
    entities = extract_entities(text, dateline, use_model=False)
    return {loc.province_code for loc in entities.locations if loc.province_code}


# --- places named in passing -------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    # origin of a person
    ("Polisi menangkap seorang pria asal Makassar di Denpasar, Bali.", {"51"}),
    # planned destination of the goods
    ("Kurir ditangkap di Kabupaten Aceh Timur. Sabu itu rencananya akan dibawa ke Jakarta.", {"11"}),
    # a suspect's residence after his initials
    ("Pelaku berinisial AS (30), warga Cilincing, Jakarta Utara, ditangkap di Kota Depok.", {"32"}),
    # the home village the body is taken back to
    ("Bocah itu ditemukan di sungai di Denpasar. Jenazahnya dipulangkan ke kampung halamannya di Jember.",
     {"51"}),
    # transit of a planned transfer
    ("Menteri berbicara di Jakarta, Selasa. Kedua napi akan dipulangkan melalui Bandara Ngurah Rai, Bali.",
     {"31"}),
    # a comparison
    ("Nelayan di Biak Numfor mengeluh hasil tangkapan diolah di luar daerah, seperti Bitung.", {"91"}),
    # relatives or a house elsewhere
    ("Remaja itu ditemukan di Kota Cirebon. Ia mengaku punya saudara di Jakarta.", {"32"}),
    # a clause set in the past
    ("Ia pernah bertugas di Polda Jawa Tengah. Kini ia memimpin operasi di Kota Medan.", {"12"}),
    ("Peringatan itu dicanangkan pada 1996 di Semarang. Pada 2026 layanan diberikan di Kota Kupang sejak "
     "Januari 2026 dan berakhir Desember 2026.", {"53"}),
    # a scope over many places counts only with other evidence of its province
    ("Sebanyak 480 narapidana se-Jawa dan Lampung mengikuti upacara di Cibubur, Jakarta Timur.", {"31"}),
])
def test_places_named_in_passing_are_not_locations(text: str, expected: set[str]) -> None:
    assert _provinces(text) == expected


def test_a_residence_is_not_a_subject() -> None:
    assert _provinces("Warga Kabupaten Bogor berunjuk rasa di depan kantor bupati.") == {"32"}


def test_a_visit_is_where_the_story_happens() -> None:
    assert _provinces("Menteri menyampaikan hal itu dalam kunjungannya ke Nusakambangan, Kabupaten Cilacap.") == {"33"}


def test_a_departure_counts_only_when_the_story_names_no_other_place() -> None:
    assert _provinces("Seorang remaja bersepeda dari Brebes demi bertemu idolanya.") == {"33"}
    assert _provinces("Sabu itu dibawa dari Batam lalu disimpan di apartemen di Jakarta Barat.") == {"31"}


def test_a_qualifier_that_contradicts_the_regency_is_dropped() -> None:
    # Way Kanan is in Lampung whatever the writer says
    assert _provinces("Remaja itu ditangkap di Kabupaten Way Kanan, Sumatera Selatan.") == {"18"}
    # a locality that shares a regency's name, placed by its city
    assert _codes("Korban disekap di rumahnya di kawasan Gading, Jakarta Utara.") == {"31.72"}


# --- another story's headline ------------------------------------------------------------------------
def test_link_lines_and_headline_lines_are_not_this_story() -> None:
    text = ("Satresnarkoba Polres Cilacap menangkap pengedar di Kabupaten Cilacap.\n\n"
            "Baca juga: Polisi Gagalkan Penyelundupan Sabu di Riau\n\n"
            "Pria di Bogor Curi Motor Tetangga Ditangkap Polisi\n\n"
            "Razia berlangsung hingga malam.")
    assert _provinces(text) == {"33"}


def test_a_link_glued_to_the_sentence_before_ends_where_the_story_resumes() -> None:
    text = ("Petugas menangkap kurir di Kota Dumai pada Selasa (10/6/2025).Baca juga: Kurir Sabu Ditangkap di "
            "Perairan Batam Petugas kemudian memeriksa barang bukti di Kota Dumai.")
    assert _provinces(text) == {"14"}


def test_a_lead_cut_by_the_scrape_is_no_headline() -> None:
    text = "Direktorat Reserse Narkoba Polda Sumatera Utara (Sumut) membongkar\n\nperedaran sabu di pelabuhan."
    assert _provinces(text) == {"12"}


def test_a_title_case_list_of_other_stories_is_not_this_story() -> None:
    text = ("Wisatawan ramai di Singapura.\n\nBerikut artikel terpopuler:\n\n1. Hujan Deras di Lembang dan Sepinya "
            "Wisatawan\n\n2. Persiapan Hotel di Puncak Menyambut Turis\n\n3. Tambang Nikel di Raja Ampat Disorot")
    assert _provinces(text) == set()


# --- names that are not places ------------------------------------------------------------------------
def test_a_name_that_goes_on_is_not_the_place() -> None:
    assert _codes("Mereka berkumpul di Mapolres Metro Jakarta Selatan.") == {"31.74"}
    assert _codes("Korban dilecehkan di Jalan Bangka Raya, Kota Bekasi.") == {"32.75"}


@pytest.mark.parametrize(("text", "codes"), [
    # a district named after its regency, and its regency
    ("Bakti sosial digelar di Mapolsek Kampar Kiri, Kabupaten Kampar.", {"14.01.07", "14.01"}),
    # a district the register has once, not Kota Padang
    ("Petugas Polsek Padang Ratu mengamankan pelaku.", {"18.02.03", "18.02"}),
    ("Pencurian terjadi di Medan Kota pada Senin.", {"12.71.01", "12.71"}),
])
def test_a_name_that_goes_on_into_a_district_is_the_district(text: str, codes: set[str]) -> None:
    assert _codes(text) == codes


def test_a_city_suffix_reads_the_city() -> None:
    assert _codes("Kasi Humas Polres Sukabumi Kota menjelaskan kronologinya.") == {"32.72"}


def test_a_street_name_is_not_a_place() -> None:
    assert _codes("Konferensi pers digelar di Jalan Kuningan Persada, Setiabudi, Jakarta Selatan.") == {"31.74"}
    assert _provinces("Penangkapan dilakukan di Jln. Medan - Banda Aceh, Kabupaten Aceh Tamiang.") == {"11"}


def test_a_register_name_written_as_a_common_noun_is_not_a_place() -> None:
    assert _codes("Batu bara menjadi komoditas ekspor utama tahun ini.") == set()


def test_a_district_keyword_reads_the_district_not_the_regency_of_a_shorter_name() -> None:
    assert _codes("Mayat ditemukan di Kecamatan Batang Anai, Padang Pariaman.") == {"13.05.02", "13.05"}


# --- units and civil heads -----------------------------------------------------------------------------
def test_a_civil_head_among_the_guests_is_not_an_event_place() -> None:
    text = ("Forum itu digelar di Kuala Lumpur, Malaysia, Senin. Hadir pula Bupati Tanah Bumbu Kalimantan Selatan "
            "dan sejumlah pejabat.")
    assert _entity_provinces(text) == set()


def test_a_civil_head_in_the_lead_is_the_story() -> None:
    assert _entity_provinces("KPK menahan Bupati Halmahera Timur usai pemeriksaan pada Senin.") == {"82"}


def test_a_provincial_unit_yields_to_the_regency_where_the_case_happens() -> None:
    text = "Polda Metro Jaya menangkap pelaku pelecehan di Kota Bekasi. Laporan diterima Polda Metro Jaya."
    assert _entity_provinces(text) == {"32"}


def test_a_provincial_unit_counts_where_the_story_names_no_regency() -> None:
    text = "Polda Jawa Timur menetapkan dia sebagai tersangka. Pengacaranya berbicara di Jakarta, Senin."
    assert _entity_provinces(text) == {"31", "35"}


def test_a_provincial_unit_where_something_happens_counts() -> None:
    text = "Kurir ditangkap di Kabupaten Aceh Timur oleh tim Polda Sumut. Saat ini dia ditahan di Polda Sumut."
    assert _entity_provinces(text) == {"11", "12"}


# --- venues and datelines ------------------------------------------------------------------------------
def test_named_venues_are_places_of_their_city() -> None:
    assert _provinces("Rapat pembahasan anggaran digelar di Kompleks Parlemen, Senayan.") == {"31"}
    assert _provinces("Dua warga asing ditangkap di Terminal 3 Bandara Soekarno-Hatta.") == {"36"}


def test_a_dated_venue_with_no_city_is_in_the_dateline_city() -> None:
    text = "Hal itu disampaikan Pongki saat ditemui di Hotel Mulia, Senin (21/5/2018)."
    assert _provinces(text, dateline="Jakarta") == {"31"}
    assert _provinces(text) == set()


def test_a_jakarta_dateline_alone_is_no_event_place() -> None:
    assert _provinces("Pemerintah menargetkan penerimaan pajak naik tahun depan.", dateline="Jakarta") == set()


def test_a_local_dateline_is_an_event_place() -> None:
    assert _codes("Polisi menangkap dua pengedar.", dateline="Kupang") == {"53.71"}


def test_a_dateline_that_names_districts_only_takes_the_one_the_story_places() -> None:
    text = "Tim Gegana Brimob Polda Kalsel tiba di lokasi penemuan granat."
    assert "63.03.05" in {loc.code for loc in extract_entities(text, "Martapura", use_model=False).locations}


def test_a_title_place_counts_as_the_body_would_read_it() -> None:
    assert _provinces("Pengemudi berinisial VT, warga Cilincing, Jakarta Utara.",
                      title="Mobil Terobos Pintu Tol di Depok") == {"32"}
    assert _provinces("Polisi memeriksa saksi.", title="Pria Asal Medan Ditangkap di Singapura") == set()
    assert _provinces("Polisi memeriksa saksi.", title="Ribuan Tual Kayu Mengambang di Sungai") == set()


def test_a_bare_district_takes_the_region_of_its_qualifier_that_holds_it() -> None:
    text = "Pencuri motor dipergoki jemaah masjid di Cileungsi, Bogor, Senin."
    annotated = annotate(text)
    found = find_places(annotated, set())
    start = next(t.i for t in annotated.doc if t.text == "Cileungsi")
    mentions = [*found.mentions, PlaceMention(regions()["32.01.07"], start, start + 1)]
    assert {loc.code for loc in to_locations(mentions, annotated)} == {"32.01.07", "32.01"}  # not Kota Bogor


def test_a_unit_named_like_a_district_elsewhere_needs_the_story_to_place_it() -> None:
    text = "Tersangka ditahan di Rutan Guntur setelah diperiksa di Jakarta Selatan, Senin."
    annotated = annotate(text)
    found = find_places(annotated, set())
    start = next(t.i for t in annotated.doc if t.text == "Rutan")
    guntur = regions()["33.21.03"]  # the register's only Guntur is in Demak
    rutan = UnitPlace(guntur, start, start + 2, "Rutan")
    assert {loc.code for loc in to_locations(found.mentions, annotated, units=[rutan])} == {"31.74"}
    polsek = UnitPlace(guntur, start, start + 2, "Polsek")  # a Polsek serves the district it is named after
    assert "33.21.03" in {loc.code for loc in to_locations(found.mentions, annotated, units=[polsek])}


def test_a_bare_district_is_resolved_by_the_regency_the_story_names() -> None:
    text = "Ia tertangkap di Cipayung, Depok, Senin."
    annotated = annotate(text)
    found = find_places(annotated, set())
    start = next(t.i for t in annotated.doc if t.text == "Cipayung")
    jakarta_timur = regions()["31.75.10"]  # the model's first guess for the bare name
    mentions = [*found.mentions, PlaceMention(jakarta_timur, start, start + 1)]
    codes = {loc.code for loc in to_locations(mentions, annotated)}
    assert codes == {"32.76", "32.76.07"}


def test_kept_locations_keep_their_mentions_and_drop_link_mentions() -> None:
    text = "Polisi menangkap pengedar di Kota Dumai.\n\nBaca juga: Sabu Ditangkap di Dumai dan Batam"
    locations = _locations(text)
    assert [loc.code for loc in locations] == ["14.72"]
    assert [text[s:e] for s, e in locations[0].mentions] == ["Kota Dumai"]


# --- datelines, scopes and other names in the body ------------------------------------------------------
def test_a_dateline_left_in_the_body_counts_only_when_local() -> None:
    assert _provinces("KOMPAS.COM, JAKARTA - Pemerintah menargetkan pajak naik tahun depan.") == set()
    assert _provinces("Jakarta-Pemerintah menargetkan pajak naik tahun depan.") == set()
    assert _provinces("SURABAYA - Pemerintah kota membuka pendaftaran sekolah.") == {"35"}


def test_a_list_of_many_provinces_is_a_national_scope() -> None:
    text = ("Menteri memberi arahan kepada kantor wilayah, di antaranya Aceh, Sumatera Utara, Riau, Bali, "
            "Sulawesi Selatan hingga Papua. Rapat digelar di Kota Bandung, Senin.")
    assert _provinces(text) == {"32"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Tahu gimbal adalah kuliner khas Semarang yang kini dijual di Kota Bekasi.", {"32"}),
    ("Harga saham naik, menurut Jakarta Interbank Spot Dollar Rate.", set()),
    ("Kabar itu dikutip Tribun Jogja dari warga di Kota Madiun.", {"35"}),
    ("Penghuni kamar Toba 2 dipindahkan ke sel lain di Lapas Kota Padang.", {"13"}),
    ("Gerai MR DIY Indonesia dibuka di Kota Malang.", {"35"}),
    ("Calon taruna formasi Orang Asli Papua mendaftar di Kota Semarang.", {"33"}),
])
def test_a_place_name_inside_another_name_is_not_a_place(text: str, expected: set[str]) -> None:
    assert _provinces(text) == expected


def test_a_former_civil_head_is_background() -> None:
    text = "Djarot menjenguk Ahok di Kota Depok. Mantan Wali Kota Blitar itu datang bersama istrinya."
    assert _entity_provinces(text) == {"32"}


def test_where_only_departures_count_the_one_in_the_lead_wins() -> None:
    text = ("Sekitar 250 tahanan kabur dari Rutan Sialang Bungkuk, Kota Pekanbaru, Riau, kemarin.\n\n"
            "\"Saya dari Pangkalan Kerinci,\" kata seorang istri tahanan.")
    assert _provinces(text) == {"14"}


def test_a_national_seat_is_a_place_only_for_a_meeting_or_a_dated_event() -> None:
    assert _provinces("Target itu disampaikan menteri dalam rapat Paripurna DPR RI.") == {"31"}
    assert _provinces("Hal itu disampaikan juru bicara di Mabes Polri, Selasa (25/8/2015).") == {"31"}
    assert _provinces("Rancangan undang-undang itu tengah dibahas di DPR.") == set()
    assert _provinces("KPK menahan tersangka kasus suap proyek jalan.") == set()


def test_ferry_ports_are_places_of_their_regencies() -> None:
    text = "Penumpang yang menyeberang di lintasan Merak-Bakauheni naik selama libur panjang."
    assert _codes(text) == {"36.72", "18.01"}
    assert _codes("Penari membawakan Tari Merak di Kota Bandung.") == {"32.73"}


def test_a_district_is_read_after_its_keyword_written_with_or_without_dots() -> None:
    from pantau.extract.lexicon import annotate
    from pantau.extract.places import find_places

    for keyword in ("Kecamatan", "Kec.", "KEC", "kec..", "Distrik"):
        annotated = annotate(f"Polisi menggerebek rumah di {keyword} Denpasar Timur, Kota Denpasar.")
        names = [m.region.name for m in find_places(annotated, set()).mentions]
        assert "Denpasar Timur" in names, (keyword, names)


def test_passing_and_scope_cues_read_the_words_before_a_place_as_written() -> None:
    from pantau.extract.lexicon import annotate
    from pantau.extract.places import _Reader, salience_words

    reader = _Reader(annotate("x"), set())
    words = salience_words()
    phrases = [*list(words.passing)[:40], *list(words.scope)[:40]]
    for phrase in phrases:
        for extra in ((), ("lalu",), ("lalu", "itu", "pun")):
            before = [*reversed(phrase), *extra]  # the words before a place, nearest first
            slow_why = next((words.passing.get(tuple(reversed(before[:w])))
                             for w in range(min(len(before), words.longest_cue), 0, -1)
                             if words.passing.get(tuple(reversed(before[:w]))) is not None), None)
            assert reader.passing_cue(before) == slow_why, before
            slow_scope = any(tuple(reversed(before[:w])) in words.scope for w in range(1, len(before) + 1))
            assert reader.is_scope(before) == slow_scope, before
