from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pantau.api.app import create_app
from pantau.store.ingest import ingest

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
XSS_TITLE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">Polisi Sita Sabu'
XSS_BODY = ('Kupang - Polisi menyita 2 gram sabu <script>window.pwned=3</script> dari seorang pengedar '
            '<b onmouseover="window.pwned=4">berinisial AB</b>, Senin (7/10/2024). "Kami akan terus memburu '
            'jaringan <img src=x onerror=window.pwned=5> ini sampai tuntas," kata Kapolres Kupang, '
            'AKBP Rury Prastowo.')


def write_xss_corpus(path: Path) -> Path:
    path.write_text(json.dumps({"id": "xss-1", "url": "https://contoh.id/xss", "title": XSS_TITLE,
                                "text": XSS_BODY}) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("api")
    inputs = folder / "inputs"
    inputs.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (inputs / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    write_xss_corpus(inputs / "xss.jsonl")
    db = str(folder / "api.db")
    ingest([str(inputs)], db, workers=1)
    return db


@pytest.fixture(scope="session", params=["index", "sql"])
def client(request: pytest.FixtureRequest, seeded_db: str) -> Iterator[TestClient]:
    """The app answering from its facet index (loaded before the tests), or from the SQL alone."""
    app = create_app(seeded_db, index=request.param == "index")
    with TestClient(app) as test_client:
        live = app.state.reads.live
        if live is not None:
            live.wait(60)
            assert live.index is not None and live.index.articles == 6
        yield test_client
