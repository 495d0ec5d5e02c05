"""People, organisations and places on hand-written sentences in the style of real reports."""

from __future__ import annotations

from typing import Any

import pytest

from pantau.extract.entities import Entities, extract_entities
from pantau.record import Person


def _people(text: str) -> dict[str, Person]:
    return {p.name: p for p in extract_entities(text).people}


def _one(text: str) -> Person:
    people = extract_entities(text).people
    assert len(people) == 1, [p.name for p in people]
    return people[0]


# --- every rank form -------------------------------------------------------------------------------
@pytest.mark.parametrize(("written", "full", "abbr"), [
    ("Kombes Pol", "Komisaris Besar Polisi", "Kombes"),
    ("Kombes", "Komisaris Besar Polisi", "Kombes"),
    ("Kombes. Pol.", "Komisaris Besar Polisi", "Kombes"),
    ("Kombespol", "Komisaris Besar Polisi", "Kombes"),
    ("Komisaris Besar Polisi", "Komisaris Besar Polisi", "Kombes"),
    ("AKBP", "Ajun Komisaris Besar Polisi", "AKBP"),
    ("Ajun Komisaris Besar Polisi", "Ajun Komisaris Besar Polisi", "AKBP"),
    ("AKP", "Ajun Komisaris Polisi", "AKP"),
    ("Kompol", "Komisaris Polisi", "Kompol"),
    ("Iptu", "Inspektur Polisi Satu", "Iptu"),
    ("Ipda", "Inspektur Polisi Dua", "Ipda"),
    ("Aiptu", "Ajun Inspektur Polisi Satu", "Aiptu"),
    ("Aipda", "Ajun Inspektur Polisi Dua", "Aipda"),
    ("Bripka", "Brigadir Polisi Kepala", "Bripka"),
    ("Brigadir", "Brigadir Polisi", "Brigpol"),
    ("Briptu", "Brigadir Polisi Satu", "Briptu"),
    ("Bripda", "Brigadir Polisi Dua", "Bripda"),
    ("Bharada", "Bhayangkara Dua", "Bharada"),
    ("Brigjen Pol", "Brigadir Jenderal Polisi", "Brigjen"),
    ("Brigadir Jenderal Polisi", "Brigadir Jenderal Polisi", "Brigjen"),
    ("Irjen. Pol.", "Inspektur Jenderal Polisi", "Irjen"),
    ("Irjen", "Inspektur Jenderal Polisi", "Irjen"),
    ("Komjen Pol", "Komisaris Jenderal Polisi", "Komjen"),
    ("Jenderal Polisi", "Jenderal Polisi", "Jenderal"),
    ("Letkol Inf", "Letnan Kolonel", "Letkol"),
    ("Brigjen TNI", "Brigadir Jenderal TNI", "Brigjen TNI"),
    ("Kolonel", "Kolonel", "Kolonel"),
])
def test_rank_forms(written: str, full: str, abbr: str) -> None:
    person = _one(f"Kegiatan itu dipimpin {written} Budi Santoso di halaman markas.")
    assert (person.name, person.rank, person.rank_abbr) == ("Budi Santoso", full, abbr)


# --- titles ------------------------------------------------------------------------------------------
def test_academic_titles_after_the_name_are_stripped_and_selaku_gives_the_post() -> None:
    person = _one("Jbm.co.id | AKBP Leo Dedy Defretes, S.H.,S.I.K.,M.H, selaku Kapolres Tabanan mengikuti arahan.")
    assert (person.name, person.position, person.organization) == (
        "Leo Dedy Defretes", "Kapolres Tabanan", "Polres Tabanan")


def test_prefix_titles_are_stripped() -> None:
    person = _one("Arahan disampaikan Asops Polri Irjen. Pol. Drs. Verdianto Iskandar Bitticaca, M.Hu di Jakarta.")
    assert (person.name, person.position, person.organization) == (
        "Verdianto Iskandar Bitticaca", "Asops Polri", "Polri")
    person = _one("Hadir pula Kapolsek Sukajadi Kompol H. Ahmad Fauzi, S.Sos, M.Si dalam acara itu.")
    assert person.name == "Ahmad Fauzi" and person.position == "Kapolsek Sukajadi"


# --- posts and positions -----------------------------------------------------------------------------
def test_post_comma_rank_name() -> None:
    person = _one("Kapolres Banyuasin, AKBP Rury Prastowo, menegaskan komitmen jajarannya.")
    assert (person.position, person.organization) == ("Kapolres Banyuasin", "Polres Banyuasin")


def test_post_rank_name_without_comma() -> None:
    person = _one("Sementara itu, Kapolda NTB Irjen Pol Mohammad Iqbal, mengapresiasi kegiatan tersebut.")
    assert (person.name, person.rank_abbr, person.position, person.organization) == (
        "Mohammad Iqbal", "Irjen", "Kapolda NTB", "Polda Nusa Tenggara Barat")


def test_post_comma_name_without_rank() -> None:
    person = _one("Kabid Humas Polda Kalteng, Hendra Rochmawan, membenarkan adanya miskomunikasi.")
    assert (person.name, person.rank, person.position, person.organization) == (
        "Hendra Rochmawan", None, "Kabid Humas Polda Kalteng", "Polda Kalimantan Tengah")


def test_long_position_with_parenthesised_abbreviation() -> None:
    person = _one("Kepala Badan Narkotika Nasional (BNN) Provinsi NTT, Brigadir Jenderal Polisi Totok Lisdiarto "
                  "melaksanakan kunjungan.")
    assert person.position == "Kepala Badan Narkotika Nasional (BNN) Provinsi NTT"
    assert person.organization == "BNNP Nusa Tenggara Timur"


def test_sub_unit_post_belongs_to_the_unit_it_names() -> None:
    person = _one("Dalam kegiatan itu, Dir Resnarkoba Polda NTB Kombes Pol Helmi Kwarta menyampaikan sambutan.")
    assert person.organization == "Ditresnarkoba Polda Nusa Tenggara Barat"
    person = _one("Kasat Resnarkoba Polres Kuantan Singingi AKP Novris Simanjuntak memimpin penggerebekan.")
    assert person.organization == "Satresnarkoba Polres Kuantan Singingi"


def test_woman_official_post_comma_name() -> None:
    person = _one("Kedatangannya diterima Kepala Kanwil Kemenkumham NTT, Marciana Dominika Jone di ruang kerja.")
    assert (person.name, person.position, person.organization) == (
        "Marciana Dominika Jone", "Kepala Kanwil Kemenkumham NTT", "Kanwil Kemenkumham Nusa Tenggara Timur")


# --- posts without names are not people ----------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Kegiatan tersebut juga dihadiri Kepala BNNP NTB, Kepala Lembaga Pemasyarakatan Kelas II Mataram, "
    "Kepala Bea dan Cukai NTB, perwakilan BPOM dan Ombudsman Perwakilan NTB.",
    "Sementara, pemaparan dari Karo Wabprop Bid Propam Polri menyampaikan terkait netralitas anggota.",
    "Kapolres Tabanan didampingi oleh Waka Polres Tabanan, Kabag Ops, Kasat Intel, Kasi Propam dan Kasi TI.",
    "Kemudian, Dir Sosbud Baintelkam Polri memaparkan situasi kamtibmas terkini.",
    "Kapolda menegaskan bahwa tidak ada ruang bagi pengedar narkoba.",
])
def test_posts_without_names_are_not_people(text: str) -> None:
    assert extract_entities(text).people == []


# --- short-name coreference ---------------------------------------------------------------------------
def test_surname_first_name_and_rank_first_name_mentions_resolve_to_one_person() -> None:
    text = ("Kepala BNNP NTT, Brigjen Pol Totok Lisdiarto hadir. Lisdiarto mengatakan sinergi penting. "
            "Kapolres Kupang, AKBP Rury Prastowo, ikut hadir. \u201cKami siap,\u201d tutur AKBP Rury. "
            "Totok juga berharap kerja sama berlanjut.")
    people = _people(text)
    assert set(people) == {"Totok Lisdiarto", "Rury Prastowo"}
    mentions = [text[s:e] for s, e in people["Totok Lisdiarto"].mentions]
    assert "Lisdiarto" in mentions and "Totok" in mentions
    assert "AKBP Rury" in [text[s:e] for s, e in people["Rury Prastowo"].mentions]


def test_post_alone_refers_to_its_holder() -> None:
    text = "Kapolda NTB Irjen Pol Mohammad Iqbal hadir. Kapolda menambahkan bahwa kegiatan ini penting."
    [person] = extract_entities(text).people
    assert [text[s:e] for s, e in person.mentions][-1] == "Kapolda"


def test_name_without_comma_after_post_is_a_mention_once_the_name_is_known() -> None:
    text = ("Personel sudah seizin Kalapas Narkotika Kasongan, Ahmad Hardi. Senada, Kalapas Narkotika Kasongan "
            "Ahmad Hardi, menuturkan masalah selesai. Ahmad pun menegaskan komitmennya.")
    [person] = extract_entities(text).people
    assert person.name == "Ahmad Hardi" and person.position == "Kalapas Narkotika Kasongan"
    assert [text[s:e] for s, e in person.mentions].count("Ahmad Hardi") == 2
    assert "Ahmad" in [text[s:e] for s, e in person.mentions]


def test_two_people_sharing_a_first_name_keep_short_mentions_unresolved() -> None:
    text = ("Kasat Reskrim AKP Budi Santoso dan Kasat Narkoba AKP Budi Hartono memimpin operasi. "
            "Budi mengatakan operasi berhasil.")
    people = _people(text)
    assert set(people) == {"Budi Santoso", "Budi Hartono"}
    for person in people.values():
        assert "Budi" not in [text[s:e] for s, e in person.mentions]


def test_street_named_after_a_rank_is_not_a_person() -> None:
    assert extract_entities("Motor itu hilang di Jalan Kapten P Tendean, Jakarta Selatan.").people == []


def test_mentions_are_offsets_into_the_text() -> None:
    text = "Kapolres Banyuasin, AKBP Rury Prastowo, menegaskan komitmen."
    person = _one(text)
    assert text[slice(*person.mentions[-1])] == "AKBP Rury Prastowo"


# --- organisations ----------------------------------------------------------------------------------
def _orgs(text: str) -> dict[str, object]:
    return {o.name: o for o in extract_entities(text).organizations}


@pytest.mark.parametrize(("text", "name", "kind", "code"), [
    ("Personel Polda Kalteng turun ke lapangan.", "Polda Kalimantan Tengah", "police", "62"),
    ("Polres Banyuasin berhasil mengungkap kasus.", "Polres Banyuasin", "police", "16.07"),
    ("Petugas BNNP NTB melakukan tes urine.", "BNNP Nusa Tenggara Barat", "bnn", "52"),
    ("Tim BNN Provinsi Jatim menggelar razia.", "BNNP Jawa Timur", "bnn", "35"),
    ("Kanwil Kemenkumham NTT memperketat pengawasan.", "Kanwil Kemenkumham Nusa Tenggara Timur", "corrections", "53"),
    ("Warga binaan Lapas Narkotika Kasongan mengikuti tes.", "Lapas Narkotika Kasongan", "corrections", None),
    ("Polresta Bandung menangkap kurir.", "Polresta Bandung", "police", "32.73"),
    ("Pemerintah Kabupaten Banyuasin mendukung upaya itu.", "Pemkab Banyuasin", "government", "16.07"),
    ("Berkas dilimpahkan ke Kejaksaan Negeri Kota Tangerang.", "Kejaksaan Negeri Kota Tangerang", "prosecutor",
     "36.71"),
    ("Ditresnarkoba Polda Metro Jaya menggeledah apartemen.", "Ditresnarkoba Polda Metro Jaya", "police", "31"),
    ("Polres Metro Jakarta Barat menangkap pelaku.", "Polres Metro Jakarta Barat", "police", "31.73"),
])
def test_units_get_canonical_names_types_and_region_codes(text: str, name: str, kind: str, code: str | None) -> None:
    org = _orgs(text)[name]
    assert (org.type, org.region_code) == (kind, code)  # type: ignore[attr-defined]


def test_sub_unit_has_its_parent_and_a_bare_kind_is_a_later_mention() -> None:
    text = "Jajaran Ditresnarkoba Polda Kalteng bergerak. Menurutnya, Ditresnarkoba dan Lapas bekerja sama."
    orgs = _orgs(text)
    sub = orgs["Ditresnarkoba Polda Kalimantan Tengah"]
    assert sub.parent == "Polda Kalimantan Tengah"  # type: ignore[attr-defined]
    assert len(sub.mentions) == 2  # type: ignore[attr-defined]
    assert orgs["Polda Kalimantan Tengah"].parent == "Polri"  # type: ignore[attr-defined]


def test_polres_parent_is_the_polda_of_its_province() -> None:
    assert _orgs("Polres Banyuasin menggelar rilis.")["Polres Banyuasin"].parent == "Polda Sumatera Selatan"  # type: ignore[attr-defined]


def test_national_bodies() -> None:
    orgs = _orgs("Sinergi antara BNN dan Kemenkumham serta Polri diperkuat.")
    assert {"BNN RI", "Kemenkumham", "Polri"} <= set(orgs)
    assert orgs["BNN RI"].region_code is None  # type: ignore[attr-defined]


def test_lowercase_generic_words_are_not_units() -> None:
    assert extract_entities("pengawasan di lapas dan rutan diperketat").organizations == []


# --- places ------------------------------------------------------------------------------------------
def _codes(entities: Entities) -> set[str]:
    return {loc.code for loc in entities.locations if loc.code}


def test_kabupaten_and_kota_of_the_same_name() -> None:
    assert _codes(extract_entities("Warga Kabupaten Bogor dan Kota Bogor berunjuk rasa.")) == {"32.01", "32.71"}
    assert _codes(extract_entities("Polres Kupang menangkap pelaku.")) == {"53.01"}
    assert _codes(extract_entities("Polresta Kupang menangkap pelaku.")) == {"53.71"}


def test_dateline_city_beats_the_regency_of_the_same_name() -> None:
    entities = extract_entities("Polisi menangkap dua pengedar.", dateline="Kupang")
    assert _codes(entities) == {"53.71"}


def test_province_abbreviations_resolve() -> None:
    for abbr, code in [("Kalteng", "62"), ("NTT", "53"), ("NTB", "52"), ("Sumsel", "16"), ("Jatim", "35"),
                       ("DIY", "34"), ("Kepri", "21"), ("Babel", "19"), ("Malut", "82"), ("Sulteng", "72")]:
        locations = extract_entities(f"Polisi di {abbr} menangkap pengedar.").locations
        assert [loc.code for loc in locations] == [code], abbr


def test_names_that_look_like_places_are_not_places() -> None:
    entities = extract_entities("Kasat Narkoba AKP Bima Sakti memimpin penangkapan di Tangerang.")
    assert [p.name for p in entities.people] == ["Bima Sakti"]
    assert _codes(entities) == {"36.71"}


def test_post_abbreviation_that_is_also_a_regency_is_not_a_place() -> None:
    entities = extract_entities("Sementara, pemaparan dari Karo Wabprop Bid Propam Polri menyampaikan hal itu.")
    assert _codes(entities) == set()


def test_ambiguous_place_words_need_a_keyword() -> None:
    assert _codes(extract_entities("Batu itu dilempar ke arah petugas.")) == set()
    assert _codes(extract_entities("Petugas Kota Batu berjaga.")) == {"35.79"}


def test_district_with_its_keyword() -> None:
    entities = extract_entities("Rumah itu berada di Kecamatan Kuantan Tengah, Kabupaten Kuantan Singingi.")
    assert {"14.09.02", "14.09"} <= _codes(entities)


def test_every_location_has_its_province_code_and_mentions() -> None:
    text = "Polisi di Banyuasin dan Palembang, Sumatera Selatan, menyita sabu."
    entities = extract_entities(text)
    assert {loc.province_code for loc in entities.locations} == {"16"}
    for loc in entities.locations:
        assert all(text[s:e] for s, e in loc.mentions)


# --- the statistical model fills the rules' gaps -----------------------------------------------------
def test_model_adds_people_the_rules_cannot_see_and_keeps_the_rule_results() -> None:
    text = ("Ketua RT setempat, Siti Aminah, hadir bersama warga. Kapolres Banyuasin, AKBP Rury Prastowo, "
            "menegaskan komitmennya. Tokoh Agama dan Tokoh Masyarakat hadir lewat Zoom Meeting.")
    without = {p.name for p in extract_entities(text, use_model=False).people}
    with_model = {p.name: p for p in extract_entities(text, use_model=True).people}
    assert without == {"Rury Prastowo"}
    assert set(with_model) == {"Rury Prastowo", "Siti Aminah"}
    assert with_model["Rury Prastowo"].rank_abbr == "AKBP"


def test_model_places_resolve_to_region_codes() -> None:
    entities = extract_entities("Polisi menangkap dua pengedar di sebuah rumah di Tulungagung pagi tadi.",
                                use_model=True)
    assert "35.04" in {loc.code for loc in entities.locations}


def test_sentences_split_on_stops_and_lines_but_not_after_initials_or_titles() -> None:
    from pantau.extract.entities import sentences
    from pantau.extract.lexicon import annotate

    text = ("Kapolres AKBP Budi S. Widodo hadir. Dr. Siti Aminah menjawab “Ya.” Lalu pergi!\n"
            "Paragraf kedua tanpa titik\n\nParagraf ketiga.")
    annotated = annotate(text)
    found = [annotated.text(s, e) for s, e in sentences(annotated)]
    assert found == ["Kapolres AKBP Budi S. Widodo hadir.", "Dr. Siti Aminah menjawab “Ya.”", "Lalu pergi!",
                     "Paragraf kedua tanpa titik", "Paragraf ketiga."]


def test_model_tags_only_the_sentences_where_it_can_add_something(monkeypatch: pytest.MonkeyPatch) -> None:
    from pantau.ner import model as ner_model

    seen: list[str] = []

    def record(pieces: list[Any]) -> list[list[tuple[int, int, str]]]:
        seen.extend(piece if isinstance(piece, str) else piece.text for piece in pieces)  # texts or Docs
        return [[] for _ in pieces]

    monkeypatch.setattr(ner_model, "tag_pieces", record)
    text = ("Kapolres Banyuasin AKBP Rury Prastowo memimpin apel. polisi menangkap dua pengedar sabu. "
            "Namun barang bukti disita di Tulungagung. Ketua RT, Siti Aminah, hadir. "
            "Seorang warga, Siti Rahayu Lestari, melapor dari Baleendah. Warga melapor dari Baleendah pagi tadi.")
    extract_entities(text, use_model=True)
    # rule entities only, lower case only, a rule place, a rule person, a single name word: nothing the model
    # could add there; two name words no rule covers: tagged
    assert seen == ["Seorang warga, Siti Rahayu Lestari, melapor dari Baleendah."]


def _fake_tagger(found: dict[str, str]) -> Any:
    """A stand-in for ``pantau.ner.model.tag_pieces`` that tags every occurrence of the ``found`` phrases (text:
    label), so that the merge is tested on fixed model output, whatever the shipped model's weights say."""
    def tag(pieces: list[Any]) -> list[list[tuple[int, int, str]]]:
        spans = []
        for piece in pieces:
            text = piece if isinstance(piece, str) else piece.text
            spans.append(sorted((m, m + len(phrase), label) for phrase, label in found.items()
                                for m in range(len(text)) if text.startswith(phrase, m)))
        return spans
    return tag


def test_model_people_get_the_position_and_unit_the_text_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    from pantau.ner import model as ner_model

    monkeypatch.setattr(ner_model, "tag_pieces", _fake_tagger({
        "Marciana Dominika Jone": "PER", "LSM Bengkel APPeK": "ORG", "Desa Oelnasi": "LOC"}))
    text = ("Marciana Dominika Jone, Ketua LSM Bengkel APPeK, hadir di Desa Oelnasi. "
            "Menurut Marciana Dominika Jone, warga resah.")
    entities = extract_entities(text, use_model=True)
    (person,) = [p for p in entities.people if p.name == "Marciana Dominika Jone"]
    # the unit is the organisation the model tags inside the position
    assert person.position == "Ketua LSM Bengkel APPeK" and person.organization == "LSM Bengkel APPeK"
    assert person.organization in {o.name for o in entities.organizations}
    assert [text[s:e] for s, e in person.mentions] == ["Marciana Dominika Jone"] * 2  # one person, two mentions
    # without the model the name is still read after "Menurut", but the unknown unit is not
    (rules,) = extract_entities(text, use_model=False).people
    assert rules.name == "Marciana Dominika Jone" and rules.organization is None


def test_the_title_places_the_story_when_the_body_does_not() -> None:
    body = "Polisi menangkap dua pengedar sabu di sebuah rumah kontrakan pada Senin malam."
    assert extract_entities(body, use_model=False).locations == []
    found = extract_entities(body, use_model=False, title="Dua Pengedar Sabu Ditangkap di Tulungagung")
    assert "35" in {loc.province_code for loc in found.locations}


def test_the_model_reads_a_window_around_the_possible_name_of_a_long_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    from pantau.ner import model as ner_model

    seen: list[str] = []

    def record(pieces: list[Any]) -> list[list[tuple[int, int, str]]]:
        seen.extend(piece if isinstance(piece, str) else piece.text for piece in pieces)
        return [[] for _ in pieces]

    monkeypatch.setattr(ner_model, "tag_pieces", record)
    filler = " ".join(["warga"] * 20)
    text = f"Menurut {filler} yang hadir di balai desa pagi itu, Siti Rahayu Lestari, {filler} sudah pulang."
    extract_entities(text, use_model=True)
    (piece,) = seen
    assert "Siti Rahayu Lestari" in piece and len(piece.split()) < len(text.split()) - 20
