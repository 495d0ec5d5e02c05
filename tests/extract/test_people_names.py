"""Names that share a word with a post: a one-word post that is also a personal name stays in the name."""

from __future__ import annotations

import pytest

from pantau.extract.entities import extract_entities


@pytest.mark.parametrize(("text", "name", "rank"), [
    ("Kapolresta Palangka Raya, Kombes Pol Andi Hakim, mengatakan kasus ini masih dikembangkan.",
     "Andi Hakim", "Kombes"),
    ("AKBP Hakim Santoso hadir dalam pemusnahan barang bukti di Polres Kupang.", "Hakim Santoso", "AKBP"),
    ("Kasat Resnarkoba AKP Lukmanul Hakim, S.H., memimpin penggerebekan itu.", "Lukmanul Hakim", "AKP"),
])
def test_a_post_word_inside_a_name_is_a_name_word(text: str, name: str, rank: str) -> None:
    people = extract_entities(text).people
    assert [(p.name, p.rank_abbr) for p in people] == [(name, rank)]


def test_the_post_itself_still_opens_a_position() -> None:
    [judge] = extract_entities("Hakim Pengadilan Negeri Kupang, Budi Santoso, mengatakan sidang ditunda.").people
    assert (judge.name, judge.position) == ("Budi Santoso", "Hakim Pengadilan Negeri Kupang")
    assert extract_entities("Majelis hakim menunda sidang perkara sabu itu.").people == []
