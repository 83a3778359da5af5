"""The `suche` route from the release's full-text index (api/curated/search.py,
kskg/search_index.py): the resources queries/suche.rq finds, ranked; words and phrases."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest

from api.curated.registry import load_queries
from api.curated.search import parts, search_index
from api.engine.oxigraph_store import load_nquads
from api.engine.values_binding import bind_values
from kskg.release import current_release
from kskg.search_index import SEARCH_DB
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


def test_a_short_label_ranks_ahead_of_a_long_text(release):
    # bm25: the same word weighs more in a short text.
    found = search_index(release).results("familien")["results"]["bindings"]
    assert found[0]["treffer"]["value"] == "Beteiligung von Familien"


@pytest.mark.parametrize("q", ["00\x00", "familien \x00x", '"\x00', "ab\x00cd"])
def test_a_nul_character_matches_nothing_and_fails_nothing(release, q):
    assert search_index(release).results(q)["results"]["bindings"] == []


def test_parts_reads_words_and_phrases():
    assert parts('Netz "Hilfen für Familien" ÄMTER') == ["netz", "hilfen für familien", "ämter"]
    assert parts('"unclosed phrase') == ["unclosed phrase"]
    assert parts('""  ') == []


def test_a_release_without_an_index_is_searched_by_suche_rq(tmp_path):
    build_dir = tmp_path / "build"
    publish_trig(SAMPLE, build_dir)
    (current_release(build_dir).path / SEARCH_DB).unlink()
    with LiveServer.serving(Settings(build_dir=build_dir)) as server:
        data = httpx.get(server.url + "/api/suche", params={"q": "FAMILIEN"}).json()["data"]
    assert "Beteiligung von Familien" in {r["treffer"] for r in data}
