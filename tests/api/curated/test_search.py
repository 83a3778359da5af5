"""The `suche` route from the release's full-text index (api/curated/search.py,
kskg/search_index.py): the resources queries/suche.rq finds, ranked; words and phrases; a page
and the exact total."""

from __future__ import annotations

import sqlite3

import httpx
import pyoxigraph as ox
import pytest

from api.curated.registry import load_queries
from api.curated.search import SearchIndex, parts, search_index
from api.engine.oxigraph_store import load_nquads
from api.engine.values_binding import bind_values
from kskg.release import current_release
from kskg.search_index import SEARCH_DB, write_store_index
from kskg.settings import PROJECT_ROOT, Settings
from tests.api.conftest import SAMPLE
from tests.support.live_server import LiveServer
from tests.support.release_fixture import publish_trig

SUCHE = load_queries(PROJECT_ROOT / "queries")["suche"]
SAMPLE_WORDS = ["familien", "FAMILIEN", "sommerfest", "netz", "ko", "körper", "Jugendamt", "zz"]


@pytest.fixture(scope="module")
def release(sample_settings):
    return current_release(sample_settings.build_dir)


@pytest.mark.parametrize("q", SAMPLE_WORDS)
def test_the_index_finds_what_suche_rq_finds(release, q):
    store = load_nquads(release.dump_path("nq"))
    sparql = bind_values(SUCHE.sparql, {"_q": ox.Literal(q)})
    expected = {s["ressource"].value for s in store.query(sparql)}
    found = search_index(release).results(q)["results"]["bindings"]
    assert {b["ressource"]["value"] for b in found} == expected


def test_words_must_all_occur_and_a_phrase_as_written(http):
    def found(q: str) -> list[str]:
        return [r["treffer"] for r in http.get("/api/suche", params={"q": q}).json()["data"]]

    assert found("familien beteiligung") == ["Beteiligung von Familien"]
    assert found('"von familien"') == ["Beteiligung von Familien"]
    assert found('"familien von"') == []
    assert found("familien xyzzy") == []


@pytest.mark.parametrize("q", ["der", "kinder", "en", "ko", "der kinder", "en ko"])
def test_ranked_by_the_shortest_matching_text_then_type_label_iri(release, q):
    store = load_nquads(release.dump_path("nq"))
    texts: dict[str, list[str]] = {}
    for quad in store.quads_for_pattern(None, None, None):
        if quad.predicate.value.rsplit("#", 1)[-1] in ("label", "prefLabel", "altLabel", "text"):
            texts.setdefault(quad.subject.value, []).append(quad.object.value.lower())

    def shortest(iri: str) -> int:
        return min(len(t) for t in texts[iri] if all(w in t for w in parts(q)))

    found = search_index(release).results(q)["results"]["bindings"]
    keys = [
        (shortest(b["ressource"]["value"]), b.get("typ", {}).get("value", ""),
         b.get("label", {}).get("value", ""), b["ressource"]["value"])
        for b in found
    ]  # fmt: skip
    assert found and keys == sorted(keys)


def test_a_page_comes_with_the_exact_total(http):
    def get(**params) -> dict:
        return http.get("/api/suche", params={"q": "der", **params}).json()

    every = get(limit=500)
    assert every["total"] == len(every["data"]) > 3
    page = get(limit=2, offset=1)
    assert page["total"] == every["total"] and page["data"] == every["data"][1:3]
    past = get(limit=2, offset=every["total"] + 5)
    assert past["data"] == [] and past["total"] == every["total"]
    assert "prev" in past["links"] and "next" not in past["links"]


def test_a_short_label_ranks_ahead_of_a_long_text(release):
    # bm25: the same word weighs more in a short text.
    found = search_index(release).results("familien")["results"]["bindings"]
    assert found[0]["treffer"]["value"] == "Beteiligung von Familien"


def test_two_characters_are_looked_up_one_character_is_checked(tmp_path):
    store, graph = ox.Store(), ox.NamedNode("https://w3id.org/kinderschutz-kg/graph/test")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for name, text in [("a", "Ko"), ("b", "Kommune"), ("c", "Bako"), ("d", "Kaffee")]:
        subject = ox.NamedNode("https://w3id.org/kinderschutz-kg/id/test/" + name)
        store.add(ox.Quad(subject, label, ox.Literal(text, language="de"), graph))
    write_store_index(store, tmp_path / SEARCH_DB)
    index = SearchIndex(tmp_path / SEARCH_DB)

    def found(q: str) -> list[str]:
        return [b["label"]["value"] for b in index.results(q)["results"]["bindings"]]

    assert found("KO") == ["Ko", "Bako", "Kommune"]  # a whole text of two characters too
    assert found("ff k") == ["Kaffee"] and found("e k") == ["Kaffee", "Kommune"]
    assert found("xq") == [] and found("ko xq") == []


@pytest.mark.parametrize("q", ["00\x00", "familien \x00x", '"\x00', "ab\x00cd"])
def test_a_nul_character_matches_nothing_and_fails_nothing(release, q):
    assert search_index(release).results(q)["results"]["bindings"] == []


def test_parts_reads_words_and_phrases():
    assert parts('Netz "Hilfen für Familien" ÄMTER') == ["netz", "hilfen für familien", "ämter"]
    assert parts('"unclosed phrase') == ["unclosed phrase"]
    assert parts('""  ') == []


def _older_layout(path) -> None:
    path.unlink()
    with sqlite3.connect(path) as db:  # the first index: one table, no user_version
        db.execute("CREATE VIRTUAL TABLE texts USING fts5(text, ressource UNINDEXED)")
    db.close()


@pytest.mark.parametrize("change", [lambda path: path.unlink(), _older_layout])
def test_a_release_without_an_index_of_this_layout_is_searched_by_suche_rq(tmp_path, change):
    build_dir = tmp_path / "build"
    publish_trig(SAMPLE, build_dir)
    change(current_release(build_dir).path / SEARCH_DB)
    assert search_index(current_release(build_dir)) is None
    with LiveServer.serving(Settings(build_dir=build_dir)) as server:
        data = httpx.get(server.url + "/api/suche", params={"q": "FAMILIEN"}).json()["data"]
    assert "Beteiligung von Familien" in {r["treffer"] for r in data}
