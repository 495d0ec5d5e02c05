from pantau.incidents.profile import OTHER, Profile, profile_of
from pantau.record import Person, Seizure
from tests.incidents.conftest import make_article


def test_a_bust_with_seizure_and_suspects_is_a_seizure_in_its_regency() -> None:
    article = make_article("a", "Polres Amankan Kurir Sabu", "Tersangka berinisial AR (30) ditangkap bersama sabu.",
                           seizures=[("methamphetamine", 1250.0, "g")],
                           people=[("Budi Hartono", "Kapolres Banyuasin"), ("Rina Wati", None)])
    profile = profile_of(article)
    assert profile.kind == "seizure"
    assert profile.regencies == {"16.07"} and profile.provinces == {"16"}
    assert [(a.substance, a.quantity, a.unit) for a in profile.amounts] == [("methamphetamine", 1250.0, "g")]
    assert profile.suspects == {"AR"} and profile.suspect_count == 1
    assert profile.officials == {"budi hartono"} and profile.named == {"rina wati"}
    assert profile.units == {"Polres Banyuasin"}


def test_a_period_total_is_not_the_cases_seizure() -> None:
    article = make_article("a", "Capaian Setahun", "Selama 2024 polisi menyita sabu.")
    article.seizures = [Seizure(substance="methamphetamine", term="sabu", quantity=90000.0, unit="g", period="2024",
                                span=(0, 1))]
    assert profile_of(article).amounts == ()


def test_destruction_wins_over_the_seizures_it_lists() -> None:
    article = make_article("a", "BNNK Musnahkan Barang Bukti", "Pemusnahan barang bukti sabu dilakukan hari ini.",
                           seizures=[("methamphetamine", 800.0, "g")])
    assert profile_of(article).kind == "destruction"


def test_kinds_of_events_from_the_title_and_lead() -> None:
    assert profile_of(make_article("a", "Tiga Napi Kabur dari Lapas", "Petugas memburu mereka.")).kind == "prison"
    assert profile_of(make_article("a", "Tawuran Pelajar Pecah di Jalan Raya", "Dua orang luka.")).kind == "clash"
    assert profile_of(make_article("a", "Gubernur Resmikan Gedung Baru", "Acara berlangsung meriah.")).kind == OTHER


def test_trial_reports_are_follow_ups() -> None:
    article = make_article("a", "Terdakwa Kurir Sabu Divonis 12 Tahun", "Majelis hakim menjatuhkan vonis dalam sidang.")
    assert profile_of(article).follow_up


def test_profile_round_trips_through_json() -> None:
    article = make_article("a", "Polres Amankan Kurir", "Tersangka AR (30) ditangkap.",
                           seizures=[("cannabis", 2000.0, "g")], people=[("Rina Wati", None)])
    profile = profile_of(article, "key-1", story=7)
    assert Profile.from_json(profile.to_json()) == profile


def test_burning_is_a_destruction_only_when_it_names_drugs_or_evidence() -> None:
    riot = make_article("a", "Kerusuhan di Rutan, Ruang Kunjungan Dibakar Tahanan",
                        "Tahanan membakar kasur di blok hunian.")
    assert profile_of(riot).kind == "prison"
    clash = make_article("b", "Bentrokan Dua Kampung, Lima Rumah Dibakar", "Warga saling serang hingga malam.")
    assert profile_of(clash).kind == "clash"
    field = make_article("c", "Ratusan Batang Ganja di Lereng Bukit Dibakar Petugas",
                         "Petugas membakar tanaman ganja itu di tempat.")
    assert profile_of(field).kind == "destruction"


def test_dissolving_the_evidence_is_a_destruction() -> None:
    article = make_article("a", "Sabu 2 Kilogram Sitaan Polres Dilarutkan ke Air", "Dua tersangka ikut menyaksikan.",
                           seizures=[("methamphetamine", 2000.0, "g")])
    assert profile_of(article).kind == "destruction"


def test_a_one_word_name_keeps_the_initials_written_after_it() -> None:
    body = "Penyanyi Rendra KS menjalani sidang. Rendra tampak tenang."
    article = make_article("a", "Rendra KS Jalani Sidang", body)
    article.people = [Person(name="Rendra", mentions=[(9, 15), (36, 42)])]
    assert profile_of(article).named == {"rendra ks"}


def test_one_outlet_however_it_is_written() -> None:
    from pantau.incidents.profile import outlet_key

    forms = ["Warta Dua", "wartadua.com", "www.wartadua.co.id", "WARTA DUA", "https://m.wartadua.com/"]
    assert {outlet_key(form) for form in forms} == {"wartadua"}
    assert outlet_key("Warta Tiga") != outlet_key("Warta Dua") and outlet_key("") is None


def test_a_profile_reads_its_event_day_once_and_keeps_it_through_copies() -> None:
    import pickle
    from dataclasses import replace
    from datetime import date

    from pantau.incidents.profile import Profile

    profile = Profile(article="1", kind="bust", date="2024-03-05T08:00:00+07:00")
    assert profile.day == date(2024, 3, 5).toordinal()
    assert replace(profile, date="2024-03-09").day == date(2024, 3, 9).toordinal()
    assert pickle.loads(pickle.dumps(profile)).day == profile.day
    assert Profile.from_json(profile.to_json()).day == profile.day and "day" not in profile.to_json()
    assert Profile(article="2", kind="bust", date=None).day is None
    assert Profile(article="3", kind="bust", date="kemarin").day is None


def test_name_keys_are_made_once_and_survive_pickling() -> None:
    import pickle

    from pantau.incidents.names import first_word_keys

    profile = Profile(article="1", kind="seizure", date="2025-06-02", officials=frozenset({"andreas wibowo"}),
                      named=frozenset({"siti rahma"}))
    assert profile.official_keys == first_word_keys(frozenset({"andreas wibowo"}))
    assert "andreas" in profile.official_keys and "andrea" in profile.official_keys  # a letter dropped
    assert profile.named_keys == first_word_keys(frozenset({"siti rahma"}))
    copy = pickle.loads(pickle.dumps(profile))
    assert (copy.official_keys, copy.named_keys) == (profile.official_keys, profile.named_keys)
    bare = Profile(article="2", kind="other", date=None)
    assert bare.official_keys == bare.named_keys == frozenset()
