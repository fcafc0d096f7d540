/* Futures: a Monte Carlo projection and a scenario run against its baseline, from forms. */
"use strict";

const PRESETS = {
  "Nord Stream closed (gas, 2014)": ["toml", `# Flows through the Nord Stream border point (Russia -> Germany) stop; gas dependences
# are recomputed without rerouting.
name = "Nord Stream cut"
description = "All flows through the Nord Stream border point stop."
base_year = 2014
measure = "gdp"

[[shocks]]
type = "link_removal"
border_point = "Nord Stream"
fraction = 1.0
`],
  "Sanctions between blocs (trade, 2014)": ["toml", `# Trade between a Western bloc and Russia-Belarus falls by 80%, solved in general
# equilibrium (structural gravity); GDP-based power moves with real GDP.
name = "Western sanctions on Russia and Belarus"
base_year = 2014
measure = "gdp_wb"

[blocs]
west = ["USA", "CAN", "GBR", "FRA", "DEU", "ITA", "JPN", "KOR", "AUS", "NLD", "POL"]
east = ["RUS", "BLR"]

[[shocks]]
type = "sanctions"
between = ["west", "east"]
fraction = 0.8
`],
  "Pandemic year (borders close, 2014)": ["toml", `# Cross-border trade scaled down by 30%, and a two-year growth slump of the largest economies.
name = "Pandemic year"
base_year = 2014
measure = "gdp_wb"
horizon = 2020

[[shocks]]
type = "border_closure"
fraction = 0.3

[[shocks]]
type = "growth"
states = ["USA", "CHN", "JPN", "DEU", "GBR", "FRA", "IND"]
change = -0.04
start = 2015
end = 2016
`],
  "US-China trade war (2014)": ["yaml", `# A 25% tariff-equivalent between the US and China, and the Philippines changing camp.
name: US-China trade war
base_year: 2014
measure: gdp_wb
blocs:
  us_camp: [USA, JPN, KOR, PHL, AUS]
  china_camp: [CHN, PRK]
shocks:
  - type: trade_war
    between: [USA, CHN]
    tariff: 0.25
  - type: alignment_switch
    state: PHL
    from: us_camp
    to: china_camp
`],
  "China's growth slump, projected to 2050": ["toml", `# China's annual growth two points lower from 2019 to 2030; baseline and scenario are
# projected with the same seed (common random numbers).
name = "Chinese growth slump"
base_year = 2018
measure = "gdp"

[projection]
horizon = 2050
seed = 1

[[shocks]]
type = "growth"
states = ["CHN"]
change = -0.02
start = 2019
end = 2030
`],
};

(async () => {
  const meta = await WO.meta();
  WO.fillSelect("p-measure", WO.measureOptions(meta).filter(([key]) => !key.startsWith("cinc_recomputed")), "gdp");
  WO.fillSelect("p-rule", WO.ruleOptions(meta), "leader:0.5");
  document.getElementById("p-paths").max = meta.limits.paths;
  document.getElementById("s-paths").max = meta.limits.paths;
  document.getElementById("p-horizon").max = meta.limits.horizon;

  // -- projection ---------------------------------------------------------------------------
  function rgb(hex) {
    const n = parseInt(hex.slice(1), 16);
    return `rgb(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255})`;
  }
  function band(table, low, high, name, colour, opacity) {
    return [
      { x: table.year, y: table[high], mode: "lines", line: { width: 0 }, hoverinfo: "skip", showlegend: false },
      { x: table.year, y: table[low], mode: "lines", line: { width: 0 }, fill: "tonexty", fillcolor: colour.replace("rgb", "rgba").replace(")", `,${opacity})`), name, hoverinfo: "skip" },
    ];
  }
  function fanTraces(table, colour, label) {
    return [
      ...band(table, "q05", "q95", `${label} 5–95%`, colour, 0.15),
      ...band(table, "q25", "q75", `${label} 25–75%`, colour, 0.3),
      { x: table.year, y: table.q50, mode: "lines", line: { color: colour, width: 2 }, name: `${label} median`, hovertemplate: `${label} %{x}: median %{y:.3f}<extra></extra>` },
    ];
  }

  async function runProjection() {
    const status = document.getElementById("projection-status");
    const button = document.getElementById("run-projection");
    const request = {
      measure: document.getElementById("p-measure").value,
      horizon: Number(document.getElementById("p-horizon").value),
      paths: Number(document.getElementById("p-paths").value),
      seed: Number(document.getElementById("p-seed").value),
      rule: document.getElementById("p-rule").value,
      correlation: document.getElementById("p-correlation").value,
      drift: document.getElementById("p-drift").value,
    };
    button.disabled = true;
    status.classList.remove("error");
    status.textContent = `Simulating ${request.paths.toLocaleString()} paths…`;
    try {
      const data = await WO.post("/api/projection", request);
      status.textContent = "";
      document.getElementById("projection-results").hidden = false;
      const labels = data.labels.data;
      const last = labels.year.length - 1;
      const tr = data.transition.data;
      const con = data.fan.con.data;
      document.getElementById("projection-summary").replaceChildren(
        `From ${data.settings.base_year} (${data.settings.states} states) to ${data.settings.horizon}, ${data.settings.paths.toLocaleString()} paths, seed ${data.settings.seed}: in `,
        WO.el("b", { text: String(labels.year[last]) }), " the system is unipolar with probability ", WO.el("b", { id: "p-unipolar", text: WO.percent(labels.unipolar[last]) }),
        ", bipolar ", WO.el("b", { id: "p-bipolar", text: WO.percent(labels.bipolar[last]) }), ", multipolar ", WO.el("b", { id: "p-multipolar", text: WO.percent(labels.multipolar[last]) }),
        `; median CON `, WO.el("b", { id: "p-con", text: WO.number(con.q50[con.q50.length - 1], 3) }),
        `; ${tr.challenger_abb[last]} has overtaken ${tr.leader_abb[last]} in some year with probability `, WO.el("b", { id: "p-overtaken", text: WO.percent(tr.p_overtaken[last]) }), "."
      );
      document.getElementById("projection-record").replaceChildren(
        ...(data.track_record_parts || [data.track_record || ""]).map((part) => WO.el("span", { class: "record-part", text: part })));
      WO.plot("fan-con", fanTraces(con, "rgb(29,39,51)", "CON"), { title: { text: "Concentration (CON)", font: { size: 13 } }, xaxis: { title: "year" }, yaxis: { title: "CON" } });
      const names = ["unipolar", "bipolar", "multipolar", "nonpolar"];
      WO.plot("labels-chart", names.map((name) => ({ x: labels.year, y: labels[name], name, stackgroup: "one", mode: "lines", line: { width: 0.5, color: WO.LABEL_COLOURS[name] } })),
        { title: { text: `Probability of each label (${data.settings.rule})`, font: { size: 13 } }, yaxis: { tickformat: ".0%", range: [0, 1] }, xaxis: { title: "year" } });
      const states = WO.rows(data.states);
      const traces = [];
      data.top_states.forEach((code, i) => {
        const part = states.filter((s) => s.ccode === code);
        const table = { year: part.map((s) => s.year), q05: part.map((s) => s.q05), q95: part.map((s) => s.q95), q25: part.map((s) => s.q25), q75: part.map((s) => s.q75), q50: part.map((s) => s.q50) };
        const colour = rgb(WO.PALETTE[i % WO.PALETTE.length]);
        traces.push(...band(table, "q25", "q75", `${data.abb[code]} 25–75%`, colour, 0.25));
        traces.push({ x: table.year, y: table.q50, mode: "lines", line: { color: colour, width: 2 }, name: data.abb[code], hovertemplate: `${data.top_names[code]} %{x}: %{y:.1%}<extra></extra>` });
      });
      WO.plot("states-chart", traces, { title: { text: "Shares of the largest states (median, 25–75%)", font: { size: 13 } }, yaxis: { tickformat: ".0%" }, xaxis: { title: "year" } });
      WO.plot("transition-chart", [
        { x: tr.year, y: tr.p_ahead, name: `${tr.challenger_abb[0]} ahead that year`, mode: "lines" },
        { x: tr.year, y: tr.p_overtaken, name: `${tr.challenger_abb[0]} ahead in some year so far`, mode: "lines" },
        { x: tr.year, y: tr.p_leader_lost, name: `${tr.leader_abb[0]} passed by any state`, mode: "lines", line: { dash: "dot" } },
      ], { title: { text: `Power transition: ${tr.challenger_abb[0]} against ${tr.leader_abb[0]}`, font: { size: 13 } }, yaxis: { tickformat: ".0%", range: [0, 1] }, xaxis: { title: "year" } });
      document.getElementById("projection-caption").textContent = data.caption;
      WO.resultDownloads("projection-downloads", data.downloads);
      document.getElementById("projection-results").dataset.id = data.id;
    } catch (error) {
      WO.showError(status, error);
    } finally {
      button.disabled = false;
      WO.ready();
    }
  }

  // -- scenario -------------------------------------------------------------------------------
  const preset = WO.fillSelect("s-preset", Object.keys(PRESETS).map((name) => [name, name]));
  const format = document.getElementById("s-format");
  const text = document.getElementById("s-text");
  function usePreset() {
    const [fmt, body] = PRESETS[preset.value];
    format.value = fmt;
    text.value = body;
  }

  async function runScenario() {
    const status = document.getElementById("scenario-status");
    const problems = document.getElementById("scenario-problems");
    const button = document.getElementById("run-scenario");
    button.disabled = true;
    problems.replaceChildren();
    status.classList.remove("error");
    status.textContent = "Running the baseline and the scenario…";
    try {
      const data = await WO.post("/api/scenario", { text: text.value, format: format.value, paths: Number(document.getElementById("s-paths").value) });
      status.textContent = "";
      document.getElementById("scenario-results").hidden = false;
      document.getElementById("scenario-title").textContent = data.name;
      document.getElementById("scenario-setting").textContent =
        `${data.description ? data.description + " " : ""}Base year ${data.base_year}; power measured by ${data.measure_label}; pole rule ${data.rule}.`;
      document.getElementById("scenario-shocks").replaceChildren(...data.shocks.map((sentence) => WO.el("li", { text: sentence })));
      document.getElementById("scenario-notes").replaceChildren(...data.notes.map((n) => WO.el("li", { text: n })));
      const shares = new Set(["top1_share", "top2_share", "top_gap"]);
      const shown = (v, r) => (typeof v === "number" ? (shares.has(r.index) ? WO.percent(v, 2) : WO.number(v, r.index === "n_poles" ? 0 : 3)) : WO.text(v));
      WO.renderTable("scenario-polarity", WO.rows(data.polarity_words), [
        ["what", "index"],
        ["baseline", "baseline", shown],
        ["scenario", "scenario", shown],
        ["change", "change", (v, r) => (v === null || Math.abs(v) < 5e-5 ? "–" : shares.has(r.index) ? `${v > 0 ? "+" : ""}${(100 * v).toFixed(2)} pts` : WO.number(v, 3)), true],
      ], { keyColumn: "index" });
      const power = WO.rows(data.power);
      WO.plot("scenario-power", [
        { y: power.map((p) => p.name), x: power.map((p) => p.share_baseline), name: "baseline", type: "bar", orientation: "h", marker: { color: "#9aa5b1" } },
        { y: power.map((p) => p.name), x: power.map((p) => p.share_scenario), name: "scenario", type: "bar", orientation: "h", marker: { color: WO.measureColour(data.measure) } },
      ], { barmode: "group", title: { text: `Shares of power, ${data.base_year}${data.projection ? "" : " (horizon for growth shocks)"}`, font: { size: 13 } },
           xaxis: { tickformat: ".1%" }, yaxis: { autorange: "reversed" }, margin: { l: 150, r: 20, t: 40, b: 40 } });
      const extra = document.getElementById("scenario-extra");
      extra.replaceChildren();
      const tables = [
        ["gas_dependence", "Gas dependence: the largest changes", [["name", "importer"], ["year", "year"], ["supplier", "supplier"], ["baseline", "baseline", (v) => WO.percent(v), true], ["scenario", "scenario", (v) => WO.percent(v), true], ["change", "change", (v) => WO.percent(v), true]]],
        ["trade_dependence", "Trade dependence on the blocs: the largest changes", [["name", "state"], ["group", "bloc"], ["baseline", "baseline", (v) => WO.percent(v), true], ["scenario", "scenario", (v) => WO.percent(v), true], ["change", "change", (v) => WO.percent(v, 2), true]]],
        ["bloc_power", "Blocs' shares of power", [["bloc", "bloc"], ["baseline", "baseline", (v) => WO.percent(v), true], ["scenario", "scenario", (v) => WO.percent(v), true], ["change", "change", (v) => WO.percent(v, 2), true]]],
        ["blocs_moved", "States that change bloc", [["name", "state"], ["kind", "blocs"], ["baseline", "from"], ["scenario", "to"]]],
      ];
      for (const [key, heading, columns] of tables) {
        if (!data[key] || !data[key].rows) continue;
        const holder = WO.el("div", { class: "table-wrap", id: `scenario-${key}` });
        extra.append(WO.el("h3", { text: heading }), holder);
        WO.renderTable(holder, WO.rows(data[key]), columns);
        const hidden = data[`${key}_hidden`];
        if (hidden) extra.append(WO.el("p", { class: "hint", text: `${hidden.toLocaleString()} smaller changes, which round to 0.0%, are not listed (the download has them all).` }));
      }
      const projection = document.getElementById("scenario-projection");
      projection.hidden = !data.projection;
      if (data.projection) {
        WO.plot("scenario-fan", [...fanTraces(data.projection.baseline.con.data, "rgb(120,130,140)", "baseline"), ...fanTraces(data.projection.scenario.con.data, rgb(WO.measureColour(data.measure)), "scenario")],
          { title: { text: "CON: baseline against scenario", font: { size: 13 } }, xaxis: { title: "year" } });
        const lb = data.projection.baseline.labels.data, ls = data.projection.scenario.labels.data;
        WO.plot("scenario-labels", [
          { x: lb.year, y: lb.unipolar, name: "unipolar, baseline", mode: "lines", line: { color: WO.LABEL_COLOURS.unipolar, dash: "dot" } },
          { x: ls.year, y: ls.unipolar, name: "unipolar, scenario", mode: "lines", line: { color: WO.LABEL_COLOURS.unipolar } },
          { x: lb.year, y: lb.bipolar, name: "bipolar, baseline", mode: "lines", line: { color: WO.LABEL_COLOURS.bipolar, dash: "dot" } },
          { x: ls.year, y: ls.bipolar, name: "bipolar, scenario", mode: "lines", line: { color: WO.LABEL_COLOURS.bipolar } },
        ], { title: { text: "Probability of the label", font: { size: 13 } }, yaxis: { tickformat: ".0%", range: [0, 1] } });
      }
      document.getElementById("scenario-sources").textContent = `Sources: ${data.sources.map((s) => `${s.publisher}, ${s.title} ${s.version}`).join("; ")}.`;
      WO.resultDownloads("scenario-downloads", data.downloads);
      document.getElementById("scenario-results").dataset.id = data.id;
    } catch (error) {
      WO.showError(status, error);
      for (const problem of error.problems || []) {
        problems.append(WO.el("li", { text: `${problem.line ? `line ${problem.line}: ` : ""}${problem.path ? `${problem.path}: ` : ""}${problem.message}` }));
      }
    } finally {
      button.disabled = false;
      WO.ready();
    }
  }

  preset.addEventListener("change", usePreset);
  document.getElementById("projection-form").addEventListener("submit", runProjection);
  document.getElementById("scenario-form").addEventListener("submit", runScenario);
  // -- scenarios against what happened ---------------------------------------------------------
  async function showObserved() {
    const box = document.getElementById("observed");
    try {
      const data = await WO.api("/api/observed");
      box.replaceChildren(...data.checks.map((check) => {
        const tables = Object.entries(check.tables).map(([name, table]) => {
          const holder = WO.el("div", { class: "table-wrap", id: `observed-${check.kind}-${name}` });
          const numeric = (v) => (typeof v === "number" ? WO.number(v, Math.abs(v) >= 100 ? 0 : 2) : WO.text(v));
          WO.renderTable(holder, WO.rows(table), table.columns.map((c) => [c, c.replaceAll("_", " "), numeric, true]));
          return WO.el("div", {}, [WO.el("p", { class: "caption", text: `${name}: ${table.unit}` }), holder]);
        });
        const more = WO.el("details", { class: "more" }, [
          WO.el("summary", { text: "Predicted against observed (tables) and what the scenario cannot capture" }),
          WO.el("ul", { class: "hint" }, check.notes.filter((n) => n !== check.headline).map((n) => WO.el("li", { text: n }))),
          ...tables,
          WO.el("p", { class: "caption", text: `Sources: ${check.sources.map((s) => `${s.publisher}, ${s.title} ${s.version}`).join("; ")}.` }),
        ]);
        return WO.el("div", { class: "observed-check", "data-kind": check.kind }, [
          WO.el("h3", { text: check.scenario }), WO.el("p", { class: "observed-headline", text: check.headline }), more]);
      }));
    } catch (error) {
      WO.showError(box, error);
    }
  }

  usePreset();
  await Promise.all([runProjection(), showObserved()]);  // the default projection, with its track record, shows on load
})().catch((error) => { WO.showError("projection-status", error); WO.ready(); });
