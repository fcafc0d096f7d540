"""Build the map's country shapes: ``src/worldorder/web/data/world_110m.json``.

The shapes are Natural Earth's 1:110m Admin 0 countries (public domain), read
from the copy that the ``pyogrio`` package ships beside its tests
(``naturalearth_lowres``), and written as a TopoJSON topology named
``world_110m``: the name Plotly.js asks for when it draws a world map.  The
app serves the file itself, so the map needs neither the network nor pyogrio.

Run from the repository, with pyogrio installed (``pip install pyogrio``)::

    python tools/build_world_topology.py            # rewrite the file
    python tools/build_world_topology.py --check    # exit 1 if the file differs from a fresh build

References
----------
Natural Earth. 1:110m Cultural Vectors, Admin 0 – Countries.
https://www.naturalearthdata.com/ (public domain).
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "worldorder" / "web" / "data" / "world_110m.json"

#: Natural Earth features whose ISO3 code is "-99", by name: the code used here.
ISO3_FIXES = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX", "N. Cyprus": "CYN", "Somaliland": "SOL"}

#: Names of the TopoJSON objects Plotly's geo subplot reads (empty ones are drawn as nothing).
PLOTLY_LAYERS = ("countries", "land", "coastlines", "ocean", "lakes", "rivers", "subunits")

SOURCE = "Natural Earth 1:110m Admin 0 - Countries (public domain), from the naturalearth_lowres copy shipped with pyogrio"


def natural_earth_file() -> Path:
    """The Natural Earth 1:110m countries shapefile shipped with ``pyogrio``."""
    import pyogrio

    path = Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres" / "naturalearth_lowres.shp"
    if not path.exists():
        raise FileNotFoundError(f"pyogrio {pyogrio.__version__} does not ship {path.name}; install pyogrio 0.7 to 0.13.")
    return path


def _rings(data: bytes, offset: int, order: str, precision: int) -> tuple[list, int]:
    (count,) = struct.unpack_from(order + "I", data, offset)
    offset += 4
    rings = []
    for _ in range(count):
        (points,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        values = struct.unpack_from(order + f"{2 * points}d", data, offset)
        offset += 16 * points
        ring = []
        for i in range(0, len(values), 2):
            point = [round(values[i], precision), round(values[i + 1], precision)]
            if not ring or point != ring[-1]:
                ring.append(point)
        if len(ring) >= 4 and ring[0] == ring[-1]:
            rings.append(ring)
    return rings, offset


def polygons_from_wkb(data: bytes, precision: int = 2) -> list:
    """Polygons (lists of rings of [lon, lat]) of a 2-D WKB Polygon or MultiPolygon.

    Rings keep the shapefile's order (exterior clockwise), which is the
    winding d3-geo, and so Plotly, expects.
    """
    order = "<" if data[0] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", data, 1)
    if kind == 3:
        rings, _ = _rings(data, 5, order, precision)
        return [rings] if rings else []
    if kind == 6:
        (count,) = struct.unpack_from(order + "I", data, 5)
        offset, out = 9, []
        for _ in range(count):
            inner = "<" if data[offset] == 1 else ">"
            rings, offset = _rings(data, offset + 5, inner, precision)
            if rings:
                out.append(rings)
        return out
    raise ValueError(f"WKB geometry type {kind} is not a 2-D polygon or multipolygon")


def countries(path: Path) -> list[dict]:
    """Natural Earth countries: ``{"iso3", "name", "polygons"}`` each."""
    from pyogrio import raw

    meta, _, geometry, fields = raw.read(path)
    names = list(meta["fields"])
    column = {name: fields[names.index(name)] for name in ("name", "iso_a3")}
    out = []
    for i, wkb in enumerate(geometry):
        name = str(column["name"][i])
        iso3 = str(column["iso_a3"][i])
        if iso3.startswith("-"):
            iso3 = ISO3_FIXES.get(name, "")
        if not iso3 or wkb is None:
            continue
        out.append({"iso3": iso3, "name": name, "polygons": polygons_from_wkb(bytes(wkb))})
    return out


def topology(shapes: list[dict]) -> bytes:
    """The TopoJSON topology (one arc per ring, no quantization) as JSON bytes.

    Objects ``countries`` (with ``id`` = ISO3 and ``properties.name``) and
    ``land`` hold the shapes; the other layers Plotly may draw are empty.
    """
    arcs: list = []
    geometries = []
    for country in shapes:
        polygons = []
        for polygon in country["polygons"]:
            indexes = []
            for ring in polygon:
                indexes.append([len(arcs)])
                arcs.append(ring)
            polygons.append(indexes)
        geometry = {"type": "MultiPolygon", "arcs": polygons} if len(polygons) > 1 else {"type": "Polygon", "arcs": polygons[0]}
        geometries.append({**geometry, "id": country["iso3"], "properties": {"name": country["name"]}})
    objects = {name: {"type": "GeometryCollection", "geometries": []} for name in PLOTLY_LAYERS}
    objects["countries"]["geometries"] = geometries
    objects["land"]["geometries"] = [{k: v for k, v in g.items() if k in ("type", "arcs")} for g in geometries]
    document = {"type": "Topology", "objects": objects, "arcs": arcs, "bbox": [-180, -90, 180, 90], "properties": {"source": SOURCE}}
    return json.dumps(document, separators=(",", ":")).encode()


def build() -> bytes:
    return topology(countries(natural_earth_file()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with a fresh build instead of writing")
    args = parser.parse_args(argv)
    fresh = build()
    if args.check:
        same = TARGET.exists() and TARGET.read_bytes() == fresh
        print(f"{TARGET}: {'up to date' if same else 'differs from a fresh build'}")
        return 0 if same else 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(fresh)
    print(f"wrote {TARGET} ({len(fresh):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
