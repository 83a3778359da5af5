"""SHACL shapes with positive and negative fixtures (STYLE point 7).

- tests/shapes/valid/*.ttl must produce no sh:Violation.
- tests/shapes/invalid/<Shape>__<case>.ttl must produce a result whose sh:sourceShape is
  ksks:<Shape>, with the severity its first line announces ("# severity: Warning").

Data graphs are validated with the ontology and both thesauri merged in and inference "none",
as the build validates a release: sh:targetClass and sh:class follow the rdfs:subClassOf
triples of the ontology, and sh:class skos:Concept finds the thesaurus concepts.
All invalid fixtures are validated in one run (each parsed with its own base IRI, so their
relative IRIs cannot collide); a fixture's results are those whose focus node it states.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.term import BNode, Node

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
SH = Namespace("http://www.w3.org/ns/shacl#")
KSKS = Namespace("https://w3id.org/kinderschutz-kg/shapes#")
FIXTURE_BASE = "https://w3id.org/kinderschutz-kg/test/"
INVALID = sorted((HERE / "invalid").glob("*.ttl"))
VALID = sorted((HERE / "valid").glob("*.ttl"))


@dataclass(frozen=True)
class Result:
    shape: Node
    severity: Node
    focus: Node
    message: str


def load(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load(sorted((ROOT / "shapes").glob("*.ttl")))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load(sorted((ROOT / "ontology").glob("*.ttl")))


def run(data: Graph, ontology: Graph, shapes: Graph) -> list[Result]:
    """Validate data + ontology + thesauri; every result of the report."""
    _conforms, report, _text = validate(
        data + ontology, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    return [
        Result(
            report.value(r, SH.sourceShape),
            report.value(r, SH.resultSeverity),
            report.value(r, SH.focusNode),
            " / ".join(sorted(str(m) for m in report.objects(r, SH.resultMessage))),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]


def expected_severity(path: Path) -> URIRef:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# severity: "
    assert first.startswith(prefix), f"{path.name}:1: must start with '{prefix}<Severity>'"
    return SH[first[len(prefix) :].strip()]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_has_no_violation(path: Path, ontology: Graph, shapes: Graph) -> None:
    violations = [r for r in run(load([path]), ontology, shapes) if r.severity == SH.Violation]
    assert not violations, "\n".join(f"{r.shape} on {r.focus}: {r.message}" for r in violations)


def test_ontology_and_thesauri_alone_give_no_result(ontology: Graph, shapes: Graph) -> None:
    results = run(Graph(), ontology, shapes)
    assert not results, "\n".join(f"{r.shape} on {r.focus}: {r.message}" for r in results)


@pytest.fixture(scope="module")
def invalid_results(ontology: Graph, shapes: Graph) -> dict[str, tuple[set[Node], list[Result]]]:
    """Per fixture name: its subjects and the results of the joint validation run about them."""
    data = Graph()
    subjects: dict[str, set[Node]] = {}
    for path in INVALID:
        graph = Graph().parse(path, format="turtle", publicID=f"{FIXTURE_BASE}{path.stem}/")
        subjects[path.stem] = set(graph.subjects())
        data += graph
    results = run(data, ontology, shapes)
    return {
        name: (nodes, [r for r in results if r.focus in nodes]) for name, nodes in subjects.items()
    }


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fails_with_its_shape(
    path: Path, invalid_results: dict[str, tuple[set[Node], list[Result]]]
) -> None:
    shape_name = path.stem.split("__", 1)[0]
    severity = expected_severity(path)
    _nodes, results = invalid_results[path.stem]
    found = [r for r in results if r.shape == KSKS[shape_name]]
    assert found, f"{path.name}: no result from ksks:{shape_name}; got " + ", ".join(
        sorted({str(r.shape).split("#")[-1] for r in results})
    )
    assert {r.severity for r in found} == {severity}, f"{path.name}: severities {found}"


def reportable_shapes(shapes: Graph) -> set[Node]:
    """Node shapes with a target, and the property shapes they use: the shapes that can appear
    as sh:sourceShape. Helpers reached only through sh:node are reported by their caller."""
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    roots = {s for t in targets for s in shapes.subjects(t, None)}
    return roots | {p for root in roots for p in shapes.objects(root, SH.property)}


def test_every_shape_has_an_invalid_fixture(shapes: Graph) -> None:
    covered = {KSKS[p.stem.split("__", 1)[0]] for p in INVALID}
    constrained = {
        s
        for s in reportable_shapes(shapes)
        if set(shapes.predicates(s, None)) - {RDF.type, SH.property, SH.targetSubjectsOf}
    }
    missing = sorted(str(s) for s in constrained - covered)
    assert not missing, "add tests/shapes/invalid/<Shape>__<case>.ttl for:\n" + "\n".join(missing)


def test_fixture_names_refer_to_existing_shapes(shapes: Graph) -> None:
    known = reportable_shapes(shapes)
    unknown = [p.name for p in INVALID if KSKS[p.stem.split("__", 1)[0]] not in known]
    assert not unknown, f"no such shape: {unknown}"


def test_shapes_are_iris_with_bilingual_messages(shapes: Graph) -> None:
    problems = []
    for shape in reportable_shapes(shapes):
        if isinstance(shape, BNode) or not str(shape).startswith(str(KSKS)):
            problems.append(f"{shape} is not an IRI in ksks:")
        if shapes.value(shape, SH.severity) is None and shape != KSKS.Kommunenprofil:
            problems.append(f"{shape} has no sh:severity")
        languages = sorted(m.language for m in shapes.objects(shape, SH.message))
        if shape != KSKS.Kommunenprofil and languages != ["de", "en"]:
            problems.append(f"{shape} has sh:message in {languages}, want de and en")
    for sparql in shapes.objects(None, SH.sparql):
        if isinstance(sparql, BNode):
            problems.append(f"blank-node SPARQL constraint {sparql}")
    assert not problems, "\n".join(problems)
