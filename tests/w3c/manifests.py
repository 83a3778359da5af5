"""Reading W3C test manifests (https://w3c.github.io/rdf-tests/sparql/): query-evaluation entries
and protocol requests, from a folder laid out like the w3c/rdf-tests repository.

File IRIs are `BASE` + the path inside that layout (where the suite is published), so test
identities and graph names do not depend on where the copy lives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

BASE = "https://w3c.github.io/rdf-tests/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

QUERY_MANIFESTS = [
    "sparql/sparql10/manifest-evaluation.ttl",
    "sparql/sparql11/manifest-sparql11-query.ttl",
]
PROTOCOL_MANIFEST = "sparql/sparql11/protocol/manifest.ttl"

_FROM = re.compile(r"FROM\s+(?:NAMED\s+)?<([^>]*)>", re.IGNORECASE)


def relative(iri: URIRef | str) -> str:
    """The path inside the suite of a file IRI."""
    assert str(iri).startswith(BASE), iri
    return str(iri)[len(BASE) :]


def parse_manifest(root: Path, manifest: str) -> Graph:
    return Graph().parse(root / manifest, format="turtle", publicID=BASE + manifest)


def _list(graph: Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


@dataclass(frozen=True)
class EvaluationTest:
    """A qt:QueryEvaluationTest: the query file, its default-graph files (qt:data) and named
    graphs (qt:graphData, named by their file IRI), all as paths inside the suite."""

    iri: str
    manifest: str
    query: str
    data: tuple[str, ...]
    graph_data: tuple[str, ...]

    @property
    def id(self) -> str:
        """`<suite>/<folder>/<entry name>`, e.g. `sparql10/basic/base-prefix-1`."""
        folder = self.manifest.removeprefix("sparql/").rsplit("/", 1)[0]
        return f"{folder}/{self.iri.rsplit('#', 1)[1]}"

    def files(self) -> list[str]:
        return [self.query, *self.data, *self.graph_data]

    def query_text(self, root: Path) -> str:
        """The query with its own IRI as BASE, so relative IRIs resolve identically wherever
        it runs (in-process or through the endpoint, whose own base is its URL)."""
        text = (root / self.query).read_text("utf-8")
        return f"BASE <{BASE}{self.query}>\n{text}"

    def from_graphs(self, root: Path) -> list[str]:
        """Files named by FROM / FROM NAMED that exist in the suite (relative to the query)."""
        text = (root / self.query).read_text("utf-8")
        folder = self.query.rsplit("/", 1)[0]
        found = []
        for name in _FROM.findall(text):
            path = relative(name) if name.startswith(BASE) else f"{folder}/{name}"
            if "://" not in name or name.startswith(BASE):
                found.append(path)
        return [p for p in found if (root / p).is_file()]


def included_manifests(root: Path, manifest: str) -> list[str]:
    """`manifest` and every manifest it includes, transitively."""
    graph = parse_manifest(root, manifest)
    found = [manifest]
    for included in graph.objects(None, MF.include):
        for entry in _list(graph, included):
            found += included_manifests(root, relative(entry))
    return found


def evaluation_tests(root: Path, manifest: str) -> list[EvaluationTest]:
    """Every query-evaluation entry reachable from `manifest` through mf:include."""
    graph = parse_manifest(root, manifest)
    tests = []
    for included in graph.objects(None, MF.include):
        for entry in _list(graph, included):
            tests += evaluation_tests(root, relative(entry))
    for head in graph.objects(None, MF.entries):
        for entry in _list(graph, head):
            if (entry, RDF.type, MF.QueryEvaluationTest) in graph:
                tests.append(_evaluation_test(graph, entry, manifest))
    return tests


def _evaluation_test(graph: Graph, entry, manifest: str) -> EvaluationTest:
    action = graph.value(entry, MF.action)
    return EvaluationTest(
        iri=str(entry),
        manifest=manifest,
        query=relative(graph.value(action, QT.query)),
        data=tuple(sorted(relative(d) for d in graph.objects(action, QT.data))),
        graph_data=tuple(sorted(relative(d) for d in graph.objects(action, QT.graphData))),
    )


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_status: frozenset[str]  # "2xx", "3xx", "4xx", ...
    expected_format: str | None  # "boolean", "tabular", "RDF"
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    graph_data: dict[str, str]  # graph IRI -> file path inside the suite
    requests: list[ProtocolRequest]


def protocol_tests(root: Path) -> list[ProtocolTest]:
    graph = parse_manifest(root, PROTOCOL_MANIFEST)
    entries = _list(graph, graph.value(URIRef(BASE + PROTOCOL_MANIFEST), MF.entries))
    return [_protocol_test(graph, entry) for entry in entries]


def _protocol_test(graph: Graph, entry) -> ProtocolTest:
    data = {
        str(graph.value(d, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))): relative(
            graph.value(d, UT.graph)
        )
        for d in graph.objects(entry, UT.graphData)
    }
    action = graph.value(entry, MF.action)
    requests = [_request(graph, r) for r in _list(graph, graph.value(action, HT.requests))]
    return ProtocolTest(str(entry).rsplit("#", 1)[1], data, requests)


def _request(graph: Graph, node) -> ProtocolRequest:
    headers = {
        str(graph.value(h, HT.fieldName)): str(graph.value(h, HT.fieldValue))
        for h in _list(graph, graph.value(node, HT.headers))
    }
    body = graph.value(node, HT.body)
    encoded = None
    if body is not None:
        encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
        encoded = str(graph.value(body, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    return ProtocolRequest(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)),
        headers=headers,
        body=encoded,
        expected_status=frozenset(
            str(s).rsplit("StatusCode", 1)[1] for s in graph.objects(response, MF.expectedStatus)
        ),
        expected_format=str(fmt) if fmt is not None else None,
        expected_boolean=boolean.toPython() if boolean is not None else None,
    )
