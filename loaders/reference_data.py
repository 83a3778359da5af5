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

KOMMUNEN_COLUMNS = (
    "name",
    "art",
    "bundesland",
    "ags",
    "wikidata",
    "website",
    "cluster",
    "rolle",
    "aufgeloest_am",
    "nachfolger_ags",
    "quelle",
)
BUNDESLAENDER_COLUMNS = ("iso", "name", "wikidata")
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
    rolle: str | None
    aufgeloest_am: dt.date | None
    nachfolger_ags: str | None
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
    known_ags = {row.ags for row in result}
    for row in result:
        if row.nachfolger_ags:
            _require(
                path,
                row.line,
                row.nachfolger_ags in known_ags,
                f"nachfolger_ags {row.nachfolger_ags} is no row's ags",
            )
    return result


def _kommune(path: str, line: int, row: dict[str, str], iso_codes: set[str]) -> KommuneRow:
    _require(path, line, row["name"] and row["art"], "name and art must not be empty")
    _require(
        path,
        line,
        row["bundesland"] in iso_codes,
        f"bundesland {row['bundesland']!r} is not in bundeslaender.csv",
    )
    _require(path, line, _AGS.match(row["ags"]), f"ags {row['ags']!r} must have 5 or 8 digits")
    _require(
        path,
        line,
        not row["wikidata"] or _WIKIDATA.match(row["wikidata"]),
        "wikidata must be Q<digits>",
    )
    _require(
        path,
        line,
        not row["rolle"] or row["rolle"] in ROLLEN,
        f"rolle must be one of {sorted(ROLLEN)}",
    )
    _require(
        path,
        line,
        not row["cluster"] or (row["cluster"].isdigit() and int(row["cluster"]) in CLUSTERS),
        "cluster must be 1..12",
    )
    _require(
        path, line, bool(row["cluster"]) == bool(row["rolle"]), "cluster and rolle go together"
    )
    _require(path, line, row["quelle"].startswith(("http://", "https://")), "quelle must be a URL")
    return KommuneRow(
        name=row["name"],
        art=row["art"],
        bundesland=row["bundesland"],
        ags=row["ags"],
        wikidata=row["wikidata"] or None,
        website=row["website"] or None,
        cluster=int(row["cluster"]) if row["cluster"] else None,
        rolle=row["rolle"] or None,
        aufgeloest_am=_date(path, line, row["aufgeloest_am"]),
        nachfolger_ags=row["nachfolger_ags"] or None,
        quelle=row["quelle"],
        line=line,
    )


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
