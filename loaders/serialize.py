"""Byte-stable serialisations of a release dataset (DESIGN.md, "Release layout").

rdflib iterates graphs and JSON-LD nodes in hash order, which changes with PYTHONHASHSEED, so
everything here sorts: N-Quads and N-Triples lines, TriG graphs, JSON-LD graphs, nodes and values.
TriG, Turtle and N-Triples are written by pyoxigraph from sorted quads, so insertion order never
shows in a file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD

from kskg.compat import jsonld_writer, nquads_row
from kskg.namespaces import GRAPH, PREFIXES, bind_prefixes
from kskg.release import DUMPS

_nq_row = nquads_row()
from_rdf, Context = jsonld_writer()

_JSONLD_CONTEXT = Context(dict(PREFIXES))


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
    if not _is_named(graph):
        return
    target = dataset.graph(graph.identifier)
    target.addN((*_canonical(triple), target) for triple in graph)


def _is_named(graph: Graph) -> bool:
    """A non-empty graph with an IRI other than the dataset's default graph."""
    name = graph.identifier
    return isinstance(name, URIRef) and name != DATASET_DEFAULT_GRAPH_ID and len(graph) > 0


def named_graphs(dataset: Dataset) -> list[Graph]:
    """The non-empty named graphs of `dataset`, sorted by IRI."""
    return sorted((g for g in dataset.graphs() if _is_named(g)), key=lambda g: g.identifier)


def nquads_lines(graphs: Iterable[Graph]) -> list[str]:
    """Sorted, de-duplicated N-Quads lines (each ending in a newline) of `graphs`."""
    # rdflib's own row writer (kskg/compat.py): reusing it keeps rdflib's escaping.
    return sorted({_nq_row(triple, graph.identifier) for graph in graphs for triple in graph})


def canonical_nquads(dataset: Dataset, exclude: frozenset[URIRef] = frozenset()) -> str:
    """Canonical N-Quads: every named graph not in `exclude`, lines sorted, UTF-8 order."""
    kept = (g for g in named_graphs(dataset) if g.identifier not in exclude)
    return "".join(nquads_lines(kept))


class Prepared:
    """A canonical dataset, its merge and the per-graph parts of the dumps, built graph by graph.

    The build adds the data graphs while pySHACL runs in its child process, then the report and
    the metadata; only what needs every graph at once (TriG, Turtle, sorting) is left for the end.
    """

    def __init__(self) -> None:
        self.dataset = canonical_dataset([])
        self.union = Graph()
        bind_prefixes(self.union.namespace_manager)
        self._nquads: dict[URIRef, list[str]] = {}
        self._jsonld: dict[URIRef, dict] = {}

    def add(self, graph: Graph) -> None:
        """Add a named graph that is not in the dataset yet (empty graphs are skipped)."""
        if not _is_named(graph):
            return
        add_graph(self.dataset, graph)
        canonical = self.dataset.graph(graph.identifier)
        self.union += canonical
        self._nquads[graph.identifier] = nquads_lines([canonical])
        self._jsonld[graph.identifier] = _jsonld_entry(canonical)

    def version(self) -> str:
        """The release version: the first 16 hex digits of the SHA-256 of the canonical
        N-Quads of every graph but metadaten, from the parts."""
        lines = (line for g, part in self._nquads.items() if g != GRAPH.metadaten for line in part)
        return hashlib.sha256("".join(sorted(lines)).encode("utf-8")).hexdigest()[:16]

    def nquads(self) -> str:
        return "".join(sorted(line for part in self._nquads.values() for line in part))

    def jsonld(self) -> str:
        return _jsonld_document(self._jsonld.values())


def write_dumps(prepared: Prepared, folder: Path) -> list[Path]:
    """Write every format of DUMPS and its .gz into `folder`; returns the files written."""
    nquads = prepared.nquads()
    texts = {
        "nq": nquads,
        "trig": trig(nquads),
        "ttl": turtle(nquads),
        "nt": ntriples(nquads),
        "jsonld": prepared.jsonld(),
    }
    written: list[Path] = []
    for key, (name, _media_type) in DUMPS.items():
        written += write_with_gzip(folder / name, texts[key])
    return written


# TriG, Turtle and N-Triples come from pyoxigraph's writers fed in sorted order: about 20× faster
# than rdflib's, and the same bytes on every run. JSON-LD keeps rdflib's compaction with the
# project @context, prepared graph by graph while validation runs.


def trig(nquads: str) -> str:
    """TriG of canonical N-Quads: graphs in IRI order, then subject, predicate, object."""
    return _oxigraph_text(sorted(_quads(nquads), key=_quad_key), ox.RdfFormat.TRIG)


def turtle(nquads: str) -> str:
    """Turtle of the merged (de-duplicated) graphs of canonical N-Quads, sorted."""
    return _oxigraph_text(_merged_triples(_quads(nquads)), ox.RdfFormat.TURTLE)


def ntriples(nquads: str) -> str:
    """N-Triples of the merged (de-duplicated) graphs of canonical N-Quads, sorted."""
    return _oxigraph_text(_merged_triples(_quads(nquads)), ox.RdfFormat.N_TRIPLES)


def _quads(nquads: str) -> list[ox.Quad]:
    return list(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


def _quad_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def _merged_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _oxigraph_text(statements: list, fmt: ox.RdfFormat) -> str:
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE) else None
    return ox.serialize(statements, format=fmt, prefixes=prefixes).decode("utf-8")


def write_with_gzip(path: Path, text: str) -> list[Path]:
    """Write `text` (UTF-8, one trailing newline) to `path` and a reproducible `path`.gz."""
    data = text.rstrip("\n").encode("utf-8") + b"\n"
    path.write_bytes(data)
    gz = path.with_name(path.name + ".gz")
    # gzip.compress writes no file name; mtime=0 makes the header independent of the clock.
    gz.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return [path, gz]


def jsonld(dataset: Dataset) -> str:
    """JSON-LD 1.1: one top-level entry per named graph ({"@id": graph, "@graph": [...]}),
    with an inline @context of the project prefixes; nodes and values in a stable order."""
    return _jsonld_document(_jsonld_entry(graph) for graph in named_graphs(dataset))


def _jsonld_document(entries: Iterable[dict]) -> str:
    ordered = sorted(entries, key=lambda entry: entry["@id"])
    document = {"@context": dict(PREFIXES), "@graph": ordered}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)


def _jsonld_entry(graph: Graph) -> dict:
    """{"@id": graph IRI (compacted), "@graph": its node objects sorted by @id}."""
    document = from_rdf(graph, context_data=dict(PREFIXES))
    document.pop("@context", None)
    # from_rdf returns the nodes under "@graph", a lone node as the document itself.
    nodes = document.get("@graph", [document] if document else [])
    return {
        "@id": _JSONLD_CONTEXT.shrink_iri(str(graph.identifier)),
        "@graph": sorted((_sorted_node(node) for node in nodes), key=lambda n: n["@id"]),
    }


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
