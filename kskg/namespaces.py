"""Namespaces and IRI minting rules (docs/DESIGN.md, "IRIs").

The rules are part of the public contract: queries written today keep working, so every IRI the
loaders mint comes from a function in this module.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import URIRef
    from rdflib.namespace import NamespaceManager


class Namespace(str):
    """An IRI prefix; `NS.name` and `NS["name"]` are the rdflib URIRefs under it (as with
    rdflib's Namespace). rdflib is imported on first use, not with this module: the API's
    HTTP process uses the namespaces only as strings, and importing rdflib took a sixth of
    its start-up. A term got by attribute is kept on the instance, so the loaders' next
    `KSK.name` is a plain attribute lookup."""

    def term(self, name: str) -> URIRef:
        from rdflib import URIRef

        return URIRef(self + name)

    def __getitem__(self, name: str) -> URIRef:
        return self.term(name)

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # copy, pickle and friends probe dunder names
            raise AttributeError(name)
        term = self.__dict__[name] = self.term(name)
        return term


BASE = "https://w3id.org/kinderschutz-kg/"
KSK = Namespace(BASE + "ontology#")
KSKS = Namespace(BASE + "shapes#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
#: The W3C formats registry (https://www.w3.org/ns/formats/).
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: Prefixes bound in every serialisation and pre-declared in the query editor.
PREFIXES: dict[str, str] = {
    "ksk": str(KSK),
    "kskid": str(ID),
    "kskg": str(GRAPH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": str(DCTERMS),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": str(ORG),
    "schema": str(SCHEMA),
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": str(WD),
    "dcat": str(DCAT),
    "void": str(VOID),
}

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(name: str) -> str:
    """Slug of a canonical name: lower case, ä→ae, ö→oe, ü→ue, ß→ss, spaces to '-'.

    Other characters outside [a-z0-9-] are dropped after accent folding, runs of '-' collapse,
    so "Stadt Ludwigshafen am Rhein" -> "stadt-ludwigshafen-am-rhein".
    """
    text = name.strip().lower().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[\s_/]+", "-", text)
    text = re.sub(r"[^a-z0-9-]", "", text)
    return re.sub(r"-{2,}", "-", text).strip("-")


def bind_prefixes(manager: NamespaceManager) -> None:
    """Bind the project prefixes on an rdflib namespace manager (replacing defaults)."""
    for prefix, iri in PREFIXES.items():
        manager.bind(prefix, iri, override=True, replace=True)
