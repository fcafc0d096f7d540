"""Rolling-origin backtests of the projection against naive baselines: :func:`backtest`.

For every origin year the projection is calibrated on what was known then
(:mod:`worldorder.sim.origins`), simulated to each horizon beside three naive
forecasts (:mod:`worldorder.sim.baselines`), and scored on what happened
(:mod:`worldorder.sim.scores`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from worldorder.sim._polarity import LABELS, con_from_hhi, engine_rule
from worldorder.sim.backends import check_backend, dask_session, run_threads
from worldorder.sim.baselines import bootstrap_shares, random_walk
from worldorder.sim.calibration import GrowthModel, calibrate
from worldorder.sim.comparisons import COMPARED, compare_forecasters
from worldorder.sim.engine import check_paths, chunks_of, count_poles, make_plan
from worldorder.sim.origins import BacktestError, history, outcome_units, parse_horizons, parse_origins, realised, system_at
from worldorder.seeds import DEFAULT_SEED, check_seed
from worldorder.sim.scores import brier, brier_binary, crps_sorted, interval_hits, log_score, pit_values

#: The forecasters of every backtest: the projection and the three naive baselines.
FORECASTERS = ("worldorder", "no_change", "random_walk", "bootstrap")
#: Nominal levels of the central intervals whose coverage is scored.
LEVELS = (0.5, 0.8, 0.9)
#: Bins of the PIT histograms.
PIT_BINS = 10
#: The largest states at each origin whose coverage is also scored on its own (``top5_coverage*``):
#: the poles and challengers that the polarity label and "challenger ahead" turn on.
TOP_STATES = 5
#: Measures a backtest can score, with the columns their models need.
MEASURES = {"gdp": ("gdp", ("maddison_gdppc", "maddison_pop")), "cinc": ("cinc", ()), "gdp_fariss": ("gdp_fariss", ("gdp_fariss_sd",))}
#: The most paths per forecaster and origin: a backtest keeps every path's shares at each horizon.
MAX_BACKTEST_PATHS = 1_000_000
#: Calibration options of the projection scored by default: none beyond :func:`calibrate`'s defaults,
#: which are the settings kept after backtests on origins up to 2000 (docs/simulation.md).
MODEL: dict = {}


@dataclass
class Backtest:
    """The scores of a backtest (see :func:`backtest`).

    Attributes
    ----------
    scores : pandas.DataFrame
        Tidy: ``measure, forecaster, origin, horizon, metric, value, n``; rows
        with ``origin`` missing are pooled over origins.  Metrics:
        ``coverage50/80/90`` (share of realised state shares inside the
        central interval), ``crps_share`` (mean over states), ``crps_con``,
        ``crps_enp``, ``brier_label`` and ``log_label`` (polarity label),
        ``brier_ahead`` and ``log_ahead`` (challenger ahead of the leader),
        and ``top5_coverage50/80/90``, the coverage of the
        :data:`TOP_STATES` largest states at the origin alone.
    coverage : pandas.DataFrame
        ``measure, forecaster, origin, horizon, level, hits, n, coverage``.
    pit : pandas.DataFrame
        ``measure, forecaster, horizon, bin, low, high, count`` pooled over origins.
    events : pandas.DataFrame
        Binary events for reliability diagrams: ``measure, forecaster,
        origin, horizon, event, probability, happened``.
    settings : dict
    """

    scores: pd.DataFrame
    coverage: pd.DataFrame
    pit: pd.DataFrame
    events: pd.DataFrame
    settings: dict

    def summary(self) -> pd.DataFrame:
        """Pooled scores, one row per measure, horizon and forecaster, metrics as columns."""
        pooled = self.scores[self.scores["origin"].isna()]
        wide = pooled.pivot_table(index=["measure", "horizon", "forecaster"], columns="metric", values="value", sort=False)
        wide.columns.name = None
        return wide.reset_index()

    def compare(self, metrics=COMPARED) -> pd.DataFrame:
        """The projection's mean score minus each baseline's, origin by origin, with a Diebold-Mariano test.

        See :func:`~worldorder.sim.comparisons.compare_forecasters`: a negative
        ``difference`` with a small ``p_value`` is a win beyond chance.
        """
        return compare_forecasters(self.scores, self.settings["origins"], metrics)

    @cached_property
    def pooled_figures(self) -> list[dict]:
        """Per measure and horizon, the pooled figures a track record states (JSON-able), computed once.

        The projection's coverage (all states and the :data:`TOP_STATES` largest),
        its CRPS of shares beside each baseline's with the paired test's p
        (:meth:`compare`), the Brier scores of the label and of "challenger
        ahead" beside no change's with their p, and the origins scored.
        """
        baselines = FORECASTERS[1:]
        summary = self.summary()
        paired = self.compare(["crps_share", "brier_label", "brier_ahead"]).set_index(["measure", "horizon", "metric", "baseline"])
        per_origin = self.scores[self.scores["origin"].notna() & (self.scores["metric"] == "crps_share")
                                 & (self.scores["forecaster"] == "worldorder")]
        scored = per_origin.groupby(["measure", "horizon"])["origin"].apply(lambda years: sorted(int(y) for y in years))
        rows = []
        for (measure, horizon), group in summary.groupby(["measure", "horizon"], sort=True):
            by = group.set_index("forecaster")
            model = by.loc["worldorder"]
            test = lambda metric, baseline: _finite(paired.loc[(measure, horizon, metric, baseline), "p_value"])  # noqa: E731
            rows.append({
                "measure": measure, "horizon": int(horizon), "origins": scored.loc[(measure, horizon)],
                **{f"coverage{lv}": float(model[f"coverage{lv}"]) for lv in (50, 80, 90)},
                **{f"top{TOP_STATES}_coverage{lv}": float(model[f"top{TOP_STATES}_coverage{lv}"]) for lv in (50, 80)},
                "crps_share": float(model["crps_share"]),
                **{f"crps_share_{b}": float(by.loc[b, "crps_share"]) for b in baselines},
                **{f"p_crps_share_{b}": test("crps_share", b) for b in baselines},
                **{f"brier_{event}{suffix}": float(by.loc[who, f"brier_{event}"])
                   for event in ("label", "ahead") for who, suffix in (("worldorder", ""), ("no_change", "_no_change"))},
                **{f"p_brier_{event}_no_change": test(f"brier_{event}", "no_change") for event in ("label", "ahead")},
            })
        return rows


def _finite(value) -> float | None:
    """A float for JSON, None where a test could not be computed."""
    value = float(value)
    return value if value == value else None


def _seed(seed: int, measure: str, origin: int) -> int:
    key = [int(seed), int(origin), sum(ord(c) for c in measure)]
    return int(np.random.SeedSequence(key).generate_state(1, np.uint32)[0])


def _load(measure: str, db=None) -> tuple[pd.DataFrame, str, dict]:
    if measure not in MEASURES:
        raise BacktestError(f"Backtests cover the measures {', '.join(MEASURES)}, not {measure!r}.")
    from worldorder.power import create_power_years

    column, extra = MEASURES[measure]
    table = create_power_years([measure], majors=False, db=db)
    info = dict(table.attrs.get("measures", {}).get(column, {}))
    table = table[["ccode", "year", column, *extra]]
    table = table[table[column] > 0]
    info["last_year"] = int(table["year"].max())
    return table.reset_index(drop=True), column, info


def forecast_model(known: pd.DataFrame, value: str, origin: int, options: dict) -> GrowthModel:
    """The projection's growth model at ``origin`` from the rows ``known`` then (years up to ``origin``)."""
    if int(known["year"].max()) > origin:
        raise BacktestError(f"Data after the origin {origin} reached the calibration.")
    options = dict(options)
    convergence = options.pop("convergence", False)
    model = calibrate(known, value=value, base_year=origin, **options)
    if convergence and {"maddison_gdppc", "maddison_pop"} <= set(known.columns):  # GDP = GDP per capita x population
        from worldorder.sim.trajectories import convergence_trend

        model = convergence_trend(model, known, origin)
    return model


def _engine_shares(model: GrowthModel, steps: list[int], paths: int, seed: int, rule: str, workers: int) -> np.ndarray:
    plan = make_plan(model, model.base_year + max(steps), paths, seed, rule, None, None, False, "table", None,
                     record=[model.base_year + s for s in steps], summaries=False)
    total, _ = run_threads(plan, chunks_of(plan, None), workers, lambda label: None)
    return total.recorded()


def forecast_shares(known: pd.DataFrame, value: str, origin: int, steps: list[int], paths: int, seed: int,
                    rule: str, options: dict, workers: int = 1) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Each forecaster's simulated shares of the origin's states at ``origin + steps``.

    Returns the states' codes and ``{forecaster: (len(steps), samples, states)}``
    (no change has one sample).  Only ``known`` (years up to the origin) is read.
    """
    model = forecast_model(known, value, origin, options)
    codes, base = model.ccode, model.base
    share = (base / base.sum()).astype(np.float32)
    walk = random_walk(known, value, codes, base, origin)
    return codes, {
        "worldorder": _engine_shares(model, steps, paths, seed, rule, workers),
        "no_change": np.broadcast_to(share, (len(steps), 1, len(codes))),
        "random_walk": _engine_shares(walk, steps, paths, seed + 1, rule, workers),
        "bootstrap": bootstrap_shares(known, value, codes, base, origin, steps, paths, seed + 2),
    }


def score_origin(table: pd.DataFrame, value: str, measure: str, origin: int, horizons: list[int], paths: int,
                 seed: int, rule: str, options: dict, workers: int = 1) -> dict[str, list]:
    """Forecast from ``origin`` with each forecaster and score every horizon that the data reach."""
    last = int(table["year"].max())
    steps = [h for h in horizons if origin + h <= last]
    out = {"scores": [], "coverage": [], "pit": [], "events": []}
    if not steps:
        return out
    known = history(table, origin)
    present = system_at(known, value, origin)["ccode"]
    known = known[known["ccode"].isin(present)]
    codes, samples = forecast_shares(known, value, origin, steps, paths, _seed(seed, measure, origin), rule, options, workers)
    kind, threshold, _ = engine_rule(rule)
    base = known[known["year"] == origin].set_index("ccode")[value].reindex(codes).to_numpy(float)
    for r, h in enumerate(steps):
        unit_of, unit_of_code = outcome_units(codes, origin, origin + h)
        units = int(unit_of.max()) + 1
        indicator = np.zeros((len(codes), units), np.float32)
        indicator[np.arange(len(codes)), unit_of] = 1.0
        actual = realised(table, value, origin + h, unit_of_code, units)
        scored = np.isfinite(actual)
        y = actual[scored] / actual[scored].sum()
        start = (base @ indicator)[scored]
        order = np.argsort(-start, kind="stable")
        largest = order[:TOP_STATES]  # leader first, then the challenger
        merged = units < len(codes)
        for name, sample in samples.items():
            s = np.asarray(sample[r], np.float32)
            s = s @ indicator if merged else s[:, np.argsort(unit_of)]  # units in unit order
            s = s[:, scored]
            s /= s.sum(axis=1, keepdims=True)
            _score(out, measure, name, origin, h, s, y, largest, kind, threshold)
    return out


def _concentration(shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    hhi = np.sum(np.asarray(shares, np.float64) ** 2, axis=-1)
    return con_from_hhi(hhi, shares.shape[-1]), 1.0 / hhi


def _label(shares: np.ndarray, kind: str, threshold: float) -> np.ndarray:
    shares = np.atleast_2d(shares)
    poles = count_poles(shares, np.ones(len(shares)), shares.max(axis=1), kind, threshold)
    return np.minimum(poles, len(LABELS) - 1)


def _score(out, measure, name, origin, h, s, y, largest, kind, threshold) -> None:
    """Score one forecaster's samples ``s`` (paths x states) against the shares ``y``; ``largest``: the biggest at the origin, leader first."""
    key = {"measure": measure, "forecaster": name, "origin": origin, "horizon": h}
    ordered = np.sort(s, axis=0)
    n = len(y)
    rows = out["scores"]
    lead, chal = int(largest[0]), int(largest[1])
    for level in LEVELS:
        inside = interval_hits(ordered, y, level)
        hits = int(inside.sum())
        out["coverage"].append({**key, "level": level, "hits": hits, "n": n})
        rows.append({**key, "metric": f"coverage{round(level * 100)}", "value": hits / n, "n": n})
        rows.append({**key, "metric": f"top{TOP_STATES}_coverage{round(level * 100)}", "value": float(inside[largest].mean()),
                     "n": len(largest)})
    rows.append({**key, "metric": "crps_share", "value": float(crps_sorted(ordered, y).mean()), "n": n})
    con, enp = _concentration(s)
    con_y, enp_y = _concentration(y)
    rows.append({**key, "metric": "crps_con", "value": float(crps_sorted(np.sort(con)[:, None], np.array([con_y]))[0]), "n": 1})
    rows.append({**key, "metric": "crps_enp", "value": float(crps_sorted(np.sort(enp)[:, None], np.array([enp_y]))[0]), "n": 1})
    labels = _label(s, kind, threshold)
    probs = np.bincount(labels, minlength=len(LABELS)) / len(labels)
    happened = int(_label(y, kind, threshold)[0])
    rows.append({**key, "metric": "brier_label", "value": brier(probs, happened), "n": 1})
    rows.append({**key, "metric": "log_label", "value": log_score(probs[happened]), "n": 1})
    p_ahead = float(np.mean(s[:, chal] > s[:, lead]))
    ahead = bool(y[chal] > y[lead])
    rows.append({**key, "metric": "brier_ahead", "value": brier_binary(p_ahead, ahead), "n": 1})
    rows.append({**key, "metric": "log_ahead", "value": log_score(p_ahead if ahead else 1.0 - p_ahead), "n": 1})
    for j, label in enumerate(LABELS):
        out["events"].append({**key, "event": label, "probability": float(probs[j]), "happened": happened == j})
    out["events"].append({**key, "event": "challenger_ahead", "probability": p_ahead, "happened": ahead})
    counts = np.histogram(pit_values(ordered, y), bins=PIT_BINS, range=(0.0, 1.0))[0]
    out["pit"].extend({**key, "bin": b, "count": int(c)} for b, c in enumerate(counts))


def _pooled(scores: pd.DataFrame, coverage: pd.DataFrame, pit: pd.DataFrame):
    keys = ["measure", "forecaster", "horizon"]
    cov = coverage.groupby([*keys, "level"], sort=False)[["hits", "n"]].sum().reset_index()
    cov["origin"] = pd.NA
    coverage = pd.concat([coverage, cov], ignore_index=True)
    coverage["coverage"] = coverage["hits"] / coverage["n"]
    rest = scores[~scores["metric"].str.startswith("coverage")]
    weighted = rest.assign(total=rest["value"] * rest["n"]).groupby([*keys, "metric"], sort=False)[["total", "n"]].sum().reset_index()
    weighted["value"] = weighted["total"] / weighted["n"]
    from_cov = cov.assign(metric=cov["level"].map(lambda v: f"coverage{round(v * 100)}"), value=cov["hits"] / cov["n"])
    pooled = pd.concat([weighted.drop(columns="total"), from_cov[[*keys, "metric", "value", "n"]]], ignore_index=True)
    pooled["origin"] = pd.NA
    scores = pd.concat([scores, pooled[scores.columns]], ignore_index=True)
    scores["origin"] = scores["origin"].astype("Int64")
    coverage["origin"] = coverage["origin"].astype("Int64")
    pit = pit.groupby([*keys, "bin"], sort=False)["count"].sum().reset_index()
    pit["low"] = pit["bin"] / PIT_BINS
    pit["high"] = (pit["bin"] + 1) / PIT_BINS
    return scores, coverage[["measure", "forecaster", "origin", "horizon", "level", "hits", "n", "coverage"]], pit


def backtest(
    measures="gdp,cinc",
    origins="1960-2000/5",
    horizons="5,10,20,30",
    paths: int = 20_000,
    seed: int = DEFAULT_SEED,
    rule: str = "leader:0.5",
    model: dict | None = None,
    workers: int | None = None,
    backend: str = "threads",
    scheduler: str | None = None,
    client=None,
    tables: dict[str, pd.DataFrame] | None = None,
    db=None,
) -> Backtest:
    """Backtest the projection from past origins against naive baselines.

    Parameters
    ----------
    measures : str or list
        ``"gdp"`` (Maddison) and/or ``"cinc"`` (COW NMC).
    origins : str or list
        Origin years: ``"1960-2000/5"``, ``"1970,1990"`` or a list.
    horizons : str or list
        Years ahead to score; a horizon past the data's last year is skipped for that origin.
    paths : int
        Simulated paths per forecaster and origin.
    seed : int
        Seed (default :data:`worldorder.seeds.DEFAULT_SEED`); each measure and origin draws from its own stream.
    rule : str
        Pole rule of the polarity label (``"leader:0.5"``).
    model : dict, optional
        Options of the projection's calibration (default :data:`MODEL`):
        ``parameter_uncertainty``, ``drift_instability``, ``shock_df``,
        ``convergence`` (GDP only: it needs GDP per capita and population) and
        those of :func:`~worldorder.sim.calibration.calibrate`.
    workers : int, optional
        Origins computed side by side on local threads (default 2), or with
        ``backend="dask"`` the workers of a new local Dask cluster (default 2).
    backend : {"threads", "dask"}
        ``"dask"`` runs every origin as a task on a Dask cluster (a new local
        one, or ``scheduler``'s, or ``client``'s); ``scheduler`` or ``client``
        imply it.  The scores are the same on every backend.
    scheduler : str, optional
        A Dask scheduler address: origins run as tasks on its workers.
    client : distributed.Client, optional
        A Dask client to run origins on.
    tables : dict, optional
        ``{measure: table}`` to use instead of loading the measure (tests).

    Returns
    -------
    Backtest

    Notes
    -----
    No look-ahead: each origin's forecasts are computed from
    ``history(table, origin)`` alone (values up to the origin, of the states
    in the system that year); later values are read only to score.  Scores
    follow Gneiting & Raftery (2007); coverage counts the realised shares of
    the origin's states (successions mapped) inside each central interval.

    References
    ----------
    Gneiting, T. & Raftery, A. E. 2007. Strictly proper scoring rules,
    prediction, and estimation. *JASA* 102(477): 359-378.
    Hegre, H. et al. 2019. ViEWS: a political violence early-warning system.
    *Journal of Peace Research* 56(2): 155-174.
    """
    started = time.perf_counter()
    names = list(dict.fromkeys(m.strip() for m in (measures.split(",") if isinstance(measures, str) else measures) if m.strip()))
    if not names:
        raise BacktestError(f"Give at least one measure to backtest: {', '.join(MEASURES)}.")
    years, steps = parse_origins(origins), parse_horizons(horizons)
    check_paths(paths, least=10, most=MAX_BACKTEST_PATHS, why=" per forecaster (a backtest keeps every path's shares)")
    check_seed(seed)
    check_backend(workers, scheduler)
    options = dict(MODEL if model is None else model)
    engine_rule(rule)
    loaded = {}
    for name in names:
        if tables is not None and name in tables:
            table = tables[name]
            value = MEASURES.get(name, (name,))[0]
            loaded[name] = (table, value, {"sources": [], "last_year": int(table["year"].max())})
        else:
            loaded[name] = _load(name, db)
    for name, (table, _, _) in loaded.items():
        earliest = int(table["year"].min()) + int(options.get("min_obs", 10))
        if years[0] < earliest:
            raise BacktestError(
                f"Origin {years[0]} is too early for {name}: its data start in {int(table['year'].min())}, and the "
                f"projection calibrates on the growth of the years before an origin; give origins from {earliest} on."
            )
    jobs = [(name, origin) for name in names for origin in years]
    if backend not in ("threads", "dask"):
        raise BacktestError(f"backend must be 'threads' or 'dask', not {backend!r}.")
    use_dask = backend == "dask" or scheduler is not None or client is not None
    args = lambda name, origin: (loaded[name][0], loaded[name][1], name, origin, steps, paths, seed, rule, options)  # noqa: E731
    if use_dask:
        with dask_session(client, scheduler, workers) as session:
            parts = session.gather([session.submit(score_origin, *args(name, origin), 1, pure=False) for name, origin in jobs])
    else:
        threads = int(workers or 2)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=threads) as pool:  # origins side by side, one engine thread each
            parts = list(pool.map(lambda job: score_origin(*args(*job), 1), jobs))
    merged = {key: [row for part in parts for row in part[key]] for key in ("scores", "coverage", "pit", "events")}
    if not merged["scores"]:
        raise BacktestError(f"No origin in {years[0]}-{years[-1]} has an outcome within the data for horizons {steps}.")
    scores, coverage, pit = _pooled(*(pd.DataFrame(merged[k]) for k in ("scores", "coverage", "pit")))
    settings = {
        "measures": {name: {"column": loaded[name][1], **loaded[name][2]} for name in names},
        "origins": years, "horizons": steps, "paths": paths, "seed": seed, "rule": rule, "model": options,
        "backend": "dask" if use_dask else f"threads:{int(workers or 2)}",
        "seconds": time.perf_counter() - started,
    }
    return Backtest(scores, coverage, pit, pd.DataFrame(merged["events"]), settings)
