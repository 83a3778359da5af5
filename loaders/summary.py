"""Readable texts of a build: summary.txt, shacl-report.txt and the lines of a blocked build.

Every text is sorted, so it is as reproducible as the RDF it describes.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SH
from rdflib.term import Node

from kskg.namespaces import ID
from kskg.vocab import KSK
from loaders.diagnostics import Diagnostic
from loaders.document_summary import DocumentSummary
from loaders.metadata import curie

SEVERITIES = ((SH.Violation, "Violation"), (SH.Warning, "Warning"), (SH.Info, "Info"))
_SEVERITY_NAMES = dict(SEVERITIES)


def document_counts(summary: object) -> tuple[str, dict[str, int | dict[str, int]]]:
    """(file, counts) of one LoadResult summary: its integer fields and its dicts of integers
    (such as Maßnahmen per "<ebene>/<status>"), for manifest.json."""
    fields = dataclasses.asdict(summary) if dataclasses.is_dataclass(summary) else vars(summary)
    counts = {
        key: value
        for key, value in fields.items()
        if _is_count(value) or (isinstance(value, dict) and all(map(_is_count, value.values())))
    }
    return str(fields.get("file", "?")), dict(sorted(counts.items()))


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def summary_text(summaries: Iterable[DocumentSummary], diagnostics: Iterable[Diagnostic]) -> str:
    """summary.txt, and what `kskg build` ends with: per source document its counts (the
    summary's own str()) and, indented under it, every warning and correction in it; then the
    diagnostics about other inputs (reference data, ontology) and the totals."""
    notes = sorted(diagnostics)
    by_file: dict[str, list[Diagnostic]] = {}
    for note in notes:
        by_file.setdefault(note.path.rsplit("/", 1)[-1], []).append(note)
    lines = ["Extraction per source document"]
    for summary in sorted(summaries, key=str):
        lines += ["", str(summary)]
        lines += [f"  {note}" for note in by_file.pop(summary.file, [])]
    others = [note for group in by_file.values() for note in group]
    if others:
        lines += ["", "Other inputs"]
        lines += [f"  {note}" for note in sorted(others, key=str)]
    counts = Counter(note.severity.value for note in notes)
    total = ", ".join(f"{counts[s]} {s}(s)" for s in ("warning", "info")) if notes else "none"
    lines += ["", f"Diagnostics: {total}"]
    return "\n".join(lines) + "\n"


def severity_counts(report: Graph) -> dict[str, int]:
    """{"violations", "warnings", "infos"}: number of results per severity."""
    return {
        name.lower() + "s": sum(1 for _ in report.subjects(SH.resultSeverity, severity))
        for severity, name in SEVERITIES
    }


def report_text(report: Graph) -> str:
    """shacl-report.txt: counts per severity, then 'severity | focus | shape | message' lines
    grouped by shape."""
    counts = severity_counts(report)
    lines = ["SHACL validation report", ""]
    lines += [f"{name}: {count}" for name, count in counts.items()]
    by_shape: dict[str, list[str]] = {}
    for result in report.subjects(SH.resultSeverity, None):
        shape = _short(report.value(result, SH.sourceShape))
        severity = _SEVERITY_NAMES.get(report.value(result, SH.resultSeverity), "?")
        focus = _short(report.value(result, SH.focusNode))
        row = f"{severity} | {focus} | {shape} | {_message(report, result)}"
        by_shape.setdefault(shape, []).append(row)
    for shape in sorted(by_shape):
        lines += ["", f"{shape} ({len(by_shape[shape])})"]
        lines += ["  " + row for row in sorted(by_shape[shape])]
    return "\n".join(lines) + "\n"


def violation_lines(report: Graph, data: Graph, files: dict[str, str]) -> list[str]:
    """One line per sh:Violation: 'file:line: message (focus, shape)' when the focus node has a
    Fundstelle (prov:wasDerivedFrom), else 'focus: message (shape)'. `files` maps an input's
    base name (a Quelldokument's dcterms:identifier) and its stem to the path shown to the user.
    """
    lines = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        shape = _short(report.value(result, SH.sourceShape))
        message = _message(report, result)
        place = _fundstelle(data, focus, files)
        if place:
            lines.append(f"{place}: {message} ({_short(focus)}, {shape})")
        else:
            lines.append(f"{_short(focus)}: {message} ({shape})")
    return sorted(set(lines))


def _fundstelle(data: Graph, focus: Node | None, files: dict[str, str]) -> str | None:
    """'file:line' of the first source location of `focus`, if it has one."""
    places = []
    for location in data.objects(focus, PROV.wasDerivedFrom):
        document, line = data.value(location, KSK.dokument), data.value(location, KSK.zeile)
        if document is None or line is None:
            continue
        name = str(data.value(document, DCTERMS.identifier) or "")
        stem = str(document).removeprefix(str(ID["dokument/"]))
        places.append((files.get(name) or files.get(stem, stem), int(line)))
    if not places:
        return None
    file, line = min(places)
    return f"{file}:{line}"


def _message(report: Graph, result: Node) -> str:
    """The German message of a result if there is one, else an untagged one, else any."""
    messages = list(report.objects(result, SH.resultMessage))
    for wanted in ("de", None):
        chosen = sorted(str(m) for m in messages if getattr(m, "language", None) == wanted)
        if chosen:
            return chosen[0]
    return sorted(str(m) for m in messages)[0] if messages else ""


def _short(term: Node | None) -> str:
    if term is None:
        return "-"
    return curie(term) if isinstance(term, URIRef) else term.n3()
