"""load_sources on the project's data: graphs, mapping decisions, diagnostics, errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS

from kskg.namespaces import GRAPH, ID
from kskg.vocab import KSK
from loaders.diagnostics import Severity, SourceError
from loaders.sources import LoadResult, load_sources
from tests.loaders.conftest import DATA, ONTOLOGY

S000, S001, S002, S004 = (
    "000_6d25c97e395e9f6f",
    "001_9215b3bf5b9d1eba",
    "002_6f9c2774c3dd4b28",
    "004_1ad5341d1f9797a2",
)


def doc(loaded: LoadResult, stem: str):
    return loaded.dataset.graph(GRAPH[f"dokument/{stem}"])


def test_named_graphs(loaded: LoadResult) -> None:
    names = {str(g.identifier) for g in loaded.dataset.graphs() if len(g)}
    expected = {"ontology", "themenfelder", "sektoren", "referenz/kommunen"}
    expected |= {"referenz/bundeslaender", "referenz/projekt"}
    expected |= {f"dokument/{p.stem}" for p in (DATA / "sources").glob("*.txt")}
    assert names == {str(GRAPH[n]) for n in expected}


def test_no_blank_nodes(loaded: LoadResult) -> None:
    assert not [q for q in loaded.dataset.quads() if any(isinstance(t, BNode) for t in q[:3])]


def test_diagnostics(loaded: LoadResult) -> None:
    got = [(d.path.rsplit("/", 1)[-1][:3], d.line, d.severity) for d in loaded.diagnostics]
    assert got == [
        ("000", 3, Severity.WARNING),
        ("000", 55, Severity.INFO),
        ("001", 19, Severity.WARNING),
        ("001", 43, Severity.INFO),
        ("002", 13, Severity.WARNING),
        ("002", 29, Severity.INFO),
        ("004", 55, Severity.INFO),
    ]
    assert str(loaded.diagnostics[0]) == (
        f"data/sources/{S000}.txt:3: warning: 'Kreis Herzogtum Lauenberg' read as "
        "'Kreis Herzogtum Lauenburg' (data/reference/kommunen.csv:3): misspelling corrected"
    )


def test_misspelt_kommune_gets_the_canonical_iri(loaded: LoadResult) -> None:
    g = doc(loaded, S000)
    kommune = ID["kommune/kreis-herzogtum-lauenburg"]
    assert g.value(kommune, RDFS.label) == Literal("Kreis Herzogtum Lauenburg", lang="de")
    assert g.value(kommune, KSK.bundesland) == ID["bundesland/DE-SH"]
    assert g.value(kommune, FOAF.homepage) == URIRef("http://www.herzogtum-lauenburg.de/")
    lines = {int(g.value(f, KSK.zeile)) for f in g.objects(kommune, PROV.wasDerivedFrom)}
    assert {1, 3, 7, 9} <= lines
    assert not list(g.subjects(RDFS.label, Literal("Kreis Herzogtum Lauenberg", lang="de")))


def test_multiline_bullet_fundstelle(loaded: LoadResult) -> None:
    g = doc(loaded, S000)
    thema = ID["thema/kreis-herzogtum-lauenburg/zentral-1"]
    fundstelle = ID[f"dokument/{S000}#L33-L35"]
    assert g.value(thema, PROV.wasDerivedFrom) == fundstelle
    assert str(g.value(fundstelle, KSK.zitat)).count("\n") == 2
    assert "\n" not in str(g.value(thema, KSK.text))
    assert len(str(g.value(thema, RDFS.label))) <= 120


def test_own_kommune_is_not_its_own_partner(loaded: LoadResult) -> None:
    g = doc(loaded, S001)
    uecker = ID["kommune/landkreis-uecker-randow"]
    assert g.value(uecker, KSK.rolle) == KSK.Partnerkommune
    partners = set(g.subjects(KSK.rolle, KSK.Partnerkommune)) - {uecker}
    assert partners == {ID["kommune/landkreis-ostvorpommern"], ID["kommune/landkreis-parchim"]}
    assert ID[f"dokument/{S001}#L19"] not in set(g.objects(uecker, PROV.wasDerivedFrom))


def test_modellkommune_listed_as_partner_keeps_its_reference_role(loaded: LoadResult) -> None:
    g = doc(loaded, S002)
    friesland = ID["kommune/landkreis-friesland"]
    assert g.value(friesland, KSK.rolle) == KSK.Modellkommune
    assert g.value(friesland, KSK.cluster) == ID["cluster/4"]


def test_population(loaded: LoadResult) -> None:
    g = doc(loaded, S002)
    (angabe,) = g.objects(ID["kommune/kreis-lippe"], KSK.einwohner)
    assert angabe == ID["einwohner/kreis-lippe/1"]
    assert g.value(angabe, KSK.anzahl) == Literal(353000)
    assert g.value(angabe, KSK.ungefaehr) == Literal(True)
    assert g.value(angabe, PROV.wasDerivedFrom) == ID[f"dokument/{S002}#L46"]


def test_massnahmen_status_and_ebene(loaded: LoadResult) -> None:
    g = doc(loaded, S001)
    last = ID["massnahme/landkreis-uecker-randow/6"]
    assert (g.value(last, KSK.ebene), g.value(last, KSK.status)) == (
        KSK.clusteruebergreifend,
        KSK.geplant,
    )
    first = ID["massnahme/landkreis-uecker-randow/1"]
    assert (g.value(first, KSK.ebene), g.value(first, KSK.status)) == (KSK.kommunal, KSK.umgesetzt)
    assert "Rechtsanwälten, kommunale" in str(g.value(first, KSK.text))
    assert "Rechtsanwälten,kommunale" in str(
        g.value(g.value(first, PROV.wasDerivedFrom), KSK.zitat)
    )


def test_wedge_items_share_their_line(loaded: LoadResult) -> None:
    g = doc(loaded, S004)
    items = [ID[f"massnahme/stadtgemeinde-bremen/{n}"] for n in (4, 5, 6)]
    assert {g.value(i, PROV.wasDerivedFrom) for i in items} == {ID[f"dokument/{S004}#L55"]}
    assert [int(g.value(i, KSK.position)) for i in items] == [4, 5, 6]


def test_sub_bullets_and_organisations(loaded: LoadResult) -> None:
    g = doc(loaded, S004)
    parent = ID["thema/stadtgemeinde-bremen/zentral-1"]
    subs = sorted(g.objects(parent, KSK.unterpunkt))
    assert subs == [ID[f"thema/stadtgemeinde-bremen/zentral-1-{m}"] for m in (1, 2, 3, 4)]
    assert g.value(subs[0], KSK.text) == Literal("Ebene der Fachkraft", lang="de")
    schulen = ID["organisation/stadtgemeinde-bremen/schulen"]
    assert g.value(schulen, KSK.anmerkung) == Literal("zeitweise")
    assert (
        len(set(g.objects(ID["kommune/stadtgemeinde-bremen"], KSK.teilnehmendeOrganisation))) == 11
    )
    assert g.value(ID["cluster/2"], KSK.modellkommune) == ID["kommune/stadtgemeinde-bremen"]


def test_summaries(loaded: LoadResult) -> None:
    by_file = {s.file[:3]: s for s in loaded.summaries}
    assert by_file["000"].organisationen == 4 and by_file["000"].partnerkommunen == 1
    assert by_file["001"].massnahmen == {
        "kommunal/umgesetzt": 3,
        "kommunal/geplant": 2,
        "clusteruebergreifend/geplant": 1,
    }
    assert by_file["003"].kind == "pressemitteilung" and by_file["003"].befunde == 3
    assert by_file["004"].massnahmen_total == 6
    assert all("\n" not in str(s) for s in loaded.summaries)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA / "reference", target / "reference")
    (target / "sources").mkdir()
    return target


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("", 1, "empty file"),
        ("Irgendein Text\nohne Rolle", 1, "neither a profile sheet"),
        ("PARTNERKOMMUNE\n\n", 1, "missing Kommune name"),
        (
            "PARTNERKOMMUNE\n\nStadt Neuland\n\nKINDERSCHUTZCLUSTER 7\n",
            3,
            "'Stadt Neuland' matches no row of data/reference/kommunen.csv and the profile gives "
            "no BUNDESLAND",
        ),
    ],
)
def test_bad_documents_raise_with_file_and_line(
    data_copy: Path, text: str, line: int, fragment: str
) -> None:
    (data_copy / "sources" / "999_bad.txt").write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_sources(data_copy, ONTOLOGY)
    assert raised.value.path.endswith("sources/999_bad.txt")
    assert raised.value.line == line and fragment in raised.value.message


def test_new_profile_with_unknown_kommune(data_copy: Path) -> None:
    text = "MODELLKOMMUNE\n\nStadt Neuland\n\nBUNDESLAND HESSEN\n\nKINDERSCHUTZCLUSTER 7\n"
    (data_copy / "sources" / "100_neu.txt").write_text(text, encoding="utf-8")
    result = load_sources(data_copy, ONTOLOGY)
    g = result.dataset.graph(GRAPH["dokument/100_neu"])
    neuland = ID["kommune/stadt-neuland"]
    assert (neuland, RDF.type, KSK.Kommune) in g
    assert g.value(ID["cluster/7"], KSK.modellkommune) == neuland
    assert any("matches no row" in d.message for d in result.diagnostics)
    assert any(
        "kept as a Kommune known only from this profile" in d.message for d in result.diagnostics
    )


def _profile(data_copy: Path, name: str, text: str) -> LoadResult:
    (data_copy / "sources" / f"{name}.txt").write_text(text, encoding="utf-8")
    return load_sources(data_copy, ONTOLOGY)


def _messages(result: LoadResult, name: str) -> list[str]:
    return [str(d) for d in result.diagnostics if d.path.endswith(f"/{name}.txt")]


WITTEN = (
    "MODELLKOMMUNE\n\nStadt Witten\n\nBUNDESLAND NORDRHEIN-WESTFALEN\n\n"
    "Partnerkommunen:\n\nLünen\n\nStadt Hattingen (Westf.)\n\nStadt Nirgendwo\n"
)


def test_an_unresolved_partner_is_a_mention_not_a_kommune(data_copy: Path) -> None:
    result = _profile(data_copy, "100_witten", WITTEN)
    g = result.dataset.graph(GRAPH["dokument/100_witten"])
    witten, mention = ID["kommune/stadt-witten"], ID["erwaehnung/stadt-witten/stadt-nirgendwo"]
    assert g.value(witten, KSK.erwaehnung) == mention
    assert g.value(mention, RDF.type) == KSK.Erwaehnung
    assert g.value(mention, RDFS.label) == Literal("Stadt Nirgendwo", lang="de")
    assert g.value(mention, KSK.erwaehntAls) == KSK.Partnerkommune
    assert g.value(mention, PROV.wasDerivedFrom) == ID["dokument/100_witten#L13"]
    assert ID["kommune/stadt-nirgendwo"] not in set(g.subjects())
    messages = _messages(result, "100_witten")
    assert any(
        m.startswith("data/sources/100_witten.txt:13: warning: 'Stadt Nirgendwo' matches no row")
        for m in messages
    )


def test_partners_of_a_cluster_without_number_are_found_among_its_members(
    data_copy: Path,
) -> None:
    result = _profile(data_copy, "100_witten", WITTEN)
    g = result.dataset.graph(GRAPH["dokument/100_witten"])
    partners = set(g.subjects(KSK.rolle, KSK.Partnerkommune))
    assert partners == {ID["kommune/stadt-luenen"], ID["kommune/stadt-hattingen"]}
    assert result.summaries[-1].partnerkommunen == 2
    messages = _messages(result, "100_witten")
    assert (
        "data/sources/100_witten.txt:9: warning: 'Lünen' read as 'Stadt Lünen' "
        "(data/reference/kommunen.csv:28): official prefix or suffix added or dropped, found "
        "among the members of the cluster of the Modellkommune with ags 05954036 (number unknown)"
    ) in messages
    assert any(
        m.startswith(
            "data/sources/100_witten.txt:11: warning: "
            "'Stadt Hattingen (Westf.)' read as 'Stadt Hattingen'"
        )
        for m in messages
    )


def test_a_partner_of_another_cluster_is_reported(data_copy: Path) -> None:
    text = WITTEN.replace("Stadt Nirgendwo", "Segeberg")
    result = _profile(data_copy, "100_witten", text)
    assert any(
        ":13: warning: 'Kreis Segeberg' is listed in the cluster of the Modellkommune with ags "
        "05954036 (number unknown), but data/reference/kommunen.csv:4 puts it in cluster 1" in m
        for m in _messages(result, "100_witten")
    )


def test_an_unresolved_modellkommune_line_is_a_mention(data_copy: Path) -> None:
    text = (
        "PARTNERKOMMUNE\n\nKreis Segeberg\n\nBUNDESLAND SCHLESWIG-HOLSTEIN\n\n"
        "KINDERSCHUTZCLUSTER 1\n\nModellkommune: Kreis Nirgendwo\n"
    )
    result = _profile(data_copy, "100_segeberg", text)
    g = result.dataset.graph(GRAPH["dokument/100_segeberg"])
    mention = ID["erwaehnung/kreis-segeberg/kreis-nirgendwo"]
    assert g.value(ID["kommune/kreis-segeberg"], KSK.erwaehnung) == mention
    assert g.value(mention, KSK.erwaehntAls) == KSK.Modellkommune
    assert g.value(ID["cluster/1"], KSK.modellkommune) is None
