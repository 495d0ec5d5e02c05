"""pantau on Spark (local[2]): same records as the single-machine path, stories, loading into the store.

The crawl is written here with warcio: the seed articles as news pages, a syndicated copy, an
English page, an Indonesian page about football, a page on an excluded host, a request record, an
image, a 404, and broken records in a gzipped and in a plain WARC file. The expected records are
what ``pantau extract`` produces from the same pages given as JSON Lines.
"""

from __future__ import annotations

import html
import io
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import typer
from typer.testing import CliRunner

from pantau.cli import app as pantau_app
from pantau.ingest.document import Document
from pantau.record import Article
from pantau.spark import schema as sch
from tests.conftest import FIXTURES, SEEDS
from tests.spark.conftest import require_warcio

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from pantau.spark.job import JobReport

runner = CliRunner()
Job = tuple[Path, "JobReport"]

ENGLISH = """Police seize drugs in harbour raid

Police officers seized a large quantity of methamphetamine during a raid at the harbour on Tuesday night, the \
city's police chief said.
The suspects, two men and a woman, were arrested after officers searched a cargo container that had arrived \
from abroad earlier in the week.
"We will continue to work with customs officers to stop drugs from entering the country," the police chief told \
reporters at a press conference.
All three suspects are being held in custody and will appear in court next month, according to a statement \
released by the police."""

FOOTBALL = """Persib Menang Tipis atas Tamunya di Stadion Utama

Persib Bandung meraih kemenangan 2-1 atas tamunya dalam laga lanjutan liga yang berlangsung di stadion utama pada \
Sabtu malam.
Gol pertama dicetak pada menit kedua puluh melalui sundulan kepala setelah memanfaatkan umpan silang dari sisi \
kanan lapangan.
Tim tamu sempat menyamakan kedudukan lewat tendangan bebas sebelum babak pertama berakhir, namun tuan rumah \
kembali unggul pada babak kedua.
Pelatih mengatakan para pemain bermain disiplin dan mampu menjaga konsentrasi hingga peluit panjang dibunyikan \
oleh wasit.
Ribuan penonton memadati tribun dan memberikan dukungan sepanjang pertandingan yang berjalan dengan sangat meriah."""


def news_page(text: str, site: str, lang: str = "id") -> str:
    """A plain news page around a scraped text: first line the headline, the rest paragraphs."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = html.escape(lines[0])
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:site_name" content="{site}"></head><body><nav><a href="/">Beranda</a></nav>'
            f"<article><h1>{title}</h1>{body}</article><footer>© {site}</footer></body></html>")


@dataclass
class Crawl:
    warcs: list[Path]
    pages: dict[str, str]  # url -> html of every HTML page in the crawl
    news: list[str]  # urls of the pages that must come out, in crawl order
    original: str
    copy: str


def _response(writer: Any, url: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
    from warcio.statusandheaders import StatusAndHeaders

    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))


def build_crawl(directory: Path) -> Crawl:
    import gzip

    from warcio.warcwriter import WARCWriter

    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    pages: dict[str, str] = {}
    news: list[str] = []
    gz_path, plain_path = directory / "crawl-00.warc.gz", directory / "crawl-01.warc"
    with gz_path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(gz_path.name, {"software": "pantau tests"}))

        def add(url: str, page: str, keep: bool) -> None:
            pages[url] = page
            if keep:
                news.append(url)
            _response(writer, url, page.encode("utf-8"), "text/html; charset=UTF-8")

        original = "https://kalteng.example.id/berita/0"
        writer.write_record(writer.create_warc_record(original, "request",
                                                      payload=io.BytesIO(b"GET /berita/0 HTTP/1.1\r\n\r\n")))
        add(original, news_page(seeds[0], "Kalteng Pos"), True)
        _response(writer, "https://kalteng.example.id/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        for number, text in enumerate(seeds[1:], start=1):
            add(f"https://portal{number}.example.id/berita/{number}", news_page(text, f"Portal {number}"), True)
        stream.write(gzip.compress(b"WARC/1.0\r\nthis line is no header\r\n\r\n"))  # a broken record
        stream.write(b"\x1f\x8b\x08\x00 a gzip member cut short")  # and garbage after it
        add("https://news.example.com/harbour-raid", news_page(ENGLISH, "Example News", "en"), False)
        add("https://bola.example.id/persib-menang", news_page(FOOTBALL, "Bola"), False)
        add("https://www.facebook.com/polres/posts/1", news_page(seeds[1], "Facebook"), False)
        _response(writer, "https://kalteng.example.id/hilang", b"<html><body>Tidak ada</body></html>",
                  "text/html", "404 Not Found")
        copy = "https://mitra.example.id/berita/salinan"
        add(copy, news_page(seeds[0] + "\n\nArtikel ini tayang ulang atas kerja sama redaksi.", "Mitra"), True)
    with plain_path.open("wb") as stream:
        stream.write(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: many\r\n\r\nnot a record\r\n\r\n")
        writer = WARCWriter(stream, gzip=False)
        url = "https://banyuasin.example.id/sabu"
        page = (FIXTURES / "html" / "polres-sabu.html").read_text(encoding="utf-8")
        pages[url] = page
        news.append(url)
        _response(writer, url, page.encode("utf-8"), "text/html")
    return Crawl([gz_path, plain_path], pages, news, original, copy)


EXPECTED_COUNTS = {"records": 17, "bad": 3, "not_response": 2, "not_html": 1, "http_status": 1,
                   "filtered_domain": 1, "filtered_language": 1, "filtered_keyword": 1, "empty": 0, "failed": 0,
                   "filtered_language_record": 0, "extracted": 7}


def single_machine(pages: dict[str, str], directory: Path) -> dict[str, dict[str, Any]]:
    """``pantau extract`` on the same pages as a JSON Lines corpus: url -> record (JSON form)."""
    corpus = directory / "pages.jsonl"
    corpus.write_text("".join(json.dumps({"url": u, "html": h}) + "\n" for u, h in pages.items()), encoding="utf-8")
    result = runner.invoke(pantau_app, ["extract", str(corpus)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return {r["url"]: r for r in records}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    require_warcio()
    return build_crawl(tmp_path_factory.mktemp("crawl"))


@pytest.fixture(scope="module")
def job(spark: SparkSession, crawl: Crawl, tmp_path_factory: pytest.TempPathFactory) -> Job:
    from pantau.spark.job import run

    out = tmp_path_factory.mktemp("out") / "parquet"
    report = run(spark, [str(p) for p in crawl.warcs], str(out), partitions=3)
    return out, report


def spark_records(out: Path) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    from pantau.spark.load import read_records

    return {article.url: (row, article.model_dump(mode="json")) for row, article in read_records(str(out))}


# -- the job --------------------------------------------------------------------------------------


def test_parquet_has_exactly_the_single_machine_records(job: Job, crawl: Crawl, tmp_path: Path) -> None:
    out, _ = job
    expected = single_machine(crawl.pages, tmp_path)
    assert expected["https://news.example.com/harbour-raid"]["language"] == "en"  # why it is filtered
    got = spark_records(out)
    assert sorted(got) == sorted(crawl.news)
    for url in crawl.news:
        assert got[url][1] == expected[url], url
    assert all(record["people"] and record["language"] == "id" for _, record in got.values())


def test_every_record_is_counted_once_and_bad_records_are_reported(job: Job) -> None:
    out, report = job
    assert report.counts == EXPECTED_COUNTS
    assert report.counts["records"] == sum(v for k, v in report.counts.items() if k != "records")
    bad = [(source, reason) for outcome, source, reason in report.examples if outcome == "bad"]
    assert len(bad) == 3 and all(reason for _, reason in bad)
    assert any("crawl-01.warc" in source and "Content-Length" in reason for source, reason in bad)
    written = json.loads(next((out / "_report").glob("part-*")).read_text(encoding="utf-8"))
    assert written["counts"] == EXPECTED_COUNTS and written["files"] == 2 and written["incidents"] == report.incidents


def test_copies_of_one_story_share_a_story_id(job: Job, crawl: Crawl) -> None:
    out, report = job
    rows = {url: row for url, (row, _) in spark_records(out).items()}
    assert rows[crawl.copy][sch.STORY_ID] == rows[crawl.original][sch.STORY_ID] == rows[crawl.original][sch.ROW_ID]
    others = [rows[url][sch.STORY_ID] for url in crawl.news if url != crawl.copy]
    assert len(set(others)) == len(others)
    assert report.stories == len(crawl.news) - 1


def test_tables_are_partitioned_by_month_with_the_derived_schema(job: Job) -> None:
    import pyarrow.parquet as pq

    out, _ = job
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith("_")) == sorted(
        (*sch.table_names(), *sch.INCIDENT_TABLES))
    months = sorted(f"{y.name}/{m.name}" for y in (out / "articles").glob("year=*") for m in y.glob("month=*"))
    assert "year=2020/month=11" in months  # the first seed's dateline date, 29/11/2020
    record_fields = {c.name for c in sch.model_columns(Article)}
    for table in sch.table_names():
        [first, *_] = sorted((out / table).rglob("*.parquet"))
        written = pq.read_schema(first)
        derived = sch.arrow_schema(sch.table_columns(table))
        expected = [(f.name, str(f.type).replace(" not null", "")) for f in derived if f.name not in sch.PARTITIONS]
        assert [(f.name, str(f.type).replace(" not null", "")) for f in written] == expected, table
    article_columns = {c.name for c in sch.table_columns("articles")}
    assert record_fields - article_columns == set(sch.child_models())


def test_hadoop_reading_gives_the_same_documents(spark: SparkSession, crawl: Crawl) -> None:
    """Files read by Spark's binaryFiles (as for s3a:// or hdfs://) give what executors streaming them give."""
    from pantau.spark.prefilter import PreFilter
    from pantau.spark.read import COUNTS, DOC, plan_inputs, read_rdd

    prefilter = PreFilter.from_config()
    found = {}
    for via_hadoop in (False, True):
        files = plan_inputs(spark, [str(crawl.warcs[0].parent)], via_hadoop=via_hadoop)
        assert [f.local for f in files] == [not via_hadoop] * 2
        items = read_rdd(spark.sparkContext, files, prefilter).collect()
        documents = sorted((rid, d.id, d.url, d.html) for _, rid, d in (i for i in items if i[0] == DOC))
        counts: Counter[str] = Counter()
        for item in items:
            if item[0] == COUNTS:
                counts.update(item[1])
        found[via_hadoop] = (documents, counts)
    assert found[True] == found[False]
    assert len(found[False][0]) == 7 and found[False][1]["records"] == 17


# -- command line ---------------------------------------------------------------------------------


def _app() -> typer.Typer:
    from pantau.spark.cli import register

    app = typer.Typer()
    register(app)
    return app


def test_spark_command_on_a_text_directory_matches_pantau_extract(spark: SparkSession, tmp_path: Path) -> None:
    out = tmp_path / "seeds-out"
    result = runner.invoke(_app(), ["spark", str(SEEDS), "--out", str(out), "--partitions", "2"])
    assert result.exit_code == 0, result.output
    assert "extracted" in result.stderr and "incidents" in result.stderr
    single = runner.invoke(pantau_app, ["extract", str(SEEDS)])
    expected = {r["id"]: r for r in (json.loads(line) for line in single.stdout.splitlines() if line.strip())}
    from pantau.spark.load import read_records

    got = {article.id: article.model_dump(mode="json") for _, article in read_records(str(out))}
    assert got == expected and len(got) == 5
    assert spark.sparkContext._jsc is not None  # the command left the session it did not create running


def test_spark_command_reports_a_missing_input(spark: SparkSession, tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["spark", str(tmp_path / "nope.warc.gz"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no such file" in result.stderr


# -- loading into the store -----------------------------------------------------------------------


def _counts(db: Path) -> dict[str, int]:
    from pantau.store.db import create_store_engine
    from pantau.store.ingest import table_counts

    counts = table_counts(create_store_engine(str(db)))
    counts.pop("ingest_log")  # a log: each run adds its rows
    return counts


def test_load_twice_gives_the_same_rows_and_the_articles_match(job: Job, crawl: Crawl, tmp_path: Path) -> None:
    out, _ = job
    db = tmp_path / "store.db"
    first = runner.invoke(_app(), ["load", str(out), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "7 new" in first.stderr
    counts = _counts(db)
    second = runner.invoke(_app(), ["load", str(out), "--db", str(db)])
    assert second.exit_code == 0, second.output
    assert "0 new" in second.stderr and "7 unchanged" in second.stderr
    assert _counts(db) == counts
    assert counts["articles"] == 7 and counts["stories"] == 6
    with sqlite3.connect(db) as conn:
        stored = {url: (json.loads(record), story) for url, record, story in
                  conn.execute("SELECT url, record, story_id FROM articles")}
    parquet = spark_records(out)
    assert {url: record for url, (record, _) in stored.items()} == {url: rec for url, (_, rec) in parquet.items()}
    assert stored[crawl.copy][1] == stored[crawl.original][1]  # the store forms the job's stories
    assert len({story for _, story in stored.values()}) == 6


def test_load_refuses_a_directory_that_is_not_spark_output(tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["load", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "no articles table" in result.stderr
    assert not (tmp_path / "x.db").exists()


# -- pieces, without Spark ------------------------------------------------------------------------


def test_warc_reader_resumes_after_broken_records(crawl: Crawl) -> None:
    from pantau.spark.warc import iter_warc

    for path, outcomes in ((crawl.warcs[0], ["not_response", "not_response", "html", "not_html", "html", "html",
                                             "html", "html", "bad", "bad", "html", "html", "html", "http_status",
                                             "html"]),
                           (crawl.warcs[1], ["bad", "html"])):
        with path.open("rb") as stream:
            items = list(iter_warc(stream, str(path)))
        assert [i.outcome for i in items] == outcomes
        offsets = [i.offset for i in items]
        assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)


def test_warc_page_is_the_document_of_a_jsonl_record(crawl: Crawl, tmp_path: Path) -> None:
    from pantau.ingest.readers import read_inputs
    from pantau.spark.warc import iter_warc

    corpus = tmp_path / "one.jsonl"
    corpus.write_text(json.dumps({"url": crawl.original, "html": crawl.pages[crawl.original]}) + "\n",
                      encoding="utf-8")
    [from_jsonl] = read_inputs([str(corpus)])
    with crawl.warcs[0].open("rb") as stream:
        from_warc = next(i.document for i in iter_warc(stream, "x") if i.document)
    assert from_warc == from_jsonl


def test_prefilter_steps() -> None:
    from pantau.spark.prefilter import PreFilter

    default = PreFilter.from_config()
    police = Document(id="a", source="a", url="https://news.example.id/a",
                      text="Polisi menangkap dua pengedar sabu-sabu di Palangka Raya pada Minggu malam. " * 6)
    assert default.reject(police) is None
    assert default.reject(Document(id="b", source="b", url="https://m.facebook.com/x", text=police.text)) == "domain"
    soap = Document(id="c", source="c", text="Harga sabun dan minyak goreng di pasar naik lagi minggu ini. " * 6)
    assert default.reject(soap) == "keyword"  # "sabu" is a whole-word term: soap is not methamphetamine
    only = PreFilter.from_config(domains=["example.id"], keywords=["pengedar"], languages=[""])
    assert only.reject(police) is None and only.languages == frozenset()
    assert only.reject(Document(id="d", source="d", url="https://example.com/a", text=police.text)) == "domain"
    off = PreFilter.from_config(keywords=[""], languages=[""])
    assert off.reject(soap) is None


def test_story_roots_follow_each_link_to_the_first_article_of_its_story() -> None:
    """Chains of any length, branches, and links given in any order: each linked article gets the article at the
    end of its chain, which joins no earlier one."""
    import random

    from pantau.spark.stories import story_roots

    parents = {2: 1, 3: 2, 4: 3, 5: 2, 9: 8, 10: 9, 12: 11}  # 1 <- 2 <- 3 <- 4, 2 <- 5; 8 <- 9 <- 10; 11 <- 12
    expected = {2: 1, 3: 1, 4: 1, 5: 1, 9: 8, 10: 8, 12: 11}
    assert story_roots(parents) == expected
    items = list(parents.items())
    for seed in range(5):
        random.Random(seed).shuffle(items)
        assert story_roots(dict(items)) == expected
    long_chain = {n: n - 1 for n in range(1, 5000)}  # one story of 5,000 reports, each joining the one before
    assert set(story_roots(long_chain).values()) == {0}
    assert story_roots({}) == {}


def test_stories_on_spark_are_the_stores_stories(spark: SparkSession, tmp_path: Path) -> None:
    """Rewrites, exact copies past the bucket cap (64) and unrelated texts: same groups as the store's writer."""
    import random

    from pantau.spark.extract import minhash_keys
    from pantau.spark.stories import assign_stories, with_stories
    from pantau.store.db import open_store
    from pantau.store.stories import DEFAULT_THRESHOLD, bands, signature, to_bytes
    from pantau.store.writer import BUCKET_CAP, Extracted, write_articles

    rng = random.Random(7)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts = [f"{seeds[0]}\n\nCatatan redaksi nomor {i}." for i in range(BUCKET_CAP + 10)]  # past the cap
    for number in range(40):  # rewrites: paragraphs of a seed dropped and reordered
        paragraphs = [p for p in seeds[1 + number % 4].split("\n\n") if p.strip()]
        kept = rng.sample(paragraphs, k=max(1, len(paragraphs) - rng.randint(0, 2)))
        texts.append("\n\n".join(kept))
    texts += [" ".join(rng.sample(seeds[4].split(), k=120)) for _ in range(10)]  # unrelated word salads
    rng.shuffle(texts)
    months = [f"{1 + index % 3:02d}" for index in range(len(texts))]
    rows = []
    for index, text in enumerate(texts):
        values = signature(text)
        rows.append((index, to_bytes(values), minhash_keys(values), bands(values, DEFAULT_THRESHOLD), "2024",
                     months[index]))
    frame = spark.createDataFrame(rows, "row_id long, signature binary, minhash_keys array<long>, "
                                        "bands array<struct<band:int,bucket:string>>, year string, month string")
    grouped = {r.row_id: r.story_id for r in with_stories(frame, assign_stories(frame)).collect()}

    engine = open_store(f"sqlite:///{tmp_path / 'stories.db'}")
    order = sorted(range(len(texts)), key=lambda i: (months[i], i))  # the job's load order: month, row_id
    items = [Extracted(Article(id=str(i), source="t", url=f"https://t.example.id/{i}", body=texts[i]),
                       signature(texts[i])) for i in order]
    with engine.begin() as conn:
        write_articles(conn, items, DEFAULT_THRESHOLD)
        stored = {int(url.rsplit("/", 1)[1]): story
                  for url, story in conn.exec_driver_sql("SELECT url, story_id FROM articles")}
    engine.dispose()

    def groups(assignment: dict[int, int]) -> list[list[int]]:
        found: dict[int, list[int]] = {}
        for row, story in assignment.items():
            found.setdefault(story, []).append(row)
        return sorted(sorted(g) for g in found.values())

    assert groups(grouped) == groups(stored)
    sizes = sorted((len(g) for g in groups(grouped)), reverse=True)
    assert sizes[0] < BUCKET_CAP + 10 and sizes[1] > 1  # the cap split the copies; rewrites grouped
