// Small SVG charts for the dashboard, without a library: horizontal stacked bars and tables.
"use strict";

window.KSKG = window.KSKG || {};

(function (K) {
  const SVG = "http://www.w3.org/2000/svg";

  // The page's words for scripts, in the page's language (api/pages/words.toml [js]).
  const words = JSON.parse((document.getElementById("kskg-words") || {}).textContent || "{}");
  K.t = function (key, values) {
    let text = key in words ? words[key] : key;
    for (const [name, value] of Object.entries(values || {})) text = text.split(`{${name}}`).join(String(value));
    return text;
  };

  K.svg = function (tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };

  K.element = function (tag, text, attributes) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  };

  // rows: [{label, href, values: {seriesKey: number}}]; series: [{key, label, color}];
  // size: {labelWidth, barWidth} in px, for a chart that has to fit a narrow box.
  K.stackedBars = function (container, rows, series, size = {}) {
    const labelWidth = size.labelWidth || 300, barWidth = size.barWidth || 420, rowHeight = 26, top = 8;
    const max = Math.max(1, ...rows.map((r) => series.reduce((s, x) => s + (r.values[x.key] || 0), 0)));
    const height = top + rows.length * rowHeight + 24;
    const chart = K.svg("svg", { width: labelWidth + barWidth + 60, height, "aria-hidden": "true" });
    rows.forEach((row, i) => {
      const y = top + i * rowHeight;
      chart.append(K.svg("text", { x: labelWidth - 8, y: y + 16, "text-anchor": "end" }, shorten(row.label, size.labelWidth ? Math.floor(labelWidth / 7.5) : 44)));
      let x = labelWidth, total = 0;
      for (const s of series) {
        const value = row.values[s.key] || 0;
        if (!value) continue;
        const width = (value / max) * barWidth;
        const bar = K.svg("rect", { x, y: y + 3, width, height: rowHeight - 8, fill: s.color, class: "bar",
          "data-series": s.key, "data-value": value, "data-row": row.label });
        bar.append(K.svg("title", {}, `${row.label} – ${s.label}: ${value}`));
        chart.append(bar);
        x += width; total += value;
      }
      chart.append(K.svg("text", { x: x + 6, y: y + 16 }, String(total)));
    });
    chart.append(K.svg("line", { x1: labelWidth, x2: labelWidth, y1: top, y2: height - 20, class: "axis" }));
    container.replaceChildren(chart, K.legend(series));
  };

  K.legend = function (series) {
    const list = K.element("ul", undefined, { class: "chart-legend" });
    for (const s of series) {
      const item = K.element("li");
      item.append(K.element("span", undefined, { style: `background:${s.color}` }), s.label);
      list.append(item);
    }
    return list;
  };

  // A table with a header row; cells are text, or {text, href} for a link.
  K.table = function (container, headers, rows) {
    const table = K.element("table");
    const head = table.createTHead().insertRow();
    for (const h of headers) head.append(K.element("th", h, { scope: "col" }));
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const value of row) {
        const td = tr.insertCell();
        if (value && typeof value === "object") td.append(K.element("a", value.text, { href: value.href }));
        else td.textContent = value === undefined || value === null ? "" : String(value);
      }
    }
    container.replaceChildren(table);
  };

  function shorten(text, length) {
    return text.length > length ? text.slice(0, length - 1) + "…" : text;
  }

  K.PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#6b6ecf", "#8c8c8c"];
})(window.KSKG);
