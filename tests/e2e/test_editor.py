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
    expect(page.locator("#result-table caption")).to_have_text("13 Zeilen")
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
