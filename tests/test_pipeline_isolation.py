"""One extractor's failure never loses an article: the rest of the record stands and the failure is named."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pantau import pipeline
from pantau.cli import app
from pantau.ingest.document import Document

TEXT = (
    "Kapolres Sukamaju, AKBP Andi Wirawan, mengatakan petugas menyita 12,5 gram sabu dari tersangka.\n\n"
    "\"Kami akan terus memberantas peredaran narkoba di wilayah ini,\" kata Andi Wirawan.\n\n"
    "Tersangka dijerat Pasal 114 ayat (2) UU Nomor 35 Tahun 2009 tentang Narkotika."
)


def _failing(article: object) -> None:
    raise IndexError("list index out of range")


@pytest.fixture
def broken_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    extractors = [(name, _failing if name == "quotes" else fn) for name, fn in pipeline.EXTRACTORS]
    monkeypatch.setattr(pipeline, "EXTRACTORS", extractors)


def test_every_extractor_runs_when_none_fails() -> None:
    article = pipeline.process(Document(id="a", source="a", text=TEXT))
    assert article.extraction_errors == []
    assert [q.speaker for q in article.quotes] == ["Andi Wirawan"]


def test_a_failing_extractor_leaves_the_rest_of_the_record(broken_quotes: None) -> None:
    article = pipeline.process(Document(id="a", source="a", text=TEXT))
    assert article.quotes == []
    assert article.extraction_errors == ["quotes: IndexError: list index out of range"]
    assert [p.name for p in article.people] == ["Andi Wirawan"]
    assert [(s.substance, s.quantity, s.unit) for s in article.seizures] == [("methamphetamine", 12.5, "g")]
    assert [(r.law, r.article) for r in article.legal_refs] == [("UU 35/2009", "114")]
    assert "drugs" in article.topics


def test_extract_keeps_a_partial_record_and_names_the_failure(broken_quotes: None, tmp_path) -> None:
    source = tmp_path / "berita-[bold].txt"  # rich markup in a file name is printed as written
    source.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(source)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip())
    assert record["people"][0]["name"] == "Andi Wirawan"
    assert record["extraction_errors"] == ["quotes: IndexError: list index out of range"]
    assert "partial" in result.stderr and "berita-[bold].txt" in result.stderr


def test_an_extractor_past_the_time_budget_is_interrupted_and_the_rest_reported(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time as clock

    from pantau import pipeline
    from pantau.ingest.document import Document

    def stuck(article) -> None:  # type: ignore[no-untyped-def]
        clock.sleep(30)

    def fills_topics(article) -> None:  # type: ignore[no-untyped-def]
        article.topics = ["drugs"]

    monkeypatch.setenv("PANTAU_EXTRACT_SECONDS", "0.3")
    monkeypatch.setattr(pipeline, "EXTRACTORS", [("stuck", stuck), ("topics", fills_topics)])
    started = clock.monotonic()
    article = pipeline.process(Document(id="x", source="x", text="Polisi menyita lima gram sabu di Kupang."))
    assert clock.monotonic() - started < 10  # interrupted, not waited out
    assert article.extraction_errors == [
        "stuck: interrupted: the article's 0.3 s time budget was spent",
        "topics: not run: the article's 0.3 s time budget was spent"]
    assert article.body.startswith("Polisi menyita") and article.topics == []


def test_the_alarm_handler_is_held_for_a_batch_and_the_previous_one_is_back_after(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import signal
    import time as clock

    from pantau import pipeline
    from pantau.ingest.document import Document

    seen: list[object] = []

    def looks(article) -> None:  # type: ignore[no-untyped-def]
        seen.append(signal.getsignal(signal.SIGALRM))

    def stuck(article) -> None:  # type: ignore[no-untyped-def]
        clock.sleep(30)

    def mine(_signum, _frame) -> None:  # type: ignore[no-untyped-def]
        raise AssertionError("the batch's own handler should have run")

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        monkeypatch.setenv("PANTAU_EXTRACT_SECONDS", "0.3")
        monkeypatch.setattr(pipeline, "EXTRACTORS", [("looks", looks), ("stuck", stuck), ("looks", looks)])
        documents = [Document(id=str(i), source="x", text="Polisi menyita lima gram sabu di Kupang.") for i in range(2)]
        articles = pipeline.process_many(documents)
        assert seen == [pipeline._on_alarm] * 2  # the second "looks" is not run: the budget was spent
        assert all("stuck: interrupted" in a.extraction_errors[0] for a in articles)  # type: ignore[union-attr]
        assert signal.getsignal(signal.SIGALRM) is mine
        with pipeline._deadline(0.2):  # outside a batch the deadline sets the handler itself
            assert signal.getsignal(signal.SIGALRM) is pipeline._on_alarm
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, previous)
