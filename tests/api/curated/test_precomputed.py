"""Curated answers precomputed by the build (kskg/curated_answers.py) are what the worker would
have answered: every curated route, in every representation, gives the same bytes on the real
release with its `answers/` folder and on a copy without it; and a parameterless route is
answered without a query job."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from api.curated.params import bind_params
from api.curated.precomputed import StoredGraph, StoredRecords, as_json, graph_body
from api.curated.registry import load_queries
from api.curated.service import CuratedService
from api.engine.oxigraph_store import OxigraphStore
from kskg.curated_answers import ANSWERS, ReleaseAnswers, deflate_segment, precomputable
from kskg.release import current_release
from kskg.settings import Settings
from tests.support.live_server import LiveServer

QUERIES = load_queries(Settings().queries_dir)


def _urls() -> list[str]:
    """Every curated route: bare (or with its required examples), each optional filter's
    example alone, and a second page where the route is paged."""
    urls = ["/"]
    for query in QUERIES.values():
        required = "&".join(f"{p.name}={p.example}" for p in query.params if p.required)
        base = f"/api/{query.name}?{required}"
        urls.append(base)
        urls += [f"{base}&{p.name}={p.example}" for p in query.params if not p.required]
        if query.pagination is not None:
            urls.append(f"{base}&limit=3&offset=2")
    return urls


#: (Accept, Accept-Encoding, extra query string): every representation of a curated route.
VARIANTS = [
    ("application/json", "identity", ""),
    ("text/csv", "identity", ""),
    ("*/*", "identity", "&format=csv"),
    ("*/*", "gzip", ""),
]


@pytest.fixture(scope="module")
def without_answers(real_settings: Settings, tmp_path_factory) -> Iterator[LiveServer]:
    """The real release, copied without its precomputed answers (as a release built before
    them), served by its own server."""
    build_dir = tmp_path_factory.mktemp("no-answers") / "build"
    release = current_release(real_settings.build_dir)
    target = build_dir / "releases" / release.path.name
    shutil.copytree(release.path, target, ignore=shutil.ignore_patterns(ANSWERS))
    (build_dir / "current").symlink_to(Path("releases") / release.path.name)
    with LiveServer.serving(Settings(build_dir=build_dir)) as server:
        yield server


def test_the_real_release_has_answers(real_settings: Settings) -> None:
    answers = ReleaseAnswers.open(current_release(real_settings.build_dir).path)
    assert set(answers.entries) == {q.name for q in QUERIES.values() if precomputable(q)}


def test_every_route_and_representation_is_byte_identical(
    real_server: LiveServer, without_answers: LiveServer
) -> None:
    compared = 0
    with (
        httpx.Client(base_url=real_server.url, timeout=60) as precomputed,
        httpx.Client(base_url=without_answers.url, timeout=60) as evaluated,
    ):
        for url in _urls():
            for accept, coding, extra in VARIANTS:
                if url == "/" and extra:
                    continue
                # One Host for both servers: pages write absolute links from the request's.
                headers = {"Accept": accept, "Accept-Encoding": coding, "Host": "kskg.test"}
                want = evaluated.get(url + extra, headers=headers)
                got = precomputed.get(url + extra, headers=headers)
                where = f"{url}{extra} ({accept}, {coding})"
                assert got.status_code == want.status_code, where
                assert got.headers.get("content-type") == want.headers.get("content-type")
                assert got.headers.get("content-encoding") == want.headers.get("content-encoding")
                assert got.content == want.content, where
                compared += got.status_code == 200
    assert compared > 100


class _Counted:
    """The real in-process store of the release, counting the jobs it runs."""

    def __init__(self, store: OxigraphStore) -> None:
        self.store, self.jobs = store, []

    async def execute(self, job, spent=None):
        self.jobs.append(job.query)
        return await self.store.execute(job, spent)


def test_a_parameterless_query_is_answered_without_a_job(real_settings: Settings) -> None:
    release = current_release(real_settings.build_dir)
    counted = _Counted(OxigraphStore(release))
    service = CuratedService(QUERIES)
    answers = ReleaseAnswers.open(release.path)
    for query in QUERIES.values():
        if precomputable(query):
            bound = bind_params(query, {})
            asyncio.run(service.fetch(counted.execute, "v", query, bound, answers))
    assert counted.jobs == []
    kommune = QUERIES["kommune"]
    bound = bind_params(kommune, {"kommune": "kreis-herzogtum-lauenburg"})
    asyncio.run(service.fetch(counted.execute, "v", kommune, bound, answers))
    assert len(counted.jobs) == 1 + len(kommune.sections)  # bound: evaluated as before


def test_an_edited_query_is_evaluated_not_answered_from_the_file(real_settings: Settings):
    release = current_release(real_settings.build_dir)
    answers = ReleaseAnswers.open(release.path)
    sparql = QUERIES["statistik"].sparql
    assert answers.get("statistik", sparql) is not None
    assert answers.get("statistik", sparql + "\n# edited\n") is None
    assert answers.get("kommune", QUERIES["kommune"].sparql) is None


def test_a_stored_graph_is_gzip_coded_around_its_stored_deflate_segment() -> None:
    edges = [{"source": f"s{i}", "target": f"t{i % 97}", "relation": "r"} for i in range(20000)]
    nodes = [{"id": f"s{i}", "label": f"Kommune {i}", "type": "Kommune"} for i in range(20000)]
    stored = orjson.dumps({"nodes": nodes, "edges": edges})
    graph = StoredGraph(stored, len(edges), deflate_segment(stored))
    body = {"data": graph, "total": graph.count, "query": {"sparql_url": "/x?a=1"}, "links": {}}
    written, coded = graph_body(body, graph)
    assert written == orjson.dumps(body, default=as_json)
    assert gzip.decompress(coded) == written
    assert zlib.decompress(coded, wbits=31) == written  # one member, as browsers read it
    assert graph_body(body, StoredGraph(stored, len(edges))) == (written, None)


def test_stored_records_are_read_and_written_as_stored() -> None:
    records = [{"a": i, "b": [f"x{i}"], "c": None, "d": 1.5} for i in range(5)]
    stored = StoredRecords(b"\n".join(orjson.dumps(r) for r in records))
    assert len(stored) == 5 and stored[1:3] == records[1:3] and stored[-1] == records[-1]
    assert list(stored) == records
    assert orjson.dumps({"data": stored}, default=as_json) == orjson.dumps({"data": records})
    assert len(StoredRecords(b"")) == 0
