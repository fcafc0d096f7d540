"""The web app end to end: a real uvicorn server on loopback, driven in headless Chromium.

Debian's ``/usr/bin/chromium`` is driven by Playwright (``executable_path``);
no browser is downloaded.  Every request to anything but the app is blocked
and recorded, so the pages are shown to work offline.  Tests skip when the
browser or Playwright is missing.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
PAGES = ("/", "/map", "/regions", "/networks", "/futures", "/data", "/docs")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    """The app on uvicorn in a thread, on a free loopback port, over a store file of its own (read-only)."""
    import uvicorn

    from worldorder.web.app import create_app, prepare_store

    folder = tmp_path_factory.getbasetemp()
    path = folder / "web-store.duckdb"
    if not path.exists():  # the API tests of this session may have built it
        building = folder / "web-store.building.duckdb"
        prepare_store(building, source=store)
        building.rename(path)
    app = create_app(path)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, name="worldorder-e2e-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the uvicorn server did not start")
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    yield base
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def api(server):
    with httpx.Client(base_url=server, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def browser():
    executable = CHROMIUM if CHROMIUM.exists() else (Path(shutil.which("chromium")) if shutil.which("chromium") else None)
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def visit(browser, server):
    """Open a page of the app; collect console errors and any request that leaves the app."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    outside: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith(server):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)

    def open_page(path: str):
        page = context.new_page()
        page.on("console", lambda message: problems.append(f"{path}: {message.text}") if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(f"{path}: {error}"))
        page.goto(server + path)
        page.wait_for_selector("body[data-ready='1']", timeout=30_000)
        return page

    open_page.problems = problems
    open_page.outside = outside
    yield open_page
    context.close()


def _percent(value: float, digits: int = 1) -> str:
    return f"{100 * value:.{digits}f}%"


def test_every_page_loads_without_console_errors_and_offline(visit):
    for path in PAGES:
        page = visit(path)
        assert page.title().endswith("worldorder")
        if path not in ("/data", "/futures", "/docs"):  # futures draws once a projection or scenario runs
            assert page.locator(".js-plotly-plot").count() >= 1, path
    assert visit.problems == []
    assert visit.outside == []  # nothing fetched from a CDN or elsewhere


def test_numbers_on_the_overview_equal_the_api(visit, api):
    page = visit("/?measure=cinc&among=majors&rule=leader:0.5")
    latest = api.get("/api/timeline", params={"measure": "cinc", "among": "majors", "rule": "leader:0.5"}).json()["latest"]
    assert page.inner_text("#latest-year") == str(latest["year"])
    assert page.inner_text("#latest-con") == f"{latest['con']:.3f}"
    assert page.inner_text("#latest-leader") == latest["leader"]
    assert f"{latest['leader_name']} ({latest['leader']})" in page.inner_text("#summary")
    assert page.inner_text("#latest-share") == _percent(latest["top1_share"])
    assert page.inner_text("#latest-polarity") == latest["polarity"]
    eras = api.get("/api/timeline", params={"measure": "cinc", "among": "majors"}).json()["eras"]
    assert page.locator("#eras-table tbody tr").count() == eras["rows"]
    assert visit.problems == []


def test_year_slider_changes_the_map(visit, api):
    page = visit("/map?measure=cinc&among=all&year=2000")
    assert page.get_attribute("#map", "data-year") == "2000"
    before = page.eval_on_selector("#map", "node => ({z: node.data[0].z, locations: node.data[0].locations})")
    page.eval_on_selector("#year", "node => { node.value = 1950; node.dispatchEvent(new Event('input')); node.dispatchEvent(new Event('change')); }")
    page.wait_for_selector("#map[data-year='1950']", timeout=15_000)
    after = page.eval_on_selector("#map", "node => ({z: node.data[0].z, locations: node.data[0].locations})")
    assert after != before
    assert page.inner_text("#year-label") == "1950" and page.inner_text("#table-year") == "1950"
    data = api.get("/api/map", params={"measure": "cinc", "among": "all", "year": 1950}).json()
    states = dict(zip(data["states"]["data"]["ccode"], data["states"]["data"]["share"]))
    drawn = {iso3: 10 ** z for iso3, z in zip(after["locations"], after["z"])}  # a log scale
    assert drawn["USA"] == pytest.approx(states[2]) and drawn["UKR"] == pytest.approx(states[365])  # the USSR on today's map
    first_row = page.locator("#top-table tbody tr").first
    assert first_row.locator("td[data-column='stateabb']").inner_text() == data["states"]["data"]["stateabb"][0]
    assert first_row.locator("td[data-column='share']").inner_text() == _percent(data["states"]["data"]["share"][0], 2)
    assert "USSR" in page.inner_text("#stand-ins")
    page.click("#play")
    page.wait_for_selector("#map[data-year='1951']", timeout=15_000)  # the play button advances the year
    page.click("#play")
    assert visit.problems == []


def _rerendered(page, before: int) -> int:
    page.wait_for_function("n => Number(document.body.dataset.renders) > n", arg=before, timeout=30_000)
    return int(page.get_attribute("body", "data-renders"))


def _apply_composite(page) -> None:
    """Choose "composite (your weights)", weigh gdp 0.2 and milex 0.8, apply, and wait for both redraws."""
    renders = int(page.get_attribute("body", "data-renders"))
    page.select_option("#measure", "composite")
    renders = _rerendered(page, renders)
    for component, weight in (("gdp", "0.2"), ("milex", "0.8"), ("population", "0")):
        page.fill(f"#w-{component}", weight)
    page.click("#apply-weights")
    _rerendered(page, renders)


def test_composite_of_your_weights_updates_the_chart_and_the_map(visit, api):
    page = visit("/?measure=cinc&among=majors&rule=leader:0.5")
    assert page.is_hidden("#composite-weights")
    _apply_composite(page)
    assert page.is_visible("#composite-weights")
    # each weight box is as tall as its name and input, not stretched by the page layout
    heights = page.eval_on_selector_all(".weights-grid label", "labels => labels.map((l) => l.getBoundingClientRect().height)")
    assert heights and max(heights) < 80
    assert "gdp 0.2, milex 0.8" in page.inner_text("#timeline-caption")
    assert "gdp 0.2, milex 0.8" in page.inner_text("#agreement-caption")  # the composite joins the agreement too
    params = {"measure": "composite", "weights": "gdp:0.2,milex:0.8", "among": "majors", "rule": "leader:0.5"}
    data = api.get("/api/timeline", params=params).json()
    assert page.inner_text("#latest-con") == f"{data['latest']['con']:.3f}"
    drawn = page.eval_on_selector("#timeline", "node => node.data[0].y")
    assert drawn == pytest.approx(data["polarity"]["data"]["con"])
    assert "weights=gdp%3A0.2%2Cmilex%3A0.8" in page.url

    page = visit("/map?measure=cinc&among=all&year=2000")
    _apply_composite(page)
    assert "gdp 0.2, milex 0.8" in page.inner_text("#map-caption")
    data = api.get("/api/map", params={"measure": "composite", "weights": "gdp:0.2,milex:0.8", "among": "all", "year": 2000}).json()
    states = dict(zip(data["states"]["data"]["ccode"], data["states"]["data"]["share"]))
    after = page.eval_on_selector("#map", "node => ({z: node.data[0].z, locations: node.data[0].locations})")
    drawn = {iso3: 10 ** z for iso3, z in zip(after["locations"], after["z"])}  # a log scale
    assert drawn["USA"] == pytest.approx(states[2]) and drawn["CHN"] == pytest.approx(states[710])
    assert visit.problems == []


def test_composite_of_your_weights_on_the_regions_page(visit, api):
    page = visit("/regions?year=2000&scheme=cow&measure=cinc&rule=leader:0.5")
    assert page.is_hidden("#composite-weights")
    _apply_composite(page)
    assert "gdp 0.2, milex 0.8" in page.inner_text("#polarity-caption")
    params = {"measure": "composite", "weights": "gdp:0.2,milex:0.8", "scheme": "cow", "rule": "leader:0.5"}
    data = api.get("/api/regions/polarity", params=params).json()["table"]["data"]
    regions = [r for r, y in zip(data["region"], data["year"]) if y == 2000]
    drawn = page.eval_on_selector("#regional-con", "node => node.data.map((trace) => [trace.name, trace.y])")
    expected = {region: [c for r, c in zip(data["region"], data["con"]) if r == region] for region in regions}
    assert sorted(name for name, _ in drawn) == sorted(expected)
    for name, y in drawn:
        assert y == pytest.approx(expected[name], nan_ok=True)
    assert visit.problems == []


def test_a_small_projection_and_a_scenario_run(visit, api):
    page = visit("/futures")
    page.select_option("#p-measure", "gdp")
    page.fill("#p-horizon", "2030")
    page.fill("#p-paths", "300")
    page.fill("#p-seed", "3")
    shown_first = page.get_attribute("#projection-results", "data-id")  # the default projection, shown on load
    page.click("#run-projection")
    page.wait_for_function("id => document.getElementById('projection-results').dataset.id !== id", arg=shown_first, timeout=60_000)
    shown = {name: page.inner_text(f"#p-{name}") for name in ("unipolar", "bipolar", "multipolar", "con")}
    request = {"measure": "gdp", "horizon": 2030, "paths": 300, "seed": 3, "rule": "leader:0.5", "correlation": "region"}
    result = api.post("/api/projection", json=request).json()
    labels = result["labels"]["data"]
    assert shown["unipolar"] == _percent(labels["unipolar"][-1]) and shown["multipolar"] == _percent(labels["multipolar"][-1])
    assert shown["con"] == f"{result['fan']['con']['data']['q50'][-1]:.3f}"
    assert page.locator("#projection-downloads a").count() >= 10

    page.select_option("#s-preset", label="Nord Stream closed (gas, 2014)")
    page.fill("#s-paths", "200")
    page.click("#run-scenario")
    page.wait_for_selector("#scenario-results:not([hidden])", timeout=60_000)
    assert "Nord Stream cut" in page.inner_text("#scenario-title")
    assert page.locator("#scenario-gas_dependence tbody tr").count() > 0
    polarity = page.locator("#scenario-polarity td[data-key='con'][data-column='baseline']").inner_text()
    text = page.input_value("#s-text")
    data = api.post("/api/scenario", json={"text": text, "format": "toml", "paths": 200}).json()
    con = dict(zip(data["polarity"]["data"]["index"], data["polarity"]["data"]["baseline"]))["con"]
    assert polarity == f"{float(con):.3f}"
    assert visit.problems == []


def test_networks_page_draws_blocs_and_dependence(visit, api):
    page = visit("/networks?layer=alliance&year=1985&resolution=1&runs=10")
    summary = api.get("/api/network", params={"layer": "alliance", "year": 1985, "resolution": 1, "runs": 10}).json()["summary"]["data"]
    assert page.inner_text("#effective-blocs") == f"{summary['effective_blocs'][0]:.2f}"
    assert page.inner_text("#n-blocs") == str(summary["blocs"][0])
    assert page.locator("#dependence-table tbody tr").count() > 0
    assert visit.problems == []


# -- readable at a glance ---------------------------------------------------------------------------
def test_futures_shows_the_default_projection_with_its_track_record_on_load(visit):
    page = visit("/futures")
    assert page.is_visible("#projection-results") and page.locator("#fan-con .main-svg").count() >= 1
    assert page.inner_text("#projection-record").startswith("Track record:")
    assert page.locator("#projection-record .record-part").count() == 4  # chosen on, held out before and after, the p note
    assert page.inner_text("#p-unipolar").endswith("%")
    # each chart's title stays clear of Plotly's tool bar (top right), even in the narrow charts
    page.wait_for_selector("#transition-chart .gtitle", state="attached")
    boxes = page.eval_on_selector_all(".js-plotly-plot", """nodes => nodes.filter(n => n.querySelector('.gtitle')).map(n => {
        const t = n.querySelector('.gtitle').getBoundingClientRect(), m = n.querySelector('.modebar').getBoundingClientRect();
        return [n.id, t.right, m.left, t.bottom, m.top]; })""")
    assert len(boxes) >= 4
    assert all(right <= left or bottom <= top for _, right, left, bottom, top in boxes), boxes
    assert visit.problems == []


def test_scenario_results_speak_in_names_and_sentences(visit):
    page = visit("/futures")
    page.select_option("#s-preset", label="US-China trade war (2014)")
    page.fill("#s-paths", "200")
    page.click("#run-scenario")
    page.wait_for_selector("#scenario-results:not([hidden])", timeout=90_000)
    shocks = page.inner_text("#scenario-shocks")
    assert "United States of America and China" in shocks and "Philippines leaves" in shocks
    shown = page.inner_text("#scenario-results")
    assert "TradeWar" not in shown and "AlignmentSwitch" not in shown and "leader_ccode" not in shown
    leader = page.locator("#scenario-polarity td[data-key='leader_ccode'][data-column='baseline']").inner_text()
    assert leader in ("United States of America", "China")
    changes = page.eval_on_selector_all("#scenario-trade_dependence td[data-column='change']", "tds => tds.map(td => td.innerText)")
    assert changes and all(text not in ("0.00%", "-0.00%") for text in changes)  # changes that round to zero are left out
    assert visit.problems == []


def test_a_wrong_address_is_an_html_page_with_links(browser, server):
    page = browser.new_page()
    response = page.goto(server + "/no/such/page")
    assert response.status == 404 and response.headers["content-type"].startswith("text/html")
    links = page.eval_on_selector_all("main a", "els => els.map(a => a.getAttribute('href'))")
    assert {"/", "/map", "/regions", "/networks", "/futures", "/data", "/docs"} <= set(links)
    assert page.locator("nav a[href='/docs']").count() == 1  # the API reference is in the navigation
    page.close()


def test_the_networks_page_draws_blocs_on_a_map_with_a_legend(visit):
    page = visit("/networks?layer=alliance&year=1985")
    traces = page.eval_on_selector("#bloc-map", "node => node.data.map(t => [t.type, t.name, t.locations.length])")
    assert len(traces) >= 4 and all(kind == "choropleth" for kind, _, _ in traces)
    assert traces[0][1].startswith("United States of America") and sum(n for _, _, n in traces) > 120
    assert page.locator("#bloc-map .legend .traces").count() == len(traces)
    page.check("input[name=view][value=network]")
    assert page.is_visible("#network") and page.is_hidden("#bloc-map")
    labelled = page.eval_on_selector("#network", "node => node.data.flatMap(t => t.text || []).filter(x => x).length")
    assert 0 < labelled <= 12  # only the largest states are labelled
    assert visit.problems == []


def test_the_map_says_what_it_shows_instead_of_leaving_blanks(visit):
    page = visit("/map?measure=gdp&among=all&year=1913")
    blank = page.eval_on_selector("#map", "node => node.data.filter(t => t.name === 'no data').flatMap(t => t.locations)")
    assert "AUT" in blank  # Austria-Hungary has no GDP in 1913: drawn as no data, not left blank
    legend = page.eval_on_selector("#map", "node => [node.data[0].colorbar.title.text, node.layout.annotations[0].text]")
    assert "log scale" in legend[0] and "no data" in legend[1]
    page = visit("/map?measure=cinc&year=3000")
    assert page.is_visible("#year-notice") and "3000" in page.inner_text("#year-notice")
    assert page.get_attribute("#map", "data-year") in page.inner_text("#year-notice")
    play, measure = (page.eval_on_selector(s, "n => n.getBoundingClientRect().toJSON()") for s in ("#play", "#measure"))
    assert play["top"] >= measure["bottom"] or play["left"] >= measure["right"]  # Play is not under the Measure box
    assert play["top"] < measure["bottom"] + 40 or play["left"] >= measure["right"]
    assert visit.problems == []


def test_one_colour_per_polarity_label_across_pages(visit):
    from worldorder.palette import LABEL_COLOURS

    def rgb(hex_colour: str) -> str:
        value = int(hex_colour[1:], 16)
        return f"rgb({value >> 16}, {(value >> 8) & 255}, {value & 255})"

    seen = []
    page = visit("/")
    seen += page.eval_on_selector_all("#eras-table .badge", "els => els.map(e => [e.textContent, getComputedStyle(e).backgroundColor])")
    strips = page.eval_on_selector("#timeline", "node => node.layout.shapes.filter(s => s.yref === 'paper' && s.y1 < 0.1).map(s => s.fillcolor)")
    page = visit("/regions?year=2000&scheme=cow")
    seen += page.eval_on_selector_all("#polarity-table .badge", "els => els.map(e => [e.textContent, getComputedStyle(e).backgroundColor])")
    page = visit("/futures")
    lines = page.eval_on_selector("#labels-chart", "node => node.data.map(t => [t.name, t.line.color])")
    assert seen and all(colour == rgb(LABEL_COLOURS[label]) for label, colour in seen)
    assert strips and set(strips) <= set(LABEL_COLOURS.values())
    assert all(colour == LABEL_COLOURS[name] for name, colour in lines)
    assert visit.problems == []


@pytest.mark.slow
def test_the_diffusion_view_maps_exposure_of_a_year_with_a_legend(visit, api):
    page = visit("/networks/diffusion?ties=contiguity,alliance&years=1950-2005&until=1985&year=1991")
    assert page.inner_text("#map-year") == "1991" and page.get_attribute("#exposure-map", "data-year") == "1991"
    traces = page.eval_on_selector("#exposure-map", "node => node.data.map(t => [t.type, t.name, t.locations.length])")
    assert traces[0][0] == "choropleth" and traces[0][2] > 100
    legend = " ".join(page.eval_on_selector_all("#exposure-map .colorbar text", "nodes => nodes.map(n => n.textContent)"))
    assert "share of ties" in legend and "100%" in legend
    assert page.locator("nav a.active").inner_text() == "Networks"
    assert "Sources:" in page.inner_text("#exposure-caption") and page.locator("#coefficients-table tbody tr").count() >= 4
    terms = page.eval_on_selector_all("#coefficients-table td[data-column='term']", "tds => tds.map(td => td.innerText)")
    assert "intercept" in terms and "exposure along contiguity" in terms and not any("_" in t for t in terms)
    page.wait_for_selector("#exposed-table tbody tr")
    assert all(" (" in t for t in page.eval_on_selector_all("#exposed-table tbody td:first-child", "tds => tds.map(td => td.innerText)"))
    page.select_option("#layer", "alliance")
    assert page.eval_on_selector("#exposure-map", "node => node.data[0].z.length") > 100
    assert visit.problems == []


def test_the_networks_page_draws_trade_openness_to_2023(visit):
    page = visit("/networks")
    page.wait_for_selector("#openness .main-svg")
    ends = page.eval_on_selector("#openness", "node => node.data.map(t => t.x[t.x.length - 1])")
    assert ends == [2023, 2014]
    assert "data to 2023" in page.inner_text("#openness-summary") and "Sources:" in page.inner_text("#openness-caption")
    assert visit.problems == []
