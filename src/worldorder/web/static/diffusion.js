/* Diffusion: exposure map, fitted effects, out-of-sample check and simulation fan of an outcome spreading along ties. */
"use strict";

(() => {
  const given = WO.params();
  const fields = ["outcome", "ties", "years", "until", "year", "seed"];
  for (const name of fields) if (given[name]) document.getElementById(name).value = given[name];
  const layer = document.getElementById("layer");
  let data = null;

  // A fitted term in words: the intercept, the exposure along a tie layer, or the log of the years in the current state.
  function termLabel(term) {
    if (term === "const") return "intercept";
    if (term === "log_duration") return "log years in the current state";
    return term.startsWith("exp_") ? `exposure along ${term.slice(4)}` : term;
  }

  function query() { return Object.fromEntries(fields.map((name) => [name, document.getElementById(name).value])); }

  function drawMap() {
    const key = `exp_${layer.value}`;
    const states = WO.rows(data.exposure);
    const iso = new Map();
    for (const shape of WO.rows(data.shapes)) iso.set(shape.ccode, [...(iso.get(shape.ccode) || []), shape.iso3]);
    const locations = [], z = [], text = [], blank = [], blankText = [];
    for (const s of states) {
      const has = s.y === null || s.y === undefined ? "no value" : (s.y ? "yes" : "no");
      const known = s[key] !== null && s[key] !== undefined;
      for (const code of iso.get(s.ccode) || []) {
        (known ? locations : blank).push(code);
        if (known) z.push(s[key]);
        (known ? text : blankText).push(`${s.name} (${s.stateabb}): ${known ? `exposure ${WO.percent(s[key])}` : "no ties or no data"} along ${layer.value}<br>${data.label}: ${has}`);
      }
    }
    const traces = [{
      type: "choropleth", locationmode: "ISO-3", locations, z, text, hovertemplate: "%{text}<extra></extra>", zmin: 0, zmax: 1, name: "exposure",
      colorscale: "YlGnBu", reversescale: true, marker: { line: { color: "#ffffff", width: 0.4 } },
      colorbar: { title: { text: "share of ties<br>with the outcome" }, tickformat: ".0%", thickness: 12 },
    }];
    if (blank.length) {
      traces.push({ type: "choropleth", locationmode: "ISO-3", locations: blank, z: blank.map(() => 0), text: blankText, name: "no data",
                    hovertemplate: "%{text}<extra></extra>", colorscale: [[0, "#9e9e9e"], [1, "#9e9e9e"]], showscale: false,
                    marker: { line: { color: "#ffffff", width: 0.4 } } });
    }
    WO.plot("exposure-map", traces, {
      margin: { l: 0, r: 0, t: 10, b: 0 },
      geo: { projection: { type: "natural earth" }, showland: true, landcolor: "#ececec", showcountries: true, countrycolor: "#ffffff",
             showcoastlines: false, showframe: false, showocean: false, bgcolor: "#fff", lataxis: { range: [-58, 85] } },
      annotations: [{ text: `${blank.length ? "dark grey: no ties along this layer, or no data · " : ""}light grey: not a state of the system in ${data.year}`,
                      x: 0.01, y: 0.01, xref: "paper", yref: "paper", showarrow: false, xanchor: "left", yanchor: "bottom",
                      font: { size: 11, color: "#444" }, bgcolor: "rgba(255,255,255,0.8)" }],
    });
    document.getElementById("exposure-map").dataset.year = String(data.year);
    document.getElementById("map-year").textContent = String(data.year);
  }

  function draw() {
    const layers = WO.rows(data.contributions).filter((r) => r.transition === "enter").map((r) => r.layer);
    WO.fillSelect("layer", layers.map((l) => [l, l]), layers.includes(layer.value) ? layer.value : layers[0]);
    drawMap();
    const sources = data.sources.map((s) => `${s.title}${s.version ? ` (${s.version})` : ""}`).join("; ");
    document.getElementById("exposure-caption").textContent =
      `Exposure in ${data.year}: the weighted share of each state's ties that had the outcome in ${data.year - 1}; today's borders (Natural Earth 1:110m). ${data.caption} Sources: ${sources}.`;
    const coefficients = WO.rows(data.coefficients);
    const exposure = coefficients.filter((r) => r.term.startsWith("exp_"));
    WO.plot("effects", ["enter", "leave"].map((transition, i) => {
      const part = exposure.filter((r) => r.transition === transition);
      return { type: "bar", name: transition, x: part.map((r) => r.term.slice(4)), y: part.map((r) => r.coef), marker: { color: WO.PALETTE[i] },
               error_y: { type: "data", symmetric: false, array: part.map((r) => r.hi - r.coef), arrayminus: part.map((r) => r.coef - r.lo) } };
    }), { barmode: "group", yaxis: { title: "logit coefficient (95% interval)" }, xaxis: { title: "tie layer" } });
    WO.renderTable("coefficients-table", coefficients, [
      ["transition", "transition"], ["term", "term", termLabel], ["coef", "coefficient", (v) => WO.number(v, 3), true],
      ["lo", "95% low", (v) => WO.number(v, 3), true], ["hi", "95% high", (v) => WO.number(v, 3), true], ["p", "p", (v) => WO.number(v, 3), true],
      ["n", "state-years", null, true], ["events", "transitions", null, true],
    ]);
    document.getElementById("fit-caption").textContent = data.caption;
    document.getElementById("verdict").textContent = data.verdict.split(" | ")[0];
    const gain = new Map(WO.rows(data.gain).map((r) => [r.model, r]));
    WO.renderTable("scores-table", WO.rows(data.scores).filter((r) => r.transition === "all"), [
      ["model", "model"], ["auc", "AUC", (v) => WO.number(v, 3), true], ["brier", "Brier", (v) => WO.number(v, 4), true],
      [(r) => gain.get(r.model).brier_diff, "Brier − no diffusion", (v) => WO.number(v, 5), true],
      [(r) => `${WO.number(gain.get(r.model).lo, 5)} to ${WO.number(gain.get(r.model).hi, 5)}`, "95% interval"],
    ]);
    document.getElementById("check-caption").textContent = data.check_caption;
    const shares = WO.rows(data.shares).filter((r) => r.weight === "states");
    const x = shares.map((r) => r.year);
    WO.plot("fan", [
      { x, y: shares.map((r) => r.q95), mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
      { x, y: shares.map((r) => r.q05), mode: "lines", line: { width: 0 }, fill: "tonexty", fillcolor: "rgba(0,114,178,0.15)", name: "5–95%" },
      { x, y: shares.map((r) => r.q75), mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
      { x, y: shares.map((r) => r.q25), mode: "lines", line: { width: 0 }, fill: "tonexty", fillcolor: "rgba(0,114,178,0.3)", name: "25–75%" },
      { x, y: shares.map((r) => r.q50), mode: "lines", line: { color: WO.PALETTE[0] }, name: "median" },
    ], { yaxis: { title: "share of states with the outcome", tickformat: ".0%" }, xaxis: { title: "year" } });
    WO.renderTable("exposed-table", WO.rows(data.exposed).slice(0, 12), [
      [(r) => `${r.name} (${r.stateabb})`, "state"], ["start", "has it in 2024", (v) => (v ? "yes" : "no")], ["p_switch_first_year", "P(changes in 2025)", (v) => WO.percent(v), true],
      ["p_end", "P(has it at the horizon)", (v) => WO.percent(v), true],
    ]);
    WO.downloads("diffusion-downloads", "/api/diffusion", query(), ["exposure", "coefficients", "scores", "calibration", "shares", "exposed"]);
  }

  async function render() {
    const status = document.getElementById("status");
    status.classList.remove("error");
    status.textContent = "Fitting, checking and simulating…";
    WO.setParams(query());
    try {
      data = await WO.api("/api/diffusion", query());
      draw();
      status.textContent = "";
    } catch (error) {
      WO.showError("status", error);
    }
    WO.ready();
  }

  document.getElementById("run").addEventListener("click", render);
  layer.addEventListener("change", () => data && drawMap());
  render();
})();
