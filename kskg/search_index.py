"""The full-text index of a release: `search.sqlite` beside its dumps, written by the build
(SQLite FTS5 from the standard library, trigram tokenizer), read by the `suche` route
(api/curated/search.py).

Three tables. `ressourcen` has one row per resource with a searchable text: its IRI, type name
and label as queries/suche.rq reads them (kskg/rq/search_rows.rq); its `rid` numbers the
resources in suche.rq's order (type, label, IRI), so ordering by `rid` is that order. `texts`
(FTS5, trigram tokenizer) has one row per searchable text (rdfs:label, skos:prefLabel,
skos:altLabel, ksk:text): the indexed column `folded` is the text lower-cased and framed by
`EDGE` on both sides, beside it the text as written and the property. Its rowid packs `rid`,
the text's length in characters (capped at `LENGTH_CAP`) and its number within the resource
(`text_rowid`): the resource of a match and the length that ranks it are read from the rowid
alone, without touching the stored text or FTS5's size table. `paare` lists, for every two
characters, the indexed trigrams that contain them: a two-character word is looked up as "any of
these trigrams" (the frame makes one at the start and end of every text, so a text that is just
the two characters has one too).

The trigram index matches any substring of three characters or more, as suche.rq's
CONTAINS(LCASE(…)) did (both sides lower-cased by Python's `str.lower`).
`PRAGMA user_version` is `SCHEMA_VERSION`; the route reads no other. No web framework here:
the build imports it.
"""

from __future__ import annotations

import sqlite3
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox

from kskg.store_layout import layout_query

SEARCH_DB = "search.sqlite"

#: Frames every indexed text: a private-use character no German text holds (a word containing
#: it is not looked up in the index).
EDGE = "\ue000"

#: The layout the route reads (an index of another version is not read: suche.rq answers).
SCHEMA_VERSION = 2

#: rowid of a text: rid << RID_SHIFT | min(length, LENGTH_CAP) << LENGTH_SHIFT | number.
RID_SHIFT = 32
LENGTH_SHIFT = 20
LENGTH_CAP = (1 << (RID_SHIFT - LENGTH_SHIFT)) - 1

_SCHEMA = f"""
PRAGMA user_version = {SCHEMA_VERSION};
CREATE TABLE ressourcen (rid INTEGER PRIMARY KEY, ressource TEXT, typ TEXT, label TEXT);
CREATE VIRTUAL TABLE texts USING fts5(
    folded, text UNINDEXED, eigenschaft UNINDEXED, tokenize = 'trigram'
);
CREATE TABLE paare (paar TEXT, trigramm TEXT, PRIMARY KEY (paar, trigramm)) WITHOUT ROWID;
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
    # Sorted by (type, label, IRI, property, text): suche.rq's order, and a rebuild writes
    # the same bytes.
    ordered = sorted(_row(r) for r in rows)
    target.unlink(missing_ok=True)
    with sqlite3.connect(target) as db:
        # A fresh file in a staging folder: the publish step syncs the release as a whole.
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        resources, texts = _numbered(ordered)
        db.executemany("INSERT INTO ressourcen VALUES (?, ?, ?, ?)", resources)
        db.executemany(
            "INSERT INTO texts (rowid, folded, text, eigenschaft) VALUES (?, ?, ?, ?)", texts
        )
        db.execute("INSERT INTO texts(texts) VALUES ('optimize')")
        db.executemany("INSERT INTO paare VALUES (?, ?)", _pairs(db))
    db.close()
    return len(texts)


def _numbered(ordered: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    resources, texts = [], []
    for rid, (key, rows) in enumerate(groupby(ordered, key=lambda row: row[:3]), start=1):
        typ, label, ressource = key
        resources.append((rid, ressource, typ, label))
        for number, (*_, eigenschaft, text) in enumerate(rows):
            rowid = text_rowid(rid, len(text), number)
            texts.append((rowid, EDGE + text.lower() + EDGE, text, eigenschaft))
    return resources, texts


def _pairs(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """(two characters, an indexed trigram holding them) for every trigram of the index."""
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, texts, 'row')")
    trigrams = [row[0] for row in db.execute("SELECT term FROM temp.vocab")]
    found = {(t[i : i + 2], t) for t in trigrams if len(t) == 3 for i in (0, 1)}
    return sorted(pair for pair in found if EDGE not in pair[0])


def text_rowid(rid: int, length: int, number: int) -> int:
    """The rowid of text `number` (0, 1, …) of resource `rid`, `length` characters long."""
    if number >> LENGTH_SHIFT:
        raise ValueError(f"resource {rid} has more than {1 << LENGTH_SHIFT} texts")
    return rid << RID_SHIFT | min(length, LENGTH_CAP) << LENGTH_SHIFT | number


def _row(solution: ox.QuerySolution) -> tuple:
    def value(name: str) -> str | None:
        term = solution[name]
        return None if term is None else term.value

    # Strings only (None as ""), so the rows sort; the route reads "" back as unbound.
    names = ("typ", "label", "ressource", "property_name", "text")
    return tuple(value(name) or "" for name in names)
