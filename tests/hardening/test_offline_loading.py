"""Loading and validation never fetch anything: owl:imports are not followed, XML entities in
literals are not resolved, files other than Turtle are not read, pySHACL does not import shapes
from the web and is stopped at its time limit. Each input names a TCP listener on 127.0.0.1,
which must see no connection."""

from __future__ import annotations

import shutil
import time
from contextlib import suppress
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kskg.settings import Settings
from loaders.sources import load_sources
from loaders.validation import ValidationFailed, Validator, merged_graph

SETTINGS = Settings()


def imports_and_entities(url: str) -> str:
    """Turtle with owl:imports of the listener and an XML literal with an external entity."""
    return f"""
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<urn:x:evil> a owl:Ontology ; owl:imports <{url}/ontology.ttl> ;
  rdfs:comment "<!DOCTYPE x [<!ENTITY e SYSTEM '{url}/entity'>]><x>&e;</x>"^^rdf:XMLLiteral .
"""


def assert_no_connection(listener) -> None:
    time.sleep(0.3)  # a connection attempt, had there been one, would have arrived by now
    assert listener.connections == []


@pytest.fixture()
def hostile_ontology(tmp_path: Path, listener) -> Path:
    folder = tmp_path / "ontology"
    shutil.copytree(SETTINGS.ontology_dir, folder)
    (folder / "zz-imports.ttl").write_text(imports_and_entities(listener.url), "utf-8")
    (folder / "remote-context.jsonld").write_text(
        f'{{"@context": "{listener.url}/context.jsonld", "@id": "urn:x:a", "p": 1}}', "utf-8"
    )
    (folder / "entity.rdf").write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{listener.url}/xxe">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>',
        "utf-8",
    )
    return folder


@pytest.mark.slow
def test_loading_follows_no_import_and_resolves_no_entity(hostile_ontology, listener):
    result = load_sources(SETTINGS.data_dir, hostile_ontology)
    imports = list(result.dataset.quads((None, OWL.imports, None, None)))
    assert any(str(q[2]).startswith(listener.url) for q in imports)  # read, not followed
    assert (URIRef("urn:x:a"), None, None) not in merged_graph(result.dataset)  # .jsonld unread
    assert_no_connection(listener)


def test_validation_imports_no_shapes_from_the_web(tmp_path, listener):
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "shapes.ttl").write_text(
        imports_and_entities(listener.url)
        + """
@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:x:shape> a sh:NodeShape ; sh:targetClass <urn:x:C> ;
  sh:property [ sh:path <urn:x:p> ; sh:minCount 1 ] .
""",
        "utf-8",
    )
    data = Graph()
    data.add((URIRef("urn:x:a"), RDF.type, URIRef("urn:x:C")))
    data.add((URIRef("urn:x:a"), OWL.imports, URIRef(listener.url + "/data.ttl")))
    with Validator(shapes) as validator:
        outcome = validator.validate(data, timeout_s=60)
    assert outcome.count(URIRef("http://www.w3.org/ns/shacl#Violation")) == 1
    assert_no_connection(listener)


def test_validation_stops_at_its_time_limit():
    data = Graph()
    for index in range(20_000):
        data.add((URIRef(f"urn:x:n{index}"), RDF.type, URIRef("urn:x:C")))
    with Validator(SETTINGS.shapes_dir) as validator, pytest.raises(ValidationFailed) as failed:
        validator.validate(data, timeout_s=0.01)
    assert "exceeded" in str(failed.value)


def test_rdflib_does_not_resolve_external_entities_in_rdf_xml(listener):
    """Should RDF/XML ever be loaded: rdflib's parser does not fetch external entities."""
    document = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{listener.url}/xxe">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:x="urn:x:"><rdf:Description rdf:about="urn:x:a"><x:p>&e;</x:p>'
        "</rdf:Description></rdf:RDF>"
    )
    # Refusing the document is as good as ignoring the entity.
    with suppress(Exception):
        Graph().parse(data=document, format="xml")
    assert_no_connection(listener)
