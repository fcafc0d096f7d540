/* Regions: the leader of each region by each measure, and the polarity within each region. */
"use strict";

(async () => {
  const meta = await WO.meta();
  const given = WO.params();
  const year = document.getElementById("year");
  const scheme = document.getElementById("scheme");
  const measure = WO.fillSelect("measure", WO.measureOptionsWithComposite(meta), given.measure || "cinc");
  const composite = WO.compositeControls(meta, "composite-weights", given.weights, () => render());
  const rule = WO.fillSelect("rule", WO.ruleOptions(meta), given.rule || "leader:0.5");
  const cinc = meta.measures.find((m) => m.key === "cinc");
  year.min = 1816;
  year.max = Math.max(...meta.measures.map((m) => m.last));
  year.value = given.year || meta.defaults.regions_year;
  if (given.scheme) scheme.value = given.scheme;

  async function render() {
    const query = { year: year.value, scheme: scheme.value, measures: meta.defaults.regions_measures.join(",") };
    composite.show(measure.value === "composite");
    const polarityQuery = { measure: measure.value, weights: measure.value === "composite" ? composite.weights() : null, scheme: scheme.value, rule: rule.value };
    WO.setParams({ year: year.value, ...polarityQuery });
    const caption = document.getElementById("leaders-caption");
    try {
      const [leaders, polarity] = await Promise.all([
        WO.api("/api/regions", query),
        WO.api("/api/regions/polarity", polarityQuery),
      ]);
      const rows = WO.rows(leaders.table);
      WO.renderTable("leaders-table", rows, [
        ["region", "region"], ["measure", "measure"], ["leader", "leader"], ["share", "share of region", (v) => WO.percent(v), true],
        ["since", "leading since", null, true], ["second", "second"], ["second_share", "its share", (v) => WO.percent(v), true],
        ["con", "CON", (v) => WO.number(v, 3), true], ["n", "states", null, true], ["n_missing", "without value", null, true],
      ]);
      if (!rows.length) caption.textContent = `No measure has values in ${year.value}.`;
      else caption.textContent = leaders.caption + leaders.absent.map((a) => ` ${a.measure} has no values in ${year.value} (it covers ${a.first}–${a.last}).`).join("");
      caption.classList.remove("error");
      WO.downloads("leaders-downloads", "/api/regions", query, [null]);

      const series = WO.rows(polarity.table);
      const chosen = Number(year.value);
      const inYear = series.filter((r) => r.year === chosen);
      document.getElementById("polarity-year").textContent = `${chosen} (${polarity.measure.label})`;
      WO.renderTable("polarity-table", inYear, [
        ["region", "region"], ["polarity", "label", WO.badge], ["poles", "poles", (v) => WO.text(v).replaceAll(";", ", ")],
        ["leader", "leader"], ["top1_share", "leader's share", (v) => WO.percent(v), true],
        ["con", "CON", (v) => WO.number(v, 3), true], ["effective_poles", "effective poles", (v) => WO.number(v, 2), true], ["n", "states", null, true],
      ]);
      if (!inYear.length) document.getElementById("polarity-table").replaceChildren(WO.el("p", { class: "hint", text: `${polarity.measure.label} has no values in ${chosen}.` }));
      const regions = [...new Set(series.map((r) => r.region))];
      const traces = regions.map((region, i) => {
        const part = series.filter((r) => r.region === region);
        return { x: part.map((r) => r.year), y: part.map((r) => r.con), name: region, mode: "lines", line: { color: WO.PALETTE[i % WO.PALETTE.length], width: 1.5 },
                 text: part.map((r) => `${region} ${r.year}: ${r.polarity}, leader ${r.leader}`), hovertemplate: "%{text}<br>CON %{y:.3f}<extra></extra>" };
      });
      WO.plot("regional-con", traces, {
        xaxis: { title: "year" }, yaxis: { title: "CON within the region", range: [0, 1.02] },
        shapes: [{ type: "line", xref: "x", yref: "paper", x0: chosen, x1: chosen, y0: 0, y1: 1, line: { color: "#999", dash: "dot" } }],
      });
      document.getElementById("polarity-caption").textContent = polarity.caption;
      WO.downloads("polarity-downloads", "/api/regions/polarity", polarityQuery, [null]);
    } catch (error) {
      WO.showError(caption, error);
    }
    WO.ready();
  }

  for (const node of [year, scheme, measure, rule]) node.addEventListener("change", render);
  await render();
})().catch((error) => { WO.showError("leaders-caption", error); WO.ready(); });
