"""The pages shaped like the domain in Chromium (issue 13): at 390 px (a phone) and 1280 px
none scrolls sideways, each keeps a screenshot in tests/artifacts/, and the search box, the
filters, the comparison form and the language switch work with a browser's own means."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_site import UNLABELLED

#: The new pages, by the name their screenshots get.
DOMAIN_PAGES = {
    "kommune": "/id/kommune/landkreis-uecker-randow",
    "kommune-bremen": "/id/kommune/stadtgemeinde-bremen",
    "cluster": "/id/cluster/3",
    "massnahme": "/id/massnahme/landkreis-uecker-randow/4",
    "organisation": "/id/organisation/stadtgemeinde-bremen/gesundheitsamt",
    "bundesland": "/id/bundesland/DE-MV",
    "dokument": "/id/dokument/001_9215b3bf5b9d1eba",
    "index-kommune": "/id/kommune/?bundesland=DE-MV",
    "index-massnahme": "/id/massnahme/",
    "index-thema": "/id/thema/",
    "suche": "/suche?q=netzwerk",
    "vergleich": "/vergleich?kommune=landkreis-uecker-randow&kommune=kreis-lippe&cluster=3",
    "kommune-en": "/id/kommune/landkreis-uecker-randow?lang=en",
}
#: Elements wider than the page, outside a box that scrolls on its own.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter((e) => !e.closest('.scroll'))
  .slice(0, 5)
  .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", list(DOMAIN_PAGES))
def test_no_horizontal_scroll(page: Page, real_server, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(real_server.url + DOMAIN_PAGES[name])
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (name, scroll_width, page.evaluate(TOO_WIDE))
    assert page.evaluate(UNLABELLED) == []
    screenshot(page, f"domain-{name}-{width}")


def test_the_search_box_leads_to_the_results(page: Page, real_server):
    page.goto(real_server.url + "/id/kommune/kreis-lippe")
    page.get_by_role("searchbox").first.fill("Gesundheitsamt")
    page.get_by_role("searchbox").first.press("Enter")
    expect(page).to_have_url(re.compile(r"/suche\?q=Gesundheitsamt$"))
    expect(page.locator("h2").first).to_contain_text("Treffer für „Gesundheitsamt“")
    page.locator("ul.items a", has_text="Gesundheitsamt").first.click()
    expect(page.locator("#ueberblick")).to_be_visible()


def test_filters_narrow_the_list(page: Page, real_server):
    page.goto(real_server.url + "/id/kommune/")
    everyone = page.locator("tbody tr").count()
    page.locator('select[name="bundesland"]').select_option("DE-MV")
    page.get_by_role("button", name="Filtern").click()
    expect(page).to_have_url(re.compile(r"bundesland=DE-MV"))
    assert 0 < page.locator("tbody tr").count() < everyone


def test_comparison_form(page: Page, real_server):
    page.goto(real_server.url + "/vergleich")
    page.locator('select[name="kommune"]').select_option(["kreis-lippe", "stadtgemeinde-bremen"])
    page.get_by_role("button", name="Vergleichen").click()
    headers = page.locator("table.compare thead th")
    expect(headers).to_have_count(3)
    expect(headers.nth(1)).to_have_text("Kreis Lippe")


def test_language_switch_is_kept(page: Page, real_server):
    page.goto(real_server.url + "/id/kommune/kreis-lippe")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#ueberblick")).to_have_text("Summary")
    page.goto(real_server.url + "/id/cluster/4")
    expect(page.locator("#mitglieder")).to_contain_text("Members")
    page.get_by_role("link", name="Deutsch").click()
    expect(page.locator("#mitglieder")).to_contain_text("Mitglieder")
