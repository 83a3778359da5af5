"""The curated answers a release carries: every curated query without a required parameter,
evaluated once by the build with its optional parameters unset.

    <release>/answers/index.json     {"engine": "pyoxigraph <v>, orjson <v>", "root": "/",
                                      "answers": {name: {"file", "shape", "count",
                                                         "sparql_sha256", "bytes"}}}
    <release>/answers/<name>.jsonl    shape records: one record per line, as orjson writes it
    <release>/answers/<name>.json     shape graph: the {"nodes", "edges"} object
    <release>/answers/<name>.json.deflate   the same, raw deflate ending in a sync flush: the
                                      middle of a gzip-coded response body holding it
                                      (api/curated/precomputed.py), so the several MiB of
                                      the network graph are not compressed on a request

At a million triples such a query is a whole-graph listing or aggregate that takes up to a
second and a half to evaluate, and turning its several MiB of solutions into records takes a
few hundred milliseconds more; the curated service (api/curated/service.py) answers it from
this file instead, so no first caller waits for either. The records are made by the same code
as the served ones (kskg/curated_records.py) from the same store contents, for the page root
`/`; one record per line lets a route read its total and first page without parsing the rest.

An answer is used only for the query text, engine and root it was made with
(`sparql_sha256`, `engine`, `root`): a query file edited after the build, another pyoxigraph or
orjson, or a server under a path prefix evaluates the query as before. A release without the
folder (built before it existed) is served as before too.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pyoxigraph as ox

from kskg.curated_records import edge_graph, json_records
from kskg.query_files import CuratedQuery

ANSWERS = "answers"
INDEX = "index.json"
#: The page root the stored records' `_page` paths are written for.
ROOT = "/"
#: What wrote an answer's bytes: another version might write the same result otherwise.
ENGINE = f"pyoxigraph {ox.__version__}, orjson {orjson.__version__}"


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
        if precomputable(query):
            entries[query.name] = _write_answer(store, query, target)
    index = {"engine": ENGINE, "root": ROOT, "answers": entries}
    (target / INDEX).write_text(json.dumps(index, indent=2, sort_keys=True) + "\n", "utf-8")
    return sorted(entries)


def _write_answer(store: ox.Store, query: CuratedQuery, target: Path) -> dict:
    solutions = store.query(query.sparql).serialize(format=ox.QueryResultsFormat.JSON)
    records = json_records(orjson.loads(solutions), query.fields, ROOT)
    entry: dict = {"shape": query.shape, "sparql_sha256": sparql_sha256(query.sparql)}
    if query.shape == "graph":
        graph = edge_graph(records, ROOT)
        name, body, entry["count"] = f"{query.name}.json", orjson.dumps(graph), len(graph["edges"])
        entry["deflate"] = name + ".deflate"
        (target / entry["deflate"]).write_bytes(deflate_segment(body))
    else:
        name, entry["count"] = f"{query.name}.jsonl", len(records)
        body = b"\n".join(orjson.dumps(record) for record in records)
    (target / name).write_bytes(body)
    return {**entry, "file": name, "bytes": len(body)}


def deflate_segment(data: bytes) -> bytes:
    """`data` as raw deflate that ends byte-aligned and not final (a sync flush), so it can
    stand between two other such segments of one deflate stream (RFC 1951 §3.2.3)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


@dataclass(frozen=True)
class StoredAnswer:
    """One precomputed answer: `body` is the file (records: one JSON record per line; graph:
    one JSON object), `count` its records (graph: its edges), `deflated` the body as a deflate
    segment (graph only)."""

    shape: str
    count: int
    # Not in the repr: asyncio writes the repr of a task's arguments, and a body has MiBs.
    body: bytes = field(repr=False)
    deflated: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ReleaseAnswers:
    """The precomputed answers of one release folder (none for a release without them)."""

    folder: Path
    entries: dict

    @classmethod
    def open(cls, release_path: Path) -> ReleaseAnswers:
        """The answers of the release at `release_path`; empty when it has none, they were
        written by another engine or for another page root, or the index cannot be read."""
        folder = release_path / ANSWERS
        try:
            index = json.loads((folder / INDEX).read_text("utf-8"))
        except (OSError, ValueError):
            return cls(folder, {})
        written_by = (index.get("engine"), index.get("root")) if isinstance(index, dict) else None
        if written_by != (ENGINE, ROOT):
            return cls(folder, {})
        entries = index.get("answers")
        return cls(folder, entries if isinstance(entries, dict) else {})

    def has(self, name: str, sparql: str) -> bool:
        """Whether the release answers query `name` computed from exactly `sparql`."""
        return self._entry(name, sparql) is not None

    def get(self, name: str, sparql: str) -> StoredAnswer | None:
        """The stored answer of query `name` if it was computed from exactly `sparql`."""
        entry = self._entry(name, sparql)
        body = None if entry is None else self._read(entry.get("file"))
        if body is None:
            return None
        deflated = self._read(entry.get("deflate"))
        return StoredAnswer(str(entry.get("shape")), int(entry.get("count") or 0), body, deflated)

    def _entry(self, name: str, sparql: str) -> dict | None:
        entry = self.entries.get(name)
        if not isinstance(entry, dict) or entry.get("sparql_sha256") != sparql_sha256(sparql):
            return None
        return entry

    def _read(self, file) -> bytes | None:
        if not isinstance(file, str) or Path(file).name != file:
            return None  # only a file of the folder itself, never a path out of it
        try:
            return (self.folder / file).read_bytes()
        except OSError:
            return None

    def __len__(self) -> int:
        return len(self.entries)
