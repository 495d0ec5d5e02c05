import random

from pantau.incidents import names
from pantau.incidents.names import forget, same_person, shared_count, shared_people


def test_written_forms_of_one_name_are_one_person() -> None:
    assert same_person("rendra ks", "rendra kusuma saputra")
    assert same_person("agus budi sp", "agus budi sapto prasetyo")
    assert same_person("yohana lestari", "yohana maria lestari")  # a middle name left out
    assert same_person("andreas wibowo", "andres wibowo")  # one letter misspelt
    assert not same_person("budi santoso", "budi setiawan")
    assert not same_person("rendra", "rendra kusuma")  # a first name alone names too many people


def test_name_sets_without_a_first_word_in_common_are_settled_as_shared_people_would() -> None:
    """``shared_count`` skips the name comparisons for sets with no first word (or one letter from it) in common;
    on random names with typos, initials, one-word and short names it still counts as ``shared_people``."""
    rng = random.Random(5)
    firsts = ["budi", "agus", "andreas", "andres", "anndreas", "harkrisnowo", "haskrisnowo", "rury", "eko", "fariz"]
    lasts = ["santoso", "wibowo", "sp", "rm", "roestam moenaf", "sapto pribowo", "hasibuan", "b"]

    def name() -> str:
        words = [rng.choice(firsts), *rng.sample(lasts, rng.randint(0, 2))]
        if rng.random() < 0.2:  # a typo anywhere
            word = rng.randrange(len(words))
            text = words[word]
            at = rng.randrange(len(text))
            words[word] = text[:at] + rng.choice(["", "x", text[at] * 2]) + text[at + 1:]
        return " ".join(w for w in words if w)

    sets = [frozenset(name() for _ in range(rng.randint(0, 3))) for _ in range(120)]
    shared = 0
    for a in sets:
        for b in sets:
            assert shared_count(a, b) == shared_people(a, b), (a, b)
            shared += shared_count(a, b) > 0
    assert 0 < shared < len(sets) ** 2
    forget()


def test_forget_empties_the_name_comparisons_a_writer_would_keep() -> None:
    assert names.same_person("Budi Santoso", "Budi Santoso")
    assert names.shared_count(frozenset({"Budi Santoso"}), frozenset({"Budi Santoso", "Andi"})) == 1
    assert names.same_person.cache_info().currsize and names.shared_count.cache_info().currsize
    names.forget()
    assert names.same_person.cache_info().currsize == 0 and names.shared_count.cache_info().currsize == 0
