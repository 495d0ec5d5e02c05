"""The word frequencies of the glued-word repair: wordfreq's list read straight from its data file."""

from __future__ import annotations

import pytest

from pantau import vocab


def test_direct_read_equals_wordfreq_api() -> None:
    from wordfreq import get_frequency_dict

    direct = vocab._read_wordlist()
    assert direct == get_frequency_dict("id", wordlist="small")


@pytest.mark.parametrize("word", ["dan", "narkoba", "polisi", "mengatakan", "tersangka", "sabu", "xqzvw"])
def test_zipf_agrees_with_wordfreq(word: str) -> None:
    from wordfreq import zipf_frequency

    assert vocab.zipf(word) == pytest.approx(zipf_frequency(word, "id", wordlist="small"), abs=0.01)


def test_common_words_rank_above_rare_ones() -> None:
    assert vocab.zipf("dan") > vocab.zipf("narkoba") > 3 > vocab.zipf("xqzvw") == 0.0


def test_falls_back_to_wordfreq_when_the_file_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocab, "WORDLIST", "no_such_list.msgpack.gz")
    vocab._frequencies.cache_clear()
    try:
        assert vocab.zipf("dan") > 6
    finally:
        vocab._frequencies.cache_clear()
