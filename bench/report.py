"""Write bench/RESULTS.md from the JSON results in bench/out/results/.

    python -m bench.report [--out bench/RESULTS.md]

A benchmark without results (not run, or failed) is listed as such, never left out silently.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from bench import outputs
from bench.bench_build import growth_exponent
from bench.machine import machine_lines
from bench.readme_speed import write_readme_section
from bench.speed_targets import causes, speed_rows
from bench.targets import target_rows

RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
#: The analysis of missed targets (profiles, causes), written by hand after a run and
#: appended to RESULTS.md, so numbers and their explanation stay in one file.
ANALYSIS_MD = Path(__file__).resolve().parent / "ANALYSIS.md"


def table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    return str(value)


def build_section(data: dict) -> list[str]:
    steps = sorted({s for row in data["rows"] for s in row["steps_s"]})
    rows = [
        [
            r["corpus"],
            r["profiles"],
            r["quads"],
            r["wall_s"],
            *[r["steps_s"].get(s) for s in steps],
            r["repeats"],
            r.get("error") or "ok",
        ]
        for r in data["rows"]
    ]
    lines = table(
        [
            "corpus",
            "profiles",
            "quads",
            "wall s (median)",
            *[f"{s} s" for s in steps],
            "runs",
            "outcome",
        ],
        rows,
    )
    complete = [r for r in data["rows"] if not r.get("error")]
    for small, large in zip(complete, complete[1:], strict=False):
        k = growth_exponent(small, large)
        per_step = "".join(f", {s} {v}" for s, v in step_exponents([small, large]).items())
        lines.append(
            f"- growth exponent k (t ∝ n^k) {small['corpus']} → {large['corpus']}: "
            f"whole build {k}{per_step}"
        )
    return lines + [""]


def step_exponents(rows: list[dict]) -> dict[str, float]:
    """k per step between the smallest and largest complete corpus (steps of ≥ 0.1 s)."""
    if len(rows) < 2:
        return {}
    small, large = rows[0], rows[-1]
    scale = math.log(large["profiles"] / small["profiles"])
    return {
        step: round(math.log(large["steps_s"][step] / seconds) / scale, 2)
        for step, seconds in small["steps_s"].items()
        if seconds >= 0.1 and large["steps_s"].get(step)
    }


def startup_section(data: dict) -> list[str]:
    rows = [
        [r["server"], r["median_s"], ", ".join(f"{v:.3f}" for v in r["runs_s"])]
        for r in data["rows"]
    ]
    return table(["server", "median s", "runs s"], rows)


def load_section(data: dict, ours: str, other: str) -> list[str]:
    by = {(r["server"], r["connections"]): r for r in data["load"]}
    rows = []
    for clients in sorted({r["connections"] for r in data["load"]}):
        a, b = by.get((ours, clients)), by.get((other, clients))
        if not a or not b:
            continue
        ratio = a["rps"] / b["rps"] if b["rps"] else None
        rows.append(
            [
                clients,
                a["rps"],
                b["rps"],
                ratio,
                a["p50_ms"],
                a["p99_ms"],
                b["p50_ms"],
                b["p99_ms"],
                f"{a['errors']} / {b['errors']}",
                a["tool"],
            ]
        )
    header = [
        "clients",
        f"{ours} req/s",
        f"{other} req/s",
        "ratio",
        f"{ours} p50 ms",
        f"{ours} p99 ms",
        f"{other} p50 ms",
        f"{other} p99 ms",
        "errors",
        "load",
    ]
    return table(header, rows)


def sparql_load_section(data: dict) -> list[str]:
    """One row per concurrency and server: ours with the answer cache (served default), ours
    with it off (pure evaluation), the baselines; throughput relative to Oxigraph's server and
    to rdflib-endpoint at the same concurrency."""
    bases = [_by_clients(data, "oxigraph serve-read-only"), _by_clients(data, "rdflib-endpoint")]
    rows = []
    for r in sorted(data["load"], key=lambda r: r["connections"]):
        ratios = [_ratio(r, base.get(r["connections"])) for base in bases]
        rows.append(
            [r["connections"], r["server"], r["rps"], *ratios, r["p50_ms"], r["p99_ms"]]
            + [r["errors"], r["tool"], " / ".join(f"{x:.0f}" for x in r.get("rounds_rps", []))]
        )
    header = ["clients", "server", "req/s", "× oxigraph", "× rdflib-endpoint", "p50 ms", "p99 ms"]
    lines = table([*header, "errors", "load", "req/s per round"], rows)
    if any(len(r.get("rounds_rps", [])) > 1 for r in data["load"]):
        lines.append("")
        lines.append(
            "Each server ran the mix in rotating rounds at each concurrency (the other servers "
            "taking their turns between them); req/s, p50 and p99 are those of its median round."
        )
    lines.extend(floor_lines(data.get("floor")))
    _same_answers(
        lines,
        data.get("oxigraph_answers_the_same"),
        "Oxigraph's server (`oxigraph serve-read-only`, the merged default graph) gave the "
        "same solutions or isomorphic graphs as ours: {}.",
    )
    _same_answers(
        lines,
        data.get("remote_answers_the_same"),
        "The remote store (two local Oxigraph servers, docs/deploy.md) answered every query "
        "with the same bytes as the embedded one: {}.",
    )
    _same_answers(
        lines,
        data.get("in_process_answers_the_same"),
        "The reference evaluating on its event loops (bench/pool_overhead.py; no hard deadline) "
        "answered every query with the same bytes as `kskg serve`: {}.",
    )
    _same_answers(
        lines,
        data.get("cache_changes_no_answer"),
        "Ours with and without the answer cache answered every query with the same bytes: "
        "{}. The mix repeats the same eleven queries, so with the cache every request after "
        "the first round is a cache hit; the cache-off rows are what a query not asked before "
        "costs.",
    )
    return lines


def floor_lines(floor: dict | None) -> list[str]:
    """A table of what a request asking nothing (`ASK {}`, sent one after another) cost each
    server."""
    if not floor:
        return []
    rows = [
        [label, r["requests"], r["errors"], r["p50_ms"], r["cpu_ms_front"], r["cpu_ms_children"]]
        for label, r in floor.items()
    ]
    header = ["`ASK {}`, one request after another", "requests", "errors", "p50 ms"]
    header += ["CPU ms/request: main process", "its workers"]
    return ["", *table(header, rows)]


def _same_answers(lines: list[str], same: bool | None, sentence: str) -> None:
    """The check that two servers answered alike, as a paragraph (none if it was not run)."""
    if same is not None:
        lines += [sentence.format("yes" if same else "NO"), ""]


def _by_clients(data: dict, server: str) -> dict[int, dict]:
    return {r["connections"]: r for r in data["load"] if r["server"] == server}


def _ratio(row: dict, base: dict | None) -> float | None:
    return row["rps"] / base["rps"] if base and base["rps"] else None


def sparql_queries_section(data: dict) -> list[str]:
    times = data["per_query"]
    ours, theirs = times["ours_ms"], times["rdflib_endpoint_ms"]
    uncached = times.get("ours_uncached_ms", {})
    remote = times.get("ours_remote_ms", {})
    oxigraph = times.get("oxigraph_ms", {})
    rows = []
    for name in data["queries"]:
        counts = data["rows"][name]
        same = (
            "–"
            if counts["ours"] is None
            else (
                "same"
                if counts["ours"] == counts.get("ours_uncached", counts["ours"])
                and counts["ours"] == counts["rdflib_endpoint"]
                else f"{counts['ours']} vs {counts['rdflib_endpoint']}"
            )
        )
        evaluated = uncached.get(name)
        ratio = theirs[name] / evaluated if evaluated else None
        rows.append(
            [name, ours[name], evaluated, remote.get(name), oxigraph.get(name), theirs[name], ratio]
            + [same]
        )
    header = ["query (bench/queries)", "ours ms (answer cache)", "ours ms (cache off)"]
    header += ["remote Oxigraph ms (cache off)", "oxigraph serve-read-only ms"]
    header += ["rdflib-endpoint ms", "speed-up vs rdflib-endpoint (cache off)"]
    header += ["rows"]
    return table(header, rows)


def scale_section(data: dict) -> list[str]:
    rows = []
    for r in data["rows"]:
        worst = max(r["curated"].items(), key=lambda kv: kv[1]["p50_ms"])
        rows.append(
            [
                f"{r['size']:,}",
                r["engine"],
                r["file_quads"],
                r["load_s"],
                r["peak_rss_mib"],
                f"{worst[1]['p50_ms']:.2f} ({worst[0]})",
                r["dump_nq_s"],
                r.get("dump_ttl_s"),
            ]
        )
    lines = table(
        [
            "target size",
            "engine",
            "quads in file",
            "load s",
            "peak RSS MiB",
            "slowest curated p50 ms",
            "dump N-Quads s",
            "dump Turtle s",
        ],
        rows,
    )
    lines += [
        "Curated query p50 (ms) by graph size, cold: the query's evaluation in-process",
        "(raw) and, where measured, a client's first request on a fresh service over the",
        "release's precomputed answers (first request; `*`: read from the answers):",
        "",
    ]
    return (
        lines
        + curated_table(data)
        + derived_lines(data)
        + search_lines(data)
        + served_section(data)
    )


def curated_table(data: dict) -> list[str]:
    names = sorted({n for r in data["rows"] for n in r["curated"]})
    columns = []
    for r in data["rows"]:
        columns.append((f"{r['engine']} {r['size']:,} raw", r["curated"], False))
        if r.get("served_cold"):
            columns.append((f"{r['engine']} {r['size']:,} first request", r["served_cold"], True))
    body = [[n, *[_cold_cell(entries.get(n), mark) for _, entries, mark in columns]] for n in names]
    return table(["curated query", *[c[0] for c in columns]], body)


def _cold_cell(entry: dict | None, mark: bool):
    if not entry:
        return None
    star = "*" if mark and entry.get("source") == "answers" else ""
    return f"{entry['p50_ms']:.2f}{star}"


def derived_lines(data: dict) -> list[str]:
    """What the build adds per size for the files it derives from the data."""
    lines = []
    for r in data["rows"]:
        derived = r.get("derived")
        if derived:
            lines.append(
                f"- {r['size']:,}: curated answers of {len(derived['answered'])} queries "
                f"({derived['answers_mib']} MiB) written in {derived['answers_s']} s (loading "
                f"the merged store {derived['answers_load_s']} s, queries and records "
                f"{derived['answers_queries_s']} s); full-text index {derived['search_index_s']} s"
            )
    return [*lines, ""] if lines else []


def search_lines(data: dict) -> list[str]:
    """The full-text index per size: how long writing it took, and `suche` on it vs. the scan."""
    lines = []
    for r in data["rows"]:
        search = r.get("search")
        if search:
            scan = (search.get("scan") or {}).get("p50_ms")
            every = (search.get("every_match") or {}).get("p50_ms")
            deep = (search.get("offset_1000") or {}).get("p50_ms")
            lines.append(
                f"- {r['size']:,}: full-text index of {search['texts']:,} texts written in "
                f"{search['index_s']} s; `suche` first page p50 {search['p50_ms']} ms over "
                f"{search['runs']} words (every match as records: {every} ms; page at offset "
                f"1000: {deep} ms; the CONTAINS scan of suche.rq: {scan} ms)"
            )
    return [*lines, ""] if lines else []


def served_section(data: dict) -> list[str]:
    served = [r for r in data["rows"] if r.get("served")]
    if not served:
        return []
    rows = [
        [
            f"{r['size']:,}",
            r["served"]["ready_s"],
            r["served"]["warm_s"],
            r["served"]["main_rss_mib"],
            " + ".join(f"{v:.0f}" for v in r["served"]["worker_rss_mib"]),
            r["served"]["total_rss_mib"],
            r["served"].get("query_slots", "–"),
            _at_once(r["served"].get("concurrent")),
        ]
        for r in served
    ]
    lines = [
        "`kskg serve` on the same graphs (main process + its children: query workers, or the "
        "HTTP processes where several serve, api/serving.py):",
        "",
    ]
    header = ["size", "ready s", "curated cache warm s", "main RSS MiB", "children RSS MiB"]
    header += ["total MiB", "queries at once", "two whole-graph queries at once / one"]
    lines += table(header, rows)
    names = sorted({n for r in served for n in r["served"]["dashboard"]})
    header = ["route (no parameters)", *[f"{r['size']:,} first / warm p50 ms" for r in served]]
    body = [[n, *[_dash(r["served"]["dashboard"].get(n)) for r in served]] for n in names]
    lines += [
        "Route latency over HTTP (1 client): the first request after start (cold: from the",
        "release's answers where it has them) and the median of the following (warm):",
        "",
    ]
    return lines + table(header, body)


def _at_once(concurrent: dict | None) -> str:
    if not concurrent:
        return "–"
    both, one = concurrent["two_at_once_ms"], concurrent["one_ms"]
    return f"{concurrent['ratio']:.2f}× ({both:.0f} / {one:.0f} ms)"


def _dash(entry: dict | None) -> str:
    return "–" if not entry else f"{entry['first_ms']:.1f} / {entry['p50_ms']:.1f}"


SECTIONS = [
    ("build", "1. Build (`kskg build`)", build_section),
    ("startup", "2. Start-up: published release to first answered request", startup_section),
    (
        "curated",
        "3. Curated JSON routes vs. precomputed upper bound (same FastAPI + uvicorn)",
        lambda d: load_section(d, "kskg serve", "precomputed"),
    ),
    (
        "sparql",
        "4. SPARQL endpoint vs. rdflib-endpoint (same release, same query mix)",
        lambda d: sparql_load_section(d) + sparql_queries_section(d),
    ),
    ("scale", "5. Scale: synthetic graphs shaped like the release", scale_section),
]


def render(results_dir: Path | None = None) -> str:
    results = {name: outputs.load(name, results_dir) for name, _, _ in SECTIONS}
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/report.py); do not edit.",
        "Numbers are medians of one run on a shared, noisy machine: compare the columns of",
        "one table (measured in the same run), not absolute values across machines.",
        "",
    ]
    lines += ["## Machine", "", *machine_lines(), *load_lines(results_dir), ""]
    lines += ["## Targets", ""]
    lines += table(["target", "measured", "verdict"], target_rows(results) + speed_rows(results))
    lines += [f"## Causes of the missed targets (generated from this run, {run_date()})", ""]
    lines += [*(causes(results) or ["None missed."]), ""]
    for name, title, render_section in SECTIONS:
        lines += [f"## {title}", ""]
        data = results[name]
        lines += render_section(data) if data else ["Not measured in this run.", ""]
    if ANALYSIS_MD.is_file():
        lines += ["", ANALYSIS_MD.read_text("utf-8")]
    return "\n".join(lines).rstrip() + "\n"


def run_date() -> str:
    run = outputs.load("run") or {}
    return run.get("started", "date not recorded")


def load_lines(results_dir: Path | None = None) -> list[str]:
    """How loaded the machine was (1-minute load average at the start and end of the run)."""
    run = outputs.load("run", results_dir)
    if not run or "load_end" not in run:
        return []
    return [
        f"- load average (1 min) at the start / end of the run: {run['load_start']:.1f} / "
        f"{run['load_end']:.1f} on {run['cores']} cores (other work shares the machine)"
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=RESULTS_MD)
    parser.add_argument("--results", type=Path, help="default: out/results")
    args = parser.parse_args(argv)
    args.out.write_text(render(args.results), "utf-8")
    print(args.out)
    if args.out == RESULTS_MD:
        write_readme_section({n: outputs.load(n, args.results) for n, _, _ in SECTIONS})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
