"""The `suche` route's answers from the release's full-text index (kskg/search_index.py).

`q` is read as words and "quoted phrases": a text matches when it contains every one of them,
case-insensitively, as a substring (a phrase with its spaces as written). Matches are ranked
by relevance (FTS5's bm25), then ordered as queries/suche.rq orders them (type, label, IRI).
Words and phrases of three characters or more use the trigram index; shorter ones (and any
with a NUL character) are checked by scanning the texts the others matched (or all texts, when
there are no others).

The answer has the route's fields and is built as the SPARQL JSON result of suche.rq would be,
so the records are made by the same code (`json_records`). A release without an index (built
before it existed) is answered by suche.rq in a worker as before.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from kskg.release import Release
from kskg.search_index import SEARCH_DB

#: The curated query answered from the index.
SEARCH_QUERY = "suche"

_PART = re.compile(r'"([^"]*)"?|(\S+)')
_MATCHED = (
    "SELECT ressource, MIN(typ), MIN(label), MIN(text), MIN(eigenschaft), MIN(rank) AS score "
    "FROM texts WHERE texts MATCH ? {short} GROUP BY ressource "
    "ORDER BY score, MIN(typ), MIN(label), ressource"
)
_SCANNED = (
    "SELECT ressource, MIN(typ), MIN(label), MIN(text), MIN(eigenschaft) "
    "FROM texts WHERE 1 {short} GROUP BY ressource ORDER BY MIN(typ), MIN(label), ressource"
)
_FIELDS = ("ressource", "typ", "label", "treffer", "eigenschaft")


def parts(q: str) -> list[str]:
    """The words and "quoted phrases" of `q`, lower-cased (an unclosed quote runs to the end)."""
    found = [(m.group(1) if m.group(1) is not None else m.group(2)) for m in _PART.finditer(q)]
    return [part.lower() for part in found if part.strip()]


class SearchIndex:
    """One release's index, opened read-only (one connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True)
            db.create_function("folded", 1, _folded, deterministic=True)
            self._local.db = db
        return db

    def results(self, q: str) -> dict:
        """The matches of `q` as a SPARQL JSON result with suche.rq's variables."""
        words = parts(q)
        # FTS5's query syntax cannot carry a NUL character: such a word is scanned for.
        long = [w for w in words if len(w) >= 3 and "\x00" not in w]
        short = [w for w in words if w not in long]
        checks = "".join(" AND instr(folded(text), ?) > 0" for _ in short)
        if not words:
            rows = []
        elif long:
            match = " ".join('"' + w.replace('"', '""') + '"' for w in long)
            rows = self._db().execute(_MATCHED.format(short=checks), [match, *short]).fetchall()
        else:
            rows = self._db().execute(_SCANNED.format(short=checks), short).fetchall()
        return {
            "head": {"vars": list(_FIELDS)},
            "results": {"bindings": [_binding(row) for row in rows]},
        }


def _folded(text: str | None) -> str:
    return (text or "").lower()


def _binding(row: tuple) -> dict:
    binding = {"ressource": {"type": "uri", "value": row[0]}}
    for name, value in zip(_FIELDS[1:], row[1:5], strict=True):
        if value:  # the index keeps an unbound label or type as ""
            binding[name] = {"type": "literal", "value": value}
    return binding


def search_index(release: Release) -> SearchIndex | None:
    """The index of `release`, None if it has none."""
    return _opened(release.path / SEARCH_DB)


@lru_cache(maxsize=4)
def _opened(path: Path) -> SearchIndex | None:
    return SearchIndex(path) if path.is_file() else None
