"""Routes of the Overview page: polarity year by year with its eras, and the agreement of measures and rules."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Query

from worldorder.web.params import (
    AGREEMENT_MEASURES,
    AMONG_HELP,
    FORMAT_HELP,
    MAX_HORIZON,
    POLE_RULES,
    POWER_MEASURE_HELP,
    RULE_HELP,
    WEB_MEASURES,
    WEIGHTS_HELP,
    BadRequest,
    Format,
    PowerMeasure,
    composite_note,
    join_notes,
    measure_key,
    parse_among,
    parse_rule,
    parse_weights,
    power_measure,
    split_list,
)
from worldorder.web.tables import table_json


def router(web) -> APIRouter:
    """The routes of this page over the app's shared :class:`~worldorder.web.context.Web`."""
    router = APIRouter()
    model, answer, caption, source_list = web.model, web.answer, web.caption, web.source_list

    @router.get("/api/timeline", tags=["power"], summary="Polarity year by year, with eras of concentration")
    async def api_timeline(
        measure: PowerMeasure = Query("cinc", description=POWER_MEASURE_HELP),
        weights: Optional[str] = Query(None, max_length=200, description=WEIGHTS_HELP),
        among: str = Query("majors", max_length=40, description=AMONG_HELP),
        rule: str = Query("leader:0.5", max_length=24, description=RULE_HELP),
        first: Optional[int] = Query(None, ge=1816, le=MAX_HORIZON, description="First year shown."),
        last: Optional[int] = Query(None, ge=1816, le=MAX_HORIZON, description="Last year shown."),
        format: Format = Query("json", description=FORMAT_HELP),
        table: Optional[Literal["polarity", "eras"]] = Query(None, description="Table to download (csv, parquet)."),
    ):
        among, rule = parse_among(among), parse_rule(rule)
        measure = power_measure(measure, weights)
        if first is not None and last is not None and first > last:
            raise BadRequest(f"first={first} is after last={last}.")

        def build():
            covered = model.coverage(measure)
            if (first is not None and first > covered[1]) or (last is not None and last < covered[0]):
                raise BadRequest(f"{str(measure)} has values from {covered[0]} to {covered[1]}; the years asked are outside them.")
            yearly = model.polarity(measure, among, rule)
            eras = model.eras(measure, among, rule)
            if first is not None or last is not None:
                low, high = first or 1816, last or MAX_HORIZON
                yearly = yearly[(yearly["year"] >= low) & (yearly["year"] <= high)]
                eras = eras[(eras["end"] >= low) & (eras["start"] <= high)] if len(eras) else eras
            info = model.measure_info(measure)
            among_text = yearly.attrs.get("among", among)
            rule_text = yearly.attrs.get("rule", rule)
            latest = yearly[yearly["con"].notna()].tail(1)
            if len(latest) and "leader_ccode" in latest.columns and latest["leader_ccode"].notna().iloc[0]:
                from worldorder import state_names

                names = state_names(int(latest["year"].iloc[0]), db=model.store.path)  # the leader's name in that year
                latest = latest.assign(leader_name=names.get(int(latest["leader_ccode"].iloc[0])))
            payload = {
                "measure": info, "among": among, "among_text": among_text, "rule": rule, "rule_text": rule_text,
                "coverage": list(covered),
                "caption": caption(info, among_text, rule_text, note=join_notes(composite_note(measure), "eras: change points in CON (PELT)")),
                "sources": source_list(info["sources"]),
                "latest": {k: v[0] for k, v in table_json(latest, [c for c in ("year", "con", "hhi", "effective_poles", "top1_share", "leader", "leader_name", "polarity", "poles", "n") if c in latest.columns])["data"].items()} if len(latest) else None,
                "polarity": table_json(yearly, ["year", "n", "n_missing", "con", "hhi", "effective_poles", "top1_share", "top2_share", "top_gap", "leader", "second", "n_poles", "poles", "polarity"]),
                "eras": table_json(eras, [c for c in ("era", "start", "end", "years", "mean_con", "mean_top1_share", "polarity", "polarity_share", "leader") if c in eras.columns]),
            }
            return {"payload": payload, "tables": {"polarity": yearly, "eras": eras}, "default": "polarity"}

        name = measure_key(measure)
        return await answer(("timeline", measure, among, rule, first, last), build, format, table, f"timeline-{name}-{among}")

    @router.get("/api/agreement", tags=["power"], summary="How far the polarity label agrees across measures and rules")
    async def api_agreement(
        among: str = Query("majors", max_length=40, description=AMONG_HELP),
        measures: str = Query(",".join(AGREEMENT_MEASURES), max_length=200, description="Comma-separated measures (up to 6)."),
        rules: str = Query(",".join(POLE_RULES), max_length=120, description="Comma-separated pole rules (up to 4)."),
        weights: Optional[str] = Query(None, max_length=200, description="Also a composite of these weights among the measures. " + WEIGHTS_HELP),
        format: Format = Query("json", description=FORMAT_HELP),
    ):
        among = parse_among(among)
        keys = split_list(measures, "measures", WEB_MEASURES, limit=6)
        rule_names = tuple(parse_rule(r) for r in split_list(rules, "rules", limit=4))
        composite = parse_weights(weights) if weights is not None and weights.strip() else None
        measured = [*keys, *([composite] if composite is not None else [])]

        def build():
            from worldorder import agreement_support

            table = model.agreement(among, keys, rule_names, composite)
            support = agreement_support(table)  # no agreement where fewer than two measures have data
            table = table.assign(measures=support["measures"].to_numpy(), agreement=support["agreement"].to_numpy())
            combos = [c for c in table.columns if "|" in c]
            sources = list(dict.fromkeys(s for m in measured for s in model.measure_info(m)["sources"]))
            payload = {
                "among": among, "measures": [measure_key(m) for m in measured], "rules": table.attrs.get("rules", {}),
                "combinations": combos,
                "caption": caption({"label": ", ".join(model.measure_info(m)["label"] for m in measured)}, table.attrs.get("among", among),
                                   "; ".join(f"{k}: {v}" for k, v in table.attrs.get("rules", {}).items()),
                                   note=join_notes("agreement = share of measure-rule combinations giving the most frequent label; "
                                                   "measures = how many measures have data in the year; no agreement where fewer than two do",
                                                   composite_note(composite)), sources=sources),
                "sources": source_list(sources),
                "table": table_json(table, ["year", "modal", "agreement", "measures", "labels", *combos]),
            }
            return {"payload": payload, "tables": {"agreement": table}, "default": "agreement"}

        return await answer(("agreement", among, keys, rule_names, composite), build, format, None, f"agreement-{among}")

    return router
