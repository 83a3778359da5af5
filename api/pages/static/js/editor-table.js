// The result table of the SPARQL editor: every row the answer holds, sorted by a click on a
// column head, filtered by a text box and shown a page at a time. IRIs are written as valid
// prefixed names (characters SPARQL needs escaped in a local name get a backslash) or in full
// as <…>, so a cell pasted back into a query parses.
"use strict";

window.KSKG = window.KSKG || {};

(function (KSKG) {
  const PAGE_SIZE = 100;
  // PN_LOCAL_ESC of SPARQL 1.1 §19.8: these may stand in a local name only escaped.
  const ESCAPABLE = "_~.-!$&'()*+,;=/?#@%";

  function element(tag, text, attributes) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  }
  KSKG.element = element;

  function plainLocal(ch, first, last) {
    if (/[A-Za-z0-9_]/.test(ch) || ch === ":") return true;
    if (ch === "-") return !first;
    if (ch === ".") return !first && !last;
    const code = ch.codePointAt(0);
    return code >= 0xc0 && code !== 0xd7 && code !== 0xf7;
  }

  // The local part written so that it parses as PN_LOCAL, or null if it cannot be.
  function localName(local) {
    const chars = [...local];
    let out = "";
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      if (plainLocal(ch, i === 0, i === chars.length - 1)) out += ch;
      else if (ESCAPABLE.includes(ch)) out += "\\" + ch;
      else return null;
    }
    return out;
  }

  // A prefixed name that parses (kskid:bundesland\/DE-MV), else the full IRI in <…>.
  KSKG.compact = function (iri, namespaces) {
    for (const [prefix, namespace] of namespaces) {
      if (iri.startsWith(namespace) && iri.length > namespace.length) {
        const local = localName(iri.slice(namespace.length));
        if (local !== null) return prefix + ":" + local;
      }
    }
    return "<" + iri + ">";
  };

  // The text a cell sorts and filters by.
  function sortKey(term) {
    if (!term) return "";
    return term.value;
  }

  function numeric(term) {
    if (!term || term.type !== "literal" || !term.datatype) return null;
    const number = Number(term.value);
    return /#(integer|decimal|double|float|int|long|short|nonNegativeInteger)$/.test(term.datatype)
      && !Number.isNaN(number) ? number : null;
  }

  KSKG.numericValue = numeric;

  function compare(a, b) {
    const x = numeric(a), y = numeric(b);
    if (x !== null && y !== null) return x - y;
    return sortKey(a).localeCompare(sortKey(b), "de", { numeric: true });
  }

  function cell(term, view) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.append(element("a", KSKG.compact(term.value, view.namespaces), { href: view.href(term.value), title: term.value }));
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.append(element("span", term.value, term["xml:lang"] ? { lang: term["xml:lang"] } : {}));
      const note = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? KSKG.compact(term.datatype, view.namespaces) : "";
      if (note) td.append(" ", element("small", note, { class: "en" }));
    }
    return td;
  }

  function matches(binding, vars, needle) {
    if (!needle) return true;
    return vars.some((v) => binding[v] && binding[v].value.toLowerCase().includes(needle));
  }

  // `view`: {namespaces, href(iri)}. Returns the element holding controls, table and pager.
  KSKG.resultTable = function (json, caption, view) {
    const vars = json.head.vars;
    const rows = json.results.bindings;
    const state = { sortBy: null, descending: false, filter: "", page: 0 };
    const box = element("div", undefined, { class: "result-box" });
    const controls = element("div", undefined, { class: "result-controls" });
    const filterLabel = element("label", KSKG.t("filter_rows"), { for: "result-filter" });
    const filter = element("input", undefined, { id: "result-filter", type: "search", placeholder: KSKG.t("filter_placeholder") });
    controls.append(filterLabel, filter);
    const scroller = element("div", undefined, { class: "table-scroll" });
    const table = element("table", undefined, { id: "result-table" });
    table.append(element("caption", caption));
    const headRow = table.createTHead().insertRow();
    const body = table.createTBody();
    const pager = element("nav", undefined, { class: "pager", "aria-label": KSKG.t("result_pages") });
    scroller.append(table);
    box.append(controls, scroller, pager);

    vars.forEach((v, index) => {
      const th = element("th", undefined, { scope: "col", "aria-sort": "none" });
      const button = element("button", v, { type: "button", class: "sort", title: KSKG.t("sort") });
      button.addEventListener("click", () => {
        state.descending = state.sortBy === v ? !state.descending : false;
        state.sortBy = v;
        state.page = 0;
        headRow.querySelectorAll("th").forEach((h) => h.setAttribute("aria-sort", "none"));
        th.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
        draw();
      });
      th.append(button);
      headRow.append(th);
    });

    filter.addEventListener("input", () => {
      state.filter = filter.value.trim().toLowerCase();
      state.page = 0;
      draw();
    });

    function visible() {
      let shown = rows.filter((b) => matches(b, vars, state.filter));
      if (state.sortBy) {
        const v = state.sortBy;
        shown = shown.slice().sort((a, b) => compare(a[v], b[v]) * (state.descending ? -1 : 1));
      }
      return shown;
    }

    function draw() {
      const shown = visible();
      const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
      state.page = Math.min(state.page, pages - 1);
      const first = state.page * PAGE_SIZE;
      body.replaceChildren();
      for (const binding of shown.slice(first, first + PAGE_SIZE)) {
        const row = body.insertRow();
        for (const v of vars) row.append(cell(binding[v], view));
      }
      drawPager(shown.length, first, pages);
    }

    function drawPager(count, first, pages) {
      pager.replaceChildren();
      if (count === 0) {
        pager.append(element("p", KSKG.t(rows.length ? "no_match" : "no_rows"), { class: "status" }));
        return;
      }
      const last = Math.min(first + PAGE_SIZE, count);
      const filtered = count === rows.length ? "" : KSKG.t("filtered", { n: rows.length });
      const previous = element("button", KSKG.t("previous"), { type: "button" });
      const next = element("button", KSKG.t("next"), { type: "button" });
      previous.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      previous.addEventListener("click", () => { state.page -= 1; draw(); });
      next.addEventListener("click", () => { state.page += 1; draw(); });
      pager.append(previous, element("span", KSKG.t("range", { first: first + 1, last, count, filtered }), { class: "range" }), next);
    }

    draw();
    return box;
  };
})(window.KSKG);
