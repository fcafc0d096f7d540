"""Routes of the Map page: each state's share of power in a year, and the world's shapes."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from worldorder.web.params import (
    AMONG_HELP,
    FORMAT_HELP,
    MAX_HORIZON,
    POWER_MEASURE_HELP,
    TABLE_HELP,
    WEIGHTS_HELP,
    BadRequest,
    Format,
    PowerMeasure,
    composite_note,
    join_notes,
    measure_key,
    parse_among,
    power_measure,
)
from worldorder.web.tables import table_json


def router(web) -> APIRouter:
    """The routes of this page over the app's shared :class:`~worldorder.web.context.Web`."""
    router = APIRouter()
    model, answer, caption, source_list = web.model, web.answer, web.caption, web.source_list

    @router.get("/api/map", tags=["power"], summary="Each state's share of power in a year, with the shapes that draw it")
    async def api_map(
        year: int = Query(..., ge=1816, le=MAX_HORIZON, description="Year (checked against the measure's coverage)."),
        measure: PowerMeasure = Query("cinc", description=POWER_MEASURE_HELP),
        weights: Optional[str] = Query(None, max_length=200, description=WEIGHTS_HELP),
        among: str = Query("all", max_length=40, description=AMONG_HELP),
        format: Format = Query("json", description=FORMAT_HELP),
        table: Optional[Literal["states", "shapes"]] = Query(None, description=TABLE_HELP),
    ):
        among = parse_among(among)
        measure = power_measure(measure, weights)
        model_check = model.memo_for(measure).peek(("coverage", measure))
        if model_check is not None and not model_check[0] <= year <= model_check[1]:
            raise BadRequest(f"{str(measure)} has values from {model_check[0]} to {model_check[1]}; {year} is outside them.")

        def build():
            from worldorder import MAP_NOTES

            found = model.map_year(measure, among, year)
            info = model.measure_info(measure)
            states = found["states"]
            payload = {
                "year": year, "measure": info, "among": among, "coverage": list(model.coverage(measure)),
                "caption": caption(info, among, note=join_notes(composite_note(measure), f"share = share of the reference set's total in {year}; today's borders (Natural Earth 1:110m)"),
                                   sources=[*info["sources"], "countrycode_codelist"]),
                "sources": source_list(info["sources"]),
                "states": table_json(states, ["rank", "ccode", "stateabb", "name", "value", "share", "shapes"]),
                "shapes": table_json(found["shapes"]),
                "stand_ins": [{"ccode": c, "note": n} for c, n in found["notes"].items()],
                "missing": found["missing"],
                "notes": list(MAP_NOTES),
            }
            return {"payload": payload, "tables": {"states": states, "shapes": found["shapes"]}, "default": "states"}

        name = measure_key(measure)
        return await answer(("map", measure, among, year), build, format, table, f"map-{name}-{among}-{year}")

    @router.get("/assets/topojson/world_110m.json", tags=["map"], summary="Natural Earth 1:110m countries as TopoJSON")
    async def topology():
        from worldorder import world_topology_json

        content = await run_in_threadpool(world_topology_json)
        return Response(content=content, media_type="application/json", headers={"Cache-Control": "public, max-age=86400"})

    return router
