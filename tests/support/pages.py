"""Every kind of page the server renders, by name: one list for the tests that visit them all
(tests/api/pages/test_english_pages.py over HTTP, tests/e2e/test_layout.py in Chromium)."""

from __future__ import annotations

PAGES = {
    "start": "/",
    "editor": "/sparql",
    "dashboard": "/dashboard",
    "ontology": "/ontology",
    "thesaurus": "/id/thesaurus/themenfelder",
    "kommune": "/id/kommune/landkreis-uecker-randow",
    "cluster": "/id/cluster/2",
    "bundesland": "/id/bundesland/DE-MV",
    "massnahme": "/id/massnahme/landkreis-uecker-randow/4",
    "organisation": "/id/organisation/bundeszentrale-fuer-gesundheitliche-aufklaerung",
    "dokument": "/id/dokument/004_1ad5341d1f9797a2",
    "einwohner": "/id/einwohner/kreis-lippe/1",
    "index-kommune": "/id/kommune/",
    "index-einwohner": "/id/einwohner/",
    "suche": "/suche?q=netzwerk",
    "vergleich": "/vergleich?kommune=kreis-lippe&cluster=3",
    "dumps": "/dumps/",
    "dataset": "/dataset",
    "releases": "/releases",
    "api": "/api",
    "api-docs": "/docs",
    "qualitaet": "/qualitaet",
    "404": "/gibt-es-nicht",
}


def with_lang(path: str, lang: str) -> str:
    """`path` asking for the page in `lang` (its other query parameters kept)."""
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"
