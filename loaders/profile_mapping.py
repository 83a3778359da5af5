"""`ProfileDocument` -> triples of its document graph (docs/DESIGN.md, "Model").

Every node made here gets ``prov:wasDerivedFrom`` the Fundstelle of the lines it was read from.
"""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDFS, XSD

from kskg.vocab import KSK
from loaders import iris
from loaders.classify import classify
from loaders.diagnostics import Diagnostic, SourceError, warning
from loaders.document_summary import PROFIL, DocumentSummary
from loaders.footnotes import Footnote, detach
from loaders.labels import add_cluster, short_label
from loaders.mapping_context import MappingContext
from loaders.participants import Participant, split_participants
from loaders.population import find_population
from loaders.profile_document import (
    ALTERSSTRUKTUR,
    BESONDERHEITEN,
    ENTWICKLUNGSINTERESSEN,
    ERGEBNISSE,
    PREAMBLE,
    TEILNEHMENDE,
    UNKNOWN,
    WERKSTATT,
    ZENTRALE_THEMEN,
    Item,
    ProfileDocument,
    ResultGroup,
)
from loaders.profile_kommunen import KommunenMapper
from loaders.provenance import Provenance

#: Sections the model has no place for; content there is reported, not silently dropped.
UNMAPPED_SECTIONS = {
    PREAMBLE: "the header",
    ALTERSSTRUKTUR: "Altersstruktur",
    WERKSTATT: "Qualitätsentwicklungswerkstatt",
}
THEMA_SECTIONS = (
    (ZENTRALE_THEMEN, "zentral", KSK.zentralesThema),
    (ENTWICKLUNGSINTERESSEN, "interesse", KSK.entwicklungsinteresse),
)


def map_profile(
    doc: ProfileDocument, stem: str, graph: Graph, ctx: MappingContext
) -> tuple[list[Diagnostic], DocumentSummary]:
    """Add the profile's triples to ``graph``; returns diagnostics and the extraction counts."""
    mapper = _ProfileMapper(doc, stem, graph, ctx)
    mapper.run()
    return doc.notes + mapper.kommunen.diagnostics + mapper.diagnostics, mapper.summary


class _ProfileMapper:
    def __init__(self, doc: ProfileDocument, stem: str, graph: Graph, ctx: MappingContext) -> None:
        self.doc = doc
        self.graph = graph
        self.ctx = ctx
        self.prov = Provenance(graph, stem, doc.path, doc.lines)
        self.kommunen = KommunenMapper(graph, self.prov, ctx)
        self.diagnostics: list[Diagnostic] = []
        self.summary = DocumentSummary(file=doc.path.rsplit("/", 1)[-1], kind=PROFIL)
        self.node = URIRef("")
        self.slug = ""
        self.context: int | str | None = None

    def run(self) -> None:
        self._kommune()
        self._cluster()
        self.summary.partnerkommunen = self.kommunen.add_partners(
            self.doc.partners, self.node, self.context, self._cluster_iri()
        )
        for key, kind, prop in THEMA_SECTIONS:
            self._themen(key, kind, prop)
        self._organisationen()
        self._massnahmen()
        self._besonderheiten()
        self._einwohner()
        self._report_unmapped()

    def _cluster_iri(self) -> URIRef | None:
        number = self.doc.cluster_number
        return iris.cluster(number) if number is not None else None

    def _kommune(self) -> None:
        doc = self.doc
        self.node, resolution = self.kommunen.add_own(doc.name, doc.role.value, self._cluster_iri())
        # The cluster whose members listed names are looked for first: the one the profile
        # names, else the one kommunen.csv gives its Kommune (a cluster without a number).
        self.context = doc.cluster_number
        if self.context is None and resolution is not None:
            self.context = resolution.row.cluster_key
        self.slug = self.node.rsplit("/", 1)[-1]
        self.summary.kommune = self.node
        self.prov.derive(self.node, doc.role.line)
        iso = self._bundesland()
        if resolution is None and (doc.bundesland is None or doc.cluster is None):
            # A Kommune known from nowhere else needs the facts every Kommune has; without them
            # the release would fail validation with a less helpful message.
            raise SourceError(
                doc.path,
                doc.name.line,
                f"{doc.name.value!r} matches no row of {self.ctx.kommunen_path} and the profile "
                "gives no BUNDESLAND or no KINDERSCHUTZCLUSTER; add its row to kommunen.csv",
            )
        if doc.website is not None:
            self.graph.add((self.node, FOAF.homepage, iris.homepage(doc.website.value)))
            self.prov.derive(self.node, doc.website.line)
        facts = {"rolle": (doc.role.value, doc.role.line)}
        if doc.bundesland is not None:
            facts["bundesland"] = (iso, doc.bundesland.line)
        if doc.cluster is not None:
            facts["cluster"] = (doc.cluster_number, doc.cluster.line)
        self.kommunen.check_against_reference(resolution, facts)

    def _bundesland(self) -> str | None:
        written = self.doc.bundesland
        if written is None:
            return None
        match = self.ctx.bundeslaender.match(written.value)
        if match is None:
            self.diagnostics.append(
                warning(
                    self.doc.path,
                    written.line,
                    f"unknown Bundesland {written.value!r}: not mapped (the Kommune keeps the "
                    "Bundesland of its row in kommunen.csv, if it has one)",
                )
            )
            return None
        if match.note:
            self.diagnostics.append(warning(self.doc.path, written.line, match.note))
        row = match.row
        self.graph.add((self.node, KSK.bundesland, iris.bundesland(row.iso)))
        self.prov.derive(self.node, written.line)
        return row.iso

    def _cluster(self) -> None:
        doc = self.doc
        if doc.cluster is None:
            return
        cluster = add_cluster(self.graph, doc.cluster_number)
        self.prov.derive(cluster, doc.cluster.line)
        self.prov.derive(self.node, doc.cluster.line)
        if doc.modellkommune is not None:
            modell = self.kommunen.add_listed(
                doc.modellkommune, "Modellkommune", self.node, self.context, cluster
            )
            if modell is not None:
                self.graph.add((cluster, KSK.modellkommune, modell))
                self.prov.derive(cluster, doc.modellkommune.line)
        elif doc.role.value == "Modellkommune":
            self.graph.add((cluster, KSK.modellkommune, self.node))

    def _text_node(
        self, node: URIRef, cls: URIRef, item: Item, position: int
    ) -> tuple[URIRef, str]:
        """Type, text, short label, position, footnotes and Fundstelle of an item; returns the
        Fundstelle and the text (without footnote markers)."""
        text, notes = detach(item.text, item.footnotes)
        self.graph.add((node, RDF.type, cls))
        self.graph.add((node, KSK.text, Literal(text, lang="de")))
        self.graph.add((node, RDFS.label, Literal(short_label(text), lang="de")))
        self.graph.add((node, KSK.position, Literal(position, datatype=XSD.integer)))
        self._footnotes(node, notes)
        return self.prov.derive(node, item.first_line, item.last_line), text

    def _footnotes(self, node: URIRef, notes: list[Footnote]) -> None:
        for n, note in enumerate(notes, 1):
            footnote = iris.fussnote(node, n)
            self.graph.add((node, KSK.fussnote, footnote))
            self.graph.add((footnote, RDF.type, KSK.Fussnote))
            self.graph.add((footnote, KSK.text, Literal(note.text, lang="de")))
            self.graph.add((footnote, RDFS.label, Literal(short_label(note.text), lang="de")))
            self.prov.derive(footnote, note.first_line, note.last_line)

    def _themen(self, key: str, kind: str, prop: URIRef) -> None:
        items = self.doc.items(key)
        for n, item in enumerate(items, 1):
            node = iris.thema(self.slug, kind, (n,))
            self.graph.add((self.node, prop, node))
            self._classified(node, KSK.Thema, item, n)
            for m, child in enumerate(item.children, 1):
                sub = iris.thema(self.slug, kind, (n, m))
                self.graph.add((node, KSK.unterpunkt, sub))
                self._classified(sub, KSK.Thema, child, m)
        if key == ZENTRALE_THEMEN:
            self.summary.zentrale_themen = len(items)
        else:
            self.summary.entwicklungsinteressen = len(items)

    def _classified(self, node: URIRef, cls: URIRef, item: Item, position: int) -> None:
        fundstelle, text = self._text_node(node, cls, item, position)
        classify(self.graph, node, text, self.ctx.themenfelder, KSK.themenfeld, fundstelle)

    def _massnahmen(self) -> None:
        section = self.doc.section(ERGEBNISSE)
        groups = section.groups if section else []
        n = 0
        for group in groups:
            for item in group.items:
                n += 1
                node = iris.massnahme(self.slug, (n,))
                self.graph.add((self.node, KSK.massnahme, node))
                self._massnahme(node, group, item, n)
                for m, child in enumerate(item.children, 1):
                    sub = iris.massnahme(self.slug, (n, m))
                    self.graph.add((node, KSK.unterpunkt, sub))
                    self._massnahme(sub, group, child, m)
                key = f"{group.ebene or 'unbekannt'}/{group.status}"
                self.summary.massnahmen[key] = self.summary.massnahmen.get(key, 0) + 1

    def _massnahme(self, node: URIRef, group: ResultGroup, item: Item, position: int) -> None:
        self._classified(node, KSK.Massnahme, item, position)
        self.graph.add((node, KSK.status, KSK[group.status]))
        if group.ebene is not None:
            self.graph.add((node, KSK.ebene, KSK[group.ebene]))

    def _organisationen(self) -> None:
        names: set[URIRef] = set()
        for item in self.doc.items(TEILNEHMENDE):
            for participant in split_participants(item.text, item.first_line):
                names.add(self._organisation(participant, item))
        self.summary.organisationen = len(names)

    def _organisation(self, participant: Participant, item: Item) -> URIRef:
        name, notes = detach(participant.name, item.footnotes)
        node = iris.organisation(name, self.slug)
        self.graph.add((self.node, KSK.teilnehmendeOrganisation, node))
        self.graph.add((node, RDF.type, KSK.Organisation))
        self.graph.add((node, RDFS.label, Literal(name, lang="de")))
        if participant.anmerkung:
            self.graph.add((node, KSK.anmerkung, Literal(participant.anmerkung)))
        self._footnotes(node, notes)
        fundstelle = self.prov.derive(node, item.first_line, item.last_line)
        classify(self.graph, node, name, self.ctx.sektoren, KSK.sektor, fundstelle)
        return node

    def _besonderheiten(self) -> None:
        items = self.doc.items(BESONDERHEITEN)
        for n, item in enumerate(items, 1):
            node = iris.besonderheit(self.slug, n)
            self.graph.add((self.node, KSK.besonderheit, node))
            self._text_node(node, KSK.Besonderheit, item, n)
        self.summary.besonderheiten = len(items)

    def _einwohner(self) -> None:
        names = {self.doc.name.value, str(self.graph.value(self.node, RDFS.label))}
        n = 0
        for section in self.doc.sections:
            if section.key == UNKNOWN:
                continue  # kept apart: nothing under an unknown heading is mapped
            for item in section.items:
                for angabe in find_population(item.text, names):
                    n += 1
                    node = iris.einwohner(self.slug, n)
                    self.graph.add((self.node, KSK.einwohner, node))
                    self.graph.add((node, RDF.type, KSK.Einwohnerangabe))
                    self.graph.add((node, KSK.anzahl, Literal(angabe.anzahl, datatype=XSD.integer)))
                    self.graph.add((node, KSK.ungefaehr, Literal(angabe.ungefaehr)))
                    self.prov.derive(node, item.first_line, item.last_line)
        self.summary.einwohnerangaben = n

    def _report_unmapped(self) -> None:
        for section in self.doc.sections:
            if section.key in UNMAPPED_SECTIONS and section.has_content():
                first = section.items[0].first_line
                where = UNMAPPED_SECTIONS[section.key]
                self.diagnostics.append(
                    warning(self.doc.path, first, f"text under {where} is not mapped to the graph")
                )
