"""The registry of representations and the one content-negotiation function, as tables
(STYLE point 4)."""

import pytest

from api import media
from api.errors import NotAcceptable
from api.media import (
    CSV,
    GRAPHS,
    JSON,
    JSON_LD,
    NTRIPLES,
    RDF_XML,
    RESOURCE,
    SOLUTIONS,
    SPARQL_JSON,
    SPARQL_XML,
    TURTLE,
    Offer,
    negotiate,
    prefers_html,
)
from kskg.release import DUMPS

OFFER = Offer(SPARQL_JSON, SPARQL_XML, CSV)
OFFERED = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "application/json",
    "application/xml",
    "text/xml",
]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, SPARQL_JSON),
        ("", SPARQL_JSON),
        ("*/*", SPARQL_JSON),
        ("text/csv", CSV),
        ("text/*", CSV),
        ("application/sparql-results+xml, text/csv;q=0.5", SPARQL_XML),
        ("text/csv;q=0.9, application/sparql-results+xml;q=0.8", CSV),
        ("*/*;q=0.1, text/csv", CSV),
        ("text/csv;q=0, */*", SPARQL_JSON),
        ("garbage, text/csv", CSV),
        ("TEXT/CSV", CSV),
        ("text/csv;q=abc, application/sparql-results+xml", SPARQL_XML),
        ("application/json", SPARQL_JSON),
        ("text/xml", SPARQL_XML),
    ],
)
def test_accept_header(accept, expected):
    assert negotiate(accept, OFFER) is expected


@pytest.mark.parametrize("accept", ["image/png", "text/csv;q=0", "application/*;q=0, text/csv;q=0"])
def test_unacceptable_lists_offered_types_and_aliases(accept):
    with pytest.raises(NotAcceptable) as info:
        negotiate(accept, OFFER)
    assert info.value.offered == OFFERED


@pytest.mark.parametrize(
    ("formats", "expected"),
    [
        (["csv"], CSV),
        (["JSON"], SPARQL_JSON),
        (["text/csv"], CSV),
        (["application/json"], SPARQL_JSON),
        (["", "csv"], CSV),
        (["yaml", "application/sparql-results+xml"], SPARQL_XML),
    ],
)
def test_format_values_override_accept(formats, expected):
    assert negotiate("image/png", OFFER, formats) is expected


def test_an_unknown_format_value_is_406_naming_it_and_the_names():
    with pytest.raises(NotAcceptable, match=r"format='yaml' is not offered; use one of \['csv'"):
        negotiate(None, OFFER, ["yaml"])


@pytest.mark.parametrize(
    ("name", "solutions", "graphs", "resource"),
    [
        ("json", SPARQL_JSON, JSON_LD, JSON_LD),
        ("xml", SPARQL_XML, RDF_XML, RDF_XML),
        ("ntriples", None, NTRIPLES, NTRIPLES),
        ("nt", None, NTRIPLES, NTRIPLES),
        ("ttl", None, TURTLE, TURTLE),
        ("csv", CSV, None, None),
    ],
)
def test_a_short_name_is_read_within_the_offer(name, solutions, graphs, resource):
    assert [SOLUTIONS.named(name), GRAPHS.named(name), RESOURCE.named(name)] == [
        solutions,
        graphs,
        resource,
    ]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
        ("text/html", True),
        ("text/html, application/json", False),
        ("application/sparql-results+json", False),
        (None, False),
        ("image/png", False),
    ],
)
def test_a_browser_prefers_html_to_every_result_format(accept, expected):
    assert prefers_html(accept) is expected


def test_every_offer_resolves_its_names_and_types_to_its_own_representations():
    offers = [v for v in vars(media).values() if isinstance(v, Offer)]
    assert len(offers) >= 9
    for offer in offers:
        assert (
            set(offer.by_type.values())
            == set(offer)
            == set(offer.by_name.values()) | {rep for rep in offer if not rep.names}
        )


def test_the_dump_files_of_a_release_are_the_registry_s():
    """kskg/release.py names the files the loaders write (they cannot import api)."""
    assert {fmt: DUMPS[fmt][1] for fmt in DUMPS} == {
        rep.suffix: rep.media_type for rep in media.DUMP_FILES
    }
    assert all(DUMPS[rep.suffix][0] == f"dataset.{rep.suffix}" for rep in media.DUMP_FILES)


def test_the_writers_are_unique_and_json_is_plain():
    writers = [rep.writer for rep in SOLUTIONS + GRAPHS]
    assert len(set(map(str, writers))) == len(writers)
    assert JSON.writer is None and JSON.media_type == "application/json"
