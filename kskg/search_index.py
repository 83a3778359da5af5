"""The full-text index of a release: `search.sqlite` beside its dumps, written by the build
(SQLite FTS5 from the standard library, trigram tokenizer), read by the `suche` route
(api/curated/search.py).

One row per searchable text of a resource (rdfs:label, skos:prefLabel, skos:altLabel,
ksk:text), with the resource's type name and label as queries/suche.rq reads them
(kskg/rq/search_rows.rq). The trigram tokenizer matches any substring of three characters or
more, case-insensitively, as suche.rq's CONTAINS(LCASE(…)) did, and FTS5 ranks the matches by
relevance (bm25). No web framework here: the build imports it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyoxigraph as ox

from kskg.store_layout import layout_query

SEARCH_DB = "search.sqlite"

_SCHEMA = """
CREATE VIRTUAL TABLE texts USING fts5(
    text, ressource UNINDEXED, eigenschaft UNINDEXED, typ UNINDEXED, label UNINDEXED,
    tokenize = 'trigram'
);
"""


def write_search_index(nquads: Path, target: Path) -> int:
    """Write the index of the release whose N-Quads dump is `nquads` to `target` (replaced if
    it exists); returns the number of texts indexed."""
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    return write_store_index(store, target)


def write_store_index(store: ox.Store, target: Path) -> int:
    """`write_search_index` from a loaded store of the release (its named graphs are read)."""
    rows = store.query(layout_query("search_rows"), use_default_graph_as_union=True)
    target.unlink(missing_ok=True)
    with sqlite3.connect(target) as db:
        # A fresh file in a staging folder: the publish step syncs the release as a whole.
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        db.executemany(
            "INSERT INTO texts (text, ressource, eigenschaft, typ, label) VALUES (?, ?, ?, ?, ?)",
            sorted(_row(r) for r in rows),  # a rebuild writes the same bytes
        )
        count = db.execute("SELECT count(*) FROM texts").fetchone()[0]
        db.execute("INSERT INTO texts(texts) VALUES ('optimize')")
    db.close()
    return count


def _row(solution: ox.QuerySolution) -> tuple:
    def value(name: str) -> str | None:
        term = solution[name]
        return None if term is None else term.value

    # Strings only (None as ""), so the rows sort; the route reads "" back as unbound.
    names = ("text", "ressource", "property_name", "typ", "label")
    return tuple(value(name) or "" for name in names)
