"""The web model's simulations: projections and scenarios, run one at a time and kept for downloads."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from worldorder.web.params import MAX_HORIZON, WEB_MEASURES, BadRequest, Busy, ClientGone, ScenarioProblems, check_yaml
from worldorder.web.tables import plain
from worldorder.web.wording import polarity_in_words, shock_sentence


@dataclass
class Result:
    """Tables of a projection or scenario run, kept for downloads."""

    kind: str
    tables: dict[str, pd.DataFrame]
    payload: dict = field(default_factory=dict)


class Runs:
    """Projections and scenarios for :class:`~worldorder.web.model.WebModel` (uses its results memo and gate)."""

    def _gate(self, cancelled: Callable[[], bool] | None = None):
        """The simulation gate: one run at a time; a request waits up to a minute, or until its client leaves."""
        gate = self._sim_gate

        class _Gate:
            def __enter__(self):
                for _ in range(120):
                    if cancelled is not None and cancelled():
                        raise ClientGone("The client closed the connection; the run was not started.")
                    if gate.acquire(timeout=0.5):
                        return
                raise Busy("Another simulation is running; try again in a minute.")

            def __exit__(self, *exc):
                gate.release()
                return False

        return _Gate()

    @staticmethod
    def result_id(kind: str, request: dict) -> str:
        text = json.dumps({"kind": kind, **request}, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def projection(self, request: dict, cancelled: Callable[[], bool] | None = None) -> Result:
        """Monte Carlo projection (``worldorder.sim.project``) of one measure.

        ``cancelled`` tells whether the client has gone: the run then does not
        start, or stops after the chunk of paths in progress.
        """

        def advance(label: str) -> None:
            if cancelled is not None and cancelled():
                raise ClientGone("The client closed the connection; the run was stopped.")

        key = self.result_id("projection", request)

        def compute():
            from worldorder import SimulationError, project

            measure = request["measure"]
            column = self.column_of(measure)
            frame = self.power_frame()
            table = frame.loc[frame[column].notna(), ["ccode", "year", column]]
            leader = self.state(request["leader"]).ccode if request.get("leader") else None
            challenger = self.state(request["challenger"]).ccode if request.get("challenger") else None
            try:
                with self._gate(cancelled):
                    result = project(
                        table, horizon=request["horizon"], paths=request["paths"], seed=request["seed"], rule=request["rule"],
                        leader=leader, challenger=challenger, correlation=request["correlation"], drift=request["drift"], progress=advance,
                        workers=min(2, os.cpu_count() or 1),
                    )
            except SimulationError as error:
                raise BadRequest(str(error)) from None
            tables = {name: plain(t) for name, t in result.tables().items()}
            abb = dict(zip(frame["ccode"], frame["stateabb"]))
            if "states" in tables:
                tables["states"].insert(1, "stateabb", tables["states"]["ccode"].map(abb))
            transition = tables["transition"]
            tables["transition"] = transition.assign(
                leader_abb=transition["leader"].map(abb), challenger_abb=transition["challenger"].map(abb)
            )
            settings = {k: (list(v) if isinstance(v, tuple) else v) for k, v in result.settings.items()}
            base_year = int(settings["base_year"])
            names = self.state_names(base_year)  # the names of the base year the paths start from
            top = []
            if "states" in tables:
                first = tables["states"][tables["states"]["year"] == base_year].sort_values("mean", ascending=False)
                top = [int(c) for c in first["ccode"].head(6)]
            payload = {
                "settings": settings, "top_states": top,
                "top_names": {str(c): names.get(c, str(c)) for c in top},
                "abb": {str(c): abb.get(c, str(c)) for c in top},
                "info": self.measure_info(measure),
            }
            return Result("projection", tables, payload)

        result = self.results.get(key, compute)
        return key, result

    def scenario(self, text: str, fmt: str, paths: int) -> tuple[str, Result]:
        """Validate and run a scenario given as TOML or YAML text (``run_scenario``)."""
        key = self.result_id("scenario", {"text": text, "format": fmt, "paths": paths})

        def compute():
            from worldorder import ScenarioError, SimulationError, load_scenario, run_scenario

            if fmt == "yaml":
                check_yaml(text)
            with tempfile.TemporaryDirectory(prefix="worldorder-web-") as folder:
                path = Path(folder) / f"scenario.{fmt}"  # a name of ours: nothing of the request becomes a path
                path.write_text(text, encoding="utf-8")
                try:
                    scenario = load_scenario(path, db=self.store.path)
                except ScenarioError as error:
                    raise ScenarioProblems(
                        [{"line": p.line, "path": p.path, "message": p.message} for p in error.problems]
                    ) from None
                except RecursionError:
                    raise BadRequest("The scenario is nested too deeply to be a scenario file.") from None
            horizons = [h for h in (scenario.horizon, (scenario.projection or {}).get("horizon")) if h is not None]
            if any(h > MAX_HORIZON for h in horizons):
                raise BadRequest(f"The web app projects to {MAX_HORIZON} at most; lower the horizon.")
            try:
                with self._gate():
                    result = run_scenario(scenario, db=self.store.path, paths=paths, progress=False)
            except SimulationError as error:
                raise BadRequest(str(error)) from None
            tables = {name: plain(t) for name, t in result.tables().items()}
            frame = self.power_frame()
            abb = dict(zip(frame["ccode"], frame["stateabb"]))
            names = self.state_names(scenario.base_year)  # the names of the year the scenario starts from
            for name, table in tables.items():
                if "ccode" in table.columns and "stateabb" not in table.columns:
                    table.insert(1, "stateabb", table["ccode"].map(abb))
                if "ccode" in table.columns and "name" not in table.columns:
                    table.insert(2, "name", table["ccode"].map(lambda c: names.get(int(c), str(c))))
            polarity = tables.get("polarity")
            words = None
            if polarity is not None:
                words = polarity_in_words(polarity, names, abb)
                for column in ("baseline", "scenario"):
                    polarity[column] = polarity[column].astype(str)
            payload = {
                "name": scenario.name, "description": scenario.description, "base_year": scenario.base_year,
                "measure": scenario.measure,
                "measure_label": self.measure_info(scenario.measure)["label"] if scenario.measure in WEB_MEASURES else scenario.measure,
                "rule": scenario.rule, "shocks": [shock_sentence(s, names) for s in scenario.shocks],
                "notes": list(result.notes), "sources": list(result.sources), "paths": paths, "polarity_words": words,
            }
            return Result("scenario", tables, payload)

        return key, self.results.get(key, compute)

    def observed(self) -> list:
        """The example scenarios beside what happened (:func:`worldorder.scenarios_against_observed`), computed once."""

        def compute():
            from worldorder import scenarios_against_observed

            with self._gate():
                return scenarios_against_observed(db=self.store.path)

        return self.memo.get(("observed",), compute)

    def diffusion(self, outcome: str, ties: str, years: str, year: int, until: int, horizon: int, paths: int, seed: int):
        """The Diffusion view (:func:`worldorder.diffusion_view`) of an outcome along ties, simulated from 2024; computed once per request."""
        key = ("diffusion", outcome, ties, years, year, until, horizon, paths, seed)

        def compute():
            from worldorder import diffusion_view

            with self._gate():
                return diffusion_view(outcome, ties=ties, years=years, year=year, until=until, start=2024, horizon=horizon,
                                      paths=paths, seed=seed, db=self.store.path)

        return self.memo.get(key, compute)

