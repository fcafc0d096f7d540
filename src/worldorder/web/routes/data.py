"""Routes of the Data page: the registered data sets and their citations."""

from __future__ import annotations

import re

from fastapi import APIRouter, Query
from fastapi import Path as PathParameter
from fastapi.responses import Response

from worldorder.web.params import FORMAT_HELP, REQUIRED_DATASETS, Format, NotFound
from worldorder.web.tables import table_json


def router(web) -> APIRouter:
    """The routes of this page over the app's shared :class:`~worldorder.web.context.Web`."""
    router = APIRouter()
    model, answer, missing = web.model, web.answer, web.missing

    @router.get("/api/sources", tags=["data"], summary="Registered data sets: versions, licences, citations and what the store holds")
    async def api_sources(format: Format = Query("json", description=FORMAT_HELP)):
        def build():
            table = model.sources()
            payload = {"table": table_json(table), "required": list(REQUIRED_DATASETS), "missing": missing}
            return {"payload": payload, "tables": {"sources": table}, "default": "sources"}

        return await answer(("sources",), build, format, None, "sources")

    @router.get("/api/sources/{name}/citation", tags=["data"], summary="BibTeX citation of a data set")
    async def api_citation(name: str = PathParameter(..., description="A data set's name, as /api/sources lists it.")):
        from worldorder import UnknownDatasetError, cite

        if not re.fullmatch(r"[a-z0-9_]{1,60}", name):
            raise NotFound(f"No data set named {name!r}.")
        try:
            text = cite(name)
        except UnknownDatasetError as error:
            raise NotFound(str(error)) from None
        return Response(content=text, media_type="text/plain; charset=utf-8",
                        headers={"Content-Disposition": f'inline; filename="{name}.bib"'})

    return router
