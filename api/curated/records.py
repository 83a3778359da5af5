"""Query solutions -> typed JSON records (field names and types from the query header) and CSV.

A multi-valued field (declared with a `separator`) is a sorted JSON array; in CSV its values are
joined by "; ".

An `iri` field holds the IRI as a string and gets a sibling `<field>_page`: the path of its
linked-data page on this server for IRIs under https://w3id.org/kinderschutz-kg/id/, else null.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from api.curated.registry import Field
from kskg.namespaces import ID

_ID = str(ID)


def page_path(iri: str, root: str = "/") -> str | None:
    """The local page of one of our IRIs (`root` = path prefix of the public base), else None."""
    if not iri.startswith(_ID):
        return None
    return root.rstrip("/") + "/id/" + iri[len(_ID) :]


def convert_value(value: str | None, kind: str):
    """The JSON value of a term's lexical `value` for a field of type `kind`."""
    if value is None:
        return None
    if kind == "integer":
        return int(float(value)) if value else None
    if kind == "decimal":
        return float(value)
    if kind == "boolean":
        return value in ("true", "1")
    return value


def columns(fields: Sequence[Field]) -> list[str]:
    """Output column names, in header order, with the `_page` sibling after each IRI field."""
    names = []
    for spec in fields:
        names.append(spec.name)
        if spec.type == "iri":
            names.append(spec.name + "_page")
    return names


#: How a multi-valued field is written in a CSV cell.
CSV_SEPARATOR = "; "


def _joined(spec: Field, value):
    """A GROUP_CONCAT value as a sorted list (SPARQL leaves the order to the engine); [] for
    none, so a client never has to tell "" from a value."""
    if not spec.multi:
        return value
    return sorted(value.split(spec.separator)) if value else []


def json_records(results: dict, fields: Sequence[Field], root: str = "/") -> list[dict]:
    """One record per solution of a parsed SPARQL JSON result (what a query worker answers):
    each field's converted value, and for an IRI field its local page as `<name>_page`."""
    records = []
    for binding in results["results"]["bindings"]:
        record = {}
        for spec in fields:
            term = binding.get(spec.name)
            value = _joined(spec, convert_value(term["value"] if term else None, spec.type))
            record[spec.name] = value
            if spec.type == "iri":
                record[spec.name + "_page"] = page_path(value, root) if value else None
        records.append(record)
    return records


def render_csv(records: Sequence[dict], names: Sequence[str]) -> bytes:
    """RFC 4180 CSV with a header row; nested values (sections) are left out."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for record in records:
        writer.writerow(_cell(record.get(name)) for name in names)
    return out.getvalue().encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return CSV_SEPARATOR.join(str(v) for v in value)
    return str(value)
