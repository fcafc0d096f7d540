"""Routes of the Regions page: regional leaders and polarity within each region."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query

from worldorder.web.params import (
    FORMAT_HELP,
    MAX_HORIZON,
    POWER_MEASURE_HELP,
    REGION_MEASURES,
    RULE_HELP,
    SCHEME_HELP,
    WEB_MEASURES,
    WEIGHTS_HELP,
    BadRequest,
    Format,
    PowerMeasure,
    Scheme,
    composite_note,
    measure_key,
    parse_rule,
    power_measure,
    split_list,
)
from worldorder.web.tables import table_json


def router(web) -> APIRouter:
    """The routes of this page over the app's shared :class:`~worldorder.web.context.Web`."""
    router = APIRouter()
    model, answer, caption, source_list = web.model, web.answer, web.caption, web.source_list

    @router.get("/api/regions", tags=["power"], summary="The leading state of each region by each measure, and since when")
    async def api_regions(
        year: Optional[int] = Query(None, ge=1816, le=MAX_HORIZON, description="Year (default: each measure's last year)."),
        measures: str = Query(",".join(REGION_MEASURES), max_length=200, description="Comma-separated measures (up to 6)."),
        scheme: Scheme = Query("cow", description=SCHEME_HELP),
        format: Format = Query("json", description=FORMAT_HELP),
    ):
        keys = split_list(measures, "measures", WEB_MEASURES, limit=6)

        def build():
            if year is not None:
                spans = {k: model.coverage(k) for k in keys}
                if not any(a <= year <= b for a, b in spans.values()):
                    raise BadRequest(f"No measure asked has values in {year}: " + ", ".join(f"{k} {a}-{b}" for k, (a, b) in spans.items()) + ".")
            table = model.regional_leaders(year, keys, scheme)
            absent = []
            if year is not None:
                absent = [{"measure": k, "first": a, "last": b} for k, (a, b) in ((k, model.coverage(k)) for k in keys) if not a <= year <= b]
            sources = [s for k in keys for s in model.measure_info(k)["sources"]] + (["countrycode_codelist"] if scheme.startswith("un") else [])
            payload = {
                "year": year, "measures": list(keys), "scheme": scheme, "absent": absent,
                "caption": caption({"label": ", ".join(model.measure_info(k)["label"] for k in keys)}, f"states of each region ({scheme})",
                                   note="share = leader's share of the region's total; since = first year of its current spell as regional leader", sources=sources),
                "sources": source_list(sources),
                "table": table_json(table, ["region", "measure", "year", "leader", "leader_ccode", "share", "second", "second_share", "since", "years_leading", "n", "n_missing", "hhi", "con"]),
            }
            return {"payload": payload, "tables": {"leaders": table}, "default": "leaders"}

        return await answer(("regions", year, keys, scheme), build, format, None, f"regions-{scheme}-{year or 'last'}")

    @router.get("/api/regions/polarity", tags=["power"], summary="Polarity within each region, year by year")
    async def api_regional_polarity(
        measure: PowerMeasure = Query("cinc", description=POWER_MEASURE_HELP),
        weights: Optional[str] = Query(None, max_length=200, description=WEIGHTS_HELP),
        scheme: Scheme = Query("cow", description=SCHEME_HELP),
        rule: str = Query("leader:0.5", max_length=24, description=RULE_HELP),
        year: Optional[int] = Query(None, ge=1816, le=MAX_HORIZON, description="Only this year."),
        format: Format = Query("json", description=FORMAT_HELP),
    ):
        rule = parse_rule(rule)
        measure = power_measure(measure, weights)

        def build():
            table = model.regional_polarity(measure, scheme, rule)
            if year is not None:
                model.check_year(measure, year)
                table = table[table["year"] == year]
            info = model.measure_info(measure)
            payload = {
                "measure": info, "scheme": scheme, "rule": rule, "rule_text": table.attrs.get("rule", rule), "year": year,
                "caption": caption(info, f"each region ({scheme})", table.attrs.get("rule", rule), note=composite_note(measure),
                                   sources=[*info["sources"], *(["countrycode_codelist"] if scheme.startswith("un") else [])]),
                "sources": source_list(info["sources"]),
                "table": table_json(table, ["region", "year", "n", "con", "hhi", "effective_poles", "top1_share", "leader", "n_poles", "poles", "polarity"]),
            }
            return {"payload": payload, "tables": {"polarity": table}, "default": "polarity"}

        name = measure_key(measure)
        return await answer(("regional_polarity", measure, scheme, rule, year), build, format, None, f"regional-polarity-{name}-{scheme}")

    return router
