"""Reference data -> RDF: kommunen.csv, bundeslaender.csv and projekt.ttl.

Each row becomes a node derived from its CSV line (``dokument/kommunen#L3``); projekt.ttl is the
hand transcription of projekt.md and cites its lines the same way, so the loader completes
those Fundstellen from projekt.md.
"""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDFS, SKOS, XSD

from kskg.namespaces import WD
from kskg.vocab import KSK
from loaders import iris
from loaders.classify import Thesaurus, classify
from loaders.diagnostics import SourceError
from loaders.labels import add_cluster, add_cluster_ohne_nummer
from loaders.profile_kommunen import ROLE_TERMS
from loaders.profile_parser import read_lines
from loaders.provenance import Provenance, add_quelldokument
from loaders.reference_data import CLUSTERS, AliasRow, BundeslandRow, KommuneRow

REFERENCE_KIND = "Referenzdaten"
#: The projekt.md lines saying there are 12 Modellkommunen, each leading one cluster.
CLUSTER_LINES = (16, 17)


def bundeslaender_graph(graph: Graph, rows: list[BundeslandRow], path: str, data: bytes) -> None:
    """One ksk:Bundesland per row of bundeslaender.csv."""
    prov = _document(graph, "bundeslaender", path, data)
    for row in rows:
        node = iris.bundesland(row.iso)
        graph.add((node, RDF.type, KSK.Bundesland))
        graph.add((node, KSK.iso3166, Literal(row.iso)))
        graph.add((node, RDFS.label, Literal(row.name, lang="de")))
        graph.add((node, OWL.sameAs, WD[row.wikidata]))
        prov.derive(node, row.line)


def kommunen_graph(graph: Graph, rows: list[KommuneRow], path: str, data: bytes) -> None:
    """One ksk:Gebietskoerperschaft per row (also ksk:Kommune when it has a role)."""
    prov = _document(graph, "kommunen", path, data)
    by_ags = {row.ags: row for row in rows}
    for row in rows:
        node = iris.kommune(row.name)
        _kommune_facts(graph, node, row)
        if row.aufgeloest_am is not None:
            graph.add((node, KSK.aufgeloestAm, Literal(row.aufgeloest_am, datatype=XSD.date)))
        if row.nachfolger_ags is not None:
            graph.add((node, KSK.nachfolger, iris.kommune(by_ags[row.nachfolger_ags].name)))
        if row.cluster_key is not None:
            cluster = _membership(graph, node, row, by_ags)
            if row.cluster is None and row.rolle == "Modellkommune":
                _possible_numbers(graph, cluster, rows)
                prov.derive(cluster, row.line)
        prov.derive(node, row.line)


def aliases_graph(graph: Graph, aliases: list[AliasRow], path: str, data: bytes) -> None:
    """Each alias of aliases.csv as a skos:altLabel (untagged: an alias may be a foreign
    exonym) of its Kommune, derived from its line."""
    prov = _document(graph, "aliases", path, data)
    by_ags = {}
    for row in graph.subjects(KSK.ags, None):
        by_ags[str(graph.value(row, KSK.ags))] = row
    for alias in aliases:
        node = by_ags[alias.ags]
        graph.add((node, SKOS.altLabel, Literal(alias.alias)))
        prov.derive(node, alias.line)


def _kommune_facts(graph: Graph, node: URIRef, row: KommuneRow) -> None:
    graph.add((node, RDF.type, KSK.Gebietskoerperschaft))
    graph.add((node, RDFS.label, Literal(row.name, lang="de")))
    graph.add((node, KSK.art, Literal(row.art)))
    graph.add((node, KSK.ags, Literal(row.ags)))
    graph.add((node, KSK.bundesland, iris.bundesland(row.bundesland)))
    graph.add((node, DCTERMS.source, URIRef(row.quelle)))
    if row.wikidata is not None:
        graph.add((node, OWL.sameAs, WD[row.wikidata]))
    if row.website is not None:
        graph.add((node, FOAF.homepage, iris.homepage(row.website)))


def _membership(
    graph: Graph, node: URIRef, row: KommuneRow, by_ags: dict[str, KommuneRow]
) -> URIRef:
    assert row.rolle is not None  # read_kommunen pairs it with a cluster
    if row.cluster is not None:
        cluster = iris.cluster(row.cluster)
    else:
        # read_kommunen checked that cluster_modell_ags names a Modellkommune row.
        cluster = add_cluster_ohne_nummer(graph, by_ags[str(row.cluster_modell_ags)].name)
    graph.add((node, RDF.type, KSK.Kommune))
    graph.add((node, KSK.cluster, cluster))
    graph.add((node, KSK.rolle, ROLE_TERMS[row.rolle]))
    graph.add((node, KSK.projekt, iris.PROJEKT))
    if row.rolle == "Modellkommune":
        graph.add((cluster, KSK.modellkommune, node))
    return cluster


def _possible_numbers(graph: Graph, cluster: URIRef, rows: list[KommuneRow]) -> None:
    """Say which numbers the cluster may have: those no row of kommunen.csv holds."""
    free = [str(n) for n in CLUSTERS if n not in {row.cluster for row in rows}]
    text = (
        "Die Nummer dieses Clusters nennt keine Quelle; nach data/reference/kommunen.csv ist es "
        f"einer der Cluster ohne bekannte Mitglieder ({', '.join(free)})."
    )
    graph.add((cluster, RDFS.comment, Literal(text, lang="de")))


def projekt_graph(
    graph: Graph, turtle: str, turtle_path: str, md_path: str, md_data: bytes
) -> None:
    """Parse projekt.ttl, add the 12 clusters, complete the Fundstellen it cites in projekt.md."""
    try:
        graph.parse(data=turtle, format="turtle")
    except Exception as error:  # rdflib raises several parser exception types
        raise SourceError(turtle_path, 0, f"not valid Turtle: {error}") from None
    prov = _document(graph, "projekt", md_path, md_data)
    prefix = str(iris.quelldokument("projekt")) + "#L"
    cited = {o for o in graph.objects(None, PROV.wasDerivedFrom) if str(o).startswith(prefix)}
    for fundstelle in sorted(cited):
        first, _, last = str(fundstelle)[len(prefix) :].partition("-L")
        if not (first.isdigit() and (not last or last.isdigit())):
            raise SourceError(turtle_path, 0, f"malformed Fundstelle <{fundstelle}>")
        prov.fundstelle(int(first), int(last) if last else None)
    for number in CLUSTERS:
        prov.derive(add_cluster(graph, number), *CLUSTER_LINES)


def _document(graph: Graph, stem: str, path: str, data: bytes) -> Provenance:
    add_quelldokument(graph, stem, path.rsplit("/", 1)[-1], data, REFERENCE_KIND)
    return Provenance(graph, stem, path, read_lines(data.decode("utf-8")))


def classify_organisations(graph: Graph, sektoren: Thesaurus) -> None:
    """Classify the project-level organisations of projekt.ttl into Sektoren.

    Their names and abbreviations ("BMFSFJ") are the text matched; the Klassifikation cites the
    organisation's first Fundstelle, as profile organisations cite their participant line.
    """
    for org in sorted(graph.subjects(RDF.type, KSK.Organisation)):
        names = sorted(str(n) for p in (RDFS.label, SKOS.altLabel) for n in graph.objects(org, p))
        fundstellen = sorted(graph.objects(org, PROV.wasDerivedFrom))
        if names and fundstellen:
            classify(graph, org, " | ".join(names), sektoren, KSK.sektor, fundstellen[0])
