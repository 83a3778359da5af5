"""Per-document extraction counts, printable as one line (written to summary.txt by the build)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

PROFIL = "profil"
PRESSEMITTEILUNG = "pressemitteilung"


@dataclass
class DocumentSummary:
    """What was extracted from one source document.

    ``massnahmen`` counts Maßnahmen per ``"<ebene>/<status>"`` (ebene ``unbekannt`` when the
    profile names none).
    """

    file: str
    kind: str
    kommune: URIRef | None = None
    organisationen: int = 0
    zentrale_themen: int = 0
    entwicklungsinteressen: int = 0
    massnahmen: dict[str, int] = field(default_factory=dict)
    besonderheiten: int = 0
    partnerkommunen: int = 0
    einwohnerangaben: int = 0
    befunde: int = 0
    ereignisse: int = 0

    @property
    def massnahmen_total(self) -> int:
        return sum(self.massnahmen.values())

    def __str__(self) -> str:
        subject = str(self.kommune).rsplit("/id/", 1)[-1] if self.kommune else "projekt"
        if self.kind == PRESSEMITTEILUNG:
            counts = f"{self.befunde} Befunde, {self.ereignisse} Ereignisse"
        else:
            per_kind = ", ".join(f"{key} {n}" for key, n in sorted(self.massnahmen.items()))
            counts = (
                f"{self.organisationen} Organisationen, {self.zentrale_themen} zentrale Themen, "
                f"{self.entwicklungsinteressen} Entwicklungsinteressen, "
                f"{self.massnahmen_total} Maßnahmen ({per_kind or 'keine'}), "
                f"{self.besonderheiten} Besonderheiten, {self.partnerkommunen} Partner, "
                f"{self.einwohnerangaben} Einwohnerangaben"
            )
        return f"{self.file} [{self.kind}] {subject}: {counts}"
