"""The server's own queries (api/engine/rq/) on a real pyoxigraph store."""

from __future__ import annotations

import pyoxigraph as ox

from api.engine.own_queries import rq

THESAURUS = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix t: <https://w3id.org/kinderschutz-kg/id/> .
t:scheme a skos:ConceptScheme .
t:a skos:inScheme t:scheme ; skos:prefLabel "Cooperation and networks"@en,
    "Kooperation und Netzwerke"@de .
t:b skos:inScheme t:scheme ; skos:broader t:a ; skos:prefLabel "Zukunft"@en-GB, "Zukunft"@de .
t:c skos:inScheme t:scheme ; skos:prefLabel "ohne Sprache" .
"""


def test_narrower_gives_the_german_label_of_every_concept():
    """Regression (issue 13): the tree mixed languages (a sample over every prefLabel)."""
    store = ox.Store()
    store.load(THESAURUS.encode(), ox.RdfFormat.TURTLE)
    scheme = ox.NamedNode("https://w3id.org/kinderschutz-kg/id/scheme")
    for _ in range(5):  # SAMPLE's choice may vary; the German label must win every time
        rows = store.query(rq("narrower"), substitutions={ox.Variable("_iri"): scheme})
        labels = {row["concept"].value.rsplit("/", 1)[1]: row["label"] for row in rows}
        assert labels["a"] == ox.Literal("Kooperation und Netzwerke", language="de")
        assert labels["b"] == ox.Literal("Zukunft", language="de")
        assert labels["c"] == ox.Literal("ohne Sprache")
