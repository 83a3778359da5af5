"""The language of a page: German, with English on request (docs/pages.md, "Language").

The choice, strongest first: `?lang=de|en` (the switch link on every page; it also sets the
`lang` cookie so the next pages keep it), the `lang` cookie, else German (Accept-Language is not
asked, see `choose_lang`). Labels of data come from the ontology and thesauri (`@de`/`@en`,
`pick`); the words of the pages themselves are in `WORDS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlencode

LANGS = ("de", "en")
DEFAULT = "de"
COOKIE = "lang"

WORDS: dict[str, tuple[str, str]] = {
    # key: (German, English)
    "switch": ("English", "Deutsch"),
    "search": ("Suche", "Search"),
    "search_label": ("Suchbegriff", "Search term"),
    "search_button": ("Suchen", "Search"),
    "results_for": ("Treffer für", "Results for"),
    "no_results": ("Keine Treffer.", "No results."),
    "shown": ("angezeigt", "shown"),
    "earlier_results": ("Vorige Treffer", "Previous results"),
    "later_results": ("Weitere Treffer", "More results"),
    "overview": ("Überblick", "Summary"),
    "role": ("Rolle", "Role"),
    "cluster": ("Kinderschutzcluster", "Child protection cluster"),
    "modellkommune": ("Modellkommune", "Model authority"),
    "partners": ("Partnerkommunen", "Partner authorities"),
    "members": ("Mitglieder", "Members"),
    "bundesland": ("Bundesland", "Federal state"),
    "population": ("Einwohner", "Population"),
    "approx": ("etwa", "about"),
    "successor": ("Nachfolger", "Successor"),
    "dissolved": ("aufgelöst am", "dissolved on"),
    "kind": ("Art", "Kind"),
    "ags": ("Gemeindeschlüssel (AGS)", "Municipality key (AGS)"),
    "homepage": ("Website", "Web site"),
    "interessen": ("Qualitätsentwicklungsinteressen", "Interests in quality development"),
    "teilnehmende": ("Teilnehmende", "Participants"),
    "zentrale_themen": ("Zentrale Themen", "Central topics"),
    "ergebnisse": ("Ergebnisse", "Results"),
    "besonderheiten": ("Besonderheiten", "Special features"),
    "ohne_sektor": ("ohne Sektor", "no sector"),
    "source": ("Quelle", "Source"),
    "line": ("Zeile", "line"),
    "themenfeld": ("Themenfeld", "Topic area"),
    "themenfelder": ("Themenfelder", "Topic areas"),
    "status": ("Status", "Status"),
    "ebene": ("Ebene", "Level"),
    "kommune": ("Kommune", "Local authority"),
    "kommunen": ("Kommunen", "Local authorities"),
    "massnahmen": ("Maßnahmen", "Measures"),
    "organisationen": ("Organisationen", "Organisations"),
    "sektor": ("Sektor", "Sector"),
    "document_of": ("Profil von", "Profile of"),
    "document": ("Quelldokument", "Source document"),
    "statements_below": ("Alle Angaben als Tabelle", "All statements as a table"),
    "all": ("alle", "all"),
    "filter": ("Filtern", "Filter"),
    "entries": ("Einträge", "entries"),
    "list_of": ("Verzeichnis", "Index"),
    "compare": ("Vergleich", "Comparison"),
    "compare_hint": (
        "Zwei oder mehr Kommunen oder Kinderschutzcluster nebeneinander, "
        "nach Themenfeld und Status.",
        "Two or more local authorities or clusters side by side, by topic area and status.",
    ),
    "compare_add": ("Vergleichen", "Compare"),
    "thema": ("Themen", "Topics"),
    "none": ("keine Angabe", "not stated"),
    "invalid": ("Ungültige Angabe", "Invalid value"),
    "name": ("Name", "Name"),
    "count": ("Anzahl", "Count"),
    "text": ("Text", "Text"),
    "lines": ("Zeilen", "lines"),
    "predecessor": ("Vorgänger", "Predecessor"),
    "compare_with": ("Mit anderen vergleichen", "Compare with others"),
    "section": ("Abschnitt", "Section"),
    "anmerkung": ("Anmerkung", "Note"),
    "partnerkommune": ("Partnerkommune", "Partner authority"),
    "no_kommunen": (
        "Keine Kommune aus diesem Land nahm teil.",
        "No authority from this state took part.",
    ),
    "statements": ("Angaben", "Statements"),
    "umgesetzt": ("umgesetzt", "implemented"),
    "kommunal": ("kommunal", "local"),
    "clusteruebergreifend": ("clusterübergreifend", "cross-cluster"),
    "Modellkommune": ("Modellkommune", "Model authority"),
    "Partnerkommune": ("Partnerkommune", "Partner authority"),
    "geplant": ("geplant", "planned"),
    "sum": ("Summe", "Total"),
    "cell_legend": (
        "Je Zelle: Themen · umgesetzte Maßnahmen · geplante Maßnahmen (mit Unterpunkten).",
        "Each cell: topics · implemented measures · planned measures (with sub-items).",
    ),
    "rolle": ("Rolle", "Role"),
    "q": ("Suchbegriff", "Search term"),
    "severity": ("Schwere", "Severity"),
    "entity": ("Ressource", "Resource"),
    # the `typ` of a search result: the local name of its class
    "type_Massnahme": ("Maßnahme", "Measure"),
    "type_Thema": ("Thema", "Topic"),
    "type_Besonderheit": ("Besonderheit", "Special feature"),
    "type_Befund": ("Befund", "Finding"),
    "type_Concept": ("Begriff", "Concept"),
    "type_Kommune": ("Kommune", "Local authority"),
    "type_Gebietskoerperschaft": ("Gebietskörperschaft", "Local authority"),
    "type_Organisation": ("Organisation", "Organisation"),
    "type_Cluster": ("Kinderschutzcluster", "Child protection cluster"),
    "type_Bundesland": ("Bundesland", "Federal state"),
    "type_Ereignis": ("Ereignis", "Event"),
    "type_Werkstatt": ("Werkstatt", "Workshop"),
    "type_Projekt": ("Projekt", "Project"),
    "type_Quelldokument": ("Quelldokument", "Source document"),
}


def choose_lang(query: Mapping[str, str], cookies: Mapping[str, str]) -> str:
    """The page language for a request's query parameters and cookies. Accept-Language is not
    asked: only some pages have English words, so a browser set to English would get pages
    half in each language; English is a choice made with the switch."""
    for chosen in (query.get("lang"), cookies.get(COOKIE)):
        if chosen in LANGS:
            return chosen
    return DEFAULT


def words(lang: str) -> Callable[[str], str]:
    """`t(key)`: the page word `key` in `lang` (the key itself if there is none)."""
    index = LANGS.index(lang) if lang in LANGS else 0

    def t(key: str) -> str:
        if key in WORDS:
            return WORDS[key][index]
        return key.removeprefix("type_")

    return t


def pick(de: str | None, en: str | None, lang: str) -> str | None:
    """The label in `lang`, falling back to the other language."""
    return (en or de) if lang == "en" else (de or en)


def switch_url(path: str, query: Mapping[str, str], lang: str) -> str:
    """The current page in the other language (the query string kept, `lang` replaced)."""
    other = "en" if lang == "de" else "de"
    params = [(k, v) for k, v in _items(query) if k != "lang"] + [("lang", other)]
    return f"{path}?{urlencode(params)}"


def _items(query) -> list[tuple[str, str]]:
    multi = getattr(query, "multi_items", None)
    return list(multi()) if multi else list(query.items())


def language_context(request) -> dict:
    """`lang`, `t` (page words) and `switch_url` for rendering a page for `request`."""
    lang = choose_lang(request.query_params, request.cookies)
    return {
        "lang": lang,
        "t": words(lang),
        "switch_url": switch_url(request.url.path, request.query_params, lang),
    }


def remember(response, request):
    """Keep an explicit `?lang=` choice in a cookie for the next pages; returns `response`."""
    chosen = request.query_params.get("lang")
    if chosen in LANGS:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="lax")
    response.headers["Vary"] = ", ".join(v for v in (response.headers.get("Vary"), "Cookie") if v)
    return response
