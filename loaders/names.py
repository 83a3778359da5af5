"""Resolve names as written in a document against the reference data.

Kommune names: an exact match (after normalising case, whitespace and dashes) wins; otherwise
the single closest reference name within a strict edit distance (at most 2 edits and at most
10 % of the name's length) is taken and the caller reports the correction. Bundesland names
match case-insensitively with hyphens and spaces treated alike ("SCHLESWIG-HOLSTEIN").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from loaders.reference_data import BundeslandRow, KommuneRow

MAX_EDITS = 2
MAX_EDIT_SHARE = 0.10


@dataclass(frozen=True)
class Resolution:
    """A name resolved to a reference row; ``exact`` is False for a corrected misspelling."""

    written: str
    row: KommuneRow
    exact: bool

    @property
    def canonical(self) -> str:
        return self.row.name


def normalise_name(name: str) -> str:
    """Case-folded, dashes unified, one space between words."""
    text = re.sub(r"[‐‑‒–—-]", "-", name.strip().lower())
    return re.sub(r"\s+", " ", text)


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance (insertions, deletions, substitutions). With `limit`, any distance
    above it may be reported as `limit + 1` (the computation stops as soon as it is certain)."""
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if limit is not None and min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _shares_a_piece(key: str, name: str, limit: int) -> bool:
    """False only if `name` is certainly more than `limit` edits from `key`: cut into
    `limit + 1` pieces, `key` keeps one piece untouched by `limit` edits, and that piece occurs
    in `name` (a substring test is far cheaper than the edit distance)."""
    size = len(key) // (limit + 1)
    if not size:
        return True
    cuts = [i * size for i in range(limit + 1)] + [len(key)]
    return any(key[start:end] in name for start, end in pairwise(cuts))


class KommunenIndex:
    """The rows of kommunen.csv, looked up by name."""

    def __init__(self, rows: list[KommuneRow]) -> None:
        self.rows = rows
        self._by_name = {normalise_name(row.name): row for row in rows}

    def resolve(self, written: str) -> Resolution | None:
        """The reference row for a name as written, or None when nothing is close enough."""
        key = normalise_name(written)
        if key in self._by_name:
            return Resolution(written, self._by_name[key], exact=True)
        limit = min(MAX_EDITS, int(len(key) * MAX_EDIT_SHARE))
        # Bounded: every written name was compared with every reference name, which made
        # parsing grow with the square of the number of Kommunen.
        close = [
            name
            for name in self._by_name
            if _shares_a_piece(key, name, limit) and edit_distance(key, name, limit) <= limit
        ]
        if len(close) != 1:
            return None
        return Resolution(written, self._by_name[close[0]], exact=False)

    def by_ags(self, ags: str) -> KommuneRow | None:
        return next((row for row in self.rows if row.ags == ags), None)


def _bundesland_key(name: str) -> str:
    return re.sub(r"[\s‐‑‒–—-]+", " ", name.strip().lower())


class BundeslaenderIndex:
    """The rows of bundeslaender.csv, looked up by name as written in a profile."""

    def __init__(self, rows: list[BundeslandRow]) -> None:
        self.rows = rows
        self._by_name = {_bundesland_key(row.name): row for row in rows}

    def resolve(self, written: str) -> BundeslandRow | None:
        return self._by_name.get(_bundesland_key(written))
