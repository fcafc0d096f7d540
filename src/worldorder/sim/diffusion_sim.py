"""Transitions drawn forward from a fitted diffusion model along current ties, in seeded blocks of paths."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.seeds import DEFAULT_SEED
from worldorder.sim.diffusion_fit import DiffusionFit, control_table, run_lengths
from worldorder.sim.diffusion_outcomes import DiffusionError, outcome_years
from worldorder.sim.diffusion_ties import load_ties
from worldorder.sim.engine import BLOCK

_SHOCK = re.compile(r"^\s*(?:state\s+)?(.+?)\s+switches\s+in\s+(\d{4})\s*$", re.IGNORECASE)
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class Plan:
    """Everything a block of paths needs (small and picklable, for Dask workers)."""

    entropy: int
    paths: int
    steps: int
    y0: np.ndarray  # (n,) 0/1
    d0: np.ndarray  # (n,) years in the current state at the start
    MT: np.ndarray  # (n, 2n) float32: exposure coefficients, enter | leave, transposed
    c: np.ndarray  # (2, n) constant part of each logit (intercept + controls)
    g: np.ndarray  # (2,) coefficient of log duration
    weights: np.ndarray  # (n, 3): 1, population, GDP (NaN-free; 0 where unknown)
    shock: tuple | None  # (state index, step, value)

    @property
    def n_blocks(self) -> int:
        return -(-self.paths // BLOCK)


@dataclass(eq=False)
class DiffusionSimulation:
    """Futures of the outcome drawn from a fitted model.

    Attributes
    ----------
    shares : pandas.DataFrame
        ``year, weight`` (states, population, gdp) ``, mean, q05 ... q95``: the
        share of states, of world population and of world GDP with the outcome.
    states : pandas.DataFrame
        ``ccode, stateabb, start, p_switch_first_year, p_end, p_ever_switch``, the
        start exposure ``exp_<layer>`` (most exposed first: by the first year's
        probability of a change of state).
    cascade : pandas.DataFrame or None
        With a shock: ``size, paths, share`` -- the number of other states whose
        value at the horizon differs from the same path without the shock.
    induced : pandas.DataFrame or None
        With a shock: ``ccode, stateabb, p_induced``, how often each state ends
        differently because of the shock.
    settings : dict
        Seed, paths, block size, start, horizon, shock, tie years, sources.
    """

    shares: pd.DataFrame
    states: pd.DataFrame
    cascade: pd.DataFrame | None
    induced: pd.DataFrame | None
    settings: dict


def simulate_blocks(plan: Plan, blocks) -> dict:
    """Simulate the given blocks; the result of a block depends on the plan and its index alone."""
    return {int(b): _block(plan, int(b)) for b in blocks}


def _block(plan: Plan, block: int) -> dict:
    from scipy.sparse import csr_matrix

    size = min(BLOCK, plan.paths - block * BLOCK)
    rng = np.random.Generator(np.random.SFC64(np.random.SeedSequence(plan.entropy, spawn_key=(block,))))
    n = len(plan.y0)
    runs = 2 if plan.shock else 1
    rows = runs * size
    Y = np.tile(plan.y0 > 0.5, (rows, 1))
    D = np.tile(plan.d0.astype(np.uint16), (rows, 1))
    log_d = np.r_[0.0, np.log(np.arange(1, int(plan.d0.max()) + plan.steps + 2))].astype(np.float32)  # log_d[d] = log(d)
    MT = plan.MT.astype(np.float32)
    H = np.tile(plan.y0.astype(np.float32) @ MT, (rows, 1))  # exposure terms of both logits, updated as states switch
    c = [plan.c[r].astype(np.float32) for r in (0, 1)]
    g = [np.float32(plan.g[r]) for r in (0, 1)]
    ever = np.zeros((rows, n), bool)
    shares = np.empty((rows, plan.steps + 1, 3))
    totals = plan.weights.sum(axis=0)
    shares[:, 0] = (Y @ plan.weights) / totals
    for step in range(1, plan.steps + 1):
        u = rng.random((size, n), dtype=np.float32)
        ld = log_d[D]
        eta = np.where(Y, H[:, n:] + c[1] + g[1] * ld, H[:, :n] + c[0] + g[0] * ld)
        np.negative(eta, out=eta)
        with np.errstate(over="ignore"):  # exp overflows to inf: probability 0, no switch
            np.exp(eta, out=eta)
        eta += 1.0
        eta *= np.tile(u, (runs, 1)) if runs > 1 else u
        switch = eta < 1.0  # u < logistic(eta)
        if plan.shock:
            index, at, value = plan.shock
            if step >= at:  # the shocked runs: the state takes the value in the shock year and keeps it
                switch[size:, index] = (Y[size:, index] != bool(value)) if step == at else False
        path, state = np.nonzero(switch)
        sign = np.where(Y[path, state], np.float32(-1.0), np.float32(1.0))
        H += csr_matrix((sign, (path, state)), shape=(rows, n)) @ MT
        Y ^= switch
        D += 1
        D[switch] = 1
        ever |= switch
        shares[:, step] = (Y @ plan.weights) / totals
    out = {"shares": shares[:size], "end": Y[:size].sum(axis=0, dtype=np.float64), "ever": ever[:size].sum(axis=0)}
    if plan.shock:
        differs = Y[size:] != Y[:size]
        differs[:, plan.shock[0]] = False
        out.update(shock_shares=shares[size:], cascade=differs.sum(axis=1), induced=differs.sum(axis=0))
    return out


def run_plan(plan: Plan, backend: str = "local", client=None, scheduler: str | None = None, workers: int | None = None) -> dict:
    """Every block of ``plan``, on local threads or on Dask, combined in block order (identical either way).

    ``workers``: threads of the local backend (default: the CPU count) or processes of a local Dask cluster.
    """
    blocks = list(range(plan.n_blocks))
    if backend == "local":
        import os
        from concurrent.futures import ThreadPoolExecutor

        threads = max(1, min(int(workers or os.cpu_count() or 1), len(blocks)))
        with ThreadPoolExecutor(max_workers=threads) as pool:
            parts = {}
            for result in pool.map(lambda b: simulate_blocks(plan, [b]), blocks):
                parts.update(result)
    elif backend == "dask":
        from worldorder.sim.backends import dask_client

        cluster = None
        own = client is None
        if own:
            client, cluster = dask_client(scheduler, workers, processes=True)
        try:
            remote = client.scatter(plan, broadcast=True)
            futures = client.map(simulate_blocks, [remote] * len(blocks), [[b] for b in blocks], pure=False)
            parts = {}
            for result in client.gather(futures):
                parts.update(result)
        finally:
            if own:
                client.close()
                if cluster is not None:
                    cluster.close()
    else:
        raise DiffusionError(f"backend must be 'local' or 'dask', not {backend!r}.")
    ordered = [parts[b] for b in blocks]
    total = {key: np.concatenate([p[key] for p in ordered]) for key in ("shares",)}
    total["end"] = sum(p["end"] for p in ordered)
    total["ever"] = sum(p["ever"] for p in ordered)
    if plan.shock:
        total["shock_shares"] = np.concatenate([p["shock_shares"] for p in ordered])
        total["cascade"] = np.concatenate([p["cascade"] for p in ordered])
        total["induced"] = sum(p["induced"] for p in ordered)
    return total


def parse_shock(text: str | None) -> tuple[str, int] | None:
    """``"CHN switches in 2026"`` -> ``("CHN", 2026)``; None when no shock."""
    if not text:
        return None
    match = _SHOCK.match(str(text))
    if not match:
        raise DiffusionError(f"Shock {text!r} not understood; write it as \"STATE switches in YEAR\" (e.g. \"CHN switches in 2026\").")
    return match.group(1).strip().strip('"'), int(match.group(2))


def simulate_diffusion(
    fit: DiffusionFit,
    start: int = 2024,
    horizon: int = 2040,
    paths: int = 10_000,
    seed: int = DEFAULT_SEED,
    shock: str | None = None,
    backend: str = "local",
    client=None,
    scheduler: str | None = None,
    workers: int | None = None,
    db=None,
    data: pd.DataFrame | None = None,
) -> DiffusionSimulation:
    """Draw the outcome forward from ``start`` to ``horizon`` with the fitted transition model.

    Parameters
    ----------
    fit
        From :func:`~worldorder.sim.diffusion_fit.fit_diffusion`.
    start, horizon
        The observed start year and the last simulated year.
    paths, seed
        Number of paths and the seed (default :data:`worldorder.seeds.DEFAULT_SEED`): the same seed gives the same numbers,
        locally or on Dask, since paths run in fixed blocks of ``BLOCK``, block
        :math:`b` drawing from ``SeedSequence(seed)`` with spawn key :math:`b`
        (as the power projection does).
    shock
        ``"STATE switches in YEAR"``: that state takes the other value in that
        year and keeps it.  Each path is run with and without the shock on the
        same random numbers, so the difference is the cascade the shock causes.
    backend, client, scheduler, workers
        ``"local"`` or ``"dask"`` (a given client, a scheduler address, or a
        local cluster of ``workers`` processes).
    db, data
        Store and user table, as for the fit.

    Notes
    -----
    Each year, for every state :math:`i` and path, with :math:`W^k` the
    row-normalized ties of the latest year each layer covers (held fixed),

    .. math:: \\Pr(\\text{change}) = \\operatorname{logit}^{-1}\\big(\\alpha_r + \\textstyle\\sum_k \\beta^k_r (W^k y_{t-1})_i + \\gamma_r \\log d_{i,t-1} + \\delta_r' z_i\\big),

    :math:`r` = enter when :math:`y_{i,t-1} = 0`, leave otherwise; controls
    :math:`z_i` stay at their last observed value (the mean of the states where
    none is known).  States without a known outcome in ``start`` are left out.
    The independent-cascade reading of a shock follows Kempe, Kleinberg & Tardos (2003).

    References
    ----------
    Kempe, D., Kleinberg, J. & Tardos, É. 2003. Maximizing the spread of
    influence through a social network. Proceedings of KDD '03: 137-146.
    """
    from worldorder import add_gdp, add_population, create_state_years

    if horizon <= start:
        raise DiffusionError(f"The horizon ({horizon}) must be after the start year ({start}).")
    if paths < 1:
        raise DiffusionError("paths must be 1 or more.")
    history = outcome_years(fit.outcome, years=(1816, start), db=db, data=data).sort_values(["ccode", "year"]).reset_index(drop=True)
    history["d"] = run_lengths(history["ccode"].to_numpy(np.int64), history["year"].to_numpy(np.int64), history["y"].to_numpy(np.float64))
    now = history[(history["year"] == start) & history["y"].notna()]
    if now.empty:
        raise DiffusionError(f"No state has a known {fit.outcome.spec} in {start}; choose an earlier --from year.")
    codes = now["ccode"].to_numpy(np.int64)
    n = len(codes)
    layers = load_ties([layer.name for layer in fit.ties], years=(start - 15, start), db=db)
    tie_years = {layer.name: min(start, layer.last) for layer in layers}
    mats = [layer.matrix(tie_years[layer.name], codes) for layer in layers]
    terms = fit.terms
    k_exp = [terms.index(f"exp_{layer.key}") for layer in layers]
    z = _controls(fit.controls, codes, start, db, data)
    c, M, g = np.zeros((2, n)), [], np.zeros(2)
    for r, name in enumerate(("enter", "leave")):
        beta = fit.params[name]
        M.append(sum(beta[k] * W for k, W in zip(k_exp, mats)) if mats else np.zeros((n, n)))
        c[r] = beta[terms.index("const")] + (z @ np.array([beta[terms.index(name_)] for name_ in fit.controls]) if fit.controls else 0.0)
        g[r] = beta[terms.index("log_duration")]
    frame = create_state_years(years=(start - 10, start), db=db)[["ccode", "year"]]
    frame = add_gdp(add_population(frame, db=db), source="worldbank", db=db)
    pop, gdp = (_latest(frame, column, codes) for column in ("wb_population", "wb_gdp"))
    weights = np.column_stack([np.ones(n), np.nan_to_num(pop), np.nan_to_num(gdp)])
    shock_spec = parse_shock(shock)
    plan_shock = None
    if shock_spec:
        plan_shock = _shock(shock_spec, codes, now["y"].to_numpy(), start, horizon)
    entropy = int(np.random.SeedSequence(seed).entropy)
    plan = Plan(entropy, int(paths), horizon - start, now["y"].to_numpy(np.float64), now["d"].to_numpy(np.float64),
                np.hstack([M[0].T, M[1].T]).astype(np.float32), c.astype(np.float32), g.astype(np.float32), weights, plan_shock)
    total = run_plan(plan, backend, client, scheduler, workers)
    abb = create_state_years(years=start, db=db).set_index("ccode")["stateabb"].reindex(codes).to_numpy()
    years = np.arange(start, horizon + 1)
    shares = _share_table(total["shares"], years)
    first_eta = (plan.y0 @ M[0].T + c[0] + g[0] * np.log(plan.d0), plan.y0 @ M[1].T + c[1] + g[1] * np.log(plan.d0))
    p_first = 1.0 / (1.0 + np.exp(-np.where(plan.y0 > 0.5, first_eta[1], first_eta[0])))
    states = pd.DataFrame({"ccode": codes, "stateabb": abb, "start": plan.y0.astype(int), "p_switch_first_year": p_first,
                           "p_end": total["end"] / paths, "p_ever_switch": total["ever"] / paths})
    for layer, W in zip(layers, mats):
        states[f"exp_{layer.key}"] = W @ plan.y0
    states = states.sort_values(["p_switch_first_year", "ccode"], ascending=[False, True], kind="stable").reset_index(drop=True)
    cascade = induced = None
    if plan.shock:
        sizes, counts = np.unique(total["cascade"], return_counts=True)
        cascade = pd.DataFrame({"size": sizes, "paths": counts, "share": counts / paths})
        induced = pd.DataFrame({"ccode": codes, "stateabb": abb, "p_induced": total["induced"] / paths})
        induced = induced[induced["p_induced"] > 0].sort_values("p_induced", ascending=False).reset_index(drop=True)
        shares = pd.concat([shares.assign(run="baseline"), _share_table(total["shock_shares"], years).assign(run="shock")], ignore_index=True)
    settings = {
        "outcome": fit.outcome.spec, "start": start, "horizon": horizon, "paths": int(paths), "seed": seed, "block": BLOCK,
        "backend": backend, "shock": shock, "states": n, "tie_years": tie_years, "fit_years": fit.years,
        "weights": f"population: World Bank, latest year to {start} ({int((pop > 0).sum())} states); GDP: World Bank current US$, latest to {start} ({int((gdp > 0).sum())} states)",
        "caption": fit.caption,
    }
    return DiffusionSimulation(shares, states, cascade, induced, settings)


def _share_table(shares: np.ndarray, years: np.ndarray) -> pd.DataFrame:
    rows = []
    for w, weight in enumerate(("states", "population", "gdp")):
        values = shares[:, :, w]
        q = np.quantile(values, QUANTILES, axis=0)
        table = pd.DataFrame({"year": years, "weight": weight, "mean": values.mean(axis=0)})
        for p, row in zip(QUANTILES, q):
            table[f"q{round(p * 100):02d}"] = row
        rows.append(table)
    return pd.concat(rows, ignore_index=True)


def _latest(frame: pd.DataFrame, column: str, codes: np.ndarray) -> np.ndarray:
    known = frame[frame[column].notna()].sort_values("year").drop_duplicates("ccode", keep="last")
    return known.set_index("ccode")[column].reindex(codes).to_numpy(np.float64)


def _controls(controls, codes: np.ndarray, start: int, db, data) -> np.ndarray:
    if not controls:
        return np.zeros((len(codes), 0))
    table = control_table(controls, (start - 30, start), db=db, data=data)
    columns = []
    for name in controls:
        values = _latest(table[np.isfinite(table[name].to_numpy(np.float64, na_value=np.nan))], name, codes)
        columns.append(np.where(np.isnan(values), np.nanmean(values), values))
    return np.column_stack(columns)


def _shock(spec: tuple[str, int], codes: np.ndarray, y0: np.ndarray, start: int, horizon: int) -> tuple[int, int, float]:
    from worldorder.countries import UnknownCountryError, country

    name, year = spec
    try:
        code = int(country(name).ccode)
    except UnknownCountryError as error:
        raise DiffusionError(f"Shock: {error}") from error
    if not start < year <= horizon:
        raise DiffusionError(f"The shock year {year} must be after the start ({start}) and no later than the horizon ({horizon}).")
    where = np.flatnonzero(codes == code)
    if not len(where):
        raise DiffusionError(f"{name} has no known outcome in {start}, so it cannot be switched.")
    index = int(where[0])
    return index, year - start, 1.0 - float(y0[index])
