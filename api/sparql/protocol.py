"""Reading a SPARQL 1.1 Protocol query request: the operation, its dataset and its format.

Shaped like https://www.w3.org/TR/sparql11-protocol/#query-operation :

- §2.1.1 query via GET: `query`, `default-graph-uri`*, `named-graph-uri`* in the query string;
- §2.1.2 query via POST with `application/x-www-form-urlencoded`: the same parameters in the body
  (parameters in the request URL are honoured too, as the W3C tests send them there);
- §2.1.3 query via POST directly: the body is the query, `application/sparql-query`, UTF-8;
  the dataset parameters come from the query string;
- §2.1.4 the protocol dataset: given any `default-graph-uri` or `named-graph-uri`, it replaces
  FROM / FROM NAMED of the query (a missing one of the two means an empty set, as in SPARQL 1.1
  Query §13.2).

This endpoint is read-only: update operations (§2.2) are recognised and refused with 403
(api/engine/query_job.py `read_only`). Problems raise `ApiError` with a JSON body; nothing here
runs a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from api.errors import ApiError, read_only

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class QueryRequest:
    """A query operation as the protocol defines it; `query` is None when none was sent."""

    query: str | None
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    formats: tuple[str, ...] = ()


def parse_get(query_string: bytes) -> QueryRequest:
    """§2.1.1: a GET request (the raw URL query string)."""
    return _from_params(_decode_params(query_string, "the URL query string"), require_query=False)


def parse_post(content_type: str | None, body: bytes, query_string: bytes) -> QueryRequest:
    """§2.1.2 / §2.1.3: a POST request, dispatched on its media type."""
    media_type, charset = _media_type(content_type)
    url_params = _decode_params(query_string, "the URL query string")
    if media_type == FORM:
        _require_utf8(charset, media_type)
        return _from_params(url_params + _decode_params(body, "the form body"))
    if media_type == SPARQL_QUERY:
        _require_utf8(charset, media_type)
        if any(name == "query" for name, _ in url_params):
            raise ApiError(400, "multiple_queries", "a query in both the URL and the body")
        return _from_params([*url_params, ("query", _decode_utf8(body, "the query body"))])
    if media_type == SPARQL_UPDATE:
        raise read_only()
    raise ApiError(
        415,
        "unsupported_media_type",
        f"POST needs Content-Type {FORM} or {SPARQL_QUERY}, not {content_type or 'none'!r}",
        accepted=[FORM, SPARQL_QUERY],
    )


def _from_params(params: list[tuple[str, str]], *, require_query: bool = True) -> QueryRequest:
    if any(name in ("update", "using-graph-uri", "using-named-graph-uri") for name, _ in params):
        raise read_only()
    queries = [value for name, value in params if name == "query"]
    if len(queries) > 1:
        raise ApiError(
            400, "multiple_queries", f"{len(queries)} 'query' parameters; send exactly one"
        )
    if not queries and require_query:
        raise ApiError(400, "missing_query", "no 'query' parameter in the request")
    default = tuple(value for name, value in params if name == "default-graph-uri")
    named = tuple(value for name, value in params if name == "named-graph-uri")
    protocol_dataset = bool(default or named)
    return QueryRequest(
        query=queries[0] if queries else None,
        default_graphs=default if protocol_dataset else None,
        named_graphs=named if protocol_dataset else None,
        formats=tuple(value for name, value in params if name == "format" and value),
    )


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    """The bare media type and the charset parameter of a Content-Type header."""
    if not content_type:
        return "", None
    media_type, *params = (part.strip() for part in content_type.split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def _require_utf8(charset: str | None, media_type: str) -> None:
    # §2.1.2 and §2.1.3: the body is UTF-8; declaring anything else is a client error.
    if charset not in (None, "utf-8", "utf8"):
        raise ApiError(
            415,
            "unsupported_charset",
            f"{media_type} must be UTF-8, not charset={charset}",
        )


def _decode_utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(
            400, "bad_encoding", f"{where} is not valid UTF-8 (byte {error.start})"
        ) from None


def _decode_params(data: bytes, where: str) -> list[tuple[str, str]]:
    text = _decode_utf8(data, where)
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise ApiError(
            400, "bad_encoding", f"{where} has percent-escapes that are not valid UTF-8"
        ) from None
