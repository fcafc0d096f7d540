/* Data: sources, versions, citations, and downloads of every table the pages show. */
"use strict";

(async () => {
  const [sources, meta] = await Promise.all([WO.api("/api/sources"), WO.meta()]);
  const citation = document.getElementById("citation");
  const rows = WO.rows(sources.table).sort((a, b) => Number(b.used_by_app) - Number(a.used_by_app) || a.name.localeCompare(b.name));
  function cite(name) {
    const link = WO.el("a", { href: `/api/sources/${name}/citation`, text: "cite (BibTeX)", "data-name": name, class: "cite" });
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      const response = await fetch(link.href);
      citation.hidden = false;
      citation.textContent = await response.text();
      citation.scrollIntoView({ block: "nearest" });
    });
    return link;
  }
  function shorten(value, size) {
    const full = WO.text(value);
    if (full.length <= size) return full;
    return WO.el("span", { title: full, text: `${full.slice(0, size).replace(/\s+\S*$/, "")} …` });
  }
  // The citation link sits with the name, in the first column, so that it is never clipped off the right edge.
  WO.renderTable("sources-table", rows, [
    ["name", "data set", (name, r) => WO.el("span", {}, [WO.el("code", { text: name }), WO.el("br"), cite(name), r.used_by_app ? " · used here" : ""])],
    ["title", "title"], ["version", "version"], ["last", "data to"], ["publisher", "publisher"], ["coverage", "coverage", (v) => shorten(v, 60)],
    ["url", "publisher's address", (v, r) => WO.el("span", {}, [WO.el("a", { href: v, text: r.url_kind === "page" ? "page" : r.url_kind, rel: "noopener" }), r.copies ? " · copies kept by others" : ""])],
    ["licence", "licence", (v) => shorten(v, 70)],
    ["in_store", "in the store", (v, r) => (v ? `${Number(r.stored_rows).toLocaleString()} rows` : "no")],
  ], { keyColumn: "name", class: "sources" });
  WO.downloads("sources-downloads", "/api/sources", {}, [null]);

  const last = meta.measures.find((m) => m.key === "cinc").last;
  const regionsYear = meta.defaults.regions_year;  // the year the Regions page opens on
  const list = [
    ["Overview", "polarity timeline (CINC, major powers)", "/api/timeline", { measure: "cinc", among: "majors", rule: "leader:0.5" }, "polarity"],
    ["Overview", "eras", "/api/timeline", { measure: "cinc", among: "majors", rule: "leader:0.5" }, "eras"],
    ["Overview", "agreement across measures", "/api/agreement", { among: "majors" }, null],
    ["Map", `shares by state, ${last}`, "/api/map", { measure: "cinc", among: "all", year: last }, "states"],
    ["Map", `shapes drawn, ${last}`, "/api/map", { measure: "cinc", among: "all", year: last }, "shapes"],
    ["Regions", `regional leaders, ${regionsYear}`, "/api/regions", { year: regionsYear, measures: meta.defaults.regions_measures.join(","), scheme: "cow" }, null],
    ["Regions", "polarity within regions", "/api/regions/polarity", { measure: "cinc", scheme: "cow", rule: "leader:0.5" }, null],
    ["Networks", "alliance blocs 1985: states", "/api/network", { layer: "alliance", year: 1985, resolution: 1, runs: 10 }, "nodes"],
    ["Networks", "alliance blocs 1985: blocs", "/api/network", { layer: "alliance", year: 1985, resolution: 1, runs: 10 }, "blocs"],
    ["Networks", "gas dependence of Germany", "/api/dependence", { country: "Germany", layer: "gas", by: "year" }, null],
    ["Data", "data sets", "/api/sources", {}, null],
  ];
  const body = document.getElementById("downloads-list");
  body.replaceChildren(...list.map(([page, name, path, params, table]) => {
    const links = ["csv", "parquet"].map((format) => WO.el("a", { href: WO.url(path, { ...params, format, ...(table ? { table } : {}) }), download: "", text: format.toUpperCase() }));
    return WO.el("tr", {}, [WO.el("td", { text: page }), WO.el("td", { text: name }), WO.el("td", {}, [links[0], " · ", links[1]])]);
  }));
  body.append(WO.el("tr", {}, [WO.el("td", { text: "Futures" }), WO.el("td", { text: "projection and scenario tables" }), WO.el("td", { text: "linked under each result on the Futures page" })]));
  WO.ready();
})().catch((error) => { WO.showError("sources-table", error); WO.ready(); });
