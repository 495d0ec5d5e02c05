import numpy as np

from pantau.incidents.group import FOLLOW_UP, REPORT, assign, group_profiles, index_keys, lookup_keys
from pantau.incidents.match import match_config
from pantau.incidents.profile import profile_of
from tests.incidents.conftest import make_article

LEAD = "Polisi menangkap tersangka berinisial {s} (33) dengan barang bukti sabu."


def _profile(id: str, *, grams: float, suspect: str, date: str, regency: str = "16.07"):  # type: ignore[no-untyped-def]
    return profile_of(make_article(id, "Polres Sita Sabu", LEAD.format(s=suspect), date=date, regency=regency,
                                   seizures=[("methamphetamine", grams, "g")]))


def test_rewrites_group_and_a_second_bust_stands_apart() -> None:
    catalog = group_profiles([
        _profile("a1", grams=1500.0, suspect="HN", date="2025-06-02"),
        _profile("b1", grams=300.0, suspect="KS", date="2025-06-03"),
        _profile("a2", grams=1500.0, suspect="HN", date="2025-06-03"),
    ])
    assert catalog.of_article["a1"] == catalog.of_article["a2"]
    assert catalog.of_article["b1"] != catalog.of_article["a1"]
    assert len(catalog.members) == 2


def test_an_article_matching_two_incidents_merges_them() -> None:
    catalog = group_profiles([
        _profile("x", grams=900.0, suspect="HN", date="2025-06-02"),
        _profile("y", grams=2500.0, suspect="KS", date="2025-06-02"),
    ])
    assert catalog.of_article["x"] != catalog.of_article["y"]
    both = profile_of(make_article("z", "Dua Kurir Sabu Dibekuk", LEAD.format(s="HN") + " Rekannya KS (40) juga.",
                                   seizures=[("methamphetamine", 900.0, "g"), ("methamphetamine", 2500.0, "g")]))
    result = assign(both, catalog)
    assert result.merged
    assert catalog.of_article["x"] == catalog.of_article["y"] == catalog.of_article["z"] == result.incident
    assert len(catalog.members) == 1


def test_roles_and_notes() -> None:
    catalog = group_profiles([_profile("a", grams=1500.0, suspect="HN", date="2025-06-02")])
    trial = profile_of(make_article("t", "Terdakwa HN Divonis", "Majelis hakim dalam sidang putusan memvonis terdakwa "
                                    "HN (33).", date="2025-10-01", seizures=[("methamphetamine", 1500.0, "g")]))
    result = assign(trial, catalog)
    assert not result.created and "same suspects" in result.note
    assert catalog.roles == {"a": REPORT, "t": FOLLOW_UP}
    lonely = profile_of(make_article("n", "Polres Sita Sabu", "Tanpa tempat.", regency=None, date=None))
    opened = assign(lonely, catalog)
    assert opened.created and "no place or date" in opened.note


def test_lookup_covers_the_window_and_only_it() -> None:
    keys = lookup_keys(_profile("a", grams=1.0, suspect="HN", date="2025-06-02"), match_config())
    assert "place:16:2025-06" in keys and "place:16:2025-05" in keys
    assert "place:16:2024-06" not in keys and "place:17:2025-06" not in keys


def test_written_forms_of_one_name_share_a_key() -> None:
    full = profile_of(make_article("a", "Artis Ditangkap", "Polisi memeriksa.", regency=None,
                                   people=[("Rendra Kusuma Saputra", None)]))
    short = profile_of(make_article("b", "Artis Diperiksa", "Polisi memeriksa.", regency=None,
                                    people=[("Rendra KS", None)]))
    misspelt = profile_of(make_article("c", "Artis Diperiksa", "Polisi memeriksa.", regency=None,
                                       people=[("Rendar Kusuma Saputra", None)]))
    indexed = set(index_keys(full))
    assert indexed & set(lookup_keys(short, match_config()))
    assert indexed & set(lookup_keys(misspelt, match_config()))


def test_articles_without_place_or_names_find_each_other_by_wording() -> None:
    text = np.arange(128, dtype=np.uint64)
    other = np.arange(1000, 1128, dtype=np.uint64)
    first = profile_of(make_article("a", "Turis Ditangkap di Luar Negeri", "Ratusan turis diamankan.", regency=None),
                       signature=text)
    second = profile_of(make_article("b", "Ratusan Turis Diamankan", "Ratusan turis diamankan.", regency=None,
                                     date="2025-06-04"), signature=text)
    unrelated = profile_of(make_article("c", "Lain Cerita", "Tidak ada hubungannya.", regency=None,
                                        date="2025-06-04"), signature=other)
    config = match_config()
    assert set(index_keys(first)) & set(lookup_keys(second, config))
    assert not set(index_keys(first)) & set(lookup_keys(unrelated, config))
    catalog = group_profiles([first, unrelated, second])
    assert catalog.of_article["a"] == catalog.of_article["b"] != catalog.of_article["c"]


def test_an_article_read_back_is_never_its_own_match_but_joins_the_others() -> None:
    """A changed article assigned again meets its own old profile in the window: that member is skipped, and
    the article still joins the incident its rewrites are in (the pairs keep their own incidents)."""
    first = _profile("a1", grams=1500.0, suspect="HN", date="2025-06-02")
    catalog = group_profiles([first])
    alone = assign(first, catalog)
    assert alone.created  # its only member is itself
    catalog = group_profiles([first, _profile("b1", grams=300.0, suspect="KS", date="2025-06-02"),
                              _profile("a2", grams=1500.0, suspect="HN", date="2025-06-03")])
    again = assign(first, catalog)
    assert not again.created
    assert again.incident == catalog.of_article["a2"] != catalog.of_article["b1"]
    assert "same suspects" in again.match.reasons  # type: ignore[union-attr]


def test_given_lookup_keys_are_the_ones_read() -> None:
    catalog = group_profiles([_profile("a1", grams=1500.0, suspect="HN", date="2025-06-02")])
    rewrite = _profile("a2", grams=1500.0, suspect="HN", date="2025-06-03")
    assert assign(rewrite, catalog, keys=[]).created  # no key: no candidate
    assert not assign(_profile("a3", grams=1500.0, suspect="HN", date="2025-06-03"), catalog,
                      keys=lookup_keys(rewrite, match_config())).created


def test_the_catalogs_joined_screens_follow_its_members() -> None:
    """Kept per incident as members are added, merged and put in order, they are always the members' own."""
    from pantau.incidents.match import admissible_indices
    from pantau.spark.incidents import LoadOrderCatalog

    catalog = LoadOrderCatalog()
    profiles = [_profile("x", grams=900.0, suspect="HN", date="2025-06-02"),
                _profile("y", grams=2500.0, suspect="KS", date="2025-06-02"),
                _profile("x2", grams=900.0, suspect="HN", date="2025-06-03")]
    both = profile_of(make_article("z", "Dua Kurir Sabu Dibekuk", LEAD.format(s="HN") + " Rekannya KS (40) juga.",
                                   date="2025-06-01", seizures=[("methamphetamine", 900.0, "g"),
                                                                ("methamphetamine", 2500.0, "g")]))
    for profile in [*profiles, both]:
        catalog.position[profile.article] = len(catalog.position)

    def check() -> None:
        everything = {incident: members for incident, members in catalog.members.items()}
        assert catalog.screens(everything, 30) == b"".join(m.screen for ms in everything.values() for m in ms)
        assert catalog.screens(everything, 1) == b"".join(ms[-1].screen for ms in everything.values() if ms)

    for profile in profiles:
        assign(profile, catalog)
        check()
    assert assign(both, catalog).merged  # members merged and put in load order
    check()
    catalog.release("y")
    check()
    with np.testing.assert_raises(ValueError):  # screens that are not the members' are refused, not misread
        admissible_indices(both, profiles, match_config(), screens=profiles[0].screen)
