"""The pages shaped like the domain (issue 13), over real HTTP against the release built from
the real data/: Kommune profile, cluster, Maßnahme, Organisation, Bundesland and document pages,
the index pages with filters, search, comparison, and the language switch."""

from __future__ import annotations

import html
import re

import pytest

GERMAN = {"Accept": "text/html", "Accept-Language": "de-DE,de;q=0.9"}
UECKER = "/id/kommune/landkreis-uecker-randow"
MESSAGE = "<http://www.w3.org/ns/shacl#resultMessage>"


def page(client, url: str, **headers) -> str:
    response = client.get(url, headers={**GERMAN, **headers})
    assert response.status_code == 200, (url, response.status_code)
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def text(markup: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def section(markup: str, section_id: str) -> str:
    """The HTML of the <section> whose heading has id `section_id`."""
    start = markup.index(">", markup.index(f'id="{section_id}"')) + 1
    end = markup.find("</section>", start)
    return markup[start:end]


def test_kommune_page_reads_like_its_profile_sheet(real):
    markup = page(real, UECKER)
    summary = text(section(markup, "ueberblick"))
    for expected in (
        "Rolle Partnerkommune",
        "Kinderschutzcluster 3",
        "Modellkommune: Landeshauptstadt Schwerin",
        "Landkreis Ostvorpommern",
        "Bundesland Mecklenburg-Vorpommern",
        "Nachfolger Landkreis Vorpommern-Greifswald (aufgelöst am 04.09.2011)",
    ):
        assert expected in summary, (expected, summary)
    order = [markup.index(f'id="s-{s}"') for s in ("interesse", "zentral", "ergebnis")]
    assert order == sorted(order), "the sections follow the profile sheet"
    assert markup.index('id="s-ergebnis"') < markup.index('id="angaben"'), "generic table below"


def test_each_item_has_its_themenfeld_and_source_line(real):
    markup = page(real, UECKER)
    interessen = section(markup, "s-interesse")
    assert 'href="/id/dokument/001_9215b3bf5b9d1eba#L27"' in interessen
    assert 'class="tag" href="/id/themenfeld/kooperation-mit-dem-gesundheitswesen"' in interessen
    ergebnisse = text(section(markup, "s-ergebnis"))
    assert "umgesetzt · kommunal" in ergebnisse and "geplant · clusterübergreifend" in ergebnisse
    assert ergebnisse.index("umgesetzt · kommunal") < ergebnisse.index("geplant")


def test_teilnehmende_are_grouped_by_sektor(real):
    markup = page(real, "/id/kommune/stadtgemeinde-bremen")
    teilnehmende = text(section(markup, "s-teilnehmende"))
    assert teilnehmende.startswith("Teilnehmende (11)")
    assert "Gesundheitswesen Gesundheitsamt" in teilnehmende


def test_population_is_a_number(real):
    summary = text(section(page(real, "/id/kommune/kreis-lippe"), "ueberblick"))
    assert "Einwohner etwa 353.000" in summary
    english = text(section(page(real, "/id/kommune/kreis-lippe?lang=en"), "ueberblick"))
    assert "Population about 353,000" in english


def test_cluster_page_lists_members_with_the_modellkommune_first(real):
    members = text(section(page(real, "/id/cluster/3"), "mitglieder"))
    assert members.startswith("Mitglieder (4) Modellkommune: Landeshauptstadt Schwerin")
    rows = members.split("Modellkommune: Landeshauptstadt Schwerin", 1)[1]
    assert rows.index("Landeshauptstadt Schwerin Modellkommune") < rows.index("Landkreis Parchim")


def test_massnahme_names_its_kommune_status_ebene_and_source(real):
    summary = text(section(page(real, "/id/massnahme/landkreis-uecker-randow/4"), "ueberblick"))
    assert "Kommune Landkreis Uecker-Randow" in summary
    assert "Status geplant" in summary and "Ebene kommunal" in summary
    assert "Quelle Zeile 49" in summary
    assert "Kooperation mit Polizei und Justiz" in summary


def test_organisation_names_its_kommune_and_sektor(real):
    markup = page(real, "/id/organisation/stadtgemeinde-bremen/gesundheitsamt")
    summary = text(section(markup, "ueberblick"))
    assert "Kommune Stadtgemeinde Bremen" in summary and "Sektor Gesundheitswesen" in summary


def test_bundesland_lists_its_kommunen(real):
    kommunen = text(section(page(real, "/id/bundesland/DE-MV"), "kommunen"))
    assert kommunen.startswith("Kommunen (4)") and "Landkreis Uecker-Randow" in kommunen


def test_document_is_named_by_its_kommune(real):
    markup = page(real, "/id/dokument/001_9215b3bf5b9d1eba")
    assert "<title>Profil von Landkreis Uecker-Randow" in markup
    assert re.search(r"<h1>Profil von Landkreis Uecker-Randow", markup)
    assert "001_9215b3bf5b9d1eba.txt" in markup, "the file name is still shown"


@pytest.mark.parametrize(
    "kind",
    ["kommune", "massnahme", "organisation", "cluster", "bundesland", "thema", "besonderheit",
     "dokument", "befund", "ereignis", "einwohner", "themenfeld", "sektor", "thesaurus",
     "projekt", "validierung"],
)  # fmt: skip
def test_every_kind_has_an_index_page(real, kind):
    markup = page(real, f"/id/{kind}/")
    entries = int(re.search(r'<p class="count">(\d+) ', markup).group(1))
    assert entries > 0, kind
    assert f'href="/id/{kind}/' in markup


def test_bare_kind_redirects_to_its_index(real):
    response = real.get("/id/kommune?bundesland=DE-MV", headers=GERMAN, follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/id/kommune/?bundesland=DE-MV"


@pytest.mark.parametrize(
    ("url", "present", "absent"),
    [
        ("/id/kommune/?bundesland=DE-MV", "Landkreis Uecker-Randow", "Stadtgemeinde Bremen"),
        ("/id/kommune/?cluster=2&rolle=Modellkommune", "Stadtgemeinde Bremen", "Stadt Nürnberg"),
        ("/id/massnahme/?status=geplant&ebene=clusteruebergreifend", "Ostvorpommern", "Lippe"),
        ("/id/massnahme/?themenfeld=oeffentlichkeitsarbeit&cluster=3", "Uecker", "Bremen"),
        ("/id/organisation/?sektor=gesundheitswesen", "Gesundheitsamt", "Polizei"),
    ],
)
def test_index_filters_mirror_the_curated_routes(real, url, present, absent):
    rows = text(page(real, url).split("<tbody>", 1)[1].split("</tbody>", 1)[0])
    assert present in rows and absent not in rows


def test_index_filter_choices_come_from_the_release(real):
    markup = page(real, "/id/massnahme/")
    for name in ("status", "ebene", "themenfeld", "bundesland", "cluster", "kommune"):
        assert f'<select name="{name}">' in markup, name
    assert '<option value="modell-stadt-witten">' in markup
    assert '<option value="DE-MV">Mecklenburg-Vorpommern</option>' in markup


def test_an_unknown_filter_value_on_an_index_page_is_422_with_the_allowed_values(real):
    response = real.get("/id/kommune/?bundesland=DE-XX", headers=GERMAN)
    assert response.status_code == 422
    assert "is not known; allowed: DE-BB" in html.unescape(response.text)


def test_machines_asking_an_index_get_the_curated_route(real):
    response = real.get(
        "/id/kommune/?bundesland=DE-MV", headers={"Accept": "application/json"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == "/api/kommunen?bundesland=DE-MV"
    listed = real.get("/id/thema/", headers={"Accept": "application/json"}).json()
    assert listed["total"] == len(listed["items"]) > 0


def test_every_page_has_a_search_box(real):
    for url in ("/", UECKER, "/id/kommune/", "/vergleich"):
        markup = page(real, url)
        assert re.search(r'<form class="site-search" role="search" action="/suche"', markup), url


def test_search_page_shows_the_results_of_the_search_route(real):
    markup = page(real, "/suche?q=netzwerk")
    found = real.get("/api/suche?q=netzwerk&limit=500").json()
    assert f"({found['total']})" in text(markup)
    first = found["data"][0]
    assert f'href="{first["ressource_page"]}"' in markup
    too_short = real.get("/suche?q=a", headers=GERMAN)
    assert too_short.status_code == 422 and "at least 2 characters" in too_short.text


def test_search_page_is_paged_like_the_search_route(real):
    found = real.get("/api/suche?q=netzwerk&limit=3&offset=3").json()
    markup = page(real, "/suche?q=netzwerk&limit=3&offset=3")
    assert f"({found['total']}) 4–6 angezeigt" in text(markup)
    shown = re.findall(r'<li><span class="text"><a href="([^"]*)"', markup)
    assert shown == [r["ressource_page"] for r in found["data"]]
    later = html.unescape(re.search(r'<a rel="next" href="([^"]*)"', markup).group(1))
    earlier = html.unescape(re.search(r'<a rel="prev" href="([^"]*)"', markup).group(1))
    assert later == "/suche?q=netzwerk&limit=3&offset=6"
    assert earlier == "/suche?q=netzwerk&limit=3&offset=0"


def test_comparison_puts_kommunen_and_clusters_side_by_side(real):
    url = "/vergleich?kommune=landkreis-uecker-randow&kommune=/id/kommune/kreis-lippe&cluster=3"
    markup = page(real, url)
    head = text(markup.split("<thead>", 1)[1].split("</thead>", 1)[0])
    assert head == "Themenfeld Landkreis Uecker-Randow Kreis Lippe Kinderschutzcluster 3"
    row = next(r for r in markup.split("<tr>") if "Öffentlichkeitsarbeit" in r)
    cells = [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    # Uecker-Randow: 0 Themen, 1 umgesetzte, 1 geplante Maßnahme; the cluster includes them.
    assert cells[0] == "0 · 1 · 1"
    uecker, cluster = (tuple(int(n) for n in c.split(" · ")) for c in (cells[0], cells[2]))
    assert all(c >= u for u, c in zip(uecker, cluster, strict=True))


def test_comparison_refuses_what_it_does_not_know(real):
    response = real.get("/vergleich?kommune=atlantis", headers=GERMAN)
    assert response.status_code == 422 and "atlantis" in html.unescape(response.text)


def test_language_switch(real):
    german = page(real, UECKER)
    assert '<html lang="de">' in german
    assert 'href="?lang=en" hreflang="en"' in german
    english = real.get(f"{UECKER}?lang=en", headers=GERMAN)
    assert '<html lang="en">' in english.text and "Summary" in english.text
    assert "Cooperation with health care" in english.text, "Themenfeld labels @en"
    assert english.cookies.get("lang") == "en"
    kept = real.get(UECKER, headers=GERMAN, cookies={"lang": "en"})
    assert '<html lang="en">' in kept.text
    assert "Cookie" in kept.headers["vary"]


@pytest.mark.parametrize("accept_language", ["de-DE,de;q=0.9", "en-US,en;q=0.9", "fr-FR", ""])
def test_pages_are_german_whatever_the_browser_language(real, accept_language):
    """English is chosen with the switch only: not every page has English words, and a page
    half in each language is worse than a German one with a switch."""
    markup = real.get(UECKER, headers={"Accept": "text/html", "Accept-Language": accept_language})
    assert '<html lang="de">' in markup.text


def test_shacl_findings_speak_the_page_language_first(real):
    finding = real.get("/api/qualitaet?limit=1").json()["data"][0]
    url = finding["entity_page"]
    described = real.get(
        "/sparql",
        params={"query": f"SELECT ?m {{ GRAPH ?g {{ <{finding['befund']}> {MESSAGE} ?m }} }}"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    messages = {b["m"]["xml:lang"]: b["m"]["value"] for b in described}
    assert set(messages) == {"de", "en"}, "every SHACL message is in both languages"
    for lang, other in (("de", "en"), ("en", "de")):
        markup = html.unescape(page(real, f"{url}?lang={lang}"))
        assert markup.index(messages[lang]) < markup.index(messages[other]), lang


def test_a_project_level_organisation_names_its_role_in_the_project(real):
    summary = text(
        section(page(real, "/id/organisation/nationales-zentrum-fruehe-hilfen"), "ueberblick")
    )
    assert "Auftraggeber Aus Fehlern lernen" in summary


def test_index_values_speak_the_page_language(real):
    german = page(real, "/id/massnahme/?ebene=clusteruebergreifend")
    assert "<td>clusterübergreifend</td>" in german
    english = page(real, "/id/massnahme/?ebene=clusteruebergreifend&lang=en")
    assert "<td>cross-cluster</td>" in english and "<td>planned</td>" in english


@pytest.mark.parametrize("kind", ["thema", "besonderheit", "dokument", "einwohner", "themenfeld"])
def test_an_index_without_a_curated_route_links_every_instance(real, kind):
    """Regression: the navigation's list in base.html was named `items` too and emptied these
    lists (every entry an empty link)."""
    markup = page(real, f"/id/{kind}/")
    listed = re.findall(rf'<li><a href="/id/{kind}/[^"]+">([^<]+)</a></li>', markup)
    count = int(re.search(r'<p class="count">(\d+)', markup).group(1))
    assert count > 0 and len(listed) == count, (kind, count, listed[:3])
    assert '<a href=""></a>' not in markup
