"""The API's documentation pages, /docs (Swagger UI) and /redoc, served offline.

FastAPI's own pages load their scripts from a CDN, which the dashboard's Content-Security-Policy
(``script-src 'self'``) blocks and which an offline machine cannot reach: they showed nothing. The
assets come from the ``fastapi-offline`` package and are served from /static-docs; the Swagger UI
is started by a script of our own (``static/docs.js``), since an inline script is not allowed either.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/static-docs"

_SWAGGER = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>pantau API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css"><link rel="icon" href="{ASSETS}/favicon.png"></head>
<body><div id="swagger-ui" data-openapi="/openapi.json"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script><script src="/static/docs.js"></script></body></html>"""

_REDOC = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>pantau API</title>
<link rel="icon" href="{ASSETS}/favicon.png"></head>
<body><redoc spec-url="/openapi.json" disable-search="true"></redoc>
<script src="{ASSETS}/redoc.standalone.js"></script></body></html>"""


def install_docs(app: FastAPI) -> None:
    assets = resources.files("fastapi_offline").joinpath("static")
    app.mount(ASSETS, StaticFiles(directory=str(assets)), name="static-docs")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def swagger() -> HTMLResponse:
        return HTMLResponse(_SWAGGER)

    @app.get("/redoc", response_class=HTMLResponse, include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(_REDOC)
