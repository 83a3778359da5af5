// Tabs and query history of the SPARQL editor, kept in the browser's localStorage (nothing is
// sent anywhere). A tab holds one query text; the history holds the last queries run, with
// when, how many rows and how long they took.
"use strict";

window.KSKG = window.KSKG || {};

(function (KSKG) {
  const TABS_KEY = "kskg.editor.tabs";
  const HISTORY_KEY = "kskg.editor.history";
  const HISTORY_SIZE = 30;
  const element = (...args) => KSKG.element(...args);

  function load(key, fallback) {
    try {
      const value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }

  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (error) { /* storage full or off: tabs live for this page only */ }
  }

  function title(query) {
    const select = query.match(/\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b[^{]*/i);
    const comment = query.match(/^#\s*title:\s*(.+)$/m);
    const text = comment ? comment[1] : select ? select[0] : query;
    return text.replace(/\s+/g, " ").trim().slice(0, 28) || KSKG.t("empty_query");
  }

  // `editor`: the CodeMirror instance; `bar`: the element for the tab buttons. A query from
  // the URL (a share link) opens in a new tab unless the active tab holds it or nothing;
  // without stored tabs the first tab gets `defaultQuery` (the first example).
  KSKG.Tabs = function (editor, bar, urlQuery, defaultQuery) {
    const stored = load(TABS_KEY, null);
    const valid = stored && Array.isArray(stored.tabs) && stored.tabs.length;
    this.tabs = valid ? stored.tabs : [{ query: urlQuery || defaultQuery }];
    this.active = valid ? Math.min(stored.active || 0, this.tabs.length - 1) : 0;
    this.editor = editor;
    this.bar = bar;
    const current = this.tabs[this.active].query;
    if (urlQuery && current.trim() && current !== urlQuery) {
      this.tabs.push({ query: urlQuery });
      this.active = this.tabs.length - 1;
    } else if (urlQuery) {
      this.tabs[this.active].query = urlQuery;
    }
    editor.setValue(this.tabs[this.active].query);
    editor.on("change", () => { this.tabs[this.active].query = editor.getValue(); this.persist(); });
    this.persist();
    this.draw();
  };

  KSKG.Tabs.prototype.persist = function () {
    save(TABS_KEY, { tabs: this.tabs, active: this.active });
    const current = this.bar.querySelector("[aria-selected='true'] .tab-title");
    if (current) current.textContent = title(this.tabs[this.active].query);
  };

  KSKG.Tabs.prototype.select = function (index) {
    // The address named the last query run; in another tab it would reopen the wrong one.
    window.history.replaceState(null, "", location.pathname);
    this.active = index;
    this.editor.setValue(this.tabs[index].query);
    this.persist();
    this.draw();
  };

  KSKG.Tabs.prototype.open = function (query) {
    this.tabs.push({ query });
    this.select(this.tabs.length - 1);
  };

  KSKG.Tabs.prototype.close = function (index) {
    this.tabs.splice(index, 1);
    if (!this.tabs.length) this.tabs.push({ query: "" });
    this.select(Math.min(this.active >= index ? Math.max(this.active - 1, 0) : this.active, this.tabs.length - 1));
  };

  KSKG.Tabs.prototype.draw = function () {
    this.bar.replaceChildren();
    this.tabs.forEach((tab, index) => {
      const item = element("span", undefined, { class: "tab", role: "tab", "aria-selected": String(index === this.active) });
      const pick = element("button", undefined, { type: "button", class: "tab-pick" });
      pick.append(element("span", title(tab.query), { class: "tab-title" }));
      pick.addEventListener("click", () => this.select(index));
      const close = element("button", "×", { type: "button", class: "tab-close", "aria-label": KSKG.t("close_tab", { n: index + 1 }) });
      close.addEventListener("click", () => this.close(index));
      item.append(pick, close);
      this.bar.append(item);
    });
    const add = element("button", KSKG.t("new_tab"), { type: "button", class: "tab-add" });
    add.addEventListener("click", () => this.open(""));
    this.bar.append(add);
  };

  KSKG.History = function (list, onPick) {
    this.entries = load(HISTORY_KEY, []);
    this.list = list;
    this.onPick = onPick;
    this.draw();
  };

  KSKG.History.prototype.add = function (query, summary) {
    this.entries = [{ query, summary, at: new Date().toISOString() }, ...this.entries.filter((e) => e.query !== query)].slice(0, HISTORY_SIZE);
    save(HISTORY_KEY, this.entries);
    this.draw();
  };

  KSKG.History.prototype.draw = function () {
    this.list.replaceChildren();
    if (!this.entries.length) {
      this.list.append(element("li", KSKG.t("no_history"), { class: "status" }));
      return;
    }
    for (const entry of this.entries) {
      const item = element("li");
      const pick = element("button", title(entry.query), { type: "button", class: "history-pick", title: entry.query });
      pick.addEventListener("click", () => this.onPick(entry.query));
      const when = new Date(entry.at).toLocaleString(KSKG.t("locale"), { dateStyle: "short", timeStyle: "short" });
      item.append(pick, element("small", ` ${when} · ${entry.summary}`, { class: "en" }));
      this.list.append(item);
    }
  };
})(window.KSKG);
