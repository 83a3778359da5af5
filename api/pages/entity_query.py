"""The SPARQL query an entity page shows: the same statements, for the reader to run and change.

The query text is `api/engine/rq/page_statements.rq` with `?_iri` written as the IRI. This is text
for a person to read and edit in the query editor; the server never runs it with the IRI spliced in
(the page itself binds `?_iri` as an RDF term).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

QUERY_FILE = Path(__file__).parents[1] / "engine" / "rq" / "page_statements.rq"

#: Characters an IRIREF may not contain (SPARQL 1.1 grammar, production [139]).
_NOT_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def shown_query(iri: str) -> str | None:
    """The query text for `iri`, or None if `iri` cannot be written as an IRIREF."""
    if _NOT_IN_IRI.search(iri):
        return None
    return _template().replace("?_iri", f"<{iri}>")


@cache
def _template() -> str:
    return QUERY_FILE.read_text("utf-8")


def editor_url(root: str, query: str) -> str:
    """The editor page with `query` pre-filled."""
    return f"{root}sparql?query={quote(query, safe='')}"
