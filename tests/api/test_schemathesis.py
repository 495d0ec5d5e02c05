"""The API answers as its OpenAPI document says: schemathesis generates requests from the document for every
operation (bounded examples, derandomized) against a small store and checks every response (issue 17)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from pantau.api.app import create_app
from pantau.store.ingest import ingest

CORPUS = Path(__file__).parent.parent / "fixtures" / "incidents_corpus.jsonl"


def _app():  # type: ignore[no-untyped-def]
    # built when the module is collected: schemathesis reads the document before the tests run
    db = str(Path(tempfile.mkdtemp(prefix="pantau-schemathesis-")) / "s.db")
    ingest([str(CORPUS)], db, workers=1)
    return create_app(db, index=False)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_conforms_to_its_openapi_document(case) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate()
