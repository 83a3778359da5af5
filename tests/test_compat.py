"""kskg/compat.py: the library internals it hands out, and the version checks guarding them."""

from __future__ import annotations

import tomllib

import pytest

from kskg import compat
from kskg.settings import PROJECT_ROOT


def declared_bounds() -> dict[str, str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    bounds = {}
    for requirement in project["dependencies"]:
        name, _, spec = requirement.partition(">=")
        bounds[name.split("[")[0]] = ">=" + spec
    return bounds


@pytest.mark.parametrize("package", sorted(compat.KNOWN))
def test_the_checked_versions_are_the_bounds_in_pyproject(package: str) -> None:
    lowest, excluded = compat.KNOWN[package]
    expected = f">={'.'.join(map(str, lowest))},<{'.'.join(map(str, excluded))}"
    assert declared_bounds()[package] == expected


def test_the_installed_versions_are_accepted_and_the_internals_found() -> None:
    row = compat.nquads_row()
    from rdflib import URIRef

    triple = (URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:o"))
    assert row(triple, URIRef("urn:g")) == "<urn:s> <urn:p> <urn:o> <urn:g> .\n"
    from_rdf, context = compat.jsonld_writer()
    assert callable(from_rdf) and isinstance(context, type)
    assert compat.httptools_protocol().__name__ == "HttpToolsProtocol"


def test_a_version_outside_the_checked_range_is_refused_with_the_reason(monkeypatch) -> None:
    monkeypatch.setattr(compat, "version", lambda package: "8.0.1")
    compat.require.cache_clear()
    try:
        with pytest.raises(compat.UnsupportedVersion, match=r"rdflib 8\.0\.1 .*<7\.7"):
            compat.require("rdflib")
    finally:
        compat.require.cache_clear()


@pytest.mark.parametrize(
    ("text", "release"), [("7.6.0", (7, 6, 0)), ("0.55.0", (0, 55, 0)), ("7.7.0rc1", (7, 7, 0))]
)
def test_release_numbers_are_read_from_version_strings(text: str, release: tuple) -> None:
    assert compat._release(text) == release
