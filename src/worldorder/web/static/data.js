/* Data: sources, versions, citations, and downloads of every table the pages show. */
"use strict";

(async () => {
  const [sources, meta] = await Promise.all([WO.api("/api/sources"), WO.meta()]);
  const citation = document.getElementById("citation");
  const rows = WO.rows(sources.table).sort((a, b) => Number(b.used_by_app) - Number(a.used_by_app) || a.name.localeCompare(b.name));
  WO.renderTable("sources-table", rows, [
    ["name", "data set"], ["used_by_app", "used here", (v) => (v ? "yes" : "")], ["title", "title"], ["version", "version"], ["publisher", "publisher"], ["coverage", "coverage"],
    ["licence", "licence"],
    ["in_store", "in the store", (v, r) => (v ? `yes, ${Number(r.stored_rows).toLocaleString()} rows, ${String(r.ingested_at || "").slice(0, 10)}` : "no")],
    ["name", "citation", (name) => {
      const link = WO.el("a", { href: `/api/sources/${name}/citation`, text: "BibTeX", "data-name": name });
      link.addEventListener("click", async (event) => {
        event.preventDefault();
        const response = await fetch(link.href);
        citation.hidden = false;
        citation.textContent = await response.text();
        citation.scrollIntoView({ block: "nearest" });
      });
      return link;
    }],
  ], { keyColumn: "name" });
  WO.downloads("sources-downloads", "/api/sources", {}, [null]);

  const last = meta.measures.find((m) => m.key === "cinc").last;
  const list = [
    ["Overview", "polarity timeline (CINC, major powers)", "/api/timeline", { measure: "cinc", among: "majors", rule: "leader:0.5" }, "polarity"],
    ["Overview", "eras", "/api/timeline", { measure: "cinc", among: "majors", rule: "leader:0.5" }, "eras"],
    ["Overview", "agreement across measures", "/api/agreement", { among: "majors" }, null],
    ["Map", `shares by state, ${last}`, "/api/map", { measure: "cinc", among: "all", year: last }, "states"],
    ["Map", `shapes drawn, ${last}`, "/api/map", { measure: "cinc", among: "all", year: last }, "shapes"],
    ["Regions", `regional leaders, ${last}`, "/api/regions", { year: last, measures: "cinc,gdp,milex", scheme: "cow" }, null],
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
