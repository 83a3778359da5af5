"""Serialisation and skolemisation on small hand-made graphs (real rdflib and pySHACL)."""

from __future__ import annotations

import hashlib
import random

import pyshacl
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.namespace import RDF, SH, XSD

from kskg.namespaces import GRAPH, ID, KSK
from loaders.serialize import (
    canonical_dataset,
    canonical_nquads,
    jsonld,
    ntriples,
    trig,
    turtle,
)
from loaders.skolemize import REPORT_IRI, skolemize_report

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ksk: <https://w3id.org/kinderschutz-kg/ontology#> .
@prefix ksks: <https://w3id.org/kinderschutz-kg/shapes#> .
ksks:Massnahme a sh:NodeShape ; sh:targetClass ksk:Massnahme ; sh:property ksks:Massnahme-status .
ksks:Massnahme-status sh:path ksk:status ; sh:in ( ksk:umgesetzt ksk:geplant ) ;
    sh:message "Status ist umgesetzt oder geplant"@de .
"""


def triples() -> list[tuple]:
    found = []
    for n in range(1, 6):
        item = ID[f"massnahme/x/{n}"]
        found += [
            (item, RDF.type, KSK.Massnahme),
            (item, KSK.position, Literal(n)),
            (item, KSK.text, Literal(f"Maßnahme »{n}«\nzweite Zeile", lang="de")),
            (item, KSK.status, KSK.vielleicht if n == 3 else KSK.geplant),
            (item, KSK.anmerkung, Literal("a", datatype=XSD.string)),
        ]
    return found


def dataset_in_order(seed: int) -> Dataset:
    rows = [(t, name) for name in ("dokument/b", "dokument/a") for t in triples()]
    random.Random(seed).shuffle(rows)
    dataset = Dataset()
    for triple, name in rows:
        dataset.graph(GRAPH[name]).add(triple)
    return canonical_dataset(dataset.graphs())


def test_output_does_not_depend_on_insertion_order() -> None:
    first, second = dataset_in_order(1), dataset_in_order(2)
    assert canonical_nquads(first) == canonical_nquads(second)
    assert jsonld(first) == jsonld(second)
    for writer in (trig, turtle, ntriples):
        assert writer(canonical_nquads(first)) == writer(canonical_nquads(second))


def test_text_dumps_hold_the_same_statements() -> None:
    nquads = canonical_nquads(dataset_in_order(3))
    source = Dataset()
    source.parse(data=nquads, format="nquads")
    written = Dataset()
    written.parse(data=trig(nquads), format="trig")
    assert set(written.quads()) == set(source.quads())
    merged = {(s, p, o) for s, p, o, _g in source.quads()}
    assert set(Graph().parse(data=turtle(nquads), format="turtle")) == merged
    assert set(Graph().parse(data=ntriples(nquads), format="nt")) == merged


def test_xsd_string_is_written_as_a_simple_literal() -> None:
    nq = canonical_nquads(dataset_in_order(1))
    assert '"a" <' in nq and "XMLSchema#string" not in nq


def report() -> Graph:
    data = Graph()
    for triple in triples():
        data.add(triple)
    _conforms, graph, _text = pyshacl.validate(
        data, shacl_graph=Graph().parse(data=SHAPES, format="turtle")
    )
    return graph


def test_report_nodes_get_stable_content_iris() -> None:
    first, second = skolemize_report(report()), skolemize_report(report())
    assert set(first) == set(second)
    assert first.identifier == GRAPH.validierung
    assert not [t for t in first if any(isinstance(term, BNode) for term in t)]
    assert (REPORT_IRI, RDF.type, SH.ValidationReport) in first
    (result,) = first.subjects(RDF.type, SH.ValidationResult)
    assert (REPORT_IRI, SH.result, result) in first
    key = "|".join(
        [
            ID["massnahme/x/3"].n3(),
            KSK.status.n3(),
            "<https://w3id.org/kinderschutz-kg/shapes#Massnahme-status>",
            SH.InConstraintComponent.n3(),
            KSK.vielleicht.n3(),
            Literal("Status ist umgesetzt oder geplant", lang="de").n3(),
        ]
    )
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    assert result == ID["validierung/" + digest]
