"""The SPARQL editor page (`/sparql` for browsers): its context and rendering.

The page gets, embedded as JSON, what the editor script needs: the prefixes pre-declared
(`kskg.namespaces.PREFIXES`), the terms to complete (the ontology's classes, properties and
individuals with their labels, and every class and property used in the data) and the examples.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from fastapi.responses import Response

from api.http.served import Served
from api.http.urls import Urls
from api.http.versions import CITATION
from api.pages.examples import Example, read_examples
from api.pages.linked_data import compact, select
from api.pages.render import render_page
from kskg.namespaces import ID, PREFIXES

EXAMPLES_DIR = "examples"


def editor_page(served: Served, urls: Urls, query: str, headers: dict) -> Response:
    """The editor with `query` pre-filled (the first example when `query` is empty)."""
    endpoint, root = urls.absolute("sparql"), urls.root
    examples = _examples(served.settings.queries_dir / EXAMPLES_DIR)
    data = {
        # Root-relative: the page's own scripts never address another host.
        "endpoint": urls.path("sparql"),
        "checkEndpoint": urls.path("sparql/check"),
        "root": root,
        "version": served.version,
        # Opened on an older release (version=V): its queries and downloads ask V too.
        "pinned": _old_version(),
        "idNamespace": str(ID),
        "prefixes": PREFIXES,
        "terms": terms(served),
    }
    return render_page(
        "sparql_editor.html", headers=headers, title="SPARQL-Editor", nav="sparql", root=root,
        version=served.version, endpoint=endpoint, examples=examples,
        query=query or (examples[0].query if examples else ""), editor_data=data,
        limits=_limits(served),
    )  # fmt: skip


def _limits(served: Served) -> dict:
    settings = served.settings
    return {"rows": settings.max_result_rows, "seconds": f"{settings.query_timeout_s:g}"}


def _old_version() -> bool:
    make = CITATION.get()
    return make is not None and make().old


@cache
def _examples(folder: Path) -> list[Example]:
    return read_examples(folder)


def terms(served: Served) -> list[dict]:
    """Completion entries {"text": "ksk:Kommune", "label", "kind"}: ontology terms first, then
    the other classes and properties the data uses (from the VoID partitions)."""
    return _terms(served.store, served.version)


# Keyed by version as well, so a newly served release gets its own terms; two are kept while
# one release replaces another.
@lru_cache(maxsize=2)
def _terms(store, version: str) -> list[dict]:
    entries: dict[str, dict] = {}
    for row in select(store, "ontology_terms"):
        text = compact(row["term"].value)
        label = row["label_de"].value if row["label_de"] is not None else ""
        entries[text] = {"text": text, "label": label, "kind": row["kind"].value}
    for name, kind in (("void_classes", "Klasse"), ("void_properties", "Eigenschaft")):
        for row in select(store, name):
            iri = next(iter(row.values())).value
            text = compact(iri)
            if text != iri and not iri.startswith(str(ID)):
                entries.setdefault(text, {"text": text, "label": "", "kind": kind})
    return sorted(entries.values(), key=lambda e: e["text"].lower())
