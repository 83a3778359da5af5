"""The editor's result views in Chromium: "Diagramm" draws one bar per row of an aggregate
query, "Graph" draws the nodes and edges of a CONSTRUCT and of a SELECT with two IRI columns,
a result without numbers says so, and neither view makes the page scroll sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.test_editor import set_query

CONSTRUCT = """PREFIX ksk: <https://w3id.org/kinderschutz-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?kommune ksk:cluster ?cluster . ?kommune rdfs:label ?name . ?cluster rdfs:label ?cl }
WHERE {
  ?kommune ksk:cluster ?cluster ; rdfs:label ?name .
  FILTER(LANG(?name) = "de")
  OPTIONAL { ?cluster rdfs:label ?cl FILTER(LANG(?cl) = "de") }
}"""

# Node and edge counts of the CONSTRUCT, from the store, to compare with what is drawn.
COUNTS = """PREFIX ksk: <https://w3id.org/kinderschutz-kg/ontology#>
SELECT (COUNT(DISTINCT ?kommune) AS ?kommunen) (COUNT(DISTINCT ?cluster) AS ?cluster_)
       (COUNT(DISTINCT CONCAT(STR(?kommune), STR(?cluster))) AS ?kanten)
WHERE { ?kommune ksk:cluster ?cluster }"""


def results(page: Page, name: str) -> None:
    """The result area alone (the full page at 390 px is too tall to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#results").screenshot(path=str(ARTIFACTS / f"{name}-results.png"))


def run(page: Page, query: str) -> None:
    set_query(page, query)
    page.get_by_role("button", name="Ausführen").click()


def view(page: Page, name: str) -> None:
    page.locator(f".view-switch button[data-view='{name}']").click()


def test_aggregate_query_as_bar_chart(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    page.get_by_role("link", name="Kommunen je Bundesland").click()
    expect(page.locator("#result-table tbody tr")).to_have_count(10)
    view(page, "chart")
    bars = page.locator("#result-chart rect.bar")
    expect(bars).to_have_count(10)
    assert page.locator("#chart-label").input_value() == "name"
    assert page.locator("#chart-value").input_value() == "kommunen"
    values = [int(v) for v in bars.evaluate_all("bs => bs.map((b) => b.dataset.value)")]
    assert values == sorted(values, reverse=True)  # the query orders by DESC(?kommunen)
    page.locator("#chart-value").select_option("modellkommunen")
    expect(bars.first).to_have_attribute("data-series", "value")
    assert bars.count() <= 10
    # The view stays chosen for the next result.
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator("#result-chart rect.bar")).to_have_count(10)


def test_a_result_without_numbers_has_no_chart(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    run(page, "SELECT ?k ?name WHERE { ?k a ksk:Kommune ; rdfs:label ?name } LIMIT 5")
    expect(page.locator("#result-table tbody tr")).to_have_count(5)
    view(page, "chart")
    message = page.locator("#chart-message")
    expect(message).to_contain_text("keine Spalte, deren Werte alle Zahlen sind")
    view(page, "graph")
    expect(page.locator("#graph-message")).to_contain_text("zwei Spalten mit IRIs")


def test_construct_as_graph(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    run(page, COUNTS)
    cells = page.locator("#result-table tbody tr").first.locator("td span")
    expect(cells.first).to_be_visible()
    kommunen, cluster, kanten = (int(t) for t in cells.all_inner_texts())
    run(page, CONSTRUCT)
    expect(page.locator("#results pre")).to_contain_text("ontology#cluster>")
    view(page, "graph")
    nodes = page.locator("#result-graph g.node")
    expect(nodes).to_have_count(kommunen + cluster)
    expect(page.locator("#result-graph line.edge")).to_have_count(kanten)
    labels = page.locator("#result-graph g.node text").all_text_contents()
    assert "Stadtgemeinde Bremen" in labels  # rdfs:label, not the IRI
    note = page.locator("#graph-note")
    expect(note).to_contain_text(f"{kommunen + cluster} Knoten, {kanten} Kanten")


def test_select_with_two_iri_columns_as_graph(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    page.get_by_role("link", name="Kinderschutzcluster und ihre Modellkommunen").click()
    expect(page.locator("#result-table tbody tr")).to_have_count(13)
    view(page, "graph")
    assert page.locator("#graph-from").input_value() == "cluster"
    assert page.locator("#graph-to").input_value() == "modellkommune"
    edges = page.locator("#result-graph line.edge")
    expect(edges.first).to_be_attached()
    assert 1 <= edges.count() <= 13
    # ?modellkommune is named by the literal column after it (?name).
    assert "Stadtgemeinde Bremen" in page.locator("#result-graph g.node text").all_text_contents()


def test_node_cap_is_said(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    run(page, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(isIRI(?o)) } LIMIT 2000")
    view(page, "graph")
    expect(page.locator("#graph-note")).to_contain_text("höchstens 300 Knoten", timeout=30_000)
    assert page.locator("#result-graph g.node").count() == 300
    results(page, "editor-graph-cap-1280")


@pytest.mark.parametrize("width", [390, 1280])
def test_views_do_not_scroll_sideways(browser: Browser, offline, real_server, width):
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="de-DE")
    context.route("**/*", offline.route)
    page = context.new_page()
    page.on("pageerror", lambda error: offline.errors.append(str(error)))
    try:
        page.goto(real_server.url + "/sparql")
        steps = (
            ("chart", "#result-chart rect.bar", "Kommunen je Bundesland"),
            ("graph", "#result-graph g.node", "Kinderschutzcluster und ihre Modellkommunen"),
        )
        for name, drawn, example in steps:
            page.get_by_role("link", name=example).click()
            view(page, name)
            expect(page.locator(drawn).first).to_be_attached()
            page.locator(".view-switch").scroll_into_view_if_needed()
            screenshot(page, f"editor-{name}-{width}")
            results(page, f"editor-{name}-{width}")
            scroll, client = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll <= client, f"{name} at {width}: {scroll} > {client}"
        run(page, CONSTRUCT)
        expect(page.locator("#result-graph g.node").first).to_be_attached()
        screenshot(page, f"editor-construct-graph-{width}")
        results(page, f"editor-construct-graph-{width}")
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"construct graph at {width}: {scroll} > {client}"
    finally:
        context.close()
    assert offline.blocked == [] and offline.errors == [], (offline.blocked, offline.errors)
