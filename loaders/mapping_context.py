"""What mapping a document needs besides the document: reference data and thesauri."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from loaders.classify import Thesaurus
from loaders.names import BundeslaenderIndex, KommunenIndex


@dataclass
class MappingContext:
    """Reference data (with the display paths of kommunen.csv and aliases.csv for
    diagnostics) and thesauri."""

    kommunen: KommunenIndex
    bundeslaender: BundeslaenderIndex
    kommunen_path: str
    aliases_path: str
    themenfelder: Thesaurus
    sektoren: Thesaurus
    projekt: Graph
    projekt_path: str

    def is_kommune(self, name: str) -> bool:
        """Whether a name as written resolves to a row of kommunen.csv (for the parser)."""
        return self.kommunen.resolve(name) is not None
