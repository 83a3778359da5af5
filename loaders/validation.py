"""SHACL validation of the merged graph with pySHACL, in a child process with a time limit.

pySHACL cannot be interrupted from inside Python, so it runs in a spawned child that the parent
kills when `timeout_s` has passed. Graphs cross the process boundary as N-Triples text.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from kskg.compat import cache_parsed_sparql
from kskg.namespaces import GRAPH
from loaders.report_messages import restore_message_languages

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
    """Validate `data` against every shapes_dir/*.ttl within `timeout_s` seconds (see Validator)."""
    with Validator(shapes_dir) as validator:
        return validator.validate(data, timeout_s)


class Validator:
    """A pySHACL child process for one validation.

    Created before the data is ready, so that the child's start-up (interpreter, pySHACL import,
    parsing the shapes) overlaps the loading of the sources. Use it as a context manager: leaving
    it kills the child if it still runs.
    """

    def __init__(self, shapes_dir: Path) -> None:
        shapes = [(str(path), path.read_text("utf-8")) for path in shape_files(shapes_dir)]
        context = multiprocessing.get_context("spawn")
        self._conn, child_conn = context.Pipe()
        self._child = context.Process(
            target=_child_main, args=(child_conn, shapes), name="kskg-shacl", daemon=True
        )
        self._child.start()
        child_conn.close()

    def __enter__(self) -> Validator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._child.is_alive():
            self._child.kill()
        self._child.join()
        self._conn.close()

    def validate(self, data: Graph, timeout_s: float) -> ValidationOutcome:
        """Validate `data` (submit, then wait for the result); see `result`."""
        self.submit(data)
        return self.result(timeout_s)

    def submit(self, data: Graph) -> None:
        """Hand `data` to the child; the time limit of `result` counts from now."""
        self._submitted = time.monotonic()
        try:
            self._conn.send(data.serialize(format="nt"))
        except BrokenPipeError as error:
            self._died(error)

    def result(self, timeout_s: float) -> ValidationOutcome:
        """The outcome of the submitted validation; the child is killed once `timeout_s` seconds
        have passed since `submit`.

        Raises ValidationFailed if the limit is exceeded, if the child dies, or if pySHACL
        raises (e.g. a shapes file does not parse).
        """
        try:
            remaining = max(0.0, self._submitted + timeout_s - time.monotonic())
            if not self._conn.poll(remaining):
                raise ValidationFailed(f"validation exceeded {timeout_s:g} s")
            status, payload = self._conn.recv()
        except EOFError as error:
            self._died(error)
        finally:
            self.close()
        if status != "ok":
            raise ValidationFailed(payload)
        report = Graph().parse(data=payload, format="nt")
        violations = any(report.subjects(SH.resultSeverity, SH.Violation))
        return ValidationOutcome(report=report, conforms=not violations)

    def _died(self, error: Exception) -> NoReturn:
        self._child.join(1)
        code = self._child.exitcode
        self.close()
        raise ValidationFailed(f"validation process died (exit code {code})") from error


def _child_main(conn, shapes: list[tuple[str, str]]) -> None:
    """Child process: get ready, receive the data as N-Triples, send back ("ok", report as
    N-Triples) or ("error", message). Exits quietly if the parent goes away first."""
    try:
        prepared: Graph | Exception = _prepare(shapes)
    except Exception as error:  # noqa: BLE001 - reported once the parent sends the data
        prepared = error
    try:
        data_nt = conn.recv()
    except EOFError:
        return
    try:
        if isinstance(prepared, Exception):
            raise prepared
        answer = ("ok", _report_nt(data_nt, prepared))
    except Exception as error:  # noqa: BLE001 - any failure must reach the parent as a message
        answer = ("error", f"validation failed: {type(error).__name__}: {error}")
    try:
        conn.send(answer)
    except OSError:
        pass  # the parent is gone (killed or timed out); nobody is waiting for the report
    finally:
        conn.close()


def _prepare(shapes: list[tuple[str, str]]) -> Graph:
    """Import pySHACL and parse the shapes (done while the parent still loads the sources)."""
    import pyshacl  # noqa: F401 - only the child needs pySHACL; importing it is part of start-up

    cache_parsed_sparql()
    shapes_graph = Graph()
    for path, text in shapes:
        shapes_graph.parse(data=text, format="turtle", publicID=Path(path).resolve().as_uri())
    return shapes_graph


def _report_nt(data_nt: str, shapes_graph: Graph) -> str:
    import pyshacl

    data = Graph().parse(data=data_nt, format="nt")
    # inference="none": the data graph already holds the ontology, and SHACL's targetClass
    # follows rdfs:subClassOf in the data graph, so no entailment is needed.
    _conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    restore_message_languages(report, shapes_graph)
    return report.serialize(format="nt")
