"""Reference data: CSV checks with file:line errors, and the reference graphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef, namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS

from kskg.namespaces import ID, WD
from kskg.vocab import KSK
from loaders.diagnostics import SourceError
from loaders.reference import bundeslaender_graph, kommunen_graph, projekt_graph
from loaders.reference_data import (
    KOMMUNEN_COLUMNS,
    read_aliases,
    read_bundeslaender,
    read_kommunen,
)

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
HEADER = ",".join(KOMMUNEN_COLUMNS)
GOOD = "Kreis A,Kreis,DE-SH,01001,,www.a.de,1,,Partnerkommune,,,https://example.org/a"
#: A cluster whose number is unknown: its Modellkommune (ags 01002) and a partner.
MODELL = "Stadt M,Stadt,DE-SH,01002,,,,01002,Modellkommune,,,https://example.org/m"
PARTNER = "Stadt P,Stadt,DE-SH,01003,,,,01002,Partnerkommune,,,https://example.org/p"


@pytest.mark.parametrize(
    ("rows", "line", "fragment"),
    [
        ([GOOD, "Kreis B,Kreis,DE-SH"], 3, "expected 12 fields"),
        ([GOOD.replace("DE-SH", "DE-XX")], 2, "bundesland"),
        ([GOOD.replace("01001", "1001")], 2, "5 or 8 digits"),
        ([GOOD.replace(",1,,Partner", ",13,,Partner")], 2, "cluster must be 1..12"),
        ([GOOD.replace("Partnerkommune", "Gastkommune")], 2, "rolle"),
        ([GOOD.replace(",1,,Partnerkommune", ",,,Partnerkommune")], 2, "rolle goes with"),
        ([GOOD.replace(",1,,Partnerkommune", ",1,01001,Partnerkommune")], 2, "not both"),
        ([MODELL, PARTNER.replace(",01002,Partner", ",01009,Partner")], 3, "cluster_modell_ags"),
        ([MODELL.replace("Modellkommune", "Partnerkommune"), PARTNER], 2, "cluster_modell_ags"),
        ([GOOD.replace(",,https", ",99999,https")], 2, "nachfolger_ags"),
        ([GOOD.replace("Partnerkommune,,", "Partnerkommune,2011-13-01,")], 2, "not a date"),
        ([GOOD.replace("https://example.org/a", "example")], 2, "quelle must be a URL"),
        (
            ['"Kreis, C",Kreis,DE-SH,01002,,,1,,Partnerkommune,,,https://x.org', "x"],
            3,
            "expected 12 fields",
        ),
    ],
)
def test_malformed_kommunen_rows(rows: list[str], line: int, fragment: str) -> None:
    with pytest.raises(SourceError) as raised:
        read_kommunen("kommunen.csv", "\n".join([HEADER, *rows]), {"DE-SH"})
    assert (raised.value.path, raised.value.line) == ("kommunen.csv", line)
    assert fragment in raised.value.message


def test_wrong_header() -> None:
    with pytest.raises(SourceError, match="expected the header"):
        read_kommunen("kommunen.csv", "name,art\n", {"DE-SH"})


def test_bundeslaender_rows_are_checked() -> None:
    with pytest.raises(SourceError) as raised:
        read_bundeslaender("b.csv", "iso,name,wikidata\nDE-SH,Schleswig-Holstein,Q1194\nSH,X,Q1\n")
    assert raised.value.line == 3


@pytest.fixture(scope="module")
def reference_graph() -> Graph:
    laender_bytes = (REFERENCE / "bundeslaender.csv").read_bytes()
    kommunen_bytes = (REFERENCE / "kommunen.csv").read_bytes()
    laender = read_bundeslaender("b", laender_bytes.decode())
    rows = read_kommunen("k", kommunen_bytes.decode(), {r.iso for r in laender})
    graph = Graph()
    bundeslaender_graph(graph, laender, "data/reference/bundeslaender.csv", laender_bytes)
    kommunen_graph(graph, rows, "data/reference/kommunen.csv", kommunen_bytes)
    projekt_graph(
        graph,
        (REFERENCE / "projekt.ttl").read_text(),
        "data/reference/projekt.ttl",
        "data/reference/projekt.md",
        (REFERENCE / "projekt.md").read_bytes(),
    )
    return graph


def test_kommune_row(reference_graph: Graph) -> None:
    uecker = ID["kommune/landkreis-uecker-randow"]
    g = reference_graph
    assert (uecker, RDF.type, KSK.Kommune) in g and (
        uecker,
        RDF.type,
        KSK.Gebietskoerperschaft,
    ) in g
    assert g.value(uecker, KSK.ags) == Literal("13062")
    assert g.value(uecker, KSK.nachfolger) == ID["kommune/landkreis-vorpommern-greifswald"]
    assert g.value(uecker, KSK.aufgeloestAm) == Literal("2011-09-04", datatype=namespace.XSD.date)
    assert g.value(uecker, KSK.rolle) == KSK.Partnerkommune
    assert g.value(uecker, KSK.cluster) == ID["cluster/3"]
    fundstelle = ID["dokument/kommunen#L12"]
    assert (uecker, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), fundstelle) in g
    assert str(g.value(fundstelle, KSK.zitat)).startswith(
        "Landkreis Uecker-Randow,Landkreis,DE-MV,13062"
    )


def test_successor_without_role_is_only_a_gebietskoerperschaft(reference_graph: Graph) -> None:
    vg = ID["kommune/landkreis-vorpommern-greifswald"]
    assert (vg, RDF.type, KSK.Kommune) not in reference_graph
    assert reference_graph.value(vg, URIRef("http://xmlns.com/foaf/0.1/homepage")) == URIRef(
        "http://www.kreis-vg.de/"
    )


def test_bundesland_and_wikidata(reference_graph: Graph) -> None:
    sh = ID["bundesland/DE-SH"]
    assert reference_graph.value(sh, KSK.iso3166) == Literal("DE-SH")
    assert reference_graph.value(sh, OWL.sameAs) == WD.Q1194
    assert reference_graph.value(ID["kommune/stadt-koeln"], OWL.sameAs) == WD.Q365


def test_twelve_numbered_clusters_one_without_number_and_known_modellkommunen(
    reference_graph: Graph,
) -> None:
    clusters = set(reference_graph.subjects(RDF.type, KSK.Cluster))
    witten = ID["cluster/modell-stadt-witten"]
    assert clusters == {ID[f"cluster/{n}"] for n in range(1, 13)} | {witten}
    assert (
        reference_graph.value(ID["cluster/4"], KSK.modellkommune)
        == ID["kommune/landkreis-friesland"]
    )
    assert reference_graph.value(ID["cluster/12"], KSK.modellkommune) is None
    assert not set(reference_graph.subjects(KSK.cluster, ID["cluster/12"]))


def test_the_cluster_without_number(reference_graph: Graph) -> None:
    g = reference_graph
    witten = ID["cluster/modell-stadt-witten"]
    assert g.value(witten, KSK.nummer) is None
    assert g.value(witten, KSK.modellkommune) == ID["kommune/stadt-witten"]
    assert Literal("Kinderschutzcluster Witten (Nummer unbekannt)", lang="de") in set(
        g.objects(witten, RDFS.label)
    )
    assert "6, 7, 8, 10, 12" in str(g.value(witten, RDFS.comment))
    members = {str(k).rsplit("/", 1)[-1] for k in g.subjects(KSK.cluster, witten)}
    assert members == {"stadt-witten", "stadt-luenen", "stadt-hattingen", "stadt-herdecke"}
    assert g.value(ID["kommune/stadt-luenen"], KSK.rolle) == KSK.Partnerkommune
    assert (witten, PROV.wasDerivedFrom, ID["dokument/kommunen#L27"]) in g


def test_rows_of_a_cluster_without_number_are_read() -> None:
    rows = read_kommunen("k.csv", "\n".join([HEADER, MODELL, PARTNER]), {"DE-SH"})
    assert [(r.cluster, r.cluster_key, r.rolle) for r in rows] == [
        (None, "01002", "Modellkommune"),
        (None, "01002", "Partnerkommune"),
    ]


def test_projekt_facts_and_cited_lines(reference_graph: Graph) -> None:
    g = reference_graph
    projekt = ID["projekt/aus-fehlern-lernen"]
    assert g.value(projekt, KSK.anzahlKommunen) == Literal(42)
    assert len(set(g.objects(ID["cluster/4"], KSK.werkstatt))) == 5
    assert str(g.value(ID["dokument/projekt#L19"], KSK.zitat)).startswith(
        "| kick-off event | 2009-09-01"
    )
    assert g.value(ID["dokument/projekt"], KSK.zeilen) == Literal(45)


def test_no_blank_nodes(reference_graph: Graph) -> None:
    assert not [t for t in reference_graph if any(isinstance(x, BNode) for x in t)]


def test_projekt_ttl_citing_a_missing_line_is_an_error() -> None:
    turtle = (
        "<https://w3id.org/kinderschutz-kg/id/x> <http://www.w3.org/ns/prov#wasDerivedFrom> "
        "<https://w3id.org/kinderschutz-kg/id/dokument/projekt#L99> ."
    )
    with pytest.raises(SourceError, match="outside the file"):
        projekt_graph(Graph(), turtle, "projekt.ttl", "projekt.md", b"one line")


def test_projekt_ttl_syntax_error() -> None:
    with pytest.raises(SourceError, match="not valid Turtle"):
        projekt_graph(Graph(), "<a> <b> .", "projekt.ttl", "projekt.md", b"x")


def test_project_level_organisations_get_a_sektor(loaded) -> None:
    """Regression: BMFSFJ, NZFH, … from projekt.ttl were left without ksk:sektor (a SHACL
    warning each), because only organisations named in profiles were classified."""
    graph = loaded.dataset.graph(URIRef("https://w3id.org/kinderschutz-kg/graph/referenz/projekt"))
    organisations = set(graph.subjects(RDF.type, KSK.Organisation))
    assert len(organisations) == 6
    unclassified = {o for o in organisations if (o, KSK.sektor, None) not in graph}
    assert not unclassified, f"no ksk:sektor for {sorted(unclassified)}"
    bmfsfj = ID["organisation/bundesministerium-fuer-familie-senioren-frauen-und-jugend"]
    assert (bmfsfj, KSK.sektor, ID["sektor/politik"]) in graph


ROWS = [GOOD, MODELL, PARTNER]


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("Kreis Z,01999,https://x.org", "ags '01999' is no row of kommunen.csv"),
        ("Kreis A,01002,https://x.org", "alias 'Kreis A' is already the name of row 2"),
        ("Stadt Emm,01002,x.org", "quelle must be a URL"),
        (",01002,https://x.org", "alias is empty"),
    ],
)
def test_malformed_alias_rows(line: str, fragment: str) -> None:
    rows = read_kommunen("k.csv", "\n".join([HEADER, *ROWS]), {"DE-SH"})
    with pytest.raises(SourceError) as raised:
        read_aliases("aliases.csv", f"alias,ags,quelle\n{line}\n", rows)
    assert (raised.value.path, raised.value.line) == ("aliases.csv", 2)
    assert fragment in raised.value.message


def test_an_alias_used_twice_is_an_error() -> None:
    rows = read_kommunen("k.csv", "\n".join([HEADER, *ROWS]), {"DE-SH"})
    text = "alias,ags,quelle\nEmm,01002,https://x.org\nEMM,01003,https://x.org\n"
    with pytest.raises(SourceError, match="alias 'EMM' is already the alias on line 2"):
        read_aliases("aliases.csv", text, rows)
