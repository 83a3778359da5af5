"""The HTML pages over real HTTP: start page, dashboard, editor, entity query, static assets;
the example queries of the editor, each run against a release built from the real data/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.pages.entity_query import shown_query
from api.pages.examples import ExampleError, read_example, read_examples
from kskg.settings import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "queries" / "examples"
HTML = {"Accept": "text/html"}
#: src/href attributes of a page: nothing may point off the server except plain links.
ASSETS = re.compile(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"')


@pytest.mark.parametrize("example", read_examples(EXAMPLES), ids=lambda e: e.name)
def test_every_example_runs_on_the_real_release(real, example):
    response = real.post(
        "/sparql",
        data={"query": example.query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, (example.name, response.text)
    assert response.json()["results"]["bindings"], f"{example.name}: no rows on the real data"


def test_examples_have_titles_and_the_gallery_shows_them(real):
    examples = read_examples(EXAMPLES)
    assert len(examples) >= 8 and all(e.title and e.description for e in examples)
    page = real.get("/sparql", headers=HTML).text
    for example in examples:
        assert example.title in page


def test_example_without_title_is_an_error_naming_the_file(tmp_path: Path):
    path = tmp_path / "broken.rq"
    path.write_text("# description: no title\nASK {}\n", "utf-8")
    with pytest.raises(ExampleError, match=r"broken\.rq:1: no '# title: …'"):
        read_example(path)


def test_start_page_on_real_data(real):
    response = real.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert response.headers["x-data-version"] in html
    assert html.count('class="tilemap"') == 1 and html.count('role="listitem"') == 16
    assert 'aria-label="Mecklenburg-Vorpommern: 4 Kommunen"' in html
    assert 'aria-label="Hessen: 0 Kommunen"' in html
    assert "CC BY 4.0" in html and "Kinderschutzcluster 12" in html
    for link in ("/sparql", "/dashboard", "/ontology", "/id/thesaurus/themenfelder",
                 "/id/thesaurus/sektoren", "/api", "/dumps/", "/dataset"):  # fmt: skip
        assert f'href="{link}"' in html, link
    assert 'href="/id/dokument/004_1ad5341d1f9797a2"' in html


def test_dashboard_names_its_routes(client):
    html = client.get("/dashboard").text
    for route in ("/api/massnahmen", "/api/organisationen", "/api/kommunen", "/api/netzwerk"):
        assert route in html


@pytest.mark.parametrize("path", ["/", "/dashboard", "/sparql", "/ontology", "/id/cluster/2"])
def test_pages_load_only_local_assets_that_exist(client, path):
    html = client.get(path, headers=HTML).text
    assets = ASSETS.findall(html)
    assert assets, "every page has its stylesheet"
    for asset in assets:
        if asset.startswith("data:"):
            continue
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset


def test_editor_prefills_the_query_and_embeds_prefixes_and_terms(client):
    html = client.get("/sparql", params={"query": "ASK { ?s ?p </x> }"}, headers=HTML).text
    assert "ASK { ?s ?p &lt;/x&gt; }</textarea>" in html
    assert '"ksk": "https://w3id.org/kinderschutz-kg/ontology#"' in html
    assert '"text": "ksk:Kommune"' in html
    assert "</x>" not in html  # the query is escaped in the embedded JSON as well


def test_entity_page_shows_its_query_and_the_query_gives_its_rows(client):
    html = client.get("/id/cluster/2", headers=HTML).text
    query = shown_query("https://w3id.org/kinderschutz-kg/id/cluster/2")
    assert "&lt;https://w3id.org/kinderschutz-kg/id/cluster/2&gt;" in html
    assert 'href="/sparql?query=' in html
    rows = client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    ).json()["results"]["bindings"]
    table = html.split('aria-labelledby="angaben"', 1)[1].split("</table>", 1)[0]
    assert len(rows) == table.count("<tr>") - 1  # minus the header row


def test_entity_query_refuses_iris_it_cannot_write():
    assert shown_query("https://w3id.org/kinderschutz-kg/id/x> } DROP ALL #") is None


def test_resource_page_prefers_german_labels_and_shows_english(real):
    html = real.get("/id/kommune/stadtgemeinde-bremen", headers=HTML).text
    assert ">Kinderschutzcluster 2</a>" in html
    assert '<small class="en" lang="en">(Child protection cluster 2)</small>' in html


def test_ontology_has_an_example_for_every_class_with_instances(real):
    html = real.get("/ontology", headers=HTML).text
    for term in ("Kommune", "Cluster", "Bundesland", "Organisation", "Thema", "Massnahme"):
        section = html.split(f'<section id="{term}"', 1)[1].split("</section>", 1)[0]
        assert 'class="example"' in section, term
