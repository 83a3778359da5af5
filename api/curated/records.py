"""Curated records as CSV, and their columns; the records themselves are made by
kskg/curated_records.py (`json_records`, `page_path`), which the build shares.

A multi-valued field (a sorted JSON array in a record) is joined by "; " in a CSV cell; an `iri`
field is followed by its `<field>_page` column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from api.curated.registry import Field
from kskg.curated_records import json_records, page_path

__all__ = ["CSV_SEPARATOR", "columns", "json_records", "page_path", "render_csv"]


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
