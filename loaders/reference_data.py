"""Read and check the curated CSV files in data/reference/ (no RDF here).

Every row keeps its line number so the graph and the diagnostics can point at it. A malformed
row raises `SourceError` with ``file:line`` and what to fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from loaders.diagnostics import SourceError
from loaders.name_forms import normalise_name

KOMMUNEN_COLUMNS = (
    "name",
    "art",
    "bundesland",
    "ags",
    "wikidata",
    "website",
    "cluster",
    "cluster_modell_ags",
    "rolle",
    "aufgeloest_am",
    "nachfolger_ags",
    "quelle",
)
BUNDESLAENDER_COLUMNS = ("iso", "name", "wikidata")
ALIASES_COLUMNS = ("alias", "ags", "quelle")
ROLLEN = frozenset({"Modellkommune", "Partnerkommune"})
CLUSTERS = range(1, 13)

_AGS = re.compile(r"^(\d{5}|\d{8})$")
_WIKIDATA = re.compile(r"^Q\d+$")
_ISO = re.compile(r"^DE-[A-Z]{2}$")


@dataclass(frozen=True)
class BundeslandRow:
    iso: str
    name: str
    wikidata: str
    line: int


@dataclass(frozen=True)
class KommuneRow:
    name: str
    art: str
    bundesland: str
    ags: str
    wikidata: str | None
    website: str | None
    cluster: int | None
    cluster_modell_ags: str | None
    rolle: str | None
    aufgeloest_am: dt.date | None
    nachfolger_ags: str | None
    quelle: str
    line: int

    @property
    def cluster_key(self) -> int | str | None:
        """The row's cluster: its number, else the AGS of the Modellkommune of a cluster whose
        number no source gives, else None (not a participant)."""
        return self.cluster if self.cluster is not None else self.cluster_modell_ags


@dataclass(frozen=True)
class AliasRow:
    """Another name a Kommune is known by (aliases.csv), pointing at its row by AGS."""

    alias: str
    ags: str
    quelle: str
    line: int


def csv_rows(path: str, text: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line, row) pairs after checking the header and the number of fields of every row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != columns:
        raise SourceError(path, 1, f"expected the header {','.join(columns)!r}, found {header!r}")
    rows = []
    for fields in reader:
        if not any(field.strip() for field in fields):
            continue
        if len(fields) != len(columns):
            raise SourceError(
                path,
                reader.line_num,
                f"expected {len(columns)} fields ({','.join(columns)}), found {len(fields)}",
            )
        rows.append((reader.line_num, {c: f.strip() for c, f in zip(columns, fields, strict=True)}))
    return rows


def read_bundeslaender(path: str, text: str) -> list[BundeslandRow]:
    result = []
    for line, row in csv_rows(path, text, BUNDESLAENDER_COLUMNS):
        _require(path, line, _ISO.match(row["iso"]), f"iso {row['iso']!r} is not DE-XX")
        _require(path, line, row["name"], "name is empty")
        _require(path, line, _WIKIDATA.match(row["wikidata"]), "wikidata must be Q<digits>")
        result.append(BundeslandRow(row["iso"], row["name"], row["wikidata"], line))
    return result


def read_kommunen(path: str, text: str, iso_codes: set[str]) -> list[KommuneRow]:
    """Rows of kommunen.csv; Bundesland codes must be in ``iso_codes``, successors must exist."""
    result = [
        _kommune(path, line, row, iso_codes) for line, row in csv_rows(path, text, KOMMUNEN_COLUMNS)
    ]
    by_ags = {row.ags: row for row in result}
    for row in result:
        if row.nachfolger_ags:
            _require(
                path,
                row.line,
                row.nachfolger_ags in by_ags,
                f"nachfolger_ags {row.nachfolger_ags} is no row's ags",
            )
        if row.cluster_modell_ags:
            modell = by_ags.get(row.cluster_modell_ags)
            _require(
                path,
                row.line,
                modell is not None
                and modell.rolle == "Modellkommune"
                and modell.cluster_modell_ags == modell.ags,
                f"cluster_modell_ags {row.cluster_modell_ags} must be the ags of a Modellkommune "
                "row whose own cluster_modell_ags is its ags",
            )
    return result


def read_aliases(path: str, text: str, kommunen: list[KommuneRow]) -> list[AliasRow]:
    """Rows of aliases.csv; each alias names one row of kommunen.csv (by ags) and no two
    aliases, and no alias and a reference name, are the same name."""
    by_ags = {row.ags: row for row in kommunen}
    taken = {normalise_name(row.name): f"the name of row {row.line}" for row in kommunen}
    result = []
    for line, row in csv_rows(path, text, ALIASES_COLUMNS):
        _require(path, line, row["alias"], "alias is empty")
        _require(path, line, row["ags"] in by_ags, f"ags {row['ags']!r} is no row of kommunen.csv")
        _require(
            path, line, row["quelle"].startswith(("http://", "https://")), "quelle must be a URL"
        )
        key = normalise_name(row["alias"])
        _require(
            path, line, key not in taken, f"alias {row['alias']!r} is already {taken.get(key)}"
        )
        taken[key] = f"the alias on line {line}"
        result.append(AliasRow(row["alias"], row["ags"], row["quelle"], line))
    return result


def _kommune(path: str, line: int, row: dict[str, str], iso_codes: set[str]) -> KommuneRow:
    for ok, message in _kommune_checks(row, iso_codes):
        _require(path, line, ok, message)
    return KommuneRow(
        name=row["name"],
        art=row["art"],
        bundesland=row["bundesland"],
        ags=row["ags"],
        wikidata=row["wikidata"] or None,
        website=row["website"] or None,
        cluster=int(row["cluster"]) if row["cluster"] else None,
        cluster_modell_ags=row["cluster_modell_ags"] or None,
        rolle=row["rolle"] or None,
        aufgeloest_am=_date(path, line, row["aufgeloest_am"]),
        nachfolger_ags=row["nachfolger_ags"] or None,
        quelle=row["quelle"],
        line=line,
    )


def _kommune_checks(row: dict[str, str], iso_codes: set[str]) -> list[tuple[object, str]]:
    """(condition, message when it fails) for one row of kommunen.csv, in the order checked;
    every condition is safe to evaluate on any row."""
    cluster, modell_ags, rolle = row["cluster"], row["cluster_modell_ags"], row["rolle"]
    return [
        (row["name"] and row["art"], "name and art must not be empty"),
        (
            row["bundesland"] in iso_codes,
            f"bundesland {row['bundesland']!r} is not in bundeslaender.csv",
        ),
        (_AGS.match(row["ags"]), f"ags {row['ags']!r} must have 5 or 8 digits"),
        (not row["wikidata"] or _WIKIDATA.match(row["wikidata"]), "wikidata must be Q<digits>"),
        (not rolle or rolle in ROLLEN, f"rolle must be one of {sorted(ROLLEN)}"),
        (not cluster or (cluster.isdigit() and int(cluster) in CLUSTERS), "cluster must be 1..12"),
        (
            not (cluster and modell_ags),
            "give cluster or cluster_modell_ags (for a cluster whose number is unknown), not both",
        ),
        (
            bool(cluster or modell_ags) == bool(rolle),
            "rolle goes with a cluster (or cluster_modell_ags when its number is unknown)",
        ),
        (row["quelle"].startswith(("http://", "https://")), "quelle must be a URL"),
    ]


def _date(path: str, line: int, text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SourceError(path, line, f"aufgeloest_am {text!r} is not a date YYYY-MM-DD") from None


def _require(path: str, line: int, condition: object, message: str) -> None:
    if not condition:
        raise SourceError(path, line, message)
