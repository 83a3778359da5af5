"""In-memory store per process vs one on-disk (RocksDB) store opened read-only by every process.

    python -m bench.store_designs --nq bench/out/graph-1000000.nq --mode memory
    python -m bench.store_designs --nq ... --mode write --store /tmp/store   # writes, then queries
    python -m bench.store_designs --nq ... --mode read-only --store /tmp/store

One design per process run (so RSS is that design's alone): load
(`api.engine.oxigraph_store.load_nquads`), or write an on-disk store with the merged default graph
(bulk_load, bulk_extend, optimize), or open a written one with `Store.read_only`; then every
curated query twice (best of two, ms) and the process's RSS. Prints one JSON object. This is the
measurement behind the choice of the in-memory design (docs/benchmarks.md); it is not part of
`make bench`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
from pathlib import Path

import pyoxigraph as ox

from api.engine.process_memory import rss_mib as process_rss_mib
from bench.scale_worker import PROJECT_ROOT, curated_cases, timed


def rss_mib() -> float:
    return process_rss_mib(os.getpid()) or 0.0


def write_store(nq: Path, folder: Path) -> dict:
    shutil.rmtree(folder, ignore_errors=True)
    store = ox.Store(str(folder))
    bulk_s, _ = timed(lambda: store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS))
    merged = (
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
        for q in store.quads_for_pattern(None, None, None)
    )
    merge_s, _ = timed(lambda: store.bulk_extend(merged))
    optimize_s, _ = timed(store.optimize)
    store.flush()
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return {
        "bulk_load_s": round(bulk_s, 3),
        "default_graph_s": round(merge_s, 3),
        "optimize_s": round(optimize_s, 3),
        "disk_mib": round(size / 2**20, 1),
    }


def open_store(mode: str, nq: Path, folder: Path | None) -> tuple[ox.Store, dict]:
    from api.engine.oxigraph_store import load_nquads

    if mode == "memory":
        load_s, store = timed(lambda: load_nquads(nq))
        return store, {"load_s": round(load_s, 3)}
    info = write_store(nq, folder) if mode == "write" else {}
    load_s, store = timed(lambda: ox.Store.read_only(str(folder)))
    return store, {**info, "open_s": round(load_s, 3)}


def main(argv: list[str] | None = None) -> int:
    from api.curated.service import CuratedService
    from api.engine.oxigraph_store import OxigraphStore

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nq", type=Path, required=True)
    parser.add_argument("--mode", choices=["memory", "write", "read-only"], required=True)
    parser.add_argument("--store", type=Path, help="folder of the on-disk store")
    args = parser.parse_args(argv)
    store, info = open_store(args.mode, args.nq, args.store)
    info["rss_after_load_mib"] = round(rss_mib(), 1)
    served, service = OxigraphStore.from_store(store, "x"), CuratedService({}, root="/")
    best = {}
    for query, bound in curated_cases(PROJECT_ROOT / "queries"):

        def once(q=query, b=bound) -> list[dict]:
            return asyncio.run(service.records(served.execute, q, b))

        runs = [timed(once)[0] for _ in range(2)]
        best[query.name] = round(min(runs) * 1000, 1)
    info |= {"curated_ms": best, "rss_after_queries_mib": round(rss_mib(), 1)}
    info["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps({"mode": args.mode, **info}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
