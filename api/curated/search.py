"""The `suche` route's answers from the release's full-text index (kskg/search_index.py).

`q` is read as words and "quoted phrases": a text matches when it contains every one of them,
case-insensitively, as a substring (a phrase with its spaces as written). A resource matches
when one of its texts does. Resources are ranked by relevance, the length of their shortest
matching text (a word in a label before the same word in a paragraph), then ordered as
queries/suche.rq orders them (type, label, IRI). Words of two characters or more are looked up
in the index (`SearchIndex.condition`); single characters are checked on the texts the others
matched (or on all texts, when there are no others).

Only the page asked for is read and made into records: ranking, the total and the page come
from the index's rowids (resource and length, kskg/search_index.py) in one query, then the
page's labels and matched texts in two more. The page is built as the SPARQL JSON result of
suche.rq would be, so the records are made by the same code (`json_records`). A release
without an index of this layout (built before it) is answered by suche.rq in a worker.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kskg.release import Release
from kskg.search_index import (
    EDGE,
    LENGTH_CAP,
    LENGTH_SHIFT,
    RID_SHIFT,
    SCHEMA_VERSION,
    SEARCH_DB,
)

#: The curated query answered from the index.
SEARCH_QUERY = "suche"

_PART = re.compile(r'"([^"]*)"?|(\S+)')
_RANKED = (
    f"SELECT rowid >> {RID_SHIFT} AS rid, MIN((rowid >> {LENGTH_SHIFT}) & {LENGTH_CAP}) AS length,"
    " count(*) OVER () FROM texts WHERE {where} GROUP BY rid ORDER BY length, rid"
    " LIMIT ? OFFSET ?"
)
_COUNTED = f"SELECT count(DISTINCT rowid >> {RID_SHIFT}) FROM texts WHERE {{where}}"
# The page's texts by rowid range, each checked for every word without the index: reading
# them is cheaper than matching the index again when a word has many matches.
_MATCHED = (
    "SELECT page.value, MIN(text), MIN(eigenschaft) FROM json_each(?) AS page CROSS JOIN texts"
    f" WHERE texts.rowid >= page.value << {RID_SHIFT}"
    f" AND texts.rowid < (page.value + 1) << {RID_SHIFT} AND {{checks}} GROUP BY page.value"
)
_RESOURCES = (
    "SELECT rid, ressource, typ, label FROM ressourcen"
    " WHERE rid IN (SELECT value FROM json_each(?))"
)
_TRIGRAMS = "SELECT trigramm FROM paare WHERE paar = ?"
_FIELDS = ("ressource", "typ", "label", "treffer", "eigenschaft")


def parts(q: str) -> list[str]:
    """The words and "quoted phrases" of `q`, lower-cased (an unclosed quote runs to the end)."""
    found = [(m.group(1) if m.group(1) is not None else m.group(2)) for m in _PART.finditer(q)]
    return [part.lower() for part in found if part.strip()]


@dataclass(frozen=True)
class Condition:
    """The WHERE clause selecting the texts that contain every word of a query, and its
    parameters; `checks` is the same condition without the index, for a few texts."""

    where: str
    params: tuple
    checks: str
    checked: tuple


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class SearchIndex:
    """One release's index, opened read-only (one connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True)
            db.create_function("lowered", 1, _lowered, deterministic=True)
            self._local.db = db
        return db

    def condition(self, q: str) -> Condition | None:
        """The texts that contain every word of `q`; None when none can (or `q` has no words).

        Words of three characters or more are looked up in the trigram index, words of two as
        "any trigram holding them" (`paare`); single characters are checked on the texts the
        others matched, or on every text. A word with a NUL character (FTS5's query syntax
        cannot carry one) or the index's frame character is checked on the texts as written."""
        words = parts(q)
        if not words:
            return None
        matches, checks, params = [], [], []
        odd = ["\x00" in word or EDGE in word for word in words]
        exact = [f"instr({'lowered(text)' if o else 'folded'}, ?) > 0" for o in odd]
        for word, unindexed, check in zip(words, odd, exact, strict=True):
            if unindexed:
                checks.append(check)
                params.append(word)
            elif len(word) >= 3:
                matches.append(_quoted(word))
            elif len(word) == 2:
                trigrams = [row[0] for row in self._db().execute(_TRIGRAMS, (word,))]
                if not trigrams:
                    return None
                matches.append("(" + " OR ".join(map(_quoted, trigrams)) + ")")
            else:
                checks.append(check)
                params.append(word)
        if matches:
            checks.insert(0, "texts MATCH ?")
            params.insert(0, " AND ".join(matches))
        return Condition(" AND ".join(checks), tuple(params), " AND ".join(exact), tuple(words))

    def page(self, q: str, limit: int = -1, offset: int = 0) -> tuple[dict, int]:
        """The matches of `q` ranked, `limit` of them (-1: all) from `offset` on, as a SPARQL
        JSON result with suche.rq's variables; and how many resources match in all."""
        condition = self.condition(q)
        if condition is None:
            return _result([]), 0
        db = self._db()
        ranked = db.execute(
            _RANKED.format(where=condition.where), (*condition.params, limit, offset)
        ).fetchall()
        if not ranked and not offset:
            return _result([]), 0
        if not ranked:  # the page lies past the last match: count apart
            counted = db.execute(_COUNTED.format(where=condition.where), condition.params)
            return _result([]), counted.fetchone()[0]
        rids = json.dumps([row[0] for row in ranked])
        named = {row[0]: row[1:] for row in db.execute(_RESOURCES, (rids,))}
        matched = db.execute(_MATCHED.format(checks=condition.checks), (rids, *condition.checked))
        texts = {row[0]: row[1:] for row in matched}
        # FTS5 folds a few characters Python's lower() keeps (ſ to s): a resource the index
        # matched but no check confirms keeps its place, without a matching text.
        rows = [(*named[rid], *texts.get(rid, ("", ""))) for rid, *_ in ranked]
        return _result(rows), ranked[0][2]

    def results(self, q: str) -> dict:
        """Every match of `q`, ranked, as a SPARQL JSON result with suche.rq's variables."""
        return self.page(q)[0]


def _lowered(text: str | None) -> str:
    return (text or "").lower()


def _result(rows: list[tuple]) -> dict:
    return {"head": {"vars": list(_FIELDS)}, "results": {"bindings": [_binding(r) for r in rows]}}


def _binding(row: tuple) -> dict:
    binding = {"ressource": {"type": "uri", "value": row[0]}}
    for name, value in zip(_FIELDS[1:], row[1:5], strict=True):
        if value:  # the index keeps an unbound label or type as ""
            binding[name] = {"type": "literal", "value": value}
    return binding


def search_index(release: Release) -> SearchIndex | None:
    """The index of `release`, None if it has none of the layout read here."""
    return _opened(release.path / SEARCH_DB)


@lru_cache(maxsize=4)
def _opened(path: Path) -> SearchIndex | None:
    if not path.is_file():
        return None
    with sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
    db.close()
    return SearchIndex(path) if version == SCHEMA_VERSION else None
