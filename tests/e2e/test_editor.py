"""The SPARQL editor in Chromium: run an example, open an entity from a result link, follow a
link there; completion, pre-declared prefixes, downloads and the share link; the entity page's
query opened in the editor."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot


def set_query(page: Page, query: str) -> None:
    page.evaluate("q => document.querySelector('.CodeMirror').CodeMirror.setValue(q)", query)


def editor_text(page: Page) -> str:
    return page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")


def test_example_result_link_opens_entity_and_its_links_work(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    page.get_by_role("link", name="Kinderschutzcluster und ihre Modellkommunen").click()
    rows = page.locator("#result-table tbody tr")
    # 12 numbered clusters and the Witten cluster, whose number no source gives (last).
    expect(rows).to_have_count(13)
    expect(page.locator("#result-table caption")).to_contain_text("13 Zeilen · ")
    expect(page.locator("#result-table caption")).to_contain_text(" ms")
    expect(rows.last).to_contain_text("Kinderschutzcluster Witten (Nummer unbekannt)")
    screenshot(page, "editor-example")

    page.locator("#result-table a[href='/id/kommune/stadtgemeinde-bremen']").click()
    expect(page).to_have_url(real_server.url + "/id/kommune/stadtgemeinde-bremen")
    expect(page.locator("h1")).to_have_text("Stadtgemeinde Bremen")
    screenshot(page, "entity-bremen")

    page.locator("main table a[href='/id/cluster/2']").first.click()
    expect(page.locator("h1")).to_contain_text("Kinderschutzcluster 2")
    expect(page.locator("main")).to_contain_text("Stadtgemeinde Bremen")


def test_completion_offers_ontology_terms(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    set_query(page, "SELECT * WHERE { ?k a ")
    page.evaluate("""() => { const cm = document.querySelector('.CodeMirror').CodeMirror;
        cm.focus(); cm.setCursor(cm.lineCount(), 0); }""")
    page.keyboard.type("ksk:Komm")
    hints = page.locator(".CodeMirror-hints li")
    expect(hints.first).to_be_visible()
    assert any(text.startswith("ksk:Kommune") for text in hints.all_inner_texts())
    page.keyboard.press("Enter")
    assert editor_text(page).endswith("ksk:Kommune")
    screenshot(page, "editor-completion")


def test_prefixes_are_pre_declared(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    set_query(page, "SELECT ?k WHERE { ?k a ksk:Kommune ; rdfs:label ?name }")
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator("#result-table tbody tr")).to_have_count(27)
    text = editor_text(page)
    assert text.startswith("PREFIX ksk: <https://w3id.org/kinderschutz-kg/ontology#>\n")
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in text


def test_downloads_and_share_link_carry_query_and_version(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    page.get_by_role("link", name="Kommunen je Bundesland").click()
    expect(page.locator("#result-table tbody tr")).to_have_count(10)
    version = httpx.get(real_server.url + "/api/statistik").headers["x-data-version"]
    share = page.locator("#share").input_value()
    assert f"version={version}" in share and "query=" in share
    csv_href = page.locator("#download-csv").get_attribute("href")
    assert "format=csv" in csv_href
    csv = httpx.get(real_server.url + csv_href)
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "bundesland,name,kommunen,modellkommunen"
    json_href = page.locator("#download-json").get_attribute("href")
    assert len(httpx.get(real_server.url + json_href).json()["results"]["bindings"]) == 10

    page.goto(share)  # the shared link runs the query again
    expect(page.locator("#result-table tbody tr")).to_have_count(10)
    expect(page.locator("#old-version")).to_have_count(0)  # the current release
    # A version no release has: 404 listing the kept ones (docs/api.md "Versions").
    unknown = page.goto(share.replace(f"version={version}", "version=0000000000000000"))
    assert unknown.status == 404 and version in unknown.text()


def test_entity_query_opens_in_editor_with_the_same_rows(page: Page, real_server):
    page.goto(real_server.url + "/id/cluster/2")
    statements = page.locator("table[aria-labelledby='angaben'] tbody tr").count()
    page.locator("#abfrage summary").click()
    expect(page.locator("#abfrage pre")).to_contain_text(
        "<https://w3id.org/kinderschutz-kg/id/cluster/2>"
    )
    screenshot(page, "entity-cluster-query")
    page.get_by_role("link", name="Im SPARQL-Editor öffnen und ausführen").click()
    expect(page.locator("#result-table tbody tr")).to_have_count(statements)


def test_query_error_is_shown_with_its_line(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    set_query(page, "SELECT * WHERE {\n  ?s ?p \n")
    page.keyboard.press("Control+Enter")  # not focused: use the button as well
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator("#results .error")).to_contain_text("Fehler 400")
    expect(page.locator("#results .error")).to_contain_text(
        "nicht geschlossen. (Zeile 1, Spalte 16)"
    )


def test_syntax_check_while_typing_marks_the_place(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    set_query(page, "SELECT * WHERE {\n  ?s foo:bar ?o }")
    status = page.locator("#check-status")
    expect(status).to_contain_text("Unbekanntes Präfix `foo:`")
    expect(status).to_contain_text("Meinten Sie `foaf:`")
    expect(status).to_contain_text("(Zeile 2, Spalte 6)")
    marked = page.locator(".CodeMirror .cm-syntax-error")
    expect(marked).to_have_text("foo:")
    screenshot(page, "editor-syntax-check")
    set_query(page, "")
    expect(status).to_contain_text("Die Abfrage ist leer")
    set_query(page, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    expect(status).to_contain_text("Syntax in Ordnung")
    expect(marked).to_have_count(0)


def test_a_cut_result_shows_the_servers_note_and_the_ways_to_all(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    set_query(page, "SELECT * WHERE { ?s ?p ?o VALUES ?n { 1 2 3 4 5 6 7 8 9 10 } }")
    page.get_by_role("button", name="Ausführen").click()
    notice = page.locator("#cut-notice")
    expect(notice).to_contain_text("Das Ergebnis ist gekürzt")
    expect(notice).to_contain_text("höchstens 10000 Zeilen")
    expect(notice).to_contain_text("LIMIT 10000 OFFSET 10000")
    expect(notice).to_contain_text("the result was cut after 10000 rows")  # the server's note
    dumps = notice.get_by_role("link", name="vollständigen Download des Graphen")
    assert httpx.get(dumps.get_attribute("href")).status_code == 200
    expect(page.locator("#result-table caption")).to_contain_text("10000 Zeilen (gekürzt)")
    expect(page.locator("#download-csv")).to_be_hidden()  # CSV of a cut result is a 406
    json_href = page.locator("#download-json").get_attribute("href")
    assert httpx.get(real_server.url + json_href).json()["truncated"]["returned"] == 10000
    screenshot(page, "editor-cut")


def test_the_table_sorts_filters_and_pages(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    set_query(page, "SELECT ?k ?name WHERE { ?k a ksk:Kommune ; rdfs:label ?name }")
    page.get_by_role("button", name="Ausführen").click()
    rows = page.locator("#result-table tbody tr")
    expect(rows).to_have_count(27)
    page.locator("#result-table th button", has_text="name").click()
    names = page.locator("#result-table tbody tr td:nth-child(2) span").all_inner_texts()
    assert names == sorted(names, key=str.casefold)
    page.locator("#result-table th button", has_text="name").click()
    assert page.locator("#result-table tbody tr td:nth-child(2) span").first.inner_text() == max(
        names, key=str.casefold
    )
    page.fill("#result-filter", "witten")
    expect(rows).to_have_count(1)
    expect(page.locator(".pager")).to_contain_text("Zeilen 1–1 von 1 (gefiltert aus 27)")
    page.fill("#result-filter", "")
    set_query(page, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 250")
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator(".pager")).to_contain_text("Zeilen 1–100 von 250")
    page.get_by_role("button", name="weiter →").click()
    expect(page.locator(".pager")).to_contain_text("Zeilen 101–200 von 250")


def test_iris_are_shown_as_names_that_parse_back(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    set_query(page, "SELECT ?b WHERE { ?b a ksk:Bundesland } ORDER BY ?b LIMIT 1")
    page.get_by_role("button", name="Ausführen").click()
    shown = page.locator("#result-table tbody td a").first.inner_text()
    assert shown.startswith("kskid:bundesland\\/")  # `/` escaped: a valid prefixed name
    set_query(page, f"SELECT ?p WHERE {{ {shown} ?p ?o }} LIMIT 1")
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator("#result-table tbody tr")).to_have_count(1)


def test_tabs_and_history_are_kept_in_the_browser(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    set_query(page, "SELECT ?s WHERE { ?s a ksk:Cluster }")
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator("#history li")).to_have_count(1)
    page.get_by_role("button", name="+ Neuer Reiter").click()
    set_query(page, "ASK { ?s a ksk:Kommune }")
    page.reload()
    expect(page.locator("#tabs .tab")).to_have_count(2)
    assert editor_text(page) == "ASK { ?s a ksk:Kommune }"
    expect(page.locator("#history li")).to_contain_text("13 Zeilen")
    page.locator("#tabs .tab-pick").first.click()
    assert "ksk:Cluster" in editor_text(page)
