"""The server's own fixed SPARQL queries (pages, descriptions, the store's graph list): one
file each in api/engine/rq/, read once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

RQ = Path(__file__).parent / "rq"


@cache
def rq(name: str) -> str:
    """The text of api/engine/rq/<name>.rq."""
    return (RQ / f"{name}.rq").read_text("utf-8")
