"""Records of the curated queries (`queries/*.rq`) for server-rendered pages.

The start page shows the same data a dashboard gets from `/api/<name>`, so it runs the same
query files through the same `CuratedService` (results cached per data version).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from api.curated.registry import load_queries
from api.curated.service import CuratedService
from api.http.served import Served


@cache
def _service(queries_dir: Path, root: str) -> CuratedService:
    return CuratedService(load_queries(queries_dir), root=root)


def curated_records(served: Served, name: str, root: str = "/") -> list[dict]:
    """The records `/api/<name>` answers without parameters (all of them, unpaged)."""
    service = _service(served.settings.queries_dir, root)
    return service.result(served.store, served.version, service.queries[name], {})
