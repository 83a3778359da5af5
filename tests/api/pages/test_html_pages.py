"""The pages added for people over real HTTP: browsers get HTML (404 page, /api index,
/qualitaet, /docs from our own files), machines keep JSON by content negotiation."""

from __future__ import annotations

import re

import pytest

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.mark.parametrize("path", ["/gibt-es-nicht", "/api/gibt-es-nicht", "/id/kommune/niemand"])
def test_an_unknown_path_is_an_html_page_for_browsers_and_json_for_machines(client, path):
    page = client.get(path, headers=BROWSER)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert 'aria-label="Hauptnavigation"' in page.text and "Nicht gefunden" in page.text
    for accept in (None, "*/*", "application/json"):
        machine = client.get(path, headers={"Accept": accept} if accept else {})
        assert machine.status_code == 404 and machine.json()["error"] == "not_found"


def test_the_api_index_is_html_for_browsers(client):
    page = client.get("/api", headers=BROWSER)
    assert page.headers["content-type"].startswith("text/html")
    assert 'href="/api/kommunen"' in page.text and 'href="/docs"' in page.text
    assert client.get("/api").json()["queries"]


def test_the_quality_page_lists_the_findings(client):
    page = client.get("/qualitaet", headers=BROWSER)
    assert page.status_code == 200 and "Datenqualität" in page.text
    total = len(client.get("/api/qualitaet", params={"limit": 1000}).json()["data"])
    shown = re.findall(r"<strong>(\d+)</strong>", page.text)
    assert sum(int(n) for n in shown) == total


def test_the_api_docs_load_nothing_from_another_host(client):
    page = client.get("/docs", headers=BROWSER)
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    # The licence is a link only; "?lang=en" is the language switch; the citation names this
    # server itself.
    local = ("/", "#", "?", "data:", "https://creativecommons.org/", f"{client.base_url}/")
    assert all(a.startswith(local) for a in assets), assets
    for asset in (a for a in assets if a.startswith("/static/")):
        assert client.get(asset).status_code == 200, asset
    redoc = client.get("/redoc", follow_redirects=False)
    assert redoc.status_code == 308 and redoc.headers["location"] == "/docs"
