/* Overview: the polarity timeline with era bands, and agreement across measures. */
"use strict";

(async () => {
  const meta = await WO.meta();
  const given = WO.params();
  const measure = WO.fillSelect("measure", WO.measureOptionsWithComposite(meta), given.measure || "cinc");
  const among = WO.fillSelect("among", WO.amongOptions(meta), given.among || "majors");
  const rule = WO.fillSelect("rule", WO.ruleOptions(meta), given.rule || "leader:0.5");
  const composite = WO.compositeControls(meta, "composite-weights", given.weights, () => render());

  async function render() {
    const custom = measure.value === "composite";
    composite.show(custom);
    const query = { measure: measure.value, weights: custom ? composite.weights() : null, among: among.value, rule: rule.value };
    WO.setParams(query);
    const summary = document.getElementById("summary");
    try {
      const agreementQuery = { among: among.value, rules: meta.rules.join(","), weights: query.weights };
      const [timeline, agreement] = await Promise.all([WO.api("/api/timeline", query), WO.api("/api/agreement", agreementQuery)]);
      drawTimeline(timeline);
      drawAgreement(agreement);
      WO.downloads("timeline-downloads", "/api/timeline", query, ["polarity", "eras"]);
      WO.downloads("agreement-downloads", "/api/agreement", agreementQuery, [null]);
      summary.classList.remove("error");
    } catch (error) {
      WO.showError(summary, error);
    }
    WO.ready();
  }

  function drawTimeline(data) {
    const t = data.polarity.data;
    const latest = data.latest;
    const summary = document.getElementById("summary");
    if (latest) {
      summary.replaceChildren(
        "In ", WO.el("b", { id: "latest-year", text: String(latest.year) }), `, by ${data.measure.label} among ${data.among_text}, the system is `,
        WO.el("b", { id: "latest-polarity", text: WO.text(latest.polarity) }), ` (poles: ${WO.text(latest.poles).replaceAll(";", ", ")}); the leader `,
        ...(latest.leader_name ? [`${latest.leader_name} (`, WO.el("b", { id: "latest-leader", text: WO.text(latest.leader) }), ")"]
          : [WO.el("b", { id: "latest-leader", text: WO.text(latest.leader) })]), " holds ", WO.el("b", { id: "latest-share", text: WO.percent(latest.top1_share) }),
        "; CON ", WO.el("b", { id: "latest-con", text: WO.number(latest.con, 3) }),
        ", effective number of poles ", WO.el("b", { id: "latest-enp", text: WO.number(latest.effective_poles, 2) }), "."
      );
    }
    const eras = WO.rows(data.eras);
    const shapes = eras.map((era, i) => ({
      type: "rect", xref: "x", yref: "paper", x0: era.start - 0.5, x1: era.end + 0.5, y0: 0.12, y1: 1,
      fillcolor: i % 2 ? "#eef2f6" : "#f9fafb", line: { width: 0 }, layer: "below",
    }));
    const annotations = eras.map((era) => ({
      x: (era.start + era.end) / 2, y: 1.0, xref: "x", yref: "paper", yanchor: "bottom", showarrow: false,
      text: `${era.start}–${era.end}<br>${era.polarity || ""}${era.leader ? ", " + era.leader : ""}`, font: { size: 10, color: "#5b6775" },
    }));
    shapes.push(...WO.labelSpans(t.year, t.polarity, "paper", 0, 0.07));
    const hover = t.year.map((year, i) => `${year}: ${t.polarity[i] || "–"} (${(t.poles[i] || "").replaceAll(";", ", ")})<br>leader ${t.leader[i] || "–"}, n = ${t.n[i]}`);
    const traces = [
      { x: t.year, y: t.con, name: "CON (concentration)", mode: "lines", line: { color: WO.measureColour(data.measure.key), width: 2 }, text: hover, hovertemplate: "%{text}<br>CON %{y:.3f}<extra></extra>" },
      { x: t.year, y: t.top1_share, name: "leader's share", mode: "lines", line: { color: "#1d2733", width: 1.5 }, hovertemplate: "leader's share %{y:.1%}<extra></extra>" },
      { x: t.year, y: t.top_gap, name: "gap first − second", mode: "lines", line: { color: "#8c8c8c", width: 1, dash: "dot" }, hovertemplate: "gap %{y:.3f}<extra></extra>" },
    ];
    for (const [label, colour] of Object.entries(WO.LABEL_COLOURS)) {
      if (t.polarity.includes(label)) traces.push({ x: [null], y: [null], name: label, mode: "markers", marker: { color: colour, symbol: "square", size: 12 }, hoverinfo: "skip" });
    }
    WO.plot("timeline", traces, {
      shapes, annotations, margin: { l: 55, r: 20, t: 55, b: 40 },
      xaxis: { range: [t.year[0] - 1, t.year[t.year.length - 1] + 1] },
      yaxis: { title: "index (0–1)", domain: [0.12, 1], rangemode: "tozero" },
      hovermode: "x unified",
    });
    document.getElementById("timeline-caption").textContent = `${data.caption} The strip at the bottom is the polarity label of each year.`;
    WO.renderTable("eras-table", eras, [
      ["era", "era"], ["start", "from"], ["end", "to"], ["years", "years", null, true],
      ["mean_con", "mean CON", (v) => WO.number(v, 3), true],
      ["mean_top1_share", "mean leader's share", (v) => WO.percent(v), true],
      ["polarity", "usual label", WO.badge], ["polarity_share", "of its years", (v) => WO.percent(v, 0), true], ["leader", "usual leader"],
    ]);
  }

  function drawAgreement(data) {
    const t = data.table.data;
    const most = Math.max(...t.measures);
    const text = t.year.map((year, i) => (t.agreement[i] === null
      ? `${year}: ${t.modal[i]}; only ${t.measures[i]} measure with data, no agreement to show`
      : `${year}: ${t.modal[i]} by ${Math.round(t.agreement[i] * t.labels[i])} of ${t.labels[i]} combinations (${t.measures[i]} measures with data)`));
    const traces = [
      { x: t.year, y: t.agreement, name: "agreement (two or more measures)", mode: "lines", line: { color: "#1d2733", width: 1.5 }, text, hovertemplate: "%{text}<extra></extra>", connectgaps: false },
      { x: t.year, y: t.measures, name: `measures with data (of ${most}, right axis)`, mode: "lines", yaxis: "y2", line: { color: "#8c8c8c", width: 1, dash: "dot", shape: "hv" }, hoverinfo: "skip" },
    ];
    for (const [label, colour] of Object.entries(WO.LABEL_COLOURS)) {
      if (t.modal.includes(label)) traces.push({ x: [null], y: [null], name: label, mode: "markers", marker: { color: colour, symbol: "square", size: 12 }, hoverinfo: "skip" });
    }
    WO.plot("agreement", traces, {
      shapes: WO.labelSpans(t.year, t.modal, "paper", 0, 0.08),
      yaxis: { title: "share of combinations agreeing", range: [0, 1.05], domain: [0.12, 1] },
      yaxis2: { title: "measures with data", overlaying: "y", side: "right", range: [0, most + 0.5], dtick: 1, showgrid: false },
      showlegend: true, margin: { l: 55, r: 55, t: 30, b: 60 },
    });
    document.getElementById("agreement-caption").textContent = `${data.caption}. The strip shows the most frequent label; the dotted step (right axis) how many measures each year rests on.`;
  }

  for (const node of [measure, among, rule]) node.addEventListener("change", render);
  await render();
})().catch((error) => { WO.showError("summary", error); WO.ready(); });
