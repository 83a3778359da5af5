// The SPARQL editor of /sparql: CodeMirror 5 (vendored) with SPARQL highlighting, completion of
// the ontology's terms, pre-declared prefixes, results as a table, downloads and a share link.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("editor-data").textContent);
  const examples = JSON.parse(document.getElementById("examples-data").textContent);
  const results = document.getElementById("results");
  const textarea = document.getElementById("query");
  const MAX_ROWS = 1000;
  const KEYWORDS = [
    "SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "BIND", "VALUES", "GRAPH", "UNION",
    "MINUS", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT", "DESCRIBE",
    "PREFIX", "COUNT", "SAMPLE", "GROUP_CONCAT", "LANG", "LANGMATCHES", "STR", "CONTAINS",
    "STRSTARTS", "REGEX", "COALESCE", "EXISTS", "NOT EXISTS", "DESC", "ASC", "AS", "a",
  ];
  // Longest namespace first, so that kskid: wins over a shorter namespace it starts with.
  const namespaces = Object.entries(data.prefixes).sort((a, b) => b[1].length - a[1].length);

  const editor = CodeMirror.fromTextArea(textarea, {
    mode: "application/sparql-query",
    lineNumbers: true,
    matchBrackets: true,
    screenReaderLabel: "SPARQL-Abfrage",
    extraKeys: {
      "Ctrl-Space": "autocomplete",
      "Ctrl-Enter": () => run(),
      "Cmd-Enter": () => run(),
      // Tab leaves the editor (no keyboard trap); indentation is kept by Enter.
      "Tab": false,
      "Shift-Tab": false,
    },
    hintOptions: { hint: complete, completeSingle: false },
  });

  editor.on("inputRead", (cm, change) => {
    const typed = change.text.join("");
    if (/^[\w:]$/.test(typed) && /[A-Za-z][\w-]*:[\w-]*$/.test(lineBefore(cm))) {
      cm.showHint();
    }
  });

  function lineBefore(cm) {
    const cursor = cm.getCursor();
    return cm.getLine(cursor.line).slice(0, cursor.ch);
  }

  // Completion: prefixed names from the ontology and the data, else prefixes and keywords.
  function complete(cm) {
    const cursor = cm.getCursor();
    const match = lineBefore(cm).match(/[A-Za-z_][\w-]*:[\w-]*$|[A-Za-z_][\w-]*$/);
    const word = match ? match[0] : "";
    const lower = word.toLowerCase();
    let list;
    if (word.includes(":")) {
      list = data.terms
        .filter((t) => t.text.toLowerCase().startsWith(lower)
          || (t.text.startsWith(word.split(":")[0] + ":") && t.label.toLowerCase().includes(lower.split(":")[1])))
        .sort((a, b) => rank(a.text, word) - rank(b.text, word))
        .map((t) => ({ text: t.text, displayText: t.label ? `${t.text} – ${t.label}` : t.text }));
    } else {
      const prefixes = Object.keys(data.prefixes).map((p) => p + ":");
      list = [...prefixes, ...KEYWORDS]
        .filter((k) => k.toLowerCase().startsWith(lower))
        .map((k) => ({ text: k, displayText: k }));
    }
    return {
      list: list.slice(0, 200),
      from: CodeMirror.Pos(cursor.line, cursor.ch - word.length),
      to: cursor,
    };
  }

  // Names that start with what was typed (same case first) come before matches on the label.
  function rank(text, word) {
    if (text.startsWith(word)) return 0;
    return text.toLowerCase().startsWith(word.toLowerCase()) ? 1 : 2;
  }

  // The prefixes a query uses without declaring them, from the pre-declared set.
  function missingPrefixes(query) {
    const code = query
      .replace(/<[^<>\s]*>/g, " ")
      .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, " ")
      .replace(/#.*$/gm, " ");
    const declared = new Set([...code.matchAll(/PREFIX\s+([\w.-]*):/gi)].map((m) => m[1]));
    const used = new Set([...code.matchAll(/(?<![\w?$.-])([A-Za-z][\w.-]*):/g)].map((m) => m[1]));
    return [...used].filter((p) => !declared.has(p) && p in data.prefixes);
  }

  function withPrefixes(query) {
    const missing = missingPrefixes(query);
    if (!missing.length) return query;
    const lines = missing.map((p) => `PREFIX ${p}: <${data.prefixes[p]}>`);
    return lines.join("\n") + "\n" + query;
  }

  function compact(iri) {
    for (const [prefix, namespace] of namespaces) {
      if (iri.startsWith(namespace) && iri.length > namespace.length) {
        return prefix + ":" + iri.slice(namespace.length);
      }
    }
    return iri;
  }

  function href(iri) {
    if (iri.startsWith(data.idNamespace)) return data.root + "id/" + iri.slice(data.idNamespace.length);
    if (iri.startsWith(data.prefixes.ksk)) return data.root + "ontology#" + iri.slice(data.prefixes.ksk.length);
    return iri;
  }

  function element(tag, text, attributes) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.append(element("a", compact(term.value), { href: href(term.value), title: term.value }));
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.append(element("span", term.value, term["xml:lang"] ? { lang: term["xml:lang"] } : {}));
      const note = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? compact(term.datatype) : "";
      if (note) td.append(" ", element("small", note, { class: "en" }));
    }
    return td;
  }

  function table(json) {
    const rows = json.results.bindings;
    const caption = rows.length > MAX_ROWS
      ? `${rows.length} Zeilen; angezeigt werden die ersten ${MAX_ROWS} (alle: Download)`
      : `${rows.length} ${rows.length === 1 ? "Zeile" : "Zeilen"}`;
    const t = element("table", undefined, { id: "result-table" });
    t.append(element("caption", caption));
    const head = t.createTHead().insertRow();
    for (const v of json.head.vars) head.append(element("th", v, { scope: "col" }));
    const body = t.createTBody();
    for (const binding of rows.slice(0, MAX_ROWS)) {
      const row = body.insertRow();
      for (const v of json.head.vars) row.append(cell(binding[v]));
    }
    return t;
  }

  // A page opened on an older release (version=V) runs and downloads on V as well.
  const pinned = data.pinned ? { version: data.version } : {};

  function queryUrl(query, extra) {
    const params = new URLSearchParams({ query, ...pinned, ...extra });
    return data.root + "sparql?" + params.toString();
  }

  function updateLinks(query) {
    document.getElementById("download-csv").href = queryUrl(query, { format: "csv" });
    document.getElementById("download-json").href = queryUrl(query, { format: "json" });
    const share = new URL(queryUrl(query, { version: data.version }), location.href).href;
    document.getElementById("share").value = share;
    document.getElementById("links").hidden = false;
    history.replaceState(null, "", share);
  }

  async function showError(response) {
    const type = response.headers.get("content-type") || "";
    const body = type.startsWith("application/json") ? await response.json() : { message: await response.text() };
    const where = body.line ? ` (Zeile ${body.line}, Spalte ${body.column})` : "";
    results.replaceChildren(element("p", `Fehler ${response.status}: ${body.message}${where}`, { class: "error", role: "alert" }));
  }

  async function run() {
    const query = withPrefixes(editor.getValue());
    if (query !== editor.getValue()) editor.setValue(query);
    results.replaceChildren(element("p", "Wird ausgeführt …", { class: "status" }));
    updateLinks(query);
    let response;
    try {
      response = await fetch(data.endpoint, {
        method: "POST",
        body: new URLSearchParams({ query, ...pinned }),
        headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" },
      });
    } catch (error) {
      results.replaceChildren(element("p", "Der Server antwortet nicht: " + error, { class: "error", role: "alert" }));
      return;
    }
    if (!response.ok) return showError(response);
    const type = response.headers.get("content-type") || "";
    if (type.startsWith("application/sparql-results+json")) {
      const json = await response.json();
      results.replaceChildren("boolean" in json ? element("p", json.boolean ? "ja (true)" : "nein (false)") : table(json));
    } else {
      results.replaceChildren(element("pre", await response.text()));
    }
  }

  document.getElementById("run").addEventListener("click", run);
  document.getElementById("editor-form").addEventListener("submit", () => {
    textarea.value = withPrefixes(editor.getValue());
  });
  document.getElementById("copy").addEventListener("click", async () => {
    const share = document.getElementById("share");
    share.select();
    try { await navigator.clipboard.writeText(share.value); } catch (error) { document.execCommand("copy"); }
  });
  for (const link of document.querySelectorAll("a.example")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      editor.setValue(examples[Number(link.dataset.index)]);
      run();
    });
  }

  const params = new URLSearchParams(location.search);
  // A link naming an older release opened this page on that release (api/http/versions.py);
  // base.html says so above the editor.
  if (params.get("query")) run();
})();
