"""Property-based fuzzing (Hypothesis) of the readers, the pipeline and the API parameters: whatever the input,
no exception escapes, every record is valid, and the API answers 200, 400 or 404, never 500.

A small fixed budget runs in CI (derandomized); ``python tools/fuzz.py`` runs a longer campaign and prints counts.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pantau.api.app import create_app
from pantau.ingest.document import Document, Skipped
from pantau.ingest.readers import read_inputs
from pantau.pipeline import EmptyArticle, process
from pantau.record import Article
from pantau.store.ingest import ingest
from tests.fuzz.strategies import filter_values, jsonl_bytes, odd_text, prose, records

CI_BUDGET = settings(max_examples=40, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SUFFIXES = [".txt", ".html", ".json", ".jsonl", ".txt.gz", ".jsonl.gz", ".bin"]


@CI_BUDGET
@given(data=st.binary(max_size=3000) | odd_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
       suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_in_any_file_give_documents_or_skips(tmp_path_factory: pytest.TempPathFactory, data: bytes,
                                                       suffix: str) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    path = folder / f"input{suffix}"
    path.write_bytes(gzip.compress(data) + data[:7] if suffix.endswith(".gz") else data)
    items = list(read_inputs([str(path), str(folder)]))
    assert items and all(isinstance(i, Document | Skipped) for i in items)
    for item in items:
        if isinstance(item, Skipped):
            assert item.reason and item.source.startswith(str(folder))


@CI_BUDGET
@given(rows=st.lists(records, max_size=6), garbage=st.binary(max_size=200))
def test_hostile_jsonl_costs_only_its_bad_lines(tmp_path_factory: pytest.TempPathFactory, rows: list[dict],
                                                garbage: bytes) -> None:
    path = tmp_path_factory.mktemp("jsonl") / "c.jsonl"
    path.write_bytes(jsonl_bytes(rows, garbage))
    items = list(read_inputs([str(path)]))
    documents = [i for i in items if isinstance(i, Document)]
    assert len(documents) <= len(rows) + 1
    for document in documents:
        assert "\x00" not in (document.text or "") + (document.html or "") and len(document.id) <= 256
        json.dumps([document.id, document.text, document.title, document.url])  # serialisable, no lone surrogates


@CI_BUDGET
@given(text=prose | odd_text, title=st.none() | odd_text)
def test_the_pipeline_gives_a_valid_record_or_an_empty_article(text: str, title: str | None) -> None:
    try:
        article = process(Document(id="fuzz", source="fuzz", text=text, title=title))
    except EmptyArticle:
        return
    assert Article.model_validate_json(article.to_json()) == article
    spans = [m for p in article.people for m in p.mentions] + [s.span for s in article.seizures] + \
        [q.span for q in article.quotes] + [r.span for r in article.legal_refs] + [s.span for s in article.statistics]
    assert all(0 <= start <= end <= len(article.body) for start, end in spans)
    assert all(0 < s.quantity <= 1e9 for s in article.seizures if s.quantity is not None)
    assert article.extraction_errors == []  # an extractor that raises on some text is a bug to fix


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = str(tmp_path_factory.mktemp("api") / "f.db")
    ingest([str(Path(__file__).parent.parent / "fixtures" / "incidents_corpus.jsonl")], db, workers=1)
    with TestClient(create_app(db, index=False)) as client:
        yield client


PATHS = ["/api/articles", "/api/incidents", "/api/seizures", "/api/statistics", "/api/quotes", "/api/people",
         "/api/organizations", "/api/aggregates", "/api/alerts", "/cari", "/insiden"]
PARAMETERS = ["q", "province", "regency", "topic", "substance", "outlet", "since", "until", "page", "page_size",
              "by", "type", "kind", "speaker"]


@CI_BUDGET
@given(path=st.sampled_from(PATHS), params=st.dictionaries(st.sampled_from(PARAMETERS), filter_values, max_size=4),
       item=filter_values)
def test_api_parameters_never_make_a_500(fuzz_client: TestClient, path: str, params: dict[str, str],
                                         item: str) -> None:
    response = fuzz_client.get(path, params=params)
    assert response.status_code in (200, 400, 404), (path, params, response.text[:200])
    for base in ("/api/articles/", "/api/incidents/", "/api/stories/", "/api/people/", "/api/regions/",
                 "/insiden/", "/artikel/"):
        answer = fuzz_client.get(base + quote(item, safe=""))
        assert answer.status_code in (200, 400, 404, 422) and answer.status_code != 500, (base, item)
