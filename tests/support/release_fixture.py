"""Publish a release folder from a TriG file, for API tests independent of the loaders."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from rdflib import DCAT, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID as DEFAULT_GRAPH

from kskg.release import DUMPS, publish, staging_dir
from kskg.search_index import SEARCH_DB, write_search_index

METADATA = URIRef("https://w3id.org/kinderschutz-kg/graph/metadaten")
DATASET = URIRef("https://w3id.org/kinderschutz-kg/id/dataset")


def publish_trig(trig: Path, build_dir: Path, version_triple: bool = False) -> str:
    """Publish `trig` as a release in `build_dir` with every dump format and a manifest (with
    the counts `kskg publish --store` checks); returns its version. With `version_triple`, the
    release says its version in its metadata graph as real releases do."""
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    staged = staging_dir(build_dir)
    nquads = _sorted_lines(dataset)
    if version_triple:
        version = hashlib.sha256(nquads.encode()).hexdigest()[:16]
        dataset.graph(METADATA).add((DATASET, DCAT.version, Literal(version)))
        nquads = _sorted_lines(dataset)
    (staged / DUMPS["nq"][0]).write_text(nquads, "utf-8")
    dataset.serialize(staged / DUMPS["trig"][0], format="trig")
    merged = Graph()
    for graph in dataset.graphs():
        merged += graph
    merged.serialize(staged / DUMPS["ttl"][0], format="turtle")
    merged.serialize(staged / DUMPS["nt"][0], format="nt")
    dataset.serialize(staged / DUMPS["jsonld"][0], format="json-ld")
    write_search_index(staged / DUMPS["nq"][0], staged / SEARCH_DB)
    if not version_triple:
        version = hashlib.sha256(nquads.encode()).hexdigest()[:16]
    files = {
        name: {"bytes": (staged / name).stat().st_size, "media_type": media}
        for name, media in DUMPS.values()
    }
    counts = {
        "quads": nquads.count("\n"),
        "graphs": sum(1 for g in dataset.graphs() if len(g) and g.identifier != DEFAULT_GRAPH),
        "triples": len(merged),
    }
    manifest = {"version": version, "files": files, "counts": counts}
    (staged / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    publish(staged, build_dir, version)
    return version


def _sorted_lines(dataset: Dataset) -> str:
    lines = dataset.serialize(format="nquads").splitlines(keepends=True)
    return "".join(sorted(line for line in lines if line.strip()))
