"""Reading a claim's test from the ledger: quantity, measures, reference sets, rules, years and predicate."""

from __future__ import annotations

import difflib
import re

from worldorder.claims.model import (
    AT_STATS,
    AT_YEARS,
    DIFFUSION_DEFAULT_OUTCOME,
    DIFFUSION_DEFAULT_TIES,
    GAS_MEASURES,
    GAS_TRADE_MEASURES,
    GLOBALIZATION_MEASURES,
    LABEL_INDICES,
    OPS,
    POLARITY_INDICES,
    POLARITY_LABELS,
    POWER_MEASURES_DEFAULT,
    PREDICATES,
    QUANTITIES,
    RANKING_PREDICATES,
    RULE_INDICES,
    Predicate,
    Test,
)
from worldorder.located import LocatedDocument
from worldorder.years import Years


_TEST_KEYS = ("quantity", "index", "measure", "among", "rule", "years", "predicate", "importer", "supplier", "borderpoint", "state", "outcome",
              "month", "region", "flow", "partner")


def _unknown_keys(doc: LocatedDocument, data: dict, path: tuple, allowed) -> None:
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(allowed)}"
            doc.problem(path + (key,), f"unknown key {key!r}{hint}")


def _as_list(doc, value, path: tuple, what: str) -> list | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    if not items:
        doc.problem(path, f"'{path[-1]}' is an empty list; give at least one {what}")
        return None
    return items


def parse_years(value) -> Years:
    """``1946-1989``, ``1991-`` (to the latest), ``-1989``, ``2021``, ``latest``, ``all``, ``2010-latest`` (see :class:`~worldorder.years.Years`)."""
    return Years.parse(value)


def _number(value):
    """A number, or a fraction written as text ('1/3')."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*/\s*\d+(\.\d+)?\s*", value):
        top, bottom = (float(v) for v in value.split("/"))
        return top / bottom
    raise ValueError


def _test(doc: LocatedDocument, data, path: tuple, regions: dict) -> Test | None:
    if not isinstance(data, dict):
        doc.problem(path, "'test' is required: a mapping with quantity, measure, among, years and predicate")
        return None
    before = len(doc.problems)
    _unknown_keys(doc, data, path, _TEST_KEYS)
    quantity = data.get("quantity")
    if quantity not in QUANTITIES:
        close = difflib.get_close_matches(str(quantity), QUANTITIES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        doc.problem(path + ("quantity",), f"'quantity' must be one of {', '.join(QUANTITIES)}, not {quantity!r}{hint}")
        return None
    # years
    try:
        years = parse_years(data.get("years"))
    except ValueError as error:
        doc.problem(path + ("years",), str(error))
        years = Years()
    # index
    index = None
    if quantity == "polarity":
        index = data.get("index", "polarity")
        if index not in POLARITY_INDICES:
            close = difflib.get_close_matches(str(index), POLARITY_INDICES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            doc.problem(path + ("index",), f"'index' must be one of {', '.join(POLARITY_INDICES)}{hint}")
            index = "polarity"
    elif "index" in data:
        doc.problem(path + ("index",), f"'index' applies to quantity polarity, not {quantity}")
    measures = _measures(doc, data, path, quantity)
    among = _among(doc, data, path, quantity, regions)
    rules = _rules(doc, data, path, quantity, index)
    for key, allowed in (("importer", "gas_dependence"), ("supplier", "gas_dependence"), ("borderpoint", "gas_dependence"), ("state", "ranking"),
                         ("outcome", "diffusion"), ("month", "gas_dependence"), ("region", "gas_trade"), ("flow", "gas_trade"), ("partner", "gas_trade")):
        if key in data and quantity != allowed:
            doc.problem(path + (key,), f"'{key}' applies to quantity {allowed}, not {quantity}")
    importer = supplier = borderpoint = state = None
    if quantity == "gas_dependence":
        importer = _state_key(doc, data, path, "importer", required=True)
        supplier = _state_key(doc, data, path, "supplier", required=False)
        borderpoint = data.get("borderpoint")
        if borderpoint is not None and not isinstance(borderpoint, str):
            doc.problem(path + ("borderpoint",), "'borderpoint' must be the name of a border point, such as Nord Stream")
            borderpoint = None
        if (supplier is None) == (borderpoint is None):
            doc.problem(path, "a gas_dependence test names either a 'supplier' (a state) or a 'borderpoint' (such as Nord Stream)")
        if borderpoint is not None and "bp" in measures:
            doc.problem(path + ("measure",), "bp's pipeline table has no border points; use measure iea with 'borderpoint'")
        if "measure" not in data and borderpoint is not None:
            measures = ("iea",)
    month = data.get("month")
    if month is not None:
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            doc.problem(path + ("month",), "'month' is a calendar month, 1 (January) to 12 (December)")
        elif "bp" in measures:
            doc.problem(path + ("measure",), "bp's table is annual; 'month' needs measure iea")
    region = flow = partner = None
    if quantity == "gas_trade":
        region, flow, partner = data.get("region"), data.get("flow", "Pipeline exports"), data.get("partner", "")
        for key, value in (("region", region), ("flow", flow), ("partner", partner)):
            if not isinstance(value, str) or (key == "region" and not value):
                doc.problem(path + (key,), f"'{key}' must be a name of the Energy Institute's table (region 'Russian Federation', "
                                           "flow 'Pipeline exports', partner 'Europe')")
    if quantity == "ranking":
        state = _state_key(doc, data, path, "state", required=False)
    outcome = _diffusion_outcome(doc, data, path, years) if quantity == "diffusion" else None
    predicate = _predicate(doc, data.get("predicate"), path + ("predicate",), quantity, index, state)
    if len(doc.problems) > before or predicate is None:
        return None
    return Test(quantity, predicate, measures, among, rules, years, index, importer, supplier, borderpoint, state, outcome,
                month, region, flow, partner)


def _diffusion_outcome(doc, data, path, years) -> str | None:
    """The outcome of a diffusion test (checked by its grammar); its years need a first and a last year."""
    from worldorder.sim.diffusion_outcomes import DiffusionError, parse_outcome

    if years.first is None or years.last is None:
        doc.problem(path + ("years",), "a diffusion test needs a first and a last year, such as 1990-2010 (the years the spread is claimed for)")
    try:
        return parse_outcome(data.get("outcome", DIFFUSION_DEFAULT_OUTCOME)).spec
    except DiffusionError as error:
        doc.problem(path + ("outcome",), str(error))
        return None


def _state_key(doc, data, path, key, required: bool):
    value = data.get(key)
    if value is None:
        if required:
            doc.problem(path + (key,), f"'{key}' is required (a state: abbreviation, name or COW code)")
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        doc.problem(path + (key,), f"'{key}' must be one state (abbreviation, name or COW code)")
        return None
    return str(value)


def _measures(doc, data, path, quantity) -> tuple[str, ...]:
    raw = _as_list(doc, data.get("measure"), path + ("measure",), "measure")
    if quantity in ("polarity", "ranking"):
        from worldorder.power import MEASURES

        allowed = [key for key in MEASURES if key != "composite"]
        default = POWER_MEASURES_DEFAULT
    elif quantity == "globalization":
        allowed, default = list(GLOBALIZATION_MEASURES), tuple(GLOBALIZATION_MEASURES)
    elif quantity == "diffusion":
        from worldorder.sim.diffusion_ties import TIE_LAYERS

        allowed, default = list(TIE_LAYERS), DIFFUSION_DEFAULT_TIES
    elif quantity == "gas_trade":
        allowed, default = list(GAS_TRADE_MEASURES), tuple(GAS_TRADE_MEASURES)
    else:
        allowed, default = list(GAS_MEASURES), ("bp", "iea")  # iea_2022_04, the older vintage, only when named
    if raw is None:
        return default
    out = []
    for i, value in enumerate(raw):
        where = path + ("measure",) + ((i,) if isinstance(data.get("measure"), list) else ())
        if value not in allowed:
            close = difflib.get_close_matches(str(value), allowed, n=2)
            hint = f"; did you mean {' or '.join(close)}?" if close else f"; measures for {quantity}: {', '.join(allowed)}"
            doc.problem(where, f"unknown measure {value!r}{hint}")
        elif value not in out:
            out.append(value)
    return tuple(out)


def _openness_among(doc, data, path, raw) -> tuple[str, ...]:
    """Globalization cases: ``all`` (the world) or one state each, for the World Bank's openness only."""
    measures = data.get("measure")
    if measures is None or set([measures] if isinstance(measures, str) else measures) != {"openness_wb"}:
        doc.problem(path + ("among",), "'among' applies to globalization only with measure: openness_wb "
                                       "(the World Bank's openness of the world or of one state)")
        return ("all",)
    out = []
    for i, value in enumerate(raw):
        text = str(value).strip()
        if text != "all" and not re.fullmatch(r"[A-Z]{2,3}|\d{1,3}", text):
            doc.problem(path + ("among", i), f"{text!r} is neither 'all' (the world) nor one state (a COW abbreviation such as USA)")
            continue
        if text not in out:
            out.append(text)
    return tuple(out) or ("all",)


def _among(doc, data, path, quantity, regions) -> tuple[str, ...]:
    raw = _as_list(doc, data.get("among"), path + ("among",), "reference set")
    if quantity == "globalization" and raw is not None:
        return _openness_among(doc, data, path, raw)
    if quantity in ("globalization", "gas_dependence", "gas_trade", "diffusion"):
        if raw is not None:
            doc.problem(path + ("among",), f"'among' does not apply to quantity {quantity}")
        return ("all",)
    if raw is None:
        return ("all",)
    from worldorder.power.cow_regions import COW_REGIONS
    from worldorder.power.reference import ReferenceSet, ReferenceSetError

    out = []
    for i, value in enumerate(raw):
        where = path + ("among",) + ((i,) if isinstance(data.get("among"), list) else ())
        text = str(value).strip()
        try:
            reference = ReferenceSet.parse(text)
        except ReferenceSetError as error:
            doc.problem(where, str(error))
            continue
        if reference.kind == "region" and reference.scheme is None and reference.name not in regions and reference.name not in COW_REGIONS:
            known = list(regions) + list(COW_REGIONS)
            close = difflib.get_close_matches(reference.name, known, n=2)
            hint = f"; did you mean {' or '.join(close)}?" if close else f"; regions: {', '.join(known)}"
            doc.problem(where, f"no region {reference.name!r} in the ledger's regions or the COW regions{hint} "
                               "(UN regions are written region:un:NAME)")
            continue
        if text not in out:
            out.append(text)
    return tuple(out) or ("all",)


def _rules(doc, data, path, quantity, index) -> tuple[str | None, ...]:
    raw = _as_list(doc, data.get("rule"), path + ("rule",), "pole rule")
    if quantity != "polarity" or index not in RULE_INDICES:
        if raw is not None:
            doc.problem(path + ("rule",), "'rule' applies only to the pole count and label (index polarity, n_poles or poles)")
        return (None,)
    from worldorder.power import PowerError, pole_rule
    from worldorder.power.polarity import DEFAULT_RULES

    if raw is None:
        return tuple(DEFAULT_RULES)
    out = []
    for i, value in enumerate(raw):
        where = path + ("rule",) + ((i,) if isinstance(data.get("rule"), list) else ())
        try:
            out.append(pole_rule(str(value)).name)
        except PowerError as error:
            doc.problem(where, str(error))
    return tuple(dict.fromkeys(out))


def _predicate(doc, data, path, quantity, index, state) -> Predicate | None:
    if not isinstance(data, dict):
        doc.problem(path, f"'predicate' is required: a mapping with 'type' ({', '.join(PREDICATES)})")
        return None
    kind = data.get("type")
    if kind not in PREDICATES:
        close = difflib.get_close_matches(str(kind), list(PREDICATES), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        doc.problem(path + ("type",), f"predicate type must be one of {', '.join(PREDICATES)}, not {kind!r}{hint}")
        return None
    required, optional = PREDICATES[kind]
    _unknown_keys(doc, data, path, ("type", *required, *optional))
    for key in required:
        if key not in data:
            doc.problem(path, f"a {kind} predicate needs '{key}'")
    if any(key not in data for key in required):
        return None
    options = {k: v for k, v in data.items() if k != "type"}
    before = len(doc.problems)
    label_valued = quantity == "polarity" and index in LABEL_INDICES
    # which quantities take which predicates
    if kind in RANKING_PREDICATES and quantity != "ranking":
        doc.problem(path + ("type",), f"a {kind} predicate needs quantity ranking, not {quantity}")
    if (kind == "spreads") != (quantity == "diffusion"):
        doc.problem(path + ("type",), f"quantity diffusion is tested with the predicate spreads, and spreads only applies to it (not {kind} with {quantity})")
    if "since" in options and (not isinstance(options["since"], int) or isinstance(options["since"], bool) or not 1816 <= options["since"] < 2100):
        doc.problem(path + ("since",), "'since' must be a year (the first year the out-of-sample check fits on), such as 1946")
    if quantity == "ranking" and kind not in RANKING_PREDICATES and state is None:
        doc.problem(path + ("type",), f"with quantity ranking, a {kind} predicate needs 'state' in the test (whose share is tested)")
    if label_valued and kind in ("trend", "compare", "recovers"):
        doc.problem(path + ("type",), f"index {index} is a label; a {kind} predicate needs a numeric index such as con or effective_poles")
    if "op" in options:
        op = options["op"]
        op = {"is": "==", "is not": "!=", "=": "=="}.get(op, op)
        if op not in OPS:
            doc.problem(path + ("op",), f"op must be one of {', '.join(OPS)}, not {op!r}")
        elif label_valued and op not in ("==", "!="):
            doc.problem(path + ("op",), f"index {index} is a label: compare it with == or !=")
        options["op"] = op
    if "value" in options:
        value = options["value"]
        if label_valued:
            if not isinstance(value, str):
                doc.problem(path + ("value",), f"index {index} is a label: give a text value such as bipolar")
            elif index == "polarity" and value not in POLARITY_LABELS:
                doc.problem(path + ("value",), f"a polarity label is one of {', '.join(POLARITY_LABELS)}, not {value!r}")
        else:
            try:
                options["value"] = _number(value)
            except ValueError:
                doc.problem(path + ("value",), f"'value' must be a number (or a fraction such as 1/3), not {value!r}")
    if "at_least" in options:
        try:
            options["at_least"] = _number(options["at_least"])
            if not 0 < options["at_least"] <= 1:
                raise ValueError
        except ValueError:
            doc.problem(path + ("at_least",), "'at_least' must be a share of years between 0 and 1, such as 0.9")
    if kind == "threshold":
        at = options.get("at", "latest")
        if not (at in AT_STATS or (isinstance(at, int) and not isinstance(at, bool))):
            doc.problem(path + ("at",), f"'at' must be {', '.join(AT_STATS)} or a year, not {at!r}")
        if label_valued and at in ("mean", "min", "max"):
            doc.problem(path + ("at",), f"index {index} is a label: use at latest, first or a year")
    if kind in ("rank", "exceeds-next"):
        at = options.get("at", "latest")
        if at not in AT_YEARS:
            doc.problem(path + ("at",), f"'at' must be one of {', '.join(AT_YEARS)}, not {at!r}")
    if kind == "compare":
        for side in ("left", "right"):
            value = options[side]
            if isinstance(value, int) and not isinstance(value, bool):
                continue
            if value in ("latest", "first"):
                continue
            try:
                options[side] = parse_years(value)
                if options[side].latest or (options[side].first is None and options[side].last is None):
                    raise ValueError
            except ValueError:
                doc.problem(path + (side,), f"'{side}' must be a year, latest, first or a span of years such as 2008-2010 (its mean)")
    if kind == "trend" and options["direction"] not in ("rising", "falling"):
        doc.problem(path + ("direction",), f"'direction' must be rising or falling, not {options['direction']!r}")
    if kind == "trend" and "min_years" in options:
        if not isinstance(options["min_years"], int) or options["min_years"] < 3:
            doc.problem(path + ("min_years",), "'min_years' must be a whole number of at least 3")
    if kind == "rank":
        states = options["states"]
        states = states if isinstance(states, list) else [states]
        if not states or any(not isinstance(s, (str, int)) or isinstance(s, bool) for s in states):
            doc.problem(path + ("states",), "'states' must list states (abbreviations, names or COW codes)")
        options["states"] = [str(s) for s in states]
        top = options.get("top", 1)
        if not isinstance(top, int) or isinstance(top, bool) or top < 1:
            doc.problem(path + ("top",), "'top' must be a whole number of at least 1")
        elif top < len(options["states"]):
            doc.problem(path + ("top",), f"{len(options['states'])} states cannot all rank within the top {top}")
    if kind == "exceeds-next":
        if not isinstance(options["state"], (str, int)) or isinstance(options["state"], bool):
            doc.problem(path + ("state",), "'state' must be one state")
        options["state"] = str(options["state"])
        if not isinstance(options["next"], int) or isinstance(options["next"], bool) or options["next"] < 1:
            doc.problem(path + ("next",), "'next' must be a whole number of states, at least 1")
    if kind == "recovers":
        shocks = options["shocks"] if isinstance(options["shocks"], list) else [options["shocks"]]
        if not shocks or any(not isinstance(s, int) or isinstance(s, bool) for s in shocks):
            doc.problem(path + ("shocks",), "'shocks' must list the years of the shocks, such as [1991, 2008, 2020]")
        options["shocks"] = shocks
        within = options.get("within", 5)
        if not isinstance(within, int) or isinstance(within, bool) or within < 0:
            doc.problem(path + ("within",), "'within' must be a whole number of years")
    if len(doc.problems) > before:
        return None
    return Predicate(kind, options, doc.line(path))
