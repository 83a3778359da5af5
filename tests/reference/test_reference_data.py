"""Integrity of the curated reference data in data/reference/ (STYLE point 8).

Every check reads every row and reports each problem as `file:line: what is wrong; how to fix`,
so a curator can correct the CSV without reading this code.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from loaders.name_forms import normalise_name
from loaders.names import KommunenIndex, Rule
from loaders.reference_data import read_aliases, read_bundeslaender, read_kommunen

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
KOMMUNEN = REFERENCE / "kommunen.csv"
BUNDESLAENDER = REFERENCE / "bundeslaender.csv"

ALIASES = REFERENCE / "aliases.csv"

KOMMUNEN_COLUMNS = [
    "name", "art", "bundesland", "ags", "wikidata", "website", "cluster", "cluster_modell_ags",
    "rolle", "aufgeloest_am", "nachfolger_ags", "quelle",
]  # fmt: skip
BUNDESLAENDER_COLUMNS = ["iso", "name", "wikidata"]
ALIASES_COLUMNS = ["alias", "ags", "quelle"]

#: Länderschlüssel: the first two digits of every AGS in a Land.
LAENDERSCHLUESSEL = {
    "DE-SH": "01", "DE-HH": "02", "DE-NI": "03", "DE-HB": "04", "DE-NW": "05", "DE-HE": "06",
    "DE-RP": "07", "DE-BW": "08", "DE-BY": "09", "DE-SL": "10", "DE-BE": "11", "DE-BB": "12",
    "DE-MV": "13", "DE-SN": "14", "DE-ST": "15", "DE-TH": "16",
}  # fmt: skip
ROLLEN = {"Modellkommune", "Partnerkommune"}
AGS = re.compile(r"^[0-9]{5}([0-9]{3})?$")
WIKIDATA = re.compile(r"^Q[0-9]+$")
URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
WEBSITE = re.compile(r"^(https?://)?[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$")

Row = tuple[int, dict[str, str]]


def read(path: Path, columns: list[str]) -> list[Row]:
    """(line number, row) for each data row; the header must be exactly `columns`."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == columns, (
            f"{path.name}:1: header is {reader.fieldnames}; it must be {','.join(columns)}"
        )
        return [(reader.line_num, row) for row in reader]


@pytest.fixture(scope="module")
def kommunen() -> list[Row]:
    return read(KOMMUNEN, KOMMUNEN_COLUMNS)


@pytest.fixture(scope="module")
def laender() -> list[Row]:
    return read(BUNDESLAENDER, BUNDESLAENDER_COLUMNS)


@pytest.fixture(scope="module")
def aliases() -> list[Row]:
    return read(ALIASES, ALIASES_COLUMNS)


def where(path: Path, line: int) -> str:
    return f"data/reference/{path.name}:{line}"


def report(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def successor_ags(kommunen: list[Row]) -> set[str]:
    return {row["nachfolger_ags"] for _line, row in kommunen if row["nachfolger_ags"]}


def test_no_field_has_surrounding_whitespace(kommunen: list[Row], laender: list[Row]) -> None:
    problems = [
        f"{where(path, line)}: {column} {value!r} has leading/trailing spaces; remove them"
        for path, rows in ((KOMMUNEN, kommunen), (BUNDESLAENDER, laender))
        for line, row in rows
        for column, value in row.items()
        if value != value.strip()
    ]
    report(problems)


def test_ags_format_and_land(kommunen: list[Row]) -> None:
    problems = []
    for line, row in kommunen:
        ags, land = row["ags"], row["bundesland"]
        if not AGS.match(ags):
            problems.append(
                f"{where(KOMMUNEN, line)}: ags {ags!r} of {row['name']} must be 5 digits (Kreis) "
                "or 8 digits (Gemeinde), with leading zeros"
            )
        elif land in LAENDERSCHLUESSEL and not ags.startswith(LAENDERSCHLUESSEL[land]):
            problems.append(
                f"{where(KOMMUNEN, line)}: ags {ags} starts with {ags[:2]}, but {land} has "
                f"Länderschlüssel {LAENDERSCHLUESSEL[land]}; fix the ags or the bundesland"
            )
    report(problems)


def test_ags_and_names_are_unique(kommunen: list[Row]) -> None:
    problems = []
    for column in ("name", "ags"):
        counts = Counter(row[column] for _line, row in kommunen)
        problems += [
            f"{where(KOMMUNEN, line)}: {column} {row[column]!r} occurs {counts[row[column]]} "
            "times; each Gebietskörperschaft has one row"
            for line, row in kommunen
            if counts[row[column]] > 1
        ]
    report(problems)


def test_bundesland_exists(kommunen: list[Row], laender: list[Row]) -> None:
    known = {row["iso"] for _line, row in laender}
    problems = [
        f"{where(KOMMUNEN, line)}: bundesland {row['bundesland']!r} of {row['name']} is not an iso "
        f"code in bundeslaender.csv; use one of {', '.join(sorted(known))}"
        for line, row in kommunen
        if row["bundesland"] not in known
    ]
    report(problems)


def test_cluster_and_rolle(kommunen: list[Row]) -> None:
    successors = successor_ags(kommunen)
    problems = []
    for line, row in kommunen:
        at = f"{where(KOMMUNEN, line)}: {row['name']}"
        if not row["cluster"] and not row["cluster_modell_ags"] and not row["rolle"]:
            if row["ags"] not in successors:
                problems.append(
                    f"{at} has no cluster and no rolle, but no row names it as nachfolger_ags; "
                    "only successors may lack them"
                )
            continue
        if row["cluster"] and row["cluster_modell_ags"]:
            problems.append(
                f"{at}: give cluster (its number) or cluster_modell_ags (the ags of its "
                "Modellkommune, when no source gives the number), not both"
            )
        elif not row["cluster"] and not row["cluster_modell_ags"]:
            problems.append(
                f"{at}: a row with a rolle needs its cluster number, or cluster_modell_ags "
                "(the ags of its cluster's Modellkommune) when no source gives the number"
            )
        elif row["cluster"] and (
            not re.fullmatch(r"[0-9]+", row["cluster"]) or not 1 <= int(row["cluster"]) <= 12
        ):
            problems.append(f"{at}: cluster {row['cluster']!r} must be an integer from 1 to 12")
        if row["rolle"] not in ROLLEN:
            problems.append(f"{at}: rolle {row['rolle']!r} must be one of {sorted(ROLLEN)}")
    report(problems)


def test_cluster_without_number_names_its_modellkommune(kommunen: list[Row]) -> None:
    by_ags = {row["ags"]: row for _line, row in kommunen}
    problems = []
    for line, row in kommunen:
        wanted = row["cluster_modell_ags"]
        if not wanted:
            continue
        modell = by_ags.get(wanted)
        if modell is None or modell["rolle"] != "Modellkommune":
            problems.append(
                f"{where(KOMMUNEN, line)}: {row['name']}: cluster_modell_ags {wanted} must be the "
                "ags of the row of this cluster's Modellkommune (rolle Modellkommune)"
            )
        elif modell["cluster_modell_ags"] != wanted:
            problems.append(
                f"{where(KOMMUNEN, line)}: {row['name']}: the Modellkommune {modell['name']} "
                f"must have cluster_modell_ags {wanted} (its own ags) as well"
            )
    report(problems)


def test_at_most_one_modellkommune_per_cluster(kommunen: list[Row]) -> None:
    models: dict[str, list[int]] = {}
    for line, row in kommunen:
        if row["rolle"] == "Modellkommune":
            cluster = row["cluster"] or f"with Modellkommune {row['cluster_modell_ags']}"
            models.setdefault(cluster, []).append(line)
    problems = [
        f"{where(KOMMUNEN, lines[1])}: cluster {cluster} has Modellkommunen on lines {lines}; "
        "keep one, make the others Partnerkommune"
        for cluster, lines in models.items()
        if len(lines) > 1
    ]
    report(problems)


def test_dissolution_and_successor(kommunen: list[Row]) -> None:
    known = {row["ags"] for _line, row in kommunen}
    problems = []
    for line, row in kommunen:
        at = f"{where(KOMMUNEN, line)}: {row['name']}"
        if row["nachfolger_ags"] and row["nachfolger_ags"] not in known:
            problems.append(
                f"{at}: nachfolger_ags {row['nachfolger_ags']} is no row's ags; "
                "add a row for the successor"
            )
        if bool(row["nachfolger_ags"]) != bool(row["aufgeloest_am"]):
            problems.append(f"{at}: give both aufgeloest_am and nachfolger_ags, or neither")
        if row["aufgeloest_am"]:
            try:
                datetime.date.fromisoformat(row["aufgeloest_am"])
            except ValueError:
                problems.append(
                    f"{at}: aufgeloest_am {row['aufgeloest_am']!r} is not an ISO date YYYY-MM-DD"
                )
    report(problems)


def test_wikidata_quelle_and_website(kommunen: list[Row]) -> None:
    problems = []
    for line, row in kommunen:
        at = f"{where(KOMMUNEN, line)}: {row['name']}"
        if row["wikidata"] and not WIKIDATA.match(row["wikidata"]):
            problems.append(
                f"{at}: wikidata {row['wikidata']!r} must look like Q1194 (or be empty)"
            )
        if not URL.match(row["quelle"]):
            problems.append(f"{at}: quelle {row['quelle']!r} must be the http(s) URL of the source")
        if row["website"] and not WEBSITE.match(row["website"]):
            problems.append(f"{at}: website {row['website']!r} must be a host name like www.x.de")
    report(problems)


def test_bundeslaender(laender: list[Row]) -> None:
    problems = []
    for line, row in laender:
        at = where(BUNDESLAENDER, line)
        if row["iso"] not in LAENDERSCHLUESSEL:
            problems.append(f"{at}: iso {row['iso']!r} is not an ISO 3166-2 code of a German Land")
        if not WIKIDATA.match(row["wikidata"]):
            problems.append(f"{at}: wikidata {row['wikidata']!r} must look like Q1194")
        if not row["name"]:
            problems.append(f"{at}: name is empty; use the German name of the Land")
    codes = Counter(row["iso"] for _line, row in laender)
    problems += [
        f"{where(BUNDESLAENDER, 1)}: {iso} appears {n} times" for iso, n in codes.items() if n > 1
    ]
    missing = sorted(set(LAENDERSCHLUESSEL) - set(codes))
    if missing:
        problems.append(
            f"{where(BUNDESLAENDER, 1)}: no row for {missing}; all 16 Länder belong here"
        )
    report(problems)


def test_aliases_are_unique_and_name_one_row(kommunen: list[Row], aliases: list[Row]) -> None:
    rows_by_ags = Counter(row["ags"] for _line, row in kommunen)
    names = {normalise_name(row["name"]): line for line, row in kommunen}
    seen: dict[str, int] = {}
    problems = []
    for line, row in aliases:
        at = f"{where(ALIASES, line)}: alias {row['alias']!r}"
        key = normalise_name(row["alias"])
        if rows_by_ags[row["ags"]] != 1:
            problems.append(
                f"{at}: ags {row['ags']!r} must be the ags of exactly one row of kommunen.csv"
            )
        if key in names:
            problems.append(f"{at} is the name of kommunen.csv:{names[key]}; remove the alias")
        if key in seen:
            problems.append(f"{at} is already on line {seen[key]}; an alias names one Kommune")
        seen.setdefault(key, line)
        if not URL.match(row["quelle"]):
            problems.append(f"{at}: quelle {row['quelle']!r} must be the http(s) URL of the source")
    report(problems)


def test_every_alias_resolves_to_its_row() -> None:
    laender = read_bundeslaender("b", BUNDESLAENDER.read_text("utf-8"))
    rows = read_kommunen("k", KOMMUNEN.read_text("utf-8"), {row.iso for row in laender})
    alias_rows = read_aliases("a", ALIASES.read_text("utf-8"), rows)
    index = KommunenIndex(rows, alias_rows)
    problems = []
    for alias in alias_rows:
        found = index.resolve(alias.alias)
        if found is None or found.row.ags != alias.ags or found.rule is not Rule.ALIAS:
            got = f"{found.row.name} by {found.rule}" if found else "nothing"
            problems.append(
                f"{where(ALIASES, alias.line)}: {alias.alias!r} resolves to {got}, not to the row "
                f"with ags {alias.ags} by its alias; remove an alias that is the name or a form of "
                "another row"
            )
    report(problems)


# The checks themselves, run on broken rows: each must fail and name the line.


def broken_row(line: int, **fields: str) -> Row:
    row = {
        "name": "Kreis Segeberg", "art": "Kreis", "bundesland": "DE-SH", "ags": "01060",
        "wikidata": "", "website": "", "cluster": "1", "cluster_modell_ags": "",
        "rolle": "Partnerkommune",
        "aufgeloest_am": "", "nachfolger_ags": "", "quelle": "https://example.org/quelle",
    }  # fmt: skip
    row.update(fields)
    return (line, row)


BROKEN = [
    (test_ags_format_and_land, [broken_row(7, ags="1060")], "kommunen.csv:7: ags '1060'"),
    (test_ags_format_and_land, [broken_row(8, ags="03060")], "Länderschlüssel 01"),
    (test_cluster_and_rolle, [broken_row(9, cluster="13")], "kommunen.csv:9"),
    (test_cluster_and_rolle, [broken_row(9, rolle="Gastkommune")], "rolle 'Gastkommune'"),
    (test_cluster_and_rolle, [broken_row(4, cluster="", rolle="")], "only successors"),
    (test_cluster_and_rolle, [broken_row(4, cluster_modell_ags="01060")], "not both"),
    (test_cluster_and_rolle, [broken_row(4, cluster="")], "cluster_modell_ags"),
    (
        test_cluster_without_number_names_its_modellkommune,
        [broken_row(4, cluster="", cluster_modell_ags="01060")],
        "kommunen.csv:4: Kreis Segeberg: cluster_modell_ags 01060 must be",
    ),
    (
        test_cluster_without_number_names_its_modellkommune,
        [
            broken_row(4, rolle="Modellkommune"),
            broken_row(5, name="X", ags="01061", cluster="", cluster_modell_ags="01060"),
        ],
        "kommunen.csv:5: X: the Modellkommune Kreis Segeberg must have cluster_modell_ags 01060",
    ),
    (
        test_at_most_one_modellkommune_per_cluster,
        [broken_row(2, rolle="Modellkommune"), broken_row(3, name="X", rolle="Modellkommune")],
        "kommunen.csv:3: cluster 1",
    ),
    (test_dissolution_and_successor, [broken_row(5, aufgeloest_am="4.9.2011")], "neither"),
    (
        test_dissolution_and_successor,
        [broken_row(5, aufgeloest_am="2011-9-4", nachfolger_ags="01060")],
        "not an ISO date",
    ),
    (
        test_dissolution_and_successor,
        [broken_row(6, aufgeloest_am="2011-09-04", nachfolger_ags="99999")],
        "no row's ags",
    ),
    (test_wikidata_quelle_and_website, [broken_row(2, wikidata="1194")], "wikidata '1194'"),
    (test_wikidata_quelle_and_website, [broken_row(2, quelle="abendblatt.de")], "http(s) URL"),
    (test_ags_and_names_are_unique, [broken_row(2), broken_row(3)], "occurs 2 times"),
]


def alias_row(line: int, alias: str, ags: str = "01060") -> Row:
    return (line, {"alias": alias, "ags": ags, "quelle": "https://example.org/q"})


@pytest.mark.parametrize(
    ("aliases", "expected"),
    [
        ([alias_row(2, "Segeberg", "99999")], "aliases.csv:2: alias 'Segeberg': ags '99999'"),
        ([alias_row(2, "kreis  SEGEBERG")], "is the name of kommunen.csv:4"),
        ([alias_row(2, "Segeberg"), alias_row(3, "SEGEBERG")], "aliases.csv:3: alias 'SEGEBERG'"),
    ],
)
def test_alias_check_reports_broken_rows(aliases: list[Row], expected: str) -> None:
    with pytest.raises(AssertionError) as failure:
        test_aliases_are_unique_and_name_one_row([broken_row(4)], aliases)
    assert expected in str(failure.value)


@pytest.mark.parametrize(("check", "rows", "expected"), BROKEN)
def test_checks_report_broken_rows(
    check: Callable[[list[Row]], None], rows: list[Row], expected: str
) -> None:
    with pytest.raises(AssertionError) as failure:
        check(rows)
    assert expected in str(failure.value)


def test_unknown_bundesland_is_reported(laender: list[Row]) -> None:
    with pytest.raises(AssertionError, match=r"kommunen.csv:4: bundesland 'DE-XX'"):
        test_bundesland_exists([broken_row(4, bundesland="DE-XX")], laender)
