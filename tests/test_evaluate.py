from __future__ import annotations

import pytest

from pantau.evaluate import Score, doc_key, evaluate
from pantau.record import Article, Location, Person, Quote, Seizure


def _article(**fields: object) -> Article:
    return Article(id="doc", source="doc.txt", **fields)  # type: ignore[arg-type]


def test_scalar_fields_are_scored_by_accuracy_and_failures_listed() -> None:
    gold = {"doc": {"title": "Judul", "outlet": "KabarNTB", "dateline": None, "date": "2021-04-22"}}
    report = evaluate(gold, {"doc": _article(title="Judul", outlet="Lain", date="2021-04-22")})
    assert report.scores["title"].accuracy == 1.0
    assert report.scores["outlet"].accuracy == 0.0
    assert report.scores["dateline"].accuracy == 1.0
    [failure] = report.failures
    assert (failure.doc_id, failure.field, failure.expected, failure.got) == ("doc", "outlet", "KabarNTB", "Lain")


def test_people_precision_recall_and_rank_position_checks() -> None:
    gold = {"doc": {"people": [
        {"name": "Rury Prastowo", "rank": "Ajun Komisaris Besar Polisi", "position": "Kapolres Banyuasin"},
        {"name": "Helmi Kwarta", "rank": None, "position": None},
    ]}}
    found = [Person(name="Rury Prastowo", rank="Ajun Komisaris Besar Polisi", position="Kapolres Banyuasin"),
             Person(name="Budi", rank=None)]
    report = evaluate(gold, {"doc": _article(people=found)})
    people = report.scores["people"]
    assert (people.tp, people.fp, people.fn) == (1, 1, 1)
    assert people.precision == pytest.approx(0.5) and people.f1 == pytest.approx(0.5)
    assert report.scores["people.rank"].accuracy == 1.0


def test_seizures_match_on_the_whole_tuple() -> None:
    gold = {"doc": {"seizures": [
        {"substance": "cannabis", "quantity": 1185, "unit": "g", "qualifier": None, "period": "2024"}]}}
    right = Seizure(substance="cannabis", term="ganja", quantity=1185.0, unit="g", period="2024", span=(0, 5))
    wrong = right.model_copy(update={"quantity": 1.185})
    assert evaluate(gold, {"doc": _article(seizures=[right])}).scores["seizures"].passed
    score = evaluate(gold, {"doc": _article(seizures=[wrong])}).scores["seizures"]
    assert (score.tp, score.fp, score.fn) == (0, 1, 1)


def test_quotes_match_by_opening_words_and_check_the_speaker() -> None:
    gold = {"doc": {"quotes": [{"starts": "Kami tidak bisa bekerja sendiri", "speaker": "Rury Prastowo"}]}}
    quote = Quote(text="Kami tidak bisa bekerja sendiri. Informasi...", speaker="Kapolres", span=(0, 9))
    report = evaluate(gold, {"doc": _article(quotes=[quote])})
    assert report.scores["quotes"].tp == 1
    assert report.scores["quotes.speaker"].accuracy == 0.0


def test_province_codes_come_from_locations_and_topic_checks() -> None:
    gold = {"doc": {"province_codes": ["16"], "topics_include": ["drugs"], "topics_exclude": ["election"]}}
    article = _article(locations=[Location(name="Banyuasin", level="regency", code="16.07", province_code="16")],
                       topics=["drugs", "election"])
    report = evaluate(gold, {"doc": article})
    assert report.scores["province_codes"].passed
    assert report.scores["topics_include"].accuracy == 1.0
    assert report.scores["topics_exclude"].accuracy == 0.0


def test_missing_documents_are_reported() -> None:
    assert evaluate({"a": {"title": None}}, {}).missing_documents == ["a"]


def test_empty_score_has_no_ratio() -> None:
    assert Score("prf").f1 is None and Score("accuracy").accuracy is None


def test_doc_key_strips_directories_and_extensions() -> None:
    assert doc_key("000_5d0a2ea7a5e4f329") == "000_5d0a2ea7a5e4f329"
    assert doc_key("seeds/000_5d0a2ea7a5e4f329.txt") == "000_5d0a2ea7a5e4f329"
