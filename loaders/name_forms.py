"""The forms of a Kommune name: normalised, and reduced to its core without official additions.

Curators and documents write a Kommune's name with or without the official prefix ("Stadt",
"Landeshauptstadt", "Hansestadt", "Kreis", "Landkreis", …) and without the distinguishing
suffix ("am Rhein", "(Westf.)", "an der Ruhr", …). `name_form` reduces a name to its *core* and
the *kind* its prefix announces (a town or a district), so "Kreis Segeberg", "Landkreis Segeberg"
and "Segeberg" share one core, while "Kreis Rostock" and "Hansestadt Rostock" differ in kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What an official prefix says about the Gebietskörperschaft."""

    STADT = "stadt"
    KREIS = "kreis"


#: Official prefixes, longest first so "Freie und Hansestadt" wins over "Hansestadt".
PREFIXES: tuple[tuple[str, Kind], ...] = tuple(
    sorted(
        (
            ("freie und hansestadt", Kind.STADT),
            ("freie hansestadt", Kind.STADT),
            ("landeshauptstadt", Kind.STADT),
            ("universitätsstadt", Kind.STADT),
            ("große kreisstadt", Kind.STADT),
            ("kreisfreie stadt", Kind.STADT),
            ("stadtgemeinde", Kind.STADT),
            ("hansestadt", Kind.STADT),
            ("kreisstadt", Kind.STADT),
            ("seestadt", Kind.STADT),
            ("stadtkreis", Kind.STADT),
            ("gemeinde", Kind.STADT),
            ("stadt", Kind.STADT),
            ("altmarkkreis", Kind.KREIS),
            ("landkreis", Kind.KREIS),
            ("kreis", Kind.KREIS),
            ("region", Kind.KREIS),
        ),
        key=lambda entry: -len(entry[0]),
    )
)

#: Distinguishing suffixes: "am Rhein", "an der Ruhr", "in Westfalen", "(Westf.)", "(Oder)".
_SUFFIX = re.compile(
    r"(\s+\([^()]*\)"
    r"|\s+(am|an der|an dem|in der|im|in|ob der|bei|a\.|a\. d\.|i\.)\s+\S+(\s+\S+)?)$"
)
_DASHES = re.compile(r"[‐‑‒–—-]")


def normalise_name(name: str) -> str:
    """NFC, case-folded, dashes unified, one space between words."""
    text = unicodedata.normalize("NFC", name).strip().lower()
    text = _DASHES.sub("-", text)
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class NameForm:
    """A name reduced to its core; ``kind`` is None when it was written without a prefix.
    ``body`` is the name without its prefix but with its suffix ("frankfurt am main"), so
    "Frankfurt am Main" can tell Frankfurt am Main from Frankfurt (Oder), which share a core."""

    core: str
    kind: Kind | None
    body: str = ""

    def kinds_agree(self, other: NameForm) -> bool:
        """The prefixes, if both names have one, announce the same kind."""
        return self.kind is None or other.kind is None or self.kind == other.kind

    def compatible(self, other: NameForm) -> bool:
        """Same core, and the prefixes (if both have one) announce the same kind."""
        return self.core == other.core and self.kinds_agree(other)


def name_form(name: str) -> NameForm:
    """The core and kind of a name: "Stadt Ludwigshafen am Rhein" -> ("ludwigshafen", STADT)."""
    text = normalise_name(name)
    kind = None
    for prefix, prefix_kind in PREFIXES:
        if text.startswith(prefix + " ") and len(text) > len(prefix) + 1:
            text, kind = text[len(prefix) + 1 :], prefix_kind
            break
    body = text
    while True:
        shorter = _SUFFIX.sub("", text)
        if shorter == text or not shorter:
            break
        text = shorter
    return NameForm(text.strip(), kind, body)
