/* Map: a choropleth of power shares for a year, with a year slider and a play button. */
"use strict";

(async () => {
  const meta = await WO.meta();
  const given = WO.params();
  const measure = WO.fillSelect("measure", WO.measureOptionsWithComposite(meta), given.measure || "cinc");
  const among = document.getElementById("among");
  if (given.among) among.value = given.among;
  const slider = document.getElementById("year");
  const label = document.getElementById("year-label");
  const play = document.getElementById("play");
  const cache = new Map();
  let timer = null;
  let drawn = null;
  const composite = WO.compositeControls(meta, "composite-weights", given.weights, () => { stop(); setRange(slider.value); render(); });

  function weights() { return measure.value === "composite" ? composite.weights() : null; }
  function coverage() { return measure.value === "composite" ? composite.span() : meta.measures.find((m) => m.key === measure.value); }

  /* Put the slider in the measure's years; a year asked outside them is moved in, and the page says so. */
  function setRange(preferred) {
    const span = coverage();
    slider.min = span.first;
    slider.max = span.last;
    const asked = Number(preferred || slider.value);
    const year = Number.isFinite(asked) ? Math.min(Math.max(Math.round(asked), span.first), span.last) : span.last;
    slider.value = year;
    label.value = String(year);
    label.textContent = String(year);
    const notice = document.getElementById("year-notice");
    const name = measure.selectedOptions[0] ? measure.selectedOptions[0].textContent.replace(/ \(\d{4}–\d{4}\)$/, "") : measure.value;
    notice.hidden = asked === year;
    if (asked !== year) {
      notice.textContent = Number.isFinite(asked)
        ? `You asked for ${preferred}; ${name} has values from ${span.first} to ${span.last}, so the map shows ${year}.`
        : `"${preferred}" is not a year; the map shows ${year}, the last year of ${name}.`;
    }
  }

  function fetchYear(year) {
    const key = `${measure.value}|${weights()}|${among.value}|${year}`;
    if (!cache.has(key)) {
      const request = WO.api("/api/map", { measure: measure.value, weights: weights(), among: among.value, year });
      request.catch(() => cache.delete(key));
      cache.set(key, request);
    }
    return cache.get(key);
  }

  async function render() {
    const year = Number(slider.value);
    label.value = String(year);
    label.textContent = String(year);
    composite.show(measure.value === "composite");
    WO.setParams({ measure: measure.value, weights: weights(), among: among.value, year });
    try {
      const data = await fetchYear(year);
      if (Number(slider.value) !== year) return; // a newer year was asked for meanwhile
      draw(data);
      WO.downloads("map-downloads", "/api/map", { measure: measure.value, weights: weights(), among: among.value, year }, ["states", "shapes"]);
    } catch (error) {
      WO.showError("map-caption", error);
      stop();
    }
    WO.ready();
  }

  function draw(data) {
    const states = WO.rows(data.states);
    const byCode = new Map(states.map((s) => [s.ccode, s]));
    const shapes = WO.rows(data.shapes);
    const notes = new Map(data.stand_ins.map((s) => [s.ccode, s.note]));
    const locations = [], z = [], text = [], blank = [], blankText = [];
    for (const shape of shapes) {
      const state = byCode.get(shape.ccode);
      const note = shape.stand_in ? `<br><i>drawn with today's ${shape.iso3}</i>` : "";
      if (!state) {  // a state of the system this year without a value of the measure
        blank.push(shape.iso3);
        blankText.push(`${shape.name}<br>no data: no value of ${data.measure.label} in ${data.year}${note}`);
        continue;
      }
      locations.push(shape.iso3);
      z.push(Math.log10(Math.max(state.share, 1e-6)));
      text.push(`${state.name} (${state.stateabb})<br>share ${WO.percent(state.share, 2)}, rank ${state.rank}<br>${data.measure.label}: ${WO.big(state.value)} ${data.measure.unit || ""}${note}`);
    }
    // A log scale: shares run from a hundredth of a percent to a quarter, and a linear scale shows three states only.
    const positive = states.map((s) => s.share).filter((v) => v > 0);
    const high = Math.log10(Math.max(...positive));
    const low = Math.max(Math.floor(Math.log10(Math.min(...positive))), -4);
    const ticks = [];
    for (let k = low; k <= Math.ceil(high); k++) ticks.push(k);
    const trace = {
      type: "choropleth", locationmode: "ISO-3", locations, z, text, hovertemplate: "%{text}<extra></extra>", name: "share",
      zmin: low, zmax: high, colorscale: "YlGnBu", reversescale: true, marker: { line: { color: "#ffffff", width: 0.4 } },
      colorbar: { title: { text: "share<br>(log scale)" }, tickvals: ticks, ticktext: ticks.map((k) => `${+(100 * 10 ** k).toPrecision(2)}%`), thickness: 12 },
    };
    const traces = [trace];
    if (blank.length) {
      traces.push({
        type: "choropleth", locationmode: "ISO-3", locations: blank, z: blank.map(() => 0), text: blankText, name: "no data",
        hovertemplate: "%{text}<extra></extra>", colorscale: [[0, "#9e9e9e"], [1, "#9e9e9e"]], showscale: false,
        marker: { line: { color: "#ffffff", width: 0.4 } },
      });
    }
    const legend = blank.length ? `Dark grey: no data (${blank.length > 3 ? `${blank.length} shapes` : [...new Set(blankText.map((t) => t.split("<br>")[0]))].join(", ")})` : "";
    WO.plot("map", traces, {
      margin: { l: 0, r: 0, t: 10, b: 0 },
      geo: { projection: { type: "natural earth" }, showland: true, landcolor: "#ececec", showcountries: true, countrycolor: "#ffffff",
             showcoastlines: false, showframe: false, showocean: false, bgcolor: "#fff", lataxis: { range: [-58, 85] } },
      annotations: [{ text: `${legend}${legend ? " · " : ""}light grey: not a state of the system in ${data.year}`, x: 0.01, y: 0.01, xref: "paper", yref: "paper",
                      showarrow: false, xanchor: "left", yanchor: "bottom", font: { size: 11, color: "#444" }, bgcolor: "rgba(255,255,255,0.8)" }],
    });
    drawn = data.year;
    document.getElementById("map").dataset.year = String(data.year);
    document.getElementById("map-caption").classList.remove("error");
    document.getElementById("map-caption").textContent = data.caption;
    document.getElementById("table-year").textContent = String(data.year);
    WO.renderTable("top-table", states.slice(0, 15), [
      ["rank", "#", null, true], ["name", "state"], ["stateabb", "COW"],
      ["share", "share", (v) => WO.percent(v, 2), true], ["value", `${data.measure.label}`, (v) => WO.big(v), true],
    ], { keyColumn: "stateabb" });
    const list = document.getElementById("stand-ins");
    list.replaceChildren(...(data.stand_ins.length ? data.stand_ins.map((s) => WO.el("li", { text: s.note })) : [WO.el("li", { text: "No state of this year is drawn with borders other than its own." })]));
    const byNote = new Map();
    for (const m of data.missing) byNote.set(m.note, [...(byNote.get(m.note) || []), m.name]);
    const missing = [...byNote.entries()].map(([note, names]) => (names.length === 1 && note !== "too small for a 1:110m map" ? note : `${note}: ${names.join(", ")}`));
    document.getElementById("missing-shapes").textContent = missing.length ? `Not on the map in ${data.year} — ${missing.join("; ")}.` : "";
    document.getElementById("map-notes").replaceChildren(...data.notes.map((n) => WO.el("li", { text: n })));
    const next = data.year + 1;
    if (timer && next <= Number(slider.max)) fetchYear(next); // prefetch while playing
  }

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    play.textContent = "▶ Play";
    play.setAttribute("aria-pressed", "false");
  }

  function start() {
    if (Number(slider.value) >= Number(slider.max)) slider.value = slider.min;
    play.textContent = "❚❚ Pause";
    play.setAttribute("aria-pressed", "true");
    timer = setInterval(() => {
      if (Number(slider.value) >= Number(slider.max)) { stop(); return; }
      slider.value = Number(slider.value) + 1;
      render();
    }, 700);
    render();
  }

  play.addEventListener("click", () => (timer ? stop() : start()));
  slider.addEventListener("input", () => { label.value = slider.value; label.textContent = slider.value; });
  slider.addEventListener("change", () => { stop(); render(); });
  measure.addEventListener("change", () => { stop(); cache.clear(); setRange(slider.value); render(); });
  among.addEventListener("change", () => { stop(); cache.clear(); render(); });
  setRange(given.year || coverage().last);
  await render();
})().catch((error) => { WO.showError("map-caption", error); WO.ready(); });
