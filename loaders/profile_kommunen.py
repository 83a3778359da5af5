"""The Kommunen a profile names: itself, its cluster's Modellkommune and its partners.

Names are resolved against kommunen.csv (`loaders.names`); a corrected misspelling or an unknown
name is reported, and the IRI always uses the canonical name.
"""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kskg.vocab import KSK
from loaders import iris
from loaders.diagnostics import Diagnostic, warning
from loaders.mapping_context import MappingContext
from loaders.names import Resolution
from loaders.profile_document import Field
from loaders.provenance import Provenance

ROLE_TERMS = {"Modellkommune": KSK.Modellkommune, "Partnerkommune": KSK.Partnerkommune}


class KommunenMapper:
    """Adds Kommune nodes of one document, collecting diagnostics."""

    def __init__(self, graph: Graph, prov: Provenance, ctx: MappingContext) -> None:
        self.graph = graph
        self.prov = prov
        self.ctx = ctx
        self.diagnostics: list[Diagnostic] = []

    def resolve(self, name: Field) -> tuple[str, Resolution | None]:
        """The canonical name for a name as written (itself when unknown), reporting repairs."""
        resolution = self.ctx.kommunen.resolve(name.value)
        if resolution is None:
            self._warn(
                name.line,
                f"{name.value!r} matches no row of {self.ctx.kommunen_path}; kept as a new Kommune",
            )
            return name.value, None
        if not resolution.exact:
            where = f"{self.ctx.kommunen_path}:{resolution.row.line}"
            self._warn(name.line, f"{name.value!r} read as {resolution.canonical!r} ({where})")
        return resolution.canonical, resolution

    def add(
        self, name: Field, role: str | None, cluster: URIRef | None
    ) -> tuple[URIRef, Resolution | None]:
        """A Kommune node derived from the line naming it."""
        canonical, resolution = self.resolve(name)
        node = iris.kommune(canonical)
        self.graph.add((node, RDF.type, KSK.Kommune))
        self.graph.add((node, RDFS.label, Literal(canonical, lang="de")))
        self.graph.add((node, KSK.projekt, iris.PROJEKT))
        if role is not None:
            self.graph.add((node, KSK.rolle, ROLE_TERMS[role]))
        if cluster is not None:
            self.graph.add((node, KSK.cluster, cluster))
        self.prov.derive(node, name.line)
        return node, resolution

    def add_partners(self, partners: list[Field], own: URIRef, cluster_number: int | None) -> int:
        """Partner Kommunen as listed, except the profile's own Kommune; returns how many."""
        cluster = iris.cluster(cluster_number) if cluster_number is not None else None
        count = 0
        for partner in partners:
            canonical, resolution = self.resolve(partner)
            if iris.kommune(canonical) == own:
                self._warn(
                    partner.line,
                    f"{canonical!r} lists itself as a partner; not recorded as its own partner",
                )
                continue
            self.add(partner, self._partner_role(partner, resolution, cluster_number), cluster)
            count += 1
        return count

    def _partner_role(
        self, partner: Field, resolution: Resolution | None, cluster: int | None
    ) -> str:
        if resolution is None or resolution.row.rolle != "Modellkommune":
            return "Partnerkommune"
        row = resolution.row
        self._warn(
            partner.line,
            f"{row.name!r} is listed as Partnerkommune but is the Modellkommune of cluster "
            f"{row.cluster} ({self.ctx.kommunen_path}:{row.line}); recorded as Modellkommune",
        )
        return "Modellkommune"

    def check_against_reference(
        self, resolution: Resolution | None, facts: dict[str, tuple[object, int]]
    ) -> None:
        """Warn where the profile's role, Bundesland or cluster contradicts kommunen.csv."""
        if resolution is None:
            return
        row = resolution.row
        reference = {"rolle": row.rolle, "bundesland": row.bundesland, "cluster": row.cluster}
        for key, (value, line) in facts.items():
            if value is not None and reference[key] is not None and value != reference[key]:
                where = f"{self.ctx.kommunen_path}:{row.line}"
                self._warn(line, f"{key} {value!r} contradicts {reference[key]!r} in {where}")

    def _warn(self, line: int, message: str) -> None:
        self.diagnostics.append(warning(self.prov.path, line, message))
