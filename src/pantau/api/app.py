"""``pantau serve``: the REST API under /api and the dashboard under /, read-only over the store.

Every filter is validated (400 with a JSON message on a bad one), every query parameterised, pages
and query lengths are bounded, and unknown ids are 404s. The OpenAPI documentation is at /docs.
"""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import escape
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from pantau import __version__
from pantau.alerts.detectors import KINDS as ALERT_KINDS
from pantau.api.reads import Reads, aggregates_payload, encode, index_enabled, index_wait, switch_interval
from pantau.regions import regions
from pantau.store import read
from pantau.store.alerts import list_alerts
from pantau.store.db import create_store_engine, open_store
from pantau.store.incident_reads import TYPE_PATTERN, get_incident, list_incidents
from pantau.store.index import FacetIndex
from pantau.store.queries import GROUPINGS, Filters
from pantau.store.search import HIGHLIGHT_END, HIGHLIGHT_START, MAX_QUERY_CHARS
from pantau.store.watch import source_table
from pantau.web.docs import install_docs
from pantau.web.feed import atom_feed
from pantau.web.render import snippet_html

MAX_PAGE_SIZE = 100
MAX_STORY_ID = 2**63  # a store's ids are 64-bit signed integers (SQLite, PostgreSQL BIGINT)
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
PROVINCE_PATTERN = r"^\d{2}$"
REGENCY_PATTERN = r"^\d{2}\.\d{2}$"
KEY_PATTERN = r"^[A-Za-z0-9_ .\-]{1,100}$"
ALERT_KIND_PATTERN = "^(" + "|".join(ALERT_KINDS) + ")$"


def _error(status: int, message: str, detail: Any = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(status_code=status, content=body, headers=headers)


ERROR_SCHEMA = {"type": "object", "required": ["error"],
                "properties": {"error": {"type": "string"}, "detail": {}}}


def _documented_errors(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document as the API answers: a bad parameter is a 400 (not FastAPI's default 422) and an
    unknown id a 404, both with the ``{"error": ...}`` body."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for path, methods in schema.get("paths", {}).items():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            if responses.pop("422", None) is not None or operation.get("parameters"):
                responses["400"] = {"description": "Invalid parameter", **error}
            if "{" in path:
                responses["404"] = {"description": "Not found", **error}
    for name in ("HTTPValidationError", "ValidationError"):
        schema["components"]["schemas"].pop(name, None)
    app.openapi_schema = schema
    return schema


class HeadAsGet:
    """HEAD answered as GET without the body (RFC 9110), for every route: FastAPI routes declare GET only."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Any) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


async def article_filters(
    province: Annotated[str | None, Query(pattern=PROVINCE_PATTERN, description="Province code, e.g. 16")] = None,
    regency: Annotated[str | None, Query(pattern=REGENCY_PATTERN, description="Regency code, e.g. 16.07")] = None,
    topic: Annotated[str | None, Query(pattern=KEY_PATTERN)] = None,
    substance: Annotated[str | None, Query(pattern=KEY_PATTERN)] = None,
    outlet: Annotated[str | None, Query(max_length=256)] = None,
    since: Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY-MM-DD")] = None,
) -> Filters:
    return Filters(province=province, regency=regency, topic=topic, substance=substance, outlet=outlet,
                   since=since, until=until)


Page = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
FiltersDep = Annotated[Filters, Depends(article_filters)]


def _with_snippets(page: dict[str, Any]) -> dict[str, Any]:
    """Search hits' snippets as plain text, and as escaped HTML with <mark> around the matches."""
    for item in page["items"]:
        if "snippet" in item:
            item["snippet_html"] = str(snippet_html(item["snippet"]))
            item["snippet"] = item["snippet"].replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
    return page


def app_from_environment() -> FastAPI:
    """Factory for multi-process serving (``uvicorn --factory``): the database from ``PANTAU_DB``."""
    return create_app(os.environ.get("PANTAU_DB"), migrate=False)


def create_app(db: str | None = None, *, engine: Engine | None = None, migrate: bool = True,
               index: bool | None = None) -> FastAPI:
    """The application over the store at ``db`` (schema brought up to date once, then read-only).

    ``index`` (default: ``$PANTAU_INDEX``, on) keeps an in-memory facet index of the store in the
    process, so that counts, rankings and aggregates take milliseconds (``pantau.store.index``).
    """
    if engine is None:
        if migrate:
            open_store(db).dispose()
        engine = create_store_engine(db, read_only=True)
    reads = Reads(engine, index=index_enabled() if index is None else index)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Cached reads are answered in the event loop and misses computed in threads. A computing thread gives
        # up the GIL at every SQLite call and, with Python's default 5 ms switch interval, can wait that long to
        # get it back from a busy loop: under 20 clients a 1 ms page took 20-50 ms (docs/api.md).
        sys.setswitchinterval(switch_interval())
        await run_in_threadpool(reads.start, index_wait())  # the server answers once its index is loaded
        yield
        reads.close()

    app = FastAPI(title="pantau API", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Indonesian law-enforcement news as structured records (read-only).")
    install_docs(app)
    app.openapi = lambda: _documented_errors(app)  # type: ignore[method-assign]
    app.add_middleware(HeadAsGet)
    app.state.engine = engine
    app.state.reads = reads

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"parameter": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": e.get("msg")}
                    for e in exc.errors()]
        names = ", ".join(p["parameter"] for p in problems)
        return _error(400, f"invalid parameter: {names}", problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api") or request.url.path.startswith("/docs"):
            return _error(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))
        message = escape(str(exc.detail))
        return HTMLResponse(f"<!DOCTYPE html><html lang=id><meta charset=utf-8><title>{exc.status_code}</title>"
                            f"<link rel=stylesheet href=/static/pantau.css><main><h1>{exc.status_code}</h1>"
                            f"<p>{message}</p><p><a href=/>Kembali ke ringkasan</a></p></main>",
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    respond = reads.respond

    # Lists, rankings and aggregates are async: a cached answer is sent from the event loop, and only a
    # computation goes to a thread (``Reads``). Lookups by id are one indexed query, in a thread.

    @app.get("/api/articles", summary="Articles, newest first, or ranked by a full-text query")
    async def articles(filters: FiltersDep, page: Page = 1, page_size: PageSize = 20,
                       q: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)] = None) -> dict[str, Any]:
        q = q if q and q.strip() else None

        def compute(c: Connection, index: FacetIndex | None) -> dict[str, Any]:
            return _with_snippets(read.list_articles(c, filters, q, page, page_size, index).as_dict())

        return await respond(("articles", filters, q, page, page_size), compute)

    @app.get("/api/articles/{article_id}", summary="One article record with all its facts and spans")
    def article(article_id: str) -> dict[str, Any]:
        with engine.connect() as conn:
            found = read.get_article(conn, article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return found

    @app.get("/api/stories", summary="Stories (syndicated copies grouped), largest first")
    async def stories(page: Page = 1, page_size: PageSize = 20) -> dict[str, Any]:
        return await respond(("stories", page, page_size),
                             lambda c, i: read.list_stories(c, page, page_size, i).as_dict())

    @app.get("/api/stories/{story_id}", summary="One story with its articles")
    def story(story_id: int) -> dict[str, Any]:
        if not 0 <= story_id < MAX_STORY_ID:  # no store holds such an id; a database integer would overflow
            raise HTTPException(404, f"no story with id {story_id}")
        with engine.connect() as conn:
            found = read.get_story(conn, story_id)
        if found is None:
            raise HTTPException(404, f"no story with id {story_id}")
        return found

    @app.get("/api/incidents", summary="Incidents (one event, however many articles report it), newest first")
    async def incidents(filters: FiltersDep, page: Page = 1, page_size: PageSize = 20,
                        q: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)] = None,
                        type: Annotated[str | None, Query(pattern=TYPE_PATTERN)] = None) -> dict[str, Any]:
        q = q if q and q.strip() else None
        return await respond(("incidents", filters, q, type, page, page_size),
                             lambda c, _i: list_incidents(c, filters, q, type, page, page_size).as_dict())

    @app.get("/api/incidents/{incident_id}", summary="One incident: merged facts and the timeline of its articles")
    def incident(incident_id: int) -> dict[str, Any]:
        if not 0 <= incident_id < MAX_STORY_ID:
            raise HTTPException(404, f"no incident with id {incident_id}")
        with engine.connect() as conn:
            found = get_incident(conn, incident_id)
        if found is None:
            raise HTTPException(404, f"no incident with id {incident_id}")
        return found

    @app.get("/api/alerts", summary="Early warnings: spikes, new ground, viral incidents, record seizures")
    async def alerts(page: Page = 1, page_size: PageSize = 20,
                     since: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD",
                                                        json_schema_extra={"format": "date"})] = None,
                     kind: Annotated[str | None, Query(pattern=ALERT_KIND_PATTERN)] = None) -> dict[str, Any]:
        try:
            day = datetime.date.fromisoformat(since) if since else None
        except ValueError:
            raise HTTPException(400, f"invalid date {since!r}") from None

        def compute(c: Connection, _index: FacetIndex | None) -> dict[str, Any]:
            total, items = list_alerts(c, day, kind, page_size, (page - 1) * page_size)
            return {"items": items, "total": total, "page": page, "page_size": page_size}

        return await respond(("alerts", since, kind, page, page_size), compute)

    @app.get("/alerts.atom", summary="The alerts as an Atom feed, for feed readers and chat integrations",
             response_class=Response,
             responses={200: {"content": {"application/atom+xml": {"schema": {"type": "string"}}},
                              "description": "Atom 1.0 feed"}})
    def alerts_feed(request: Request) -> Response:
        with engine.connect() as conn:
            _total, items = list_alerts(conn, None, None, 50, 0)
        return Response(atom_feed(items, str(request.base_url)), media_type="application/atom+xml")

    @app.get("/api/sources", summary="The collector's sources (pantau watch): last round, URLs by status, last error")
    def sources() -> dict[str, Any]:
        with engine.connect() as conn:
            items = source_table(conn)
        return {"items": items, "total": len(items)}

    @app.get("/api/seizures", summary="Drug seizures with their article")
    async def seizures(filters: FiltersDep, page: Page = 1, page_size: PageSize = 20) -> dict[str, Any]:
        return await respond(("seizures", filters, page, page_size),
                             lambda c, i: read.list_seizures(c, filters, page, page_size, i).as_dict())

    @app.get("/api/statistics", summary="Case statistics with their article")
    async def statistics(filters: FiltersDep, page: Page = 1, page_size: PageSize = 20) -> dict[str, Any]:
        return await respond(("statistics", filters, page, page_size),
                             lambda c, i: read.list_statistics(c, filters, page, page_size, i).as_dict())

    @app.get("/api/quotes", summary="Direct quotes with their speaker")
    async def quotes(filters: FiltersDep, page: Page = 1, page_size: PageSize = 20,
                     speaker: Annotated[str | None, Query(max_length=256)] = None) -> dict[str, Any]:
        return await respond(("quotes", filters, speaker, page, page_size),
                             lambda c, i: read.list_quotes(c, filters, speaker, page, page_size, i).as_dict())

    @app.get("/api/people", summary="People by number of articles naming them")
    async def people(filters: FiltersDep, page: Page = 1, page_size: PageSize = 20,
                     q: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
        ranking = await reads.value(("people", filters, q), lambda c, i: read.rank_people(c, filters, q, i))
        return Response(encode(read.paginate(ranking, page, page_size).as_dict()), media_type="application/json")

    @app.get("/api/people/{name}", summary="One person: positions over time and quotes")
    def person(name: str) -> dict[str, Any]:
        with engine.connect() as conn:
            found = read.get_person(conn, name)
        if found is None:
            raise HTTPException(404, f"no person named {name!r}")
        return found

    @app.get("/api/organizations", summary="Organisations by number of articles")
    async def organizations(filters: FiltersDep, page: Page = 1, page_size: PageSize = 20,
                            q: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
        ranking = await reads.value(("organizations", filters, q),
                                    lambda c, i: read.rank_organizations(c, filters, q, i))
        return Response(encode(read.paginate(ranking, page, page_size).as_dict()), media_type="application/json")

    @app.get("/api/regions/{code}", summary="Aggregates for one province or regency code")
    async def region(code: str) -> dict[str, Any]:
        region = regions().get(code)
        if region is None or region.level not in ("province", "regency", "city"):
            raise HTTPException(404, f"no province, regency or city with code {code!r}")
        return await respond(("region", code), lambda c, i: read.get_region(c, code, i))

    @app.get("/api/aggregates", summary="Articles, stories, seizures, cases and suspects per group")
    async def aggregates(filters: FiltersDep,
                         by: Annotated[str, Query(pattern="^(" + "|".join(GROUPINGS) + ")$")] = "province",
                         ) -> dict[str, Any]:
        return await respond(("aggregate", by, filters), lambda c, i: aggregates_payload(c, by, filters, i))

    from pantau.web.routes import install_dashboard

    install_dashboard(app)
    return app
