"""Routes of the Futures page: projections and scenarios run on request, and their tables for download."""

from __future__ import annotations

import asyncio
import re
import threading

import pandas as pd
from fastapi import APIRouter, Body, Query, Request
from fastapi import Path as PathParameter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from worldorder.web.params import FORMAT_HELP, BadRequest, Format, NotFound, ProjectionRequest, ScenarioRequest, parse_rule
from worldorder.web.tables import download, dumps, table_json


#: A change of a share smaller than this rounds to 0.0%: the tables of largest changes leave it out.
VISIBLE_CHANGE = 0.0005


def router(web) -> APIRouter:
    """The routes of this page over the app's shared :class:`~worldorder.web.context.Web`."""
    router = APIRouter()
    model, caption, source_list = web.model, web.caption, web.source_list

    def fan(table: pd.DataFrame, index: str) -> dict:
        part = table[table["index"] == index]
        return table_json(part, [c for c in part.columns if c != "index"])

    def downloads(result_id: str, tables) -> dict:
        return {name: {fmt: f"/api/results/{result_id}?table={name}&format={fmt}" for fmt in ("csv", "parquet")} for name in tables}

    @router.post("/api/projection", tags=["futures"], summary="Run a Monte Carlo projection (paths capped)")
    async def api_projection(http: Request, request: ProjectionRequest = Body(...)):
        params = request.model_dump()
        params["rule"] = parse_rule(params["rule"])
        gone = threading.Event()

        async def watch():  # a client that closes the connection stops paying for its run
            while not gone.is_set():
                if await http.is_disconnected():
                    gone.set()
                await asyncio.sleep(0.5)

        def build():
            from worldorder import track_record_parts

            key, result = model.projection(params, cancelled=gone.is_set)
            tables = result.tables
            states = tables.get("states")
            top = result.payload["top_states"]
            settings = result.payload["settings"]
            window = settings.get("window")
            calibrated = f"growth calibrated on {window[0]}-{window[1]}" if window else "growth calibrated on the years to the base year"
            record = (tables["track_record"]["sentence"].tolist() if "track_record" in tables
                      else track_record_parts(params["measure"], params["horizon"] - int(settings["base_year"])))
            payload = {
                "id": key, "kind": "projection", "request": params, **result.payload,
                "track_record": " ".join(record),
                "track_record_parts": record,
                "caption": caption(result.payload["info"], "all states with a value in the base year", params["rule"],
                                   note=f"{params['paths']:,} paths, seed {params['seed']}, {calibrated}"),
                "fan": {name: fan(tables["polarity"], name) for name in ("con", "enp", "top_share")},
                "labels": table_json(tables["labels"]),
                "transition": table_json(tables["transition"]),
                "states": table_json(states[states["ccode"].isin(top)]) if states is not None else None,
                "downloads": downloads(key, tables),
            }
            return dumps(payload)

        watcher = asyncio.create_task(watch())
        try:
            content = await run_in_threadpool(build)
        finally:
            watcher.cancel()
        return Response(content=content, media_type="application/json")

    @router.post("/api/scenario", tags=["futures"], summary="Validate and run a scenario (TOML or YAML text); baseline and scenario side by side")
    async def api_scenario(request: ScenarioRequest = Body(...)):
        def build():
            key, result = model.scenario(request.text, request.format, request.paths)
            tables = result.tables
            power = tables["power"].sort_values("share_baseline", ascending=False)
            payload = {
                "id": key, "kind": "scenario", **result.payload,
                "sources": source_list(result.payload["sources"]),
                "power": table_json(power.head(15)),
                "polarity": table_json(tables["polarity"]),
                "polarity_words": table_json(result.payload["polarity_words"]),
                "downloads": downloads(key, tables),
            }
            for name in ("gas_dependence", "trade_dependence"):
                if name in tables:
                    part = tables[name]
                    shown = part["change"].abs() >= VISIBLE_CHANGE  # changes that round to 0.0% say nothing
                    payload[f"{name}_hidden"] = int((~shown).sum())
                    part = part[shown].assign(_size=part["change"].abs()).sort_values("_size", ascending=False).drop(columns="_size").head(25)
                    payload[name] = table_json(part)
            if "bloc_power" in tables:
                payload["bloc_power"] = table_json(tables["bloc_power"])
            if "blocs" in tables:
                moved = tables["blocs"][tables["blocs"]["moved"]]
                payload["blocs_moved"] = table_json(moved)
            projection = {}
            for which in ("baseline", "scenario"):
                name = f"projection_{which}_polarity"
                if name in tables:
                    projection[which] = {"con": fan(tables[name], "con"), "labels": table_json(tables[f"projection_{which}_labels"])}
            payload["projection"] = projection or None
            return dumps(payload)

        content = await run_in_threadpool(build)
        return Response(content=content, media_type="application/json")

    @router.get("/api/observed", tags=["futures"], summary="The example scenarios beside what happened (Nord Stream 2022, the pandemic year 2020)")
    async def api_observed():
        def build():
            checks = []
            for check in model.observed():
                checks.append({
                    "scenario": check.scenario, "kind": check.kind, "headline": check.headline, "notes": list(check.notes),
                    "tables": {name: {**table_json(table.round(4)), "unit": table.attrs.get("unit", "")} for name, table in check.tables.items()},
                    "sources": source_list(check.sources),
                })
            return dumps({"checks": checks})

        content = await run_in_threadpool(build)
        return Response(content=content, media_type="application/json")

    @router.get("/api/results/{result_id}", tags=["futures"], summary="A table of a projection or scenario run, for download")
    async def api_result(
        result_id: str = PathParameter(..., description="The id a projection or scenario run answered with."),
        table: str = Query(..., max_length=60, pattern=r"^[a-z_]+$", description="Which table of the run."),
        format: Format = Query("csv", description=FORMAT_HELP),
    ):
        if not re.fullmatch(r"[0-9a-f]{16}", result_id):
            raise NotFound("No such result: run the projection or scenario again.")
        result = model.results.peek(result_id)
        if result is None:
            raise NotFound("This result is no longer in memory: run the projection or scenario again.")
        if table not in result.tables:
            raise BadRequest(f"table={table!r}: this result has {', '.join(result.tables)}.")
        if format == "json":
            return Response(content=dumps(table_json(result.tables[table])), media_type="application/json")
        content, media, head = download(result.tables[table], format, f"{result.kind}-{result_id}-{table}")
        return Response(content=content, media_type=media, headers=head)

    return router

