"""Every SHACL result of a real build has its message in German and in English, each tagged
with its language — also those of SPARQL-based constraints, whose tags pySHACL drops
(loaders/report_messages.py)."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from tests.build.conftest import Built


def test_every_result_message_is_tagged_de_and_en(built: Built) -> None:
    report = Graph().parse(built.release.path / "shacl-report.ttl")
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert results, "the real data has findings (Info, Warning)"
    sparql_based = 0
    for result in results:
        messages = list(report.objects(result, SH.resultMessage))
        assert all(isinstance(m, Literal) and m.language for m in messages), (result, messages)
        assert sorted(m.language for m in messages) == ["de", "en"], (result, messages)
        sparql_based += (result, SH.sourceConstraint, None) in report
    assert sparql_based > 0, "the case pySHACL gets wrong is covered"
