"""Dashboard pages (Indonesian labels): overview, map, search, incidents, article, person, region."""

from __future__ import annotations

import re
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pantau.regions import regions
from pantau.store import read
from pantau.store.alerts import list_alerts
from pantau.store.incident_reads import get_incident, list_incidents
from pantau.store.queries import Filters
from pantau.store.search import MAX_QUERY_CHARS
from pantau.store.watch import source_table
from pantau.web.render import KINDS, highlighted_body, snippet_html

if TYPE_CHECKING:
    from pantau.store.index import FacetIndex

PAGE_SIZE = 20
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PROVINCE = re.compile(r"^\d{2}$")
_REGENCY = re.compile(r"^\d{2}\.\d{2}$")
_KEY = re.compile(r"^[A-Za-z0-9_ .\-]{1,100}$")
ALERT_KINDS = {"spike": "lonjakan", "new_ground": "wilayah baru", "viral": "viral", "record_seizure": "sitaan rekor"}
INCIDENT_TYPES = {"seizure": "penyitaan", "arrest": "penangkapan", "raid": "razia/penggerebekan",
                  "destruction": "pemusnahan barang bukti", "prison": "lapas/rutan", "viral": "viral",
                  "clash": "bentrok/tawuran", "other": "lainnya"}
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


def overview_data(conn: Any, index: FacetIndex | None = None) -> tuple[dict[str, int], dict[str, Any],
                                                                         list[dict[str, Any]]]:
    """Counts, monthly trends per topic and per substance (an incident counted once), latest articles."""
    latest = read.list_articles(conn, Filters(), None, 1, 10, index).items
    if index is not None:
        topics, substances = index.trends()
        return dict(index.counts), {"topics": topics, "substances": substances}, latest
    counts = {name: conn.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar_one()  # fixed table names
              for name in ("articles", "stories", "incidents", "people", "seizures", "quotes")}
    # from the facet rows, which carry each article's date and story (pantau.store.facets)
    topic_months = conn.execute(text(
        "SELECT SUBSTR(sort_date, 1, 7) AS m, key AS topic, COUNT(*) AS n FROM article_facets "
        "WHERE kind = 'topic' AND sort_date IS NOT NULL GROUP BY m, key ORDER BY m, key")).all()
    substance_months = conn.execute(text(
        "SELECT SUBSTR(sort_date, 1, 7) AS m, key AS substance, "
        "COUNT(DISTINCT COALESCE(incident_id, -article_id)) AS n FROM article_facets "
        "WHERE kind = 'substance' AND sort_date IS NOT NULL GROUP BY m, key ORDER BY m, key")).all()
    trend = {"topics": [list(r) for r in topic_months], "substances": [list(r) for r in substance_months]}
    return counts, trend, latest


class SecurityHeaders:
    """Content-Security-Policy and friends on every response (plain ASGI: no per-request task or stream)."""

    HEADERS = ((b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
               (b"referrer-policy", b"no-referrer"))

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((n, v) for n, v in self.HEADERS if n not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


def install_dashboard(app: FastAPI) -> None:
    templates = _templates()
    engine = app.state.engine
    reads = app.state.reads
    static = resources.files("pantau.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    app.add_middleware(SecurityHeaders)

    def render(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context)

    @app.get("/provinces.geojson", include_in_schema=False)
    def provinces() -> FileResponse:
        path = resources.files("pantau.data").joinpath("provinces.geojson")
        return FileResponse(str(path), media_type="application/geo+json")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request) -> HTMLResponse:
        with engine.connect() as conn:
            counts, trend, latest = reads.cached(conn, ("overview",), overview_data)
            alerts = reads.cached(conn, ("overview-alerts",), lambda c, _i: list_alerts(c, None, None, 8)[1])
        return render(request, "overview.html", counts=counts, trend=trend, latest=latest, alerts=alerts,
                      alert_kinds=ALERT_KINDS)


    @app.get("/peta", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request) -> HTMLResponse:
        with engine.connect() as conn:
            groups = reads.cached(conn, ("aggregate", "province", Filters()),
                                  lambda c, i: read.aggregates(c, "province", Filters(), i))
        data = [{"code": g.key, "name": g.label, "articles": g.articles, "stories": g.stories,
                 "incidents": g.incidents, "cases": g.cases,
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
            result = read.list_articles(conn, filters, q.strip() or None, page, PAGE_SIZE, reads.index(conn))
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
                      same_story=found["same_story"], story_id=found["story_id"], incident_id=found["incident_id"])

    @app.get("/insiden", response_class=HTMLResponse, include_in_schema=False)
    def incidents_page(request: Request, q: str = Query("", max_length=MAX_QUERY_CHARS),
                       province: str | None = None, type: str | None = None, substance: str | None = None,
                       since: str | None = None, until: str | None = None,
                       page: int = Query(1, ge=1, le=10_000)) -> HTMLResponse:
        filters = Filters(province=_clean_filter(province, _PROVINCE), substance=_clean_filter(substance, _KEY),
                          since=_clean_filter(since, _DATE), until=_clean_filter(until, _DATE))
        kind = type if type in INCIDENT_TYPES else None
        if type and kind is None:
            raise HTTPException(400, "jenis insiden tidak valid (invalid incident type)")
        with engine.connect() as conn:
            result = list_incidents(conn, filters, q.strip() or None, kind, page, PAGE_SIZE)
        next_query = urlencode({k: v for k, v in (("q", q), ("province", filters.province), ("type", kind),
                                                  ("substance", filters.substance), ("since", filters.since),
                                                  ("until", filters.until), ("page", page + 1)) if v})
        return render(request, "incidents.html", q=q, filters=filters, kind=kind, result=result,
                      types=INCIDENT_TYPES, next_query=next_query,
                      provinces=sorted((r.code, r.name) for r in regions().values() if r.level == "province"))

    @app.get("/insiden/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
    def incident_page(request: Request, incident_id: int) -> HTMLResponse:
        found = None
        if 0 <= incident_id < 2**63:
            with engine.connect() as conn:
                found = get_incident(conn, incident_id)
        if found is None:
            raise HTTPException(404, "insiden tidak ditemukan (incident not found)")
        return render(request, "incident.html", incident=found, types=INCIDENT_TYPES)

    @app.get("/sumber", response_class=HTMLResponse, include_in_schema=False)
    def sources_page(request: Request) -> HTMLResponse:
        with engine.connect() as conn:
            items = source_table(conn)
        return render(request, "sources.html", sources=items)

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
            found = reads.cached(conn, ("region", code), lambda c, i: read.get_region(c, code, i))
        if found is None:
            raise HTTPException(404, "wilayah tidak ditemukan (region not found)")
        return render(request, "region.html", region=found)
