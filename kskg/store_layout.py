"""How a release is laid out in a remote SPARQL engine (docs/deploy.md), shared by the API,
which reads it, and `kskg publish --store`, which writes it.

An engine has one or more *slots* (datasets behind their own endpoints: two Oxigraph servers,
two Fuseki datasets). A slot holds one release: its named graphs under their own names, and the
de-duplicated RDF merge of them in the graph `default_graph(version)`, which the API names as
`default-graph-uri` of every query. When the counts of every graph were checked, one triple in
`SLOT_GRAPH` marks the release as published; only a marked release is ever served. No
engine's implicit union default graph is relied on: Oxigraph's returns a triple once per graph
holding it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PREFIX = "urn:kinderschutz-kg:"
DEFAULT_GRAPH_PREFIX = PREFIX + "default-graph:"
#: Graph with one `<default graph> dcterms:modified <when published>` triple per release.
SLOT_GRAPH = PREFIX + "slot"
#: Stands for "no named graphs" in named-graph-uri (the protocol has no spelling for none).
NO_GRAPH = PREFIX + "no-graph"
RQ = Path(__file__).parent / "rq"


def default_graph(version: str) -> str:
    """The graph holding the merge of release `version`."""
    return DEFAULT_GRAPH_PREFIX + version


def is_internal(graph: str) -> bool:
    """True for the graphs of this layout, which are not graphs of the release."""
    return graph.startswith(PREFIX)


@cache
def layout_query(name: str) -> str:
    """The text of kskg/rq/<name>.rq (SPARQL lives in files)."""
    return (RQ / f"{name}.rq").read_text("utf-8")
