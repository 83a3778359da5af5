"""Byte-stable serialisations of a release dataset (DESIGN.md, "Release layout").

rdflib iterates graphs and JSON-LD nodes in hash order, which changes with PYTHONHASHSEED, so
everything here sorts: N-Quads and N-Triples lines, TriG graphs, JSON-LD graphs, nodes and values.
Within a graph rdflib's Turtle/TriG writer sorts by itself (subjects, predicates, objects,
prefixes), so insertion order never shows in a file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.plugins.serializers.nquads import _nq_row
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.plugins.serializers.trig import TrigSerializer

from kskg.namespaces import GRAPH, PREFIXES, bind_prefixes
from kskg.release import DUMPS


def canonical_dataset(graphs: Iterable[Graph]) -> Dataset:
    """A dataset of copies of the non-empty named `graphs` in canonical form:
    ``"x"^^xsd:string`` becomes the simple literal ``"x"`` (the same RDF 1.1 term; canonical
    N-Quads omit the datatype) and the project prefixes are bound. Every writer below takes such
    a dataset."""
    result = Dataset()
    bind_prefixes(result.namespace_manager)
    for graph in graphs:
        add_graph(result, graph)
    return result


def add_graph(dataset: Dataset, graph: Graph) -> None:
    """Add the triples of the named `graph` to `dataset` in canonical form (see above)."""
    if not isinstance(graph.identifier, URIRef) or not len(graph):
        return
    target = dataset.graph(graph.identifier)
    target.addN((*_canonical(triple), target) for triple in graph)


def named_graphs(dataset: Dataset) -> list[Graph]:
    """The non-empty named graphs of `dataset`, sorted by IRI."""
    graphs = [g for g in dataset.graphs() if isinstance(g.identifier, URIRef) and len(g)]
    default = dataset.default_graph.identifier
    return sorted((g for g in graphs if g.identifier != default), key=lambda g: g.identifier)


def nquads_lines(graphs: Iterable[Graph]) -> list[str]:
    """Sorted, de-duplicated N-Quads lines (each ending in a newline) of `graphs`."""
    # _nq_row/_nt_row are rdflib's own row writers; reusing them keeps rdflib's escaping.
    return sorted({_nq_row(triple, graph.identifier) for graph in graphs for triple in graph})


def canonical_nquads(dataset: Dataset, exclude: frozenset[URIRef] = frozenset()) -> str:
    """Canonical N-Quads: every named graph not in `exclude`, lines sorted, UTF-8 order."""
    kept = (g for g in named_graphs(dataset) if g.identifier not in exclude)
    return "".join(nquads_lines(kept))


def release_version(dataset: Dataset) -> str:
    """First 16 hex digits of the SHA-256 of the canonical N-Quads of all graphs but metadaten.

    `dataset` must come from `canonical_dataset`, so that equal RDF gives equal versions."""
    text = canonical_nquads(dataset, exclude=frozenset({GRAPH.metadaten}))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def merged(dataset: Dataset) -> Graph:
    """The de-duplicated union of all named graphs, with the project prefixes bound."""
    graph = Graph()
    bind_prefixes(graph.namespace_manager)
    for named in named_graphs(dataset):
        graph += named
    return graph


def write_dumps(dataset: Dataset, union: Graph, folder: Path) -> list[Path]:
    """Write every format of DUMPS and its .gz into `folder`; returns the files written.

    `dataset` comes from canonical_dataset, `union` is merged(dataset)."""
    texts = {
        "nq": canonical_nquads(dataset),
        "trig": trig(dataset),
        "ttl": union.serialize(format="turtle"),
        "nt": "".join(sorted({_nt_row(triple) for triple in union})),
        "jsonld": jsonld(dataset),
    }
    written: list[Path] = []
    for key, (name, _media_type) in DUMPS.items():
        written += write_with_gzip(folder / name, texts[key])
    return written


def write_with_gzip(path: Path, text: str) -> list[Path]:
    """Write `text` (UTF-8, one trailing newline) to `path` and a reproducible `path`.gz."""
    data = text.rstrip("\n").encode("utf-8") + b"\n"
    path.write_bytes(data)
    gz = path.with_name(path.name + ".gz")
    # gzip.compress writes no file name; mtime=0 makes the header independent of the clock.
    gz.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return [path, gz]


def trig(dataset: Dataset) -> str:
    """TriG of every named graph of a canonical dataset, graphs in IRI order."""
    return _serialize_with(_SortedTrigSerializer(dataset))


def jsonld(dataset: Dataset) -> str:
    """JSON-LD 1.1: one top-level entry per named graph ({"@id": graph, "@graph": [...]}),
    with an inline @context of the project prefixes; nodes and values in a stable order."""
    ordered = Dataset()
    for graph in named_graphs(dataset):
        target = ordered.graph(graph.identifier)
        target += graph
    document = from_rdf(ordered, context_data=dict(PREFIXES))
    document.pop("@context", None)
    # from_rdf returns a lone graph as the document itself, several graphs under "@graph".
    entries = [document] if "@id" in document else document.get("@graph", [])
    entries = sorted((_sorted_entry(entry) for entry in entries), key=lambda e: e["@id"])
    result = {"@context": dict(PREFIXES), "@graph": entries}
    return json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True)


def _sorted_entry(entry: dict) -> dict:
    nodes = [_sorted_node(node) for node in entry.get("@graph", [])]
    entry["@graph"] = sorted(nodes, key=lambda n: n["@id"])
    return entry


def _sorted_node(node: dict) -> dict:
    def order(values):
        if not isinstance(values, list):
            return values
        return sorted(values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))

    return {key: order(values) for key, values in node.items()}


def _canonical(triple):
    s, p, o = triple
    if isinstance(o, Literal) and o.datatype == XSD.string:
        o = Literal(str(o))
    return s, p, o


class _SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG writer with the graphs in IRI order instead of the store's hash order."""

    def __init__(self, store: Dataset):
        super().__init__(store)
        self.contexts.sort(key=lambda graph: str(graph.identifier))


def _serialize_with(serializer: TrigSerializer) -> str:
    stream = BytesIO()
    serializer.serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")
