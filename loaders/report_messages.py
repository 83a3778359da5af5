"""Give SHACL result messages back the language their shape wrote them in.

pySHACL (0.40) writes the messages of a SPARQL-based constraint as plain literals: it formats
each `sh:message` as text and makes a new `Literal` of it, which drops the `@de`/`@en` tag. The
report would then hold "Von diesem Cluster ist keine Kommune bekannt." without a language, and the
pages could not show the message of the page's language first (docs/pages.md, "Language"). Our
shapes use no `{$this}` placeholders, so a plain message is exactly one of its shape's (or its
SPARQL constraint's) messages; that literal, with its language, replaces it.
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import SH


def restore_message_languages(report: Graph, shapes: Graph) -> int:
    """Replace untagged `sh:resultMessage`s in `report` by the tagged `sh:message` of the same
    text from the result's shape or constraint in `shapes`; returns how many were replaced."""
    replaced = 0
    for result, message in list(report.subject_objects(SH.resultMessage)):
        if not isinstance(message, Literal) or message.language is not None:
            continue
        sources = [
            *report.objects(result, SH.sourceShape),
            *report.objects(result, SH.sourceConstraint),
        ]
        tagged = next(
            (
                m
                for source in sources
                for m in shapes.objects(source, SH.message)
                if isinstance(m, Literal) and m.language and str(m) == str(message)
            ),
            None,
        )
        if tagged is not None:
            report.remove((result, SH.resultMessage, message))
            report.add((result, SH.resultMessage, tagged))
            replaced += 1
    return replaced
