"""The response of a curated route: body, pagination and RFC 8288 `Link` header.

{"data": [...], "total": N, "limit": L, "offset": O, "version": "...",
 "query": {"name": ..., "sparql_url": "/api/<name>?...&explain=1"},
 "links": {"self", "first", "prev", "next", "last"}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from api.curated.params import invalid
from api.curated.precomputed import StoredGraph
from api.curated.registry import CuratedQuery


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def read_page(query: CuratedQuery, raw: Mapping[str, str]) -> Page | None:
    """limit/offset from the query string (None if the query is not paginated); 422 if bad,
    and 422 for limit/offset on a route that is not paged: ignoring them would look like an
    answer to what was asked."""
    spec = query.pagination
    if spec is None:
        for name in ("limit", "offset"):
            if raw.get(name) not in (None, ""):
                raise invalid(name, f"{query.name} is not paged: it always answers every record")
        return None
    limit = _non_negative(raw, "limit", spec.default_limit)
    if limit < 1 or limit > spec.max_limit:
        raise invalid("limit", f"must be between 1 and {spec.max_limit} (got {limit})")
    return Page(limit=limit, offset=_non_negative(raw, "offset", 0))


def _non_negative(raw: Mapping[str, str], name: str, default: int) -> int:
    value = raw.get(name)
    if value in (None, ""):
        return default
    if not value.isdigit():
        raise invalid(name, f"{value!r} is not a non-negative integer")
    if len(value) > 9:  # no result is that long; larger numbers do not fit a JSON integer
        raise invalid(name, f"{value} is larger than 999999999")
    return int(value)


def page_links(path: str, raw: Mapping[str, str], page: Page, total: int) -> dict[str, str]:
    """URLs of self/first/prev/next/last for `page` of `total` results (prev/next if they exist)."""

    def url(offset: int) -> str:
        params = {**raw, "limit": str(page.limit), "offset": str(offset)}
        return f"{path}?{urlencode(params)}"

    last = max(0, (total - 1) // page.limit * page.limit)
    links = {"self": url(page.offset), "first": url(0), "last": url(last)}
    if page.offset > 0:
        # Past the end, the page before is the last one that exists, not offset - limit.
        links["prev"] = url(min(max(0, page.offset - page.limit), last))
    if page.offset + page.limit < total:
        links["next"] = url(page.offset + page.limit)
    return links


def link_header(links: Mapping[str, str]) -> str:
    """RFC 8288 `Link` header value for the pagination relations."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if rel != "self")


def explain_url(path: str, raw: Mapping[str, str]) -> str:
    params = {k: v for k, v in raw.items() if k not in ("limit", "offset", "format", "explain")}
    return f"{path}?{urlencode({**params, 'explain': '1'})}"


def body(
    query: CuratedQuery, result, page: Page | None, version: str, path: str, raw, total=None
) -> dict:
    """The JSON body for `result` (a list of records, or a graph dict for shape: graph); with
    `total`, `result` is already the page asked for, one of `total` records."""
    links: dict[str, str] = {}
    if page is not None and not isinstance(result, Mapping):
        data = result[page.offset : page.offset + page.limit] if total is None else result
        total = len(result) if total is None else total
        links = page_links(path, raw, page, total)
        limit, offset = page.limit, page.offset
    else:
        data = result
        total = _edges(result) if isinstance(result, Mapping) else len(result)
        limit, offset = None, 0
    return {
        "data": data,
        "total": total,
        "limit": limit,
        "offset": offset,
        "version": version,
        "query": {"name": query.name, "sparql_url": explain_url(path, raw)},
        "links": links,
    }


def _edges(graph: Mapping) -> int:
    # A stored graph knows its size without being parsed.
    return graph.count if isinstance(graph, StoredGraph) else len(graph["edges"])
