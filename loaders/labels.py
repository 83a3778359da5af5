"""Labels derived from text: short labels of long items, cluster labels."""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kskg.vocab import KSK
from loaders import iris
from loaders.name_forms import PREFIXES

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


def add_cluster_ohne_nummer(graph: Graph, modellkommune_name: str) -> URIRef:
    """A Kinderschutzcluster whose number no source gives: named after its Modellkommune, with
    no ksk:nummer (the shapes report the gap as an info)."""
    node = iris.cluster_ohne_nummer(modellkommune_name)
    short = short_kommune_name(modellkommune_name)
    graph.add((node, RDF.type, KSK.Cluster))
    graph.add((node, RDFS.label, Literal(f"Kinderschutzcluster {short} (Nummer unbekannt)", "de")))
    graph.add(
        (node, RDFS.label, Literal(f"Child protection cluster {short} (number unknown)", "en"))
    )
    graph.add((node, KSK.projekt, iris.PROJEKT))
    return node


def short_kommune_name(name: str) -> str:
    """A Kommune's name without its official prefix: "Stadt Witten" -> "Witten"."""
    for prefix, _kind in PREFIXES:
        if name.lower().startswith(prefix + " ") and len(name) > len(prefix) + 1:
            return name[len(prefix) + 1 :]
    return name
