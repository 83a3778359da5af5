"""Table tests for the one content-negotiation function (STYLE point 4)."""

import pytest

from api.errors import NotAcceptable
from api.negotiation import negotiate

OFFERED = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]
FORMATS = {"json": "application/sparql-results+json", "csv": "text/csv"}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/*", "text/csv"),
        ("application/sparql-results+xml, text/csv;q=0.5", "application/sparql-results+xml"),
        ("text/csv;q=0.9, application/sparql-results+xml;q=0.8", "text/csv"),
        ("*/*;q=0.1, text/csv", "text/csv"),
        ("text/csv;q=0, */*", "application/sparql-results+json"),
        ("garbage, text/csv", "text/csv"),
        ("TEXT/CSV", "text/csv"),
        ("text/csv;q=abc, application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_accept_header(accept, expected):
    assert negotiate(accept, OFFERED) == expected


@pytest.mark.parametrize("accept", ["image/png", "text/csv;q=0", "application/*;q=0, text/csv;q=0"])
def test_unacceptable_lists_offered(accept):
    with pytest.raises(NotAcceptable) as info:
        negotiate(accept, OFFERED)
    assert info.value.offered == OFFERED


@pytest.mark.parametrize(
    ("fmt", "expected"), [("csv", "text/csv"), ("JSON", FORMATS["json"]), ("text/csv", "text/csv")]
)
def test_format_parameter_overrides_accept(fmt, expected):
    assert negotiate("image/png", OFFERED, format_param=fmt, formats=FORMATS) == expected


def test_unknown_format_parameter():
    with pytest.raises(NotAcceptable, match="format='yaml'"):
        negotiate(None, OFFERED, format_param="yaml", formats=FORMATS)
