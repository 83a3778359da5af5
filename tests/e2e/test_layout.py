"""Every page at a phone's (390 px) and a laptop's (1280 px) width in Chromium: nothing scrolls
sideways (the document's scrollWidth is its clientWidth); wide tables scroll in their own box;
the editor does not grow with its longest line. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.support.pages import PAGES as ALL_PAGES
from tests.support.pages import with_lang

#: Every page, and each in English too: longer words, other line breaks.
PAGES = ALL_PAGES | {f"{name}-en": with_lang(path, "en") for name, path in ALL_PAGES.items()}
WIDTHS = {"phone": 390, "laptop": 1280}
HEIGHTS = {390: 844, 1280: 800}

#: Elements wider than the page (the culprits when a page scrolls sideways).
TOO_WIDE = """() => { const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > width + 1 && e.offsetParent !== null)
    .filter((e) => !e.closest('.table-scroll, .CodeMirror, pre, table, #network'))
    .slice(0, 5)
    .map((e) => e.tagName + ' ' + Math.round(e.getBoundingClientRect().right)); }"""


def sideways(page: Page) -> tuple[int, int]:
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def open_at(browser: Browser, offline, width: int):
    viewport = {"width": width, "height": HEIGHTS[width]}
    context = browser.new_context(viewport=viewport, locale="de-DE")
    context.route("**/*", offline.route)
    return context


@pytest.mark.parametrize("width_name", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_page_scrolls_sideways(browser: Browser, offline, real_server, name, width_name):
    context = open_at(browser, offline, WIDTHS[width_name])
    page = context.new_page()
    page.on("pageerror", lambda error: offline.errors.append(str(error)))
    try:
        page.goto(real_server.url + PAGES[name], wait_until="networkidle")
        if name.startswith("editor"):  # with a result: the table is the widest part
            page.locator("a.example").first.click()
            expect(page.locator("#result-table")).to_be_visible()
        if name.startswith("api-doku"):
            # Swagger UI parses 1.7 MB of script: slow on a loaded machine.
            expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
        screenshot(page, f"{name}-{WIDTHS[width_name]}")
        # What the screen shows first (the pictures in docs/screenshots/ are these).
        (ARTIFACTS / "viewport").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "viewport" / f"{name}-{WIDTHS[width_name]}.png"))
        scroll, client = sideways(page)
        assert scroll <= client, f"{scroll} > {client}: {page.evaluate(TOO_WIDE)}"
    finally:
        context.close()
    assert offline.blocked == [] and offline.errors == [], (offline.blocked, offline.errors)


def test_the_editor_does_not_grow_with_its_longest_line(page: Page, real_server):
    page.goto(real_server.url + "/sparql")
    before = page.locator(".CodeMirror").bounding_box()["width"]
    long_line = "# " + "sehr-lange-zeile-" * 40 + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 1"
    page.evaluate("q => document.querySelector('.CodeMirror').CodeMirror.setValue(q)", long_line)
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator("#result-table tbody tr")).to_have_count(1)
    assert page.locator(".CodeMirror").bounding_box()["width"] == before
    scroll, client = sideways(page)
    assert scroll <= client
