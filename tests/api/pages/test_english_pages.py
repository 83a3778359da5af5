"""Every page in English (issue 13, "pages in German with an English switch"), over real HTTP
against the release built from the real data/: `?lang=en` gives `<html lang="en">`, English
navigation, footer and headings; the `lang` cookie keeps the choice; `?lang=de` switches back;
the switch link keeps the page's other query parameters."""

from __future__ import annotations

import html
import re

import pytest

from api.pages.i18n import WORDS
from tests.support.pages import PAGES, with_lang

HTML = {"Accept": "text/html"}
NAV_EN = ("Skip to content", "SPARQL editor", "Ontology", "Topic areas", "Sectors", "JSON API",
          "API docs", "Dataset", "Versions", "Data version")  # fmt: skip
#: The German page words that differ from their English ones (whole texts, no markup).
GERMAN_WORDS = {
    de for de, en in WORDS.values() if de != en and "<" not in de and "{" not in de and len(de) > 3
}
#: The elements whose text is the page's own words (headings, table heads, labels, buttons).
OWN_WORDS = re.compile(r"<(h1|h2|h3|th|label|button|summary|caption|dt)\b[^>]*>(.*?)</\1>", re.S)


def text(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def own_texts(markup: str) -> list[str]:
    """The texts of headings, table heads, labels, buttons, summaries: each split at the
    separators the pages use ("Rolle · Ebene", "Maßnahmen (3)")."""
    found = []
    # What is marked German on purpose (a label's other language, a text quoted from a source).
    markup = re.sub(r'<(small|span|q|td|a)\b[^>]*lang="de"[^>]*>.*?</\1>', "", markup, flags=re.S)
    for _, inner in OWN_WORDS.findall(markup):
        for part in re.split(r" · |:|\(|\)|\*", text(inner)):
            if part.strip():
                found.append(part.strip())
    return found


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_in_english(real, name):
    response = real.get(with_lang(PAGES[name], "en"), headers=HTML)
    assert response.status_code == (404 if name == "404" else 200), response.status_code
    markup = response.text
    assert '<html lang="en">' in markup
    for word in NAV_EN:
        assert word in markup, word
    german = [t for t in own_texts(markup) if t in GERMAN_WORDS]
    assert german == [], f"German page words on the English page: {german}"
    assert "Cookie" in response.headers["vary"]


@pytest.mark.parametrize("name", ["start", "kommune", "editor", "404"])
def test_the_same_pages_stay_german_by_default(real, name):
    response = real.get(PAGES[name], headers=HTML)
    assert '<html lang="de">' in response.text
    assert "Zum Inhalt springen" in response.text and "Datenversion" in response.text


def test_the_cookie_keeps_the_choice_and_lang_de_switches_back(real_server):
    import httpx

    with httpx.Client(base_url=real_server.url, headers=HTML, timeout=30) as browser:
        first = browser.get("/ontology?lang=en")
        assert first.cookies.get("lang") == "en"
        for path in ("/", "/sparql", "/id/cluster/2", "/gibt-es-nicht"):
            assert '<html lang="en">' in browser.get(path).text, path
        back = browser.get("/dataset?lang=de")
        assert '<html lang="de">' in back.text and back.cookies.get("lang") == "de"
        assert '<html lang="de">' in browser.get("/").text


def test_the_switch_link_keeps_the_other_query_parameters(real):
    markup = real.get("/vergleich?kommune=kreis-lippe&cluster=3&lang=en", headers=HTML).text
    assert 'href="?kommune=kreis-lippe&amp;cluster=3&amp;lang=de"' in markup
    real.cookies.clear()
    german = real.get("/suche?q=netzwerk", headers=HTML).text
    assert 'href="?q=netzwerk&amp;lang=en" hreflang="en"' in german


def test_json_answers_do_not_change_with_the_language(real):
    """The JSON API and its error messages are English whatever the page language."""
    answers = []
    for lang in ("de", "en"):
        refused = real.get("/api/kommunen?bundesland=DE-XX", cookies={"lang": lang})
        assert refused.status_code == 422 and "set-cookie" not in refused.headers
        answers.append(refused.json())
    assert answers[0] == answers[1] and "is not known" in answers[0]["message"]
    # `lang` is a parameter of the pages, not of the API, which refuses what it does not know.
    assert real.get("/api/kommunen?lang=en").status_code == 422


def test_labels_of_the_data_follow_the_page_language(real):
    """Labels come from the ontology and thesauri (@de/@en): the thesaurus tree, the
    statement table's properties, a population figure's number."""
    real.cookies.clear()
    tree = {lang: real.get(f"/id/thesaurus/themenfelder?lang={lang}", headers=HTML).text
            for lang in ("de", "en")}  # fmt: skip
    assert ">Fachlicher Austausch und kollegiale Beratung<" in tree["de"]
    assert ">Professional exchange and peer consultation<" in tree["en"]
    assert ">Fachlicher Austausch" not in tree["en"]
    lippe = real.get("/id/kommune/kreis-lippe?lang=en", headers=HTML).text
    assert ">population</a>" in lippe and ">about 353,000</a>" in lippe
