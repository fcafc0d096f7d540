/* Networks: blocs drawn for a layer and year; a dependence explorer for a chosen country. */
"use strict";

(async () => {
  const meta = await WO.meta();
  const given = WO.params();
  const layer = WO.fillSelect("layer", meta.layers.map((l) => [l.key, `${l.key} — ${l.description}`]), given.layer || "alliance");
  const year = document.getElementById("year");
  const resolution = document.getElementById("resolution");
  const runs = document.getElementById("runs");
  if (given.year) year.value = given.year;
  let years = null;

  async function setYears() {
    years = await WO.api("/api/network/years", { layer: layer.value });
    year.min = years.first;
    year.max = years.last;
    if (!years.years.includes(Number(year.value))) year.value = years.years.includes(1985) ? 1985 : years.last;
  }

  async function drawNetwork() {
    const summary = document.getElementById("network-summary");
    const query = { layer: layer.value, year: year.value, resolution: resolution.value, runs: runs.value };
    WO.setParams(query);
    try {
      const data = await WO.api("/api/network", query);
      const nodes = WO.rows(data.nodes);
      const position = new Map(nodes.map((n) => [n.ccode, n]));
      const ex = [], ey = [];
      for (const tie of WO.rows(data.ties)) {
        const a = position.get(tie.ccode1), b = position.get(tie.ccode2);
        if (!a || !b) continue;
        ex.push(a.x, b.x, null);
        ey.push(a.y, b.y, null);
      }
      // Network view: blocs apart, coloured as on the map, only the largest states labelled.
      const biggest = Math.max(...nodes.map((n) => Math.abs(n.cinc || 0)), 1e-9);
      const labelled = new Set([...nodes].sort((a, b) => (b.cinc || 0) - (a.cinc || 0)).slice(0, 12).map((n) => n.ccode));
      const legend = WO.rows(data.legend);
      const traces = [{ x: ex, y: ey, mode: "lines", line: { color: "#c5ccd4", width: 0.6 }, hoverinfo: "skip", name: "ties", showlegend: false }];
      for (const entry of legend) {
        const part = nodes.filter((n) => (entry.bloc === -1 ? n.colour === entry.colour : n.bloc === entry.bloc));
        if (!part.length) continue;
        traces.push({
          x: part.map((n) => n.x), y: part.map((n) => n.y), mode: "markers+text", name: entry.label,
          text: part.map((n) => (labelled.has(n.ccode) ? n.stateabb : "")), textposition: "top center", textfont: { size: 11 },
          marker: { color: entry.colour, size: part.map((n) => 6 + 22 * Math.sqrt(Math.abs(n.cinc || 0) / biggest)), line: { color: "#fff", width: 0.5 } },
          customdata: part.map((n) => `${n.name}<br>${entry.bloc === -1 ? "no bloc" : `bloc of ${entry.label}`}${n.stability !== undefined && n.stability !== null ? `<br>stability ${WO.number(n.stability, 2)}` : ""}<br>CINC ${WO.number(n.cinc, 4)}`),
          hovertemplate: "%{customdata}<extra></extra>",
        });
      }
      WO.plot("network", traces, { xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: "x" }, hovermode: "closest",
                                   margin: { l: 10, r: 10, t: 10, b: 10 }, showlegend: true, legend: { orientation: "h", y: -0.02 } });
      drawBlocMap(data, legend);
      const s = WO.rows(data.summary)[0] || {};
      const info = data.info;
      summary.classList.remove("error");
      summary.replaceChildren(
        `${info.layer}, ${info.year}: `, WO.el("b", { id: "n-blocs", text: String(s.blocs) }), ` blocs of two or more states (sizes ${s.sizes || "–"}), ${s.singletons} states alone; effective number of blocs `,
        WO.el("b", { id: "effective-blocs", text: WO.number(s.effective_blocs, 2) }),
        info.stability !== null ? `; stability over ${info.runs} runs ${WO.number(info.stability, 3)} (mean NMI), ${WO.percent(info.agreement, 0)} of runs equal the consensus.` : "."
      );
      WO.renderTable("blocs-table", WO.rows(data.blocs), [
        ["bloc", "bloc", null, true], ["size", "states", null, true],
        ["power_share", "share of CINC", (v) => WO.percent(v), true], ["members", "members (strongest first)", (v) => WO.text(v)],
      ]);
      document.getElementById("network-caption").textContent = data.caption;
      document.getElementById("bloc-map-caption").textContent = data.map_caption;
      WO.downloads("network-downloads", "/api/network", query, ["nodes", "ties", "blocs", "summary"]);
    } catch (error) {
      WO.showError(summary, error);
    }
  }

  /* Map view: each state coloured by its bloc; the legend names each bloc by its largest members. */
  function drawBlocMap(data, legend) {
    const shapes = WO.rows(data.shapes);
    const traces = [];
    for (const entry of legend) {
      const part = shapes.filter((s) => (entry.bloc === -1 ? s.colour === entry.colour : s.bloc === entry.bloc));
      if (!part.length) continue;
      const share = entry.power_share === null || entry.power_share === undefined ? "" : `; ${WO.percent(entry.power_share, 0)} of CINC`;
      traces.push({
        type: "choropleth", locationmode: "ISO-3", locations: part.map((s) => s.iso3), z: part.map(() => 1),
        colorscale: [[0, entry.colour], [1, entry.colour]], showscale: false, showlegend: true,
        name: entry.bloc === -1 ? entry.label : `${entry.label} (${entry.members}${share})`,
        text: part.map((s) => `${s.name}: ${entry.bloc === -1 ? "no bloc" : `bloc of ${entry.label}`}`), hovertemplate: "%{text}<extra></extra>",
        marker: { line: { color: "#ffffff", width: 0.4 } },
      });
    }
    WO.plot("bloc-map", traces, {
      margin: { l: 0, r: 0, t: 10, b: 10 }, showlegend: true,
      legend: { orientation: "h", x: 0, y: 0, xanchor: "left", yanchor: "top", title: { text: "Blocs, named by their largest members:", side: "top" }, font: { size: 11 } },
      geo: { projection: { type: "natural earth" }, showland: true, landcolor: "#f2f2f2", showcountries: true, countrycolor: "#ffffff",
             showcoastlines: false, showframe: false, showocean: false, bgcolor: "#fff", lataxis: { range: [-58, 85] } },
    });
  }
  for (const radio of document.querySelectorAll("input[name=view]")) {
    radio.addEventListener("change", () => {
      const view = document.querySelector("input[name=view]:checked").value;
      document.getElementById("bloc-map-view").hidden = view !== "map";
      document.getElementById("network-view").hidden = view !== "network";
      WO.setParams({ view });
      Plotly.Plots.resize(view === "map" ? "bloc-map" : "network");
    });
  }
  if (given.view === "network") document.querySelector("input[name=view][value=network]").click();

  const country = document.getElementById("country");
  const depLayer = document.getElementById("dep-layer");
  const by = document.getElementById("by");
  const partners = document.getElementById("partners");

  function dependenceForm() {
    document.getElementById("partners-label").hidden = depLayer.value !== "trade";
    document.getElementById("by-label").hidden = depLayer.value !== "gas";
  }

  async function explore() {
    dependenceForm();
    const message = document.getElementById("dependence-error");
    const query = { country: country.value, layer: depLayer.value, by: depLayer.value === "gas" ? by.value : "year", partners: depLayer.value === "trade" ? partners.value : undefined };
    try {
      const data = await WO.api("/api/dependence", query);
      message.hidden = true;
      const t = WO.rows(data.table);
      const period = data.period, groupKey = data.label;
      const totals = new Map();
      for (const r of t) totals.set(r[groupKey], (totals.get(r[groupKey]) || 0) + (r.share || 0));
      const groups = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([g]) => g);
      const main = groups.slice(0, 8);
      const periods = [...new Set(t.map((r) => r[period]))];
      const traces = main.map((group, i) => {
        const values = new Map(t.filter((r) => r[groupKey] === group).map((r) => [r[period], r.share]));
        return { x: periods, y: periods.map((p) => values.get(p) ?? 0), name: String(group), stackgroup: "one", mode: "lines", line: { width: 0.5, color: WO.PALETTE[i % WO.PALETTE.length] }, hovertemplate: `${group}: %{y:.1%}<extra></extra>` };
      });
      if (groups.length > main.length) {
        const rest = new Set(groups.slice(8));
        const sums = new Map();
        for (const r of t) if (rest.has(r[groupKey])) sums.set(r[period], (sums.get(r[period]) || 0) + (r.share || 0));
        traces.push({ x: periods, y: periods.map((p) => sums.get(p) || 0), name: "others", stackgroup: "one", mode: "lines", line: { width: 0.5, color: "#bbbbbb" } });
      }
      WO.plot("dependence", traces, { yaxis: { title: "share", tickformat: ".0%", range: [0, 1] }, xaxis: { title: period }, hovermode: "x unified" });
      document.getElementById("dependence-caption").textContent = data.caption;
      const last = periods[periods.length - 1];
      WO.renderTable("dependence-table", t.filter((r) => r[period] === last), [
        [period, period], [groupKey, groupKey], ["share", "share", (v) => WO.percent(v), true],
        [(r) => (r.flow !== undefined ? r.flow : r.trade), `${data.layer === "trade" ? "trade" : "flow"} (${data.flow_unit})`, (v) => WO.big(v), true],
        ["total", `total (${data.flow_unit})`, (v) => WO.big(v), true],
      ]);
      WO.downloads("dependence-downloads", "/api/dependence", query, [null]);
    } catch (error) {
      WO.showError(message, error);
      Plotly.purge("dependence");
    }
  }

  layer.addEventListener("change", async () => { await setYears(); await drawNetwork(); });
  document.getElementById("controls").addEventListener("submit", drawNetwork);
  document.getElementById("dependence-controls").addEventListener("submit", explore);
  depLayer.addEventListener("change", explore);
  by.addEventListener("change", explore);
  async function openness() {
    const summary = document.getElementById("openness-summary");
    try {
      const data = await WO.api("/api/openness");
      WO.plot("openness", data.series.map((s, i) => ({
        x: s.x, y: s.y, name: s.name, mode: "lines", line: { color: WO.PALETTE[i % WO.PALETTE.length] },
        hovertemplate: `${s.name}<br>%{x}: %{y:.1%}<extra></extra>`,
      })), { title: { text: data.title, font: { size: 13 } }, yaxis: { title: data.ylabel, tickformat: ".0%" }, xaxis: { title: "year" },
             legend: { orientation: "h", y: -0.2 } });
      const world = data.series[0];
      const cow = data.series[1];
      summary.textContent = `World trade was ${WO.percent(world.y[world.y.length - 1])} of GDP in ${world.x[world.x.length - 1]} (World Bank, data to ${world.x[world.x.length - 1]})` +
        (cow ? `; the series from COW trade ends in ${cow.x[cow.x.length - 1]}.` : ".");
      document.getElementById("openness-caption").textContent = data.caption;
      WO.downloads("openness-downloads", "/api/openness", {}, [null]);
    } catch (error) {
      WO.showError(summary, error);
    }
  }

  await setYears();
  await Promise.all([drawNetwork(), explore(), openness()]);
  WO.ready();
})().catch((error) => { WO.showError("network-summary", error); WO.ready(); });
