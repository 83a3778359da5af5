"""Query solutions -> the typed JSON records of a curated route (field names and types from the
query header), and edge records -> the graph of a `shape: graph` route.

A multi-valued field (declared with a `separator`) is a sorted JSON array. An `iri` field holds
the IRI as a string and gets a sibling `<field>_page`: the path of its linked-data page on this
server for IRIs under https://w3id.org/kinderschutz-kg/id/, else null.

Here and not in `api/curated/` because the build makes the same records when it precomputes a
release's parameterless answers (kskg/curated_answers.py): one conversion, so the stored
answers and the served ones cannot differ.
"""

from __future__ import annotations

from collections.abc import Sequence

from kskg.namespaces import ID
from kskg.query_files import Field

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


def edge_graph(edges: list[dict], root: str = "/") -> dict:
    """Edge records (source, target, relation, *_label, *_type) -> {"nodes", "edges"}."""
    nodes: dict[str, dict] = {}
    for edge in edges:
        for end in ("source", "target"):
            nodes.setdefault(
                edge[end],
                {
                    "id": edge[end],
                    "label": edge.get(end + "_label"),
                    "type": edge.get(end + "_type"),
                    "page": page_path(edge[end], root),
                },
            )
    links = [{k: e[k] for k in ("source", "target", "relation")} for e in edges]
    return {"nodes": list(nodes.values()), "edges": links}
