"""SHACL validation of the merged graph with pySHACL, in a child process with a time limit.

pySHACL cannot be interrupted from inside Python, so it runs in a spawned child that the parent
kills when `timeout_s` has passed. Graphs cross the process boundary as N-Triples text.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from kskg.namespaces import GRAPH

#: Graphs that describe a build rather than the data; never validated.
BUILD_GRAPHS = frozenset({GRAPH.validierung, GRAPH.metadaten})


class ValidationFailed(RuntimeError):
    """pySHACL could not produce a report (time limit, crash, unreadable shapes)."""


@dataclass(frozen=True)
class ValidationOutcome:
    """The raw pySHACL report (with blank nodes) and whether it has no sh:Violation."""

    report: Graph
    conforms: bool

    def count(self, severity: URIRef) -> int:
        return sum(1 for _ in self.report.subjects(SH.resultSeverity, severity))


def merged_graph(dataset: Dataset) -> Graph:
    """The de-duplicated union of the data's named graphs (build graphs left out)."""
    merged = Graph()
    for graph in dataset.graphs():
        if graph.identifier not in BUILD_GRAPHS:
            merged += graph
    return merged


def shape_files(shapes_dir: Path) -> list[Path]:
    """The shapes files, in a stable order; raises ValidationFailed if there are none."""
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise ValidationFailed(f"{shapes_dir}: no SHACL shapes (*.ttl) to validate against")
    return files


def validate(data: Graph, shapes_dir: Path, timeout_s: float) -> ValidationOutcome:
    """Validate `data` against every shapes_dir/*.ttl within `timeout_s` seconds of wall clock.

    Raises ValidationFailed if the limit is exceeded (the child is killed), if the child dies,
    or if pySHACL raises (e.g. a shapes file does not parse).
    """
    shapes = [(str(path), path.read_text("utf-8")) for path in shape_files(shapes_dir)]
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_run_pyshacl,
        args=(sender, data.serialize(format="nt"), shapes),
        name="kskg-shacl",
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            raise ValidationFailed(f"validation exceeded {timeout_s:g} s")
        status, payload = receiver.recv()
    except EOFError as error:
        raise ValidationFailed(f"validation process died (exit code {child.exitcode})") from error
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status != "ok":
        raise ValidationFailed(payload)
    report = Graph().parse(data=payload, format="nt")
    violations = any(report.subjects(SH.resultSeverity, SH.Violation))
    return ValidationOutcome(report=report, conforms=not violations)


def _run_pyshacl(sender, data_nt: str, shapes: list[tuple[str, str]]) -> None:
    """Child process: validate and send ("ok", report as N-Triples) or ("error", message)."""
    try:
        sender.send(("ok", _report_nt(data_nt, shapes)))
    except Exception as error:  # noqa: BLE001 - any failure must reach the parent as a message
        sender.send(("error", f"validation failed: {type(error).__name__}: {error}"))
    finally:
        sender.close()


def _report_nt(data_nt: str, shapes: list[tuple[str, str]]) -> str:
    import pyshacl  # only the child needs pySHACL

    data = Graph().parse(data=data_nt, format="nt")
    shapes_graph = Graph()
    for path, text in shapes:
        shapes_graph.parse(data=text, format="turtle", publicID=Path(path).as_uri())
    # inference="none": the data graph already holds the ontology, and SHACL's targetClass
    # follows rdfs:subClassOf in the data graph, so no entailment is needed.
    _conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return report.serialize(format="nt")
