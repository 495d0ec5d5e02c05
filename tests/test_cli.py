from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pantau.cli import app

runner = CliRunner()


def test_extract_writes_one_jsonl_record_per_article_in_input_order(seed_paths: list[Path]) -> None:
    result = runner.invoke(app, ["extract", *map(str, seed_paths)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [r["id"] for r in records] == [p.stem for p in seed_paths]
    assert records[0]["dateline"] == "Palangka Raya"
    assert "Hendra Rochmawan" in [p["name"] for p in records[0]["people"]]
    assert "5 ok" in result.stderr


def test_extract_json_array_to_a_file(seed_paths: list[Path], tmp_path: Path) -> None:
    output = tmp_path / "out.json"
    result = runner.invoke(app, ["extract", "--format", "json", "-o", str(output), str(seed_paths[0])])
    assert result.exit_code == 0, result.output
    [record] = json.loads(output.read_text(encoding="utf-8"))
    assert record["outlet"] == "BALANGANEWS"


def test_missing_path_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr and "nope.txt" in result.stderr


def test_bad_files_are_skipped_with_warnings_and_counted(seed_paths: list[Path], tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (tmp_path / "corpus.jsonl").write_text('{"id": "ok", "text": "Polisi menangkap dua pengedar sabu di '
                                           'Kupang pada Senin malam, kata Kapolres."}\n{broken\n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), str(seed_paths[0])])
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines() if line.strip()]
    assert ids == ["ok", seed_paths[0].stem]
    assert "empty.txt: empty file" in result.stderr
    assert "image.png: binary content" in result.stderr
    assert "corpus.jsonl:2" in result.stderr and "line 2" in result.stderr
    assert "2 ok" in result.stderr and "3 skipped" in result.stderr


def test_only_bad_input_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["extract", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1 and "0 ok" in result.stderr


def test_schema_prints_the_record_definition() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Article" and "seizures" in schema["properties"]


def test_eval_reports_fields_and_failing_checks(seed_paths: list[Path], gold_path: Path) -> None:
    result = runner.invoke(app, ["eval", "--json", str(gold_path), *map(str, seed_paths)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["scores"]["dateline"]["accuracy"] == 1.0
    assert report["missing_documents"] == []
    assert all(f["field"] not in ("title", "outlet", "dateline", "date") for f in report["failures"])


def test_eval_strict_fails_when_a_check_fails(seed_paths: list[Path], tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"documents": {seed_paths[0].stem: {"outlet": "WRONG"}}}), encoding="utf-8")
    result = runner.invoke(app, ["eval", "--strict", str(gold), str(seed_paths[0])])
    assert result.exit_code == 1
    assert "WRONG" in result.stdout


def test_a_missing_path_with_rich_markup_in_its_name_is_reported_as_written(tmp_path) -> None:
    from typer.testing import CliRunner

    from pantau.cli import app

    missing = tmp_path / "[/]berita[bold].txt"
    result = CliRunner().invoke(app, ["extract", str(missing)])
    assert result.exit_code == 2
    assert "[/]berita[bold].txt" in result.stderr


def test_an_interrupted_json_extract_still_writes_a_valid_array(tmp_path, monkeypatch) -> None:
    import json

    from typer.testing import CliRunner

    from pantau import cli, pipeline

    real = pipeline.process_all

    def fails_after_one(items, **options):  # type: ignore[no-untyped-def]
        for count, article in enumerate(real(items, **options)):
            if count == 1:
                raise RuntimeError("disk on fire")
            yield article

    monkeypatch.setattr(pipeline, "process_all", fails_after_one)  # cli imports it when a command extracts
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Kupang - Polisi menyita 2 gram sabu dari seorang pengedar.", encoding="utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli.app, ["extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"),
                                          "--format", "json", "-o", str(out)])
    assert result.exit_code != 0
    assert [record["id"] for record in json.loads(out.read_text(encoding="utf-8"))] == ["a"]


def _run_main(*args: str) -> subprocess.CompletedProcess[str]:
    """The ``pantau`` executable's ``main`` in a fresh process (it ends the process itself after extracting)."""
    return subprocess.run([sys.executable, "-c", "from pantau.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_main_after_extracting_writes_everything_and_keeps_the_exit_status(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Polisi menangkap dua pengedar sabu di Mataram, Senin (2/12/2024).\n\n"
                       "Kapolres Mataram AKBP Budi Santoso mengatakan barang bukti 5 gram sabu disita.\n",
                       encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    output = tmp_path / "out.json"

    printed = _run_main("extract", str(article))
    assert printed.returncode == 0
    assert json.loads(printed.stdout)["id"] == "a"
    assert "1 ok" in printed.stderr

    written = _run_main("extract", str(article), str(article), "--format", "json", "--output", str(output))
    assert written.returncode == 0
    assert [record["id"] for record in json.loads(output.read_text(encoding="utf-8"))] == ["a", "a"]

    assert _run_main("extract", str(empty)).returncode == 1  # nothing extracted
    assert _run_main("extract", str(tmp_path / "missing.txt")).returncode == 2


def test_the_executable_collects_garbage_again_after_the_first_article(seed_paths: list[Path],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from pantau import cli, pipeline

    monkeypatch.setattr(cli, "_executable", True)
    monkeypatch.setattr(pipeline, "_settled", False)
    calls: list[str] = []
    real_disable, real_freeze = gc.disable, gc.freeze

    def disable() -> None:
        calls.append("disable")
        real_disable()

    def freeze() -> None:
        calls.append("freeze")
        real_freeze()

    monkeypatch.setattr(gc, "disable", disable)
    monkeypatch.setattr(gc, "freeze", freeze)
    try:
        result = runner.invoke(app, ["extract", *map(str, seed_paths[:2])])
        assert result.exit_code == 0, result.output
        assert calls == ["disable", "freeze"]  # paused while loading, what was loaded frozen once
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_extract_from_stdin_writes_each_record_as_its_document_arrives() -> None:
    """A pipe from a live feed: the record of the first document comes out before the second is sent."""
    import select

    line = json.dumps({"id": "first", "text": "Kupang - Polisi menyita 2 gram sabu dari seorang pengedar."})
    process = subprocess.Popen([sys.executable, "-c", "from pantau.cli import main; main()", "extract", "-"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(line + "\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], 120)
        assert ready, "no record before the next document"
        assert json.loads(process.stdout.readline())["id"] == "first"
        process.stdin.close()
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
