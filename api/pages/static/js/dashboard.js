// The dashboard: every chart is built from the curated JSON routes, fetched in the browser.
"use strict";

(function (K) {
  const ROOT = window.KSKG_ROOT || "/";
  const STATUS = [
    { key: "umgesetzt", label: K.t("umgesetzt"), color: "#1b7f4b" },
    { key: "geplant", label: K.t("geplant"), color: "#b45309" },
  ];

  // All records of a paged route, following links.next until the last page.
  async function fetchAll(path) {
    let url = ROOT + path.replace(/^\//, "");
    const records = [];
    while (url) {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      const body = await response.json();
      records.push(...body.data);
      url = body.links && body.links.next ? body.links.next : null;
    }
    return records;
  }

  function fail(id, error) {
    document.getElementById(id).replaceChildren(K.element("p", K.t("load_error", { message: error.message }), { class: "error", role: "alert" }));
  }

  async function massnahmen() {
    const records = await fetchAll("/api/massnahmen?limit=1000");
    const byField = new Map();
    for (const m of records) {
      const fields = m.themenfelder.length ? m.themenfelder : [K.t("no_themenfeld")];
      for (const field of fields) {
        const row = byField.get(field) || { label: field, values: {} };
        row.values[m.status] = (row.values[m.status] || 0) + 1;
        byField.set(field, row);
      }
    }
    const rows = [...byField.values()].sort((a, b) => total(b) - total(a) || a.label.localeCompare(b.label));
    K.stackedBars(document.getElementById("chart-massnahmen"), rows, STATUS);
    K.table(document.getElementById("table-massnahmen"), [K.t("themenfeld"), K.t("umgesetzt"), K.t("geplant"), K.t("together")],
      rows.map((r) => [r.label, r.values.umgesetzt || 0, r.values.geplant || 0, total(r)]));
  }

  function total(row) {
    return Object.values(row.values).reduce((a, b) => a + b, 0);
  }

  async function organisationen() {
    const [orgs, kommunen] = await Promise.all([
      fetchAll("/api/organisationen?limit=1000"), fetchAll("/api/kommunen?limit=500"),
    ]);
    // A cluster whose number no source gives has only its label ("… (Nummer unbekannt)").
    const cluster = new Map(kommunen.map((k) => [k.kommune, { number: k.cluster_nummer, label: k.cluster_label }]));
    const sectors = [...new Set(orgs.map((o) => o.sektor_label || K.t("no_sektor")))].sort();
    const series = sectors.map((s, i) => ({ key: s, label: s, color: K.PALETTE[i % K.PALETTE.length] }));
    const byCluster = new Map();
    const seen = new Set();
    for (const o of orgs) {
      // One organisation may have two Sektoren; it is counted once per Sektor, not per row.
      const sector = o.sektor_label || K.t("no_sektor");
      const key = `${o.organisation} ${sector}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const known = o.kommune ? cluster.get(o.kommune) : null;
      const label = known ? known.label || K.t("cluster_n", { n: known.number }) : K.t("project_level");
      const order = known ? known.number || 98 : 99;
      const row = byCluster.get(label) || { label, order, values: {} };
      row.values[sector] = (row.values[sector] || 0) + 1;
      byCluster.set(label, row);
    }
    const rows = [...byCluster.values()].sort((a, b) => a.order - b.order);
    K.stackedBars(document.getElementById("chart-organisationen"), rows, series);
    K.table(document.getElementById("table-organisationen"), [K.t("cluster"), ...sectors],
      rows.map((r) => [r.label, ...sectors.map((s) => r.values[s] || 0)]));
  }

  async function netzwerk() {
    const choice = document.getElementById("network-cluster").value;
    const path = "/api/netzwerk" + (choice ? `?cluster=${encodeURIComponent(choice)}` : "");
    const link = document.getElementById("network-route");
    link.href = ROOT + path.slice(1);
    link.firstElementChild.textContent = "GET " + path;
    const response = await fetch(ROOT + path.slice(1), { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    const graph = (await response.json()).data;
    K.network(document.getElementById("network"), document.getElementById("network-legend"), graph);
    const label = new Map(graph.nodes.map((n) => [n.id, n]));
    K.table(document.getElementById("table-netzwerk"), [K.t("edge_from"), K.t("relation"), K.t("edge_to")],
      graph.edges.map((e) => [node(label.get(e.source), e.source), e.relation, node(label.get(e.target), e.target)]));
  }

  // The page lists clusters 1 to 12; a cluster whose number no source gives is added from
  // /api/cluster under its label, its value the last segment of its IRI (modell-<slug>).
  async function unnumberedClusters() {
    const select = document.getElementById("network-cluster");
    const seen = new Set();
    for (const c of await fetchAll("/api/cluster?limit=500")) {
      if (c.nummer != null || seen.has(c.cluster)) continue;
      seen.add(c.cluster);
      select.append(K.element("option", c.label, { value: c.cluster.split("/").pop() }));
    }
  }

  function node(n, id) {
    return n && n.page ? { text: n.label || id, href: n.page } : (n && n.label) || id;
  }

  massnahmen().catch((e) => fail("chart-massnahmen", e));
  organisationen().catch((e) => fail("chart-organisationen", e));
  netzwerk().catch((e) => fail("network", e));
  unnumberedClusters().catch((e) => fail("network", e));
  document.getElementById("network-cluster").addEventListener("change", () => netzwerk().catch((e) => fail("network", e)));
})(window.KSKG);
