"""What a release says about itself: the graph ``…/graph/metadaten`` and ``manifest.json``.

Both are derived from the inputs and the data only, never from the clock or the machine, so a
rebuild of the same inputs is byte-identical (DESIGN.md, "Release layout").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kskg.curated_answers import ANSWERS
from kskg.namespaces import DCAT, GRAPH, ID, KSKS, PREFIXES, VOID, bind_prefixes
from kskg.release import DUMPS, MANIFEST, SHACL_REPORT_TTL, SHACL_REPORT_TXT, SUMMARY_TXT
from kskg.search_index import SEARCH_DB

DATASET_IRI = ID.dataset
ACTIVITY_IRI = ID["dataset/erzeugung"]

_SHORT_FORMS = {**PREFIXES, "ksks": str(KSKS)}
_THESAURI = {"themenfelder": GRAPH.themenfelder, "sektoren": GRAPH.sektoren}
_MEDIA_TYPES = {
    **{name: media_type for name, media_type in DUMPS.values()},
    SHACL_REPORT_TTL: "text/turtle",
    SHACL_REPORT_TXT: "text/plain; charset=utf-8",
    SUMMARY_TXT: "text/plain; charset=utf-8",
    SEARCH_DB: "application/vnd.sqlite3",
}


@dataclass(frozen=True)
class InputFile:
    """One file the release was built from; `file` is shown relative to the project, `graph` is
    the named graph its statements go to (by the naming rule of DESIGN.md)."""

    file: str
    sha256: str
    lines: int
    graph: URIRef

    @property
    def stem(self) -> str:
        return Path(self.file).stem


def generator() -> str:
    """Name and version of the software that built the release."""
    try:
        return f"kinderschutz-kg {package_version('kinderschutz-kg')}"
    except PackageNotFoundError:
        return "kinderschutz-kg (not installed)"


#: data/reference/<stem>.* -> graph/referenz/<name>; other stems keep their name.
_REFERENCE_GRAPHS = {"aliases": "kommunen"}


def input_files(data_dir: Path, ontology_dir: Path) -> list[InputFile]:
    """data/sources/*, data/reference/* and ontology/*.ttl, with checksums and their graph."""
    found = [
        *(_input(p, data_dir, GRAPH["dokument/" + p.stem]) for p in _files(data_dir / "sources")),
        *(
            _input(p, data_dir, GRAPH["referenz/" + _REFERENCE_GRAPHS.get(p.stem, p.stem)])
            for p in _files(data_dir / "reference")
        ),
    ]
    for path in _files(ontology_dir, "*.ttl"):
        found.append(_input(path, ontology_dir, _THESAURI.get(path.stem, GRAPH.ontology)))
    return found


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in folder.glob(pattern) if p.is_file() and not p.name.startswith("."))


def _input(path: Path, root: Path, graph: URIRef) -> InputFile:
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    lines = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    name = f"{root.name}/{path.relative_to(root).as_posix()}"
    return InputFile(name, hashlib.sha256(data).hexdigest(), lines, graph)


def metadata_graph(version: str, inputs: list[InputFile], data: Graph) -> Graph:
    """The graph ``…/graph/metadaten``: the dataset, its version, generator, inputs and counts.

    `data` is the merged graph of everything else in the release (what the counts describe).
    """
    graph = Graph(identifier=GRAPH.metadaten)
    bind_prefixes(graph.namespace_manager)
    dataset = DATASET_IRI
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDFS.label, Literal("Kinderschutz-KG: Aus Fehlern lernen", lang="de")))
    graph.add((dataset, DCAT.version, Literal(version)))
    graph.add((dataset, VOID.triples, Literal(len(data))))
    graph.add((dataset, PROV.wasGeneratedBy, ACTIVITY_IRI))
    graph.add((ACTIVITY_IRI, RDF.type, PROV.Activity))
    graph.add((ACTIVITY_IRI, RDFS.label, Literal(f"kskg build ({generator()})")))
    for item in inputs:
        if item.file.startswith("ontology/"):
            continue  # the ontology graphs describe themselves; documents are data inputs
        # The document's own graph already gives its checksum and line count (ksk:sha256).
        graph.add((ACTIVITY_IRI, PROV.used, ID["dokument/" + item.stem]))
    for cls, count in class_counts(data).items():
        partition = ID["dataset/klasse/" + curie(cls).replace(":", "-")]
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], cls))
        graph.add((partition, VOID.entities, Literal(count)))
    return graph


def class_counts(graph: Graph) -> dict[URIRef, int]:
    """Number of distinct instances per rdf:type, sorted by class IRI."""
    counts: dict[URIRef, int] = {}
    for _subject, cls in graph.subject_objects(RDF.type):
        if isinstance(cls, URIRef):
            counts[cls] = counts.get(cls, 0) + 1
    return dict(sorted(counts.items()))


def curie(iri: URIRef) -> str:
    """`iri` shortened with the longest matching project prefix or ksks: (else the full IRI)."""
    matches = [(len(ns), p) for p, ns in _SHORT_FORMS.items() if str(iri).startswith(ns)]
    if not matches:
        return str(iri)
    _length, prefix = max(matches)
    return prefix + ":" + str(iri)[len(_SHORT_FORMS[prefix]) :]


@dataclass(frozen=True)
class ManifestInputs:
    """Everything manifest.json is made of, apart from the release folder's files."""

    version: str
    inputs: list[InputFile]
    dataset: Dataset
    merged: Graph
    per_document: dict[str, dict[str, int]]
    validation: dict[str, int | bool]


def write_manifest(folder: Path, facts: ManifestInputs) -> dict:
    """Write `folder`/manifest.json (keys sorted, indent 2, no timestamps) and return it."""
    graphs = [g for g in facts.dataset.graphs() if isinstance(g.identifier, URIRef) and len(g)]
    present = {g.identifier for g in graphs}
    manifest = {
        "version": facts.version,
        "generator": generator(),
        "sources": [
            {
                "file": i.file,
                "sha256": i.sha256,
                "graph": str(i.graph) if i.graph in present else None,
                "lines": i.lines,
            }
            for i in facts.inputs
        ],
        "counts": {
            "quads": sum(len(g) for g in graphs),
            "triples": len(facts.merged),
            "graphs": len(graphs),
            "per_class": {curie(c): n for c, n in class_counts(facts.merged).items()},
            "per_document": facts.per_document,
        },
        "files": _file_entries(folder),
        "validation": facts.validation,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return manifest


def _file_entries(folder: Path) -> dict[str, dict]:
    """Every file of the release but the manifest, by its path in the release; the curated
    answers (a folder of their own) too."""
    entries = {}
    answers = sorted((folder / ANSWERS).glob("*")) if (folder / ANSWERS).is_dir() else []
    for path in sorted(folder.iterdir()) + answers:
        if path.name == MANIFEST or not path.is_file():
            continue
        data = path.read_bytes()
        entries[path.relative_to(folder).as_posix()] = {
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "media_type": _media_type(path),
        }
    return entries


def _media_type(path: Path) -> str:
    if path.suffix == ".gz":
        return "application/gzip"
    if path.parent.name == ANSWERS:
        kinds = {".jsonl": "application/jsonl", ".deflate": "application/octet-stream"}
        return kinds.get(path.suffix, "application/json")
    return _MEDIA_TYPES[path.name]
