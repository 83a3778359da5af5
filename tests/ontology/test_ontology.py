"""The ontology file: parseable, every ksk: term labelled and defined in German and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.term import BNode

from kskg.namespaces import KSK

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "kinderschutz.ttl"

#: Fixed by the product owner (issue #2): exact spelling, must stay declared.
FIXED_CLASSES = [
    "Kommune",
    "Bundesland",
    "Cluster",
    "Organisation",
    "Thema",
    "Massnahme",
    "Projekt",
]
FIXED_PROPERTIES = {
    "bundesland": OWL.ObjectProperty,
    "cluster": OWL.ObjectProperty,
    "rolle": OWL.ObjectProperty,
    "nummer": OWL.DatatypeProperty,
    "ags": OWL.DatatypeProperty,
    "teilnehmendeOrganisation": OWL.ObjectProperty,
    "zentralesThema": OWL.ObjectProperty,
    "entwicklungsinteresse": OWL.ObjectProperty,
    "massnahme": OWL.ObjectProperty,
    "status": OWL.ObjectProperty,
    "ebene": OWL.ObjectProperty,
}
FIXED_INDIVIDUALS = {
    "Modellkommune": "Rolle",
    "Partnerkommune": "Rolle",
    "umgesetzt": "Status",
    "geplant": "Status",
    "kommunal": "Ebene",
    "clusteruebergreifend": "Ebene",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


def ksk_terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, None) if str(s).startswith(str(KSK))}


def test_fixed_terms_are_declared(ontology: Graph) -> None:
    for name in FIXED_CLASSES:
        assert (KSK[name], RDF.type, OWL.Class) in ontology, f"ksk:{name} must be an owl:Class"
    for name, kind in FIXED_PROPERTIES.items():
        assert (KSK[name], RDF.type, kind) in ontology, f"ksk:{name} must be a {kind}"
    for name, cls in FIXED_INDIVIDUALS.items():
        assert (KSK[name], RDF.type, KSK[cls]) in ontology, f"ksk:{name} must be a ksk:{cls}"
    assert (KSK.nummer, RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#integer")) in ontology


def test_massnahme_label_has_the_sharp_s(ontology: Graph) -> None:
    labels = {
        str(lit) for lit in ontology.objects(KSK.Massnahme, RDFS.label) if lit.language == "de"
    }
    assert labels == {"Maßnahme"}


@pytest.mark.parametrize("predicate", [RDFS.label, SKOS.definition])
def test_every_term_has_german_and_english_text(ontology: Graph, predicate: URIRef) -> None:
    missing = []
    for term in sorted(ksk_terms(ontology)):
        languages = sorted(lit.language or "" for lit in ontology.objects(term, predicate))
        if languages != ["de", "en"]:
            missing.append(f"{term.n3(ontology.namespace_manager)} has {predicate} in {languages}")
    assert not missing, "exactly one @de and one @en expected:\n" + "\n".join(missing)


def test_properties_have_domain_and_range(ontology: Graph) -> None:
    domain_like = [RDFS.domain, URIRef("https://schema.org/domainIncludes")]
    range_like = [RDFS.range, URIRef("https://schema.org/rangeIncludes")]
    problems = []
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            if not str(prop).startswith(str(KSK)):
                continue
            if not any(ontology.value(prop, p) for p in domain_like):
                problems.append(f"{prop} has no domain")
            if not any(ontology.value(prop, p) for p in range_like):
                problems.append(f"{prop} has no range")
    assert not problems, "\n".join(problems)


def test_no_blank_nodes_and_no_imports(ontology: Graph) -> None:
    assert not list(ontology.triples((None, OWL.imports, None)))
    blank = [t for t in ontology if any(isinstance(n, BNode) for n in t)]
    assert not blank, f"blank nodes in the ontology: {blank[:3]}"
