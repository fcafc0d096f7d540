"""Routes of the app itself: health, and what the app offers (measures, rules, layers, limits)."""

from __future__ import annotations

import pandas as pd
from fastapi import APIRouter
from fastapi.responses import Response

from worldorder.web.params import (
    AGREEMENT_MEASURES,
    BLOC_LAYERS,
    COMPOSITE_COMPONENTS,
    COW_REGIONS,
    DEFAULT_WEIGHTS,
    DEPENDENCE_LAYERS,
    MAX_COMPOSITE_COMPONENTS,
    MAX_HORIZON,
    MAX_PATHS,
    MAX_SCENARIO_CHARS,
    POLE_RULES,
    REGION_MEASURES,
    REGION_SCHEMES,
    WEB_MEASURES,
)
from worldorder.web.tables import dumps


def router(web) -> APIRouter:
    """The routes of this page over the app's shared :class:`~worldorder.web.context.Web`."""
    router = APIRouter()
    model, answer, missing, __version__ = web.model, web.answer, web.missing, web.version
    health = dumps({"status": "ok", "version": __version__, "read_only": True, "missing": missing})

    @router.get("/api/health", tags=["meta"], summary="Is the app up (and which data sets does the store lack)?")
    async def api_health():
        return Response(content=health, media_type="application/json")

    @router.get("/api/meta", tags=["meta"], summary="Measures with their years, reference sets, rules, layers and limits")
    async def api_meta():
        def build():
            from worldorder import LABEL_COLOURS, MEASURE_COLOURS, PALETTE
            from worldorder import LAYERS
            from worldorder import MEASURES

            measures = []
            for key in WEB_MEASURES:
                info = model.measure_info(key)
                first, last = model.coverage(key)
                measures.append({"key": key, "label": info["label"], "description": MEASURES[key].description,
                                 "unit": info["unit"], "first": first, "last": last, "sources": info["sources"]})
            payload = {
                "version": __version__,
                "measures": measures,
                "among": {"fixed": ["all", "majors"], "top": [2, 50], "regions": list(COW_REGIONS)},
                "rules": list(POLE_RULES),
                "composite": {
                    "components": [{"key": k, "label": MEASURES[k].description} for k in COMPOSITE_COMPONENTS],
                    "max_components": MAX_COMPOSITE_COMPONENTS, "default": DEFAULT_WEIGHTS, "normalised": True,
                },
                "agreement_measures": list(AGREEMENT_MEASURES),
                "layers": [{"key": k, "description": LAYERS[k][1], "sources": list(LAYERS[k][0])} for k in BLOC_LAYERS],
                "dependence_layers": list(DEPENDENCE_LAYERS),
                "region_schemes": list(REGION_SCHEMES),
                "limits": {"paths": MAX_PATHS, "horizon": MAX_HORIZON, "scenario_chars": MAX_SCENARIO_CHARS},
                "colours": dict(LABEL_COLOURS), "measure_colours": dict(MEASURE_COLOURS), "palette": list(PALETTE),
                "missing": missing,
                "defaults": {"regions_measures": list(REGION_MEASURES),
                             "regions_year": min(model.coverage(k)[1] for k in REGION_MEASURES)},
            }
            return {"payload": payload, "tables": {"measures": pd.DataFrame(measures)}, "default": "measures"}

        return await answer(("meta",), build, "json", None, "meta")

    return router
