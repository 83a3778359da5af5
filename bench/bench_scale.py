"""Benchmark 5: a synthetic graph shaped like the real release at 100k and 1M triples.

    python -m bench.bench_scale [--quick] [--build-dir B]

For each size, bench/synth_graph.py multiplies the real release's Kommunen (with their
organisations, Themen, Maßnahmen, …), then a fresh process (bench/scale_worker.py) loads it into
the API's store, runs every curated query (its evaluation, and a first request on a fresh
service answering from the release's precomputed answers) and the researcher mix, dumps
N-Quads and Turtle, and reports its peak RSS; then `kskg serve` with its query workers serves
the same graph as a release (bench/served_scale.py): memory of every process, and each
parameterless curated route's first (cold) and following (warm) requests. The release's files
derived from the data (full-text index, curated answers) are written for the graph first, and
the seconds that took are reported (what the build adds at that size). The baseline,
rdflib's `Dataset`, runs the same at 100k only (at 1M it
would take minutes and several GiB). Results: bench/out/results/scale.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bench import outputs
from bench.bench_build import ensure_release
from bench.served_scale import measure_served, synthetic_release
from bench.servers import PROJECT_ROOT
from bench.synth_graph import generate_graph
from kskg.release import current_release


def run_worker(
    engine: str, nq: Path, repeats: int, budget_s: float, timeout_s: float, release=None
) -> dict:
    command = [sys.executable, "-m", "bench.scale_worker", "--engine", engine, "--nq", str(nq)]
    command += ["--repeats", str(repeats), "--budget", str(budget_s)]
    command += ["--release", str(release)] if release else []
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout_s
    )
    if done.returncode != 0:
        raise RuntimeError(f"scale worker ({engine}, {nq.name}) failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(build_dir: Path, sizes: list[int], baseline_sizes: set[int], quick: bool) -> list:
    rows = []
    repeats, budget = (3, 1.0) if quick else (5, 3.0)
    template = current_release(build_dir).dump_path("nq")
    for size in sizes:
        nq = outputs.out_dir() / f"graph-{size}.nq"
        info = generate_graph(template, nq, size)
        engines = ["oxigraph", "rdflib"] if size in baseline_sizes else ["oxigraph"]
        # What `kskg build` derives from the data (index, curated answers), for this graph.
        served_dir, derived = synthetic_release(build_dir, nq, outputs.out_dir() / "served")
        print(f"scale {size} derived files: {derived}", flush=True)
        release = current_release(served_dir).path
        for engine in engines:
            runs = 1 if engine == "rdflib" else repeats  # one rdflib query can take a minute
            result = run_worker(engine, nq, runs, budget, timeout_s=600, release=release)
            if engine == "oxigraph":
                result["derived"] = derived
                result["served"] = measure_served(served_dir, repeats=repeats)
                print(f"scale {size} served: {result['served']}", flush=True)
            rows.append({"size": size, "file_quads": info.quads, "engine": engine, **result})
            print(
                f"scale {size} {engine}: load {result['load_s']} s, "
                f"rss {result['peak_rss_mib']} MiB",
                flush=True,
            )
        nq.unlink()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one 5k-triple graph")
    parser.add_argument("--build-dir", type=Path, help="a build folder with a published release")
    args = parser.parse_args(argv)
    build_dir = args.build_dir or ensure_release()
    release = current_release(build_dir)
    sizes = [5_000] if args.quick else [100_000, 1_000_000]
    baseline = {5_000} if args.quick else {100_000}
    rows = measure(build_dir, sizes, baseline, args.quick)
    outputs.save("scale", {"release": release.version, "rows": rows})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
