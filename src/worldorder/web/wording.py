"""Scenario results in words: shocks as sentences and polarity rows with names, not COW codes or class names."""

from __future__ import annotations

import pandas as pd

#: The polarity indices of a scenario's table, in words.
INDEX_WORDS = {
    "hhi": "HHI (sum of squared shares)",
    "effective_poles": "effective number of poles (1/HHI)",
    "con": "concentration (CON)",
    "top1_share": "leader's share",
    "top2_share": "second state's share",
    "top_gap": "gap between first and second",
    "n_poles": "number of poles",
    "leader_ccode": "leader",
    "second_ccode": "second state",
    "poles": "poles",
    "polarity": "polarity label",
}


def _states(codes, names: dict[int, str]) -> str:
    listed = [names.get(int(c), str(c)) for c in codes]
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def shock_sentence(shock, names: dict[int, str]) -> str:
    """One sentence saying what ``shock`` (a :mod:`worldorder.sim.shocks` dataclass) does, states by name."""
    kind = getattr(shock, "kind", type(shock).__name__)
    if kind == "growth":
        years = f"from {shock.start}" + (f" to {shock.end}" if shock.end is not None else " on")
        points = abs(shock.change) * 100
        return f"Growth of {_states(shock.states, names)} {'falls' if shock.change < 0 else 'rises'} by {points:.3g} points a year {years}."
    if kind == "sanctions":
        return f"Trade between {_states(shock.side_a, names)} and {_states(shock.side_b, names)} is cut by {shock.fraction:.0%}."
    if kind == "link_removal":
        what = f"the {shock.border_point} border point" if shock.border_point else f"trade between {_states(shock.pair, names)}"
        return f"Flows through {what} are cut by {shock.fraction:.0%}." if shock.border_point else f"{what[0].upper()}{what[1:]} is cut by {shock.fraction:.0%}."
    if kind == "border_closure":
        whose = f"of {_states(shock.states, names)}" if shock.states else "of every state"
        return f"Cross-border trade {whose} falls by {shock.fraction:.0%}."
    if kind == "trade_war":
        return f"A {shock.tariff:.0%} tariff-equivalent is raised between {_states(shock.side_a, names)} and {_states(shock.side_b, names)}."
    if kind == "alignment_switch":
        return f"{names.get(int(shock.state), shock.state)} leaves the bloc {shock.from_bloc} for {shock.to_bloc}."
    return f"A {kind.replace('_', ' ')} shock."


def polarity_in_words(table: pd.DataFrame, names: dict[int, str], abb: dict[int, str]) -> pd.DataFrame:
    """A scenario's polarity table (``index, baseline, scenario, change``) with its rows named and codes as states.

    Returns ``index, what, baseline, scenario, change`` where ``what`` says
    the index in words, states are named (leader, second) or abbreviated
    (poles), and ``change`` stays numeric for the numeric indices only.
    """

    def shown(index: str, value):
        if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) in ("nan", "None", ""):
            return "–"
        if index in ("leader_ccode", "second_ccode"):
            return names.get(int(float(value)), str(value))
        if index == "poles":
            return ", ".join(abb.get(int(c), c) for c in str(value).split(";") if c)
        return value

    rows = []
    for record in table.to_dict("records"):
        index = str(record["index"])
        rows.append({"index": index, "what": INDEX_WORDS.get(index, index.replace("_", " ")),
                     "baseline": shown(index, record["baseline"]), "scenario": shown(index, record["scenario"]),
                     "change": record["change"]})
    return pd.DataFrame(rows, columns=["index", "what", "baseline", "scenario", "change"])
