/* Shared helpers of the worldorder pages: API calls, tables, formats, downloads. Plain JS, no build step. */
"use strict";

// Forms are handled by the pages' scripts: never let the browser submit (and reload) them.
document.addEventListener("submit", (event) => event.preventDefault(), true);

const WO = (() => {
  const PLOT_CONFIG = { displaylogo: false, responsive: true, topojsonURL: "/assets/topojson/" };
  // One colour language with the report and the CLI: /palette.js is written from worldorder.palette.
  const LABEL_COLOURS = WO_COLOURS.labels;
  const MEASURE_COLOURS = WO_COLOURS.measures;
  const PALETTE = WO_COLOURS.palette;
  const GREY = WO_COLOURS.grey;
  function measureColour(key, index) { return MEASURE_COLOURS[key] || PALETTE[(index || 0) % PALETTE.length]; }
  let metaPromise = null;

  class ApiError extends Error {
    constructor(status, detail, problems) { super(detail); this.status = status; this.problems = problems || []; }
  }

  function url(path, params) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params || {})) {
      if (value !== null && value !== undefined && value !== "") query.set(key, value);
    }
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  }

  async function api(path, params, options) {
    const response = await fetch(url(path, params), options);
    let body = null;
    try { body = await response.json(); } catch (error) { body = null; }
    if (!response.ok) {
      const detail = body && body.detail ? body.detail : `${response.status} ${response.statusText}`;
      throw new ApiError(response.status, typeof detail === "string" ? detail : JSON.stringify(detail), body && body.problems);
    }
    return body;
  }

  function post(path, data) {
    return api(path, null, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) });
  }

  function meta() {
    if (!metaPromise) metaPromise = api("/api/meta");
    return metaPromise;
  }

  /* Column-wise tables {columns, data, rows} to row objects. */
  function rows(table) {
    if (!table) return [];
    const out = [];
    for (let i = 0; i < table.rows; i++) {
      const row = {};
      for (const column of table.columns) row[column] = table.data[column][i];
      out.push(row);
    }
    return out;
  }

  function number(value, digits = 3) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    return Number(value).toFixed(digits);
  }
  function percent(value, digits = 1) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    return `${(100 * value).toFixed(digits)}%`;
  }
  function big(value) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    const a = Math.abs(value);
    if (a >= 1e12) return `${(value / 1e12).toFixed(2)} T`;
    if (a >= 1e9) return `${(value / 1e9).toFixed(2)} bn`;
    if (a >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
    if (a >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
    if (a >= 1) return value.toFixed(2);
    return value.toPrecision(3);
  }
  function text(value) { return value === null || value === undefined ? "–" : String(value); }

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  /* Render rows into a table: columns = [[key, heading, formatter, numeric]]. */
  function renderTable(container, data, columns, options) {
    const target = typeof container === "string" ? document.getElementById(container) : container;
    const table = el("table", { class: (options && options.class) || "" });
    const head = el("tr", {}, columns.map(([, heading]) => el("th", { text: heading })));
    table.append(el("thead", {}, [head]));
    const body = el("tbody");
    for (const row of data) {
      const tr = el("tr");
      for (const [key, , format, numeric] of columns) {
        const value = typeof key === "function" ? key(row) : row[key];
        const cell = el("td", { class: numeric ? "num" : "" });
        const shown = format ? format(value, row) : text(value);
        if (shown instanceof Node) cell.append(shown); else cell.textContent = shown;
        if (options && options.keyColumn) cell.dataset.key = String(row[options.keyColumn]);
        cell.dataset.column = typeof key === "string" ? key : "";
        tr.append(cell);
      }
      body.append(tr);
    }
    table.append(body);
    target.replaceChildren(table);
    return table;
  }

  function badge(label) {
    if (!label) return "–";
    return el("span", { class: "badge", style: `background:${LABEL_COLOURS[label] || "#777"}`, text: label });
  }

  /* Links to the same endpoint as CSV and Parquet, one pair per table. */
  function downloads(container, path, params, tables) {
    const target = document.getElementById(container);
    const parts = [];
    for (const table of tables || [null]) {
      for (const format of ["csv", "parquet"]) {
        const href = url(path, { ...params, format, ...(table ? { table } : {}) });
        parts.push(el("a", { href, download: "", "data-format": format, text: `${table || "table"} (${format.toUpperCase()})` }));
      }
    }
    target.replaceChildren(el("span", { text: "Download: " }), ...parts);
  }

  function resultDownloads(container, links) {
    const target = document.getElementById(container);
    const parts = [el("span", { text: "Download: " })];
    for (const [table, formats] of Object.entries(links || {})) {
      for (const [format, href] of Object.entries(formats)) {
        parts.push(el("a", { href, download: "", "data-format": format, text: `${table} (${format.toUpperCase()})` }));
      }
    }
    target.replaceChildren(...parts);
  }

  function fillSelect(select, options, chosen) {
    const node = typeof select === "string" ? document.getElementById(select) : select;
    node.replaceChildren(...options.map(([value, label]) => el("option", { value, text: label })));
    if (chosen !== undefined && options.some(([value]) => String(value) === String(chosen))) node.value = chosen;
    return node;
  }

  function amongOptions(meta) {
    const out = [["all", "all states"], ["majors", "COW major powers"], ["top:5", "top 5 by the measure"], ["top:10", "top 10 by the measure"]];
    for (const region of meta.among.regions) out.push([`region:${region}`, `region: ${region}`]);
    return out;
  }
  function measureOptions(meta) { return meta.measures.map((m) => [m.key, `${m.label} (${m.first}–${m.last})`]); }
  function ruleOptions(meta) {
    const words = { "leader:0.5": "pole ≥ half the leader", "threshold:0.1": "pole ≥ 10% of the set", "wayman": "fewest holding half (Wayman)" };
    return meta.rules.map((rule) => [rule, `${rule} — ${words[rule] || ""}`]);
  }

  /* "composite (your weights)": one number input per component the library's composite accepts, and an Apply button.
     Returns {weights(), span(), show(on)}; weights() is the `weights` query parameter (non-zero weights only). */
  function compositeControls(meta, containerId, given, onApply) {
    const box = document.getElementById(containerId);
    const start = new Map();
    for (const part of String(given || meta.composite.default).split(",")) {
      const [key, weight] = part.split(":");
      if (key && weight !== undefined) start.set(key.trim(), weight.trim());
    }
    const inputs = new Map();
    const grid = el("div", { class: "weights-grid" });
    for (const component of meta.composite.components) {
      const input = el("input", { type: "number", min: "0", step: "0.05", id: `w-${component.key}`, name: `w-${component.key}`, value: start.get(component.key) || "0" });
      inputs.set(component.key, input);
      grid.append(el("label", { title: component.label }, [component.key, input]));
    }
    const apply = el("button", { type: "button", id: "apply-weights", text: "Apply weights" });
    apply.addEventListener("click", () => onApply());
    const note = el("p", { class: "hint", text: `Composite of your weights (worldorder.power.composite): each component is a state's share of the year's total over all states; the weights are normalised to sum to 1, as the library does. At most ${meta.composite.max_components} non-zero weights; weights must not be negative.` });
    box.replaceChildren(el("b", { text: "Your weights" }), grid, apply, note);

    function chosen() {
      return [...inputs.entries()].filter(([, input]) => input.value.trim() !== "" && Number(input.value) !== 0);
    }
    function weights() {
      const parts = chosen().map(([key, input]) => `${key}:${input.value.trim()}`);
      return parts.length ? parts.join(",") : `${[...inputs.keys()][0]}:0`; // all zero: let the API say so
    }
    /* Years in which the composite can have a value: from the first year of any component to the last. */
    function span() {
      const spans = chosen().map(([key]) => meta.measures.find((m) => m.key === key)).filter(Boolean);
      if (!spans.length) return { first: 1816, last: 2022 };
      return { first: Math.min(...spans.map((m) => m.first)), last: Math.max(...spans.map((m) => m.last)) };
    }
    function show(on) { box.hidden = !on; }
    return { weights, span, show };
  }
  function measureOptionsWithComposite(meta) { return [...measureOptions(meta), ["composite", "composite (your weights)"]]; }

  function params() { return Object.fromEntries(new URLSearchParams(window.location.search).entries()); }
  function setParams(values) {
    const query = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(values)) {
      if (value === null || value === undefined || value === "") query.delete(key); else query.set(key, value);
    }
    window.history.replaceState(null, "", `${window.location.pathname}?${query.toString()}`);
  }

  function showError(target, error) {
    const node = typeof target === "string" ? document.getElementById(target) : target;
    if (!node) return;
    node.hidden = false;
    node.classList.add("error");
    node.textContent = error && error.message ? error.message : String(error);
  }

  /* Pages set data-ready when their first render is complete (and count renders). */
  function ready() {
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
    document.body.dataset.ready = "1";
  }

  /* Plotly.js 3 reads axis titles only as {text: ...}: accept the plain strings the pages write. */
  function titled(layout) {
    const out = { ...layout };
    for (const [key, axis] of Object.entries(layout)) {
      if (/^[xy]axis\d*$/.test(key) && axis && typeof axis.title === "string") out[key] = { ...axis, title: { text: axis.title } };
    }
    return out;
  }

  function plot(id, traces, layout) {
    layout = titled(layout || {});
    const base = { margin: { l: 55, r: 20, t: 30, b: 60 }, font: { family: "system-ui, sans-serif", size: 12 }, paper_bgcolor: "#fff", plot_bgcolor: "#fff", legend: { orientation: "h", y: -0.3, yanchor: "top" } };
    if (layout.title && layout.title.text) {  // a title at the left, clear of the tool bar at the top right
      layout = { ...layout, title: { x: 0.01, xref: "container", xanchor: "left", y: 1, yref: "container", yanchor: "top", pad: { t: 8 }, ...layout.title } };
      if (!layout.margin) layout.margin = { ...base.margin, t: 60 };
    }
    return Plotly.react(id, traces, { ...base, ...layout }, PLOT_CONFIG);
  }

  /* Spans of consecutive years with the same label, as Plotly shapes. */
  function labelSpans(years, labels, yref, y0, y1) {
    const shapes = [];
    let start = null, current = null, previous = null;
    const close = () => { if (current) shapes.push({ type: "rect", xref: "x", yref, x0: start - 0.5, x1: previous + 0.5, y0, y1, fillcolor: LABEL_COLOURS[current] || "#999", line: { width: 0 }, opacity: 0.85, layer: "below" }); };
    years.forEach((year, i) => {
      const label = labels[i];
      if (label !== current || (previous !== null && year !== previous + 1)) { close(); start = year; current = label; }
      previous = year;
    });
    close();
    return shapes;
  }

  return { api, post, meta, rows, number, percent, big, text, el, renderTable, badge, downloads, resultDownloads, fillSelect,
           amongOptions, measureOptions, measureOptionsWithComposite, compositeControls, ruleOptions, params, setParams, showError, ready, plot, labelSpans, url,
           LABEL_COLOURS, MEASURE_COLOURS, PALETTE, GREY, measureColour, PLOT_CONFIG, ApiError };
})();
