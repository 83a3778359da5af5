"""`RemoteStore`: the `QueryStore` of a release held by a remote engine, over the SPARQL 1.1
Protocol (https://www.w3.org/TR/sparql11-protocol/#query-operation) with httpx.

Our guarantees do not depend on the engine's:

- The dataset is spelled out in every request (§2.1.4): `default-graph-uri` is the slot's merge
  graph of the release and `named-graph-uri` each release graph (kskg/store_layout.py), unless
  the client's query names its own dataset (FROM / FROM NAMED) or the client gave the dataset
  parameters itself. No engine's implicit default graph is used.
- SERVICE, LOAD and updates are refused before anything is sent (api/engine/query_guard.py).
- The deadline is ours: the engine is asked to stop after `store_engine_timeout_s` (a server
  flag for Oxigraph, a request parameter for Fuseki and Virtuoso) and the whole exchange is
  abandoned after `query_timeout_s`, answering 503. The answer is complete before a status is
  sent to the client, so a late, cut or corrupted engine body becomes a 503, never a 200 that
  breaks off (api/engine/remote_reading.py).
- Result limits are counted while the answer streams in: at `max + 1` solutions or triples the
  rest is not read, and the cut is marked exactly as the embedded store marks it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from api.engine.query_guard import decode_escapes, refusal
from api.engine.query_job import Answer, Outcome, Purpose, QueryJob, Triples, own_query
from api.engine.query_run import read_answer
from api.engine.remote_reading import (
    ACCEPT,
    ACCEPT_ANY,
    ACCEPT_BY_KIND,
    RAW_BYTES_FACTOR,
    LineReader,
    broken_answer,
    parse_answer,
    query_form,
)
from api.engine.result_writing import write_result
from api.engine.values_binding import bind_values
from api.errors import ApiError
from kskg.settings import Settings
from kskg.store_layout import NO_GRAPH, default_graph

#: How each engine is told its own timeout per request (Oxigraph: `--timeout-s` when started).
TIMEOUT_PARAMETER = {"fuseki": ("timeout", 1.0), "virtuoso": ("timeout", 1000.0)}
_ERROR_TEXT = 500
FORM = "application/x-www-form-urlencoded"


class RemoteStore:
    """One release in one slot of a remote engine (`endpoint` is the slot's query URL). With
    `version` "" it asks the slot's whole dataset as it is (the layout's own queries)."""

    def __init__(
        self,
        settings: Settings,
        endpoint: str,
        version: str,
        graphs: Sequence[str],
        client: httpx.AsyncClient,
        sync_client: httpx.Client,
    ) -> None:
        self.version = version
        self.endpoint = endpoint
        self._graphs = sorted(graphs)
        self._settings = settings
        self._client = client
        self._sync = sync_client

    def named_graphs(self) -> list[str]:
        return list(self._graphs)

    async def execute(self, job: QueryJob, spent=None) -> Outcome:
        """Run a client's query on the engine and write its whole answer; raises ApiError."""
        if job.guard and (refused := refusal(job.query, self._graphs, job.base_iri)) is not None:
            raise refused
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._settings.query_timeout_s):
                media_type, body = await self._fetch(job)
            return write_result(self._parsed(media_type, body, started), job)
        except TimeoutError:
            raise self._timeout() from None
        finally:
            if spent is not None:
                spent(time.perf_counter() - started)

    async def _fetch(self, job: QueryJob) -> tuple[str, bytes]:
        body, headers = self._request(job)
        try:
            async with self._client.stream(
                "POST", self.endpoint, content=body, headers=headers
            ) as response:
                if response.status_code != 200:
                    await response.aread()
                    raise engine_refusal(response)
                self._refuse_partial(response)
                reader = self._reader(job, response)
                async for chunk in response.aiter_bytes():
                    reader.feed(chunk)
                    if reader.full:
                        break
                return reader.media_type, reader.body()
        except httpx.HTTPError as error:
            raise unreachable(error) from None

    async def query_async(self, sparql: str, **options) -> Answer:
        """The server's own fixed query (`QueryStore.query`), awaited on the event loop."""
        job = own_query(sparql, **options)
        try:
            async with asyncio.timeout(self._settings.query_timeout_s):
                media_type, body = await self._fetch(job)
        except TimeoutError:
            raise self._timeout() from None
        return _as_answer(media_type, body)

    def query(self, sparql: str, **options) -> Answer:
        """`query_async` for a thread that is not the event loop's (pages, in a threadpool)."""
        job = own_query(sparql, **options)
        body, headers = self._request(job)
        deadline = time.monotonic() + self._settings.query_timeout_s
        try:
            with self._sync.stream("POST", self.endpoint, content=body, headers=headers) as answer:
                if answer.status_code != 200:
                    answer.read()
                    raise engine_refusal(answer)
                self._refuse_partial(answer)
                reader = self._reader(job, answer)
                for chunk in answer.iter_bytes():
                    reader.feed(chunk)
                    if time.monotonic() > deadline:
                        raise self._timeout()
                return _as_answer(reader.media_type, reader.body())
        except httpx.TimeoutException:
            raise self._timeout() from None
        except httpx.HTTPError as error:
            raise unreachable(error) from None

    def _request(self, job: QueryJob) -> tuple[bytes, dict[str, str]]:
        """The body (an HTML form, §2.1.2) and headers of the protocol request for `job`."""
        text = bind_values(job.query, dict(job.substitutions))
        if job.base_iri:
            text = f"BASE {ox.NamedNode(job.base_iri)}\n{text}"
        form = [("query", text)]
        if job.default_graph is not None or job.named_graphs is not None:
            form += _dataset(job.default_graph or (default_graph(self.version),), job.named_graphs)
        elif self.version and not _names_dataset(job.query, job.base_iri):
            form += _dataset((default_graph(self.version),), self._graphs)
        parameter = TIMEOUT_PARAMETER.get(self._settings.store_kind)
        if parameter is not None:
            name, unit = parameter
            form.append((name, f"{self._settings.store_engine_timeout_s * unit:g}"))
        accepts = ACCEPT_BY_KIND.get(self._settings.store_kind, ACCEPT)
        accept = accepts.get(query_form(decode_escapes(job.query)), ACCEPT_ANY)
        return urlencode(form).encode("ascii"), {"Accept": accept, "Content-Type": FORM}

    def _reader(self, job: QueryJob, response: httpx.Response) -> LineReader:
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        limits = job.limits
        max_bytes = None if limits.bytes is None else limits.bytes * RAW_BYTES_FACTOR
        if job.purpose is not Purpose.SPARQL:
            return LineReader(media_type, None, None)
        items = limits.rows if media_type == "text/tab-separated-values" else limits.triples
        return LineReader(media_type, items, max_bytes)

    def _refuse_partial(self, response: httpx.Response) -> None:
        """Virtuoso answers its own timeout with 200, the rows found so far and an
        `X-SQL-State` (S1TAT); any SQL state on a 200 means the answer is not the whole one."""
        state = response.headers.get("x-sql-state")
        if state == "S1TAT":
            raise self._timeout()
        if state:
            raise broken_answer(f"the engine reported SQL state {state} with it")

    def _parsed(self, media_type: str, body: bytes, started: float):
        """`parse_answer`; a broken answer that came once the engine's own timeout had passed
        is that timeout (an engine that already sent 200 can only end the body with a note,
        e.g. Oxigraph's "The SPARQL operation has been cancelled")."""
        try:
            return parse_answer(media_type, body)
        except ApiError as error:
            late = time.perf_counter() - started >= self._settings.store_engine_timeout_s
            if error.code == "engine_answer_broken" and late:
                raise self._timeout() from None
            raise

    def _timeout(self) -> ApiError:
        timeout = self._settings.query_timeout_s
        return ApiError(
            503,
            "query_timeout",
            f"the query did not finish within {timeout:g} s and was stopped; narrow it "
            "(LIMIT, more specific patterns) or download the data",
            retry_after=max(1, round(timeout)),
            timeout_s=timeout,
        )


def _dataset(default: Sequence[str], named: Sequence[str] | None) -> list[tuple[str, str]]:
    fields = [("default-graph-uri", graph) for graph in default]
    if named is not None:
        fields += [("named-graph-uri", graph) for graph in (named or (NO_GRAPH,))]
    return fields


def _names_dataset(query: str, base_iri: str | None) -> bool:
    """True if the query has FROM or FROM NAMED (its own dataset, SPARQL 1.1 §13.2)."""
    if "from" not in decode_escapes(query).lower():
        return False
    # Imported here: rdflib's parser costs start-up time, and only FROM queries need it.
    from api.engine import query_reading

    try:
        return bool(query_reading.read(query, base_iri).dataset_iris)
    except query_reading.Unreadable:
        return False


def _as_answer(media_type: str, body: bytes) -> Answer:
    result = parse_answer(media_type, body)
    return result if isinstance(result, Triples) else read_answer(result)


def engine_refusal(response: httpx.Response) -> ApiError:
    """A 400 for a query the engine could not parse, else a 503 naming the engine's status."""
    text = response.text[:_ERROR_TEXT].strip()
    if response.status_code == 400:
        return ApiError(400, "malformed_query", f"malformed query: {text}")
    return ApiError(
        503, "engine_failed", f"the SPARQL engine answered {response.status_code}: {text}"
    )


def unreachable(error: httpx.HTTPError) -> ApiError:
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError):
        return broken_answer(f"its transfer broke off ({error})")
    message = f"the SPARQL engine cannot be reached: {error}"
    return ApiError(503, "engine_unavailable", message, retry_after=5)
