"""Repairs of damage done by PDF text extraction; the verbatim text stays in ``ksk:zitat``.

Two repairs, both reported so a curator can check them:

* two words glued at a lower->Upper case change inside a word ("GesundheitsamtJugendhilfe")
  get a hyphen, the German way of pairing two nouns: "Gesundheitsamt-Jugendhilfe";
* a comma directly followed by a letter ("Rechtsanwälten,kommunale") gets a space.
"""

from __future__ import annotations

import re

_GLUED_WORDS = re.compile(r"(?<=[a-zäöüß])(?=[A-ZÄÖÜ][a-zäöüß])")
_GLUED_COMMA = re.compile(r",(?=[A-Za-zÄÖÜäöüß])")
_WORD = re.compile(r"[\w,]+")


def repair(text: str) -> tuple[str, list[str]]:
    """Return the repaired text and one description per repair, in text order."""
    notes = [
        f"text extraction glued '{word}'; ksk:text reads '{_fix(word)}'"
        for word in _WORD.findall(text)
        if _fix(word) != word
    ]
    return _fix(text), notes


def _fix(text: str) -> str:
    return _GLUED_COMMA.sub(", ", _GLUED_WORDS.sub("-", text))
