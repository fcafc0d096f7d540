"""The HTML pages, the API reference at /docs, and the scripts the pages load (no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from worldorder.web.context import PAGES, SUBPAGES


def plotly_js() -> Path:
    """``plotly.min.js`` bundled with the installed ``plotly`` Python package."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.exists():  # pragma: no cover - depends on the plotly release
        raise FileNotFoundError(f"plotly {plotly.__version__} ships no package_data/plotly.min.js")
    return path


def router(web) -> APIRouter:
    """The pages and their assets over the app's shared :class:`~worldorder.web.context.Web`."""
    router = APIRouter()
    templates = web.templates
    plotly_path = plotly_js()

    @router.get("/vendor/plotly.min.js", include_in_schema=False)
    async def plotly_script():
        return FileResponse(plotly_path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})

    @router.get("/palette.js", include_in_schema=False)
    async def palette_script():
        from worldorder import as_javascript

        return Response(content=as_javascript(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"})

    @router.get("/favicon.ico", include_in_schema=False)
    async def favicon():
        return Response(status_code=204)

    def page(name: str, title: str, parent: str | None = None):
        async def render(request: Request):
            return templates.TemplateResponse(request, f"{name}.html", web.page_context(parent or name, title))

        render.__name__ = f"page_{name}"
        return render

    for name, path, title in PAGES:
        router.add_api_route(path, page(name, title), methods=["GET"], response_class=HTMLResponse, include_in_schema=False)
    for name, path, title, parent in SUBPAGES:
        router.add_api_route(path, page(name, title, parent), methods=["GET"], response_class=HTMLResponse, include_in_schema=False)

    @router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    async def api_reference(request: Request):
        from worldorder.web.reference import endpoints

        groups: dict[str, list] = {}
        for endpoint in endpoints(request.app.openapi()):
            groups.setdefault(endpoint["tag"], []).append(endpoint)
        return templates.TemplateResponse(
            request, "reference.html", web.page_context("reference", "API reference", groups=list(groups.items()), ready=True)
        )

    return router
