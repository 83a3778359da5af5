"""Start page, dashboard, ontology and thesaurus pages in Chromium: they get their data, work
without any network beyond 127.0.0.1 (the `page` fixture asserts it), and are accessible
(labels, skip link, landmarks, keyboard)."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot

#: Every form control without a label (the text a screen reader announces).
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter((e) => e.offsetParent !== null || e.closest('.CodeMirror'))
  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                 && !e.getAttribute('aria-labelledby') && !(e.textContent || '').trim())
  .map((e) => e.outerHTML.slice(0, 120))"""


def test_start_page_shows_dataset_map_and_clusters(page: Page, real_server):
    page.goto(real_server.url + "/")
    expect(page.locator("h1")).to_contain_text("Aus Fehlern lernen")
    tiles = page.locator(".tilemap a")
    expect(tiles).to_have_count(16)
    expect(page.locator(".tilemap a[aria-label^='Niedersachsen: 4']")).to_have_count(1)
    expect(page.locator(".clusters > li")).to_have_count(13)
    expect(page.locator(".clusters > li").last).to_contain_text(
        "Kinderschutzcluster Witten (Nummer unbekannt): Modellkommune Stadt Witten"
    )
    expect(page.locator("main")).to_contain_text("CC BY 4.0")
    screenshot(page, "start")
    page.locator(".tilemap a[href='/id/bundesland/DE-SH']").click()
    expect(page.locator("h1")).to_have_text("Schleswig-Holstein")


def test_navigation_reaches_every_page(page: Page, real_server):
    page.goto(real_server.url + "/")
    names = page.locator("header nav a").all_inner_texts()
    assert names[:4] == ["Start", "SPARQL-Editor", "Dashboard", "Ontologie"]
    for name in names:
        page.goto(real_server.url + "/")
        page.locator("header nav").get_by_role("link", name=name, exact=True).click()
        if name == "JSON-API":  # the index of the curated routes is JSON, also for browsers
            expect(page.locator("body")).to_contain_text('"queries"')
            continue
        expect(page.locator("h1")).to_be_visible()
        if name in ("Start", "SPARQL-Editor", "Dashboard", "Ontologie"):
            expect(page.locator("header nav a[aria-current='page']")).to_have_text(name)


def test_dashboard_charts_are_built_from_the_api(page: Page, real_server):
    massnahmen = httpx.get(real_server.url + "/api/massnahmen?limit=1000").json()["data"]
    pairs = sum(len(m["themenfelder"] or ["x"]) for m in massnahmen)
    graph = httpx.get(real_server.url + "/api/netzwerk").json()["data"]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(real_server.url + "/dashboard")

    expect(page.locator("#network .node")).to_have_count(len(graph["nodes"]))
    expect(page.locator("#network line.edge")).to_have_count(len(graph["edges"]))
    bars = page.locator("#chart-massnahmen .bar")
    expect(bars.first).to_be_visible()
    values = [int(v) for v in bars.evaluate_all("els => els.map(e => e.dataset.value)")]
    assert sum(values) == pairs
    organisations = page.locator("#chart-organisationen .bar")
    expect(organisations.first).to_be_visible()
    assert "Projektebene" in page.locator("#table-organisationen").text_content()
    api_calls = {r.split("?")[0].split("/", 3)[3] for r in requested if "/api/" in r}
    assert api_calls == {
        "api/massnahmen",
        "api/organisationen",
        "api/kommunen",
        "api/netzwerk",
        "api/cluster",
    }
    screenshot(page, "dashboard")

    page.get_by_label("Netzwerk eines Clusters").select_option("2")
    expect(page.locator("#network-route code")).to_have_text("GET /api/netzwerk?cluster=2")
    cluster = httpx.get(real_server.url + "/api/netzwerk?cluster=2").json()["data"]
    expect(page.locator("#network .node")).to_have_count(len(cluster["nodes"]))
    page.get_by_label("Netzwerk eines Clusters").select_option(
        label="Kinderschutzcluster Witten (Nummer unbekannt)"
    )
    expect(page.locator("#network-route code")).to_have_text(
        "GET /api/netzwerk?cluster=modell-stadt-witten"
    )
    witten = httpx.get(real_server.url + "/api/netzwerk?cluster=modell-stadt-witten").json()
    expect(page.locator("#network .node")).to_have_count(len(witten["data"]["nodes"]))
    page.get_by_label("Netzwerk eines Clusters").select_option("2")
    expect(page.locator("#network .node")).to_have_count(len(cluster["nodes"]))
    page.locator("#network .node[aria-label^='Stadt Bremerhaven']").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Stadt Bremerhaven")


def test_ontology_lists_terms_with_examples(page: Page, real_server):
    page.goto(real_server.url + "/ontology")
    kommune = page.locator("section#Kommune")
    expect(kommune).to_contain_text("Beispiel")
    expect(kommune.locator("td.example a")).to_have_count(1)
    expect(page.locator("section#teilnehmendeOrganisation td.example a")).to_have_count(1)
    screenshot(page, "ontology")
    page.locator("main").get_by_role("link", name="Themenfelder").first.click()
    expect(page.locator("ul.tree li").first).to_be_visible()
    screenshot(page, "thesaurus-themenfelder")


PAGES = ["/", "/sparql", "/dashboard", "/ontology", "/id/kommune/kreis-lippe"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_accessible(page: Page, real_server, path):
    page.goto(real_server.url + path)
    assert page.locator("html").get_attribute("lang") == "de"
    for landmark in ("header", "nav", "main", "footer"):
        expect(page.locator(landmark).first).to_be_attached()
    assert page.evaluate(UNLABELLED) == []
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none", "focused links are visibly marked"
    page.keyboard.press("Enter")
    # The fragment navigation completes after the key press returns: wait for it.
    expect(page).to_have_url(re.compile(r"#inhalt$"))
