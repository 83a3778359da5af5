// The views of a result in the SPARQL editor: "Tabelle | Diagramm | Graph". The chart is a bar
// chart of one label column and one numeric column (charts.js); the graph is a node-link view
// (network.js) of CONSTRUCT/DESCRIBE triples or of two IRI columns of a SELECT result. Both are
// drawn only when chosen, and nothing is fetched from another host.
"use strict";

window.KSKG = window.KSKG || {};

(function (KSKG) {
  const MAX_NODES = 300;
  const MAX_BARS = 100;
  const LABELLED_MAX = 80;
  // Up to this many edges, each edge writes its property at its middle (else: tooltip only).
  const EDGE_LABELS_MAX = 40;
  const RELATION_COLUMN = /^(p|prop|property|predicate|pred|relation|beziehung|eigenschaft)$/i;
  const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  const element = (tag, text, attributes) => KSKG.element(tag, text, attributes);
  // The view chosen last, kept for the next result so a re-run stays in the chart or graph.
  let chosen = "table";

  // --- the switch ---------------------------------------------------------------------------
  // `views`: [{key, label, draw(panel)}]; `draw` runs once, on first showing.
  function switcher(views) {
    const box = element("div", undefined, { class: "result-views" });
    const bar = element("div", undefined, { class: "view-switch", role: "group", "aria-label": KSKG.t("view_label") });
    const panels = views.map((v) => element("div", undefined, { class: "view-panel", "data-view": v.key }));
    const buttons = views.map((v, i) => {
      const button = element("button", v.label, { type: "button", "data-view": v.key, "aria-pressed": "false" });
      button.addEventListener("click", () => show(i));
      return button;
    });
    const drawn = new Set();
    function show(index) {
      chosen = views[index].key;
      views.forEach((v, i) => {
        buttons[i].setAttribute("aria-pressed", String(i === index));
        panels[i].hidden = i !== index;
      });
      if (!drawn.has(index)) {
        drawn.add(index);
        views[index].draw(panels[index]);
      }
    }
    bar.append(...buttons);
    box.append(bar, ...panels);
    show(Math.max(0, views.findIndex((v) => v.key === chosen)));
    return box;
  }

  // --- terms and columns --------------------------------------------------------------------
  function columnsOf(json) {
    const rows = json.results.bindings;
    return json.head.vars.map((name) => {
      const terms = rows.map((r) => r[name]).filter(Boolean);
      return {
        name,
        numeric: terms.length > 0 && terms.every((t) => KSKG.numericValue(t) !== null),
        iri: terms.length > 0 && terms.every((t) => t.type === "uri"),
        literal: terms.length > 0 && terms.every((t) => t.type === "literal"),
      };
    });
  }

  function termText(term, view) {
    if (!term) return "";
    if (term.type === "uri") return KSKG.compact(term.value, view.namespaces);
    if (term.type === "bnode") return "_:" + term.value;
    return term.value;
  }

  function select(id, label, names, value, onChange) {
    const wrap = element("label", label + " ", { for: id });
    const box = element("select", undefined, { id });
    for (const name of names) box.append(element("option", "?" + name, { value: name }));
    box.value = value;
    box.addEventListener("change", () => onChange(box.value));
    return [wrap, box];
  }

  // --- Diagramm -----------------------------------------------------------------------------
  function drawChart(panel, json, view) {
    const columns = columnsOf(json);
    const numbers = columns.filter((c) => c.numeric).map((c) => c.name);
    if (!numbers.length) {
      panel.replaceChildren(element("p", KSKG.t("no_chart"), { class: "notice", id: "chart-message" }));
      return;
    }
    const others = columns.filter((c) => !c.numeric).map((c) => c.name);
    const labels = others.length ? others : json.head.vars;
    const state = {
      label: (columns.find((c) => c.literal && !c.numeric) || columns.find((c) => !c.numeric) || columns[0]).name,
      value: numbers[0],
    };
    const chart = element("div", undefined, { class: "chart result-chart", id: "result-chart" });
    const note = element("p", "", { class: "timing" });
    const controls = element("div", undefined, { class: "result-controls" });
    controls.append(
      ...select("chart-label", KSKG.t("chart_label"), labels, state.label, (v) => { state.label = v; draw(); }),
      ...select("chart-value", KSKG.t("chart_value"), numbers, state.value, (v) => { state.value = v; draw(); }),
    );
    function draw() {
      const bound = json.results.bindings.filter((b) => b[state.value]);
      const rows = bound.slice(0, MAX_BARS).map((b) => ({
        label: termText(b[state.label], view) || KSKG.t("no_value"),
        values: { value: KSKG.numericValue(b[state.value]) },
      }));
      // Fit the box: at 390 px the label column shrinks before anything has to scroll.
      const width = Math.max(chart.clientWidth - 16, 280);
      const labelWidth = Math.round(Math.min(300, Math.max(110, width * 0.4)));
      const size = { labelWidth, barWidth: Math.min(600, width - labelWidth - 50) };
      KSKG.stackedBars(chart, rows, [{ key: "value", label: "?" + state.value, color: KSKG.PALETTE[0] }], size);
      note.textContent = bound.length > MAX_BARS
        ? KSKG.t("first_bars", { max: MAX_BARS, n: bound.length })
        : KSKG.t("bars", { n: rows.length, column: state.value });
    }
    panel.replaceChildren(controls, note, chart);
    draw();
  }

  // --- Graph --------------------------------------------------------------------------------
  // Collects nodes in order of first appearance and edges between them; stops adding nodes at
  // MAX_NODES, so edges to nodes beyond the cap are left out.
  function graphBuilder(view) {
    const nodes = new Map(), edges = [], seen = new Set();
    let wanted = 0;
    const colors = new Map();
    function colorOf(type) {
      if (!colors.has(type)) colors.set(type, KSKG.PALETTE[colors.size % KSKG.PALETTE.length]);
      return colors.get(type);
    }
    function node(term, type) {
      const id = term.type + ":" + term.value;
      if (!nodes.has(id)) {
        if (!seen.has(id)) { seen.add(id); wanted += 1; }
        if (nodes.size >= MAX_NODES) return null;
        nodes.set(id, { id, iri: term.type === "uri" ? term.value : null, label: termText(term, view),
          type, page: term.type === "uri" ? view.href(term.value) : null });
      }
      return nodes.get(id);
    }
    return {
      nodes, colors, node,
      // One edge per pair of nodes; the properties between them are its label.
      edge(a, b, label) {
        if (!a || !b || a === b) return;
        const known = edges.find((e) => e.source === a.id && e.target === b.id);
        if (!known) edges.push({ source: a.id, target: b.id, label: label || "" });
        else if (label && !known.label.split(", ").includes(label)) known.label += ", " + label;
      },
      graph() {
        // Past LABELLED_MAX nodes the labels hide each other: the name is then the tooltip only.
        for (const n of nodes.values()) { n.color = colorOf(n.type); n.labelled = nodes.size <= LABELLED_MAX; }
        // Few nodes: longer springs, so the labels (drawn over the edges) hide fewer of them.
        const spacing = nodes.size <= 60 ? 1.8 : nodes.size <= 150 ? 1.3 : 1;
        return { nodes: [...nodes.values()], edges, wanted, spacing, edgeLabels: edges.length <= EDGE_LABELS_MAX };
      },
    };
  }

  // The literal column that names an IRI column: ?xLabel / ?x_label, else the first text column
  // after it and before the next IRI column (?cluster ?nummer ?bezeichnung, ?modellkommune ?name).
  function labelColumn(columns, name) {
    const named = columns.find((c) => c.literal && [name + "label", name + "_label"].includes(c.name.toLowerCase()));
    if (named) return named.name;
    for (const c of columns.slice(columns.findIndex((x) => x.name === name) + 1)) {
      if (c.iri) return null;
      if (c.literal && !c.numeric) return c.name;
    }
    return null;
  }

  // What a node is, for its colour: its rdf:type, else the kind its IRI names (kskid:kommune/…).
  function kindOf(term, types, view) {
    if (types.has(term.value)) return types.get(term.value);
    if (term.type === "uri" && term.value.startsWith(view.idNamespace)) {
      return term.value.slice(view.idNamespace.length).split("/")[0];
    }
    return KSKG.t("resource");
  }

  function selectGraph(json, view, from, to) {
    const columns = columnsOf(json);
    const builder = graphBuilder(view);
    const labels = { [from]: labelColumn(columns, from), [to]: labelColumn(columns, to) };
    // A column of properties (?p, ?property, ?relation …) names the edges.
    const relation = columns.find((c) => c.iri && RELATION_COLUMN.test(c.name) && c.name !== from && c.name !== to);
    for (const b of json.results.bindings) {
      const ends = [from, to].map((v) => {
        if (!b[v]) return null;
        const n = builder.node(b[v], "?" + v);
        if (n && labels[v] && b[labels[v]]) n.label = b[labels[v]].value;
        return n;
      });
      const property = relation && b[relation.name] ? KSKG.compact(b[relation.name].value, view.namespaces) : "";
      builder.edge(ends[0], ends[1], property);
    }
    return builder.graph();
  }

  function tripleGraph(triples, view) {
    const builder = graphBuilder(view);
    const labels = new Map(), types = new Map();
    for (const [s, p, o] of triples) {
      if (p === RDFS_LABEL && o.type === "literal" && (!labels.has(s.value) || o["xml:lang"] === "de")) labels.set(s.value, o.value);
      if (p === RDF_TYPE && o.type === "uri" && !types.has(s.value)) types.set(s.value, KSKG.compact(o.value, view.namespaces));
    }
    for (const [s, p, o] of triples) {
      if (o.type === "literal" || p === RDF_TYPE) continue;
      builder.edge(builder.node(s, kindOf(s, types, view)), builder.node(o, kindOf(o, types, view)), KSKG.compact(p, view.namespaces));
    }
    for (const [s] of triples) builder.node(s, kindOf(s, types, view));
    for (const n of builder.nodes.values()) if (n.iri && labels.has(n.iri)) n.label = labels.get(n.iri);
    return builder.graph();
  }

  function drawGraph(box, graph) {
    const note = element("p", "", { class: "timing", id: "graph-note" });
    const shown = graph.nodes.length;
    note.textContent = KSKG.t("graph_count", { nodes: shown, edges: graph.edges.length })
      + (graph.wanted > shown ? KSKG.t("graph_most", { max: MAX_NODES, more: graph.wanted - MAX_NODES }) : ".")
      + (shown > LABELLED_MAX ? KSKG.t("graph_tooltip", { max: LABELLED_MAX }) : "")
      + KSKG.t("graph_drag");
    const canvas = element("div", undefined, { class: "result-graph", id: "result-graph" });
    const legend = element("ul", undefined, { class: "chart-legend" });
    const colors = new Map(graph.nodes.map((n) => [n.type, n.color]));
    box.replaceChildren(note, canvas, legend);
    KSKG.network(canvas, element("ul"), graph);
    fit(canvas.querySelector("svg"));
    legend.replaceChildren(...[...colors].map(([type, color]) => {
      const item = element("li");
      item.append(element("span", undefined, { style: `background:${color}` }), type);
      return item;
    }));
  }

  // The picture cut to what is drawn, labels included (the layout's frame leaves empty bands
  // and cuts labels of nodes at its right edge).
  function fit(svg) {
    if (!svg) return;
    const box = svg.getBBox();
    if (!box.width || !box.height) return;
    const margin = 12;
    const [x, y, w, h] = [box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin];
    svg.setAttribute("viewBox", `${x} ${y} ${w} ${h}`);
    svg.style.aspectRatio = `${w} / ${h}`;
  }

  function drawSelectGraph(panel, json, view) {
    const iris = columnsOf(json).filter((c) => c.iri).map((c) => c.name);
    if (iris.length < 2) {
      panel.replaceChildren(element("p", KSKG.t("no_graph"), { class: "notice", id: "graph-message" }));
      return;
    }
    const state = { from: iris[0], to: iris[1] };
    const controls = element("div", undefined, { class: "result-controls" });
    const box = element("div");
    controls.append(
      ...select("graph-from", KSKG.t("graph_from"), iris, state.from, (v) => { state.from = v; draw(); }),
      ...select("graph-to", KSKG.t("graph_to"), iris, state.to, (v) => { state.to = v; draw(); }),
    );
    function draw() { drawGraph(box, selectGraph(json, view, state.from, state.to)); }
    panel.replaceChildren(controls, box);
    draw();
  }

  // --- N-Triples, as the server writes them ---------------------------------------------------
  const TERM = /^(<[^>]*>|_:\S+)\s+<([^>]*)>\s+(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?)\s*\.\s*$/;

  function unescape(text) {
    return text.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)/g, (m, u4, u8, ch) => {
      if (u4 || u8) return String.fromCodePoint(parseInt(u4 || u8, 16));
      return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" }[ch] || ch;
    });
  }

  function ntTerm(text) {
    if (text.startsWith("<")) return { type: "uri", value: text.slice(1, -1) };
    if (text.startsWith("_:")) return { type: "bnode", value: text.slice(2) };
    const match = text.match(/^"((?:[^"\\]|\\.)*)"(?:@([\w-]+))?/);
    return { type: "literal", value: unescape(match[1]), "xml:lang": match[2] };
  }

  KSKG.parseNTriples = function (text) {
    const triples = [];
    for (const line of text.split("\n")) {
      const match = line.trim().match(TERM);
      if (match) triples.push([ntTerm(match[1]), match[2], ntTerm(match[3])]);
    }
    return triples;
  };

  // --- entry points -------------------------------------------------------------------------
  /** Views of a SELECT answer: `table` is the element resultTable built. */
  KSKG.selectViews = function (json, table, view) {
    return switcher([
      { key: "table", label: KSKG.t("view_table"), draw: (panel) => panel.append(table) },
      { key: "chart", label: KSKG.t("view_chart"), draw: (panel) => drawChart(panel, json, view) },
      { key: "graph", label: KSKG.t("view_graph"), draw: (panel) => drawSelectGraph(panel, json, view) },
    ]);
  };

  /** Views of a CONSTRUCT/DESCRIBE answer: `text` shows it as Turtle; `triples()` resolves to
   * the same graph as N-Triples text, fetched when the graph is first shown. */
  KSKG.graphViews = function (text, triples, view) {
    return switcher([
      { key: "table", label: KSKG.t("view_turtle"), draw: (panel) => panel.append(...text) },
      { key: "chart", label: KSKG.t("view_chart"), draw: (panel) => panel.append(element("p", "Kein Diagramm: ein Diagramm zeigt ein "
        + "SELECT-Ergebnis mit einer Zahlenspalte; dies ist ein Graph (CONSTRUCT/DESCRIBE).", { class: "notice", id: "chart-message" })) },
      { key: "graph", label: KSKG.t("view_graph"), draw: async (panel) => {
        panel.replaceChildren(element("p", KSKG.t("graph_loading"), { class: "status" }));
        try {
          drawGraph(panel, tripleGraph(KSKG.parseNTriples(await triples()), view));
        } catch (error) {
          panel.replaceChildren(element("p", KSKG.t("graph_failed", { error }), { class: "error", role: "alert" }));
        }
      } },
    ]);
  };
})(window.KSKG);
