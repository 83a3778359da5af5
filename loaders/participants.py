"""Split a "Teilnehmende" entry into organisations.

Rule (docs/loaders.md): entries are separated by ``|`` only — commas and parentheses belong to
the name ("Diakonisches Werk, Erziehungsberatungsstelle Schwarzenbek" is one organisation). A
trailing parenthetical is an annotation (``ksk:anmerkung``) only when it is one of the known
participation qualifiers below ("Schulen (zeitweise)"); any other parenthetical is part of the
name ("Landesinstitut für Schule (Zentrum für schülerbezogene Beratung)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Words that qualify how an organisation took part, not which organisation it is.
PARTICIPATION_QUALIFIERS = frozenset(
    {"zeitweise", "zeitweilig", "teilweise", "gelegentlich", "punktuell", "beratend", "bei bedarf"}
)

_TRAILING_PARENTHETICAL = re.compile(r"^(?P<name>.*?)\s*\((?P<note>[^()]*)\)\s*$")


@dataclass(frozen=True)
class Participant:
    """One organisation of a Teilnehmende list; ``line`` is where its entry starts."""

    name: str
    anmerkung: str | None
    line: int


def split_participants(text: str, line: int) -> list[Participant]:
    """The ``|``-separated entries of one Teilnehmende item, empty entries dropped."""
    entries = (entry.strip() for entry in text.split("|"))
    return [_participant(entry, line) for entry in entries if entry]


def _participant(entry: str, line: int) -> Participant:
    match = _TRAILING_PARENTHETICAL.match(entry)
    if match and match["name"] and match["note"].strip().lower() in PARTICIPATION_QUALIFIERS:
        return Participant(match["name"].strip(), match["note"].strip(), line)
    return Participant(entry, None, line)
