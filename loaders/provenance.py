"""Quelldokument and Fundstelle nodes: where in which file a statement comes from.

A Fundstelle is identified by its document and line range (``dokument/<stem>#L33-L35``), so two
statements read from the same lines share one node; its ``ksk:zitat`` is the lines verbatim.
"""

from __future__ import annotations

import hashlib

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, XSD

from kskg.vocab import KSK
from loaders import iris
from loaders.diagnostics import SourceError
from loaders.text_normalise import editor_lines


def add_quelldokument(graph: Graph, stem: str, file_name: str, data: bytes, kind: str) -> URIRef:
    """Describe an input file: its name, SHA-256, line count and kind ("Profil", …)."""
    node = iris.quelldokument(stem)
    lines = len(editor_lines(data.decode("utf-8")))
    graph.add((node, RDF.type, KSK.Quelldokument))
    graph.add((node, DCTERMS.identifier, Literal(file_name)))
    graph.add((node, RDFS.label, Literal(file_name)))
    graph.add((node, KSK.sha256, Literal(hashlib.sha256(data).hexdigest())))
    graph.add((node, KSK.zeilen, Literal(lines, datatype=XSD.integer)))
    graph.add((node, DCTERMS.type, Literal(kind)))
    return node


class Provenance:
    """Adds Fundstellen of one document to a graph and links nodes to them."""

    def __init__(self, graph: Graph, stem: str, path: str, lines: tuple[str, ...]) -> None:
        self.graph = graph
        self.stem = stem
        self.path = path
        self.lines = lines

    def fundstelle(self, first: int, last: int | None = None) -> URIRef:
        """The Fundstelle of lines first..last (1-based, inclusive), added on first use."""
        last = first if last is None else last
        if not 1 <= first <= last <= len(self.lines):
            raise SourceError(self.path, first, f"lines {first}-{last} are outside the file")
        node = iris.fundstelle(self.stem, first, last)
        if (node, RDF.type, KSK.Fundstelle) not in self.graph:
            self.graph.add((node, RDF.type, KSK.Fundstelle))
            self.graph.add((node, KSK.dokument, iris.quelldokument(self.stem)))
            self.graph.add((node, KSK.zeile, Literal(first, datatype=XSD.integer)))
            self.graph.add((node, KSK.bisZeile, Literal(last, datatype=XSD.integer)))
            self.graph.add((node, KSK.zitat, Literal("\n".join(self.lines[first - 1 : last]))))
        return node

    def derive(self, node: URIRef, first: int, last: int | None = None) -> URIRef:
        """State ``node prov:wasDerivedFrom`` the Fundstelle of these lines; returns it."""
        fundstelle = self.fundstelle(first, last)
        self.graph.add((node, PROV.wasDerivedFrom, fundstelle))
        return fundstelle
