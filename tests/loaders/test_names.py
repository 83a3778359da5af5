"""Resolving names as written against the reference data."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.name_forms import Kind, NameForm, name_form
from loaders.names import Ambiguity, BundeslaenderIndex, KommunenIndex, Rule, edit_distance
from loaders.reference_data import (
    KOMMUNEN_COLUMNS,
    read_aliases,
    read_bundeslaender,
    read_kommunen,
)

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"


@pytest.fixture(scope="module")
def laender() -> BundeslaenderIndex:
    return BundeslaenderIndex(
        read_bundeslaender("b.csv", (REFERENCE / "bundeslaender.csv").read_text())
    )


@pytest.fixture(scope="module")
def kommunen(laender: BundeslaenderIndex) -> KommunenIndex:
    text = (REFERENCE / "kommunen.csv").read_text()
    rows = read_kommunen("k.csv", text, {row.iso for row in laender.rows})
    aliases = read_aliases("a.csv", (REFERENCE / "aliases.csv").read_text(), rows)
    return KommunenIndex(rows, aliases)


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
    ("written", "canonical", "rule"),
    [
        # exact, after normalising case, spaces and dashes
        ("KREIS SEGEBERG", "Kreis Segeberg", Rule.EXACT),
        ("Landkreis Vorpommern–Greifswald", "Landkreis Vorpommern-Greifswald", Rule.EXACT),
        # an official prefix dropped, added or exchanged
        ("Segeberg", "Kreis Segeberg", Rule.FORM),
        ("Landkreis Segeberg", "Kreis Segeberg", Rule.FORM),
        ("Kreis Friesland", "Landkreis Friesland", Rule.FORM),
        ("Herzogtum Lauenburg", "Kreis Herzogtum Lauenburg", Rule.FORM),
        ("Schwerin", "Landeshauptstadt Schwerin", Rule.FORM),
        ("Stadt Schwerin", "Landeshauptstadt Schwerin", Rule.FORM),
        ("Landeshauptstadt Karlsruhe", "Stadt Karlsruhe", Rule.FORM),
        ("Hansestadt Bremen", "Stadtgemeinde Bremen", Rule.FORM),
        ("Bremen", "Stadtgemeinde Bremen", Rule.FORM),
        ("Seestadt Bremerhaven", "Stadt Bremerhaven", Rule.FORM),
        ("Salzwedel", "Altmarkkreis Salzwedel", Rule.FORM),
        ("Witten", "Stadt Witten", Rule.FORM),
        # a distinguishing suffix dropped, added or written differently
        ("Stadt Ludwigshafen", "Stadt Ludwigshafen am Rhein", Rule.FORM),
        ("Ludwigshafen a. Rhein", "Stadt Ludwigshafen am Rhein", Rule.FORM),
        ("Ludwigshafen (Rhein)", "Stadt Ludwigshafen am Rhein", Rule.FORM),
        ("Stadt Lünen (Westf.)", "Stadt Lünen", Rule.FORM),
        ("Witten an der Ruhr", "Stadt Witten", Rule.FORM),
        ("Hattingen in Westfalen", "Stadt Hattingen", Rule.FORM),
        # aliases from data/reference/aliases.csv
        ("Cologne", "Stadt Köln", Rule.ALIAS),
        ("nuremberg", "Stadt Nürnberg", Rule.ALIAS),
        # misspellings, of the whole name or of its core
        ("Kreis Herzogtum Lauenberg", "Kreis Herzogtum Lauenburg", Rule.TYPO),
        ("Herzogtum Lauenberg", "Kreis Herzogtum Lauenburg", Rule.TYPO),
        ("Landkreis Uecker-Randov", "Landkreis Uecker-Randow", Rule.TYPO),
    ],
)
def test_resolution_rules(
    kommunen: KommunenIndex, written: str, canonical: str, rule: Rule
) -> None:
    resolution = kommunen.resolve(written)
    assert resolution is not None, written
    assert (resolution.canonical, resolution.rule) == (canonical, rule)
    assert resolution.exact == (rule is Rule.EXACT)


def test_an_alias_says_where_it_is_written(kommunen: KommunenIndex) -> None:
    resolution = kommunen.resolve("Cologne")
    assert resolution is not None and resolution.alias is not None
    assert resolution.alias.line == 2


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "Stadt Ludwigshafen am Rhein",
            NameForm("ludwigshafen", Kind.STADT, "ludwigshafen am rhein"),
        ),
        (
            "Landkreis Vorpommern-Greifswald",
            NameForm("vorpommern-greifswald", Kind.KREIS, "vorpommern-greifswald"),
        ),
        ("Freie und Hansestadt Hamburg", NameForm("hamburg", Kind.STADT, "hamburg")),
        ("Frankfurt (Oder)", NameForm("frankfurt", None, "frankfurt (oder)")),
        ("Mülheim an der Ruhr", NameForm("mülheim", None, "mülheim an der ruhr")),
        ("Kreis", NameForm("kreis", None, "kreis")),
        ("Stadt", NameForm("stadt", None, "stadt")),
    ],
)
def test_name_forms(written: str, expected: NameForm) -> None:
    assert name_form(written) == expected


# Cluster context: two clusters holding Kommunen of the same core or of close names.
CONTEXT_ROWS = [
    "Stadt Neustadt,kreisfreie Stadt,DE-SH,01001000,,,1,,Modellkommune,,,https://x.org/1",
    "Landkreis Neustadt,Landkreis,DE-SH,01002,,,2,,Modellkommune,,,https://x.org/2",
    "Stadt Bremen,kreisfreie Stadt,DE-SH,01003000,,,1,,Partnerkommune,,,https://x.org/3",
    "Stadt Barmen,kreisfreie Stadt,DE-SH,01004000,,,2,,Partnerkommune,,,https://x.org/4",
    "Stadt Ahlen,Stadt,DE-SH,01005000,,,,01005000,Modellkommune,,,https://x.org/5",
    "Kreis Ahlen,Kreis,DE-SH,01006,,,1,,Partnerkommune,,,https://x.org/6",
    "Stadt Frankfurt am Main,Stadt,DE-SH,01007000,,,1,,Partnerkommune,,,https://x.org/7",
    "Stadt Frankfurt (Oder),Stadt,DE-SH,01008000,,,2,,Partnerkommune,,,https://x.org/8",
]


@pytest.fixture(scope="module")
def clustered() -> KommunenIndex:
    text = "\n".join([",".join(KOMMUNEN_COLUMNS), *CONTEXT_ROWS])
    return KommunenIndex(read_kommunen("k.csv", text, {"DE-SH"}))


@pytest.mark.parametrize(
    ("written", "cluster", "canonical", "rule", "in_cluster"),
    [
        # the cluster's members decide between two rows of the same core
        ("Neustadt", 1, "Stadt Neustadt", Rule.FORM, True),
        ("Neustadt", 2, "Landkreis Neustadt", Rule.FORM, True),
        ("Ahlen", "01005000", "Stadt Ahlen", Rule.FORM, True),
        ("Ahlen", 1, "Kreis Ahlen", Rule.FORM, True),
        # ... and between two names one edit away
        ("Stadt Brmen", 1, "Stadt Bremen", Rule.TYPO, True),
        ("Stadt Brmen", 2, "Stadt Barmen", Rule.TYPO, True),
        # a prefix names the kind, so no context is needed
        ("Landkreis Neustadt", 1, "Landkreis Neustadt", Rule.EXACT, False),
        ("Kreis Neustadt", None, "Landkreis Neustadt", Rule.FORM, False),
        ("Hansestadt Neustadt", None, "Stadt Neustadt", Rule.FORM, False),
        # not a member: the whole table is searched next
        ("Stadt Barmen", 1, "Stadt Barmen", Rule.EXACT, False),
        ("Barmen", 1, "Stadt Barmen", Rule.FORM, False),
        # a written suffix tells two rows of one core apart, a missing one leaves the context
        ("Frankfurt am Main", None, "Stadt Frankfurt am Main", Rule.FORM, False),
        ("Frankfurt (Oder)", None, "Stadt Frankfurt (Oder)", Rule.FORM, False),
        ("Frankfurt", 2, "Stadt Frankfurt (Oder)", Rule.FORM, True),
    ],
)
def test_cluster_context(
    clustered: KommunenIndex,
    written: str,
    cluster: int | str | None,
    canonical: str,
    rule: Rule,
    in_cluster: bool,
) -> None:
    resolution = clustered.resolve(written, cluster)
    assert resolution is not None
    assert (resolution.canonical, resolution.rule, resolution.in_cluster) == (
        canonical,
        rule,
        in_cluster,
    )


@pytest.mark.parametrize(
    ("written", "rule"),
    [("Neustadt", Rule.FORM), ("Stadt Brmen", Rule.TYPO), ("Frankfurt", Rule.FORM)],
)
def test_without_context_two_candidates_are_ambiguous(
    clustered: KommunenIndex, written: str, rule: Rule
) -> None:
    found = clustered.lookup(written)
    assert isinstance(found, Ambiguity) and found.rule is rule and len(found.rows) == 2
    assert clustered.resolve(written) is None


def test_cluster_members(clustered: KommunenIndex) -> None:
    assert [r.name for r in clustered.members("01005000")] == ["Stadt Ahlen"]
    assert [r.rolle for r in clustered.members("01005000")] == ["Modellkommune"]


@pytest.mark.parametrize(
    "written",
    ["Stadt Greifswald", "Landkreis Parchimm-Ludwigslust", "Kreis", "Stadt Kö", "Kreis Bremen"],
)
def test_names_too_far_from_any_row_are_not_resolved(kommunen: KommunenIndex, written: str) -> None:
    assert kommunen.resolve(written) is None


def test_lookups_by_ags_and_cluster(kommunen: KommunenIndex) -> None:
    assert kommunen.by_ags("13075").name == "Landkreis Vorpommern-Greifswald"
    modell = {row.cluster_key: row.name for row in kommunen.rows if row.rolle == "Modellkommune"}
    assert modell[4] == "Landkreis Friesland"
    assert 12 not in modell
    assert modell["05954036"] == "Stadt Witten"


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
    match = laender.match(written)
    assert match is not None and match.row.iso == iso and match.note is None


def test_unknown_bundesland(laender: BundeslaenderIndex) -> None:
    assert laender.match("Preußen") is None


@pytest.mark.parametrize(
    ("a", "b", "d"), [("lauenberg", "lauenburg", 1), ("", "abc", 3), ("köln", "köln", 0)]
)
def test_edit_distance(a: str, b: str, d: int) -> None:
    assert edit_distance(a, b) == d
