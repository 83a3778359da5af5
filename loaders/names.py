"""Resolve names as written in a document against the reference data (docs/loaders.md, "Names").

Kommune names go through four rules in order; the first that finds exactly one row wins:

1. exact: the reference name, after normalising case, whitespace and dashes;
2. alias: a name of data/reference/aliases.csv;
3. form: the same core with official prefixes and suffixes dropped or added ("Segeberg",
   "Landkreis Segeberg" -> "Kreis Segeberg"; "Stadt Ludwigshafen" -> "… am Rhein"), the
   prefixes' kinds agreeing (`loaders.name_forms`);
4. typo: the single closest name or core within a strict edit distance (at most 2 edits and at
   most 10 % of its length).

With a cluster context (a name listed in the profile of a cluster's member), each rule looks
among that cluster's members first, then among all rows. A rule that finds several rows stops
the search: the name is ambiguous and resolves to nothing. Bundesland names match
case-insensitively with hyphens and spaces treated alike ("SCHLESWIG-HOLSTEIN").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from loaders.name_forms import NameForm, name_form, normalise_name
from loaders.reference_data import AliasRow, BundeslandRow, KommuneRow

__all__ = [
    "BundeslaenderIndex",
    "KommunenIndex",
    "Resolution",
    "Rule",
    "edit_distance",
    "normalise_name",
]

MAX_EDITS = 2
MAX_EDIT_SHARE = 0.10


class Rule(StrEnum):
    """How a written name found its reference row."""

    EXACT = "exact"
    ALIAS = "alias"
    FORM = "form"
    TYPO = "typo"


@dataclass(frozen=True)
class Resolution:
    """A name resolved to a reference row by `rule`; ``in_cluster`` when the cluster context
    decided (the row was found among the cluster's members)."""

    written: str
    row: KommuneRow
    rule: Rule
    in_cluster: bool = False
    alias: AliasRow | None = None

    @property
    def exact(self) -> bool:
        return self.rule is Rule.EXACT

    @property
    def canonical(self) -> str:
        return self.row.name


@dataclass(frozen=True)
class Ambiguity:
    """A rule found several rows for one name (it resolves to none of them)."""

    written: str
    rule: Rule
    rows: tuple[KommuneRow, ...]


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


@dataclass(frozen=True)
class _Name:
    """What the rules compare: the normalised name and its form."""

    key: str
    form: NameForm


#: A rule's search: the rows it finds for a name among `scope` (row ids; None = every row).
Finder = Callable[[_Name, "frozenset[int] | None"], list[KommuneRow]]


class KommunenIndex:
    """The rows of kommunen.csv (and aliases.csv), looked up by name."""

    def __init__(self, rows: list[KommuneRow], aliases: Iterable[AliasRow] = ()) -> None:
        self.rows = rows
        self._keys = {id(row): normalise_name(row.name) for row in rows}
        self._forms = {id(row): name_form(row.name) for row in rows}
        self._by_key = {self._keys[id(row)]: row for row in rows}
        self._by_core: dict[str, list[KommuneRow]] = {}
        self._clusters: dict[int | str, frozenset[int]] = {}
        for row in rows:
            self._by_core.setdefault(self._forms[id(row)].core, []).append(row)
            if row.cluster_key is not None:
                members = self._clusters.get(row.cluster_key, frozenset())
                self._clusters[row.cluster_key] = members | {id(row)}
        by_ags = {row.ags: row for row in rows}
        self._alias_rows = {normalise_name(alias.alias): alias for alias in aliases}
        self._aliases = {key: by_ags[alias.ags] for key, alias in self._alias_rows.items()}
        self._rules: tuple[tuple[Rule, Finder], ...] = (
            (Rule.EXACT, self._exact),
            (Rule.ALIAS, self._alias),
            (Rule.FORM, self._form),
            (Rule.TYPO, self._typo),
        )

    def resolve(self, written: str, cluster: int | str | None = None) -> Resolution | None:
        """The reference row for a name as written, or None (unknown or ambiguous)."""
        found = self.lookup(written, cluster)
        return found if isinstance(found, Resolution) else None

    def lookup(
        self, written: str, cluster: int | str | None = None
    ) -> Resolution | Ambiguity | None:
        """Like `resolve`, but says which rows made a name ambiguous.

        ``cluster`` is a `KommuneRow.cluster_key`: its members are searched first by each rule.
        """
        name = _Name(normalise_name(written), name_form(written))
        scopes: list[frozenset[int] | None] = []
        if cluster is not None:
            scopes.append(self._clusters.get(cluster, frozenset()))
        scopes.append(None)
        for rule, finder in self._rules:
            for scope in scopes:
                found = finder(name, scope)
                if len(found) == 1:
                    alias = self._alias_rows.get(name.key) if rule is Rule.ALIAS else None
                    return Resolution(written, found[0], rule, scope is not None, alias)
                if len(found) > 1:
                    return Ambiguity(written, rule, tuple(found))
        return None

    def members(self, cluster: int | str) -> list[KommuneRow]:
        """The rows of one cluster (by `KommuneRow.cluster_key`), in file order."""
        ids = self._clusters.get(cluster, frozenset())
        return [row for row in self.rows if id(row) in ids]

    def _exact(self, name: _Name, scope: frozenset[int] | None) -> list[KommuneRow]:
        return _within([self._by_key[name.key]] if name.key in self._by_key else [], scope)

    def _alias(self, name: _Name, scope: frozenset[int] | None) -> list[KommuneRow]:
        return _within([self._aliases[name.key]] if name.key in self._aliases else [], scope)

    def _form(self, name: _Name, scope: frozenset[int] | None) -> list[KommuneRow]:
        rows = [
            r
            for r in self._by_core.get(name.form.core, [])
            if name.form.compatible(self._forms[id(r)])
        ]
        # A written suffix narrows the choice: "Frankfurt am Main" is not Frankfurt (Oder).
        same_body = [r for r in rows if self._forms[id(r)].body == name.form.body]
        return _within(same_body or rows, scope)

    def _typo(self, name: _Name, scope: frozenset[int] | None) -> list[KommuneRow]:
        # Bounded: every written name was compared with every reference name, which made
        # parsing grow with the square of the number of Kommunen.
        key_limit, core_limit = _limit(name.key), _limit(name.form.core)
        return [
            row
            for row in _within(self.rows, scope)
            if _close(name.key, self._keys[id(row)], key_limit)
            or (
                name.form.kinds_agree(self._forms[id(row)])
                and _close(name.form.core, self._forms[id(row)].core, core_limit)
            )
        ]

    def by_ags(self, ags: str) -> KommuneRow | None:
        return next((row for row in self.rows if row.ags == ags), None)


def _within(rows: list[KommuneRow], scope: frozenset[int] | None) -> list[KommuneRow]:
    return rows if scope is None else [row for row in rows if id(row) in scope]


def _limit(text: str) -> int:
    return min(MAX_EDITS, int(len(text) * MAX_EDIT_SHARE))


def _close(written: str, name: str, limit: int) -> bool:
    return _shares_a_piece(written, name, limit) and edit_distance(written, name, limit) <= limit


def _bundesland_key(name: str) -> str:
    key = re.sub(r"[\s‐‑‒–—-]+", " ", name.strip().lower())
    return _STATE_TITLE.sub("", key)


#: How a state's official title starts ("Freistaat Bayern", "Land Berlin"); dropped for lookup.
_STATE_TITLE = re.compile(r"^(?:land|freistaat|freie und hansestadt|freie hansestadt) ")
#: Abbreviations in common use that are not the ISO 3166-2 code ("NW", "RP").
COMMON_ABBREVIATIONS = {"nrw": "DE-NW", "rlp": "DE-RP", "mvp": "DE-MV", "s h": "DE-SH"}


@dataclass(frozen=True)
class BundeslandMatch:
    """A Bundesland as written in a profile: its row and, unless exact, how it was read."""

    row: BundeslandRow
    note: str | None = None


class BundeslaenderIndex:
    """The rows of bundeslaender.csv, looked up by name as written in a profile: the name, the
    official title ("Freistaat Sachsen"), the ISO code with or without "DE-", a common
    abbreviation (NRW), or a name within two typos (with a note)."""

    def __init__(self, rows: list[BundeslandRow]) -> None:
        self.rows = rows
        by_iso = {row.iso: row for row in rows}
        self._by_name = {_bundesland_key(row.name): row for row in rows}
        self._by_code = {_bundesland_key(row.iso): row for row in rows}
        self._by_code.update({_bundesland_key(row.iso).removeprefix("de "): row for row in rows})
        self._by_code.update(
            {short: by_iso[iso] for short, iso in COMMON_ABBREVIATIONS.items() if iso in by_iso}
        )

    def match(self, written: str) -> BundeslandMatch | None:
        key = _bundesland_key(written)
        if key in self._by_name:
            return BundeslandMatch(self._by_name[key])
        if key in self._by_code:
            row = self._by_code[key]
            return BundeslandMatch(row, f"{written!r} read as {row.name!r} (abbreviation)")
        close = [row for name, row in self._by_name.items() if _close_name(key, name)]
        if len(close) == 1:
            return BundeslandMatch(close[0], f"{written!r} read as {close[0].name!r} (misspelt)")
        return None


def _close_name(written: str, name: str) -> bool:
    return len(name) > 5 and edit_distance(written, name, MAX_EDITS) <= MAX_EDITS
