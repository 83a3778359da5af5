"""IRI minting for everything the loaders create (docs/DESIGN.md, "IRIs").

Every resource IRI the loaders emit comes from a function here, built on
`kskg.namespaces.slug`, so the rules live in one place.
"""

from __future__ import annotations

from rdflib import URIRef

from kskg.namespaces import GRAPH, ID, slug

PROJEKT = ID["projekt/aus-fehlern-lernen"]


def kommune(canonical_name: str) -> URIRef:
    """A Kommune or other Gebietskörperschaft, by its canonical (reference) name."""
    return ID[f"kommune/{slug(canonical_name)}"]


def bundesland(iso_code: str) -> URIRef:
    """A Bundesland by its ISO 3166-2 code, e.g. ``DE-SH``."""
    return ID[f"bundesland/{iso_code}"]


def cluster(number: int) -> URIRef:
    return ID[f"cluster/{number}"]


def cluster_ohne_nummer(modellkommune_name: str) -> URIRef:
    """A cluster whose number no source gives, by its Modellkommune's canonical name:
    ``cluster/modell-<slug>``, e.g. ``cluster/modell-stadt-witten`` (never ``cluster/<n>``)."""
    return ID[f"cluster/modell-{slug(modellkommune_name)}"]


def erwaehnung(kommune_slug: str, written: str) -> URIRef:
    """A Kommune name listed in the profile of ``kommune_slug`` that resolves to no reference
    row: ``erwaehnung/<kommune-slug>/<slug(name as written)>``."""
    return ID[f"erwaehnung/{kommune_slug}/{slug(written)}"]


def organisation(name: str, kommune_slug: str | None = None) -> URIRef:
    """An organisation named in a profile (scoped by its Kommune) or at project level."""
    if kommune_slug is None:
        return ID[f"organisation/{slug(name)}"]
    return ID[f"organisation/{kommune_slug}/{slug(name)}"]


def person(name: str) -> URIRef:
    """A person named in a source (the minister quoted, the project leads)."""
    return ID[f"person/{slug(name)}"]


def thema(kommune_slug: str, kind: str, path: tuple[int, ...]) -> URIRef:
    """``kind`` is ``zentral`` or ``interesse``; ``path`` (1, 2) names sub-bullet 2 of item 1."""
    return ID[f"thema/{kommune_slug}/{kind}-{'-'.join(map(str, path))}"]


def massnahme(kommune_slug: str, path: tuple[int, ...]) -> URIRef:
    return ID[f"massnahme/{kommune_slug}/{'-'.join(map(str, path))}"]


def besonderheit(kommune_slug: str, number: int) -> URIRef:
    return ID[f"besonderheit/{kommune_slug}/{number}"]


def befund(number: int) -> URIRef:
    return ID[f"befund/{number}"]


def ereignis(label: str) -> URIRef:
    """An event by its label, e.g. "Abschlussveranstaltung 2010-11-12"."""
    return ID[f"ereignis/{slug(label)}"]


def zitat(ereignis_iri: URIRef, number: int) -> URIRef:
    """A quotation spoken at an event, numbered in document order."""
    return URIRef(f"{ereignis_iri}/zitat/{number}")


def einwohner(kommune_slug: str, number: int) -> URIRef:
    return ID[f"einwohner/{kommune_slug}/{number}"]


def quelldokument(stem: str) -> URIRef:
    return ID[f"dokument/{stem}"]


def fundstelle(stem: str, first: int, last: int | None = None) -> URIRef:
    """``dokument/<stem>#L<first>`` or ``dokument/<stem>#L<first>-L<last>``."""
    if last is None or last == first:
        return ID[f"dokument/{stem}#L{first}"]
    return ID[f"dokument/{stem}#L{first}-L{last}"]


def klassifikation(item: URIRef, concept: URIRef) -> URIRef:
    """``<item>/klassifikation/<concept-slug>``; the concept slug is its last path segment."""
    concept_slug = str(concept).rstrip("/").rsplit("/", 1)[-1]
    return URIRef(f"{item}/klassifikation/{concept_slug}")


def fussnote(item: URIRef, number: int) -> URIRef:
    """``<item>/fussnote/<n>``: the n-th footnote of an item, in the order of its markers."""
    return URIRef(f"{item}/fussnote/{number}")


def graph(name: str) -> URIRef:
    """A named graph, e.g. ``graph("referenz/kommunen")`` or ``graph("dokument/000_…")``."""
    return GRAPH[name]


def homepage(website: str) -> URIRef:
    """``www.x.de`` as written in a source -> ``http://www.x.de/``."""
    site = website.strip().rstrip("/")
    if not site.startswith(("http://", "https://")):
        site = "http://" + site
    return URIRef(site + "/")
