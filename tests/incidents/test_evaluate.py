import pytest

from pantau.incidents.evaluate import score_grouping, truth_of

LABELS = {"incidents": {"one": {"articles": ["a", "b", "c"]}, "two": {"articles": ["d", "e"]},
                        "three": {"articles": ["f"]}},
          "hard_negatives": [["one", "two", "same town"]]}


def test_perfect_grouping_scores_one() -> None:
    report = score_grouping({"a": "1", "b": "1", "c": "1", "d": "2", "e": "2", "f": "3"}, LABELS)
    assert (report.precision, report.recall, report.bcubed_f1) == (1.0, 1.0, 1.0)
    assert report.hard_negatives_joined == []


def test_a_wrong_merge_costs_precision_and_is_named() -> None:
    report = score_grouping({"a": "1", "b": "1", "c": "1", "d": "1", "e": "2", "f": "3"}, LABELS)
    assert report.pairs_true == 4 and report.pairs_predicted == 6 and report.pairs_correct == 3
    assert report.precision == pytest.approx(0.5) and report.recall == pytest.approx(0.75)
    assert report.hard_negatives_joined == [("one", "two")]
    assert ("a", "d") in report.false_joins and ("d", "e") in report.missed_joins


def test_unpredicted_articles_stand_alone() -> None:
    report = score_grouping({}, LABELS)
    assert report.precision == 1.0 and report.recall == 0.0
    assert report.bcubed_precision == 1.0 and report.bcubed_recall == pytest.approx((1 / 3 * 3 + 1 / 2 * 2 + 1) / 6)


def test_an_article_labelled_twice_is_an_error() -> None:
    with pytest.raises(ValueError, match="labelled twice"):
        truth_of({"incidents": {"x": {"articles": ["a"]}, "y": {"articles": ["a"]}}})
