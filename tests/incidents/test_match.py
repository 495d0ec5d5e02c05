import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from pantau.incidents.match import compare, match_config, same_figure, seizures_agree
from pantau.incidents.profile import Amount, Profile, profile_of
from tests.incidents.conftest import make_article

LEAD = "Satresnarkoba menangkap tersangka berinisial {s} (29) di sebuah rumah."


def _bust(id: str, title: str, *, grams: float, suspect: str = "HN", date: str = "2025-06-02",
          regency: str = "16.07") -> object:
    return profile_of(make_article(id, title, LEAD.format(s=suspect), date=date, regency=regency,
                                   seizures=[("methamphetamine", grams, "g")]))


def test_rewrites_of_one_bust_match() -> None:
    a = _bust("a", "Polres Sita 1,5 Kg Sabu", grams=1500.0)
    b = _bust("b", "Kurir Sabu Satu Setengah Kilogram Dibekuk", grams=1500.0, date="2025-06-03")
    found = compare(a, b)
    assert found.accepted(match_config())
    assert "same suspects" in found.reasons and any(r.startswith("same seizure") for r in found.reasons)


def test_two_busts_in_one_regency_the_same_week_do_not_match() -> None:
    a = _bust("a", "Polres Sita Sabu", grams=1500.0, suspect="HN")
    b = _bust("b", "Polres Sita Sabu Lagi", grams=250.0, suspect="KS", date="2025-06-04")
    found = compare(a, b)
    assert not found.accepted(match_config())
    assert "different quantities" in found.reasons and "different suspects" in found.reasons


def test_dates_far_apart_reject_a_new_report() -> None:
    a = _bust("a", "Polres Sita Sabu", grams=1500.0)
    b = _bust("b", "Polres Sita Sabu", grams=1500.0, date="2025-12-01")
    assert not compare(a, b).accepted(match_config())


def test_a_trial_months_later_links_to_its_case() -> None:
    case = _bust("a", "Polres Sita 1,5 Kg Sabu", grams=1500.0)
    trial = profile_of(make_article("t", "Terdakwa HN Divonis 15 Tahun Penjara",
                                    "Majelis hakim dalam sidang putusan menyatakan terdakwa HN (29) bersalah.",
                                    date="2025-11-20", seizures=[("methamphetamine", 1500.0, "g")]))
    assert trial.follow_up
    assert compare(trial, case).accepted(match_config())


def test_a_total_matches_its_parts() -> None:
    parts = [Amount("methamphetamine", 25000.0, "g"), Amount("methamphetamine", 15000.0, "g")]
    total = [Amount("methamphetamine", 40000.0, "g")]
    assert seizures_agree(parts, total, match_config()) == (1, 0)
    assert seizures_agree(total, [Amount("methamphetamine", 12000.0, "g")], match_config()) == (0, 1)


def test_destruction_never_joins_the_bust_it_destroys() -> None:
    bust = _bust("a", "Polres Sita Sabu", grams=1500.0)
    burn = profile_of(make_article("d", "Polres Musnahkan Sabu", "Pemusnahan barang bukti sabu milik tersangka HN.",
                                   seizures=[("methamphetamine", 1500.0, "g")]))
    assert burn.kind == "destruction"
    assert compare(bust, burn).points == float("-inf")


def test_without_place_only_strong_evidence_joins() -> None:
    placed = _bust("a", "Polres Sita Sabu", grams=1500.0)
    unplaced = profile_of(make_article("b", "Kurir Sabu Dibekuk", LEAD.format(s="QQ"), regency=None,
                                       seizures=[("methamphetamine", 1500.0, "g")]))
    found = compare(placed, unplaced)
    assert not found.anchored
    assert not found.accepted(match_config())
    same_text = np.arange(128, dtype=np.uint64)
    copy = compare(
        profile_of(make_article("a", "T", "x", seizures=[("methamphetamine", 1500.0, "g")]), signature=same_text),
        profile_of(make_article("b", "T", "x", regency=None), signature=same_text))
    assert copy.accepted(match_config()) and not copy.anchored


def test_templated_reports_of_other_cases_do_not_match() -> None:
    # one court's sentencing reports share their wording; other defendants and quantities are other cases
    template = np.arange(128, dtype=np.uint64)
    first = profile_of(make_article("v1", "Kurir Sabu Divonis 12 Tahun Penjara",
                                    "Majelis hakim dalam sidang putusan memvonis terdakwa RD (31).",
                                    date="2025-09-01", seizures=[("methamphetamine", 2400.0, "g")]), signature=template)
    second = profile_of(make_article("v2", "Kurir Sabu Divonis 9 Tahun Penjara",
                                     "Majelis hakim dalam sidang putusan memvonis terdakwa YK (27).",
                                     date="2025-09-20", seizures=[("methamphetamine", 350.0, "g")]), signature=template)
    assert first.follow_up and second.follow_up
    assert not compare(first, second).accepted(match_config())
    same_case = profile_of(make_article("v3", "Dua Kurir Sabu Divonis", "Terdakwa RD (31) dan rekannya divonis.",
                                        date="2025-09-02", seizures=[("methamphetamine", 2400.0, "g")]),
                           signature=template)
    assert compare(first, same_case).accepted(match_config())


def test_figures_agree_when_one_rounds_to_the_other() -> None:
    assert same_figure(40000.0, 39800.0)  # "40 kg" and "39,8 kilogram"
    assert same_figure(1500.0, 1450.0)  # "1,5 kg" and "1.450 gram"
    assert not same_figure(467.0, 474.0)  # both to the gram: two seizures
    assert not same_figure(4.3, 4.38)  # 4,38 rounds to 4,4
    assert not same_figure(40000.0, 35000.0)


def test_two_small_busts_with_close_but_different_figures_do_not_match() -> None:
    a = _bust("a", "Bawa 6,2 Gram Sabu, Pria Diringkus", grams=6.2, suspect="HN")
    b = _bust("b", "Bawa 6,27 Gram Sabu, Pria Diringkus", grams=6.27, suspect="KS", date="2025-06-04")
    found = compare(a, b)
    assert not found.accepted(match_config()) and "different quantities" in found.reasons


def test_another_province_with_other_officers_or_weeks_later_is_another_event() -> None:
    template = np.arange(128, dtype=np.uint64)
    text = "Petugas menggeledah blok hunian dan menyita telepon genggam. Napi berinisial RK (30) diperiksa."
    one = profile_of(make_article("a", "Razia Blok Hunian di Lapas", text, regency="16.07",
                                  people=[("Dedi Saputra", "Kalapas")]), signature=template)
    other_officer = profile_of(make_article("b", "Razia Blok Hunian di Lapas", text, regency="63.71",
                                            date="2025-06-03", people=[("Rudi Hartawan", "Kalapas")]),
                               signature=template)
    assert not compare(one, other_officer).accepted(match_config())
    weeks_later = profile_of(make_article("c", "Razia Blok Hunian di Lapas", text, regency="63.71",
                                          date="2025-07-20"), signature=template)
    assert not compare(one, weeks_later).accepted(match_config())
    same_officer = profile_of(make_article("d", "Razia Blok Hunian di Lapas", text, regency="63.71",
                                           date="2025-06-03", people=[("Dedi Saputra", "Kalapas")]),
                              signature=template)
    assert compare(one, same_officer).accepted(match_config())


def test_two_people_named_in_both_join_articles_without_place() -> None:
    one = profile_of(make_article("a", "Artis Ditangkap", "Polisi memeriksa.", regency=None,
                                  people=[("Rendra Kusuma Saputra", None), ("Yohana Maria Lestari", None)]))
    other = profile_of(make_article("b", "Artis Diperiksa", "Polisi memeriksa.", regency=None, date="2025-06-03",
                                    people=[("Rendra KS", None), ("Yohana Lestari", None)]))
    found = compare(one, other)
    assert found.accepted(match_config()) and "same people named (2)" in found.reasons


def test_a_hearing_weeks_before_an_event_does_not_follow_it() -> None:
    hearing = profile_of(make_article("h", "Sidang Gugatan Artis Digelar",
                                      "Majelis hakim membuka sidang perdana dalam persidangan.",
                                      regency="31.74", date="2025-05-20", people=[("Rendra Kusuma Saputra", None)]))
    arrest = profile_of(make_article("a", "Artis Ditahan Polisi", "Polisi menahan artis itu.", regency="31.74",
                                     date="2025-06-10", people=[("Rendra Kusuma Saputra", None)]))
    assert hearing.follow_up and not arrest.follow_up
    assert not compare(hearing, arrest).accepted(match_config())
    later = profile_of(make_article("t", "Sidang Artis Digelar",
                                    "Majelis hakim membuka sidang perdana dalam persidangan.", regency="31.74",
                                    date="2025-08-01", people=[("Rendra Kusuma Saputra", None)]))
    assert compare(later, arrest).accepted(match_config())


def test_a_raid_is_one_operation_with_its_arrests_and_seizures() -> None:
    from pantau.incidents.match import kinds_agree

    config = match_config()
    assert kinds_agree("raid", "seizure", config) and kinds_agree("arrest", "raid", config)
    assert kinds_agree("raid", "prison", config) is False  # may still be one event, at a cost
    assert kinds_agree("destruction", "raid", config) is None


def _random_profile(rng: random.Random, index: int) -> Profile:
    def some(pool: list[str], most: int) -> frozenset[str]:
        return frozenset(rng.sample(pool, rng.randint(0, most)))

    day = date(2024, 1, 1) + timedelta(days=rng.randint(0, 400))
    signature = np.array([rng.randrange(4) for _ in range(16)], dtype=np.uint64)
    return Profile(
        article=str(index), kind=rng.choice(["seizure", "arrest", "raid", "destruction", "trial", "other"]),
        date=None if rng.random() < 0.1 else day.isoformat(),
        regencies=some(["16.07", "16.71", "33.27"], 1), provinces=some(["16", "33", "53"], 2),
        amounts=tuple(Amount(rng.choice(["methamphetamine", "cannabis"]), rng.choice([2.0, 40.0, 1185.0]),
                             rng.choice(["g", "kg"])) for _ in range(rng.randint(0, 2))),
        suspects=some(["AS", "BW", "RP"], 2), officials=some(["rury prastowo", "budi santoso", "agus wibowo"], 2),
        named=some(["dedi saputra", "andi hakim", "eko nugroho"], 2), follow_up=rng.random() < 0.2,
        story=rng.choice([None, None, 1, 2]), signature=None if rng.random() < 0.1 else signature)


def test_what_cannot_match_leaves_out_compare_never_accepts() -> None:
    """The cheap guard grouping uses before weighing evidence may leave out only pairs ``compare`` rejects,
    and the batched wording similarity equals the pairwise one, on random profiles over every condition."""
    from pantau.incidents.match import _similarity, cannot_match, similarities

    rng = random.Random(18)
    config = match_config()
    profiles = [_random_profile(rng, i) for i in range(160)]
    left_out = accepted = 0
    for a in profiles:
        for b, similarity in zip(profiles, similarities(a, profiles), strict=True):
            assert similarity == _similarity(a, b)
            assert compare(a, b, config, similarity=similarity) == compare(a, b, config)
            if cannot_match(a, b, config):
                left_out += 1
                assert not compare(a, b, config).accepted(config), (a, b)
            accepted += compare(a, b, config).accepted(config)
    assert 0 < left_out < len(profiles) ** 2 and accepted > 0  # the guard leaves some out, not all


def test_admissible_screens_a_window_as_cannot_match_judges_each_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    """The numpy screen grouping runs over a window's members keeps exactly the pairs ``cannot_match`` keeps:
    random profiles over every condition (follow-ups both ways, late reports, other provinces with other
    officers, kinds never one event, missing dates), and profiles whose provinces have no bit left."""
    from pantau.incidents import profile as profile_module
    from pantau.incidents.match import admissible, cannot_match

    rng = random.Random(23)
    config = match_config()
    profiles = [_random_profile(rng, i) for i in range(160)]
    # dates spread over late and follow-up windows, not only the 400 days of _random_profile
    profiles += [replace(p, date=(date(2023, 1, 1) + timedelta(days=rng.randint(0, 900))).isoformat(),
                         follow_up=rng.random() < 0.4) for p in profiles[:80]]
    # and dates exactly at each window's edge from one day, and a step either side
    edges = {0, 1} | {w + step for w in (config.date_window, config.late_window, config.follow_up_window)
                      for step in (-1, 0, 1)}
    anchor = date(2024, 6, 1)
    profiles += [replace(p, date=(anchor + timedelta(days=sign * offset)).isoformat())
                 for p, (offset, sign) in zip(profiles[80:], [(o, s) for o in sorted(edges) for s in (1, -1)] * 3,
                                              strict=False)]
    kept = 0
    for check in (config, replace(config, date_window=0, late_window=3, follow_up_window=3),
                  replace(config, date_window=30, late_window=10)):
        for a in profiles:
            expected = [not cannot_match(a, b, check) for b in profiles]
            assert admissible(a, profiles, check) == expected, a
            kept += sum(expected)
    assert 0 < kept < 3 * len(profiles) ** 2
    assert admissible(profiles[0], [], config) == []

    # a process that has met more provinces than a mask has bits: those profiles are judged a pair at a time
    monkeypatch.setattr(profile_module, "_province_bits", {f"x{i}": i for i in range(profile_module.MASK_BITS)})
    beyond = [replace(p, provinces=frozenset({"16"})) for p in profiles[:40]]
    assert all(profile_module.SCREEN.unpack(p.screen)[1] & profile_module.UNSCREENED_FLAG for p in beyond)
    mixed = beyond + profiles[40:80]
    for a in mixed:
        assert admissible(a, mixed, config) == [not cannot_match(a, b, config) for b in mixed]


def test_a_pickled_profile_is_screened_with_the_numbers_of_the_process_that_reads_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    from pantau.incidents import profile as profile_module

    profile = Profile(article="1", kind="seizure", date="2024-03-01", provinces=frozenset({"16"}),
                      officials=frozenset({"budi santoso"}), follow_up=True)
    data = pickle.dumps(profile)
    monkeypatch.setattr(profile_module, "_province_bits", {"99": 0})  # another process numbered "99" first
    monkeypatch.setattr(profile_module, "_kind_codes", {"trial": 0})
    copy = pickle.loads(data)
    assert copy == profile and copy.day == profile.day
    flags = profile_module.FOLLOW_UP_FLAG | profile_module.OFFICIALS_FLAG
    assert profile_module.SCREEN.unpack(copy.screen) == (profile.day, flags, 0b10, 1)


def test_what_could_accept_turns_down_compare_never_accepts() -> None:
    """The bound grouping checks before ``compare`` may turn down only pairs ``compare`` rejects, with the shipped
    weights and with others (negative ones, and weights whose sums round), on random profiles with units and rare
    words too; and it turns many down, or it would save nothing."""
    from pantau.incidents.match import could_accept, similarities

    rng = random.Random(7)
    base = match_config()
    configs = [base]
    for _ in range(6):
        changed = {name: getattr(base, name) * rng.choice([0.3, 0.7, 1.0, 1.3, -1.0])
                   for name in ("same_story", "similarity_copy_points", "similarity_high_points",
                                "similarity_low_points", "seizure_match", "distinctive_points", "suspects_match",
                                "suspects_conflict",
                                "named_match", "named_more", "official_match", "unit_match", "regency_match",
                                "same_day", "keyword_match", "keywords_match", "province_conflict", "kind_mismatch")}
        configs.append(replace(base, **changed, threshold=rng.choice([0.1, 1.7, 2.5, 3.3]),
                               unanchored_threshold=rng.choice([0.2, 2.9, 3.0, 4.1])))
    profiles = []
    for i in range(120):
        units = frozenset(rng.sample(["Polres Banyuasin", "BNNK Semarang"], rng.randint(0, 2)))
        keywords = frozenset(rng.sample(["kapal", "gudang", "tambak"], rng.randint(0, 2)))
        profiles.append(replace(_random_profile(rng, i), units=units, keywords=keywords))
    for config in configs:
        turned_down = accepted = 0
        for a in profiles:
            for b, similarity in zip(profiles, similarities(a, profiles), strict=True):
                found = compare(a, b, config, similarity=similarity).accepted(config)
                accepted += found
                if not could_accept(a, b, config, similarity):
                    turned_down += 1
                    assert not found, (a, b, config)
        assert accepted > 0 and turned_down > len(profiles) ** 2 // 10, (turned_down, accepted)
