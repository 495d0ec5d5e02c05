import spacy

from pantau.extract.lexicon import TOKENIZER_CACHE_CHUNKS, tokenizer


def test_the_tokenizer_remembers_a_long_runs_chunks_and_cuts_them_as_spacy_does() -> None:
    """pantau's tokenizer keeps more chunks than spaCy's default 10,000, and its tokens stay those of
    ``spacy.blank("xx")``, whether a chunk comes from its cache or is cut again (affixes, dates, emoticons,
    an apostrophe: a chunk with a special case is never cached)."""
    nlp = tokenizer.__wrapped__()  # a fresh one: the process's own keeps no test chunks
    assert nlp.tokenizer.max_cache_size == TOKENIZER_CACHE_CHUNKS > 10_000
    plain = spacy.blank("xx")
    text = ("Kapolres AKBP Budi, S.H., mengatakan (29/11/2020): \"Sabu 1.185 gram disita.\" :) 'Iya', katanya—"
            "tersangka (AS) ditahan di Rutan Polres-Banyuasin. ")
    words = " ".join(f"kata{i}." for i in range(12_000))  # more distinct chunks than spaCy's default keeps
    for _ in range(2):  # the second time from the cache
        for sample in (text, words, text):
            assert [(t.text, t.whitespace_) for t in nlp(sample)] == [(t.text, t.whitespace_) for t in plain(sample)]


def test_lowers_are_the_tokens_lower_forms_and_alpha_tests_as_spacy_reads_them() -> None:
    from pantau.extract.lexicon import annotate

    annotated = annotate("İSTANBUL, KEC. Kecamatan.. Ǆemal ẞtraße 12a Kota-Bima ΣΑΣ dan DAN.")
    assert annotated.lowers == [t.lower_ for t in annotated.doc]
    assert [t.isalpha() for t in annotated.texts] == [t.is_alpha for t in annotated.doc]


def test_token_texts_and_offsets_are_spacys() -> None:
    from pantau.extract.lexicon import annotate

    texts = ["Kapolres AKBP Budi, S.I.K. mengatakan (25/8).Dia  menyita 5,2 gram sabu.\n\nİstanbul “kata”", "", "a"]
    for text in texts:
        annotated = annotate(text)
        assert annotated.texts == [t.text for t in annotated.doc]
        assert [annotated.char_span(i, i + 1)[0] for i in range(len(annotated.doc))] == [t.idx for t in annotated.doc]


def test_line_breaks_are_the_tokens_holding_one() -> None:
    from pantau.extract.lexicon import annotate

    for text in ["Satu.\n\nDua dua.\nTiga\n", "\n\nAwal", "tanpa baris", "", "a \n b\r\n\nc", "x\n", "\n"]:
        annotated = annotate(text)
        assert annotated.line_breaks == [i for i, t in enumerate(annotated.texts) if "\n" in t], text


def test_positions_are_every_index_of_the_word() -> None:
    from pantau.extract.lexicon import positions

    texts = ["BNN", "(", "BNN", ")", "bnn", "BNN", ""]
    for word in ["BNN", "(", "bnn", "", "x"]:
        assert positions(texts, word) == [i for i, text in enumerate(texts) if text == word]
    assert positions([], "x") == []
