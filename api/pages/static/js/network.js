// The cooperation network as an SVG graph with a small force layout (no library): nodes can be
// dragged with the pointer, reached with Tab, and opened with Enter.
"use strict";

window.KSKG = window.KSKG || {};

(function (K) {
  const WIDTH = 1000, HEIGHT = 620;
  const COLORS = { Kommune: "#4e79a7", Cluster: "#e15759", Bundesland: "#59a14f", Organisation: "#f28e2b", Sektor: "#b07aa1" };
  const LABELLED = new Set(["Cluster", "Bundesland", "Sektor", "Kommune"]);

  // Positions by a fixed number of force steps: repulsion between all nodes, springs on edges,
  // a pull to the centre. Deterministic start (a circle), so the picture is the same each time.
  // `spacing` (default 1) stretches springs and repulsion, for small graphs with long labels.
  function layout(nodes, edges, spacing = 1) {
    nodes.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / nodes.length;
      n.x = WIDTH / 2 + 250 * Math.cos(angle);
      n.y = HEIGHT / 2 + 220 * Math.sin(angle);
    });
    const index = new Map(nodes.map((n) => [n.id, n]));
    const links = edges.map((e) => [index.get(e.source), index.get(e.target), e.label || e.relation]).filter(([a, b]) => a && b);
    for (let step = 0; step < 300; step++) {
      const cooling = 1 - step / 300;
      for (const a of nodes) { a.dx = (WIDTH / 2 - a.x) * 0.006; a.dy = (HEIGHT / 2 - a.y) * 0.014; }
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const a = nodes[i], b = nodes[j];
          const dx = a.x - b.x, dy = a.y - b.y, d2 = Math.max(dx * dx + dy * dy, 25);
          const f = 5000 * spacing * spacing / d2;
          a.dx += dx * f / Math.sqrt(d2); a.dy += dy * f / Math.sqrt(d2);
          b.dx -= dx * f / Math.sqrt(d2); b.dy -= dy * f / Math.sqrt(d2);
        }
      }
      for (const [a, b] of links) {
        const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(Math.hypot(dx, dy), 1);
        const f = (d - 80 * spacing) * 0.05;
        a.dx += dx / d * f; a.dy += dy / d * f; b.dx -= dx / d * f; b.dy -= dy / d * f;
      }
      for (const n of nodes) {
        n.x = clamp(n.x + clamp(n.dx, -20, 20) * cooling, 20, WIDTH - 20);
        n.y = clamp(n.y + clamp(n.dy, -20, 20) * cooling, 20, HEIGHT - 20);
      }
    }
    return links;
  }

  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }

  K.network = function (container, legend, graph) {
    const nodes = graph.nodes.map((n) => ({ ...n }));
    const links = layout(nodes, graph.edges, graph.spacing);
    const svg = K.svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "group",
      "aria-label": K.t("network", { nodes: nodes.length, edges: links.length }) });
    const lines = [];
    for (const [a, b, label] of links) lines.push(edgeElement(svg, graph, a, b, label, lines.length));
    for (const node of nodes) svg.append(nodeElement(node, lines, svg));
    container.replaceChildren(svg);
    legend.replaceChildren(...Object.entries(COLORS).map(([type, color]) => {
      const item = K.element("li");
      item.append(K.element("span", undefined, { style: `background:${color}` }), type);
      return item;
    }));
  };

  // An edge names its property: as a tooltip always, and written on it in a small graph
  // (`graph.edgeLabels`), at 35 % or 65 % of its length by turns, so that edges crossing at
  // their middles do not write their names over each other.
  function edgeElement(svg, graph, a, b, label, index) {
    const line = K.svg("line", { class: "edge", x1: a.x, y1: a.y, x2: b.x, y2: b.y });
    svg.append(line);
    if (!label) return { line, a, b };
    line.append(K.svg("title", {}, label));
    const text = graph.edgeLabels ? K.svg("text", { class: "edge-label", "text-anchor": "middle" }, label) : null;
    if (text) svg.append(text);
    const edge = { line, a, b, text, at: index % 2 ? 0.35 : 0.65 };
    placeLabel(edge);
    return edge;
  }

  function placeLabel(edge) {
    if (!edge.text) return;
    edge.text.setAttribute("x", edge.a.x + (edge.b.x - edge.a.x) * edge.at);
    edge.text.setAttribute("y", edge.a.y + (edge.b.y - edge.a.y) * edge.at - 3);
  }

  function nodeElement(node, lines, svg) {
    const group = K.svg("g", { class: "node", tabindex: "0", role: "link", "data-type": node.type,
      "aria-label": `${node.label} (${node.type})`, transform: `translate(${node.x},${node.y})` });
    group.append(K.svg("circle", { r: node.type === "Organisation" ? 6 : 9, fill: node.color || COLORS[node.type] || "#888" }));
    group.append(K.svg("title", {}, `${node.label} (${node.type})`));
    // The editor's graph view labels every node it draws (`labelled`) and brings its own colours.
    if (node.labelled || LABELLED.has(node.type)) group.append(K.svg("text", { x: 11, y: 4 }, node.label));
    const open = () => { if (node.page) location.href = node.page; };
    group.addEventListener("keydown", (event) => { if (event.key === "Enter") open(); });
    group.addEventListener("dblclick", open);
    draggable(group, node, lines, svg);
    return group;
  }

  function draggable(group, node, lines, svg) {
    group.addEventListener("pointerdown", (event) => {
      group.setPointerCapture(event.pointerId);
      group.classList.add("active");
      const move = (e) => {
        const point = svg.createSVGPoint();
        point.x = e.clientX; point.y = e.clientY;
        const p = point.matrixTransform(svg.getScreenCTM().inverse());
        node.x = p.x; node.y = p.y;
        group.setAttribute("transform", `translate(${node.x},${node.y})`);
        for (const l of lines) {
          if (l.a === node) { l.line.setAttribute("x1", node.x); l.line.setAttribute("y1", node.y); }
          if (l.b === node) { l.line.setAttribute("x2", node.x); l.line.setAttribute("y2", node.y); }
          if (l.a === node || l.b === node) placeLabel(l);
        }
      };
      const up = () => {
        group.classList.remove("active");
        group.removeEventListener("pointermove", move);
        group.removeEventListener("pointerup", up);
      };
      group.addEventListener("pointermove", move);
      group.addEventListener("pointerup", up);
    });
  }
})(window.KSKG);
