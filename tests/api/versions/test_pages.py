"""Every page names the version it shows and how to cite it; a page of an older release says
so and links to the same page now; the editor opened on an older release queries that one."""

from __future__ import annotations

import json
import re
from html import unescape

from tests.support.two_releases import TwoReleases


def editor_data(html: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="editor-data">(.*?)</script>', html, re.S
    )
    return json.loads(unescape(found.group(1)))


def test_a_current_page_cites_its_version(client, two: TwoReleases) -> None:
    page = client.get("/id/kommune/kreis-lippe", headers={"Accept": "text/html"}).text
    assert 'class="citation"' in page
    assert f"Datenversion <code>{two.new.version}</code>" in page
    assert f"/id/kommune/kreis-lippe?version={two.new.version}" in page
    assert 'id="old-version"' not in page


def test_an_old_page_says_so_and_links_to_the_same_page_now(client, two: TwoReleases) -> None:
    for path in ("/id/kommune/kreis-lippe", "/dumps/", "/dataset", "/ontology", "/"):
        answer = client.get(
            path, params={"version": two.old.version[:10], "format": "html"} if path == "/dumps/"
            else {"version": two.old.version[:10]}, headers={"Accept": "text/html"},
        )  # fmt: skip
        page = answer.text
        assert answer.headers["X-Data-Version"] == two.old.version, path
        assert 'id="old-version"' in page, path
        assert f"aktuell ist <code>{two.new.version}</code>" in page
        assert f"{path}?version={two.old.version}" in page or path == "/dumps/"
        now = re.search(r'<a href="([^"]*)">Dasselbe in der aktuellen Version</a>', page)
        assert now and "version=" not in now.group(1), path
        assert now.group(1).endswith(path) or "format=html" in now.group(1)


def test_the_editor_on_an_old_release_queries_it(client, two: TwoReleases) -> None:
    page = client.get(
        "/sparql", params={"version": two.old.version}, headers={"Accept": "text/html"}
    )
    data = editor_data(page.text)
    assert data["version"] == two.old.version and data["pinned"] is True
    assert (
        editor_data(client.get("/sparql", headers={"Accept": "text/html"}).text)["pinned"] is False
    )
