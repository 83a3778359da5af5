"""/sparql driven by the clients researchers use: SPARQLWrapper (GET and POST, every result
format it knows) and rdflib's SPARQLStore (graph.query for each query form, and triples())."""

from __future__ import annotations

import csv
import io
from urllib.error import HTTPError

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

KSK = Namespace("https://w3id.org/kinderschutz-kg/ontology#")
ID = Namespace("https://w3id.org/kinderschutz-kg/id/")
SELECT = (
    "PREFIX ksk: <https://w3id.org/kinderschutz-kg/ontology#>\n"
    "SELECT ?k ?ags WHERE { ?k a ksk:Kommune ; ksk:ags ?ags } ORDER BY ?ags"
)
ASK = 'ASK { ?k <https://w3id.org/kinderschutz-kg/ontology#ags> "01053" }'
CONSTRUCT = "CONSTRUCT WHERE { <https://w3id.org/kinderschutz-kg/id/cluster/2> ?p ?o }"
DESCRIBE = "DESCRIBE <https://w3id.org/kinderschutz-kg/id/cluster/2>"
EXPECTED_AGS = ["01053", "04011000"]


def wrapper(live_server, method: str, query: str, return_format: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(live_server.url + "/sparql")
    sparql.setMethod(method)
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    return sparql


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_select_json(live_server, method):
    result = wrapper(live_server, method, SELECT, JSON).queryAndConvert()
    assert [b["ags"]["value"] for b in result["results"]["bindings"]] == EXPECTED_AGS


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_select_xml(live_server, method):
    document = wrapper(live_server, method, SELECT, XML).queryAndConvert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == EXPECTED_AGS


@pytest.mark.parametrize(("method", "fmt", "delimiter"), [(GET, CSV, ","), (POST, TSV, "\t")])
def test_sparqlwrapper_select_csv_tsv(live_server, method, fmt, delimiter):
    text = wrapper(live_server, method, SELECT, fmt).queryAndConvert().decode()
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert len(rows) == 3 and rows[1][1].strip('"') == "01053"


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(live_server, method, fmt):
    result = wrapper(live_server, method, ASK, fmt).queryAndConvert()
    if fmt == JSON:
        assert result["boolean"] is True
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, XML, JSONLD])
def test_sparqlwrapper_graph_results(live_server, method, query, fmt):
    result = wrapper(live_server, method, query, fmt).queryAndConvert()
    graph = Graph().parse(data=result, format="turtle") if fmt == TURTLE else result
    assert (ID["cluster/2"], KSK.nummer, Literal(2)) in graph
    assert (ID["cluster/2"], KSK.modellkommune, ID["kommune/stadtgemeinde-bremen"]) in graph


@pytest.fixture(params=["GET", "POST"])
def store_graph(request, live_server) -> Graph:
    store = SPARQLStore(live_server.url + "/sparql", method=request.param)
    return Graph(store=store)


def test_sparqlstore_select(store_graph):
    rows = list(store_graph.query(SELECT))
    assert [str(row.ags) for row in rows] == EXPECTED_AGS
    assert rows[0].k == ID["kommune/kreis-herzogtum-lauenburg"]


def test_sparqlstore_ask(store_graph):
    assert store_graph.query(ASK).askAnswer is True


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_sparqlstore_graph_results(store_graph, query):
    graph = store_graph.query(query).graph
    assert (ID["cluster/2"], RDF.type, KSK.Cluster) in graph
    assert len(graph) == 4


def test_sparqlstore_triples(store_graph):
    labels = {str(o) for _, _, o in store_graph.triples((None, RDFS.label, None))}
    assert {"Schleswig-Holstein", "Stadtgemeinde Bremen", "Kinderschutzcluster 1"} <= labels
    subject = URIRef(ID["cluster/1"])
    assert set(store_graph.predicate_objects(subject)) == {
        (RDF.type, KSK.Cluster),
        (KSK.nummer, Literal(1)),
        (RDFS.label, Literal("Kinderschutzcluster 1", lang="de")),
    }
    assert len(store_graph) > 0


def test_update_store_is_refused(live_server):
    endpoint = live_server.url + "/sparql"
    store = SPARQLUpdateStore(query_endpoint=endpoint, update_endpoint=endpoint)
    with pytest.raises(HTTPError) as refused:
        store.update("CLEAR ALL")
    assert refused.value.code == 403
    assert Graph(store=SPARQLStore(endpoint)).query(ASK).askAnswer is True
