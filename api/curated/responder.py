"""Answer one request to a curated route: negotiate, validate, look up or compute, render.

Rendered responses are memoised per data version by (query, query string, Accept), so a
dashboard polling the same URL gets stored bytes after one validation-free dictionary lookup.
A large rendered body (`GZIP_FROM` bytes and more, e.g. the whole network at a million triples:
several MiB) is also kept gzip-coded, compressed once when it is rendered, and sent coded to a
client that accepts gzip: moving the plain body over the wire was what its latency was.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field

import orjson
from fastapi import Request
from fastapi.responses import Response

from api.curated import envelope
from api.curated.known import check_known
from api.curated.params import bind_params, describe_bindings, single_values
from api.curated.precomputed import StoredGraph, as_json, graph_body, release_answers
from api.curated.records import columns, render_csv
from api.curated.registry import CuratedQuery
from api.curated.search import SEARCH_QUERY, search_index
from api.curated.service import CuratedService
from api.http.content_coding import accepts_gzip
from api.http.served import Served
from api.http.urls import Urls
from api.media import CSV, JSON, RECORDS, negotiate
from api.sparql.execution import execute

#: Bodies from this size on are kept gzip-coded too (smaller ones gain little on the wire).
GZIP_FROM = 64 * 1024


@dataclass(frozen=True)
class Rendered:
    # Bodies stay out of the repr: a repr of several MiB (asyncio writes one of a task's
    # result in some paths) cost the network route a third of a second at 1M.
    body: bytes = field(repr=False)
    media_type: str
    headers: dict[str, str]
    gzipped: bytes | None = field(default=None, repr=False)  # the body gzip-coded, if large

    @classmethod
    def of(
        cls, body: bytes, media_type: str, headers: dict[str, str], gzipped: bytes | None = None
    ) -> Rendered:
        """The response `body`, and for a large one its gzip coding: `gzipped` if the caller
        has it already (api/curated/precomputed.py `graph_body`), else compressed here."""
        if len(body) < GZIP_FROM:
            return cls(body, media_type, headers)
        # Both codings of the response vary by Accept-Encoding, so a cache keeps them apart.
        headers = {**headers, "Vary": headers["Vary"] + ", Accept-Encoding"}
        coded = gzipped or gzip.compress(body, compresslevel=6, mtime=0)
        return cls(body, media_type, headers, coded)


async def respond(service: CuratedService, query: CuratedQuery, request: Request, served: Served):
    key = (query.name, str(request.url.query), request.headers.get("accept", ""))
    rendered = service.responses.get(served.version, key)
    if rendered is None:
        rendered = await _render(service, query, request, served)
        service.responses.put(served.version, key, rendered)
    if rendered.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding")):
        headers = {**rendered.headers, "Content-Encoding": "gzip"}
        return Response(rendered.gzipped, media_type=rendered.media_type, headers=headers)
    return Response(rendered.body, media_type=rendered.media_type, headers=rendered.headers)


async def _render(service, query: CuratedQuery, request: Request, served: Served) -> Rendered:
    raw = single_values(request.query_params.multi_items())
    rep = negotiate(request.headers.get("accept"), RECORDS, [raw.get("format") or ""])
    bound = bind_params(query, raw, service.root)
    headers = {"Vary": "Accept"}
    if raw.get("explain") not in (None, "", "0"):
        body = orjson.dumps(explain(service, query, bound, served))
        return Rendered(body, JSON.media_type, headers)
    page = envelope.read_page(query, raw)

    def run(job):
        return execute(request, served.store, job)

    await check_known(run, service.results, served.version, query, bound)
    total = None  # the search answers the page asked for, and the total apart
    if query.name == SEARCH_QUERY and page is not None:
        result, total = await search_page(service, run, served, query, bound, page)
    else:
        answers = release_answers(served.release, service.root)
        result = await service.fetch(run, served.version, query, bound, answers)
    # Under the public base's path prefix, as every link (api/http/urls.py).
    path = Urls.for_request(request, served.settings).path(f"api/{query.name}")
    return render(query, result, page, served.version, path, raw, rep, total)


def render(
    query: CuratedQuery, result, page, version: str, path: str, raw: dict, rep, total=None
) -> Rendered:
    """The response to a request for `result` (a page of it, as `rep`; with `total`, `result`
    is already that page); what a route's first request costs besides computing the result
    (bench/scale_worker.py times both)."""
    headers = {"Vary": "Accept"}
    body = envelope.body(query, result, page, version, path, raw, total)
    if body["links"]:
        headers["Link"] = envelope.link_header(body["links"])
    if rep is CSV:
        headers["Content-Disposition"] = f'inline; filename="{query.name}.csv"'
        rows = body["data"]["edges"] if query.shape == "graph" else body["data"]
        names = (
            ["source", "target", "relation"] if query.shape == "graph" else columns(query.fields)
        )
        return Rendered.of(render_csv(rows, names), CSV.content_type, headers)
    if isinstance(result, StoredGraph):
        written, coded = graph_body(body, result)
        return Rendered.of(written, JSON.media_type, headers, gzipped=coded)
    return Rendered.of(orjson.dumps(body, default=as_json), JSON.media_type, headers)


async def search_page(
    service: CuratedService, run, served: Served, query: CuratedQuery, bound, page: envelope.Page
) -> tuple[list[dict], int]:
    """One page of `suche`'s records and how many there are in all: from the release's
    full-text index, or from suche.rq for a release built without one."""
    index = search_index(served.release)
    if index is not None:
        return await service.search(index, served.version, query, bound, page)
    records = await service.fetch(run, served.version, query, bound)
    return records[page.offset : page.offset + page.limit], len(records)


def explain(service: CuratedService, query: CuratedQuery, bound, served: Served) -> dict:
    """The SPARQL text and the RDF terms bound to its parameter variables (not run)."""
    sections = {
        key: {"name": name, "sparql": service.queries[name].sparql}
        for key, name in query.sections.items()
    }
    return {
        "query": {
            "name": query.name,
            "file": f"queries/{query.path.name}",
            "sparql": query.sparql,
            "bindings": describe_bindings(bound),
            "sections": sections,
        },
        "version": served.version,
        "note": "parameters are bound as RDF terms in a VALUES block opening the query's "
        "top-level group, each term serialised by the RDF library, never spliced in as text; "
        "unbound parameter variables mean 'no filter'",
    }
