"""The dashboard in a real headless browser (Debian's chromium driven by Playwright) against
``pantau serve`` on localhost over the ingested seeds and a hostile article. Screenshots of failing
tests are saved under ``test-artifacts/``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pantau.store.ingest import ingest
from tests.api.conftest import SEEDS, write_xss_corpus

CHROMIUM = os.environ.get("PANTAU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _require_browser() -> None:
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"chromium not found at {CHROMIUM} (CI must install it)")
        pytest.skip(f"chromium not found at {CHROMIUM}")
    pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    folder = tmp_path_factory.mktemp("e2e")
    inputs = folder / "inputs"
    inputs.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, inputs / seed.name)
    write_xss_corpus(inputs / "xss.jsonl")
    db = str(folder / "e2e.db")
    ingest([str(inputs)], db, workers=1)
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "pantau.cli", "serve", "--db", db, "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/stories", timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "server died") from None
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(server: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.errors = errors
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def test_overview_shows_the_trend_chart(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    chart = page.locator("#trend-topics")
    # waits by selector: a string predicate polled by wait_for_function is an eval, which the page's CSP refuses
    page.locator("#trend-topics[data-rendered]").wait_for(timeout=60000)
    assert int(chart.get_attribute("data-rendered")) >= 1
    assert chart.locator("canvas").count() >= 1
    assert page.locator("#count-articles").inner_text() == "6"
    assert page.errors == []


def test_map_colours_south_sumatra_for_its_seizures(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/peta")
    page.locator("#map[data-colored]").wait_for(timeout=60000)
    assert page.locator("#map").get_attribute("data-metric") == "seizures"
    assert set(page.locator("#map").get_attribute("data-colored").split(",")) == {"16", "53"}  # 53: the xss report
    assert page.locator("#map canvas").count() >= 1
    page.select_option("#metric", "articles")
    page.locator("#map[data-metric='articles']").wait_for(timeout=60000)
    assert {"16", "51", "52", "53", "62"} <= set(page.locator("#map").get_attribute("data-colored").split(","))
    assert page.errors == []


def test_search_for_sabu_lists_seed_004(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.fill("header input[name=q]", "sabu")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/cari?q=sabu*")
    links = page.locator("ol.results a.title")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "/artikel/004_08796327ddaf0306" in hrefs
    assert page.locator("ol.results mark").first.inner_text().lower() == "sabu"


def test_article_page_highlights_the_seizure_and_the_person(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/artikel/004_08796327ddaf0306")
    seizures = [t.strip() for t in page.locator("#article-body .ent-seizure").all_inner_texts()]
    assert any("28 kilogram sabu" in t for t in seizures)
    people = page.locator("#article-body .ent-person").all_inner_texts()
    assert "AKBP Rury Prastowo" in people
    background = page.locator("#article-body .ent-person").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_hostile_article_runs_no_script(page, server: str) -> None:  # type: ignore[no-untyped-def]
    for path in ("/artikel/xss-1", "/cari?q=sabu", "/", "/wilayah/53", "/orang/Rury%20Prastowo"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        page.mouse.move(200, 300)
        if path.startswith("/artikel"):
            page.locator("#article-body").hover()
        assert page.evaluate("typeof window.pwned") == "undefined", path
    response = page.goto(server + "/artikel/xss-1")
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in response.text()
    assert page.locator("h1").first.inner_text().startswith("<script>window.pwned=1</script>")
    assert page.locator("#article-body script, #article-body img, #article-body b").count() == 0
    assert page.errors == []


def test_api_docs_render_offline_under_the_csp(page, server: str) -> None:  # type: ignore[no-untyped-def]
    refused: list[str] = []
    redoc_logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    # Redoc's footer always asks for its maker's logo from a CDN; the CSP refuses it and the page hides the
    # broken image: any other refusal (a script, a style, a fetch) would leave the docs broken offline
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text and redoc_logo not in message.text else None)
    page.on("request", lambda request: refused.append(request.url)
            if not request.url.startswith((server, "data:", "blob:", redoc_logo)) else None)
    page.goto(server + "/docs")
    page.locator("#swagger-ui[data-rendered]").wait_for(timeout=60000)
    assert "pantau API" in page.locator("#swagger-ui .info .title").inner_text()
    assert page.locator("#swagger-ui .opblock").count() >= 10  # the endpoints are listed
    page.goto(server + "/redoc")
    page.get_by_text("/api/incidents").first.wait_for(timeout=60000)
    assert refused == [] and page.errors == []
