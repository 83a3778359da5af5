"""Filter values must name something the served release knows.

A parameter declared with `known: <class CURIE>` (e.g. `bundesland` with `known: ksk:Bundesland`)
is bound to an IRI; if that IRI is no instance of the class in the served release, the request is
a 422 whose body lists the values that are (`allowed`). The list comes from the release itself
(api/engine/rq/known_values.rq), once per data version and class, so a new Bundesland or cluster
in the data is accepted without touching the query headers.

A value is checked by asking whether that one IRI is such an instance (api/engine/rq/
is_instance.rq, cached per data version, class and IRI): at a million triples the list of
every Kommune takes more than a second, the question about one a few milliseconds. The list
is made only for the message of a value that is not known.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

import orjson
import pyoxigraph as ox

from api.curated.cache import VersionedCache
from api.curated.params import invalid, unwrap
from api.curated.registry import CuratedQuery, Param
from api.engine.own_queries import rq
from api.engine.query_job import Outcome, Purpose, QueryJob
from api.engine.values_binding import bind_values
from kskg.namespaces import PREFIXES

Runner = Callable[[QueryJob], Awaitable[Outcome]]
Bound = Mapping[str, ox.NamedNode | ox.Literal]
#: How many allowed values the message names; the body's `allowed` has all of them.
SHOWN = 20


def class_iri(curie: str) -> str:
    """`ksk:Bundesland` -> its IRI (a project prefix, PREFIXES); a full IRI stays as it is."""
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else curie


async def known_items(run: Runner, cache: VersionedCache, version: str, cls: str) -> tuple:
    """(IRI, label @de, label @en) of every instance of `cls` in the release `version`,
    ordered by IRI (cached per version and class)."""
    cached = cache.get(version, ("known", cls))
    if cached is not None:
        return cached
    sparql = bind_values(rq("known_values"), {"_class": ox.NamedNode(cls)})
    outcome = await run(QueryJob(sparql, purpose=Purpose.RECORDS, guard=False))
    bindings = orjson.loads(outcome.body)["results"]["bindings"]
    items = tuple(
        (b["item"]["value"], _value(b, "label_de"), _value(b, "label_en"))
        for b in bindings
        if "item" in b
    )
    cache.put(version, ("known", cls), items)
    return items


def _value(binding: dict, name: str) -> str | None:
    term = binding.get(name)
    return term["value"] if term else None


async def is_known(run: Runner, cache: VersionedCache, version: str, cls: str, iri: str) -> bool:
    """Whether `iri` is an instance of `cls` in the release `version` (cached; answered from
    the list of every instance when that is cached already)."""
    listed = cache.get(version, ("known", cls))
    if listed is not None:
        return any(item[0] == iri for item in listed)
    key = ("known", cls, iri)
    cached = cache.get(version, key)
    if cached is not None:
        return cached
    bound = {"_class": ox.NamedNode(cls), "_item": ox.NamedNode(iri)}
    job = QueryJob(bind_values(rq("is_instance"), bound), purpose=Purpose.RECORDS, guard=False)
    found = bool(orjson.loads((await run(job)).body)["boolean"])
    cache.put(version, key, found)
    return found


async def known_iris(run: Runner, cache: VersionedCache, version: str, cls: str) -> frozenset:
    """The IRIs of every instance of `cls` in the release `version`."""
    return frozenset(item[0] for item in await known_items(run, cache, version, cls))


def choices(param: Param, items: tuple) -> list[tuple[str, str, str | None]]:
    """(value as a client writes it, label @de, label @en) of the instances `param` accepts."""
    prefix, _, suffix = (param.iri_template or "{value}").partition("{value}")
    return [
        (iri[len(prefix) : len(iri) - len(suffix)], de or iri, en)
        for iri, de, en in items
        if iri.startswith(prefix) and iri.endswith(suffix) and len(iri) > len(prefix + suffix)
    ]


def allowed_values(param: Param, iris: frozenset) -> list[str]:
    """The values `param` accepts, as a client writes them (the template's `{value}` part)."""
    prefix, _, suffix = (param.iri_template or "{value}").partition("{value}")
    return sorted(
        iri[len(prefix) : len(iri) - len(suffix)]
        for iri in iris
        if iri.startswith(prefix) and iri.endswith(suffix) and len(iri) > len(prefix + suffix)
    )


async def check_known(
    run: Runner, cache: VersionedCache, version: str, query: CuratedQuery, bound: Bound
) -> None:
    """Raise a 422 (with `allowed`) for a bound `known` parameter naming nothing known."""
    for param in query.params:
        term = bound.get(param.variable)
        if not param.known or not isinstance(term, ox.NamedNode):
            continue
        if await is_known(run, cache, version, class_iri(param.known), term.value):
            continue
        iris = await known_iris(run, cache, version, class_iri(param.known))
        allowed = allowed_values(param, iris)
        more = f", … ({len(allowed)} in all)" if len(allowed) > SHOWN else ""
        value = unwrap(param, term.value)
        error = invalid(
            param.name, f"{value!r} is not known; allowed: {', '.join(allowed[:SHOWN])}{more}"
        )
        error.details["allowed"] = allowed
        raise error
