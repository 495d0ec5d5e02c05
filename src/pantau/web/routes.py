"""Dashboard pages (Indonesian labels): overview, map, search, article, person, region."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import text

from pantau.regions import regions
from pantau.store import read
from pantau.store.queries import MAX_QUERY_CHARS, Filters, aggregate
from pantau.web.render import KINDS, highlighted_body, snippet_html

PAGE_SIZE = 20
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PROVINCE = re.compile(r"^\d{2}$")
_REGENCY = re.compile(r"^\d{2}\.\d{2}$")
_KEY = re.compile(r"^[A-Za-z0-9_ .\-]{1,100}$")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(resources.files("pantau.web").joinpath("templates")))
    templates.env.filters["snippet"] = snippet_html
    templates.env.globals["kinds"] = KINDS
    return templates


def _clean_filter(value: str | None, pattern: re.Pattern[str]) -> str | None:
    """A filter from a form: empty means none; a malformed one is a 400, never a query."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not pattern.match(value):
        raise HTTPException(400, "filter tidak valid (invalid filter)")
    return value


def overview_data(conn: Any) -> tuple[dict[str, int], dict[str, Any], list[dict[str, Any]]]:
    """Counts, monthly trends per topic and per substance (a story counted once), latest articles."""
    counts = {name: conn.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar_one()  # fixed table names
              for name in ("articles", "stories", "people", "seizures", "quotes")}
    # from the facet rows, which carry each article's date and story (pantau.store.facets)
    topic_months = conn.execute(text(
        "SELECT SUBSTR(sort_date, 1, 7) AS m, key AS topic, COUNT(*) AS n FROM article_facets "
        "WHERE kind = 'topic' AND sort_date IS NOT NULL GROUP BY m, key ORDER BY m, key")).all()
    substance_months = conn.execute(text(
        "SELECT SUBSTR(sort_date, 1, 7) AS m, key AS substance, COUNT(DISTINCT story_id) AS n FROM article_facets "
        "WHERE kind = 'substance' AND sort_date IS NOT NULL GROUP BY m, key ORDER BY m, key")).all()
    latest = read.list_articles(conn, Filters(), None, 1, 10).items
    trend = {"topics": [list(r) for r in topic_months], "substances": [list(r) for r in substance_months]}
    return counts, trend, latest


def install_dashboard(app: FastAPI) -> None:
    templates = _templates()
    engine = app.state.engine
    static = resources.files("pantau.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    def render(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context)

    @app.get("/provinces.geojson", include_in_schema=False)
    def provinces() -> FileResponse:
        path = resources.files("pantau.data").joinpath("provinces.geojson")
        return FileResponse(str(path), media_type="application/geo+json")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request) -> HTMLResponse:
        with engine.connect() as conn:
            counts, trend, latest = app.state.cache.get(conn, ("overview",), overview_data)
        return render(request, "overview.html", counts=counts, trend=trend, latest=latest)


    @app.get("/peta", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request) -> HTMLResponse:
        with engine.connect() as conn:
            groups = app.state.cache.get(conn, ("aggregate", "province", Filters()), lambda c: aggregate(c, "province"))
        data = [{"code": g.key, "name": g.label, "articles": g.articles, "stories": g.stories, "cases": g.cases,
                 "seizures": sum(v for (_, unit), v in g.seizures.items() if unit == "g") / 1000.0}
                for g in groups]
        return render(request, "map.html", data=data)

    @app.get("/cari", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = Query("", max_length=MAX_QUERY_CHARS),
                    province: str | None = None, regency: str | None = None, topic: str | None = None,
                    substance: str | None = None, since: str | None = None, until: str | None = None,
                    page: int = Query(1, ge=1, le=10_000)) -> HTMLResponse:
        filters = Filters(
            province=_clean_filter(province, _PROVINCE), regency=_clean_filter(regency, _REGENCY),
            topic=_clean_filter(topic, _KEY), substance=_clean_filter(substance, _KEY),
            since=_clean_filter(since, _DATE), until=_clean_filter(until, _DATE))
        with engine.connect() as conn:
            result = read.list_articles(conn, filters, q.strip() or None, page, PAGE_SIZE)
        return render(request, "search.html", q=q, filters=filters, result=result,
                      provinces=sorted((r.code, r.name) for r in regions().values() if r.level == "province"))

    @app.get("/artikel/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        with engine.connect() as conn:
            found = read.get_article(conn, article_id)
        if found is None:
            raise HTTPException(404, "artikel tidak ditemukan (article not found)")
        record = found["record"]
        return render(request, "article.html", record=record, body=highlighted_body(record["body"], record),
                      same_story=found["same_story"], story_id=found["story_id"])

    @app.get("/orang/{name}", response_class=HTMLResponse, include_in_schema=False)
    def person_page(request: Request, name: str) -> HTMLResponse:
        with engine.connect() as conn:
            found = read.get_person(conn, name)
        if found is None:
            raise HTTPException(404, "orang tidak ditemukan (person not found)")
        return render(request, "person.html", person=found)

    @app.get("/wilayah/{code}", response_class=HTMLResponse, include_in_schema=False)
    def region_page(request: Request, code: str) -> HTMLResponse:
        with engine.connect() as conn:
            found = app.state.cache.get(conn, ("region", code), lambda c: read.get_region(c, code))
        if found is None:
            raise HTTPException(404, "wilayah tidak ditemukan (region not found)")
        return render(request, "region.html", region=found)
