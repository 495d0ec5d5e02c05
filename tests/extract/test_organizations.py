"""Organisations on hand-written sentences in the style of real reports: canonical units, bodies named as the
text names them, names read from head and tail words, and the model's ORG spans cleaned."""

from __future__ import annotations

import pytest

from pantau.extract.entities import extract_entities
from pantau.extract.lexicon import annotate
from pantau.extract.organizations import find_organizations, to_organizations
from pantau.record import Organization


def _orgs(text: str) -> dict[str, Organization]:
    return {o.name: o for o in extract_entities(text, use_model=False).organizations}


def _with_model(text: str, tagged: list[str], excluded_words: tuple[str, ...] = ()) -> set[str]:
    """The organisations found when the model labels ORG each occurrence of the ``tagged`` strings."""
    annotated = annotate(text)
    spans = []
    for phrase in tagged:
        begin = text.find(phrase)
        while begin >= 0:
            span = annotated.doc.char_span(begin, begin + len(phrase))
            assert span is not None, phrase
            spans.append((span.start, span.end))
            begin = text.find(phrase, begin + 1)
    excluded = {t.i for t in annotated.doc if t.text in excluded_words}
    result = find_organizations(annotated, excluded, spans)
    return {o.name for o in to_organizations(result.mentions, annotated)}


# --- units with canonical names ------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "name", "code"), [
    ("Polresta Bogor Kota menahan dua pemuda.", "Polresta Bogor Kota", "32.71"),
    ("Korban melapor ke Polres Metro Bekasi Kota kemarin.", "Polres Metro Bekasi Kota", "32.75"),
    ("Anggota Polres Bandara Soekarno-Hatta memeriksa koper itu.", "Polres Bandara Soekarno-Hatta", None),
    ("Pangkalan TNI AL (Lanal) Dumai menggagalkan penyelundupan.", "Lanal Dumai", "14.72"),
])
def test_police_and_military_units_keep_the_parts_of_their_official_names(text: str, name: str,
                                                                           code: str | None) -> None:
    assert _orgs(text)[name].region_code == code


def test_a_polsek_is_named_after_its_district_as_written() -> None:
    orgs = _orgs("Tim Polsek Padang Ratu dan Polsek Pasar Minggu berjaga, dibantu Polsek Tambun.")
    assert {"Polsek Padang Ratu", "Polsek Pasar Minggu", "Polsek Tambun"} <= set(orgs)
    assert "Polsek Padang" not in orgs  # Padang the city is only the first word of the district
    assert orgs["Polsek Padang Ratu"].region_code == "18.02.03"


def test_a_polsek_named_only_by_its_head_is_a_unit() -> None:
    assert "Polsek Rawalumbu" in _orgs("Kapolsek Rawalumbu AKP Sri Wahyuni meminta warga tenang.")


def test_a_bracketed_short_form_between_kind_and_parent_is_skipped() -> None:
    orgs = _orgs("Satuan Reserse Kriminal (Satreskrim) Polres Padang Pariaman menangkap pelaku.")
    assert orgs["Satreskrim Polres Padang Pariaman"].parent == "Polres Padang Pariaman"


def test_bareskrim_directorates_and_their_subdirectorates_nest() -> None:
    orgs = _orgs("Tim Subdit II Dittipidnarkoba Bareskrim Polri menyita sabu.")
    assert orgs["Subdit II Dittipidnarkoba Bareskrim Polri"].parent == "Dittipidnarkoba Bareskrim Polri"
    assert orgs["Dittipidnarkoba Bareskrim Polri"].parent == "Bareskrim Polri"
    assert orgs["Bareskrim Polri"].parent == "Polri"


def test_national_bodies_take_their_canonical_names_and_children_name_them() -> None:
    orgs = _orgs("Kepala BNN Provinsi NTT dan petugas BNN Pusat meninjau lokasi.")
    assert "BNN RI" in orgs and "BNN" not in orgs
    assert orgs["BNNP Nusa Tenggara Timur"].parent == "BNN RI"


def test_a_prison_is_named_without_the_town_that_follows_it() -> None:
    orgs = _orgs("Ia menjalani hukuman di Lapas Kelas III Gunung Sindur Bogor sejak 2020.")
    assert "Lapas Kelas III Gunung Sindur" in orgs


def test_a_prison_of_a_body_is_named_after_the_body() -> None:
    orgs = _orgs("Kedua tersangka ditahan di Rutan KPK selama 20 hari.")
    assert orgs["Rutan KPK"].parent == "KPK" and "KPK" in orgs


def test_a_prison_written_before_a_region_stops_at_the_region() -> None:
    assert "Lapas Tangerang" in _orgs("Kepala Lapas Tangerang Budi Hartono meninjau blok hunian.")


def test_jakarta_units_use_the_name_in_use() -> None:
    assert "Pemprov DKI Jakarta" in _orgs("Pemprov DKI Jakarta menyiapkan anggaran.")


# --- bodies named as the text names them ----------------------------------------------------------------
def test_a_court_is_named_by_the_longest_form_the_text_uses() -> None:
    orgs = _orgs("Sidang digelar di Pengadilan Negeri Sleman. Hakim PN Sleman menunda sidang.")
    assert "Pengadilan Negeri Sleman" in orgs and "PN Sleman" not in orgs
    assert len(orgs["Pengadilan Negeri Sleman"].mentions) == 2


def test_a_prosecutor_is_named_by_the_short_form_the_text_gives_in_brackets() -> None:
    orgs = _orgs("Berkas diserahkan ke Kejaksaan Negeri (Kejari) Kota Tangerang. Kejari Kota Tangerang menerima.")
    assert orgs["Kejari Kota Tangerang"].region_code == "36.71"
    assert len(orgs) == 1


@pytest.mark.parametrize(("text", "name"), [
    ("Kementerian Sosial (Kemensos) menyalurkan bantuan. Kemensos juga mendata warga.", "Kemensos"),
    ("Kementerian Sosial menyalurkan bantuan.", "Kementerian Sosial"),
    ("BPOM RI menarik produk itu. Menurut BPOM, izin edarnya palsu.", "BPOM RI"),
    ("Komisi Perlindungan Anak Indonesia (KPAI) meminta sekolah bertindak.", "KPAI"),
    ("Kaukus Pengacara Muda Indonesia (KPMI) menggelar diskusi.", "KPMI"),
])
def test_bodies_are_named_by_the_short_form_in_brackets_else_the_longest(text: str, name: str) -> None:
    assert set(_orgs(text)) == {name}


def test_an_acronym_the_text_spells_out_as_something_else_is_not_the_body() -> None:
    orgs = _orgs("Tunggakan Pajak Bumi dan Bangunan (PBB) menumpuk. Warga diminta melunasi PBB.")
    assert orgs == {}
    assert "PBB" in _orgs("Perserikatan Bangsa-Bangsa (PBB) mengecam serangan itu. PBB meminta gencatan senjata.")


def test_customs_written_alone_is_the_customs_service_and_with_a_place_its_office() -> None:
    assert set(_orgs("Petugas Bea Cukai menemukan paket mencurigakan.")) == {"Bea Cukai"}
    assert set(_orgs("Petugas Bea Cukai Ngurah Rai menemukan paket.")) == {"Bea Cukai Ngurah Rai"}


def test_a_body_followed_by_a_foreign_country_is_that_country_s_body() -> None:
    orgs = _orgs("Vonis itu dikuatkan Mahkamah Agung Arab Saudi pekan lalu.")
    assert set(orgs) == {"Mahkamah Agung Arab Saudi"}


# --- names read from head and tail words -----------------------------------------------------------------
@pytest.mark.parametrize(("text", "name"), [
    ("Kendaraan itu dibuat PT Pindad di Bandung.", "PT Pindad"),
    ("Mahasiswa Universitas Terbuka mengikuti ujian.", "Universitas Terbuka"),
    ("Rapat dihadiri Kementerian Koordinator Bidang Perekonomian kemarin.",
     "Kementerian Koordinator Bidang Perekonomian"),
    ("Laporan Amnesty International mencatat eksekusi itu.", "Amnesty International"),
    ("Pemain Bologna FC itu dipanggil tim nasional.", "Bologna FC"),
    ("Kerja sama dengan Kepolisian Singapura diperluas.", "Kepolisian Singapura"),
    ("Dinas Peternakan Provinsi NTT membagikan bibit.", "Dinas Peternakan Provinsi Nusa Tenggara Timur"),
    ("Pejabat Badan Pengelola Keuangan dan Aset Daerah (BPKAD) Kota Sorong diperiksa.", "BPKAD Kota Sorong"),
    ("Saham PT Kereta Cepat Nusantara (Persero) dilepas.", "PT Kereta Cepat Nusantara (Persero)"),
    ("Anggota Fraksi Partai Keadilan Sejahtera menolak usul itu.", "Fraksi Partai Keadilan Sejahtera"),
    ("Satgasus Mabes Polri memburu pelaku.", "Satgasus Mabes Polri"),
])
def test_names_opened_by_a_head_or_closed_by_a_tail(text: str, name: str) -> None:
    assert name in _orgs(text)


def test_a_common_word_inside_a_name_stays_and_one_opening_the_sentence_goes() -> None:
    assert "Musim Raya Group" in _orgs("Saham milik Musim Raya Group naik tajam.")
    assert "Pemain Bologna FC" not in _orgs("Pemain Bologna FC itu cedera.")


def test_ministries_written_by_their_contracted_names() -> None:
    orgs = _orgs("Kemenpora dan Kemenpan RB menandatangani nota. Kemenangan itu dirayakan.")
    assert set(orgs) == {"Kemenpora", "Kemenpan RB"}


def test_customs_offices_written_bc() -> None:
    assert set(_orgs("Kapal itu diserahkan ke BC Batam untuk diperiksa.")) == {"Bea Cukai Batam"}
    assert _orgs("Pelaku BC (31) ditangkap di rumahnya.") == {}


def test_a_company_keeps_its_legal_name_over_its_acronym_and_both_are_one() -> None:
    orgs = _orgs("Direksi PT Sinar Laut Perkasa (SLP) diperiksa. Kantor PT SLP digeledah.")
    assert set(orgs) == {"PT Sinar Laut Perkasa"}
    assert len(orgs["PT Sinar Laut Perkasa"].mentions) == 2


def test_two_organisations_joined_by_dan_stay_two() -> None:
    orgs = _orgs("Proyek itu dikerjakan PT Pindad dan Amnesty International memantau.")
    assert {"PT Pindad", "Amnesty International"} <= set(orgs)
    orgs = _orgs("Nota itu diteken Pemerintah Republik Malaysia dan Pemerintah Republik Pakistan.")
    assert {"Pemerintah Republik Malaysia", "Pemerintah Republik Pakistan"} <= set(orgs)


def test_a_connector_inside_a_name_stays() -> None:
    assert "Kementerian Kelautan dan Perikanan" in _orgs("Kementerian Kelautan dan Perikanan menyita kapal.")


@pytest.mark.parametrize("text", [
    "Pemerintah menerbitkan Peraturan Pemerintah Pengganti Undang-Undang itu.",
    "Upacara Hari Bhayangkara digelar meriah.",
    "Warga Desa Sukamaju menolak tambang.",
    "Badan pelaku dipenuhi luka.",
    "Pejabat di Amerika Serikat menyatakan hal itu.",
])
def test_titles_common_nouns_and_places_are_no_organisations(text: str) -> None:
    assert _orgs(text) == {}


def test_a_person_named_after_an_acronym_is_left_out_of_the_name() -> None:
    assert "Biro Humas BNK" in _orgs("Kepala Biro Humas BNK Agusman menjelaskan.")


def test_a_unit_kind_without_its_region_is_no_name_of_its_own() -> None:
    assert _orgs("Rapat dihadiri Walikota dan Kepolisian Resor kota.") == {}


# --- the model's ORG spans ---------------------------------------------------------------------------------
def test_model_acronyms_named_after_an_officer_are_organisations() -> None:
    text = "Rektor UGM membuka acara. Menurut UGM, peserta berasal dari 30 kampus."
    assert _with_model(text, ["UGM"]) == {"UGM"}


def test_model_acronyms_spelt_out_as_an_organisation_are_organisations() -> None:
    text = ("Sidang ASEAN Senior Officials on Drug Matters (ASOD) digelar di Singapura. ASOD membahas "
            "kerja sama pelabuhan.")
    assert "ASOD" in _with_model(text, ["ASEAN Senior Officials", "ASOD"])


@pytest.mark.parametrize(("text", "tagged"), [
    ("Polisi menangkap tersangka RZ di rumahnya. RZ mengaku membeli sabu.", "RZ"),
    ("Warga menolak pemutusan hubungan kerja (PHK) massal. PHK dinilai merugikan.", "PHK"),
    ("Penumpang KRL berdesakan. Jadwal KRL terganggu hujan.", "KRL"),
    ("Ia dijerat UU ITE. Pasal dalam UU ITE itu dinilai karet.", "ITE"),
    ("Sejumlah Warga Binaan Pemasyarakatan (WBP) dipindahkan. WBP itu dikawal ketat.", "WBP"),
])
def test_model_acronyms_of_people_laws_services_and_common_phrases_are_left_out(text: str, tagged: str) -> None:
    assert _with_model(text, [tagged]) == set()


def test_model_names_that_are_no_acronyms_are_left_out() -> None:
    text = "Pebalap Toyota Rush itu menang. Toyota Rush miliknya baru. Pebalap lain tertinggal."
    assert _with_model(text, ["Toyota Rush", "Pebalap"]) == set()


def test_a_person_after_an_organisation_ends_its_name_where_the_model_ends_it() -> None:
    text = "Ketua Umum Partai Bulan Sabit Rahmat Hidayat hadir."
    assert _with_model(text, ["Partai Bulan Sabit"]) == {"Partai Bulan Sabit"}


def test_a_unit_outranks_a_person_the_people_finder_read_in_its_words() -> None:
    text = "Warga melapor ke Polsek Darussalam dan Amnesty International."
    assert {"Polsek Darussalam", "Amnesty International"} <= _with_model(
        text, [], excluded_words=("Darussalam", "Amnesty"))


def test_a_metro_unit_named_by_its_headquarters_keeps_its_region() -> None:
    from pantau.extract.entities import extract_entities

    found = extract_entities("Para pemuda itu digiring ke Mapolres Metro Jakarta Barat untuk diperiksa.", None)
    assert [(o.name, o.region_code) for o in found.organizations] == [("Polres Metro Jakarta Barat", "31.73")]
