"""The map's country shapes: shipped with the package, and the same as a fresh build from Natural Earth."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from worldorder import shapes as geo

BUILDER = Path(__file__).resolve().parents[1] / "tools" / "build_world_topology.py"


def test_the_shipped_topology_is_what_plotly_reads():
    topology = json.loads(geo.world_topology_json())
    countries = topology["objects"]["countries"]["geometries"]
    assert topology["type"] == "Topology" and len(countries) == 177
    assert {"countries", "land", "coastlines", "ocean", "lakes", "rivers", "subunits"} <= set(topology["objects"])
    names = geo.shape_names()
    assert names["DEU"] == "Germany" and names["FRA"] == "France" and names["XKX"] == "Kosovo"
    every_arc = {index for g in countries for polygon in (g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]) for ring in polygon for index in ring}
    assert every_arc == set(range(len(topology["arcs"])))  # each ring once, nothing dangling


def test_every_stand_in_shape_exists():
    names = geo.shape_names()
    assert all(iso3 in names for stand_in in geo.HISTORICAL_SHAPES for iso3 in stand_in.shapes)


def test_the_shipped_topology_equals_a_fresh_build():
    pytest.importorskip("pyogrio")
    result = subprocess.run([sys.executable, str(BUILDER), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout
