"""Routes of the Diffusion view (under Networks): exposure by year, fitted effects, the out-of-sample check, the simulation fan."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Query

from worldorder import DEFAULT_SEED
from worldorder.web.params import FORMAT_HELP, MAX_PATHS, TABLE_HELP, BadRequest, Format
from worldorder.web.tables import table_json

#: The tables of the view, each downloadable with ``table=``.
DIFFUSION_TABLES = ("exposure", "coefficients", "contributions", "scores", "calibration", "shares", "exposed")


def router(web) -> APIRouter:
    """The routes of this view over the app's shared :class:`~worldorder.web.context.Web`."""
    router = APIRouter()
    model, answer, source_list = web.model, web.answer, web.source_list

    @router.get("/api/diffusion", tags=["networks"], summary="How an outcome spread along ties: exposure in a year, fitted effects, out-of-sample check, simulated fan")
    async def api_diffusion(
        outcome: str = Query("democracy:polyarchy>=0.5", max_length=80, description="democracy[:polyarchy|uds|polity[>=T]] or alliance:STATE[+STATE]."),
        ties: str = Query("contiguity,alliance,trade", max_length=80, description="Tie layers: contiguity, distance[:KM], alliance, trade, unga, region, world."),
        years: str = Query("1946-2010", max_length=20, description="Years of the transitions fitted (FIRST-LAST)."),
        year: int = Query(1990, ge=1817, le=2024, description="Year of the exposure map."),
        until: int = Query(1989, ge=1817, le=2023, description="Fit the out-of-sample check to this year; score the later years."),
        horizon: int = Query(2040, ge=2025, le=2060, description="Last simulated year (from 2024)."),
        paths: int = Query(2000, ge=100, le=MAX_PATHS, description="Simulated paths."),
        seed: int = Query(DEFAULT_SEED, ge=0, le=2**31 - 1, description="Seed: the same seed gives the same numbers."),
        format: Format = Query("json", description=FORMAT_HELP),
        table: Optional[Literal[DIFFUSION_TABLES]] = Query(None, description=TABLE_HELP),
    ):
        def build():
            from worldorder import state_names, state_shapes

            view = model.diffusion(outcome, ties, years, year, until, horizon, paths, seed)
            if view.exposure.empty:
                raise BadRequest(f"year={year}: no state has the outcome and its ties in {year - 1}; pick a year the outcome and the ties cover.")
            check, simulation = view.check, view.simulation
            then, start = state_names(year, db=model.store.path), state_names(2024, db=model.store.path)  # names of the year shown
            exposure = view.exposure.assign(name=view.exposure["ccode"].map(lambda c: then.get(int(c), str(c))))
            exposed = simulation.states.assign(name=simulation.states["ccode"].map(lambda c: start.get(int(c), str(c))))
            tables = {"exposure": exposure, "coefficients": view.coefficients, "contributions": view.contributions,
                      "scores": check.scores, "calibration": check.calibration, "shares": simulation.shares, "exposed": exposed}
            shapes = state_shapes(view.exposure["ccode"], year, db=model.store.path).shapes[["ccode", "iso3"]]
            payload = {
                "outcome": view.fit.outcome.spec, "label": view.fit.outcome.label, "year": year, "caption": view.caption,
                "verdict": check.verdict, "check_caption": check.caption, "sources": source_list(view.sources),
                "shapes": table_json(shapes), **{name: table_json(frame) for name, frame in tables.items() if name != "exposed"},
                "exposed": table_json(exposed.head(20)), "gain": table_json(check.gain),
            }
            return {"payload": payload, "tables": tables, "default": "coefficients"}

        return await answer(("diffusion", outcome, ties, years, year, until, horizon, paths, seed), build, format, table, "diffusion")

    return router
