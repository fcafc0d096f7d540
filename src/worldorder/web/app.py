"""The web app: JSON endpoints (described by OpenAPI) and six plain pages.

:func:`create_app` opens the store read-only and returns a FastAPI app.  The
app is an interface: every number comes from the public functions of the
power, networks and sim layers through :class:`~worldorder.web.model.WebModel`,
which keeps computed tables in memory.  Inputs are validated (a 422 with a
message), the work of a request is bounded (paths and horizons capped, years
checked against the data's coverage, one simulation at a time), and no file
path is ever taken from a request.

Each table endpoint answers JSON by default and CSV or Parquet with
``format=csv|parquet`` (``table=`` picks the table when there are several), so
every table shown on a page can be downloaded.

Plotly.js is served from the installed ``plotly`` package and the world map's
shapes from the Natural Earth topology shipped with worldorder: the pages
need no internet.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from worldorder.web.context import HERE, Web
from worldorder.web.model import WebModel
from worldorder.web.params import AGREEMENT_MEASURES, POLE_RULES, REQUIRED_DATASETS, ProjectionRequest, parse_rule
from worldorder.web.routes import data, diffusion, futures, maps, meta, networks, overview, pages, regions

#: The routers in the order the API reference lists them: the app itself, then one per page, then the pages.
ROUTERS = (meta, overview, maps, regions, networks, diffusion, futures, data, pages)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def missing_datasets(store) -> list[str]:
    """Required data sets the store lacks."""
    return [name for name in REQUIRED_DATASETS if not store.has(name)]


def prepare_store(path: str | os.PathLike | None = None, names=REQUIRED_DATASETS, source=None) -> Path:
    """Put the data sets the app reads into the store at ``path`` (as a writer), then close it.

    ``worldorder serve`` calls this first and then opens the file read-only:
    DuckDB grants a read-only connection only while no process writes.

    Parameters
    ----------
    path
        The app's store (default ``$WORLDORDER_DB``).
    names
        Data sets to have (default :data:`~worldorder.web.params.REQUIRED_DATASETS`).
    source
        An open :class:`~worldorder.store.Store` to copy the missing data sets
        from (ingesting them there first if needed) instead of parsing the
        raw files again; the copies keep the source's SHA-256.
    """
    from worldorder import Store, default_db_path

    target = Path(path).expanduser() if path is not None else default_db_path()
    store = Store(target)
    try:
        missing = [name for name in names if not store.has(name)]
        if source is None:
            store.ensure(missing)
        else:
            source.ensure(missing)
            for name in missing:
                sha256, _ = source.stamp(name)
                store.put(name, source.table(name), sha256=sha256, origin=f"copy of {Path(source.path).name}")
    finally:
        store.close()
    return target.resolve()


def open_read_only(path: str | os.PathLike | None = None):
    """The store at ``path`` opened read-only; the library's later ``open_store`` calls share it."""
    from worldorder import open_store

    return open_store(path, read_only=True)


def create_app(db_path: str | os.PathLike | None = None, warm: bool = True):
    """The FastAPI app over the store at ``db_path`` (default ``$WORLDORDER_DB``), opened read-only.

    Parameters
    ----------
    db_path
        The DuckDB store; it must hold :data:`~worldorder.web.params.REQUIRED_DATASETS`
        (run :func:`prepare_store` or ``worldorder data ingest`` first).
    warm
        Compute the overview's and the map's default tables in a background
        thread at start-up, so that the first visitor does not wait.
    """
    from contextlib import asynccontextmanager

    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from worldorder import VERSION
    from worldorder.web.errors import add_error_handlers

    store = open_read_only(db_path)
    model = WebModel(store)
    missing = missing_datasets(store)
    web = Web(model, missing)

    def warm_up():
        try:
            model.polarity("cinc", "majors", "leader:0.5")
            model.map_year("cinc", "all", model.coverage("cinc")[1])
            from worldorder import world_topology_json

            world_topology_json()
            model.eras("cinc", "majors", "leader:0.5")
            model.agreement("majors", AGREEMENT_MEASURES, POLE_RULES)
            opening = ProjectionRequest(paths=2000).model_dump()  # what the Futures page runs on load (its form's values)
            model.projection({**opening, "rule": parse_rule(opening["rule"])})
        except Exception:  # noqa: BLE001 - warming is best effort; requests report their own errors
            pass

    @asynccontextmanager
    async def lifespan(app):
        if warm and not missing:
            threading.Thread(target=warm_up, name="worldorder-warm", daemon=True).start()
        yield

    app = FastAPI(
        title="worldorder",
        version=VERSION,
        description=(
            "The international system from real data: power, polarity, regions, blocs, dependence and "
            "simulated futures, with sources cited. Table endpoints answer JSON, or CSV/Parquet with "
            "`format=csv|parquet`. The store is read-only."
        ),
        docs_url=None,  # Swagger UI and ReDoc load their scripts from a CDN: /docs is our own page (web/reference.py)
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.model = model
    app.state.store = store
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    add_error_handlers(app, web)
    app.add_middleware(SecurityHeaders)
    for routes in ROUTERS:
        app.include_router(routes.router(web))
    return app


class SecurityHeaders:
    """ASGI middleware: a content security policy that allows nothing from outside the app, and two more headers.

    Written as plain ASGI (not ``BaseHTTPMiddleware``) so that it costs a few
    microseconds per request.
    """

    HEADERS = (
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
    )

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                message["headers"] = [*message.get("headers", ()), *(h for h in self.HEADERS if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
