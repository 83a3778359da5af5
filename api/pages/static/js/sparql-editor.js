// The SPARQL editor of /sparql: CodeMirror 5 (vendored) with SPARQL highlighting, completion of
// the ontology's terms (German labels), pre-declared prefixes, a syntax check while typing
// (POST /sparql/check) with the place marked, tabs and history in localStorage, results as a
// table that sorts, filters and pages (editor-table.js) with a chart and a graph view of it
// (editor-views.js), the server's note when a result was
// cut, the time a query took, downloads and a share link with the data version.
"use strict";

(function (KSKG) {
  const data = JSON.parse(document.getElementById("editor-data").textContent);
  const examples = JSON.parse(document.getElementById("examples-data").textContent);
  const results = document.getElementById("results");
  const textarea = document.getElementById("query");
  const checkStatus = document.getElementById("check-status");
  const element = KSKG.element;
  const CHECK_DELAY_MS = 600;
  const KEYWORDS = [
    "SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "BIND", "VALUES", "GRAPH", "UNION",
    "MINUS", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT", "DESCRIBE",
    "PREFIX", "COUNT", "SAMPLE", "GROUP_CONCAT", "LANG", "LANGMATCHES", "STR", "CONTAINS",
    "STRSTARTS", "REGEX", "COALESCE", "EXISTS", "NOT EXISTS", "DESC", "ASC", "AS", "a",
  ];
  // Longest namespace first, so that kskid: wins over a shorter namespace it starts with.
  const namespaces = Object.entries(data.prefixes).sort((a, b) => b[1].length - a[1].length);
  const view = { namespaces, href, idNamespace: data.idNamespace };

  const editor = CodeMirror.fromTextArea(textarea, {
    mode: "application/sparql-query",
    lineNumbers: true,
    lineWrapping: true,
    matchBrackets: true,
    screenReaderLabel: KSKG.t("query_label"),
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
  const params = new URLSearchParams(location.search);
  const tabs = new KSKG.Tabs(editor, document.getElementById("tabs"), params.get("query"), textarea.value);
  const runs = new KSKG.History(document.getElementById("history"), (query) => { editor.setValue(query); run(); });

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
    const used = new Set([...code.matchAll(/(?<![\w?$.\\-])([A-Za-z][\w.-]*):/g)].map((m) => m[1]));
    return [...used].filter((p) => !declared.has(p) && p in data.prefixes);
  }

  // The query as sent, and how many lines were added at its top.
  function withPrefixes(query) {
    const missing = missingPrefixes(query);
    if (!missing.length) return { text: query, added: 0 };
    const lines = missing.map((p) => `PREFIX ${p}: <${data.prefixes[p]}>`);
    return { text: lines.join("\n") + "\n" + query, added: lines.length };
  }

  function href(iri) {
    if (iri.startsWith(data.idNamespace)) return data.root + "id/" + iri.slice(data.idNamespace.length);
    if (iri.startsWith(data.prefixes.ksk)) return data.root + "ontology#" + iri.slice(data.prefixes.ksk.length);
    return iri;
  }

  // --- the place of a problem: marked in the editor and named under it ----------------------
  let marks = [];

  function clearMarks() {
    marks.forEach((m) => m.clear());
    marks = [];
  }

  function markProblem(problem, added) {
    clearMarks();
    if (!problem.line) return "";
    const line = problem.line - 1 - added;
    if (line < 0 || line >= editor.lineCount()) return "";
    const [from, to] = problem.mark || [problem.column, problem.column + 1];
    const length = editor.getLine(line).length;
    const start = Math.min(from - 1, Math.max(length - 1, 0));
    const end = Math.max(Math.min(to - 1, length), start + 1);
    marks.push(editor.markText({ line, ch: start }, { line, ch: end }, { className: "cm-syntax-error", attributes: { title: message(problem) } }));
    editor.addLineClass(line, "background", "cm-error-line");
    marks.push({ clear: () => editor.removeLineClass(line, "background", "cm-error-line") });
    return KSKG.t("where", { line: line + 1, column: start + 1 });
  }

  function problemText(problem, added) {
    const where = markProblem(problem, added);
    return message(problem) + where;
  }

  // The check's sentence in the page's language (api/sparql gives `message` in English and
  // `message_de` in German).
  function message(problem) {
    return document.documentElement.lang === "de" ? problem.message_de || problem.message : problem.message;
  }

  // --- syntax check while typing -----------------------------------------------------------
  let checkTimer = null;
  let checkSerial = 0;

  editor.on("change", () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, CHECK_DELAY_MS);
  });

  async function check() {
    const serial = ++checkSerial;
    const sent = withPrefixes(editor.getValue());
    let verdict;
    try {
      const response = await fetch(data.checkEndpoint, { method: "POST", body: new URLSearchParams({ query: sent.text }) });
      verdict = await response.json();
    } catch (error) {
      return; // the check is a help; running the query reports every problem too
    }
    if (serial !== checkSerial) return;
    checkStatus.classList.toggle("error", verdict.ok === false);
    if (verdict.ok === true) {
      clearMarks();
      checkStatus.textContent = KSKG.t("syntax_ok");
    } else if (verdict.ok === false) {
      checkStatus.textContent = KSKG.t("syntax") + problemText(verdict, sent.added);
    } else {
      clearMarks();
      checkStatus.textContent = KSKG.t("syntax_unchecked");
    }
  }

  // --- running a query ---------------------------------------------------------------------
  // A page opened on an older release (version=V) runs and downloads on V as well.
  const pinned = data.pinned ? { version: data.version } : {};

  function queryUrl(query, extra) {
    const params = new URLSearchParams({ query, ...pinned, ...extra });
    return data.root + "sparql?" + params.toString();
  }

  function updateLinks(query, truncated) {
    const csv = document.getElementById("download-csv");
    csv.href = queryUrl(query, { format: "csv" });
    csv.hidden = truncated;
    document.getElementById("download-json").href = queryUrl(query, { format: "json" });
    document.getElementById("csv-cut").hidden = !truncated;
    const share = new URL(queryUrl(query, { version: data.version }), location.href).href;
    document.getElementById("share").value = share;
    document.getElementById("links").hidden = false;
    window.history.replaceState(null, "", share);
  }

  function cutNotice(note) {
    const box = element("div", undefined, { class: "notice cut", role: "status", id: "cut-notice" });
    const unit = KSKG.t(note.limit === "bytes" ? "unit_bytes" : note.limit === "triples" ? "unit_triples" : "unit_rows");
    const shown = KSKG.t(note.limit === "triples" ? "unit_triples" : "unit_rows");
    box.append(
      element("strong", KSKG.t("cut_head", { returned: note.returned, shown, maximum: note.maximum, unit })),
      element("br"),
      KSKG.t("cut_how"),
      element("code", `LIMIT ${note.returned} OFFSET ${note.returned}`),
      KSKG.t("cut_offset"),
      element("a", KSKG.t("cut_dumps"), { href: note.dumps || data.root + "dumps/" }),
      KSKG.t("cut_formats"),
      element("br"),
      element("small", "Server: " + note.message, { class: "en", lang: "en" }),
    );
    return box;
  }

  async function showError(response, added) {
    const type = response.headers.get("content-type") || "";
    const body = type.startsWith("application/json") ? await response.json() : { message: await response.text() };
    const text = body.error === "malformed_query" ? problemText(body, added) : body.message;
    results.replaceChildren(element("p", KSKG.t("error", { status: response.status, text }), { class: "error", role: "alert" }));
  }

  function rowsWord(n) {
    return KSKG.t(n === 1 ? "row" : "rows", { n });
  }

  // The graph of a CONSTRUCT/DESCRIBE once more, as N-Triples, for the graph view.
  async function triples(query) {
    const response = await fetch(data.endpoint, {
      method: "POST", body: new URLSearchParams({ query, ...pinned }), headers: { Accept: "application/n-triples" },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  }

  async function showAnswer(response, elapsed, query) {
    const type = response.headers.get("content-type") || "";
    const took = `${Math.round(elapsed)} ms`;
    if (!type.startsWith("application/sparql-results+json")) {
      const text = await response.text();
      const cut = response.headers.get("x-result-truncated") === "true";
      const parts = [element("p", KSKG.t("graph_turtle", { took }), { class: "timing" }), element("pre", text)];
      const views = KSKG.graphViews(parts, () => triples(query), view);
      if (cut) results.replaceChildren(element("p", KSKG.t("graph_cut", { limit: response.headers.get("x-result-limit") }), { class: "notice cut", id: "cut-notice" }), views);
      else results.replaceChildren(views);
      return { summary: `Graph · ${took}`, truncated: cut };
    }
    const json = await response.json();
    if ("boolean" in json) {
      results.replaceChildren(element("p", KSKG.t(json.boolean ? "yes" : "no") + ` · ${took}`));
      return { summary: `ASK · ${took}`, truncated: false };
    }
    const count = json.results.bindings.length;
    const caption = `${rowsWord(count)}${json.truncated ? KSKG.t("cut") : ""} · ${took}`;
    const parts = [KSKG.selectViews(json, KSKG.resultTable(json, caption, view), view)];
    if (json.truncated) parts.unshift(cutNotice(json.truncated));
    results.replaceChildren(...parts);
    return { summary: `${rowsWord(count)} · ${took}`, truncated: Boolean(json.truncated) };
  }

  async function run() {
    const sent = withPrefixes(editor.getValue());
    if (sent.added) editor.setValue(sent.text);
    const query = sent.text;
    results.replaceChildren(element("p", KSKG.t("running"), { class: "status" }));
    updateLinks(query, false);
    const started = performance.now();
    let response;
    try {
      response = await fetch(data.endpoint, {
        method: "POST",
        body: new URLSearchParams({ query, ...pinned }),
        headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" },
      });
    } catch (error) {
      results.replaceChildren(element("p", KSKG.t("no_answer", { error }), { class: "error", role: "alert" }));
      return;
    }
    if (!response.ok) return showError(response, 0);
    clearMarks();
    const shown = await showAnswer(response, performance.now() - started, query);
    updateLinks(query, shown.truncated);
    runs.add(query, shown.summary);
  }

  document.getElementById("run").addEventListener("click", run);
  document.getElementById("editor-form").addEventListener("submit", () => {
    textarea.value = withPrefixes(editor.getValue()).text;
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

  const linked = params.get("version");
  // A link naming an older release opened this page on that release (api/http/versions.py);
  // a version the server does not match is said here.
  if (linked && !data.version.startsWith(linked)) {
    const notice = document.getElementById("version-notice");
    notice.textContent = KSKG.t("other_version", { linked, version: data.version });
    notice.hidden = false;
  }
  KSKG.editor = editor;
  KSKG.tabs = tabs;
  if (params.get("query")) run();
  else check();
})(window.KSKG);
