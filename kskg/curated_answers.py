"""The curated answers a release carries: every curated query without a required parameter,
evaluated once by the build with its optional parameters unset.

    <release>/answers/index.json     {"engine": "pyoxigraph <version>",
                                      "answers": {name: {"file", "sparql_sha256", "bytes"}}}
    <release>/answers/<name>.srj      the SPARQL JSON results pyoxigraph writes for the query

At a million triples such a query is a whole-graph listing or aggregate that takes up to a
second and a half to evaluate; the curated service (api/curated/service.py) answers it from
this file instead, so no first caller waits for it. The file holds exactly the bytes a query
worker answers for the same query text on the same store (a `Purpose.RECORDS` job,
api/engine/result_writing.py), so everything made from it is what the worker's answer makes.

An answer is used only for the query text and engine it was computed with (`sparql_sha256`,
`engine`): a query file edited after the build, or another pyoxigraph, is evaluated as before.
A release without the folder (built before it existed) is served as before too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kskg.query_files import CuratedQuery

ANSWERS = "answers"
INDEX = "index.json"
MEDIA_TYPE = "application/sparql-results+json"
#: The engine whose bytes an answer is: another version may write the same result otherwise.
ENGINE = f"pyoxigraph {ox.__version__}"


def precomputable(query: CuratedQuery) -> bool:
    """A query the build answers: no required parameter (the optional ones stay unset)."""
    return not any(param.required for param in query.params)


def sparql_sha256(sparql: str) -> str:
    return hashlib.sha256(sparql.encode("utf-8")).hexdigest()


def merged_store(nquads: Path) -> ox.Store:
    """A release's N-Quads in a fresh store whose default graph is the de-duplicated merge of
    its named graphs: the dataset the server's stores answer from (api/engine/oxigraph_store.py
    `load_nquads`)."""
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def write_answers(nquads: Path, queries: Iterable[CuratedQuery], target: Path) -> list[str]:
    """Evaluate every precomputable query of `queries` on the release whose dump is `nquads`
    and write the answers and their index into the folder `target`; the names answered."""
    chosen = [query for query in queries if precomputable(query)]
    if not chosen:
        return []
    return write_store_answers(merged_store(nquads), chosen, target)


def write_store_answers(store: ox.Store, queries: Iterable[CuratedQuery], target: Path) -> list:
    """`write_answers` on an already loaded store (default graph = the merge)."""
    target.mkdir(parents=True, exist_ok=True)
    entries = {}
    for query in queries:
        if not precomputable(query):
            continue
        body = store.query(query.sparql).serialize(format=ox.QueryResultsFormat.JSON)
        name = f"{query.name}.srj"
        (target / name).write_bytes(body)
        entries[query.name] = {
            "file": name,
            "sparql_sha256": sparql_sha256(query.sparql),
            "bytes": len(body),
        }
    index = {"engine": ENGINE, "answers": entries}
    (target / INDEX).write_text(json.dumps(index, indent=2, sort_keys=True) + "\n", "utf-8")
    return sorted(entries)


@dataclass(frozen=True)
class ReleaseAnswers:
    """The precomputed answers of one release folder (none for a release without them)."""

    folder: Path
    entries: dict

    @classmethod
    def open(cls, release_path: Path) -> ReleaseAnswers:
        """The answers of the release at `release_path`; empty when it has none, was written by
        another engine, or its index cannot be read."""
        folder = release_path / ANSWERS
        try:
            index = json.loads((folder / INDEX).read_text("utf-8"))
        except (OSError, ValueError):
            return cls(folder, {})
        if not isinstance(index, dict) or index.get("engine") != ENGINE:
            return cls(folder, {})
        entries = index.get("answers")
        return cls(folder, entries if isinstance(entries, dict) else {})

    def get(self, name: str, sparql: str) -> bytes | None:
        """The stored answer of query `name` if it was computed from exactly `sparql`."""
        entry = self.entries.get(name)
        if not isinstance(entry, dict) or entry.get("sparql_sha256") != sparql_sha256(sparql):
            return None
        file = entry.get("file")
        if not isinstance(file, str) or Path(file).name != file:
            return None  # only a file of the folder itself, never a path out of it
        try:
            return (self.folder / file).read_bytes()
        except OSError:
            return None

    def __len__(self) -> int:
        return len(self.entries)
