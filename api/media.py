"""The one registry of representations, and the one content negotiation over it.

Every representation the service writes is a `Representation` here: its media type, the other
media types clients send for it, its `format=` short names, pyoxigraph's writer, its file suffix
(the dumps) and its W3C formats-registry name (the service description's sd:resultFormat).
A route offers an `Offer`, representations in the server's order of preference, and calls
`negotiate()` (RFC 9110 §12.5.1 "Accept"); nothing else reads the Accept header or a `format=`
value. A short name means the same wherever it is offered (`format=ntriples` on /sparql, /id/…,
/dumps/dataset); "json" and "xml" are read within the offer: SPARQLWrapper sends them for every
query form, so they mean SPARQL JSON/XML for a result set and JSON-LD/RDF/XML for a graph.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from api.errors import NotAcceptable


@dataclass(frozen=True)
class Representation:
    """One way to write an answer."""

    media_type: str
    names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    writer: ox.RdfFormat | ox.QueryResultsFormat | None = None
    suffix: str | None = None
    w3c: str | None = None

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


# Media type, `format=` names, other media types clients send, writer, file suffix, W3C name.
# fmt: off
SPARQL_JSON = Representation(
    "application/sparql-results+json", ("json", "srj"), ("application/json",),
    ox.QueryResultsFormat.JSON, "srj", "SPARQL_Results_JSON",
)
SPARQL_XML = Representation(
    "application/sparql-results+xml", ("xml", "srx"), ("application/xml", "text/xml"),
    ox.QueryResultsFormat.XML, "srx", "SPARQL_Results_XML",
)
CSV = Representation(
    "text/csv", ("csv",), (), ox.QueryResultsFormat.CSV, "csv", "SPARQL_Results_CSV",
)
TSV = Representation(
    "text/tab-separated-values", ("tsv",), (), ox.QueryResultsFormat.TSV, "tsv",
    "SPARQL_Results_TSV",
)
TURTLE = Representation(
    "text/turtle", ("ttl", "turtle", "n3"), ("application/x-turtle", "application/turtle"),
    ox.RdfFormat.TURTLE, "ttl", "Turtle",
)
NTRIPLES = Representation(
    "application/n-triples", ("nt", "ntriples"), (), ox.RdfFormat.N_TRIPLES, "nt", "N-Triples",
)
RDF_XML = Representation(
    "application/rdf+xml", ("rdfxml", "rdf+xml", "rdf", "xml"), ("application/xml",),
    ox.RdfFormat.RDF_XML, "rdf", "RDF_XML",
)
JSON_LD = Representation(
    "application/ld+json", ("jsonld", "json-ld", "json"), ("application/json",),
    ox.RdfFormat.JSON_LD, "jsonld", "JSON-LD",
)
TRIG = Representation("application/trig", ("trig",), (), ox.RdfFormat.TRIG, "trig", "TriG")
NQUADS = Representation(
    "application/n-quads", ("nq", "nquads"), (), ox.RdfFormat.N_QUADS, "nq", "N-Quads",
)
#: JSON-LD under the plain JSON type, for a client asking for `application/json` on a page.
JSON_LD_AS_JSON = Representation("application/json", (), (), ox.RdfFormat.JSON_LD)
HTML = Representation("text/html", ("html",))
JSON = Representation("application/json", ("json",))
# fmt: on


class Offer:
    """The representations one route offers, best first (the first answers `*/*`).

    Media types are looked up primaries first, then aliases, and a name or alias belongs to
    the first representation that has it, so an alias never displaces an offered type."""

    def __init__(self, *representations: Representation) -> None:
        self.representations = representations
        self.by_type: dict[str, Representation] = {}
        self.by_name: dict[str, Representation] = {}
        for rep in representations:
            self.by_type.setdefault(rep.media_type, rep)
        for rep in representations:
            for alias in rep.aliases:
                self.by_type.setdefault(alias, rep)
            for name in rep.names:
                self.by_name.setdefault(name, rep)

    def __iter__(self) -> Iterator[Representation]:
        return iter(self.representations)

    def __contains__(self, rep: object) -> bool:
        return rep in self.representations

    def __add__(self, other: Offer) -> Offer:
        return Offer(*self.representations, *other.representations)

    def only(self, allowed: frozenset[Representation]) -> Offer:
        return Offer(*(rep for rep in self.representations if rep in allowed))

    def named(self, value: str) -> Representation | None:
        """The representation a `format=` value names: a short name, media type or alias."""
        key = value.strip().lower()
        return self.by_name.get(key) or self.by_type.get(key)

    def by_suffix(self, suffix: str) -> Representation | None:
        return next((rep for rep in self.representations if rep.suffix == suffix), None)


#: SELECT and ASK answers (https://www.w3.org/TR/sparql11-protocol/#query-success).
SOLUTIONS = Offer(SPARQL_JSON, SPARQL_XML, CSV, TSV)
#: CONSTRUCT and DESCRIBE answers (TriG and N-Quads write the graph as the default graph).
GRAPHS = Offer(TURTLE, NTRIPLES, RDF_XML, JSON_LD, TRIG, NQUADS)
#: A resource for people and linked-data clients (/id/…, /ontology): HTML first for browsers;
#: a client asking for plain JSON gets JSON-LD, which is JSON, under the type it asked for.
RESOURCE = Offer(HTML, TURTLE, JSON_LD, NTRIPLES, RDF_XML, TRIG, JSON_LD_AS_JSON)
#: The SPARQL service description.
DESCRIPTION = Offer(TURTLE, RDF_XML, JSON_LD, NTRIPLES)
#: The DCAT page /dataset, and the VoID description.
DATASET = Offer(HTML, TURTLE, JSON_LD, NTRIPLES)
VOID = Offer(TURTLE, JSON_LD, NTRIPLES)
#: The release files under /dumps/ (their names: kskg/release.py DUMPS).
DUMP_FILES = Offer(TRIG, NQUADS, TURTLE, NTRIPLES, JSON_LD)
#: JSON documents that also have a page or a table: the curated routes, the dumps index,
#: the body of a 404.
RECORDS = Offer(JSON, CSV)
INDEX = Offer(JSON, HTML)
#: A page for people that has a JSON form for clients (the indexes /id/<kind>/).
PAGE = Offer(HTML, JSON)


def negotiate(accept: str | None, offer: Offer, formats: Sequence[str] = ()) -> Representation:
    """The representation to answer with.

    The first `formats` value (`format=` parameters; SPARQLWrapper sends a short name and a
    media type) that names an offered representation wins over the Accept header; if values
    are given and none does, 406. Otherwise the offered type with the highest q-value wins,
    ties going to the earlier one. Raises NotAcceptable naming what is offered."""
    values = [value for value in formats if value.strip()]
    for value in values:
        if (rep := offer.named(value)) is not None:
            return rep
    if values:
        names = sorted(offer.by_name)
        raise NotAcceptable(
            list(offer.by_type), f"format={values[0]!r} is not offered; use one of {names}"
        )
    return _by_accept(accept, offer)


@lru_cache(maxsize=512)
def _by_accept(accept: str | None, offer: Offer) -> Representation:
    """`negotiate` by the Accept header alone. Clients send few distinct headers, and ranking
    one cost a worker a tenth of the CPU of a small query; kept per header and offer (an
    unacceptable header raises, which is not kept)."""
    offered = list(offer.by_type)
    ranges = parse_accept(accept)
    best = max(offered, key=lambda m: (quality(m, ranges), -offered.index(m)))
    if quality(best, ranges) <= 0.0:
        raise NotAcceptable(offered, f"none of the offered media types is acceptable: {accept!r}")
    return offer.by_type[best]


def prefers_html(accept: str | None) -> bool:
    """True if the client (a browser) prefers an HTML page to every query result format
    (a tie goes to the data)."""
    ranges = parse_accept(accept)
    html = quality(HTML.media_type, ranges)
    return html > 0.0 and all(html > quality(m, ranges) for m in (SOLUTIONS + GRAPHS).by_type)


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; a missing or empty header accepts anything (`*/*`).

    Malformed entries are skipped rather than rejected, as browsers and old clients send odd
    headers and RFC 9110 lets a server ignore what it cannot parse.
    """
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        kind, sep, sub = media.lower().partition("/")
        if not sep or not kind or not sub:
            continue
        ranges.append(MediaRange(kind, sub, _q_value(params)))
    return ranges


def _q_value(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def quality(media_type: str, ranges: Sequence[MediaRange]) -> float:
    """The q-value the client gives `media_type`: that of the most specific matching range."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: r.specificity).q


def write_rdf(triples: Sequence[ox.Triple], rep: Representation, prefixes=None) -> bytes:
    """`triples` in the RDF format `rep` (a dataset format writes them as the default graph);
    `prefixes` are used where the format has them (Turtle, TriG)."""
    if prefixes and rep.writer in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return ox.serialize(triples, format=rep.writer, prefixes=prefixes)
    return ox.serialize(triples, format=rep.writer)
