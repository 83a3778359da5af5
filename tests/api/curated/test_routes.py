"""The curated JSON/CSV routes over real HTTP, against the sample release."""

from __future__ import annotations

import csv
import io

import pytest

LAUENBURG = "https://w3id.org/kinderschutz-kg/id/kommune/kreis-herzogtum-lauenburg"
BREMEN = "https://w3id.org/kinderschutz-kg/id/kommune/stadtgemeinde-bremen"


def names(response) -> list[str]:
    return [record["name"] for record in response.json()["data"]]


def test_index_lists_every_query_with_example(http):
    body = http.get("/api").json()
    listed = {entry["name"]: entry for entry in body["queries"]}
    assert {"kommunen", "kommune", "netzwerk", "suche", "qualitaet"} <= set(listed)
    assert listed["kommunen"]["example"].startswith("/api/kommunen?")
    for entry in listed.values():
        assert http.get(entry["example"]).status_code == 200, entry["example"]


def test_kommunen_envelope_and_types(http):
    response = http.get("/api/kommunen")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["total"] == 2 and body["limit"] == 100 and body["offset"] == 0
    assert body["version"] == response.headers["x-data-version"]
    assert body["query"]["sparql_url"] == "/api/kommunen?explain=1"
    lauenburg = body["data"][0]
    assert lauenburg["kommune"] == LAUENBURG
    assert lauenburg["kommune_page"] == "/id/kommune/kreis-herzogtum-lauenburg"
    assert lauenburg["cluster_nummer"] == 1 and lauenburg["rolle"] == "Partnerkommune"
    assert lauenburg["bundesland_iso"] == "DE-SH"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bundesland=DE-SH", ["Kreis Herzogtum Lauenburg"]),
        ("cluster=2", ["Stadtgemeinde Bremen"]),
        ("rolle=Modellkommune", ["Stadtgemeinde Bremen"]),
        ("rolle=Partnerkommune&cluster=1", ["Kreis Herzogtum Lauenburg"]),
        ("rolle=Partnerkommune&cluster=2", []),
        ("bundesland=", ["Kreis Herzogtum Lauenburg", "Stadtgemeinde Bremen"]),
    ],
)
def test_kommunen_filters(http, query, expected):
    assert names(http.get(f"/api/kommunen?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("bundesland=Schleswig-Holstein", "bundesland"),
        ("bundesland=DE-SH%3E%20%3Fx", "bundesland"),
        ("cluster=eins", "cluster"),
        ("cluster=0", "cluster"),
        ("rolle=Chef", "rolle"),
        ("limit=501", "limit"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("bundesand=DE-SH", "bundesand"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(http, query, parameter):
    response = http.get(f"/api/kommunen?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"] == "invalid_parameter" and body["parameter"] == parameter
    assert body["message"].startswith(parameter)


def test_unknown_query_is_json_404(http):
    response = http.get("/api/gibtsnicht")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_pagination_links(http):
    first = http.get("/api/kommunen?limit=1")
    body = first.json()
    assert body["total"] == 2 and len(body["data"]) == 1
    assert 'rel="next"' in first.headers["link"] and 'rel="prev"' not in first.headers["link"]
    second = http.get(body["links"]["next"])
    assert second.json()["data"][0]["name"] == "Stadtgemeinde Bremen"
    assert 'rel="prev"' in second.headers["link"] and 'rel="next"' not in second.headers["link"]
    beyond = http.get("/api/kommunen?offset=10").json()
    assert beyond["data"] == [] and beyond["total"] == 2


@pytest.mark.parametrize(
    ("url", "headers"),
    [("/api/kommunen?format=csv", {}), ("/api/kommunen", {"Accept": "text/csv"})],
)
def test_csv(http, url, headers):
    response = http.get(url, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["name"] for r in rows] == ["Kreis Herzogtum Lauenburg", "Stadtgemeinde Bremen"]
    assert rows[1]["cluster_nummer"] == "2" and rows[0]["wikidata"] == ""


def test_not_acceptable_lists_offers(http):
    response = http.get("/api/kommunen", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["offered"] == ["application/json", "text/csv"]


def test_explain_returns_query_and_bindings_without_running(http):
    body = http.get("/api/kommunen?bundesland=DE-HB&explain=1").json()
    assert body["query"]["bindings"] == {
        "?_bundesland": "<https://w3id.org/kinderschutz-kg/id/bundesland/DE-HB>"
    }
    assert "?_bundesland" in body["query"]["sparql"] and "DE-HB" not in body["query"]["sparql"]
    assert "data" not in body


def test_kommune_has_all_sections(http):
    body = http.get("/api/kommune?kommune=stadtgemeinde-bremen").json()
    (bremen,) = body["data"]
    assert bremen["rolle"] == "Modellkommune" and bremen["cluster_nummer"] == 2
    assert bremen["wikidata"] == "http://www.wikidata.org/entity/Q24879"
    assert {o["name"] for o in bremen["organisationen"]} >= {"Gesundheitsamt"}
    assert bremen["themen"][0]["art"] == "zentral"
    assert bremen["massnahmen"][0]["status"] == "umgesetzt"
    assert {q["zeile"] for q in bremen["quellen"]} >= {3, 33, 42, 50}
    assert set(bremen) >= {"besonderheiten", "nachfolger"}


def test_kommune_unknown_is_404_and_missing_param_422(http):
    unknown = http.get("/api/kommune?kommune=atlantis")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    assert (
        "kommune=https://w3id.org/kinderschutz-kg/id/kommune/atlantis" in unknown.json()["message"]
    )
    missing = http.get("/api/kommune")
    assert missing.status_code == 422 and missing.json()["parameter"] == "kommune"


def test_cluster_names_the_modellkommune(http):
    data = http.get("/api/cluster?cluster=2").json()["data"]
    assert {r["modellkommune"] for r in data} == {BREMEN}


def test_bundeslaender_counts(http):
    data = {r["iso"]: r for r in http.get("/api/bundeslaender").json()["data"]}
    assert data["DE-HB"]["kommunen"] == 1 and data["DE-HB"]["modellkommunen"] == 1
    assert data["DE-SH"]["partnerkommunen"] == 1


def test_themenfelder_per_kommune_and_cluster(http):
    per_kommune = http.get("/api/themenfelder?kommune=kreis-herzogtum-lauenburg").json()["data"]
    assert [(r["themenfeld_label"], r["anzahl"]) for r in per_kommune] == [("Fallreflexion", 2)]
    per_cluster = http.get("/api/themenfelder_cluster?cluster=2").json()["data"]
    assert [r["themenfeld_label"] for r in per_cluster] == ["Beteiligung von Familien"]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", 3),
        ("status=geplant", 1),
        ("ebene=clusteruebergreifend", 0),
        ("themenfeld=beteiligung", 1),
        ("themenfeld=kooperation-und-netzwerke", 2),
        ("bundesland=DE-SH&status=umgesetzt", 1),
        ("cluster=2", 1),
    ],
)
def test_massnahmen_filters(http, query, count):
    assert http.get(f"/api/massnahmen?{query}").json()["total"] == count


def test_organisationen_by_sektor(http):
    data = http.get("/api/organisationen?sektor=gesundheitswesen").json()["data"]
    assert [r["name"] for r in data] == ["Gesundheitsamt"]
    assert http.get("/api/organisationen?kommune=kreis-herzogtum-lauenburg").json()["total"] == 2


def test_netzwerk_is_nodes_and_edges(http):
    data = http.get("/api/netzwerk").json()["data"]
    ids = {node["id"] for node in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    assert {"source": BREMEN, "target": "https://w3id.org/kinderschutz-kg/id/cluster/2",
            "relation": "cluster"} in data["edges"]  # fmt: skip
    only_one = http.get("/api/netzwerk?cluster=1").json()["data"]
    assert BREMEN not in {node["id"] for node in only_one["nodes"]}


def test_statistik(http):
    data = http.get("/api/statistik").json()["data"]
    rows = {(r["kategorie"], r["schluessel"]): r["anzahl"] for r in data}
    assert rows[("klasse", "Kommune")] == 2 and rows[("status", "umgesetzt")] == 2
    assert rows[("rolle", "Modellkommune")] == 1 and rows[("bundesland", "DE-HB")] == 1


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("FAMILIEN", True),
        ("sommerfest", True),
        ('") } SELECT * { ?s ?p ?o', False),
        (".*", False),
    ],
)
def test_suche_is_case_insensitive_and_literal(http, q, found):
    response = http.get("/api/suche", params={"q": q})
    assert response.status_code == 200
    assert (response.json()["total"] > 0) is found


def test_suche_needs_two_characters(http):
    response = http.get("/api/suche?q=a")
    assert response.status_code == 422 and response.json()["parameter"] == "q"


def test_qualitaet_filters(http):
    warnings = http.get("/api/qualitaet?severity=Warning").json()
    assert warnings["total"] == 1
    assert warnings["data"][0]["komponente"] == "MinCountConstraintComponent"
    assert http.get("/api/qualitaet?severity=Violation").json()["total"] == 0
    entity = warnings["data"][0]["entity"]
    assert http.get("/api/qualitaet", params={"entity": entity}).json()["total"] == 1
    bad = http.get("/api/qualitaet", params={"entity": "not an iri"})
    assert bad.status_code == 422 and bad.json()["parameter"] == "entity"


def test_repeated_requests_come_from_the_cache(http, sample_server):
    first = http.get("/api/massnahmen?status=geplant")
    second = http.get("/api/massnahmen?status=geplant")
    assert first.content == second.content
    assert second.headers["x-data-version"] == first.headers["x-data-version"]


def test_openapi_documents_each_parameter(http):
    spec = http.get("/openapi.json").json()
    operation = spec["paths"]["/api/kommunen"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["rolle"]["schema"]["enum"] == ["Modellkommune", "Partnerkommune"]
    assert params["bundesland"]["example"] == "DE-SH"
    assert params["limit"]["schema"]["maximum"] == 500
    assert operation["summary"].startswith("Kommunen")
    assert "/api/suche" in spec["paths"] and "/api/netzwerk" in spec["paths"]
