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

    from worldorder import StoreError, WorldOrderError

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        wants_json = request.url.path.startswith(("/api/", "/assets/", "/static/", "/vendor/")) or \
            "application/json" in request.headers.get("accept", "")
        if error.status_code == 404 and not wants_json:
            context = web.page_context("notfound", "Not found", path=request.url.path)
            return web.templates.TemplateResponse(request, "notfound.html", {**context, "ready": True}, status_code=404)
        detail = BODY_NOT_JSON if error.status_code == 400 else error.detail  # FastAPI's only 400: a body it cannot parse
        return JSONResponse({"detail": detail}, status_code=error.status_code, headers=getattr(error, "headers", None))

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
        if any(item.get("type") == "json_invalid" for item in error.errors()):  # a body cut short ('{'): as any body that is not JSON
            return JSONResponse({"detail": BODY_NOT_JSON}, status_code=400)
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

    app.add_exception_handler(WorldOrderError, model_error)  # every domain error of the library: 422 with its message
    describe_errors(app)


#: The one shape of every error the API answers, as the handlers above write it.
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What was wrong, and what to do."},
        "problems": {
            "type": "array", "description": "A scenario's problems, each with its line.",
            "items": {"type": "object", "properties": {"line": {"type": ["integer", "null"]}, "path": {"type": "string"}, "message": {"type": "string"}}},
        },
        "errors": {
            "type": "array", "description": "Each parameter that failed validation.",
            "items": {"type": "object", "properties": {"loc": {"type": "array", "items": {"type": "string"}}, "msg": {"type": "string"}, "type": {"type": "string"}}},
        },
    },
}
ERROR_STATUSES = {
    "404": "No such data set, result or address.",
    "422": "The request is not valid; `detail` says what to change.",
    "503": "The store cannot be read, or a simulation is already running (retry after the `Retry-After` seconds).",
}
#: FastAPI answers a body that is not JSON with 400 before any validation.
BODY_NOT_JSON = "The request body is not valid JSON; send a JSON object as the schema describes."
DOWNLOADS = {"text/csv": "CSV table (format=csv)", "application/vnd.apache.parquet": "Parquet table (format=parquet)"}


def describe_errors(app) -> None:
    """Make the OpenAPI description say what the app really answers.

    Every operation documents its errors (404, 422, 503; 400 where it takes a body) with :data:`ERROR_SCHEMA`
    in place of FastAPI's default validation error; operations with a ``format``
    parameter also document their CSV and Parquet downloads; the citation is
    plain text.
    """
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components["Error"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for path, item in schema.get("paths", {}).items():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                for code, text in ERROR_STATUSES.items():
                    responses[code] = {"description": text, "content": error}
                if "requestBody" in operation:
                    responses["400"] = {"description": BODY_NOT_JSON, "content": error}
                ok = responses.setdefault("200", {"description": "Successful Response"}).setdefault("content", {})
                if any(p.get("name") == "format" for p in operation.get("parameters", [])):
                    for media, text in DOWNLOADS.items():
                        ok[media] = {"schema": {"type": "string", "format": "binary", "description": text}}
                if path.endswith("/citation"):
                    ok.clear()
                    ok["text/plain"] = {"schema": {"type": "string", "description": "BibTeX"}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi


def _plain_errors(errors) -> list[dict]:
    out = []
    for item in errors:
        out.append({"loc": [str(p) for p in item.get("loc", ())], "msg": str(item.get("msg")), "type": str(item.get("type"))})
    return out
