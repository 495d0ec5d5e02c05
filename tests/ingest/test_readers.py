from __future__ import annotations

import gzip
import io
import json
import os
import sys
from pathlib import Path

import pytest

from pantau.ingest import Document, Skipped, read_inputs
from pantau.ingest.readers import InputNotFound, check_paths

LEAD = "Kupang - Polisi menangkap dua pengedar sabu di Kota Kupang, Selasa (01/10/2024) malam.\n"


def _items(*paths: str | Path, **kwargs: int) -> list[Document | Skipped]:
    return list(read_inputs([str(p) for p in paths], **kwargs))


def test_text_file_becomes_a_document_named_by_its_stem(tmp_path: Path) -> None:
    path = tmp_path / "berita-01.txt"
    path.write_text(LEAD, encoding="utf-8")
    [doc] = _items(path)
    assert isinstance(doc, Document)
    assert doc.id == "berita-01" and doc.source == str(path)
    assert doc.text == LEAD and doc.html is None


def test_html_file_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>Isi berita.</p></body></html>", encoding="utf-8")
    [doc] = _items(path)
    assert isinstance(doc, Document) and doc.html is not None and doc.text is None


def test_unknown_suffix_is_sniffed_as_html_or_text(tmp_path: Path) -> None:
    html = tmp_path / "page"
    html.write_text("<!DOCTYPE html><html><body><p>Isi</p></body></html>", encoding="utf-8")
    text = tmp_path / "note.dat"
    text.write_text(LEAD, encoding="utf-8")
    docs = _items(html, text)
    assert [d.html is not None for d in docs if isinstance(d, Document)] == [True, False]


def test_jsonl_lines_keep_their_ids_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    rows = [
        {"id": "a1", "text": LEAD, "url": "https://contoh.id/a1", "title": "Judul", "date": "2024-10-02"},
        {"html": "<p>Isi</p>", "url": "https://contoh.id/b"},
        {"text": LEAD},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    first, second, third = _items(path)
    assert isinstance(first, Document) and first.id == "a1"
    assert (first.title, first.published, first.url) == ("Judul", "2024-10-02", "https://contoh.id/a1")
    assert isinstance(second, Document) and second.html == "<p>Isi</p>" and len(second.id) == 16
    assert isinstance(third, Document) and third.id != second.id
    # ids without an 'id' field are stable from run to run
    assert [d.id for d in _items(path)] == [first.id, second.id, third.id]


def test_malformed_jsonl_line_is_reported_with_its_number_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps({"id": "1", "text": LEAD}) + "\n{not json\n\n"
                    + json.dumps({"id": "3", "title": "tanpa isi"}) + "\n"
                    + json.dumps({"id": "4", "text": LEAD}) + "\n", encoding="utf-8")
    items = _items(path)
    assert [type(i).__name__ for i in items] == ["Document", "Skipped", "Skipped", "Document"]
    bad = items[1]
    assert isinstance(bad, Skipped) and bad.source.endswith(":2") and "line 2" in bad.reason
    assert isinstance(items[2], Skipped) and "no 'text' or 'html'" in items[2].reason
    assert isinstance(items[3], Document) and items[3].id == "4"


def test_directories_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / "a.txt").write_text(LEAD, encoding="utf-8")
    (tmp_path / "b" / "c" / "d.txt").write_text(LEAD, encoding="utf-8")
    (tmp_path / "b" / "b.txt").write_text(LEAD, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(LEAD, encoding="utf-8")
    assert [d.id for d in _items(tmp_path)] == ["a", "b", "d"]


def test_gzip_text_and_gzip_jsonl(tmp_path: Path) -> None:
    text = tmp_path / "x.txt.gz"
    text.write_bytes(gzip.compress(LEAD.encode()))
    corpus = tmp_path / "y.jsonl.gz"
    corpus.write_bytes(gzip.compress((json.dumps({"id": "j", "text": LEAD}) + "\n").encode()))
    docs = _items(text, corpus)
    assert [(d.id, d.text) for d in docs if isinstance(d, Document)] == [("x", LEAD), ("j", LEAD)]


def test_corrupt_gzip_is_skipped_not_fatal(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00garbage-not-deflate")
    good = tmp_path / "good.txt"
    good.write_text(LEAD, encoding="utf-8")
    bad_item, good_item = _items(bad, good)
    assert isinstance(bad_item, Skipped) and "cannot read" in bad_item.reason
    assert isinstance(good_item, Document)


def test_stdin_text_and_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(LEAD.encode()))))
    [doc] = _items("-")
    assert isinstance(doc, Document) and doc.text == LEAD and doc.source == "<stdin>"
    lines = (json.dumps({"id": "s1", "text": LEAD}) + "\n" + json.dumps({"id": "s2", "text": LEAD})).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(lines))))
    assert [d.id for d in _items("-")] == ["s1", "s2"]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_non_utf8_pages_are_decoded(tmp_path: Path, encoding: str) -> None:
    text = "Kapolres menyebut kafé itu “sarang” narkoba – kata André, Senin (12/8/2024).\n" * 3
    if encoding == "latin-1":
        text = text.replace("“", '"').replace("”", '"').replace("–", "-")
    path = tmp_path / "old.txt"
    path.write_bytes(text.encode(encoding))
    [doc] = _items(path)
    assert isinstance(doc, Document)
    assert doc.text is not None and "kafé" in doc.text and "André" in doc.text


def test_declared_charset_in_html_is_honoured(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Café “Senja”</p></body></html>'
    path = tmp_path / "old.html"
    path.write_bytes(html.encode("cp1252"))
    [doc] = _items(path)
    assert isinstance(doc, Document) and doc.html is not None and "Café “Senja”" in doc.html


def test_binary_and_empty_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n \t\n", encoding="utf-8")
    good = tmp_path / "z.txt"
    good.write_text(LEAD, encoding="utf-8")
    items = _items(binary, empty, blank, good)
    reasons = [i.reason for i in items if isinstance(i, Skipped)]
    assert reasons == ["binary content, not text", "empty file", "empty file"]
    assert isinstance(items[-1], Document)


def test_huge_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("kata " * 1000, encoding="utf-8")
    [item] = _items(path, max_bytes=1024)
    assert isinstance(item, Skipped) and item.reason.startswith("too large")


def test_missing_path_is_named() -> None:
    with pytest.raises(InputNotFound, match=r"no-such-file\.txt"):
        check_paths(["-", "/definitely/no-such-file.txt"])


def test_json_nested_a_thousand_deep_is_one_skip_and_the_next_line_is_read(tmp_path) -> None:
    from pantau.ingest.document import Document, Skipped
    from pantau.ingest.readers import read_inputs

    deep = '{"text": "x", "meta": ' + "[" * 1000 + "]" * 1000 + "}"
    path = tmp_path / "corpus.jsonl"
    path.write_text(deep + "\n" + '{"id": "ok", "text": "Polisi menangkap pengedar sabu di Sukamaju."}\n',
                    encoding="utf-8")
    items = list(read_inputs([str(path)]))
    assert isinstance(items[0], Skipped) and "nested too deeply" in items[0].reason
    assert isinstance(items[1], Document) and items[1].id == "ok"
    whole = tmp_path / "deep.json"
    whole.write_text(deep, encoding="utf-8")
    (skipped,) = list(read_inputs([str(whole)]))
    assert isinstance(skipped, Skipped) and "nested too deeply" in skipped.reason


def test_files_with_no_record_are_reported_not_silently_dropped(tmp_path) -> None:
    from pantau.ingest.document import Skipped
    from pantau.ingest.readers import read_inputs

    (tmp_path / "blank.jsonl").write_bytes(b"\n  \n\xef\xbb\xbf\n")
    (tmp_path / "empty-list.json").write_text("[]", encoding="utf-8")
    items = list(read_inputs([str(tmp_path / "blank.jsonl"), str(tmp_path / "empty-list.json")]))
    assert [type(item) for item in items] == [Skipped, Skipped]
    assert all("no records" in item.reason for item in items)


def test_lone_surrogates_become_replacement_characters_and_the_record_is_written(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from pantau.cli import app

    corpus = tmp_path / "surrogates.jsonl"
    corpus.write_text('{"id": "a\\ud800", "title": "Judul \\udcff", '
                      '"text": "Kupang - Polisi menyita 2 gram sabu dari seorang pengedar."}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(corpus)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip())
    assert record["id"] == "a\ufffd" and record["title"] == "Judul \ufffd"


# --- issue 17 items 5, 7, 13, 19 ---------------------------------------------------------------------------------
def test_a_fifo_is_skipped_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl.gz"
    os.mkfifo(fifo)
    (tmp_path / "ok.txt").write_text("Polisi menyita sabu di Kupang.", encoding="utf-8")
    items = list(read_inputs([str(fifo), str(tmp_path / "ok.txt")]))
    assert isinstance(items[0], Skipped) and "FIFO" in items[0].reason
    assert isinstance(items[1], Document)


def test_a_jsonl_line_over_the_limit_costs_only_itself(tmp_path: Path) -> None:
    corpus = tmp_path / "big.jsonl"
    lines = [json.dumps({"id": "a", "text": "satu"}), json.dumps({"id": "b", "text": "x" * 5000}),
             json.dumps({"id": "c", "text": "tiga"})]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([str(corpus)], max_bytes=1000))
    assert [type(i).__name__ for i in items] == ["Document", "Skipped", "Document"]
    assert items[1].source.endswith(":2") and "longer than" in items[1].reason
    assert [i.id for i in items if isinstance(i, Document)] == ["a", "c"]


def test_utf16_without_bom_is_text_and_a_stray_nul_is_not_binary(tmp_path: Path) -> None:
    text = "Polisi menyita lima gram sabu dari tersangka di Kota Kupang. " * 5
    (tmp_path / "le.txt").write_bytes(text.encode("utf-16-le"))
    (tmp_path / "nul.txt").write_bytes((text[:40] + "\x00" + text).encode("utf-8"))
    items = list(read_inputs([str(tmp_path / "le.txt"), str(tmp_path / "nul.txt")]))
    assert all(isinstance(i, Document) for i in items)
    assert items[0].text.startswith("Polisi menyita") and "\x00" not in items[1].text


def test_bytes_after_the_gzip_data_do_not_lose_the_file(tmp_path: Path) -> None:
    page = tmp_path / "page.txt.gz"
    page.write_bytes(gzip.compress(b"Polisi menyita sabu.") + b"\x00" * 512)
    corpus = tmp_path / "c.jsonl.gz"
    corpus.write_bytes(gzip.compress(b'{"id": "1", "text": "satu"}\n') + gzip.compress(b'{"id": "2", "text": "dua"}\n')
                       + b"garbage")
    items = list(read_inputs([str(page), str(corpus)]))
    assert [i.id for i in items if isinstance(i, Document)] == ["page", "1", "2"]
    truncated = tmp_path / "cut.txt.gz"
    truncated.write_bytes(gzip.compress(b"Polisi menyita sabu di Kupang, Senin." * 50)[:40])
    [cut] = list(read_inputs([str(truncated)]))
    assert isinstance(cut, Skipped) and "cannot read" in cut.reason
