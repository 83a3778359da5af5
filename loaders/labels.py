"""Labels derived from text: short labels of long items, cluster labels."""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kskg.vocab import KSK
from loaders import iris

MAX_LABEL = 120
ELLIPSIS = "…"


def short_label(text: str, limit: int = MAX_LABEL) -> str:
    """The text itself if it fits, else cut at a word boundary to at most ``limit`` chars + "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut[: limit - len(ELLIPSIS)]
    return head.rstrip(" ,;:–-") + ELLIPSIS


def add_cluster(graph: Graph, number: int) -> URIRef:
    """A Kinderschutzcluster with its number and its German and English labels."""
    node = iris.cluster(number)
    graph.add((node, RDF.type, KSK.Cluster))
    graph.add((node, KSK.nummer, Literal(number, datatype=XSD.integer)))
    graph.add((node, RDFS.label, Literal(f"Kinderschutzcluster {number}", lang="de")))
    graph.add((node, RDFS.label, Literal(f"Child protection cluster {number}", lang="en")))
    graph.add((node, KSK.projekt, iris.PROJEKT))
    return node
