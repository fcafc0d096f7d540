"""Routes of the Networks page: a layer's years, its blocs in a year, and who a state depends on."""

from __future__ import annotations

from typing import Literal, Optional

import pandas as pd
from fastapi import APIRouter, Query

from worldorder import DEFAULT_SEED
from worldorder.web.params import (
    FORMAT_HELP,
    LAYER_HELP,
    MAX_HORIZON,
    TABLE_HELP,
    BlocLayer,
    DependenceLayer,
    Format,
    split_list,
)
from worldorder.web.tables import table_json


def router(web) -> APIRouter:
    """The routes of this page over the app's shared :class:`~worldorder.web.context.Web`."""
    router = APIRouter()
    model, answer, caption, source_list = web.model, web.answer, web.caption, web.source_list

    @router.get("/api/network/years", tags=["networks"], summary="Years a layer covers")
    async def api_network_years(layer: BlocLayer = Query("alliance", description=LAYER_HELP)):
        def build():
            years = model.layer_years(layer)
            payload = {"layer": layer, "years": years, "first": years[0], "last": years[-1]}
            return {"payload": payload, "tables": {"years": pd.DataFrame({"year": years})}, "default": "years"}

        return await answer(("network_years", layer), build, "json", None, f"years-{layer}")

    @router.get("/api/network", tags=["networks"], summary="Blocs of a layer in a year (Leiden), drawn, with their share of CINC")
    async def api_network(
        layer: BlocLayer = Query("alliance", description=LAYER_HELP),
        year: int = Query(..., ge=1816, le=MAX_HORIZON, description="Year (checked against the layer's years)."),
        resolution: float = Query(1.0, gt=0.05, le=5.0, description="Leiden resolution (above 1: more, smaller blocs)."),
        runs: int = Query(10, ge=1, le=30, description="Leiden runs for the consensus (1: a single run)."),
        seed: int = Query(DEFAULT_SEED, ge=0, le=2**31 - 1, description="Seed of the Leiden runs: the same seed gives the same blocs."),
        format: Format = Query("json", description=FORMAT_HELP),
        table: Optional[Literal["nodes", "ties", "blocs", "summary"]] = Query(None, description=TABLE_HELP),
    ):
        def build():
            found = model.network(layer, year, resolution, runs, seed)
            info = found["info"]
            from worldorder import caption as chart_caption

            sources = [info["source"]] + (["cow_nmc_7"] if "power_share" in found["blocs"].columns else [])
            ties = info.get("tie_types") or f"{layer} ties"
            blocs_text = (f"colours are Leiden blocs of {ties} (seed {seed}, resolution {resolution:g}, {runs} run{'s' if runs > 1 else ''}), "
                          "ordered and named by their members' CINC")
            payload = {
                "info": info,
                "caption": chart_caption(
                    measure=f"{ties} ({info['unit']}); {blocs_text}; sizes are CINC; {info['ties_drawn']} of {info['ties']} ties drawn; "
                            "only the largest states are labelled",
                    sources=sources, note="bloc power = share of CINC (COW NMC v7) of the states with a value"),
                "map_caption": chart_caption(
                    measure=f"{blocs_text}; today's borders (Natural Earth 1:110m), states of the past drawn with their present-day territory",
                    sources=[*sources, "countrycode_codelist"],
                    note=("Too small for the map: " + ", ".join(found["too_small"])) if found["too_small"] else ""),
                "sources": source_list(sources),
                "legend": table_json(found["legend"]),
                "shapes": table_json(found["shapes"]),
                "nodes": table_json(found["nodes"]),
                "ties": table_json(found["ties"]),
                "blocs": table_json(found["blocs"]),
                "summary": table_json(found["summary"]),
            }
            return {"payload": payload, "tables": {k: found[k] for k in ("nodes", "ties", "blocs", "summary")}, "default": "nodes"}

        return await answer(("network", layer, year, resolution, runs, seed), build, format, table, f"network-{layer}-{year}")

    @router.get("/api/openness", tags=["networks"], summary="World trade openness: the World Bank series to its last year beside the COW series to 2014")
    async def api_openness(format: Format = Query("json", description=FORMAT_HELP)):
        def build():
            from worldorder import OPENNESS_SOURCES, load_openness, openness_chart

            table = load_openness(db=model.store.path)[["year", "openness_wb", "openness", "states_both"]]
            table = table.dropna(subset=["openness_wb", "openness"], how="all").reset_index(drop=True)
            chart = openness_chart(table)
            series = [{"name": s.name, "x": s.x, "y": s.y} for s in chart.series]
            last = {s["name"]: s["x"][-1] for s in series}
            payload = {"title": chart.title, "ylabel": chart.ylabel, "caption": chart.caption, "series": series, "last": last,
                       "sources": source_list(n for names in OPENNESS_SOURCES.values() for n in names), "table": table_json(table)}
            return {"payload": payload, "tables": {"openness": table}, "default": "openness"}

        return await answer(("openness",), build, format, None, "openness")

    @router.get("/api/dependence", tags=["networks"], summary="Who a state depends on: gas suppliers, or trade with poles")
    async def api_dependence(
        country: str = Query(..., min_length=1, max_length=60, description="Name, ISO3 code, COW code or abbreviation."),
        layer: DependenceLayer = Query("gas", description="gas (IEA border points), gas_bp (bp pipeline table) or trade."),
        by: Literal["year", "month"] = Query("year", description="Gas (IEA): by year or by month."),
        partners: str = Query("USA,CHN,RUS", max_length=200, description="Trade: the poles, comma-separated (up to 6)."),
        format: Format = Query("json", description=FORMAT_HELP),
    ):
        poles = split_list(partners, "partners", limit=6) if layer == "trade" else ()

        def build():
            table, meta = model.dependence(country, layer, by, poles)
            period = meta["period"]
            payload = {
                **meta, "layer": layer, "partners": list(poles),
                "caption": caption({"label": f"{meta['value']} of {meta['name']} ({meta['stateabb']})"},
                                   sources=meta["sources"], note=f"By {meta['label']} and {period}; shares sum to one per {period}; flows in {meta['flow_unit']}" + (f"; {meta['note']}" if meta["note"] else "")),
                "sources": source_list(meta["sources"]),
                "table": table_json(table, [c for c in (period, meta["label"], "supplier_ccode", "flow", "trade", "total", "share") if c in table.columns]),
            }
            return {"payload": payload, "tables": {"dependence": table}, "default": "dependence"}

        return await answer(("dependence", country.strip().lower(), layer, by, poles), build, format, None, f"dependence-{country}-{layer}")

    return router
