"""The world-order report: one self-contained HTML file with every section, opened in headless Chromium.

The report is built once per session through the command line (a small
projection keeps it quick) and checked as a file and as a page: no request
leaves the file, no console error, every section and every chart rendered.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from worldorder.report import SECTIONS, ReportError, build_report

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "claims.yaml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def report(store, tmp_path_factory):
    """The report with every section, built with `worldorder report` (2,000 projection paths)."""
    from typer.testing import CliRunner

    from worldorder.cli import app

    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(app, ["report", "--out", str(out), "--ledger", str(EXAMPLE), "--paths", "2000",
                                      "--horizon", "2040", "--seed", "3"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {"path": out, "html": out.read_text(encoding="utf-8"), "log": result.stderr}


@pytest.mark.slow
def test_the_report_is_one_self_contained_file_with_every_section(report):
    html = report["html"]
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    for name in SECTIONS:
        assert re.search(rf'<section id="{name}" class="report-section" data-section="{name}"><h2>', html), name
    # plotly.js is inside the file; nothing is loaded from elsewhere
    assert "plotly.js" in html and len(html) > 3_000_000
    start = html.index("/* plotly.js")
    page = html[:start] + html[html.index("</script>", start):]  # the page without the bundled library
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert "cdn.plot.ly" not in page and "https://cdn" not in page
    # every chart states its sources; the claims section has every claim of the ledger with a verdict
    assert html.count('<figure class="chart">') >= 15
    assert html.count("Sources:") >= 15
    for claim_id in ("bipolar-1946-1989", "unipolar-since-1991", "power-spreading-since-2010", "leaders-europe",
                     "leader-east-asia", "interconnectivity-no-reversal", "nord-stream-share-2021", "us-military-spending"):
        assert f'id="claim-{claim_id}"' in html
    assert html.count('class="verdict ') == html.count('<details class="claim"') >= 17  # one per claim, on its line
    # sources with versions and citations from the registry
    sources = html[html.index('<section id="sources"'):]
    for name in ("cow_nmc_7", "maddison_2023", "wb_gdp", "wb_trade_share", "ps_atop_alliance", "cow_trade_dyadic_4"):
        assert f"<code>{name}</code>" in sources
    assert re.search(r"<code>iea_gas_trade_flows_2022_0[49]</code>", sources)
    assert sources.count('<pre class="bib">@') >= 6
    assert "Wrote" in report["log"] and "MB" in report["log"]


def _open_report(report, width: int = 1440, height: int = 900):
    """The report in headless Chromium (nothing outside the file may load); yields the page, then problems and outside requests."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    problems, outside = [], []
    playwright = sync_api.sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    def route(request_route):
        request = request_route.request
        if request.url.startswith(("file:", "data:", "about:", "blob:")):
            request_route.continue_()
        else:
            outside.append(request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(report["path"].resolve().as_uri(), wait_until="load")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length > 0")

    def close():
        browser.close()
        playwright.stop()

    return page, problems, outside, close


@pytest.mark.slow
def test_the_report_opens_in_headless_chromium_without_errors(report):
    page, problems, outside, close = _open_report(report, width=1280)
    try:
        sections = page.eval_on_selector_all("section[data-section]", "els => els.map(e => [e.id, e.querySelector('h2').innerText, e.innerText.length])")
        page.eval_on_selector_all("details", "els => els.forEach(d => { d.open = true; })")  # every chart, folded or not
        page.wait_for_timeout(500)
        charts = page.eval_on_selector_all("figure.chart > div", "els => els.length")
        drawn = page.eval_on_selector_all(".js-plotly-plot", "els => els.filter(e => e.querySelector('.main-svg') && e.getBoundingClientRect().height > 100).length")
        images = page.eval_on_selector_all("img.network", "els => els.map(e => e.naturalWidth)")
        title = page.title()
    finally:
        close()
    assert problems == [] and outside == []
    assert [s[0] for s in sections] == list(SECTIONS)
    assert all(length > 200 for _, _, length in sections)
    assert charts >= 15 and drawn == charts
    assert images and all(width > 100 for width in images)
    assert "worldorder" in title


@pytest.mark.slow
def test_the_report_opens_with_a_summary_that_links_to_every_section(report):
    page, problems, outside, close = _open_report(report)
    try:
        first = page.eval_on_selector("main section", "e => e.id")
        links = page.eval_on_selector_all("#summary ul.findings a", "els => els.map(a => a.getAttribute('href'))")
        top = page.eval_on_selector("#summary", "e => e.getBoundingClientRect().bottom")
    finally:
        close()
    assert first == "summary" and problems == [] and outside == []
    assert set(links) == {f"#{name}" for name in SECTIONS if name != "summary"}  # one line per section, each linking to it
    assert top <= 1.2 * 900  # the findings fit on about one screen at 1,440 px


@pytest.mark.slow
def test_the_report_unexpanded_is_at_most_twelve_screens(report):
    page, problems, outside, close = _open_report(report)
    try:
        height = page.evaluate("document.documentElement.scrollHeight")
        closed = page.eval_on_selector_all("details", "els => els.filter(d => !d.open).length")
        page.eval_on_selector_all("details", "els => els.forEach(d => { d.open = true; })")
        expanded = page.evaluate("document.documentElement.scrollHeight")
    finally:
        close()
    assert height <= 12 * 900, f"{height} px: {height / 900:.1f} screens of 900 px at 1,440 px wide"
    assert closed >= 20 and expanded > 2 * height  # the detail is there, folded


@pytest.mark.slow
def test_the_bloc_map_renders_with_a_legend_naming_the_blocs(report):
    page, problems, outside, close = _open_report(report)
    try:
        figure = "#blocs figure.chart .js-plotly-plot"
        shapes = page.eval_on_selector_all(f"{figure} .choroplethlocation", "els => els.length")
        colours = page.eval_on_selector_all(f"{figure} .choroplethlocation", "els => [...new Set(els.map(e => getComputedStyle(e).fill))].length")
        legend = page.eval_on_selector_all(f"{figure} .legend .legendtext", "els => els.map(e => e.textContent)")
    finally:
        close()
    assert problems == [] and outside == []  # the world's shapes are inside the file
    assert shapes > 100 and colours >= 4
    assert len(legend) >= 3 and any("USA" in text or "United States" in text for text in legend)
    assert any(text.startswith("no bloc") for text in legend)


@pytest.mark.slow
def test_one_colour_per_label_in_the_report(report):
    from worldorder.palette import LABEL_COLOURS

    page, problems, outside, close = _open_report(report)
    try:
        badges = page.eval_on_selector_all("b.label", "els => els.map(e => [e.textContent, getComputedStyle(e).backgroundColor])")
    finally:
        close()

    def rgb(hex_colour: str) -> str:
        value = int(hex_colour[1:], 16)
        return f"rgb({value >> 16}, {(value >> 8) & 255}, {value & 255})"

    assert badges and all(colour == rgb(LABEL_COLOURS[label]) for label, colour in badges)


@pytest.mark.slow
def test_options_choose_years_measures_and_sections(store, tmp_path):
    report = build_report(tmp_path / "r.html", years=(1900, 1950), measures=["cinc", "milex"],
                          sections=["distribution", "sources"], db=store, progress=False)
    html = report.path.read_text(encoding="utf-8")
    assert report.sections == ("distribution", "sources")
    assert '<section id="distribution"' in html and '<section id="polarity"' not in html and '<section id="claims"' not in html
    assert "cinc (1950)" in html and "milex (1950)" in html  # "today" is the last year with data up to 1950
    assert "gdp_wb" not in html.split('<section id="sources"')[0]
    assert set(report.timings) >= {"data", "distribution", "sources"}


def test_bad_options_are_clear_errors(tmp_path):
    with pytest.raises(ReportError, match="Unknown section"):
        build_report(tmp_path / "r.html", sections=["maps"], progress=False)
    with pytest.raises(ReportError, match="Unknown measure"):
        build_report(tmp_path / "r.html", measures=["gdpp"], progress=False)
    with pytest.raises(ReportError, match="html"):
        build_report(tmp_path / "r.pdf", progress=False)
    result = subprocess.run([sys.executable, "-c", "from worldorder.cli import main; main()", "report", "--section", "maps",
                             "--out", str(tmp_path / "r.html")], capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert result.returncode == 1 and "Unknown section maps" in result.stderr and "Traceback" not in result.stderr


def test_the_report_names_the_shipped_example_ledger_plainly(tmp_path):
    from worldorder.claims import load_ledger
    from worldorder.report.options import default_ledger, ledger_text

    assert ledger_text(load_ledger(default_ledger())) == "the example ledger shipped with worldorder (examples/claims.yaml)"
    own = tmp_path / "mine.yaml"
    own.write_bytes(default_ledger().read_bytes())
    assert ledger_text(load_ledger(own)) == str(own)
