"""The README's speed section, written from a run's results by bench/report.py (between the
markers below), so the numbers there are never typed in by hand and never older than
bench/RESULTS.md."""

from __future__ import annotations

from pathlib import Path

from bench import outputs
from bench.speed_targets import IN_PROCESS, OXIGRAPH, UNCACHED, speed_rows
from bench.targets import _load, target_rows

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN = "<!-- speed: written by make bench (bench/readme_speed.py); do not edit -->"
END = "<!-- /speed -->"
SERVERS = [("ours", "kskg serve (answer cache on)"), (UNCACHED, "kskg serve, answer cache off")]
SERVERS += [(IN_PROCESS, "reference: evaluating on its event loops (no deadline, not served)")]
SERVERS += [(OXIGRAPH, "oxigraph serve-read-only"), ("rdflib-endpoint", "rdflib-endpoint")]


def section(results: dict[str, dict | None]) -> list[str]:
    run = outputs.load("run") or {}
    lines = [
        f"Last run: {run.get('started', 'date not recorded')}, 2 shared cores (load average "
        f"{run.get('load_start', 0):.1f} at the start, {run.get('load_end', 0):.1f} at the end); "
        "compare within one run. Details and the cause of every miss: "
        "[bench/RESULTS.md](bench/RESULTS.md).",
        "",
    ]
    lines += _sparql_table(results.get("sparql"))
    lines += ["| target | measured | verdict |", "|---|---|---|"]
    rows = target_rows(results) + speed_rows(results)
    lines += [f"| {name} | {measured} | {verdict} |" for name, measured, verdict in rows]
    return lines


def _sparql_table(sparql: dict | None) -> list[str]:
    if not sparql:
        return []
    levels = sorted({r["connections"] for r in sparql["load"]})
    lines = [
        "SPARQL mix (bench/queries), req/s and p50 / p99 ms, with the ratio to Oxigraph's server:",
        "",
        "| server | " + " | ".join(f"{c} clients" for c in levels) + " |",
        "|---|" + "---|" * len(levels),
    ]
    for server, label in SERVERS:
        cells = []
        for clients in levels:
            row, base = _load(sparql, server, clients), _load(sparql, OXIGRAPH, clients)
            if not row:
                cells.append("–")
                continue
            ratio = f" ({row['rps'] / base['rps']:.2f}×)" if base and base["rps"] else ""
            cells.append(f"{row['rps']:,.0f}{ratio}, {row['p50_ms']:.1f} / {row['p99_ms']:.1f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def write_readme_section(results: dict[str, dict | None], readme: Path = README) -> bool:
    """Replace the text between the markers of `readme`; False if it has no markers."""
    text = readme.read_text("utf-8")
    if BEGIN not in text or END not in text:
        return False
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(head + BEGIN + "\n" + "\n".join(section(results)) + "\n" + END + tail)
    return True
