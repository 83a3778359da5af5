"""Every use of a library's private API, each behind a check of the version it was written for.

A private name may change in any release, so the packages here have upper bounds in
pyproject.toml and each accessor refuses, with the reason, a version outside the range it was
checked with (`KNOWN`) instead of failing somewhere deep inside a build or a request. Raise a
bound only after checking the code it guards against the new version.

The accessors import their library on first use: the HTTP process must not pay for rdflib to
start (tests/api/engine/test_pool_start.py), and the worker must not import uvicorn.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib.metadata import version

#: package -> (lowest, first excluded) version the code below was checked with; the same bounds
#: as in pyproject.toml (tests/test_compat.py holds them equal).
KNOWN = {
    "rdflib": ((7, 1), (7, 7)),
    "uvicorn": ((0, 30), (0, 56)),
}


class UnsupportedVersion(RuntimeError):
    """An installed package is outside the versions this project's use of its internals fits."""


@cache
def require(package: str) -> None:
    """Raise UnsupportedVersion unless the installed `package` is within `KNOWN`."""
    installed = version(package)
    lowest, excluded = KNOWN[package]
    if not lowest <= _release(installed) < excluded:
        raise UnsupportedVersion(
            f"{package} {installed} is installed, but kinderschutz-kg uses internals of "
            f"{package} checked with >={_dotted(lowest)},<{_dotted(excluded)} (kskg/compat.py); "
            "reinstall with `pip install -e .`"
        )


def _release(text: str) -> tuple[int, ...]:
    """The leading release numbers of a version string ("7.7.0rc1" -> (7, 7, 0))."""
    parts = []
    for part in text.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        parts.append(int(digits.group()))
    return tuple(parts)


def _dotted(release: tuple[int, ...]) -> str:
    return ".".join(map(str, release))


def nquads_row() -> Callable:
    """rdflib's N-Quads row writer `_nq_row(triple, graph_name) -> str`: reusing it keeps
    rdflib's escaping in the canonical dumps."""
    require("rdflib")
    from rdflib.plugins.serializers.nquads import _nq_row

    return _nq_row


def jsonld_writer() -> tuple[Callable, type]:
    """rdflib's JSON-LD plugin internals: `from_rdf(graph, context_data, base, use_native_types,
    use_rdf_type, auto_compact, ...)` and its `Context` class (a pre-built context is reused for
    every graph instead of being parsed per graph)."""
    require("rdflib")
    from rdflib.plugins.serializers.jsonld import from_rdf
    from rdflib.plugins.shared.jsonld.context import Context

    return from_rdf, Context


def cache_parsed_sparql() -> None:
    """Make rdflib parse each SPARQL text once in this process (call it in pySHACL's child).

    pySHACL hands the text of a SPARQL-based constraint to rdflib once per focus node and rdflib
    parses it every time: on the real data that was 9 of 11 s of validation. A parsed query is
    reusable with other initBindings (it is what rdflib's prepareQuery returns), so caching it by
    text, base and namespaces changes nothing but the time. Patches rdflib's
    `SPARQLProcessor.query`, whose signature is internal.
    """
    require("rdflib")
    from rdflib.plugins.sparql import processor
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    original = processor.SPARQLProcessor.query
    parsed: dict[tuple, object] = {}

    def query(self, str_or_query, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(str_or_query, str):
            key = (str_or_query, base, tuple(sorted((initNs or {}).items())))
            if key not in parsed:
                parsed[key] = translateQuery(parseQuery(str_or_query), base, initNs)
            str_or_query = parsed[key]
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query


def httptools_protocol() -> type:
    """uvicorn's httptools protocol class, which api/http/server.py subclasses: it overrides
    `connection_made`, `connection_lost`, `data_received`, `on_message_begin`,
    `on_headers_complete`, `on_message_complete` and `send_400_response`, and uses the internals
    `parser`, `transport`, `loop`, `client`, `url`, `headers`, `cycle` (`keep_alive`,
    `response_complete`), `server_state`, `logger`, `_should_upgrade`,
    `_unset_keepalive_if_required` and `handle_websocket_upgrade`."""
    require("uvicorn")
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    return HttpToolsProtocol
