"""The web app's JSON API: every endpoint, its numbers against the library, 4xx on bad input, OpenAPI.

The app gets a store file of its own, opened read-only: the session store of
``conftest.py`` is written by other tests in this process, and DuckDB allows
no read-only connection to a file this process also writes.  The data sets
are copied into it from the session store (ingested there once if needed).
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():  # starlette's test client warns that it prefers httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402


NORD_STREAM = """
name = "Nord Stream cut"
base_year = 2014
measure = "gdp"

[[shocks]]
type = "link_removal"
border_point = "Nord Stream"
"""


def web_store_file(store, folder: Path) -> Path:
    """A store file for the app with the data sets it reads, copied from the session store."""
    from worldorder.web.app import prepare_store

    path = folder / "web-store.duckdb"
    if not path.exists():  # another test module of this session may have built it
        building = folder / "web-store.building.duckdb"
        prepare_store(building, source=store)
        building.rename(path)
    return path


@pytest.fixture(scope="module")
def app(store, tmp_path_factory):
    from worldorder.web.app import create_app

    return create_app(web_store_file(store, tmp_path_factory.getbasetemp()), warm=False)


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, raise_server_exceptions=True) as test_client:
        yield test_client


def ok(client, url: str, **params):
    response = client.get(url, params=params) if params else client.get(url)
    assert response.status_code == 200, response.text
    return response


def rows(table: dict) -> pd.DataFrame:
    return pd.DataFrame(table["data"], columns=table["columns"])


def unprocessable(response, *words: str) -> str:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    for word in words:
        assert word in detail, detail
    return detail


# -- the app itself -------------------------------------------------------------------------------
def test_the_api_reference_page_lists_every_operation_without_scripts(client):
    spec = ok(client, "/openapi.json").json()
    page = ok(client, "/docs").text
    for path, operations in spec["paths"].items():
        for method in operations:
            assert f"<code>{method.upper()} {path}</code>" in page, (method, path)
    assert "<script" not in page.split("</head>")[1]  # the page itself runs no script
    assert "one of json, csv, parquet" in page and "Reference set: all, majors" in page
    for operations in spec["paths"].values():  # every parameter says what it is
        for operation in operations.values():
            assert all(p.get("description") for p in operation.get("parameters", [])), operation["summary"]


def test_openapi_describes_every_endpoint(client):
    spec = ok(client, "/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/health", "/api/meta", "/api/timeline", "/api/agreement", "/api/map", "/api/regions",
        "/api/regions/polarity", "/api/network/years", "/api/network", "/api/dependence", "/api/projection",
        "/api/scenario", "/api/results/{result_id}", "/api/sources", "/api/sources/{name}/citation",
        "/assets/topojson/world_110m.json",
    } <= paths
    measure = next(p for p in spec["paths"]["/api/timeline"]["get"]["parameters"] if p["name"] == "measure")
    assert "cinc" in measure["schema"]["enum"]
    body = spec["components"]["schemas"]["ProjectionRequest"]["properties"]["paths"]
    assert body["maximum"] == 20_000


def test_store_is_open_read_only(app, client):
    from worldorder.store import StoreError, open_store

    store = app.state.store
    assert store.read_only
    assert open_store(store.path) is store  # the library's own look-ups share the read-only connection
    with pytest.raises(StoreError, match="read-only"):
        store.ingest("cow_nmc_7", force=True)
    assert ok(client, "/api/health").json() == {"status": "ok", "version": ok(client, "/api/meta").json()["version"], "read_only": True, "missing": []}


def test_meta_gives_each_measure_its_years(client):
    meta = ok(client, "/api/meta").json()
    measures = {m["key"]: m for m in meta["measures"]}
    assert (measures["cinc"]["first"], measures["cinc"]["last"]) == (1816, 2022)
    assert measures["gdp"]["last"] == 2022 and measures["gdp_wb"]["first"] == 1960  # GDP: Maddison Project 2023, to 2022
    assert meta["limits"]["paths"] == 20_000 and "alliance" in [layer["key"] for layer in meta["layers"]]


def test_pages_and_assets_are_served_from_the_app(client):
    for path in ("/", "/map", "/regions", "/networks", "/futures", "/data"):
        html = ok(client, path).text
        assert "<nav>" in html and "/static/common.js" in html
        assert "https://" not in html.split("<main>")[0]  # no script or style from elsewhere
    script = ok(client, "/vendor/plotly.min.js")
    assert script.headers["content-type"].startswith("text/javascript") and len(script.content) > 1_000_000
    topology = ok(client, "/assets/topojson/world_110m.json").json()
    countries = topology["objects"]["countries"]["geometries"]
    assert topology["type"] == "Topology" and len(countries) == 177
    assert {"USA", "RUS", "FRA", "NOR", "XKX"} <= {g["id"] for g in countries}
    assert "connect-src 'self'" in script.headers["content-security-policy"]


# -- overview -------------------------------------------------------------------------------------
def test_timeline_equals_the_library(client, app):
    from worldorder.power import create_power_years, polarity

    data = ok(client, "/api/timeline", measure="cinc", among="majors", rule="leader:0.5").json()
    table = rows(data["polarity"]).set_index("year")
    expected = polarity(create_power_years(["cinc"], db=app.state.store), "cinc", among="majors", rule="leader:0.5")
    expected = expected[expected["n"] > 0].set_index("year")
    assert table.index.min() == 1816 and table.index.max() == 2022
    pd.testing.assert_series_equal(table["con"], expected["con"], check_names=False)
    assert table.loc[1946, "leader"] == "USA" and table.loc[1850, "leader"] == "UKG"
    assert data["latest"]["year"] == 2022 and data["latest"]["con"] == pytest.approx(expected.loc[2022, "con"])
    assert data["latest"]["leader"] == "CHN" and data["latest"]["leader_name"] == "China"  # the sentence names the leader
    cold_war = ok(client, "/api/timeline", measure="cinc", among="majors", rule="leader:0.5", last=1985).json()["latest"]
    assert cold_war["leader_name"] == {"USA": "United States of America", "RUS": "Soviet Union"}[cold_war["leader"]]
    eras = rows(data["eras"])
    assert eras["start"].iloc[0] == 1816 and eras["end"].iloc[-1] == 2022
    assert (eras["start"].iloc[1:].to_numpy() == eras["end"].iloc[:-1].to_numpy() + 1).all()
    assert "Sources:" in data["caption"] and "Rule: leader:0.5" in data["caption"]


def test_timeline_downloads_match_the_json(client):
    data = ok(client, "/api/timeline", measure="gdp", among="top:5").json()
    csv = ok(client, "/api/timeline", measure="gdp", among="top:5", format="csv")
    assert csv.headers["content-type"].startswith("text/csv") and "attachment" in csv.headers["content-disposition"]
    table = pd.read_csv(io.StringIO(csv.text))
    assert table["con"].round(12).tolist() == rows(data["polarity"])["con"].round(12).tolist()
    eras = ok(client, "/api/timeline", measure="gdp", among="top:5", format="parquet", table="eras")
    assert len(pd.read_parquet(io.BytesIO(eras.content))) == data["eras"]["rows"]
    assert ok(client, "/api/timeline", measure="gdp", among="top:5", first=1900, last=1950).json()["polarity"]["rows"] == 51


def test_repeated_requests_are_answered_from_memory(client, monkeypatch):
    from worldorder.web.cache import Memo

    params = {"measure": "milex", "among": "all", "rule": "wayman"}
    first = ok(client, "/api/timeline", **params).content
    computed = []
    original = Memo.get
    monkeypatch.setattr(Memo, "get", lambda self, key, compute: computed.append(key) or original(self, key, compute))
    for _ in range(20):
        assert ok(client, "/api/timeline", **params).content == first
    assert computed == []  # every repeat was served from the response memo


def test_agreement_across_measures(client):
    data = ok(client, "/api/agreement", among="majors").json()
    table = rows(data["table"])
    assert set(data["combinations"]) >= {"cinc|leader:0.5", "gdp|wayman", "milex|threshold:0.1"}
    assert table["agreement"].between(0, 1).all() and set(table["modal"]) <= {"unipolar", "bipolar", "multipolar", "nonpolar"}
    assert ok(client, "/api/agreement", among="majors", format="csv").text.startswith("year,")
    # one measure alone agrees with itself: no agreement is given where fewer than two measures have data
    two = rows(ok(client, "/api/agreement", among="majors", measures="cinc,gdp_wb").json()["table"]).set_index("year")
    assert two.loc[2023, "measures"] == 1 and pd.isna(two.loc[2023, "agreement"])  # World Bank GDP runs a year past CINC
    assert two.loc[1990, "measures"] == 2 and two.loc[1990, "agreement"] > 0
    assert (two["agreement"].isna() == (two["measures"] < 2)).all()


@pytest.mark.parametrize(
    ("url", "params", "words"),
    [
        ("/api/timeline", {"measure": "power"}, ("measure",)),
        ("/api/timeline", {"among": "friends"}, ("among",)),
        ("/api/timeline", {"among": "top:500"}, ("top:K",)),
        ("/api/timeline", {"rule": "leader:2"}, ("rule",)),
        ("/api/timeline", {"first": 1990, "last": 1950}, ("after",)),
        ("/api/timeline", {"measure": "gdp_wb", "last": 1900}, ("1960",)),
        ("/api/timeline", {"format": "xlsx"}, ("format",)),
        ("/api/agreement", {"measures": "cinc,nope"}, ("nope",)),
    ],
)
def test_overview_rejects_bad_input(client, url, params, words):
    unprocessable(client.get(url, params=params), *words)


# -- composite of the user's weights --------------------------------------------------------------
WEIGHTS = "gdp:0.5,milex:0.3,population:0.2"


def test_composite_timeline_equals_the_library(client, app):
    from worldorder.power import create_power_years, polarity

    data = ok(client, "/api/timeline", measure="composite", weights=WEIGHTS, among="majors", rule="leader:0.5").json()
    table = rows(data["polarity"]).set_index("year")
    frame = create_power_years(["composite"], weights={"gdp": 0.5, "milex": 0.3, "population": 0.2}, db=app.state.store)
    expected = polarity(frame, "composite", among="majors", rule="leader:0.5")
    expected = expected[expected["n"] > 0].set_index("year")
    pd.testing.assert_series_equal(table["con"], expected["con"], check_names=False)
    pd.testing.assert_series_equal(table["top1_share"], expected["top1_share"], check_names=False)
    assert table["leader"].tolist() == expected["leader"].tolist()
    assert table["polarity"].tolist() == expected["polarity"].astype(str).tolist()
    assert data["measure"]["key"] == "composite" and data["measure"]["weights"] == {"gdp": 0.5, "milex": 0.3, "population": 0.2}
    assert "gdp 0.5, milex 0.3, population 0.2" in data["caption"] and "normalised to sum to 1" in data["caption"]
    # the library normalises the weights: scaled weights give the same numbers, under their own cache key
    scaled = ok(client, "/api/timeline", measure="composite", weights="gdp:5,milex:3,population:2", among="majors").json()
    assert rows(scaled["polarity"])["con"].tolist() == pytest.approx(table["con"].tolist())
    assert "gdp 5, milex 3, population 2" in scaled["caption"] and "(gdp 0.5, milex 0.3, population 0.2)" in scaled["caption"]
    # other weights, other numbers: the weights are part of the cache key
    other = ok(client, "/api/timeline", measure="composite", weights="gdp:1,milex:1", among="majors").json()
    assert rows(other["polarity"])["con"].tolist() != pytest.approx(table["con"].tolist())
    csv = pd.read_csv(io.StringIO(ok(client, "/api/timeline", measure="composite", weights=WEIGHTS, among="majors", format="csv").text))
    assert csv["con"].round(12).tolist() == table["con"].round(12).tolist()


def test_composite_map_equals_the_library(client, app):
    from worldorder.power import create_power_years, shares

    data = ok(client, "/api/map", measure="composite", weights=WEIGHTS, among="all", year=2000).json()
    states = rows(data["states"]).set_index("ccode")
    frame = create_power_years(["composite"], weights={"gdp": 0.5, "milex": 0.3, "population": 0.2}, db=app.state.store)
    expected = shares(frame, "composite", among="all")
    expected = expected[(expected["year"] == 2000) & expected["share"].notna()].set_index("ccode")
    assert set(states.index) == set(expected.index)
    assert states["share"].to_numpy() == pytest.approx(expected.loc[states.index, "share"].to_numpy())
    assert states["value"].to_numpy() == pytest.approx(expected.loc[states.index, "composite"].to_numpy())
    assert states["share"].sum() == pytest.approx(1.0) and states.iloc[0].name == 2
    assert "gdp 0.5, milex 0.3, population 0.2" in data["caption"]
    cinc = rows(ok(client, "/api/map", measure="cinc", among="all", year=2000).json()["states"]).set_index("ccode")
    assert cinc.loc[2, "share"] != pytest.approx(states.loc[2, "share"])


def test_composite_joins_the_agreement_of_measures(client, app):
    from worldorder.power import create_power_years, polarity_robustness

    data = ok(client, "/api/agreement", among="majors", weights=WEIGHTS).json()
    assert data["measures"][-1] == "composite" and "composite|leader:0.5" in data["combinations"]
    assert "gdp 0.5, milex 0.3, population 0.2" in data["caption"]
    table = rows(data["table"]).set_index("year")
    frame = create_power_years(["cinc", "gdp", "milex", "population"], db=app.state.store)
    own = create_power_years(["composite"], weights={"gdp": 0.5, "milex": 0.3, "population": 0.2}, db=app.state.store)
    frame = frame.merge(own[["ccode", "year", "composite"]], on=["ccode", "year"], how="left")
    expected = polarity_robustness(frame, ["cinc", "gdp", "milex_usd", "population", "composite"], among="majors",
                                   rules=["leader:0.5", "threshold:0.1", "wayman"]).set_index("year")
    assert table["agreement"].to_numpy() == pytest.approx(expected.loc[table.index, "agreement"].to_numpy())
    assert table["composite|wayman"].tolist() == expected.loc[table.index, "composite|wayman"].astype(str).tolist()
    plain = rows(ok(client, "/api/agreement", among="majors").json()["table"])
    assert not any(c.startswith("composite") for c in plain.columns)
    unprocessable(client.get("/api/agreement", params={"weights": "gdp:-1"}), "non-negative")


def test_composite_regional_polarity_equals_the_library(client, app):
    from worldorder.power import create_power_years, regional_polarity

    data = ok(client, "/api/regions/polarity", measure="composite", weights=WEIGHTS, scheme="cow", year=2000).json()
    table = rows(data["table"]).set_index("region")
    frame = create_power_years(["composite"], weights={"gdp": 0.5, "milex": 0.3, "population": 0.2}, db=app.state.store)
    expected = regional_polarity(frame, "composite", regions="cow", rule="leader:0.5", db=app.state.store)
    expected = expected[(expected["year"] == 2000) & (expected["n"] > 0)].set_index("region")
    assert set(table.index) == set(expected.index)
    assert table["con"].to_numpy() == pytest.approx(expected.loc[table.index, "con"].to_numpy())
    assert table["leader"].tolist() == expected.loc[table.index, "leader"].tolist()
    assert "gdp 0.5, milex 0.3, population 0.2" in data["caption"] and data["measure"]["key"] == "composite"


@pytest.mark.parametrize("url", ["/api/timeline", "/api/map", "/api/regions/polarity"])
@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"weights": "gdp:1,power:2"}, ("unknown component 'power'", "milex")),
        ({"weights": "gdp:0.5,milex:-0.5"}, ("'milex'", "non-negative")),
        ({"weights": "gdp:0,milex:0"}, ("zero", "positive")),
        ({"weights": "cinc:1,gdp:1,milex:1,population:1,irst:1,pec:1,upop:1"}, ("at most 6",)),
        ({"weights": "gdp:1,gdp:2"}, ("twice",)),
        ({"weights": "gdp=1"}, ("component:weight",)),
        ({"weights": "gdp:1e300"}, ("plain number",)),
        ({"weights": "gdp:nan"}, ("plain number",)),
        ({}, ("needs weights",)),
        ({"weights": "x" * 201}, ("weights",)),
    ],
)
def test_composite_rejects_bad_weights(client, url, params, words):
    unprocessable(client.get(url, params={"measure": "composite", "year": 2000, **params}), *words)


def test_weights_only_go_with_the_composite(client):
    unprocessable(client.get("/api/timeline", params={"measure": "cinc", "weights": WEIGHTS}), "only to measure=composite")
    unprocessable(client.get("/api/map", params={"measure": "composite", "weights": "gdp_wb:1", "year": 1950}), "1960")


# -- map ------------------------------------------------------------------------------------------
def test_map_shares_and_shapes(client):
    data = ok(client, "/api/map", measure="cinc", year=1950).json()
    states = rows(data["states"])
    assert states["share"].sum() == pytest.approx(1.0)
    assert states.iloc[0]["stateabb"] == "USA" and states.iloc[0]["rank"] == 1
    shapes = rows(data["shapes"]).set_index("iso3")
    assert shapes.loc["UKR", "ccode"] == 365 and bool(shapes.loc["UKR", "stand_in"])  # the USSR drawn with today's borders
    assert shapes.loc["USA", "ccode"] == 2 and not bool(shapes.loc["USA", "stand_in"])
    assert any("USSR" in s["note"] for s in data["stand_ins"])
    year_1970 = rows(ok(client, "/api/map", measure="cinc", year=1970).json()["shapes"]).set_index("iso3")
    assert year_1970.loc["DEU", "ccode"] == 260 and year_1970.loc["EST", "ccode"] == 365
    missing = {m["ccode"]: m["note"] for m in ok(client, "/api/map", measure="cinc", year=1970).json()["missing"]}
    assert "Democratic Republic" in missing[265]
    csv = pd.read_csv(io.StringIO(ok(client, "/api/map", measure="cinc", year=1950, format="csv").text))
    assert csv["share"].tolist() == pytest.approx(states["share"].tolist())


@pytest.mark.parametrize("year", [1985, 2018])
def test_map_names_states_as_in_the_year_shown(client, mirror, year):
    """Each state's name is its COW spell's name in that year (raw state list, pandas), the Soviet Union for 365 to 1991."""
    spells = pd.read_csv(mirror / "cow" / "statelist2024.csv")
    spells = spells[(spells["styear"] <= year) & (spells["endyear"] >= year)]
    expected = spells.sort_values("styear").drop_duplicates("ccode", keep="last").set_index("ccode")["statenme"].to_dict()
    if year <= 1991:
        expected[365] = "Soviet Union"  # COW calls 365 Russia throughout; readers of a 1985 map expect the USSR
    data = ok(client, "/api/map", measure="cinc", among="all", year=year).json()
    states = rows(data["states"]).set_index("ccode")
    assert len(states) > 100 and dict(zip(states.index, states["name"])) == {c: expected[c] for c in states.index}
    shapes = rows(data["shapes"])
    assert dict(zip(shapes["ccode"], shapes["name"])) == {c: expected[c] for c in shapes["ccode"]}
    assert states.loc[365, "name"] == ("Soviet Union" if year == 1985 else "Russia")
    assert states.loc[345, "name"] == ("Yugoslavia" if year == 1985 else "Serbia")


def test_map_checks_the_year_against_the_coverage(client):
    unprocessable(client.get("/api/map", params={"measure": "cinc", "year": 2023}), "1816", "2022")
    unprocessable(client.get("/api/map", params={"measure": "gdp_wb", "year": 1950}), "1960")
    unprocessable(client.get("/api/map", params={"measure": "cinc", "year": 1700}), "year")
    unprocessable(client.get("/api/map", params={"measure": "cinc"}), "year")
    unprocessable(client.get("/api/map", params={"measure": "cinc", "year": "soon"}), "year")
    unprocessable(client.get("/api/map", params={"measure": "cinc", "year": 1950, "table": "secret"}), "table")


# -- regions --------------------------------------------------------------------------------------
def test_regional_leaders_and_polarity(client):
    data = ok(client, "/api/regions", year=2000, measures="cinc,gdp").json()
    leaders = rows(data["table"]).set_index(["region", "measure"])
    assert leaders.loc[("Americas", "cinc"), "leader"] == "USA" and leaders.loc[("Asia", "cinc"), "leader"] == "CHN"
    assert leaders["share"].between(0, 1).all() and data["absent"] == []
    assert rows(ok(client, "/api/regions", year=2023, measures="cinc,gdp_wb").json()["table"])["measure"].unique().tolist() == ["gdp_wb"]
    polarity = ok(client, "/api/regions/polarity", measure="cinc", scheme="cow", year=1950).json()
    table = rows(polarity["table"])
    assert set(table["region"]) >= {"Americas", "Europe", "Asia"} and (table["year"] == 1950).all()
    un = rows(ok(client, "/api/regions/polarity", measure="cinc", scheme="un").json()["table"])
    assert "Oceania" in set(un["region"])
    unprocessable(client.get("/api/regions", params={"year": 1817, "measures": "gdp_wb"}), "1960")
    unprocessable(client.get("/api/regions", params={"scheme": "galaxy"}), "scheme")
    unprocessable(client.get("/api/regions", params={"measures": ",".join(["cinc"] * 3 + ["x"] * 6)}), "measures")


# -- networks -------------------------------------------------------------------------------------
def test_alliance_blocs_of_1985_hold_nato_together(client):
    data = ok(client, "/api/network", layer="alliance", year=1985, runs=5).json()
    nodes = rows(data["nodes"]).set_index("ccode")
    nato = [2, 20, 200, 210, 211, 220, 260, 325, 390, 640]
    assert nodes.loc[nato, "bloc"].nunique() == 1
    # the map: each bloc's shapes in its colour, its legend naming its largest members by CINC
    legend = rows(data["legend"]).set_index("bloc")
    west = legend.loc[nodes.loc[2, "bloc"]]
    assert west["label"].startswith("United States of America") and nodes.loc[nato, "colour"].eq(west["colour"]).all()
    shapes = rows(data["shapes"]).set_index("iso3")
    assert shapes.loc["USA", "colour"] == west["colour"] and shapes.loc["FRA", "colour"] == west["colour"]
    # names of 1985, not today's: the Soviet Union and the German Federal Republic
    assert nodes.loc[365, "name"] == "Soviet Union" and nodes.loc[260, "name"] == "German Federal Republic"
    assert "Soviet Union" in legend.loc[nodes.loc[365, "bloc"], "label"]
    assert "defence pacts" in data["caption"] and "largest members" not in data["caption"]
    assert {"x", "y", "strength", "stability"} <= set(nodes.columns)
    blocs = rows(data["blocs"])
    assert blocs["power_share"].sum() == pytest.approx(1.0)
    assert data["info"]["ties"] >= data["info"]["ties_drawn"] > 0
    years = ok(client, "/api/network/years", layer="alliance").json()
    assert (years["first"], years["last"]) == (1816, 2018)  # ATOP, the default alliance source, within the COW system (1816-)
    assert data["info"]["tie_types"] == "ATOP defence pacts"
    ties = pd.read_csv(io.StringIO(ok(client, "/api/network", layer="alliance", year=1985, runs=5, format="csv", table="ties").text))
    assert len(ties) == data["ties"]["rows"]


def test_network_rejects_bad_input(client):
    unprocessable(client.get("/api/network", params={"layer": "alliance", "year": 2020}), "2018")
    unprocessable(client.get("/api/network", params={"layer": "friendship", "year": 1985}), "layer")
    unprocessable(client.get("/api/network", params={"layer": "alliance", "year": 1985, "runs": 500}), "runs")
    unprocessable(client.get("/api/network", params={"layer": "alliance", "year": 1985, "resolution": 0}), "resolution")


def test_gas_and_trade_dependence(client):
    gas = ok(client, "/api/dependence", country="Germany", layer="gas", by="year").json()
    table = rows(gas["table"])
    assert gas["stateabb"] == "GMY" and "RUS" in set(table["supplier"])
    assert table.groupby("year")["share"].sum().to_numpy() == pytest.approx(1.0)
    assert gas["flow_unit"] == "million m3 per year" and "flows in million m3 per year" in gas["caption"]  # IEA: million m3 a month
    assert "(GMY). By supplier and year;" in gas["caption"]  # the note is a sentence of its own
    monthly = ok(client, "/api/dependence", country="DEU", layer="gas", by="month").json()
    assert monthly["flow_unit"] == "million m3 per month"
    monthly = rows(monthly["table"])
    assert monthly["month"].str.fullmatch(r"\d{4}-\d{2}").all()
    trade = ok(client, "/api/dependence", country="Japan", layer="trade", partners="USA,CHN").json()
    assert trade["flow_unit"] == "million US$"
    shares = rows(trade["table"])
    assert set(shares["group"]) == {"USA", "CHN", "other"}
    assert shares.groupby("year")["share"].sum().dropna().to_numpy() == pytest.approx(1.0)
    detail = unprocessable(client.get("/api/dependence", params={"country": "Germny", "layer": "gas"}), "Germany")
    assert "Closest" in detail
    unprocessable(client.get("/api/dependence", params={"country": "Japan", "layer": "gas"}), "No pipeline gas")
    unprocessable(client.get("/api/dependence", params={"country": "x" * 100}), "country")


def test_gas_dependence_reaches_september_2022_with_the_physical_flow_note(client, mirror):
    import datetime
    import warnings

    gas = ok(client, "/api/dependence", country="Germany", layer="gas", by="month").json()
    table = rows(gas["table"])
    assert table["month"].max() == "2022-09"
    assert "physical flows" in gas["note"] and "Sep 2022" in gas["note"] and "data to September 2022" in gas["caption"]
    # Russia -> Germany from the raw IEA file: the Nord Stream row (the only Russia exit into Germany), August and September 2022
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = pd.read_excel(mirror / "energy" / "Export_GTF_IEA_202209.xls", sheet_name="Data")
    russia = raw[(raw["Exit"] == "Russia") & (raw["Entry"] == "Germany")]
    for month in ("2022-08", "2022-09"):
        expected = pd.to_numeric(russia[datetime.datetime(int(month[:4]), int(month[5:]), 1)], errors="coerce").sum()
        shown = table[(table["month"] == month) & (table["supplier"] == "RUS")]["flow"]
        assert shown.sum() == pytest.approx(expected, abs=1e-6)
    assert expected == 0.0  # Nord Stream stopped in September 2022


# -- futures --------------------------------------------------------------------------------------
def test_projection_is_reproducible_and_bounded(client):
    request = {"measure": "gdp", "horizon": 2030, "paths": 300, "seed": 7}
    first = client.post("/api/projection", json=request)
    assert first.status_code == 200, first.text
    data = first.json()
    again = client.post("/api/projection", json=request).json()
    assert data["labels"] == again["labels"] and data["fan"] == again["fan"]
    labels = rows(data["labels"])
    assert labels["year"].iloc[-1] == 2030
    assert labels[["nonpolar", "unipolar", "bipolar", "multipolar"]].sum(axis=1).to_numpy() == pytest.approx(1.0)
    assert data["settings"]["paths"] == 300 and data["settings"]["base_year"] == 2022  # GDP: Maddison Project 2023, to 2022
    # the track record: one sentence per set of origins (chosen on, held out before, held out after), shown as lines
    parts = data["track_record_parts"]
    assert data["track_record"] == " ".join(parts) and parts[0].startswith("Track record: in backtests from 1960-2000")
    assert parts[1].startswith("Held out from every choice of model, from 1830-1955") and parts[2].startswith("Also held out, from 2005-2015:")
    download = ok(client, data["downloads"]["transition"]["csv"])
    assert pd.read_csv(io.StringIO(download.text))["p_overtaken"].between(0, 1).all()
    assert client.get(f"/api/results/{'0' * 16}", params={"table": "labels"}).status_code == 404
    assert client.get("/api/results/..%2Fetc", params={"table": "labels"}).status_code == 404
    for bad, word in (({"paths": 10_000_000}, "paths"), ({"horizon": 2500}, "horizon"), ({"rule": "vibes"}, "rule"),
                      ({"measure": "gdp", "horizon": 2010}, "horizon"), ({"leader": "Narnia"}, "Narnia"), ({"extra": 1}, "extra"),
                      ({"drift": "trend"}, "drift")):
        unprocessable(client.post("/api/projection", json={**request, **bad}), word)


def test_scenario_runs_baseline_against_shock(client):
    response = client.post("/api/scenario", json={"text": NORD_STREAM, "format": "toml", "paths": 200})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["name"] == "Nord Stream cut"
    assert data["shocks"] == ["Flows through the Nord Stream border point are cut by 100%."]  # a sentence, not a class name
    gas = rows(data["gas_dependence"])
    german = gas[(gas["ccode"] == 255) & (gas["supplier"] == "RUS")]
    assert not german.empty and (german["scenario"].fillna(0) < german["baseline"]).all()
    assert (gas["change"].abs() >= 0.0005).all() and data["gas_dependence_hidden"] >= 0  # no change that rounds to 0.0%
    assert set(german["name"]) == {"Germany"}
    polarity = rows(data["polarity"]).set_index("index")
    assert polarity.loc["polarity", "baseline"] in {"unipolar", "bipolar", "multipolar"}
    words = rows(data["polarity_words"]).set_index("index")  # states by name, not COW code
    leader = int(float(polarity.loc["leader_ccode", "baseline"]))
    assert words.loc["leader_ccode", "what"] == "leader"
    assert words.loc["leader_ccode", "baseline"] == {2: "United States of America", 710: "China"}[leader]
    assert "gas_dependence" in data["downloads"]


def test_scenario_problems_come_back_with_their_lines(client):
    text = 'name = "x"\nbase_year = 2014\n\n[[shocks]]\ntype = "sanctions"\nbetween = ["west", "Atlantis"]\n'
    response = client.post("/api/scenario", json={"text": text, "format": "toml"})
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert any(p["line"] == 6 and "Atlantis" in p["message"] for p in problems)
    unprocessable(client.post("/api/scenario", json={"text": "name: [unclosed", "format": "yaml"}), "YAML")
    unprocessable(client.post("/api/scenario", json={"text": "x" * 30_000, "format": "toml"}), "text")
    unprocessable(client.post("/api/scenario", json={"text": NORD_STREAM, "format": "json"}), "format")
    far = NORD_STREAM.replace('measure = "gdp"', 'measure = "gdp"\nhorizon = 2190')
    unprocessable(client.post("/api/scenario", json={"text": far, "format": "toml"}), "2100")


# -- data -----------------------------------------------------------------------------------------
def test_sources_versions_and_citations(client):
    data = ok(client, "/api/sources").json()
    table = rows(data["table"]).set_index("name")
    assert table.loc["cow_nmc_7", "version"] == "7.0" and bool(table.loc["cow_nmc_7", "in_store"])
    assert "@" in table.loc["maddison_2020", "citation"] and "path" not in table.columns
    bib = ok(client, "/api/sources/cow_nmc_7/citation")
    assert bib.headers["content-type"].startswith("text/plain") and bib.text.lstrip().startswith("@")
    assert client.get("/api/sources/no_such_set/citation").status_code == 404
    assert client.get("/api/sources/..%2F..%2Fetc%2Fpasswd/citation").status_code == 404
    parquet = pd.read_parquet(io.BytesIO(ok(client, "/api/sources", format="parquet").content))
    assert len(parquet) == data["table"]["rows"]


def test_scenario_text_cannot_make_the_server_work_without_bound(client):
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    response = client.post("/api/scenario", json={"text": laughs, "format": "yaml"})
    assert response.status_code == 422 and response.json()["problems"][0]["line"] == 1
    deep = "name = " + "[" * 5000 + "]" * 5000
    assert client.post("/api/scenario", json={"text": deep, "format": "toml"}).status_code == 422


# -- other helpers' views, wired in ---------------------------------------------------------------
@pytest.mark.slow
def test_scenarios_against_what_happened_come_from_the_library(client):
    from worldorder import scenarios_against_observed

    checks = ok(client, "/api/observed").json()["checks"]
    expected = scenarios_against_observed()
    assert [c["scenario"] for c in checks] == [c.scenario for c in expected]
    assert [c["headline"] for c in checks] == [c.headline for c in expected] and all(c["headline"] for c in checks)


@pytest.mark.slow
def test_diffusion_view_answers_the_library_numbers_and_the_exposure_of_its_year(client, store):
    from worldorder import backtest_diffusion, fit_diffusion, load, state_names

    query = {"ties": "contiguity,alliance", "years": "1950-2005", "until": 1985, "year": 1991, "paths": 300, "seed": 2}
    data = ok(client, "/api/diffusion", **query).json()
    fit = fit_diffusion("democracy:polyarchy>=0.5", ties="contiguity,alliance", years="1950-2005")
    assert rows(data["coefficients"])["coef"].to_numpy() == pytest.approx(fit.coefficients["coef"].to_numpy())
    check = backtest_diffusion("democracy:polyarchy>=0.5", ties="contiguity,alliance", years="1950-2005", until=1985)
    assert data["verdict"] == check.verdict and data["year"] == 1991 and "V-Dem" in data["caption"]
    assert {"isard_democracy", "cow_contiguity_3_2", "ps_atop_alliance"} <= {s["name"] for s in data["sources"]}
    # exposure along contiguity in 1991, from the raw tables: the share of each state's 1990 neighbours with polyarchy >= 0.5 in 1990
    scores = load("isard_democracy", db=store)
    democratic = scores[scores["year"] == 1990].set_index("ccode")["v2x_polyarchy"].dropna().ge(0.5).astype(float)
    contiguity = load("cow_contiguity_3_2", db=store)
    ties = contiguity[contiguity["year"] == 1990].drop_duplicates(["ccode1", "ccode2"])
    ties = ties.assign(y=ties["ccode2"].map(democratic)).dropna(subset=["y"])
    expected = ties.groupby("ccode1")["y"].mean()
    shown = rows(data["exposure"]).set_index("ccode")["exp_contiguity"]
    both = expected.index.intersection(shown.index)
    assert len(both) > 100 and shown[both].to_numpy() == pytest.approx(expected[both].to_numpy())
    assert set(rows(data["shapes"])["ccode"]) <= set(shown.index)
    # states named as in the year shown: the map's year (1991: the Soviet Union) and the simulation's start (2024)
    assert rows(data["exposure"]).set_index("ccode").loc[365, "name"] == "Soviet Union"
    assert set(rows(data["exposed"])["name"]) <= set(state_names(2024).values())
    csv = ok(client, "/api/diffusion", **query, format="csv", table="shares")
    assert csv.text.startswith("year,weight,mean")
    page = ok(client, "/networks/diffusion")
    assert "/static/diffusion.js" in page.text and 'aria-current="page">Networks' in page.text


@pytest.mark.parametrize("query, words", [({"outcome": "democracy:freedom>2"}, "democracy measure"), ({"ties": "contiguty"}, "Did you mean contiguity"),
                                          ({"years": "1990-1950"}, "1990"), ({"paths": 10**6}, "paths")])
def test_diffusion_rejects_bad_input_saying_what_to_do(client, query, words):
    unprocessable(client.get("/api/diffusion", params=query), words)


def test_required_datasets_follow_the_measure_catalog_and_the_layers(monkeypatch):
    import dataclasses

    from worldorder import CATALOG, LAYERS, get_dataset
    from worldorder.web.params import BLOC_LAYERS, REQUIRED_DATASETS, WEB_MEASURES, required_datasets

    assert len(set(REQUIRED_DATASETS)) == len(REQUIRED_DATASETS) and all(get_dataset(name) for name in REQUIRED_DATASETS)
    assert {name for key in WEB_MEASURES for name in CATALOG[key].sources} <= set(REQUIRED_DATASETS)
    assert {name for layer in BLOC_LAYERS for name in LAYERS[layer][0]} | {"isard_democracy", "ps_cow_mindist"} <= set(REQUIRED_DATASETS)
    # a measure whose source changes changes the list: nothing to keep by hand
    monkeypatch.setitem(CATALOG, "gdp", dataclasses.replace(CATALOG["gdp"], sources=("maddison_2020_test",)))
    assert "maddison_2020_test" in required_datasets() and "maddison_2023" in required_datasets()  # still read by net_power


def test_openness_runs_to_2023_beside_cow_to_2014_with_sources(client, mirror):
    data = ok(client, "/api/openness").json()
    world, cow = data["series"]
    # the World Bank's world series, from the raw file: the World rows (OWID_WRL) of NE.TRD.GNFS.ZS, percent over 100, 0 = missing
    raw = pd.read_csv(mirror / "worldbank" / "owid_trade-as-share-of-gdp.csv")
    raw = raw[(raw["Code"] == "OWID_WRL") & (raw["Trade (% of GDP)"] > 0)].set_index("Year")["Trade (% of GDP)"] / 100
    shown = pd.Series(world["y"], index=world["x"])
    assert shown.to_numpy() == pytest.approx(raw.reindex(shown.index).to_numpy())
    assert world["x"][-1] == 2023 and cow["x"][-1] == 2014 and 0.2 < cow["y"][-1] < 0.8
    assert data["last"] == {world["name"]: 2023, cow["name"]: 2014}
    assert "data to 2023" in data["caption"] and "data to 2014" in data["caption"] and "1970-2023" in data["caption"]
    assert {s["name"] for s in data["sources"]} == {"wb_trade_share", "cow_trade_national_4", "wb_gdp"}
    csv = ok(client, "/api/openness", format="csv").text
    assert csv.startswith("year,openness_wb,openness")
