"""The rules of the curated JSON API (issue 13, "The JSON API"), over real HTTP against the
sample release: unknown filter values, repeated parameters, limit on unpaged routes, the
page before a page past the end, IRIs and page paths as `kommune=`, arrays for multi-valued
fields, described fields, JSON-LD for `Accept: application/json` on `/id/…`."""

from __future__ import annotations

import csv
import io
import json

import pytest

LAUENBURG = "https://w3id.org/kinderschutz-kg/id/kommune/kreis-herzogtum-lauenburg"


def refused(response, parameter: str) -> dict:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_parameter" and body["parameter"] == parameter
    assert body["message"].startswith(parameter)
    return body


@pytest.mark.parametrize(
    ("url", "parameter", "allowed"),
    [
        ("/api/kommunen?bundesland=DE-XX", "bundesland", ["DE-HB", "DE-SH"]),
        ("/api/kommunen?bundesland=DE-BY", "bundesland", ["DE-HB", "DE-SH"]),
        ("/api/kommunen?cluster=99", "cluster", ["1", "2"]),
        ("/api/massnahmen?cluster=99", "cluster", ["1", "2"]),
        ("/api/themenfelder?cluster=7", "cluster", ["1", "2"]),
        ("/api/massnahmen?kommune=atlantis", "kommune", None),
        ("/api/organisationen?sektor=raumfahrt", "sektor", None),
    ],
)
def test_a_value_the_release_does_not_know_is_422_listing_what_it_knows(
    http, url, parameter, allowed
):
    body = refused(http.get(url), parameter)
    assert "is not known" in body["message"]
    assert body["allowed"], body
    if allowed is not None:
        assert body["allowed"] == allowed
        assert ", ".join(allowed) in body["message"]


def test_the_allowed_themenfelder_come_from_the_release(http):
    body = refused(http.get("/api/massnahmen?themenfeld=raumfahrt"), "themenfeld")
    concepts = set(body["allowed"])
    assert {"kooperation-und-netzwerke", "fallreflexion", "beteiligung"} <= concepts
    for value in body["allowed"]:
        assert http.get("/api/massnahmen", params={"themenfeld": value}).status_code == 200


@pytest.mark.parametrize(
    ("url", "parameter", "allowed"),
    [
        ("/api/kommunen?rolle=Chef", "rolle", ["Modellkommune", "Partnerkommune"]),
        ("/api/massnahmen?status=vergessen", "status", ["geplant", "umgesetzt"]),
        ("/api/massnahmen?ebene=bund", "ebene", ["clusteruebergreifend", "kommunal"]),
    ],
)
def test_enumerations_are_checked_against_the_release(http, url, parameter, allowed):
    body = refused(http.get(url), parameter)
    assert body["allowed"] == allowed


def test_known_values_still_filter(http):
    assert http.get("/api/kommunen?bundesland=DE-SH").json()["total"] == 1
    assert http.get("/api/massnahmen?status=geplant&cluster=2").status_code == 200


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/kommunen?bundesland=DE-SH&bundesland=DE-HB", "bundesland"),
        ("/api/kommunen?rolle=Modellkommune&rolle=Modellkommune", "rolle"),
        ("/api/kommunen?limit=1&limit=2", "limit"),
        ("/api/suche?q=familien&q=netz", "q"),
    ],
)
def test_a_repeated_single_valued_parameter_is_422(http, url, parameter):
    body = refused(http.get(url), parameter)
    assert "more than once" in body["message"]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/bundeslaender?limit=1", "limit"),
        ("/api/statistik?offset=2", "offset"),
        ("/api/kommune?kommune=stadtgemeinde-bremen&limit=5", "limit"),
    ],
)
def test_limit_on_an_unpaged_route_is_refused(http, url, parameter):
    body = refused(http.get(url), parameter)
    assert "not paged" in body["message"]


def test_past_the_end_prev_is_the_last_real_page(http):
    response = http.get("/api/kommunen?limit=1&offset=10")
    body = response.json()
    assert body["data"] == [] and body["total"] == 2
    assert body["links"]["prev"] == body["links"]["last"]
    assert "offset=1" in body["links"]["prev"] and "next" not in body["links"]
    assert http.get(body["links"]["prev"]).json()["data"], "prev must be a page with records"
    assert f'<{body["links"]["last"]}>; rel="prev"' in response.headers["link"]


def test_just_past_the_end_prev_is_the_last_page(http):
    body = http.get("/api/kommunen?limit=1&offset=2").json()
    assert body["links"]["prev"] == body["links"]["last"]


@pytest.mark.parametrize(
    "value",
    [
        "kreis-herzogtum-lauenburg",
        LAUENBURG,
        "/id/kommune/kreis-herzogtum-lauenburg",
    ],
)
def test_kommune_takes_the_slug_the_iri_and_the_page_path(http, value):
    response = http.get("/api/massnahmen", params={"kommune": value})
    assert response.status_code == 200, response.text
    assert {r["kommune"] for r in response.json()["data"]} == {LAUENBURG}
    themen = http.get("/api/kommune_themen", params={"kommune": value})
    assert themen.status_code == 200


def test_what_the_api_answers_is_accepted_back(http):
    record = http.get("/api/kommunen?bundesland=DE-SH").json()["data"][0]
    for key in ("kommune", "kommune_page"):
        one = http.get("/api/kommune", params={"kommune": record[key]})
        assert one.status_code == 200 and one.json()["data"][0]["kommune"] == LAUENBURG
    for key in ("cluster", "cluster_page"):
        same = http.get("/api/kommunen", params={"cluster": record[key]}).json()["data"]
        assert LAUENBURG in {r["kommune"] for r in same}


def test_an_iri_of_another_kind_is_still_refused(http):
    other = "https://w3id.org/kinderschutz-kg/id/bundesland/DE-SH"
    refused(http.get("/api/massnahmen", params={"kommune": other}), "kommune")


def test_multi_valued_fields_are_arrays(http):
    data = http.get("/api/massnahmen").json()["data"]
    assert all(isinstance(r["themenfelder"], list) for r in data)
    assert any(len(r["themenfelder"]) > 0 for r in data)
    assert all(r["themenfelder"] == sorted(r["themenfelder"]) for r in data)
    bremen = http.get("/api/kommune?kommune=stadtgemeinde-bremen").json()["data"][0]
    assert all(isinstance(o["sektoren"], list) for o in bremen["organisationen"])
    assert all(isinstance(t["themenfelder"], list) for t in bremen["themen"])


def test_csv_joins_multi_valued_fields(http):
    json_rows = http.get("/api/massnahmen").json()["data"]
    rows = list(csv.DictReader(io.StringIO(http.get("/api/massnahmen?format=csv").text)))
    assert [r["themenfelder"] for r in rows] == ["; ".join(r["themenfelder"]) for r in json_rows]


def test_every_field_and_parameter_is_described_in_openapi(http):
    spec = http.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        if not path.startswith("/api/") or "get" not in item:
            continue
        operation = item["get"]
        for param in operation.get("parameters", []):
            assert param.get("description"), (path, param["name"])
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        for name, prop in schema["properties"].items():
            assert prop.get("description"), (path, name)
        data = schema["properties"]["data"]
        for name, prop in data.get("items", {}).get("properties", {}).items():
            assert prop.get("description"), (path, name)
    massnahmen = spec["paths"]["/api/massnahmen"]["get"]["responses"]["200"]
    fields = massnahmen["content"]["application/json"]["schema"]["properties"]["data"]["items"]
    assert fields["properties"]["themenfelder"]["type"] == "array"


def test_id_with_accept_json_is_json_ld(http):
    response = http.get(
        "/id/kommune/kreis-herzogtum-lauenburg", headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    document = json.loads(response.text)
    text = json.dumps(document)
    assert LAUENBURG in text and "@id" in text


def test_the_index_describes_fields_and_known_parameters(http):
    listed = {e["name"]: e for e in http.get("/api").json()["queries"]}
    fields = {f["name"]: f for f in listed["massnahmen"]["fields"]}
    assert fields["themenfelder"]["type"] == "array"
    assert all(f["description"] for f in fields.values())
    params = {p["name"]: p for p in listed["massnahmen"]["params"]}
    assert params["bundesland"]["known"] == "ksk:Bundesland"
