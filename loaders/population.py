"""Population figures stated in a profile's text ("Der Kreis Lippe hat etwa 353 000 Einwohner").

Only a sentence whose subject is the Kommune itself counts: the sentence must start with the
Kommune's name (optionally after an article) followed by "hat"/"zählt" and the figure, so
"… ist für etwa 150 000 davon zuständig" is not read as the population.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.names import normalise_name

APPROXIMATIONS = ("etwa", "rund", "ca.", "circa", "ungefähr", "knapp", "fast")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")
_STATEMENT = re.compile(
    r"^(?:(?:der|die|das)\s+)?(?P<subject>.+?)\s+(?:hat|zählt)\s+"
    r"(?:(?P<approx>" + "|".join(re.escape(a) for a in APPROXIMATIONS) + r")\s+)?"
    r"(?P<number>\d{1,3}(?:[ .\u00a0\u202f]\d{3})+|\d+)\s+Einwohner",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Einwohnerangabe:
    """A population figure; ``sentence`` is the sentence it was read from."""

    anzahl: int
    ungefaehr: bool
    sentence: str


def find_population(text: str, names: set[str]) -> list[Einwohnerangabe]:
    """Population statements about a Kommune known by any of ``names`` (written or canonical)."""
    wanted = {normalise_name(name) for name in names}
    result = []
    for sentence in _SENTENCE_END.split(text):
        match = _STATEMENT.match(sentence.strip())
        if match and normalise_name(match["subject"]) in wanted:
            number = int(re.sub(r"\D", "", match["number"]))
            result.append(Einwohnerangabe(number, match["approx"] is not None, sentence.strip()))
    return result
