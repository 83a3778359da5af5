"""Run curated queries against the served store, with sections, graph shape and a result memo.

Results are computed once per (data version, query, bound parameters) and kept in a
`VersionedCache`; pagination slices the cached list, so `total` is exact and free.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from api.curated.cache import VersionedCache
from api.curated.params import cache_key
from api.curated.records import page_path, to_records
from api.curated.registry import CuratedQuery
from api.errors import ApiError
from api.store import QueryStore

Bound = Mapping[str, ox.NamedNode | ox.Literal]


class CuratedService:
    """The curated queries of one app; `root` is the URL path prefix of the public base."""

    def __init__(self, queries: dict[str, CuratedQuery], root: str = "/") -> None:
        self.queries = queries
        self.root = root
        self.results = VersionedCache()
        self.responses = VersionedCache(size=4096)

    def result(self, store: QueryStore, version: str, query: CuratedQuery, bound: Bound):
        """The records (list) or graph (dict) of `query` with `bound` for this data version."""
        key = (query.name, cache_key(bound))
        return self.results.get_or_compute(version, key, lambda: self._compute(store, query, bound))

    def _compute(self, store: QueryStore, query: CuratedQuery, bound: Bound):
        records = self.run(store, query, bound)
        if query.single and not records:
            shown = ", ".join(f"{k[1:]}={v.value}" for k, v in sorted(bound.items()))
            raise ApiError(404, "not_found", f"{query.name}: nothing found for {shown}")
        for key, name in query.sections.items():
            section = self.queries[name]
            rows = self.run(store, section, _subset(bound, section))
            for record in records:
                record[key] = rows
        if query.shape == "graph":
            return self.graph(records)
        return records

    def run(self, store: QueryStore, query: CuratedQuery, bound: Bound) -> list[dict]:
        solutions = store.query(query.sparql, substitutions=dict(bound))
        return to_records(solutions, query.fields, self.root)

    def graph(self, edges: list[dict]) -> dict:
        """Edge records (source, target, relation, *_label, *_type) -> {"nodes", "edges"}."""
        nodes: dict[str, dict] = {}
        for edge in edges:
            for end in ("source", "target"):
                nodes.setdefault(
                    edge[end],
                    {
                        "id": edge[end],
                        "label": edge.get(end + "_label"),
                        "type": edge.get(end + "_type"),
                        "page": page_path(edge[end], self.root),
                    },
                )
        links = [{k: e[k] for k in ("source", "target", "relation")} for e in edges]
        return {"nodes": list(nodes.values()), "edges": links}


def _subset(bound: Bound, query: CuratedQuery) -> dict:
    wanted = {p.variable for p in query.params}
    return {name: term for name, term in bound.items() if name in wanted}
