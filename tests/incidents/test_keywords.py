from pantau.incidents.keywords import rare_words
from pantau.incidents.match import compare, match_config
from pantau.incidents.profile import Profile, profile_of
from tests.incidents.conftest import make_article


def test_rare_words_of_the_headline_and_lead_by_stem() -> None:
    found = rare_words("Polisi Gerebek Kampung Sukamandi, Pengendara Diklakson Warga", "Polisi menangkap pelaku.")
    assert {"klakson", "sukamandi"} <= found
    # words every report of its kind uses, common words and the domain's own vocabulary never count
    assert not found & {"polisi", "gerebek", "kampung", "tangkap", "pelaku", "warga", "kendara"}


def test_region_names_and_the_articles_people_are_left_out() -> None:
    title = "Satresnarkoba Polres Banyuasin Periksa Sutarjo Wiryokusumo soal Bonceng Kurir"
    found = rare_words(title, "", people=["Sutarjo Wiryokusumo"])
    assert "bonceng" in found
    assert not found & {"banyuasin", "sutarjo", "wiryokusumo", "satresnarkoba"}


def test_only_the_lead_is_read() -> None:
    body = "Polisi memeriksa saksi. " * 20 + "Kejadian bermula dari klakson."
    assert "klakson" not in rare_words("Polisi Periksa Saksi", body)


def test_reports_in_other_words_join_on_the_rare_words_they_share() -> None:
    """Two rewrites of one raid: other headline, no seizure or suspect in common; the kampung and the act
    name the event."""
    a = make_article("a", "Ratusan Polisi Gerebek Kampung Cibeleng, Puluhan Orang Diamankan",
                     "Polisi menggerebek Kampung Cibeleng yang dikenal sebagai sarang narkoba.", date="2025-06-02")
    b = make_article("b", "Tes Urine Usai Penggerebekan Cibeleng: Belasan Positif",
                     "Hasil tes urine warga Cibeleng diumumkan polisi.", date="2025-06-02")
    c = make_article("c", "Polisi Gerebek Kampung Lain, Puluhan Orang Diamankan",
                     "Polisi menggerebek kampung yang dikenal sebagai sarang narkoba.", date="2025-06-02")
    pa, pb, pc = (profile_of(x) for x in (a, b, c))
    assert "cibeleng" in pa.keywords & pb.keywords
    found = compare(pa, pb)
    assert found.accepted(match_config())
    assert any(r.startswith("same rare words (cibeleng") for r in found.reasons)
    assert not any(r.startswith("same rare words") for r in compare(pa, pc).reasons)


def test_profiles_stored_before_keywords_read_without_them() -> None:
    profile = profile_of(make_article("a", "Polisi Gerebek Kampung Cibeleng", "Polisi menggerebek kampung."))
    stored = profile.to_json()
    assert stored["keywords"] == sorted(profile.keywords)
    del stored["keywords"]
    assert Profile.from_json(stored).keywords == frozenset()
