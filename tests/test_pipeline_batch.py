"""Documents extracted together (``process_many``): the NER model reads their pieces in one call, and every
record is what ``process`` gives for its document alone, failures included."""

from __future__ import annotations

import pytest

from pantau import pipeline
from pantau.extract.entities import model_enabled
from pantau.ingest.document import Document, Skipped
from pantau.ner import model as ner_model

TEXTS = [
    "Kapolres Sukamaju, AKBP Andi Wirawan, mengatakan petugas menyita 12,5 gram sabu dari tersangka RS (31).\n\n"
    "Pengacara tersangka, Maria Sinaga, meminta kliennya direhabilitasi. \"Dia hanya pemakai,\" kata Maria Sinaga.",
    "Warga Desa Sukamulya, Budi Hartono, melaporkan hilangnya sepeda motor miliknya kepada polisi.\n\n"
    "Menurut Budi Hartono, motor itu diparkir di depan rumah Yohanes Tambunan pada Senin malam.",
    "Kepala BNNK Tanjung Raya, Kombes Pol Sri Wahyuni, memusnahkan 4 kilogram ganja kering.\n\n"
    "Ketua LSM Peduli Bangsa, Rahmat Hidayat, hadir dalam pemusnahan itu bersama Lurah Sukajadi.",
]


def _documents() -> list[Document]:
    return [Document(id=str(i), source=f"doc-{i}", text=text) for i, text in enumerate(TEXTS)]


def test_records_extracted_together_are_those_extracted_alone() -> None:
    together = pipeline.process_many(_documents())
    alone = [pipeline.process(document) for document in _documents()]
    assert [a.to_json() for a in together] == [a.to_json() for a in alone]  # type: ignore[union-attr]
    assert [p.name for p in together[0].people][:1] == ["Andi Wirawan"]  # type: ignore[union-attr]


@pytest.mark.skipif(not model_enabled(), reason="the package holds no NER model")
def test_the_model_reads_every_articles_pieces_in_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = ner_model.tag_pieces

    def counted(pieces):  # type: ignore[no-untyped-def]
        calls.append(len(pieces))
        return real(pieces)

    monkeypatch.setattr(ner_model, "tag_pieces", counted)
    together = pipeline.process_many(_documents())
    assert len(calls) == 1 and calls[0] >= len(TEXTS)
    names = {p.name for article in together for p in article.people}  # type: ignore[union-attr]
    assert {"Maria Sinaga", "Budi Hartono"} <= names  # no rank or post: only the model names them


@pytest.mark.skipif(not model_enabled(), reason="the package holds no NER model")
def test_a_failing_joint_call_tags_each_article_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    real = ner_model.tag_pieces
    alone_sizes = {len(p) for p in _pieces_per_article()}

    def fails_on_many(pieces):  # type: ignore[no-untyped-def]
        if len(pieces) not in alone_sizes:
            raise MemoryError("out of memory")
        return real(pieces)

    expected = [pipeline.process(document).to_json() for document in _documents()]
    monkeypatch.setattr(ner_model, "tag_pieces", fails_on_many)
    together = pipeline.process_many(_documents())
    assert [a.to_json() for a in together] == expected  # type: ignore[union-attr]


def _pieces_per_article() -> list[list[object]]:
    from pantau.extract.entities import draft_entities

    return [draft_entities(text).pieces for text in TEXTS]


def test_one_articles_failures_stay_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    def quotes_fail_on_the_second(article) -> None:  # type: ignore[no-untyped-def]
        if article.id == "1":
            raise IndexError("list index out of range")
        pipeline.fill_quotes(article)

    extractors = [(name, quotes_fail_on_the_second if name == "quotes" else fn) for name, fn in pipeline.EXTRACTORS]
    monkeypatch.setattr(pipeline, "EXTRACTORS", extractors)
    documents = _documents()
    documents.insert(1, Document(id="empty", source="empty", text="   \n\n  "))
    results = pipeline.process_many(documents)
    assert isinstance(results[1], pipeline.EmptyArticle)
    first, second, third = results[0], results[2], results[3]
    assert second.extraction_errors == ["quotes: IndexError: list index out of range"]  # type: ignore[union-attr]
    assert second.quotes == [] and second.body.startswith("Warga Desa")  # type: ignore[union-attr]
    assert first.extraction_errors == [] and third.extraction_errors == []  # type: ignore[union-attr]
    assert first.to_json() == pipeline.process(documents[0]).to_json()  # type: ignore[union-attr]


def test_process_all_keeps_input_order_with_skips_between_batches() -> None:
    items: list[Document | Skipped] = []
    for round_ in range(3):
        for i, text in enumerate(TEXTS):
            items.append(Document(id=f"{round_}-{i}", source=f"{round_}-{i}", text=text))
        items.append(Skipped(f"skipped-{round_}", "binary"))
        items.append(Document(id=f"empty-{round_}", source=f"empty-{round_}", text=" "))
    out = list(pipeline.process_all(items, batch=4))
    assert [getattr(item, "id", None) or item.source for item in out] == [  # type: ignore[union-attr]
        getattr(item, "id", None) if isinstance(item, Document) and item.text.strip() else item.source
        for item in items]
    skipped = {item.source: item.reason for item in out if isinstance(item, Skipped)}
    assert skipped["skipped-1"] == "binary" and "no article text" in skipped["empty-2"]


@pytest.mark.skipif(not model_enabled(), reason="the package holds no NER model")
def test_a_slow_model_call_is_charged_to_its_own_article(monkeypatch: pytest.MonkeyPatch) -> None:
    """One article whose pieces make the model run past the budget is interrupted, alone or in a batch, and the
    other articles of its batch keep all their extractors."""
    import time as clock

    real = ner_model.tag_pieces

    def slow_on_one(pieces):  # type: ignore[no-untyped-def]
        if any("Lambat" in str(piece) for piece in pieces):
            clock.sleep(2)
        return real(pieces)

    monkeypatch.setenv("PANTAU_EXTRACT_SECONDS", "1")
    monkeypatch.setattr(ner_model, "tag_pieces", slow_on_one)
    slow = Document(id="slow", source="slow",
                    text="Menurut warga setempat, Lambat Sudirjo (45) melihat kejadian itu di pasar Sukamaju.")
    alone = pipeline.process(slow)
    assert alone.extraction_errors[0] == "entities: interrupted: the article's 1 s time budget was spent"
    results = pipeline.process_many([slow, *_documents()])
    assert results[0].extraction_errors[0].startswith("entities: interrupted")  # type: ignore[union-attr]
    assert all(r.extraction_errors == [] for r in results[1:])  # type: ignore[union-attr]
