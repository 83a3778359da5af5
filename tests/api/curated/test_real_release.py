"""The API against a real release: `loaders.build.build` of data/ into a temporary build folder,
with facts from the sources (Lauenburg, Bremen, Uecker-Randow) and the real SHACL report."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from rdflib import RDF, Graph, Namespace

DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")


def test_lauenburg(real):
    (lauenburg,) = real.get("/api/kommune?kommune=kreis-herzogtum-lauenburg").json()["data"]
    assert lauenburg["bundesland_name"] == "Schleswig-Holstein"
    assert lauenburg["cluster_nummer"] == 1 and lauenburg["rolle"] == "Partnerkommune"
    assert lauenburg["homepage"] == "http://www.herzogtum-lauenburg.de/"
    assert {q["dokument"].rsplit("/", 1)[-1] for q in lauenburg["quellen"]} >= {
        "000_6d25c97e395e9f6f"
    }


def test_bremen_is_modellkommune_of_cluster_2_with_11_organisations(real):
    rows = real.get("/api/cluster?cluster=2").json()["data"]
    assert {r["modellkommune_name"] for r in rows} == {"Stadtgemeinde Bremen"}
    (bremen,) = real.get("/api/kommune?kommune=stadtgemeinde-bremen").json()["data"]
    assert len({o["organisation"] for o in bremen["organisationen"]}) == 11


def test_kommunen_filters_on_real_data(real):
    names = [r["name"] for r in real.get("/api/kommunen?bundesland=DE-SH").json()["data"]]
    assert "Kreis Herzogtum Lauenburg" in names
    model = real.get("/api/kommunen?rolle=Modellkommune&cluster=2").json()["data"]
    assert [r["name"] for r in model] == ["Stadtgemeinde Bremen"]


def test_massnahmen_clusteruebergreifend_uecker_randow(real):
    data = real.get("/api/massnahmen?ebene=clusteruebergreifend").json()["data"]
    assert [r["kommune_name"] for r in data] == ["Landkreis Uecker-Randow"]
    assert data[0]["status"] == "geplant"


#: Index examples that match nothing in the real data: the index joins the examples of all of a
#: query's parameters into one URL, and together they filter everything out (e.g. massnahmen
#: with status, ebene, themenfeld, bundesland, cluster and kommune at once); the index also
#: gives one example per parameter, checked below.
EMPTY_EXAMPLES = {"kommune_nachfolger", "massnahmen"}
#: Kreis Herzogtum Lauenburg kept its borders in 2011: "no successor" is the answer, and the
#: example also holds on the small test release, which has no dissolved Kommune.
EMPTY_ONE_FILTER_EXAMPLES = ["/api/kommune_nachfolger?kommune=kreis-herzogtum-lauenburg"]


def test_every_index_example_runs_on_real_data(real):
    answered = {}
    for entry in real.get("/api").json()["queries"]:
        response = real.get(entry["example"])
        assert response.status_code == 200, (entry["example"], response.text)
        body = response.json()
        assert body["version"] == response.headers["x-data-version"], body
        answered[entry["name"]] = body["data"]
    empty = {name for name, data in answered.items() if not data}
    assert empty == EMPTY_EXAMPLES, empty


def test_every_one_filter_example_of_the_index_finds_data(real):
    """The /api page links one example per parameter; each must show data, not an empty list."""
    empty = []
    for entry in real.get("/api").json()["queries"]:
        for url in entry["examples"].values():
            response = real.get(url)
            assert response.status_code == 200, (url, response.text)
            if not response.json()["data"]:
                empty.append(url)
    assert empty == EMPTY_ONE_FILTER_EXAMPLES, empty


def test_resource_page_on_real_data(real):
    html = real.get("/id/kommune/stadtgemeinde-bremen", headers={"Accept": "text/html"}).text
    assert 'href="/id/dokument/004_1ad5341d1f9797a2#L' in html


def test_qualitaet_lists_the_real_report(real):
    body = real.get("/api/qualitaet").json()
    assert body["total"] > 0
    assert {r["severity"] for r in body["data"]} <= {"Warning", "Info"}


def test_document_page_shows_source_lines(real):
    html = real.get("/id/dokument/000_6d25c97e395e9f6f", headers={"Accept": "text/html"}).text
    assert 'id="L3"' in html and "Kreis Herzogtum Lauenberg" in html


def test_gzip_dump_from_the_build(real):
    response = real.get("/dumps/dataset.nq", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"
    (entry,) = [d for d in real.get("/dumps/").json()["dumps"] if d["file"] == "dataset.nq"]
    assert hashlib.sha256(response.content).hexdigest() == entry["sha256"]  # httpx un-gzips


def test_dcat_checksums_are_the_sha256_of_the_served_files(real):
    graph = Graph().parse(data=real.get("/dataset", headers={"Accept": "text/turtle"}).text)
    checked = {}
    for dist in graph.subjects(RDF.type, DCAT.Distribution):
        checksum = graph.value(dist, SPDX.checksum)
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        url = urlsplit(str(graph.value(dist, DCAT.downloadURL)))
        body = real.get(url.path, headers={"Accept-Encoding": "identity"}).content
        checked[url.path] = str(graph.value(checksum, SPDX.checksumValue))
        assert checked[url.path] == hashlib.sha256(body).hexdigest(), url.path
    assert set(checked) == {f"/dumps/dataset.{e}" for e in ("trig", "nq", "ttl", "nt", "jsonld")}


WITTEN = "https://w3id.org/kinderschutz-kg/id/cluster/modell-stadt-witten"
WITTEN_LABEL = "Kinderschutzcluster Witten (Nummer unbekannt)"


def test_the_cluster_without_number_comes_last_under_its_label(real):
    rows = real.get("/api/cluster?limit=500").json()["data"]
    assert len({r["cluster"] for r in rows}) == 13
    witten = [r for r in rows if r["cluster"] == WITTEN]
    assert rows[-len(witten) :] == witten
    assert {r.get("nummer") for r in witten} == {None}
    assert {r["label"] for r in witten} == {WITTEN_LABEL}
    assert {r["modellkommune_name"] for r in witten} == {"Stadt Witten"}
    members = {r["kommune_name"]: r["rolle"] for r in witten}
    assert members == {
        "Stadt Witten": "Modellkommune",
        "Stadt Lünen": "Partnerkommune",
        "Stadt Hattingen": "Partnerkommune",
        "Stadt Herdecke": "Partnerkommune",
    }


def test_the_cluster_without_number_as_a_filter_and_a_field(real):
    data = real.get("/api/kommunen?cluster=modell-stadt-witten").json()["data"]
    assert sorted(r["name"] for r in data) == [
        "Stadt Hattingen",
        "Stadt Herdecke",
        "Stadt Lünen",
        "Stadt Witten",
    ]
    assert {r.get("cluster_nummer") for r in data} == {None}
    assert {r["cluster_label"] for r in data} == {WITTEN_LABEL}
    (witten,) = real.get("/api/kommune?kommune=stadt-witten").json()["data"]
    assert witten["cluster"] == WITTEN and witten["cluster_label"] == WITTEN_LABEL
    network = real.get("/api/netzwerk?cluster=modell-stadt-witten").json()["data"]
    assert {n["label"] for n in network["nodes"]} >= {"Stadt Lünen", WITTEN_LABEL}
    assert real.get("/api/kommunen?cluster=modell-Stadt Witten").status_code == 422


def test_the_missing_number_is_an_info_finding(real):
    data = real.get("/api/qualitaet", params={"entity": WITTEN}).json()["data"]
    assert [(r["severity"], r["shape"].rsplit("#", 1)[-1]) for r in data] == [
        ("Info", "Cluster-nummer-bekannt")
    ]


def test_statistik_counts_the_new_kommunen(real):
    rows = real.get("/api/statistik").json()["data"]
    count = {(r["kategorie"], r["schluessel"]): r["anzahl"] for r in rows}
    assert count[("klasse", "Kommune")] == 27
    assert count[("klasse", "Cluster")] == 13
    assert count[("bundesland", "DE-NW")] == 7


def test_start_page_lists_the_cluster_without_number(real):
    html = real.get("/").text
    assert WITTEN_LABEL in html
    assert html.index("Kinderschutzcluster 12") < html.index(WITTEN_LABEL)


def test_header_enums_are_the_values_the_release_knows(real):
    """The `enum` lists in the query headers document the ontology's individuals; the check
    itself asks the release, so the two must not drift apart."""
    from api.curated.registry import load_queries
    from kskg.settings import PROJECT_ROOT

    for query in load_queries(PROJECT_ROOT / "queries").values():
        for param in query.params:
            if not (param.enum and param.known):
                continue
            body = real.get(f"/api/{query.name}", params={param.name: "Unbekannt"}).json()
            assert body["allowed"] == sorted(param.enum), (query.name, param.name)


def test_unknown_filter_values_on_real_data(real):
    for url, parameter in [
        ("/api/kommunen?bundesland=DE-XX", "bundesland"),
        ("/api/kommunen?cluster=99", "cluster"),
        ("/api/massnahmen?themenfeld=kooperation", "themenfeld"),
    ]:
        response = real.get(url)
        assert response.status_code == 422 and response.json()["parameter"] == parameter
    lands = real.get("/api/kommunen?bundesland=DE-XX").json()["allowed"]
    assert len(lands) == 16 and "DE-SH" in lands
    clusters = real.get("/api/kommunen?cluster=99").json()["allowed"]
    assert "modell-stadt-witten" in clusters and "2" in clusters
