"""The web model's networks: layers, blocs drawn with their share of CINC, and dependence on suppliers or poles."""

from __future__ import annotations

import numpy as np
import pandas as pd

from worldorder.web.params import MAX_DRAWN_TIES, BadRequest


class NetworkViews:
    """Layers, blocs and dependence for :class:`~worldorder.web.model.WebModel` (uses its memo, store and power frame)."""

    def layer(self, name: str):
        def compute():
            from worldorder import load_layer

            return load_layer(name, db=self.store)

        return self.memo.get(("layer", name), compute)

    def layer_years(self, name: str) -> list[int]:
        return [int(y) for y in self.layer(name).years]

    def network(self, name: str, year: int, resolution: float, runs: int, seed: int) -> dict:
        """Blocs of a layer in a year, positions for a drawing, and each bloc's share of CINC."""
        layer = self.layer(name)
        if year not in layer:
            years = layer.years
            raise BadRequest(f"The {name} layer has no data for {year}; it covers {years[0]}-{years[-1]}.")

        def compute():
            from worldorder import alliance_ties, bloc_polarity, bloc_power, blocs, consensus_blocs, strength
            from worldorder import bloc_layout, bloc_map
            from worldorder import backbone

            graph, tie_types = alliance_ties(layer[year])  # an alliance layer's blocs: defence pacts
            with self._network_lock:
                stability = agreement = None
                if runs > 1:
                    found = consensus_blocs(graph, runs=runs, resolution=resolution, seed=seed)
                    table, stability, agreement = found.blocs, found.stability, found.agreement
                else:
                    table = blocs(graph, resolution=resolution, seed=seed)
            codes = np.asarray(graph.vs["ccode"], dtype=np.int64)
            cinc = self.power_frame()[["ccode", "year", "cinc"]]
            cinc = cinc[(cinc["year"] == year) & cinc["cinc"].notna()]
            weight = pd.Series(cinc["cinc"].to_numpy(), index=cinc["ccode"].astype(int).to_numpy())
            bloc_of = pd.Series(table["bloc"].to_numpy(), index=table["ccode"].astype(int).to_numpy()).reindex(codes).fillna(-1).to_numpy()
            with self._network_lock:  # blocs laid out apart, the largest states (by CINC) at the heart of a dense bloc
                coords = bloc_layout(graph, bloc_of, seed=seed, size=weight.reindex(codes).fillna(0).to_numpy())
            nodes = pd.DataFrame({"ccode": codes, "stateabb": graph.vs["stateabb"], "x": coords[:, 0], "y": coords[:, 1]})
            nodes = nodes.merge(table.drop(columns=[c for c in ("year", "stateabb") if c in table.columns]), on="ccode", how="left")
            power = strength(graph)
            nodes = nodes.merge(power[["ccode", "strength"]], on="ccode", how="left")
            from worldorder import state_names

            names = state_names(year, db=self.store.path)  # the names of that year (the Soviet Union in 1985)
            nodes.insert(2, "name", [names.get(int(c), str(c)) for c in nodes["ccode"]])
            picture = bloc_map(table, year, size=cinc[["ccode", "cinc"]] if not cinc.empty else None, names=names, db=self.store.path)
            nodes["colour"] = nodes["ccode"].map(dict(zip(picture.states["ccode"], picture.states["colour"])))
            nodes["cinc"] = nodes["ccode"].map(weight)
            edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
            weights = np.asarray(graph.es["weight"], dtype=np.float64) if graph.ecount() else np.zeros(0)
            keep = np.arange(len(edges))
            if len(edges) > 4 * graph.vcount():
                keep = backbone(graph)
            if len(keep) > MAX_DRAWN_TIES:
                keep = keep[np.argsort(np.abs(weights[keep]))[-MAX_DRAWN_TIES:]]
            ties = pd.DataFrame({
                "ccode1": codes[edges[keep, 0]] if len(keep) else [],
                "ccode2": codes[edges[keep, 1]] if len(keep) else [],
                "weight": weights[keep] if len(keep) else [],
            })
            with_year = table.assign(year=year) if "year" not in table.columns else table
            bloc_table = bloc_power(with_year, cinc, value="cinc") if not cinc.empty else (
                with_year.groupby("bloc", as_index=False).agg(size=("ccode", "size"), members=("stateabb", " ".join))
            )
            summary = bloc_polarity(with_year, cinc if not cinc.empty else None, value="cinc" if not cinc.empty else None)
            info = {
                "layer": name, "year": year, "states": int(graph.vcount()), "ties": int(graph.ecount()),
                "ties_drawn": int(len(ties)), "tie_types": tie_types, "directed": bool(layer.directed), "unit": layer.unit, "source": layer.source,
                "runs": runs, "resolution": resolution, "seed": seed,
                "stability": stability, "agreement": agreement,
            }
            return {"nodes": nodes, "ties": ties, "blocs": bloc_table, "summary": summary, "info": info,
                    "legend": picture.legend, "shapes": picture.shapes[["iso3", "ccode", "name", "bloc", "colour"]],
                    "too_small": picture.missing}

        return self.memo.get(("network", name, year, resolution, runs, seed), compute)

    # -- dependence ------------------------------------------------------------------------------
    def state(self, query: str):
        """The state named by ``query`` (name, ISO3, COW code or abbreviation)."""
        from worldorder import UnknownCountryError, country

        try:
            return country(query.strip(), db=self.store.path)
        except UnknownCountryError as error:
            raise BadRequest(str(error)) from None

    def gas_flows(self, source: str) -> pd.DataFrame:
        def compute():
            from worldorder import load_gas_flows

            return load_gas_flows(db=self.store, source=source)

        return self.memo.get(("gas_flows", source), compute)

    def trade(self) -> pd.DataFrame:
        return self.memo.get(("trade",), lambda: self.store.table("cow_trade_dyadic_4"))

    def dependence(self, query: str, layer: str, by: str, partners: tuple[str, ...]) -> tuple[pd.DataFrame, dict]:
        """Who ``query`` depends on: gas suppliers' shares, or trade with the poles ``partners``."""
        state = self.state(query)

        def compute():
            from worldorder import gas_dependence, trade_dependence

            if layer in ("gas", "gas_bp"):
                period = "year" if layer == "gas_bp" else by
                table = gas_dependence(self.gas_flows("iea" if layer == "gas" else "bp"), country=state.ccode, by=period)
                if table.empty:
                    raise BadRequest(
                        f"No pipeline gas imports of {state.name} ({state.stateabb}) in the "
                        f"{'IEA data (2008-2022)' if layer == 'gas' else 'bp 2020 table'}."
                    )
                # IEA: physical border flows, not origin; gaps, partial years and aggregate rows (worldorder.gas_vintage)
                partial = f"{table.attrs['basis']} {table.attrs['vintage']}." if "basis" in table.attrs else ""
                unit = f"million m3 per {period}" if layer == "gas" else "billion m3 per year"  # bp's table is in bcm
                meta = {"label": "supplier", "period": period, "value": "share of pipeline gas imports", "note": partial, "flow_unit": unit,
                        "sources": ["iea_gas_trade_flows_2022_09" if layer == "gas" else "bp_gas_pipeline_trade_2020"]}
                return table, meta
            poles = {}
            for name in partners:
                pole = self.state(name)
                if pole.ccode == state.ccode:
                    raise BadRequest(f"{state.name} cannot be one of its own partners.")
                poles[pole.stateabb] = pole.ccode
            trade = self.trade()
            mine = trade[(trade["ccode1"] == state.ccode) | (trade["ccode2"] == state.ccode)]
            table = trade_dependence(mine, poles)
            table = table[table["ccode"] == state.ccode].reset_index(drop=True)
            if table.empty:
                raise BadRequest(f"No trade of {state.name} ({state.stateabb}) in COW dyadic trade (1870-2014).")
            meta = {"label": "group", "period": "year", "value": "share of total trade (imports + exports)", "note": "", "flow_unit": "million US$",
                    "sources": ["cow_trade_dyadic_4"]}
            return table, meta

        table, meta = self.memo.get(("dependence", state.ccode, layer, by, partners), compute)
        return table, {**meta, "ccode": int(state.ccode), "stateabb": state.stateabb, "name": state.name}
