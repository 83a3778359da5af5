"""The Kommunen a profile names: itself, its cluster's Modellkommune and its partners.

Names are resolved against kommunen.csv and aliases.csv (`loaders.names`), partners and the
Modellkommune first among the members of the profile's cluster. Every resolution that is not
exact is reported with the row it resolved to, and the IRI always uses the canonical name. A
listed name that resolves to no row becomes a `ksk:Erwaehnung` of the profile's Kommune (with a
warning), never a Kommune the graph knows nothing else about.
"""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kskg.vocab import KSK
from loaders import iris
from loaders.diagnostics import Diagnostic, warning
from loaders.mapping_context import MappingContext
from loaders.names import Ambiguity, Resolution, Rule
from loaders.profile_document import Field
from loaders.provenance import Provenance

ROLE_TERMS = {"Modellkommune": KSK.Modellkommune, "Partnerkommune": KSK.Partnerkommune}
ClusterKey = int | str | None

_HOW = {
    Rule.ALIAS: "an alias",
    Rule.FORM: "official prefix or suffix added or dropped",
    Rule.TYPO: "misspelling corrected",
}


class KommunenMapper:
    """Adds Kommune nodes (and unresolved mentions) of one document, collecting diagnostics."""

    def __init__(self, graph: Graph, prov: Provenance, ctx: MappingContext) -> None:
        self.graph = graph
        self.prov = prov
        self.ctx = ctx
        self.diagnostics: list[Diagnostic] = []

    def resolve(self, name: Field, cluster: ClusterKey = None) -> Resolution | None:
        """The reference row for a name as written (None when unknown), reporting repairs."""
        found = self.ctx.kommunen.lookup(name.value, cluster)
        if isinstance(found, Ambiguity):
            rows = ", ".join(f"{row.name!r} ({self._row(row.line)})" for row in found.rows)
            self._warn(name.line, f"{name.value!r} is ambiguous: it matches {rows}")
            return None
        if found is None:
            self._warn(name.line, f"{name.value!r} matches no row of {self.ctx.kommunen_path}")
            return None
        if not found.exact:
            self._warn(name.line, self._explain(found, cluster))
        return found

    def _explain(self, found: Resolution, cluster: ClusterKey) -> str:
        how = _HOW[found.rule]
        if found.alias is not None:
            how += f" ({self.ctx.aliases_path}:{found.alias.line})"
        among = f", found among the members of {_cluster_name(cluster)}" if found.in_cluster else ""
        return (
            f"{found.written!r} read as {found.canonical!r} ({self._row(found.row.line)}): "
            f"{how}{among}"
        )

    def add_own(
        self, name: Field, role: str, cluster: URIRef | None
    ) -> tuple[URIRef, Resolution | None]:
        """The profile's own Kommune; a name without a reference row is kept as written (the
        profile itself states its role, Bundesland and cluster)."""
        resolution = self.resolve(name)
        if resolution is None:
            self._warn(name.line, "kept as a Kommune known only from this profile")
        canonical = resolution.canonical if resolution else name.value
        return self._kommune(canonical, name.line, role, cluster), resolution

    def add_listed(
        self, name: Field, role: str, own: URIRef, context: ClusterKey, cluster: URIRef | None
    ) -> URIRef | None:
        """A Kommune the profile lists (its Modellkommune or a partner) with this role; None
        when the name resolves to no row (then recorded as a mention of ``own``)."""
        resolution = self.resolve(name, context)
        if resolution is None:
            self._mention(name, role, own)
            return None
        if role == "Partnerkommune" and iris.kommune(resolution.canonical) == own:
            self._warn(
                name.line,
                f"{resolution.canonical!r} lists itself as a partner; not recorded as its own "
                "partner",
            )
            return None
        row = resolution.row
        if context is not None and row.cluster_key is not None and row.cluster_key != context:
            self._warn(
                name.line,
                f"{row.name!r} is listed in {_cluster_name(context)}, but "
                f"{self._row(row.line)} puts it in {_cluster_name(row.cluster_key)}",
            )
        if role == "Partnerkommune" and row.rolle == "Modellkommune":
            self._warn(
                name.line,
                f"{row.name!r} is listed as Partnerkommune but is the Modellkommune of "
                f"{_cluster_name(row.cluster_key)} ({self._row(row.line)}); "
                "recorded as Modellkommune",
            )
            role = "Modellkommune"
        return self._kommune(row.name, name.line, role, cluster)

    def add_partners(
        self, partners: list[Field], own: URIRef, context: ClusterKey, cluster: URIRef | None
    ) -> int:
        """Partner Kommunen as listed, except the profile's own Kommune; returns how many."""
        added = [self.add_listed(p, "Partnerkommune", own, context, cluster) for p in partners]
        return sum(node is not None for node in added)

    def _kommune(self, canonical: str, line: int, role: str, cluster: URIRef | None) -> URIRef:
        node = iris.kommune(canonical)
        self.graph.add((node, RDF.type, KSK.Kommune))
        self.graph.add((node, RDFS.label, Literal(canonical, lang="de")))
        self.graph.add((node, KSK.projekt, iris.PROJEKT))
        self.graph.add((node, KSK.rolle, ROLE_TERMS[role]))
        if cluster is not None:
            self.graph.add((node, KSK.cluster, cluster))
        self.prov.derive(node, line)
        return node

    def _mention(self, name: Field, role: str, own: URIRef) -> None:
        node = iris.erwaehnung(own.rsplit("/", 1)[-1], name.value)
        self.graph.add((node, RDF.type, KSK.Erwaehnung))
        self.graph.add((node, RDFS.label, Literal(name.value, lang="de")))
        self.graph.add((node, KSK.erwaehntAls, ROLE_TERMS[role]))
        self.graph.add((own, KSK.erwaehnung, node))
        self.prov.derive(node, name.line)
        self._warn(
            name.line,
            f"recorded as an unresolved mention <{node}>; add the Kommune to "
            f"{self.ctx.kommunen_path} or an alias to {self.ctx.aliases_path}",
        )

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
                self._warn(
                    line, f"{key} {value!r} contradicts {reference[key]!r} in {self._row(row.line)}"
                )

    def _row(self, line: int) -> str:
        return f"{self.ctx.kommunen_path}:{line}"

    def _warn(self, line: int, message: str) -> None:
        self.diagnostics.append(warning(self.prov.path, line, message))


def _cluster_name(key: ClusterKey) -> str:
    if isinstance(key, int):
        return f"cluster {key}"
    return f"the cluster of the Modellkommune with ags {key} (number unknown)"
