"""English in Chromium (issue 13, "pages in German with an English switch"): the switch link
and the cookie it sets carry the choice from page to page, the scripts speak the page's
language (the editor's results, syntax check and views, the dashboard's tables), `?lang=de`
switches back; and the editor's graph names the property of each edge."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_editor import set_query
from tests.e2e.test_editor_views import CONSTRUCT, view


def test_the_choice_is_kept_from_page_to_page(page: Page, real_server):
    page.goto(real_server.url + "/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Ontology").click()
    expect(page.locator("h1")).to_have_text("Ontology")
    nav.get_by_role("link", name="Versions").click()
    expect(page.locator("h1")).to_have_text("Versions")
    page.get_by_role("link", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Ontologie"
    ).click()
    expect(page.locator("h1")).to_have_text("Ontologie")


def test_the_editor_speaks_english(page: Page, real_server):
    page.goto(real_server.url + "/sparql?lang=en")
    expect(page.locator("#check-status")).to_have_text("✓ Syntax is fine")
    page.get_by_role("link", name="Kommunen je Bundesland").click()
    expect(page.locator("#result-table caption")).to_contain_text("10 rows")
    expect(page.locator(".view-switch button")).to_have_text(["Table", "Chart", "Graph"])
    set_query(page, "SELECT * WHERE { ?s foo:bar ?o }")
    expect(page.locator("#check-status")).to_contain_text("(line 1, column", timeout=10_000)
    expect(page.locator("#check-status")).not_to_contain_text("Zeile")
    screenshot(page, "editor-en-1280")
    page.goto(real_server.url + "/sparql?lang=de")
    expect(page.get_by_role("button", name="Ausführen")).to_be_visible()


def test_the_dashboard_speaks_english(page: Page, real_server):
    page.goto(real_server.url + "/dashboard?lang=en")
    page.locator("#massnahmen summary").click()
    expect(page.locator("#table-massnahmen th").first).to_have_text("Topic area")
    expect(page.locator("#chart-organisationen svg")).to_be_attached()


def test_graph_edges_name_their_property(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    set_query(page, CONSTRUCT)
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator("#results pre")).to_be_visible()
    view(page, "graph")
    edges = page.locator("#result-graph line.edge")
    expect(edges.first).to_be_attached()
    titles = set(edges.locator("title").all_text_contents())
    assert titles == {"ksk:cluster"}, titles
    # A small graph writes the property at the middle of each edge, too.
    expect(page.locator("#result-graph text.edge-label")).to_have_count(edges.count())
    screenshot(page, "editor-graph-edges-1280")
