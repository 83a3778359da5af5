"""Oxigraph's own server as a baseline: `oxigraph serve-read-only` (the pinned PyPI package
`oxigraph`, a self-contained Rust binary) over an on-disk store of the same release, with the
de-duplicated merge of the named graphs as its default graph — what `kskg serve` answers
queries against (api/engine/oxigraph_store.py `load_nquads`, which writes the store here too).

Oxigraph's endpoint is `/query`, so the benchmark's requests are re-addressed (`for_oxigraph`).
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from api.engine.oxigraph_store import load_nquads
from bench.loadgen import Request
from bench.outputs import out_dir
from bench.servers import HOST, ServerProcess, free_port
from kskg.oxigraph_server import binary
from kskg.release import Release

QUERY_PATH = "/query"
READY = QUERY_PATH + "?query=ASK%7B%7D"


def write_store(release: Release, stack: ExitStack) -> Path:
    """The release in an on-disk Oxigraph store (merged default graph), removed at the end."""
    folder = Path(tempfile.mkdtemp(prefix="oxigraph-ro-", dir=out_dir()))
    stack.callback(shutil.rmtree, folder, ignore_errors=True)
    store = load_nquads(release.dump_path("nq"), location=folder / "store")
    store.flush()
    del store  # closes RocksDB, so the read-only server can open it
    return folder / "store"


def oxigraph_serve(release: Release, stack: ExitStack, timeout_s: float) -> ServerProcess:
    """`oxigraph serve-read-only` of `release` on a free loopback port (not started yet)."""
    location = write_store(release, stack)
    port = free_port()
    argv = [binary(), "serve-read-only", "--location", str(location)]
    argv += ["--bind", f"{HOST}:{port}", "--timeout-s", f"{timeout_s:g}"]
    return ServerProcess(argv, port, READY)


def for_oxigraph(requests: list[Request]) -> list[Request]:
    """The same requests sent to Oxigraph's endpoint path."""
    return [replace(r, path=QUERY_PATH + r.path.removeprefix("/sparql")) for r in requests]
