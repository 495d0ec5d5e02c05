"""Topic taxonomy: one hand-written paragraph per topic, passing mentions that must not count, the
founding articles' gold topic constraints, and the shape of the taxonomy and of the hand labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.extract.topics import OTHER, classify_topics, taxonomy, topic_evidence

TOPIC_KEYS = ["drugs", "prison", "rehabilitation", "public_order", "viral_incident", "election", "integrity",
              "interagency", "corruption", "traffic", "terrorism"]


@pytest.mark.parametrize(("title", "body", "expected"), [
    (None, "Satresnarkoba Polres Binjai menangkap dua pengedar sabu di Hamparan Perak. Dari tangan tersangka, "
           "polisi menyita 0,81 gram sabu siap edar.", ["drugs"]),
    (None, "Petugas Lapas Kelas IIA Kerobokan menggagalkan penyelundupan telepon genggam ke blok hunian. "
           "Kalapas memerintahkan pemeriksaan menyeluruh terhadap seluruh warga binaan.", ["prison"]),
    (None, "BNNK Sleman membuka layanan rehabilitasi rawat jalan bagi pecandu. Klien yang direhabilitasi "
           "wajib mengikuti konseling setiap pekan.", ["rehabilitation"]),
    (None, "BNNK Sleman membuka layanan rehabilitasi rawat jalan bagi pecandu narkoba. Klien yang direhabilitasi "
           "wajib mengikuti konseling di balai rehabilitasi dan tes urine setiap pekan.", ["rehabilitation", "drugs"]),
    (None, "Dua kelompok pemuda terlibat tawuran di Jalan Ahmad Yani. Polisi membubarkan kerumunan dan "
           "menggelar patroli malam untuk menjaga kamtibmas.", ["public_order"]),
    ("Viral Video Sopir Ojol Bantu Lansia Menyeberang", "Video itu ramai di media sosial dan dikomentari "
     "ribuan warganet. Sopir itu mengaku tidak tahu sedang direkam.", ["viral_incident"]),
    (None, "Polres Gianyar menyiagakan personel untuk mengamankan tahapan kampanye Pemilu 2024. Kapolres juga "
           "meminta anggota menjaga keamanan hingga pemungutan suara di TPS.", ["election"]),
    (None, "Bid Propam Polda Jateng menggelar sidang kode etik terhadap oknum polisi yang terlibat pungli. "
           "Anggota itu dijatuhi sanksi PTDH.", ["integrity"]),
    (None, "Pemkab dan Polres menandatangani nota kesepahaman tentang keamanan pasar. Kerja sama antarlembaga "
           "ini disebut memperkuat sinergi kedua institusi.", ["interagency"]),
    (None, "Kejati Sumut menahan mantan kepala dinas dalam kasus korupsi pengadaan alat kesehatan. Kerugian "
           "negara ditaksir mencapai Rp 12 miliar.", ["corruption"]),
    (None, "Kecelakaan lalu lintas terjadi di Jalan Lintas Sumatera. Sebuah truk menabrak pengendara sepeda "
           "motor, dan Satlantas Polres Lahat melakukan olah TKP.", ["traffic"]),
    (None, "Densus 88 menangkap tiga terduga teroris jaringan JAD di Sukoharjo. Mereka diduga merencanakan "
           "aksi teror menjelang tahun baru.", ["terrorism"]),
    (None, "Harga cabai rawit di Pasar Induk naik menjadi Rp 80.000 per kilogram. Pedagang mengeluhkan "
           "pasokan yang berkurang.", [OTHER]),
])
def test_one_paragraph_per_topic(title: str | None, body: str, expected: list[str]) -> None:
    assert classify_topics(title, body) == expected


def test_multi_label_story_is_ordered_by_salience() -> None:
    body = ("Polisi mengungkap peredaran sabu yang dikendalikan narapidana dari dalam Lapas Narkotika. "
            "Paket narkoba dilempar ke blok hunian dan diterima warga binaan. Kalapas berjanji memperketat "
            "pengawasan. Sabu seberat 25 gram itu kini diperiksa Satresnarkoba.")
    assert classify_topics("Narapidana Kendalikan Peredaran Narkoba dari Lapas", body) == ["prison", "drugs"]


def test_a_single_list_in_a_job_advert_is_not_a_topic() -> None:
    body = ("Universitas membuka lowongan dosen tetap. Syarat umum: sehat jasmani dan rohani. Tidak "
            "mengonsumsi narkotika, psikotropika, prekursor, dan zat adiktif lainnya. Berkas dikirim paling "
            "lambat akhir bulan.")
    assert classify_topics("Lowongan Dosen Tetap 2025", body) == [OTHER]


def test_a_longer_phrase_shadows_the_words_inside_it() -> None:
    body = ("Ditresnarkoba mencanangkan pembangunan Zona Integritas menuju Wilayah Bebas Korupsi (WBK). "
            "Seluruh personel menandatangani pakta integritas.")
    topics = classify_topics(None, body)
    assert "integrity" in topics and "corruption" not in topics


def test_neutral_place_names_are_not_cues() -> None:
    body = ("Bupati Sabu Raijua meresmikan pasar baru di Seba. Pasar itu dibangun dengan dana desa. "
            "Warga Sabu Raijua menyambut gembira.")
    assert classify_topics(None, body) == [OTHER]
    assert topic_evidence(None, body)["drugs"].score == 0


def test_a_headline_cue_counts_even_when_the_body_is_short() -> None:
    assert classify_topics("Densus 88 Tangkap Terduga Teroris di Bekasi", "Penangkapan dilakukan Senin pagi.") == [
        "terrorism"]


def test_empty_text_is_other() -> None:
    assert classify_topics(None, "") == [OTHER]


def test_seed_gold_topic_constraints(seed_paths: list[Path], gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["documents"]
    for path in seed_paths:
        doc = gold[path.stem]
        topics = classify_topics(doc["title"], path.read_text(encoding="utf-8"))
        assert set(doc["topics_include"]) <= set(topics), (path.stem, topics)
        assert not set(doc["topics_exclude"]) & set(topics), (path.stem, topics)


def test_taxonomy_is_fixed_and_documented() -> None:
    topics = taxonomy()
    assert [t.key for t in topics] == TOPIC_KEYS
    for topic in topics:
        assert topic.label_id and topic.label_en and len(topic.description) > 40
        assert topic.threshold > 0 and topic.min_distinct >= 1


def test_hand_labels_use_taxonomy_keys(gold_path: Path) -> None:
    labels = json.loads((gold_path.parent / "topics_labels.json").read_text(encoding="utf-8"))
    assert len(labels) >= 40
    for topics in labels.values():
        assert topics and set(topics) <= {*TOPIC_KEYS, OTHER}
        assert OTHER not in topics or topics == [OTHER]


# Agencies acting together: one sentence is a statement of cooperation.
@pytest.mark.parametrize("body", [
    "Kantor Bea Cukai Tarakan bersama aparat TNI AL menggagalkan penyelundupan rokok ilegal. Barang itu dibawa "
    "dengan perahu cepat dari Tawau.",
    "Petugas Lapas Kelas IIB Garut menemukan paket mencurigakan di blok hunian. Kami langsung berkoordinasi dengan "
    "Satresnarkoba Polres Garut untuk penyelidikan lebih lanjut.",
    "Pemkot Medan berencana bekerja sama dengan BNNK Medan untuk tes urine seluruh pegawai. Jadwalnya akan diumumkan "
    "pekan depan.",
])
def test_agencies_acting_together_are_interagency(body: str) -> None:
    assert "interagency" in classify_topics(None, body)


@pytest.mark.parametrize("body", [
    # Units of one agency.
    "Satreskrim Polres Bekasi bersama Polsek Tambun menangkap dua pelaku curanmor. Keduanya kini ditahan di Mapolres.",
    # People together with an agency, in a story naming one kind of agency.
    "Korban datang bersama polisi ke lokasi kejadian. Polisi lalu memasang garis polisi di rumah itu.",
    # An agency named as a place.
    "KPK menahan dua tersangka. Tersangka pertama bersama istrinya ditahan di Rutan KPK, yang kedua di Rutan "
    "Polres Jakarta Timur.",
    # Cooperation words with no agency: a university and a company.
    "Universitas itu menandatangani nota kesepahaman dengan sebuah perusahaan teknologi. Kolaborasi ini disebut "
    "memperkuat sinergi dunia kampus dan industri. Kerja sama mencakup magang mahasiswa.",
])
def test_not_interagency(body: str) -> None:
    assert "interagency" not in classify_topics(None, body)


def test_a_subject_said_to_have_gone_viral_is_a_viral_incident() -> None:
    body = ("Polisi memeriksa pengemudi mobil boks yang viral karena menerobos palang pintu perlintasan. Pengemudi itu "
            "mengaku terburu-buru mengantar barang.")
    assert "viral_incident" in classify_topics(None, body)
    assert topic_evidence(None, body)["viral_incident"].statement


def test_talk_about_viral_content_is_not_a_viral_incident() -> None:
    body = ("Kapolres meminta anggota berhati-hati karena peristiwa viral di media sosial kerap menyudutkan polisi. "
            "Ia juga meminta anggota menjaga sikap saat bertugas.")
    assert "viral_incident" not in classify_topics(None, body)


@pytest.mark.parametrize(("title", "body"), [
    ("Pria di Sleman Tewas Ditusuk Tetangganya", "Pelaku penusukan ditangkap Satreskrim Polres Sleman beberapa jam "
     "kemudian. Motifnya dendam lama."),
    (None, "Seorang guru les diduga mencabuli tiga muridnya. Kasus pencabulan itu dilaporkan orang tua korban dan kini "
           "ditangani Satreskrim Polresta Malang."),
    (None, "Warga menemukan korban pembunuhan di kebun kopi. Polisi menangkap pembunuh korban dua hari kemudian, "
           "dan pelaku mengaku menganiaya korban karena utang."),
])
def test_violent_and_sexual_crime_is_public_order(title: str | None, body: str) -> None:
    assert "public_order" in classify_topics(title, body)


def test_a_word_in_single_quotes_is_mentioned_not_used() -> None:
    title = "Penumpang Bus Diteriaki 'Teroris' oleh Sesama Penumpang"
    body = ("Seorang penumpang bus diteriaki 'teroris' oleh penumpang lain. Pelaku juga memukul korban. "
            "Keduanya akhirnya berdamai di kantor polisi.")
    assert "terrorism" not in classify_topics(title, body)


def test_body_cues_are_the_cues_of_each_sentence_with_its_index() -> None:
    from collections import Counter

    from pantau.extract.topics import _TOKEN, _body_cues, _cues, _sentences, _taxonomy

    tax = _taxonomy()
    bodies = ["Polisi menangkap pengedar sabu. Narkoba jenis sabu disita.\n\nPengedar narkoba ditahan di lapas!",
              ". . Lapas\n\nwarga binaan lapas. Sabu Raijua sabu? korupsi, wilayah bebas korupsi.\nnarkoba",
              "", "sabu", "kasus narkoba. narkoba"]
    for body in bodies:
        tokens = _TOKEN.findall(body.lower())
        expected: list[tuple[tuple[str, ...], int]] = []
        for index, sentence in enumerate(_sentences(tokens)):
            expected += [(phrase, index) for phrase, count in _cues(sentence, tax).items() for _ in range(count)]
        found = _body_cues(tokens, tax)
        assert Counter(found) == Counter(expected), body
        assert list(dict.fromkeys(p for p, _ in found)) == list(dict.fromkeys(p for p, _ in expected)), body


def test_break_positions_and_agency_kinds_read_the_whole_token_list_as_the_sentences_would() -> None:
    from pantau.extract.topics import _BREAKS, _TOKEN, _agency_kinds, _break_positions, _sentences, _taxonomy

    tax = _taxonomy()
    for body in ["Polisi bersama TNI dan Bea Cukai menggagalkan penyelundupan. BNN!\n\nKejaksaan?",
                 "", ". . !", "bersama bnn. polisi", "tni"]:
        tokens = _TOKEN.findall(body.lower())
        assert _break_positions(tokens) == [i for i, t in enumerate(tokens) if t in _BREAKS]
        starts = [i for i, word in enumerate(tokens) if word in tax.starts]
        for together in tax.together.values():
            by_sentence = set()
            for sentence in _sentences(tokens):
                for i in range(len(sentence)):
                    if (agency := together.agencies.at(sentence, i)) is not None:
                        by_sentence.add(together.agencies.keys[agency])
            assert _agency_kinds([(tokens, starts)], together) == by_sentence, body


def test_a_topic_with_no_evidence_has_what_an_empty_reading_gives() -> None:
    from pantau.extract.topics import Evidence, _no_evidence

    evidence = topic_evidence("Polisi Tangkap Pengedar Sabu", "Polisi menangkap pengedar sabu di Kupang. Warga lega.")
    empty = [key for key, found in evidence.items() if found.score == 0.0 and not found.cues]
    assert empty
    for key in empty:
        assert evidence[key] == Evidence(score=0.0, distinct=0, sentences=0, core_sentences=0, in_title=False, cues=(),
                                         statement=False, agency_kinds=evidence[key].agency_kinds)
    assert _no_evidence(None) == Evidence(0.0, 0, 0, 0, False, ())
