"""The web app: JSON endpoints (described by OpenAPI) and six plain pages.

:func:`create_app` opens the store read-only and returns a FastAPI app.  The
app is an interface: every number comes from the public functions of the
power, networks and sim layers through :class:`~worldorder.web.service.WebModel`,
which keeps computed tables in memory.  Inputs are validated (a 422 with a
message), the work of a request is bounded (paths and horizons capped, years
checked against the data's coverage, one simulation at a time), and no file
path is ever taken from a request.

Each table endpoint answers JSON by default and CSV or Parquet with
``format=csv|parquet`` (``table=`` picks the table when there are several), so
every table shown on a page can be downloaded.

Plotly.js is served from the installed ``plotly`` package and the world map's
shapes from the Natural Earth topology shipped with worldorder: the pages
need no internet.
"""

from __future__ import annotations

import io
import os
import re
import threading
from pathlib import Path
from typing import Literal, Optional

import pandas as pd
from fastapi import Body, FastAPI, Query, Request
from fastapi import Path as PathParameter
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from worldorder.web.service import (
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
    REGION_SCHEMES,
    REQUIRED_DATASETS,
    WEB_MEASURES,
    BadRequest,
    Busy,
    Composite,
    Memo,
    NotFound,
    ScenarioProblems,
    WebModel,
    dumps,
    parse_among,
    parse_rule,
    parse_weights,
    plain,
    table_json,
)

HERE = Path(__file__).parent
PAGES = (
    ("overview", "/", "Overview"),
    ("map", "/map", "Map"),
    ("regions", "/regions", "Regions"),
    ("networks", "/networks", "Networks"),
    ("futures", "/futures", "Futures"),
    ("data", "/data", "Data"),
)
POLE_RULES = ("leader:0.5", "threshold:0.1", "wayman")

Measure = Literal[WEB_MEASURES]  # type: ignore[valid-type]
#: Measures of the timeline and the map: the web measures and a composite of the user's weights.
PowerMeasure = Literal[WEB_MEASURES + ("composite",)]  # type: ignore[valid-type]
POWER_MEASURE_HELP = "Power measure (composite: your weights)."
FORMAT_HELP = "json (the default), or the table as csv or parquet."
TABLE_HELP = "With format=csv or parquet: which table to download."
AMONG_HELP = "Reference set: all, majors, top:K, region:NAME."
RULE_HELP = "Pole rule: leader:R, threshold:T or wayman."
SCHEME_HELP = "Regions: cow (COW regions), cow6 (Oceania apart), un or un_subregion."
LAYER_HELP = "Network layer."
WEIGHTS_HELP = (
    f"Only with measure=composite: component:weight pairs, comma-separated, at most {MAX_COMPOSITE_COMPONENTS} "
    f"(components: {', '.join(COMPOSITE_COMPONENTS)}), e.g. {DEFAULT_WEIGHTS}. Weights are non-negative, at least "
    "one positive; worldorder.power.composite normalises them to sum to 1."
)
BlocLayer = Literal[BLOC_LAYERS]  # type: ignore[valid-type]
DependenceLayer = Literal[DEPENDENCE_LAYERS]  # type: ignore[valid-type]
Scheme = Literal[REGION_SCHEMES]  # type: ignore[valid-type]
Format = Literal["json", "csv", "parquet"]


class ProjectionRequest(BaseModel):
    """A Monte Carlo projection of one power measure."""

    model_config = ConfigDict(extra="forbid")
    measure: Measure = Field("gdp", description="Power measure whose growth is calibrated and simulated.")
    horizon: int = Field(2050, ge=1817, le=MAX_HORIZON, description="Last projected year.")
    paths: int = Field(5000, ge=100, le=MAX_PATHS, description=f"Simulated paths (at most {MAX_PATHS:,} here).")
    seed: int = Field(1, ge=0, le=2**32 - 1, description="Seed: the same seed gives the same numbers.")
    rule: str = Field("leader:0.5", max_length=24, description=RULE_HELP)
    correlation: Literal["region", "factor", "none"] = Field("region", description="Correlation of growth across states.")
    leader: Optional[str] = Field(None, max_length=60, description="Leader (default: the largest state in the base year).")
    challenger: Optional[str] = Field(None, max_length=60, description="Challenger (default: the second largest).")

class ScenarioRequest(BaseModel):
    """A scenario file's text (TOML or YAML), as `worldorder scenario run` reads it."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., min_length=1, max_length=MAX_SCENARIO_CHARS)
    format: Literal["toml", "yaml"] = Field("toml")
    paths: int = Field(2000, ge=100, le=MAX_PATHS, description="Monte Carlo paths of the scenario's projection, if it has one.")


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def plotly_js() -> Path:
    """``plotly.min.js`` bundled with the installed ``plotly`` Python package."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.exists():  # pragma: no cover - depends on the plotly release
        raise FileNotFoundError(f"plotly {plotly.__version__} ships no package_data/plotly.min.js")
    return path


def missing_datasets(store) -> list[str]:
    """Required data sets the store lacks."""
    return [name for name in REQUIRED_DATASETS if not store.has(name)]


def prepare_store(path: str | os.PathLike | None = None, names=REQUIRED_DATASETS, source=None) -> Path:
    """Put the data sets the app reads into the store at ``path`` (as a writer), then close it.

    ``worldorder serve`` calls this first and then opens the file read-only:
    DuckDB grants a read-only connection only while no process writes.

    Parameters
    ----------
    path
        The app's store (default ``$WORLDORDER_DB``).
    names
        Data sets to have (default :data:`~worldorder.web.service.REQUIRED_DATASETS`).
    source
        An open :class:`~worldorder.store.Store` to copy the missing data sets
        from (ingesting them there first if needed) instead of parsing the
        raw files again; the copies keep the source's SHA-256.
    """
    from worldorder.store import Store, default_db_path

    target = Path(path).expanduser() if path is not None else default_db_path()
    store = Store(target)
    try:
        missing = [name for name in names if not store.has(name)]
        if source is None:
            store.ensure(missing)
        else:
            source.ensure(missing)
            for name in missing:
                sha256, _ = source.stamp(name)
                store.put(name, source.table(name), sha256=sha256, origin=f"copy of {Path(source.path).name}")
    finally:
        store.close()
    return target.resolve()


def open_read_only(path: str | os.PathLike | None = None):
    """The store at ``path`` opened read-only; the library's later ``open_store`` calls share it."""
    from worldorder.store import open_store

    return open_store(path, read_only=True)


def create_app(db_path: str | os.PathLike | None = None, warm: bool = True):
    """The FastAPI app over the store at ``db_path`` (default ``$WORLDORDER_DB``), opened read-only.

    Parameters
    ----------
    db_path
        The DuckDB store; it must hold :data:`~worldorder.web.service.REQUIRED_DATASETS`
        (run :func:`prepare_store` or ``worldorder data ingest`` first).
    warm
        Compute the overview's and the map's default tables in a background
        thread at start-up, so that the first visitor does not wait.
    """
    from contextlib import asynccontextmanager

    from worldorder import __version__
    from worldorder.store import StoreError

    store = open_read_only(db_path)
    model = WebModel(store)
    missing = missing_datasets(store)
    responses = Memo(4096)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    health = dumps({"status": "ok", "version": __version__, "read_only": True, "missing": missing})

    def warm_up():
        try:
            model.polarity("cinc", "majors", "leader:0.5")
            model.map_year("cinc", "all", model.coverage("cinc")[1])
            from worldorder.web import geo

            geo.world_topology_json()
            model.eras("cinc", "majors", "leader:0.5")
            model.agreement("majors", AGREEMENT_MEASURES, POLE_RULES)
        except Exception:  # noqa: BLE001 - warming is best effort; requests report their own errors
            pass

    @asynccontextmanager
    async def lifespan(app):
        if warm and not missing:
            threading.Thread(target=warm_up, name="worldorder-warm", daemon=True).start()
        yield

    app = FastAPI(
        title="worldorder",
        version=__version__,
        description=(
            "The international system from real data: power, polarity, regions, blocs, dependence and "
            "simulated futures, with sources cited. Table endpoints answer JSON, or CSV/Parquet with "
            "`format=csv|parquet`. The store is read-only."
        ),
        docs_url=None,  # Swagger UI and ReDoc load their scripts from a CDN: /docs is our own page (web/reference.py)
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.model = model
    app.state.store = store
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # -- errors ------------------------------------------------------------------------------------
    def _known_errors():
        from worldorder import NetworkError, PowerError, SimulationError, UnknownCountryError

        return (PowerError, NetworkError, SimulationError, UnknownCountryError)

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

    for known in _known_errors():
        app.add_exception_handler(known, model_error)

    app.add_middleware(SecurityHeaders)

    # -- responses ---------------------------------------------------------------------------------
    async def answer(key: tuple, build, fmt: str, table: str | None, filename: str):
        """JSON of the view built by ``build`` (cached), or one of its tables as CSV/Parquet."""
        cached = responses.peek((key, fmt, table))
        if cached is None:
            cached = await run_in_threadpool(lambda: responses.get((key, fmt, table), lambda: _render(key, build, fmt, table, filename)))
        content, media, headers_ = cached
        return Response(content=content, media_type=media, headers=headers_)

    views = Memo(1024)

    def _view(build):
        view = build()
        # keep the JSON as bytes, not as lists of Python numbers: fewer objects for the garbage collector to walk
        return {"json": dumps(view.pop("payload")), **view}

    def _render(key, build, fmt, table, filename):
        view = views.get(key, lambda: _view(build))
        if fmt == "json":
            return view["json"], "application/json", {}
        tables = view["tables"]
        name = table or view["default"]
        if name not in tables or tables[name] is None:
            raise BadRequest(f"table={name!r}: this endpoint has the tables {', '.join(k for k, v in tables.items() if v is not None)}.")
        return _download(tables[name], fmt, f"{filename}-{name}")

    def _download(frame: pd.DataFrame, fmt: str, stem: str):
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem)[:120]
        frame = plain(frame)
        if fmt == "csv":
            return frame.to_csv(index=False).encode(), "text/csv; charset=utf-8", {"Content-Disposition": f'attachment; filename="{stem}.csv"'}
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue(), "application/vnd.apache.parquet", {"Content-Disposition": f'attachment; filename="{stem}.parquet"'}

    def caption(info: dict, among: str = "", rule: str = "", note: str = "", sources=None) -> str:
        from worldorder.charts import caption as chart_caption

        measure = info.get("label", "") + (f"; unit: {info['unit']}" if info.get("unit") else "")
        if info.get("notes"):
            measure += f"; {info['notes']}"
        return chart_caption(measure=measure, rule=rule, sources=sources if sources is not None else info.get("sources", ()), among=among, note=note)

    def source_list(names) -> list[dict]:
        from worldorder.data.registry import UnknownDatasetError, get_dataset

        out = []
        for name in dict.fromkeys(names):
            try:
                dataset = get_dataset(name)
                out.append({"name": name, "title": dataset.title, "version": dataset.version, "publisher": dataset.publisher})
            except UnknownDatasetError:
                out.append({"name": str(name), "title": str(name), "version": "", "publisher": ""})
        return out

    def split_list(text: str, what: str, allowed=None, limit: int = 8) -> tuple[str, ...]:
        items = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
        if not items:
            raise BadRequest(f"{what}: give at least one value.")
        if len(items) > limit:
            raise BadRequest(f"{what}: at most {limit} values.")
        if allowed is not None:
            wrong = [i for i in items if i not in allowed]
            if wrong:
                raise BadRequest(f"{what}: unknown {', '.join(wrong)}; choose from {', '.join(allowed)}.")
        return items

    def power_measure(measure: str, weights: str | None):
        """The measure key, or a :class:`Composite` of the checked ``weights`` when ``measure=composite``."""
        if measure == "composite":
            if weights is None or not weights.strip():
                raise BadRequest(f"measure=composite needs weights, e.g. weights={DEFAULT_WEIGHTS}.")
            return parse_weights(weights)
        if weights is not None and weights.strip():
            raise BadRequest(f"weights apply only to measure=composite (measure is {measure}).")
        return measure

    def measure_key(measure) -> str:
        """The measure's key for file names: "composite" for the user's weights."""
        return "composite" if isinstance(measure, Composite) else measure

    def composite_note(measure) -> str:
        """What the caption says of a composite: the weights given and as the library normalises them."""
        if not isinstance(measure, Composite):
            return ""
        given = ", ".join(f"{k} {w:g}" for k, w in measure.weights)
        used = ", ".join(f"{k} {w:.3g}" for k, w in measure.normalised())
        return (f"composite of your weights ({given}), normalised to sum to 1 as worldorder.power.composite does "
                f"({used}); each component is a state's share of the year's total over all states, averaged over "
                "the components the state has (missing: available)")

    def join_notes(*notes: str) -> str:
        return "; ".join(n for n in notes if n)

    # -- API: meta -----------------------------------------------------------------------------------
    @app.get("/api/health", tags=["meta"], summary="Is the app up (and which data sets does the store lack)?")
    async def api_health():
        return Response(content=health, media_type="application/json")

    @app.get("/api/meta", tags=["meta"], summary="Measures with their years, reference sets, rules, layers and limits")
    async def api_meta():
        def build():
            from worldorder.charts import GROUP_COLOURS, PALETTE
            from worldorder.networks import LAYERS
            from worldorder.power import MEASURES

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
                "colours": dict(GROUP_COLOURS), "palette": list(PALETTE),
                "missing": missing,
            }
            return {"payload": payload, "tables": {"measures": pd.DataFrame(measures)}, "default": "measures"}

        return await answer(("meta",), build, "json", None, "meta")

    # -- API: overview -------------------------------------------------------------------------------
    @app.get("/api/timeline", tags=["power"], summary="Polarity year by year, with eras of concentration")
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
            payload = {
                "measure": info, "among": among, "among_text": among_text, "rule": rule, "rule_text": rule_text,
                "coverage": list(covered),
                "caption": caption(info, among_text, rule_text, note=join_notes(composite_note(measure), "eras: change points in CON (PELT, ruptures)")),
                "sources": source_list(info["sources"]),
                "latest": {k: v[0] for k, v in table_json(latest, ["year", "con", "hhi", "effective_poles", "top1_share", "leader", "polarity", "poles", "n"])["data"].items()} if len(latest) else None,
                "polarity": table_json(yearly, ["year", "n", "n_missing", "con", "hhi", "effective_poles", "top1_share", "top2_share", "top_gap", "leader", "second", "n_poles", "poles", "polarity"]),
                "eras": table_json(eras, [c for c in ("era", "start", "end", "years", "mean_con", "mean_top1_share", "polarity", "polarity_share", "leader") if c in eras.columns]),
            }
            return {"payload": payload, "tables": {"polarity": yearly, "eras": eras}, "default": "polarity"}

        name = measure_key(measure)
        return await answer(("timeline", measure, among, rule, first, last), build, format, table, f"timeline-{name}-{among}")

    @app.get("/api/agreement", tags=["power"], summary="How far the polarity label agrees across measures and rules")
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
            table = model.agreement(among, keys, rule_names, composite)
            combos = [c for c in table.columns if "|" in c]
            sources = list(dict.fromkeys(s for m in measured for s in model.measure_info(m)["sources"]))
            payload = {
                "among": among, "measures": [measure_key(m) for m in measured], "rules": table.attrs.get("rules", {}),
                "combinations": combos,
                "caption": caption({"label": ", ".join(model.measure_info(m)["label"] for m in measured)}, table.attrs.get("among", among),
                                   "; ".join(f"{k}: {v}" for k, v in table.attrs.get("rules", {}).items()),
                                   note=join_notes("agreement = share of measure-rule combinations giving the most frequent label",
                                                   composite_note(composite)), sources=sources),
                "sources": source_list(sources),
                "table": table_json(table, ["year", "modal", "agreement", "labels", *combos]),
            }
            return {"payload": payload, "tables": {"agreement": table}, "default": "agreement"}

        return await answer(("agreement", among, keys, rule_names, composite), build, format, None, f"agreement-{among}")

    # -- API: map ------------------------------------------------------------------------------------
    @app.get("/api/map", tags=["power"], summary="Each state's share of power in a year, with the shapes that draw it")
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
            from worldorder.web import geo

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
                "notes": list(geo.MAP_NOTES),
            }
            return {"payload": payload, "tables": {"states": states, "shapes": found["shapes"]}, "default": "states"}

        name = measure_key(measure)
        return await answer(("map", measure, among, year), build, format, table, f"map-{name}-{among}-{year}")

    @app.get("/assets/topojson/world_110m.json", tags=["map"], summary="Natural Earth 1:110m countries as TopoJSON")
    async def topology():
        from worldorder.web import geo

        content = await run_in_threadpool(geo.world_topology_json)
        return Response(content=content, media_type="application/json", headers={"Cache-Control": "public, max-age=86400"})

    # -- API: regions --------------------------------------------------------------------------------
    @app.get("/api/regions", tags=["power"], summary="The leading state of each region by each measure, and since when")
    async def api_regions(
        year: Optional[int] = Query(None, ge=1816, le=MAX_HORIZON, description="Year (default: each measure's last year)."),
        measures: str = Query("cinc,gdp,milex", max_length=200, description="Comma-separated measures (up to 6)."),
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

    @app.get("/api/regions/polarity", tags=["power"], summary="Polarity within each region, year by year")
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

    # -- API: networks -------------------------------------------------------------------------------
    @app.get("/api/network/years", tags=["networks"], summary="Years a layer covers")
    async def api_network_years(layer: BlocLayer = Query("alliance", description=LAYER_HELP)):
        def build():
            years = model.layer_years(layer)
            payload = {"layer": layer, "years": years, "first": years[0], "last": years[-1]}
            return {"payload": payload, "tables": {"years": pd.DataFrame({"year": years})}, "default": "years"}

        return await answer(("network_years", layer), build, "json", None, f"years-{layer}")

    @app.get("/api/network", tags=["networks"], summary="Blocs of a layer in a year (Leiden), drawn, with their share of CINC")
    async def api_network(
        layer: BlocLayer = Query("alliance", description=LAYER_HELP),
        year: int = Query(..., ge=1816, le=MAX_HORIZON, description="Year (checked against the layer's years)."),
        resolution: float = Query(1.0, gt=0.05, le=5.0, description="Leiden resolution (above 1: more, smaller blocs)."),
        runs: int = Query(10, ge=1, le=30, description="Leiden runs for the consensus (1: a single run)."),
        seed: int = Query(0, ge=0, le=2**31 - 1, description="Seed of the Leiden runs: the same seed gives the same blocs."),
        format: Format = Query("json", description=FORMAT_HELP),
        table: Optional[Literal["nodes", "ties", "blocs", "summary"]] = Query(None, description=TABLE_HELP),
    ):
        def build():
            found = model.network(layer, year, resolution, runs, seed)
            info = found["info"]
            from worldorder.charts import caption as chart_caption

            sources = [info["source"]] + (["cow_nmc_7"] if "power_share" in found["blocs"].columns else [])
            payload = {
                "info": info,
                "caption": chart_caption(
                    measure=f"{layer} ties ({info['unit']}); colours are Leiden blocs (seed {seed}, resolution {resolution:g}, "
                            f"{runs} run{'s' if runs > 1 else ''}); sizes are strength; {info['ties_drawn']} of {info['ties']} ties drawn",
                    sources=sources, note="bloc power = share of CINC (COW NMC v7) of the states with a value"),
                "sources": source_list(sources),
                "nodes": table_json(found["nodes"]),
                "ties": table_json(found["ties"]),
                "blocs": table_json(found["blocs"]),
                "summary": table_json(found["summary"]),
            }
            return {"payload": payload, "tables": {k: found[k] for k in ("nodes", "ties", "blocs", "summary")}, "default": "nodes"}

        return await answer(("network", layer, year, resolution, runs, seed), build, format, table, f"network-{layer}-{year}")

    @app.get("/api/dependence", tags=["networks"], summary="Who a state depends on: gas suppliers, or trade with poles")
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
                                   sources=meta["sources"], note=f"by {meta['label']} and {period}; shares sum to one per {period}" + (f"; {meta['note']}" if meta["note"] else "")),
                "sources": source_list(meta["sources"]),
                "table": table_json(table, [c for c in (period, meta["label"], "supplier_ccode", "flow", "trade", "total", "share") if c in table.columns]),
            }
            return {"payload": payload, "tables": {"dependence": table}, "default": "dependence"}

        return await answer(("dependence", country.strip().lower(), layer, by, poles), build, format, None, f"dependence-{country}-{layer}")

    # -- API: futures --------------------------------------------------------------------------------
    def fan(table: pd.DataFrame, index: str) -> dict:
        part = table[table["index"] == index]
        return table_json(part, [c for c in part.columns if c != "index"])

    def downloads(result_id: str, tables) -> dict:
        return {name: {fmt: f"/api/results/{result_id}?table={name}&format={fmt}" for fmt in ("csv", "parquet")} for name in tables}

    @app.post("/api/projection", tags=["futures"], summary="Run a Monte Carlo projection (paths capped)")
    async def api_projection(request: ProjectionRequest = Body(...)):
        params = request.model_dump()
        params["rule"] = parse_rule(params["rule"])

        def build():
            key, result = model.projection(params)
            tables = result.tables
            states = tables.get("states")
            top = result.payload["top_states"]
            payload = {
                "id": key, "kind": "projection", "request": params, **result.payload,
                "caption": caption(result.payload["info"], "all states with a value in the base year", params["rule"],
                                   note=f"{params['paths']:,} paths, seed {params['seed']}, growth calibrated on the 30 years to the base year"),
                "fan": {name: fan(tables["polarity"], name) for name in ("con", "enp", "top_share")},
                "labels": table_json(tables["labels"]),
                "transition": table_json(tables["transition"]),
                "states": table_json(states[states["ccode"].isin(top)]) if states is not None else None,
                "downloads": downloads(key, tables),
            }
            return dumps(payload)

        content = await run_in_threadpool(build)
        return Response(content=content, media_type="application/json")

    @app.post("/api/scenario", tags=["futures"], summary="Validate and run a scenario (TOML or YAML text); baseline and scenario side by side")
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
                "downloads": downloads(key, tables),
            }
            for name in ("gas_dependence", "trade_dependence"):
                if name in tables:
                    part = tables[name]
                    part = part.assign(_size=part["change"].abs()).sort_values("_size", ascending=False).drop(columns="_size").head(25)
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

    @app.get("/api/results/{result_id}", tags=["futures"], summary="A table of a projection or scenario run, for download")
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
        content, media, head = _download(result.tables[table], format, f"{result.kind}-{result_id}-{table}")
        return Response(content=content, media_type=media, headers=head)

    # -- API: data -------------------------------------------------------------------------------------
    @app.get("/api/sources", tags=["data"], summary="Registered data sets: versions, licences, citations and what the store holds")
    async def api_sources(format: Format = Query("json", description=FORMAT_HELP)):
        def build():
            table = model.sources()
            payload = {"table": table_json(table), "required": list(REQUIRED_DATASETS), "missing": missing}
            return {"payload": payload, "tables": {"sources": table}, "default": "sources"}

        return await answer(("sources",), build, format, None, "sources")

    @app.get("/api/sources/{name}/citation", tags=["data"], summary="BibTeX citation of a data set")
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

    # -- pages and assets ------------------------------------------------------------------------------
    plotly_path = plotly_js()

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    async def plotly_script():
        return FileResponse(plotly_path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon():
        return Response(status_code=204)

    def page(name: str, title: str):
        async def render(request: Request):
            return templates.TemplateResponse(
                request, f"{name}.html",
                {"page": name, "title": title, "pages": PAGES, "version": __version__, "missing": missing},
            )

        render.__name__ = f"page_{name}"
        return render

    for name, path, title in PAGES:
        app.add_api_route(path, page(name, title), methods=["GET"], response_class=HTMLResponse, include_in_schema=False)

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    async def api_reference(request: Request):
        from worldorder.web.reference import endpoints

        groups: dict[str, list] = {}
        for endpoint in endpoints(app.openapi()):
            groups.setdefault(endpoint["tag"], []).append(endpoint)
        return templates.TemplateResponse(
            request, "reference.html",
            {"page": "reference", "title": "API reference", "pages": PAGES, "version": __version__, "missing": missing,
             "groups": list(groups.items()), "ready": True},
        )

    return app


class SecurityHeaders:
    """ASGI middleware: a content security policy that allows nothing from outside the app, and two more headers.

    Written as plain ASGI (not ``BaseHTTPMiddleware``) so that it costs a few
    microseconds per request.
    """

    HEADERS = (
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
    )

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                message["headers"] = [*message.get("headers", ()), *(h for h in self.HEADERS if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _plain_errors(errors) -> list[dict]:
    out = []
    for item in errors:
        out.append({"loc": [str(p) for p in item.get("loc", ())], "msg": str(item.get("msg")), "type": str(item.get("type"))})
    return out
