"""Linked-data views of one IRI: its RDF description and the context of its HTML page.

All SPARQL comes from api/engine/rq/*.rq with the IRI bound to `?_iri` (never formatted in).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from api.engine.own_queries import rq
from api.engine.store import QueryStore
from api.pages.entity_query import editor_url, shown_query
from kskg.namespaces import ID, KSK, PREFIXES

ONTOLOGY_NS = str(KSK)


def select(store: QueryStore, name: str, iri: str | None = None) -> list[dict]:
    """Rows of the SELECT query `name` as {variable: term or None}, `?_iri` bound to `iri`."""
    subs = {"_iri": ox.NamedNode(iri)} if iri else None
    solutions = store.query(rq(name), substitutions=subs)
    names = [v.value for v in solutions.variables]
    return [{n: row[n] for n in names} for row in solutions]


def exists(store: QueryStore, iri: str) -> bool:
    return bool(store.query(rq("exists"), substitutions={"_iri": ox.NamedNode(iri)}))


def describe(store: QueryStore, iri: str) -> list[ox.Triple]:
    return list(store.query(rq("describe"), substitutions={"_iri": ox.NamedNode(iri)}))


def link(term, root: str) -> dict:
    """How a term is shown: {"text", "href", "iri", "lang"}; our IRIs link to local pages."""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        if iri.startswith(str(ID)):
            return {
                "text": iri[len(str(ID)) :],
                "href": root + "id/" + iri[len(str(ID)) :],
                "iri": iri,
            }
        if iri.startswith(ONTOLOGY_NS):
            local = iri[len(ONTOLOGY_NS) :]
            return {"text": "ksk:" + local, "href": f"{root}ontology#{local}", "iri": iri}
        return {"text": compact(iri), "href": iri, "iri": iri}
    if isinstance(term, ox.Literal):
        return {"text": term.value, "lang": term.language}
    return {"text": "" if term is None else str(term)}


def compact(iri: str) -> str:
    """`prefix:local` for IRIs in a project prefix (PREFIXES), else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def labelled(term, label, root: str, label_en=None) -> dict:
    shown = link(term, root)
    if label is not None:
        shown["label"] = label.value
    if label_en is not None and label_en.value != shown.get("label"):
        shown["label_en"] = label_en.value
    return shown


def page_context(store: QueryStore, iri: str, root: str) -> dict:
    """Everything the resource page shows about `iri`."""
    outgoing = select(store, "outgoing", iri)
    labels = [r["o"] for r in outgoing if r["p"].value.endswith(("#label", "core#prefLabel"))]
    return {
        "iri": iri,
        "title": next(
            (t.value for t in labels if t.language in ("de", None)), iri.rsplit("/", 1)[-1]
        ),
        "title_en": next((t.value for t in labels if t.language == "en"), None),
        "labels": [{"text": t.value, "lang": t.language} for t in labels],
        "outgoing": [
            {
                "property": labelled(r["p"], r["p_label"], root, r["p_label_en"]),
                "value": labelled(r["o"], r["o_label"], root, r["o_label_en"]),
            }
            for r in outgoing
        ],
        "incoming": [
            {
                "subject": labelled(r["s"], r["s_label"], root, r["s_label_en"]),
                "property": labelled(r["p"], r["p_label"], root, r["p_label_en"]),
            }
            for r in select(store, "incoming", iri)
        ],
        "sources": [_source(r, root) for r in select(store, "sources", iri)],
        "findings": [
            {
                **{
                    k: (r[k].value if r[k] is not None else None)
                    for k in ("befund", "severity", "path", "message")
                },
                "lang": getattr(r["message"], "language", None),
                "href": link(r["befund"], root).get("href"),
            }
            for r in select(store, "findings", iri)
        ],
        "tree": _tree(store, iri, root),
        "describe_url": root + "sparql?query=" + quote(f"DESCRIBE <{iri}>", safe=""),
        **_statements_query(iri, root),
    }


def _statements_query(iri: str, root: str) -> dict:
    """The SPARQL query that shows the page's statements, and the editor link that opens it."""
    text = shown_query(iri)
    return {"query": text, "query_url": editor_url(root, text) if text else None}


def _source(row: dict, root: str) -> dict:
    """A Fundstelle as the page shows it: the fields of rq/sources.rq under their own names
    (docs/DESIGN.md "Names in code"), the Quelldokument by its file stem, and the link."""
    dokument = row["dokument"].value if row["dokument"] is not None else None
    zeile = row["zeile"].value if row["zeile"] is not None else None
    href = None
    if dokument:
        href = link(row["dokument"], root)["href"] + (f"#L{zeile}" if zeile else "")
    return {
        "dokument": dokument.rsplit("/", 1)[-1] if dokument else None,
        "zeile": zeile,
        "bis_zeile": row["bis_zeile"].value if row["bis_zeile"] is not None else None,
        "zitat": row["zitat"].value if row["zitat"] is not None else None,
        "href": href,
    }


def _tree(store: QueryStore, iri: str, root: str) -> list[dict]:
    """For a skos:ConceptScheme: its concepts as nested {concept, children}; else []."""
    rows = select(store, "narrower", iri)
    children: dict[str | None, list[dict]] = {}
    for row in rows:
        parent = row["broader"].value if row["broader"] is not None else None
        node = labelled(row["concept"], row["label"], root)
        children.setdefault(parent, []).append(node)
    known = {r["concept"].value for r in rows}

    def build(parent: str | None) -> list[dict]:
        return [{**node, "children": build(node["iri"])} for node in children.get(parent, [])]

    top = [n for p, nodes in children.items() if p not in known for n in nodes]
    return [{**node, "children": build(node["iri"])} for node in top]


def document_lines(data_dir: Path, manifest: dict, stem: str) -> list[str] | None:
    """The lines of the source file `<stem>.*` under data_dir/sources or data_dir/reference,
    only if its SHA-256 matches the release manifest (or the manifest lists no checksum)."""
    candidates = [*data_dir.glob(f"sources/{stem}.*"), *data_dir.glob(f"reference/{stem}.*")]
    if not candidates:
        return None
    path = candidates[0]
    data = path.read_bytes()
    expected = {
        s.get("file", "").rsplit("/", 1)[-1]: s.get("sha256") for s in manifest.get("sources", [])
    }
    checksum = expected.get(path.name)
    if checksum and hashlib.sha256(data).hexdigest() != checksum:
        return None
    return data.decode("utf-8").splitlines()
