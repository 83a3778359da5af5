"""`PressRelease` -> triples of its document graph: the project, its closing event, the quote
and the central findings (ksk:Befund).

Organisations are resolved against the project reference graph (projekt.ttl) by label or
abbreviation, so "des Nationalen Zentrums Frühe Hilfen (NZFH)" is the NZFH node; the date
"am 12. November" without a year is resolved to the reference event on that day, and the event
derives from both the press release line and the reference lines that give the year.
"""

from __future__ import annotations

import datetime as dt

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDFS, SKOS, XSD

from kskg.namespaces import SCHEMA
from kskg.vocab import KSK
from loaders import iris
from loaders.classify import classify
from loaders.diagnostics import Diagnostic, warning
from loaders.document_summary import PRESSEMITTEILUNG, DocumentSummary
from loaders.labels import short_label
from loaders.mapping_context import MappingContext
from loaders.names import normalise_name
from loaders.press_release_parser import PressRelease
from loaders.profile_document import Field
from loaders.provenance import Provenance

YEAR_NOTE = "Die Pressemitteilung nennt den Tag ohne Jahr; das Jahr stammt aus den Referenzdaten."


def map_press_release(
    release: PressRelease, stem: str, graph: Graph, ctx: MappingContext
) -> tuple[list[Diagnostic], DocumentSummary]:
    """Add the press release's triples to ``graph``; returns diagnostics and counts."""
    mapper = _PressReleaseMapper(release, stem, graph, ctx)
    mapper.run()
    return mapper.diagnostics, mapper.summary


class _PressReleaseMapper:
    def __init__(self, release: PressRelease, stem: str, graph: Graph, ctx: MappingContext) -> None:
        self.release = release
        self.graph = graph
        self.ctx = ctx
        self.prov = Provenance(graph, stem, release.path, release.lines)
        self.diagnostics: list[Diagnostic] = []
        self.summary = DocumentSummary(file=release.path.rsplit("/", 1)[-1], kind=PRESSEMITTEILUNG)
        self.organisations: set[URIRef] = set()

    def run(self) -> None:
        self._projekt()
        self._organisations()
        self._counts()
        self._event()
        self._befunde()
        self.summary.organisationen = len(self.organisations)

    def _add(self, s: URIRef, p: URIRef, o: URIRef | Literal, line: int) -> None:
        self.graph.add((s, p, o))
        self.prov.derive(s, line)

    def _projekt(self) -> None:
        title = self.release.title
        self.graph.add((iris.PROJEKT, RDF.type, KSK.Projekt))
        self._add(iris.PROJEKT, DCTERMS.title, Literal(title.value, lang="de"), title.line)
        gipfel = self.release.gipfel
        if gipfel is not None:
            event = self._reference_event(lambda label: label.startswith(gipfel.value))
            if event is not None:
                self._add(iris.PROJEKT, KSK.ereignis, event, gipfel.line)
                self._add(event, RDF.type, KSK.Ereignis, gipfel.line)
                self.graph.add((event, RDFS.label, self.ctx.projekt.value(event, RDFS.label)))

    def _organisations(self) -> None:
        release = self.release
        if release.foerderer is not None:
            self._role(KSK.foerderer, release.foerderer, None)
        if release.auftraggeber is not None:
            self._role(KSK.auftraggeber, *release.auftraggeber)
        for field in release.durchfuehrung:
            self._role(KSK.durchfuehrung, field, None)

    def _role(self, prop: URIRef, written: Field, abbreviation: str | None) -> None:
        node, label = self._organisation(written.value, abbreviation, written.line)
        self.organisations.add(node)
        self._add(iris.PROJEKT, prop, node, written.line)
        self.graph.add((node, RDF.type, KSK.Organisation))
        self.graph.add((node, RDFS.label, Literal(label, lang="de")))
        self.prov.derive(node, written.line)

    def _organisation(
        self, written: str, abbreviation: str | None, line: int
    ) -> tuple[URIRef, str]:
        """The reference organisation with this label or abbreviation, else a new one."""
        wanted = {normalise_name(written)} | (
            {normalise_name(abbreviation)} if abbreviation else set()
        )
        for node in sorted(self.ctx.projekt.subjects(RDF.type, KSK.Organisation)):
            labels = set(self.ctx.projekt.objects(node, RDFS.label)) | set(
                self.ctx.projekt.objects(node, SKOS.altLabel)
            )
            if wanted & {normalise_name(str(label)) for label in labels}:
                return node, str(self.ctx.projekt.value(node, RDFS.label))
        self.diagnostics.append(
            warning(
                self.release.path,
                line,
                f"organisation {written!r} is not in {self.ctx.projekt_path}",
            )
        )
        return iris.organisation(written), written

    def _counts(self) -> None:
        release = self.release
        if release.kommunen is not None:
            value = Literal(int(release.kommunen.value), datatype=XSD.integer)
            self._add(iris.PROJEKT, KSK.anzahlKommunen, value, release.kommunen.line)
        if release.fachkraefte is not None:
            field, approximation = release.fachkraefte
            count = Literal(int(field.value), datatype=XSD.integer)
            self._add(iris.PROJEKT, KSK.teilnehmerzahl, count, field.line)
            if approximation is not None:
                note = f"Die Teilnehmerzahl {field.value} ist ungefähr (»{approximation}«)."
                self.graph.add((iris.PROJEKT, RDFS.comment, Literal(note, lang="de")))

    def _event(self) -> None:
        if self.release.day is None:
            self.diagnostics.append(warning(self.release.path, 1, "no event date found"))
            return
        day, month, year, line = self.release.day
        event = self._reference_event(lambda _label: True, (day, month, year))
        if event is None:
            self.diagnostics.append(
                warning(
                    self.release.path,
                    line,
                    f"no event on {day}.{month}. in {self.ctx.projekt_path}; not recorded",
                )
            )
            return
        self._describe_event(event, line, year is None)
        self.summary.ereignisse = 1
        if self.release.quote is not None:
            self._quote(event)

    def _describe_event(self, event: URIRef, line: int, year_from_reference: bool) -> None:
        reference = self.ctx.projekt
        self._add(iris.PROJEKT, KSK.ereignis, event, line)
        self.graph.add((event, RDF.type, KSK.Ereignis))
        self.graph.add((event, RDFS.label, reference.value(event, RDFS.label)))
        self.graph.add((event, SCHEMA.startDate, reference.value(event, SCHEMA.startDate)))
        self.prov.derive(event, line)
        if self.release.location is not None:
            self._add(
                event,
                SCHEMA.location,
                Literal(self.release.location.value, lang="de"),
                self.release.location.line,
            )
        if year_from_reference:
            for fundstelle in sorted(reference.objects(event, PROV.wasDerivedFrom)):
                self.graph.add((event, PROV.wasDerivedFrom, fundstelle))
            self.graph.add((event, RDFS.comment, Literal(YEAR_NOTE, lang="de")))

    def _reference_event(
        self, label_ok, day: tuple[int, int, int | None] | None = None
    ) -> URIRef | None:
        """The one reference ksk:Ereignis whose label passes and whose start date fits ``day``."""
        found = []
        for node in sorted(self.ctx.projekt.subjects(RDF.type, KSK.Ereignis)):
            label = str(self.ctx.projekt.value(node, RDFS.label) or "")
            start = self.ctx.projekt.value(node, SCHEMA.startDate)
            if label_ok(label) and (day is None or _same_day(start, day)):
                found.append(node)
        return found[0] if len(found) == 1 else None

    def _quote(self, event: URIRef) -> None:
        quote = self.release.quote
        assert quote is not None
        person = iris.person(quote.name)
        node = iris.zitat(event, 1)
        self._add(person, RDF.type, SCHEMA.Person, quote.line)
        self.graph.add((person, RDF.type, FOAF.Person))
        self.graph.add((person, RDFS.label, Literal(quote.name, lang="de")))
        self.graph.add((person, SCHEMA.jobTitle, Literal(quote.amt, lang="de")))
        self._add(node, RDF.type, SCHEMA.Quotation, quote.line)
        self.graph.add((node, SCHEMA.text, Literal(quote.text, lang="de")))
        self.graph.add((node, SCHEMA.creator, person))
        self.graph.add((node, SCHEMA.recordedAt, event))

    def _befunde(self) -> None:
        for n, field in enumerate(self.release.befunde, 1):
            node = iris.befund(n)
            self._add(iris.PROJEKT, KSK.befund, node, field.line)
            self.graph.add((node, RDF.type, KSK.Befund))
            self.graph.add((node, KSK.text, Literal(field.value, lang="de")))
            self.graph.add((node, RDFS.label, Literal(short_label(field.value), lang="de")))
            self.graph.add((node, KSK.position, Literal(n, datatype=XSD.integer)))
            fundstelle = self.prov.derive(node, field.line)
            classify(
                self.graph, node, field.value, self.ctx.themenfelder, KSK.themenfeld, fundstelle
            )
        self.summary.befunde = len(self.release.befunde)


def _same_day(start: object, day: tuple[int, int, int | None]) -> bool:
    value = start.toPython() if isinstance(start, Literal) else None
    if not isinstance(value, dt.date):
        return False
    return (value.day, value.month) == day[:2] and day[2] in (None, value.year)
