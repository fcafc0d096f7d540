"""How the web app answers errors: 4xx/503 JSON with a message that says what to do, never a traceback."""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from worldorder.web.params import BadRequest, Busy, NotFound, ScenarioProblems


def add_error_handlers(app, web) -> None:
    """Map the app's own errors, validation errors, store errors and the library's domain errors to responses.

    An unknown address answers an HTML page with links to every page, except
    under ``/api/`` (and for clients that ask for JSON), which get JSON.
    """
    from starlette.exceptions import HTTPException

    from worldorder import NetworkError, PowerError, SimulationError, UnknownCountryError
    from worldorder.store import StoreError

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        wants_json = request.url.path.startswith(("/api/", "/assets/", "/static/", "/vendor/")) or \
            "application/json" in request.headers.get("accept", "")
        if error.status_code == 404 and not wants_json:
            context = web.page_context("notfound", "Not found", path=request.url.path)
            return web.templates.TemplateResponse(request, "notfound.html", {**context, "ready": True}, status_code=404)
        return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=getattr(error, "headers", None))

    @app.exception_handler(ScenarioProblems)
    async def scenario_problems(request: Request, error: ScenarioProblems):
        return JSONResponse({"detail": str(error), "problems": error.problems}, status_code=422)

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, error: BadRequest):
        return JSONResponse({"detail": str(error)}, status_code=422)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound):
        return JSONResponse({"detail": str(error.args[0] if error.args else error)}, status_code=404)

    @app.exception_handler(Busy)
    async def busy(request: Request, error: Busy):
        return JSONResponse({"detail": str(error)}, status_code=503, headers={"Retry-After": "30"})

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError):
        parts = []
        for item in error.errors():
            where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "body", "path"))
            parts.append(f"{where}: {item.get('msg')}" if where else str(item.get("msg")))
        return JSONResponse({"detail": "; ".join(parts), "errors": _plain_errors(error.errors())}, status_code=422)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError):
        return JSONResponse({"detail": str(error)}, status_code=503)

    async def model_error(request: Request, error: Exception):
        return JSONResponse({"detail": str(error)}, status_code=422)

    for known in (PowerError, NetworkError, SimulationError, UnknownCountryError):
        app.add_exception_handler(known, model_error)


def _plain_errors(errors) -> list[dict]:
    out = []
    for item in errors:
        out.append({"loc": [str(p) for p in item.get("loc", ())], "msg": str(item.get("msg")), "type": str(item.get("type"))})
    return out
