"""The web application: REST API and dashboard over the embedded store.

``create_app(settings)`` builds a FastAPI app over the store at
``settings.db``; ``serve(settings, host, port)`` runs it with uvicorn
(``marsad serve``).  Read endpoints are open; ``POST /api/ingest`` needs
``Authorization: Bearer <settings.api_token>`` and is disabled when no token
is set.  The dashboard is served at ``/`` with its assets under
``/static/``; nothing is loaded from another host, and a Content Security
Policy forbids inline scripts and any other origin.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from marsad import __version__
from marsad.api import ingest, routes
from marsad.api.errors import install_error_handlers
from marsad.api.models import IngestRecord
from marsad.api.readers import ReaderPool
from marsad.errors import MarsadError
from marsad.settings import Settings
from marsad.store.sqlite import Store

log = logging.getLogger("marsad.api")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_READERS = 4  # read-only connections: concurrent requests query side by side

# Scripts, styles, images and data only from this server; no inline script, no frames.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def dashboard_dir() -> Path:
    """The folder of the dashboard's static files (HTML, JS, CSS, vendored packages)."""
    return Path(str(resources.files("marsad.dashboard").joinpath("static")))


def _open_store(settings: Settings) -> Store:
    path = Path(settings.db)
    if str(path) != ":memory:" and not path.exists():
        log.warning("no store at %s: starting with an empty one", path)
    try:
        return Store(path)
    except MarsadError:
        if not path.is_file():
            raise
        log.warning("store %s cannot be opened for writing: serving it read-only", path)
        return Store(path, readonly=True)


def create_app(settings: Settings, *, store: Store | None = None, readers: int = DEFAULT_READERS) -> FastAPI:
    """The API and dashboard over ``store``.

    By default the app opens the store at ``settings.db`` (closed on
    shutdown), writes through it and reads through a pool of ``readers``
    read-only connections; a ``store`` given by the caller is used for
    everything.
    """
    owned = store is None
    the_store = _open_store(settings) if store is None else store
    pool = None
    if owned and readers > 0 and the_store.path != ":memory:":
        pool = ReaderPool(the_store.path, readers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if pool is not None:
            pool.close()
        if owned:
            the_store.close()

    app = FastAPI(
        title="marsad",
        version=__version__,
        description=(
            "Arabic news, read natively: articles, full-text search, and conflict events with "
            "where, when, who and how many, each fact with offsets into the article text. "
            "Every error is `{\"error\": {\"code\", \"message\"}}`."
        ),
        docs_url=None,  # the interactive docs pages load their scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = the_store
    app.state.readers = pool
    app.state.pipeline = None
    install_error_handlers(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    app.include_router(routes.router)
    app.include_router(ingest.router)
    _document_ingest_body(app)

    static = dashboard_dir()

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(static / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=static), name="static")
    return app


def _document_ingest_body(app: FastAPI) -> None:
    """Add the ingest body's schema, which the endpoint reads by hand, to the API description."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas["IngestRecord"] = IngestRecord.model_json_schema(ref_template="#/components/schemas/{model}")
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def app_from_env() -> FastAPI:
    """An app built from ``MARSAD_*`` environment variables (``uvicorn --factory``)."""
    return create_app(Settings.build())


def serve(settings: Settings, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Run the API and dashboard with uvicorn until interrupted (``marsad serve``)."""
    import uvicorn

    app = create_app(settings)
    print(f"marsad: serving {settings.db} at http://{host}:{port}/ (API description: /openapi.json)",
          file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
