"""The SPARQL Service Description answered by a GET on the endpoint without a query.

Vocabulary: https://www.w3.org/TR/sparql11-service-description/ (§3 classes, §3.4 features).
Described: the endpoint (§3.2.1 sd:endpoint, the URL the request came to), the languages
(queries only; no sd:SPARQL11Update), every result format (api/media.py, as W3C formats
registry IRIs), the
simple entailment regime, and the dataset (§3.2.13 sd:defaultDataset): its default graph
and one sd:namedGraph per named graph of the release, each with its triple count.

Not claimed: sd:UnionDefaultGraph (the default graph is the de-duplicated merge stored once,
not the union of the named graphs evaluated on the fly, and protocol datasets replace it),
sd:BasicFederatedQuery (SERVICE is refused), sd:DereferencesURIs (FROM never fetches).
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from api.engine.own_queries import rq
from api.engine.store import QueryStore
from api.media import GRAPHS, SOLUTIONS, Representation
from kskg.namespaces import DCTERMS, FORMATS, RDF, SD, VOID, XSD

RDF_TYPE = ox.NamedNode(RDF + "type")
PREFIXES = {"sd": str(SD), "formats": str(FORMATS), "void": str(VOID), "dcterms": str(DCTERMS)}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _count(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def _graph_sizes(store: QueryStore) -> tuple[int, dict[str, int]]:
    default = next(iter(store.query(rq("default_graph_size"))))["n"]
    named = store.query(rq("named_graph_sizes"))
    return int(default.value), {row["g"].value: int(row["n"].value) for row in named}


def _dataset(store: QueryStore) -> tuple[ox.BlankNode, list[ox.Triple]]:
    dataset, default_graph = ox.BlankNode(), ox.BlankNode()
    default_size, sizes = _graph_sizes(store)
    triples = [
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, ox.NamedNode(DCTERMS + "hasVersion"), ox.Literal(store.version)),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(default_graph, ox.NamedNode(VOID + "triples"), _count(default_size)),
    ]
    for name in store.named_graphs():
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(name)),
            ox.Triple(named, _sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, _sd("Graph")),
            ox.Triple(graph, ox.NamedNode(VOID + "triples"), _count(sizes.get(name, 0))),
        ]
    return dataset, triples


def description(store: QueryStore, endpoint: str) -> list[ox.Triple]:
    """The service description of `store` served at `endpoint`, as triples."""
    service = ox.BlankNode()
    dataset, dataset_triples = _dataset(store)
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL10Query")),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(
            service,
            _sd("defaultEntailmentRegime"),
            ox.NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
        ox.Triple(service, _sd("defaultDataset"), dataset),
    ]
    triples += [
        ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + rep.w3c))
        for rep in SOLUTIONS + GRAPHS
    ]
    return triples + dataset_triples


@lru_cache(maxsize=16)
def serialized_description(store: QueryStore, endpoint: str, rep: Representation) -> bytes:
    """The description written as `rep` (one of api.media.DESCRIPTION); cached per store, as a
    served store never changes."""
    return ox.serialize(description(store, endpoint), format=rep.writer, prefixes=PREFIXES)
