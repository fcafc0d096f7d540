"""Summaries of a projection: the merged histograms and sums turned into result tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.sim._polarity import LABELS, con_from_hhi, hhi_from_con
from worldorder.sim.calibration import GrowthModel
from worldorder.sim.engine import MAX_POLES, Partial, Plan, _edges_linear, _edges_log, histogram_quantiles


def _qname(p: float) -> str:
    return f"q{round(p * 100):02d}" if abs(p * 100 - round(p * 100)) < 1e-9 else f"q{p:g}"


@dataclass
class Projection:
    """Yearly summaries of a Monte Carlo projection (see :func:`project`).

    Attributes
    ----------
    states : pandas.DataFrame
        ``ccode, year, mean, q05 ... q95``: each state's share of the total.
    polarity : pandas.DataFrame
        ``year, index, mean, q05 ... q95`` for ``con``, ``enp`` (effective
        number of poles), ``hhi`` and ``top_share`` (the largest share).
    labels : pandas.DataFrame
        ``year, nonpolar, unipolar, bipolar, multipolar``: probabilities.
    poles : pandas.DataFrame
        ``year, poles, probability`` (the last count includes larger ones).
    transition : pandas.DataFrame
        ``year, leader, challenger, p_ahead, p_overtaken, p_leader_lost``: the
        challenger ahead that year, ahead in some year so far, and the leader
        passed by any state in some year so far.
    model : GrowthModel
    settings : dict
    """

    states: pd.DataFrame | None
    polarity: pd.DataFrame
    labels: pd.DataFrame
    poles: pd.DataFrame
    transition: pd.DataFrame
    model: GrowthModel
    settings: dict

    def tables(self) -> dict[str, pd.DataFrame]:
        """The result tables by name (for writing to files)."""
        out = {"polarity": self.polarity, "labels": self.labels, "poles": self.poles, "transition": self.transition}
        if self.states is not None:
            out["states"] = self.states
        out["calibration"] = self.model.table()
        parts = self.track_record_parts()
        out["track_record"] = pd.DataFrame({"measure": self.model.value, "part": range(1, len(parts) + 1), "sentence": parts})
        return out

    def __repr__(self) -> str:
        from worldorder.display import text

        return text(self)

    def _repr_html_(self) -> str:
        from worldorder.display import html_table

        return html_table(self)

    def track_record(self) -> str:
        """How such projections did in backtests: :meth:`track_record_parts` joined."""
        return " ".join(self.track_record_parts())

    def track_record_parts(self) -> list[str]:
        """How such projections did in backtests, a sentence per set of origins (:func:`worldorder.sim.records.track_record_parts`)."""
        from worldorder.sim.records import track_record_parts

        parts = track_record_parts(self.model.value, int(self.settings["horizon"]) - self.model.base_year)
        if self.model.drift_fit is None:
            parts.append("That record is of the default drift (the growth regression); this projection uses each state's own past growth.")
        return parts


def summarize(plan: Plan, model: GrowthModel, total: Partial, quantiles: Sequence[float], settings: dict) -> Projection:
    """Turn the combined histograms and sums into the result tables."""
    years = plan.years
    n = model.n_states
    paths = plan.paths
    sums = np.zeros_like(next(iter(total.sums.values())))
    for block in sorted(total.sums):  # a fixed order: identical sums whatever the chunking
        sums += total.sums[block]
    sums /= paths
    qnames = [_qname(p) for p in quantiles]
    lin = _edges_linear()
    con_q = histogram_quantiles(total.con, lin, quantiles)
    top_q = histogram_quantiles(total.top, lin, quantiles)
    hhi_q = hhi_from_con(con_q, n)
    enp_q = 1.0 / hhi_from_con(histogram_quantiles(total.con, lin, [1 - p for p in quantiles]), n)
    base_share = model.base / model.base.sum()
    base_hhi = float(np.sum(base_share**2))
    base_values = {
        "con": float(con_from_hhi(base_hhi, n)),
        "enp": 1.0 / base_hhi,
        "hhi": base_hhi,
        "top_share": float(base_share.max()),
    }
    rows = []
    for name, qs, mean in (
        ("con", con_q, sums[:, 0]),
        ("enp", enp_q, sums[:, 2]),
        ("hhi", hhi_q, sums[:, 3]),
        ("top_share", top_q, sums[:, 1]),
    ):
        rows.append(pd.DataFrame({"year": model.base_year, "index": name, "mean": base_values[name], **{q: base_values[name] for q in qnames}}, index=[0]))
        rows.append(pd.DataFrame({"year": years, "index": name, "mean": mean, **{q: qs[:, j] for j, q in enumerate(qnames)}}))
    polarity = pd.concat(rows, ignore_index=True).sort_values(["index", "year"], kind="stable").reset_index(drop=True)

    poles = total.poles.astype(np.float64) / paths
    label_prob = np.zeros((len(years), len(LABELS)))
    for count in range(MAX_POLES + 1):
        label_prob[:, min(count, 3)] += poles[:, count]
    labels = pd.DataFrame({"year": years, **{label: label_prob[:, j] for j, label in enumerate(LABELS)}})
    pole_table = pd.DataFrame(
        {
            "year": np.repeat(years, MAX_POLES + 1),
            "poles": np.tile(np.arange(MAX_POLES + 1), len(years)),
            "probability": poles.ravel(),
        }
    )
    transition = pd.DataFrame(
        {
            "year": years,
            "leader": int(model.ccode[plan.leader]),
            "challenger": int(model.ccode[plan.challenger]),
            "p_ahead": total.ahead / paths,
            "p_overtaken": total.overtaken / paths,
            "p_leader_lost": total.lost / paths,
        }
    )
    states = None
    if total.shares is not None:
        share_q = histogram_quantiles(total.shares, _edges_log(), quantiles)  # (T, n, Q)
        t_count = len(years)
        states = pd.DataFrame(
            {
                "ccode": np.tile(model.ccode, t_count),
                "year": np.repeat(years, n),
                "mean": sums[:, 4:].ravel(),
                **{q: share_q[:, :, j].ravel() for j, q in enumerate(qnames)},
            }
        )
        first = pd.DataFrame({"ccode": model.ccode, "year": model.base_year, "mean": base_share, **{q: base_share for q in qnames}})
        states = pd.concat([first, states], ignore_index=True).sort_values(["ccode", "year"], kind="stable").reset_index(drop=True)
    return Projection(states, polarity, labels, pole_table, transition, model, settings)
