"""Give every node of a SHACL report an IRI, so a release has no blank nodes (DESIGN.md, "IRIs").

A sh:ValidationResult becomes ``…/id/validierung/<h>`` where h is the first 16 hex digits of the
SHA-256 of its focus node, path, shape, constraint component, value and messages, so the same
finding gets the same IRI in every build. The report itself becomes ``…/id/validierung/bericht``.
Any other blank node (a complex sh:resultPath) is named after the hash of its description.
"""

from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kskg.namespaces import GRAPH, ID, bind_prefixes

REPORT_IRI = ID["validierung/bericht"]
_RESULT_FIELDS = (
    SH.focusNode,
    SH.resultPath,
    SH.sourceShape,
    SH.sourceConstraintComponent,
    SH.value,
)


def skolemize_report(report: Graph) -> Graph:
    """A copy of `report` without blank nodes, as the graph ``…/graph/validierung``."""
    names: dict[BNode, URIRef] = {}
    for node in report.subjects(RDF.type, SH.ValidationReport):
        if isinstance(node, BNode):
            names[node] = REPORT_IRI
    for node in report.subjects(RDF.type, SH.ValidationResult):
        if isinstance(node, BNode):
            names[node] = ID["validierung/" + _hash16(_result_key(report, node))]
    skolem = Graph(identifier=GRAPH.validierung)
    bind_prefixes(skolem.namespace_manager)
    for s, p, o in report:
        skolem.add((_name(report, s, names), p, _name(report, o, names)))
    return skolem


def _name(report: Graph, node: Node, names: dict[BNode, URIRef]) -> Node:
    if not isinstance(node, BNode):
        return node
    if node not in names:
        names[node] = ID["validierung/" + _hash16(_describe(report, node))]
    return names[node]


def _result_key(report: Graph, result: BNode) -> str:
    """focusNode|resultPath|sourceShape|sourceConstraintComponent|value|message(s)."""
    parts = [
        " ".join(sorted(_describe(report, value) for value in report.objects(result, field)))
        for field in _RESULT_FIELDS
    ]
    parts.append(" ".join(sorted(m.n3() for m in report.objects(result, SH.resultMessage))))
    return "|".join(parts)


def _describe(report: Graph, node: Node, depth: int = 0) -> str:
    """A canonical text for a term; a blank node is described by its outgoing triples."""
    if not isinstance(node, BNode):
        return node.n3()
    if depth > 20:  # report paths are shallow; this only guards against a cyclic graph
        return "[…]"
    pairs = sorted(
        f"{p.n3()} {_describe(report, o, depth + 1)}" for p, o in report.predicate_objects(node)
    )
    return "[" + "; ".join(pairs) + "]"


def _hash16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
