"""Which lines of a sheet's header can name a Kommune (its Modellkommune, its partners).

Only the partner list and the Modellkommune line may add Kommunen to the graph, so a line there
must *be* a Kommune name: short, no sentence punctuation, no digits, and either carrying a word
for a kind of Gebietskörperschaft ("Kreis", "Landkreis", "Stadt", "Hansestadt",
"Stadtgemeinde", "Region", …) or matching a row of kommunen.csv (``known``). Anything else
under those headings ("Ansprechpartner", a sentence, a bullet from the body) is no Kommune and
the parser keeps it apart. A line may list several names separated by "|", ";", inline bullets
or, when every piece is a Kommune name, commas and the words "und", "sowie" and "&"
("Kreis A, Kreis B und Stadt C").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from loaders.items import split_inline

KnownKommune = Callable[[str], bool]

#: Words for kinds of Gebietskörperschaft; a word ending in one of SUFFIXES counts too.
KIND_WORDS = frozenset(
    {"kreis", "stadt", "gemeinde", "region", "städteregion", "regionalverband", "bezirk", "markt"}
)
SUFFIXES = ("kreis", "stadt", "gemeinde")
MAX_NAME_WORDS = 7
MAX_NAME_CHARS = 80

_FORBIDDEN = re.compile(r"[\d:!?\"„“”»«|;=/]")
_BAD_DOT = re.compile(r"\w{6,}\.(?!\))")
_SEPARATORS = re.compile(r"\s*[|;]\s*")
_ENUMERATION = re.compile(r"\s*,\s*|\s+(?:und|sowie|&)\s+")


def name_shaped(text: str) -> bool:
    """Could be a place name: short, no digits, no sentence punctuation."""
    text = text.strip()
    if not text or len(text) > MAX_NAME_CHARS or len(text.split()) > MAX_NAME_WORDS:
        return False
    if not text[0].isupper() or _FORBIDDEN.search(text) or _BAD_DOT.search(text):
        return False
    return not text.endswith(",")


def has_kind_word(text: str) -> bool:
    words = (word.strip("(),.").lower() for word in text.split())
    return any(word in KIND_WORDS or word.endswith(SUFFIXES) for word in words)


def is_kommune_name(text: str, known: KnownKommune | None = None) -> bool:
    """A Kommune name by its shape and kind word, or by the reference data."""
    if not name_shaped(text):
        return False
    return has_kind_word(text) or (known is not None and known(text))


def split_names(text: str, known: KnownKommune | None = None) -> list[str]:
    """The Kommune names one line lists ("A | B", "A; B", "A • B", "Kreis A, Stadt B und
    Kreis C")."""
    parts = [part for piece in _SEPARATORS.split(text) for part in split_inline(piece)]
    parts = [part.strip() for part in parts if part.strip()]
    listed = [part for piece in parts for part in _ENUMERATION.split(piece) if part.strip()]
    if len(listed) > len(parts) and all(is_kommune_name(p, known) for p in listed):
        return listed
    return parts
