"""Scenarios against what happened: a scenario's predicted change beside the observed one, where data record both.

Two shocks of the 2020s have data on both sides:

* **Nord Stream** (a ``link_removal`` of a gas border point): the scenario's
  shocks are applied to the IEA flows of 2021, the last full year before the
  cut, and Germany's predicted pipeline imports by supplier and entry route
  are set beside the flows the IEA recorded in June–September 2022; at the
  scale of Europe, the predicted fall of Russia's pipeline exports is set
  beside the Energy Institute's figures for 2021–2023.
* **The pandemic** (a ``border_closure``): the scenario's general-equilibrium
  change in trade openness, world-wide and for the largest economies, is set
  beside the World Bank's openness of 2019, 2020 and 2021–2023.

A scenario removes a route and keeps everything else as it was: it cannot
capture gas rerouted through other points, LNG replacing pipeline gas, or
other routes falling at the same time.  The notes say where the observed
gap shows that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from worldorder.sim.montecarlo import SimulationError
from worldorder.sim.shocks import CANNOT_CAPTURE, BorderClosure, LinkRemoval, apply_shock

__all__ = ["ObservedCheck", "check_observed", "scenarios_against_observed"]

#: The base year of a gas scenario checked against 2022: the last full year before the cut.
GAS_BASE_YEAR = 2021
#: The months of 2022 after the cut that the IEA file records.
OBSERVED_MONTHS = ("2022-06-01", "2022-09-01")
#: Openness years compared with a border closure: before, the shock, and the recovery.
OPENNESS_YEARS = (2019, 2020, 2021, 2022, 2023)


@dataclass
class ObservedCheck:
    """A scenario's predictions beside what happened: ``tables`` by name, each with predicted, observed and difference."""

    scenario: str
    kind: str
    tables: dict[str, pd.DataFrame]
    notes: list[str] = field(default_factory=list)
    sources: tuple[str, ...] = ()

    @property
    def headline(self) -> str:
        """The note that sets a prediction beside an observation, in numbers (else the first note): one line for summaries."""
        for note in self.notes:
            if any(c.isdigit() for c in note) and ("predict" in note or "against" in note):
                return note
        return self.notes[0] if self.notes else ""


def _gas_check(scenario, db) -> ObservedCheck:
    from worldorder.networks.dependence import gas_dependence
    from worldorder.networks.gas import load_gas_flows
    from worldorder.store import load

    shocks = [s for s in scenario.shocks if isinstance(s, LinkRemoval) and s.border_point]
    flows = load_gas_flows(db=db)
    base = flows[flows["year"] == GAS_BASE_YEAR]
    new = base
    for shock in shocks:
        new = apply_shock(new, shock)
    cut = base["flow_mm3"].fillna(0) - new["flow_mm3"].fillna(0)
    hit = base[(cut > 0) & (base["ccode_exit"] == 365) & (base["ccode_entry"] == 255)]
    if hit.empty:
        points = ", ".join(s.border_point for s in shocks)
        raise SimulationError(f"The removed border point ({points}) carries no Russian gas into Germany in {GAS_BASE_YEAR}: "
                              "--observed compares a gas scenario with the Nord Stream cut of 2022 only.")
    first, last = pd.Timestamp(OBSERVED_MONTHS[0]), pd.Timestamp(OBSERVED_MONTHS[1])
    seen = flows[(flows["month"] >= first) & (flows["month"] <= last)]
    months = {"baseline": 12, "predicted": 12, "observed": seen["month"].nunique()}
    parts = []
    for level, column in (("supplier", "supplier"), ("route", "borderpoint")):
        by_point = level == "route"
        sums = {}
        for name, table in (("baseline", base), ("predicted", new), ("observed", seen)):
            dep = gas_dependence(table, country=255, by="month", by_borderpoint=by_point)
            sums[name] = dep.groupby(column)["flow"].sum() / months[name]
        frame = pd.DataFrame(sums).fillna(0.0)
        total = frame.sum()
        frame = frame[(frame.abs() > 0.05).any(axis=1)]  # routes of no flow in any of the three periods left out
        frame.loc["total"] = total
        frame = frame.rename_axis("name").reset_index()
        frame.insert(0, "level", level)
        parts.append(frame)
    germany = pd.concat(parts, ignore_index=True)
    germany["predicted_change"] = germany["predicted"] - germany["baseline"]
    germany["observed_change"] = germany["observed"] - germany["baseline"]
    germany["difference"] = germany["observed_change"] - germany["predicted_change"]
    germany.attrs["unit"] = "million m3 per month: 2021 mean (baseline, predicted) and June-September 2022 mean (observed)"

    ei = load("ei_gas_interregional_trade_2023", db=db)
    lost = (base["flow_mm3"].where(base["counted"]).sum() - new["flow_mm3"].where(new["counted"]).sum()) / 1000.0
    russia = ei[(ei["region"] == "Russian Federation") & (ei["flow"] == "Pipeline exports") & (ei["partner"] == "Europe")]
    lng = ei[(ei["region"] == "Europe") & (ei["flow"] == "LNG imports") & (ei["partner"] == "")]
    rows = []
    for label, table, cut in (("Russia -> Europe pipeline exports", russia, lost), ("Europe LNG imports", lng, 0.0)):
        values = table.set_index("year")["bcm"]
        for year in (GAS_BASE_YEAR, 2022, 2023):
            predicted = values[GAS_BASE_YEAR] - (cut if year > GAS_BASE_YEAR else 0.0)
            rows.append({"flow": label, "year": year, "baseline": values[GAS_BASE_YEAR], "predicted": predicted,
                         "observed": values[year], "difference": values[year] - predicted})
    europe = pd.DataFrame(rows)
    europe.attrs["unit"] = "billion m3 a year (Energy Institute; the predicted cut is the route's 2021 IEA flow)"

    notes = [f"Shocks applied to the IEA flows of {GAS_BASE_YEAR}, the last full year before the cut"
             + (f" (the file's base year is {scenario.base_year})" if scenario.base_year != GAS_BASE_YEAR else "")
             + f"; observed: IEA flows of {first:%B}-{last:%B %Y} and Energy Institute inter-regional trade 2021-2023.",
             flows.attrs.get("basis", ""), CANNOT_CAPTURE]
    total = germany[(germany["level"] == "supplier") & (germany["name"] == "total")].iloc[0]
    notes.insert(0, f"Germany's pipeline gas imports: predicted {total['predicted_change']:+,.0f} million m3 a month against "
                    f"{GAS_BASE_YEAR}, observed {total['observed_change']:+,.0f} in {first:%B}-{last:%B %Y}.")
    others = germany[(germany["level"] == "supplier") & ~germany["name"].isin(["total", "RUS"])]
    rose = others[others["observed_change"] > 0].sort_values("observed_change", ascending=False)
    if total["difference"] > 0 and not rose.empty:
        names = ", ".join(f"{r.name} {r.observed_change:+,.0f}" for r in rose.head(3).itertuples())
        notes.append(f"Germany's other suppliers made up {total['difference']:,.0f} million m3 a month of what the scenario "
                     f"predicts lost ({names}): rerouting through other border points, which the scenario cannot capture.")
    gap = europe[(europe["flow"] == "Europe LNG imports") & (europe["year"] == 2022)].iloc[0]
    if gap["difference"] > 0:
        notes.append(f"Europe's LNG imports rose by {gap['difference']:,.1f} bcm from 2021 to 2022: LNG replaced part of the "
                     "lost pipeline gas, which the scenario cannot capture.")
    fall = europe[(europe["flow"].str.startswith("Russia")) & (europe["year"] == 2023)].iloc[0]
    if fall["difference"] < 0:
        notes.append(f"Russia's pipeline exports to Europe fell {-fall['difference']:,.1f} bcm further by 2023 than the route's "
                     "loss alone: other routes (through Belarus, Poland and Ukraine) fell too, outside the scenario.")
    sources = tuple(flows.attrs.get("sources", ())) + ("ei_gas_interregional_trade_2023",)
    return ObservedCheck(scenario.name, "gas", {"germany": germany, "europe": europe}, notes, sources)


def _openness_check(scenario, db) -> ObservedCheck:
    from worldorder.sim.scenario import run_scenario
    from worldorder.store import load

    result = run_scenario(scenario, db=db, progress=False)
    states = result.trade
    if states is None:
        raise SimulationError("The scenario has no trade shock to compare with trade openness.")
    codes = pd.Series(states["ccode"].to_numpy())
    ratio = ((states["exports_new"] + states["imports_new"]) / (states["exports"] + states["imports"]) / states["output_hat"]).to_numpy()
    world = ((states["exports_new"] + states["imports_new"]).sum() / (states["output"] * states["output_hat"]).sum()) / (
        (states["exports"] + states["imports"]).sum() / states["output"].sum())
    largest = states.nlargest(9, "output")["ccode"].tolist()
    from worldorder.countries import country

    iso = {int(c): country(int(c), db=db).iso3 for c in largest}
    predicted = {"WLD": float(world)} | {iso[c]: float(ratio[codes[codes == c].index[0]]) for c in largest}
    table = load("wb_trade_share", db=db, columns=["iso3", "year", "trade_gdp_pct"])
    table = table[table["iso3"].isin(list(predicted)) & table["year"].isin(OPENNESS_YEARS)]
    wide = table.pivot_table(index="iso3", columns="year", values="trade_gdp_pct").reindex(list(predicted))
    out = pd.DataFrame({"state": wide.index})
    for year in OPENNESS_YEARS:
        out[str(year)] = wide[year].to_numpy() if year in wide.columns else np.nan
    out["predicted_2020"] = out["2019"] * np.array([predicted[s] for s in out["state"]])
    out["predicted_pct"] = 100 * (out["predicted_2020"] / out["2019"] - 1)
    out["observed_pct"] = 100 * (out["2020"] / out["2019"] - 1)
    out["difference_pct"] = out["observed_pct"] - out["predicted_pct"]
    out.attrs["unit"] = "trade as % of GDP by year (World Bank); predicted_2020 = 2019 x the scenario's change; changes in % of 2019"
    shock = next(s for s in scenario.shocks if isinstance(s, BorderClosure))
    recovered = out[out["2022"] >= out["2019"]]["state"].tolist()
    notes = [
        f"The border closure ({shock.fraction:.0%} of cross-border trade) is solved in general equilibrium on the COW trade "
        f"of {scenario.base_year}, the last year of the dyadic trade data; its relative change in openness is applied to 2019.",
        f"World openness changed {out.loc[0, 'observed_pct']:+.1f}% in 2020 against {out.loc[0, 'predicted_pct']:+.1f}% predicted; "
        f"by 2022 it stood at {out.loc[0, '2022']:.1f}% of GDP against {out.loc[0, '2019']:.1f}% in 2019.",
        "Recovered to the 2019 level or above by 2022: " + (", ".join(recovered) if recovered else "none") + ".",
        "A scenario holds a shock for its year: it cannot capture the rebound of 2021-2022, nor price changes that move openness.",
    ]
    return ObservedCheck(scenario.name, "openness", {"openness": out}, notes, tuple(result.sources) + ("wb_trade_share",))


def check_observed(scenario, db=None) -> ObservedCheck:
    """Compare a scenario with what happened, where data record both.

    Parameters
    ----------
    scenario
        A :class:`~worldorder.sim.scenario.Scenario` or the path of a scenario
        file.  A gas border point removed is compared with the IEA flows of
        June–September 2022 and the Energy Institute's 2021–2023 figures; a
        border closure with the World Bank's trade openness of 2019–2023.
    db
        Store path.

    Returns
    -------
    ObservedCheck
        Tables with predicted, observed and difference columns; notes that
        say what the scenario cannot capture.

    Notes
    -----
    Gas: predicted flows :math:`\\hat F_b = (1 - f_b) F_{b,2021}` per border
    point :math:`b` (no rerouting), against the observed mean monthly flow
    of June–September 2022; the difference is
    :math:`(F^{obs} - F_{2021}) - (\\hat F - F_{2021})`.  Openness: predicted
    :math:`o_{2020} = o_{2019} \\cdot (T'/T)/(Y'/Y)`, with trade :math:`T` and
    output :math:`Y` from the general-equilibrium counterfactual.

    References
    ----------
    International Energy Agency. 2022. Gas Trade Flows (data to September 2022).
    Energy Institute. 2024. Statistical Review of World Energy.
    World Bank. World Development Indicators, NE.TRD.GNFS.ZS.
    """
    from worldorder.sim.scenario import Scenario, load_scenario

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, db=db)
    if any(isinstance(s, LinkRemoval) and s.border_point for s in scenario.shocks):
        return _gas_check(scenario, db)
    if any(isinstance(s, BorderClosure) for s in scenario.shocks):
        return _openness_check(scenario, db)
    raise SimulationError(
        f"No observed shock to compare scenario {scenario.name!r} with: --observed covers a gas border point removed "
        "(Nord Stream, 2022) and a border closure (the pandemic of 2020)."
    )


def scenarios_against_observed(files=None, db=None) -> list[ObservedCheck]:
    """The example scenarios (Nord Stream cut, pandemic year) checked against what happened, for reports.

    ``files`` defaults to ``examples/scenarios/nord_stream_cut.toml`` and
    ``pandemic_year.toml`` of the checkout (or of the current folder); an
    empty list when neither is found.
    """
    if files is None:
        names = ("nord_stream_cut.toml", "pandemic_year.toml")
        for root in (Path.cwd(), Path(__file__).resolve().parents[3]):
            folder = root / "examples" / "scenarios"
            if all((folder / name).exists() for name in names):
                files = [folder / name for name in names]
                break
        else:
            return []
    return [check_observed(path, db=db) for path in files]
