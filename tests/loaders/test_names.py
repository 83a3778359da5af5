"""Resolving names as written against the reference data."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.names import BundeslaenderIndex, KommunenIndex, edit_distance
from loaders.reference_data import read_bundeslaender, read_kommunen

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"


@pytest.fixture(scope="module")
def laender() -> BundeslaenderIndex:
    return BundeslaenderIndex(
        read_bundeslaender("b.csv", (REFERENCE / "bundeslaender.csv").read_text())
    )


@pytest.fixture(scope="module")
def kommunen(laender: BundeslaenderIndex) -> KommunenIndex:
    text = (REFERENCE / "kommunen.csv").read_text()
    return KommunenIndex(read_kommunen("k.csv", text, {row.iso for row in laender.rows}))


@pytest.mark.parametrize(
    ("written", "canonical", "exact", "line"),
    [
        ("Kreis Herzogtum Lauenburg", "Kreis Herzogtum Lauenburg", True, 3),
        ("Kreis Herzogtum Lauenberg", "Kreis Herzogtum Lauenburg", False, 3),
        ("  landkreis   friesland ", "Landkreis Friesland", True, 15),
        ("Kreis Rendsburg–Eckernförde", "Kreis Rendsburg-Eckernförde", True, 2),
        ("Stadt Kölm", "Stadt Köln", False, 25),
    ],
)
def test_resolves_exact_then_close_names(
    kommunen: KommunenIndex, written: str, canonical: str, exact: bool, line: int
) -> None:
    resolution = kommunen.resolve(written)
    assert resolution is not None
    assert (resolution.canonical, resolution.exact, resolution.row.line) == (canonical, exact, line)


@pytest.mark.parametrize(
    "written", ["Stadt Greifswald", "Landkreis Parchimm-Ludwigslust", "Kreis", "Stadt Kö"]
)
def test_names_too_far_from_any_row_are_not_resolved(kommunen: KommunenIndex, written: str) -> None:
    assert kommunen.resolve(written) is None


def test_lookups_by_ags_and_cluster(kommunen: KommunenIndex) -> None:
    assert kommunen.by_ags("13075").name == "Landkreis Vorpommern-Greifswald"
    modell = {row.cluster: row.name for row in kommunen.rows if row.rolle == "Modellkommune"}
    assert modell[4] == "Landkreis Friesland"
    assert 12 not in modell


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("SCHLESWIG-HOLSTEIN", "DE-SH"),
        ("MECKLENBURG-VORPOMMERN", "DE-MV"),
        ("nordrhein westfalen", "DE-NW"),
        ("BREMEN", "DE-HB"),
        ("Baden - Württemberg", "DE-BW"),
    ],
)
def test_bundesland_names(laender: BundeslaenderIndex, written: str, iso: str) -> None:
    row = laender.resolve(written)
    assert row is not None and row.iso == iso


def test_unknown_bundesland(laender: BundeslaenderIndex) -> None:
    assert laender.resolve("Preußen") is None


@pytest.mark.parametrize(
    ("a", "b", "d"), [("lauenberg", "lauenburg", 1), ("", "abc", 3), ("köln", "köln", 0)]
)
def test_edit_distance(a: str, b: str, d: int) -> None:
    assert edit_distance(a, b) == d
