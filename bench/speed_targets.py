"""The targets of issue #14 (as fast as Oxigraph's own server, every route fast at a million
triples), whether a run met them, and the cause of each miss, written from the run's own
numbers (RESULTS.md and the README's speed section are generated from these; nothing here is
a number typed in by hand)."""

from __future__ import annotations

from dataclasses import dataclass

from bench import outputs
from bench.targets import GIB_MIB, _load, _min_ratio, _scale_row, cold_routes, verdict

UNCACHED, OXIGRAPH = "ours, answer cache off", "oxigraph serve-read-only"
IN_PROCESS = "ours evaluating on its event loops (no deadline), answer cache off"


@dataclass(frozen=True)
class Judged:
    name: str
    measured: str
    verdict: str
    cause: str  # why it was missed ("" when met or not measured)

    @property
    def row(self) -> list[str]:
        return [self.name, self.measured, self.verdict]


def judged(results: dict[str, dict | None]) -> list[Judged]:
    sparql, scale = results.get("sparql"), results.get("scale")
    big = _scale_row(scale, 1_000_000)
    return [
        _throughput(sparql),
        _p99(sparql),
        _network(big),
        _memory(big),
        _search(big),
    ]


def speed_rows(results: dict[str, dict | None]) -> list[list[str]]:
    return [j.row for j in judged(results)]


def _judge(name: str, value: float | None, limit: float, shown: str, higher=False, cause=""):
    outcome = verdict(value, limit, higher)
    return Judged(
        name,
        shown if value is not None else "–",
        outcome,
        cause if outcome.startswith("missed") else "",
    )


def _cpu(sparql: dict, server: str, clients: int) -> str:
    row = _load(sparql, server, clients) or {}
    if "cpu_ms_front" not in row:
        return "not measured"
    front, children = row["cpu_ms_front"], row["cpu_ms_children"]
    return f"{_cpu_total(row):.2f} ms (front {front:.2f}, workers {children:.2f})"


def _throughput(sparql: dict | None) -> Judged:
    ratio = _min_ratio(sparql, UNCACHED, OXIGRAPH)
    levels = [r["connections"] for r in (sparql or {}).get("load", []) if r["server"] == OXIGRAPH]
    cause = ""
    if sparql and levels:
        worst = min(levels, key=lambda c: _ratio(sparql, c))
        ours, theirs = _cpu(sparql, UNCACHED, worst), _cpu(sparql, OXIGRAPH, worst)
        cause = (
            f"At {worst} client(s) ours answered {_ratio(sparql, worst):.2f}× Oxigraph's requests. "
            f"CPU per answered request in that run: ours {ours}, Oxigraph {theirs.split(' (')[0]}. "
            "Both servers share two cores with wrk and with the machine's other work, so "
            "throughput follows CPU per request: "
            + _layout_note(sparql)
            + _larger_part(sparql, worst)
            + _floor_note(sparql)
            + _hop_note(sparql)
            + "Profile: `python -m bench.profile_server --cache-off`."
            + _load_note()
        )
    return _judge(
        "SPARQL, answer cache off: ≥ 1.0× Oxigraph serve-read-only throughput (worst concurrency)",
        ratio,
        1.0,
        f"{ratio:.2f}×" if ratio is not None else "",
        higher=True,
        cause=cause,
    )


def _layout_note(sparql: dict) -> str:
    """What ours pays per request beside evaluation, in the layout it ran with."""
    processes = sparql.get("ours_http_processes", 1)
    if processes > 1:
        return (
            f"ours ran {processes} HTTP processes, each evaluating its queries on its own "
            "threads: it pays for an HTTP front in Python (uvicorn, the one-pass /sparql front), "
            "the deadline's bookkeeping and the hand-off of each query to a job thread and back, "
            "where Oxigraph does all of it in one Rust process. "
        )
    return (
        "ours pays for an HTTP front in Python (uvicorn, the one-pass /sparql front, frames to "
        "and from a worker) besides the worker's evaluation and its result writing, where "
        "Oxigraph does all of it in one Rust process. "
    )


def _larger_part(sparql: dict, clients: int) -> str:
    """Which of our two parts alone comes closer to Oxigraph's whole cost per request (in the
    layout with query worker processes)."""
    if sparql.get("ours_http_processes", 1) > 1:
        return ""
    ours, theirs = _load(sparql, UNCACHED, clients), _load(sparql, OXIGRAPH, clients)
    if not ours or not theirs or "cpu_ms_front" not in ours or "cpu_ms_front" not in theirs:
        return ""
    whole = _cpu_total(theirs)
    if not whole:
        return ""
    workers, front = ours["cpu_ms_children"], ours["cpu_ms_front"]
    return (
        f"Our query workers alone spent {workers / whole:.0%} of Oxigraph's CPU per request "
        f"and our HTTP front {front / whole:.0%}: "
        + (
            "the workers (evaluation, result writing, their end of the hop) are now the "
            "larger part. "
            if workers >= front
            else "the front is still the larger part. "
        )
    )


def _floor_note(sparql: dict) -> str:
    """What a request asking nothing (`ASK {}`, sent one after another) cost each server: the
    part of every request's cost that no query makes smaller. Measured apart from the load
    runs, so it is not subtracted from them: between requests sent in turn our processes fall
    asleep and pay to wake up, which a loaded server does not."""
    floor = sparql.get("floor") or {}
    ours, theirs = floor.get(UNCACHED), floor.get(OXIGRAPH)
    if not ours or not theirs:
        return ""
    mine, other = _cpu_total(ours), _cpu_total(theirs)
    if sparql.get("ours_http_processes", 1) > 1:
        return (
            f"A request asking nothing (`ASK {{}}`, one after another) cost ours {mine:.2f} ms "
            f"of CPU and Oxigraph {other:.2f} ms: every request pays the Python HTTP front and "
            "the hand-off to a job thread and back, which the hard deadline needs (the event "
            "loop must stay free to answer at the deadline)"
            + _in_process_floor(floor.get(IN_PROCESS), mine, "the hand-off")
            + ". "
        )
    return (
        f"A request asking nothing (`ASK {{}}`, one after another) cost ours {mine:.2f} ms of "
        f"CPU (front {ours['cpu_ms_front']:.2f}, worker {ours['cpu_ms_children']:.2f}) and "
        f"Oxigraph {other:.2f} ms: every request pays the Python HTTP front and the hop to a "
        "worker process and back (socket writes and wake-ups on both sides), which the hard "
        "deadline needs (a query is stopped by killing its process)"
        + _in_process_floor(floor.get(IN_PROCESS), mine, "the hop")
        + ". "
    )


def _in_process_floor(row: dict | None, ours: float, what: str) -> str:
    if not row:
        return ""
    alone = _cpu_total(row)
    return (
        f"; evaluated on the HTTP process's event loop, the same request cost {alone:.2f} ms, "
        f"so {what} itself is about {ours - alone:.2f} ms"
    )


def _hop_note(sparql: dict) -> str:
    """What the reference that evaluates in the HTTP process (no worker, so no deadline)
    answered against Oxigraph at each level: the price of the hop where it is ahead."""
    ratios = [(c, r) for c in _levels(sparql) if (r := _ratio(sparql, c, IN_PROCESS))]
    if not ratios:
        return ""
    shown = ", ".join(f"{r:.2f}× at {c}" for c, r in ratios).replace(
        "×", "× Oxigraph's requests", 1
    )
    ahead = [c for c, r in ratios if r >= 1.0 > _ratio(sparql, c)]
    lost = (
        "the hand-off to a job thread and back"
        if sparql.get("ours_http_processes", 1) > 1
        else "the hop to a worker process and back"
    )
    return (
        "The same app evaluating every query on the event loop of its HTTP processes, one per "
        "core on one port (a reference, not a way to serve: nothing could stop a query there), "
        f"answered {shown} client(s)"
        + (
            f"; at {', '.join(map(str, ahead))} client(s) it was ahead where ours was behind, so "
            f"there {lost}, which the hard deadline needs, is what ours lost. "
            if ahead
            else ". "
        )
    )


def _cpu_total(row: dict) -> float:
    return row["cpu_ms_front"] + row["cpu_ms_children"]


def _load_note() -> str:
    run = outputs.load("run") or {}
    if "load_start" not in run:
        return ""
    return (
        f" The machine's 1-minute load average was {run['load_start']:.1f} at the start of the "
        f"run and {run['load_end']:.1f} at its end on {run['cores']} cores: the servers under "
        "test got a small, varying share of the CPU, which costs a design of several processes "
        "(front, workers, each waiting to be scheduled) more than one multi-threaded process."
    )


def _ratio(sparql: dict, clients: int, server: str = UNCACHED) -> float:
    """`server`'s throughput over Oxigraph's at `clients` (0.0 when either was not run)."""
    ours, theirs = _load(sparql, server, clients), _load(sparql, OXIGRAPH, clients)
    return ours["rps"] / theirs["rps"] if ours and theirs and theirs["rps"] else 0.0


def _levels(sparql: dict | None) -> list[int]:
    """The concurrency levels of the run, ascending."""
    return sorted({r["connections"] for r in (sparql or {}).get("load", [])})


def _p99(sparql: dict | None) -> Judged:
    pairs = [(c, _load(sparql, UNCACHED, c), _load(sparql, OXIGRAPH, c)) for c in _levels(sparql)]
    ratios = [(c, a["p99_ms"] / b["p99_ms"], a, b) for c, a, b in pairs if a and b and b["p99_ms"]]
    worst = max(ratios, key=lambda r: r[1], default=None)
    shown = cause = ""
    if worst:
        c, ratio, a, b = worst
        shown = f"{ratio:.2f}× (at {c} client(s): {a['p99_ms']:.1f} vs {b['p99_ms']:.1f} ms)"
        why = (
            "with one client nothing queues: the tail is the mix's slowest queries plus the "
            "front's cost per request"
            if c == 1
            else "a request waits for a free query worker (one job per worker at a time) "
            "behind the slower queries of the mix"
        )
        cause = (
            f"At {c} client(s) ours had p99 {a['p99_ms']:.1f} ms against Oxigraph's "
            f"{b['p99_ms']:.1f} ms: {why}."
        )
    return _judge(
        "SPARQL, answer cache off: p99 ≤ Oxigraph's at every concurrency (worst ratio)",
        worst and worst[1],
        1.0,
        shown,
        cause=cause,
    )


def _served(big: dict | None) -> dict:
    return (big or {}).get("served") or {}


def _network(big: dict | None) -> Judged:
    route = _served(big).get("dashboard", {}).get("netzwerk")
    value = route and route["p50_ms"]
    return _judge(
        "1M triples: network route p50 ≤ 50 ms warm (gzip-coded body)",
        value,
        50.0,
        f"{value:.1f} ms" if value is not None else "",
        cause=_network_cause(route) if route else "",
    )


def _network_cause(route: dict) -> str:
    size = ""
    if route.get("bytes"):
        size = (
            f" of {route['bytes'] / 2**20:.1f} MiB ({route['wire_bytes'] / 2**10:.0f} KiB "
            "gzip-coded)"
        )
    return (
        f"Warm p50 {route['p50_ms']:.0f} ms, first request {route['first_ms']:.0f} ms: the "
        f"whole network is one JSON body{size}, sent gzip-coded from the rendered cache; what "
        "is left is moving it and the client decoding it (no paging)." + _load_note()
    )


def _memory(big: dict | None) -> Judged:
    served = _served(big)
    name = "1M triples: memory ≤ 1 GiB with ≥ 2 query workers (RSS of the process tree)"
    if not served:
        return _judge(name, None, 0, "")
    processes, total = served["worker_rss_mib"], served["total_rss_mib"]
    # Runs before the query slots were reported had one job per worker process.
    slots = served.get("query_slots", len(processes))
    fits = slots >= 2 and total <= GIB_MIB
    return Judged(
        name,
        f"{total:.0f} MiB, {slots} queries at once in {len(processes)} worker process(es)"
        + _concurrency(served),
        "met" if fits else _memory_miss(slots, total),
        "" if fits else _memory_cause(served, slots),
    )


def _concurrency(served: dict) -> str:
    both = served.get("concurrent")
    if not both:
        return ""
    return (
        f"; two whole-graph queries at once took {both['ratio']:.2f}× one alone "
        f"({both['two_at_once_ms']:.0f} vs {both['one_ms']:.0f} ms)"
    )


def _memory_cause(served: dict, slots: int) -> str:
    each, front = max(served["worker_rss_mib"], default=0), served["main_rss_mib"]
    if slots < 2:
        return (
            f"Only {slots} query slot ran: `query_workers` (KSKG_QUERY_WORKERS) is below 2. "
            "Slots the memory budget does not admit as processes run as threads sharing a "
            "worker's store (api/engine/pool.py)."
        )
    return (
        f"The front held {front:.0f} MiB (most of it the warmed curated cache: records and "
        f"rendered bodies of every parameterless route) and the worker {each:.0f} MiB (the "
        "in-memory release; a second query slot is a thread sharing it)."
    )


def _memory_miss(slots: int, total: float) -> str:
    if total > GIB_MIB:
        return verdict(total, GIB_MIB)
    return f"missed by {2 - slots} query slot(s)"


def _search(big: dict | None) -> Judged:
    entry = (big or {}).get("curated", {}).get("suche")
    value = entry and entry["p50_ms"]
    search = (big or {}).get("search") or {}
    scan = (search.get("scan") or {}).get("p50_ms")
    shown = f"{value:.1f} ms" + (f" (scan: {scan:.0f} ms)" if scan else "") if value else ""
    return _judge(
        "1M triples: full-text search (`suche`) p50 ≤ 20 ms",
        value,
        20.0,
        shown,
        cause=_search_cause(search, value),
    )


def _search_cause(search: dict, value: float | None) -> str:
    if not search or "every_match" not in search:
        return f"`suche` was the CONTAINS scan of queries/suche.rq ({value} ms)."
    most = max(search["totals"].items(), key=lambda item: item[1])
    return (
        f"The full-text index ({search['texts']:,} texts, written in {search['index_s']:.1f} s) "
        f"answered the first page ({search['limit']} records, ranked and counted in SQLite) in "
        f"{value:.1f} ms p50 over {search['runs']} words; making every match a record, as the "
        f"route did before it paged in SQLite, took {search['every_match']['p50_ms']:.1f} ms, "
        f"a page at offset 1000 {search['offset_1000']['p50_ms']:.1f} ms. The cost grows with "
        f"the number of matches (most here: {most[0]}, {most[1]:,} resources), which ranking "
        "and the exact total both read; a query of single characters only scans every "
        "text." + _load_note()
    )


def causes(results: dict[str, dict | None]) -> list[str]:
    """One paragraph per missed target of issue #14, from this run's numbers."""
    found = [_cold_curated(_scale_row(results.get("scale"), 1_000_000))]
    found += [f"- **{j.name}** ({j.verdict}). {j.cause}" for j in judged(results) if j.cause]
    return [line for line in found if line]


def _cold_curated(big: dict | None) -> str:
    times = {name: q["p50_ms"] for name, q in cold_routes(big).items()}
    slow = sorted((ms, name) for name, ms in times.items() if ms > 50.0)
    if not slow:
        return ""
    cold, raw = (big or {}).get("served_cold") or {}, (big or {}).get("curated", {})
    shown = ", ".join(
        f"{name} {ms:.0f} ms ({_how(cold.get(name), raw.get(name))})" for ms, name in reversed(slow)
    )
    if not cold:
        return (
            f"- **1M triples: every curated route p50 ≤ 50 ms cold** ({len(slow)} of "
            f"{len(times)} above: {shown}). Judged on the queries' evaluation: this run had no "
            "release with precomputed answers (kskg/curated_answers.py)."
        )
    return (
        f"- **1M triples: every curated route p50 ≤ 50 ms cold** ({len(slow)} of {len(times)} "
        f"above: {shown}). A route read from the release's answers costs reading its file "
        "and writing the body; an evaluated one its `known:` check, its query (and its "
        "sections') in a worker, and the body." + _derived_note(big)
    )


def _how(cold: dict | None, raw: dict | None) -> str:
    if cold and cold.get("source") == "answers":
        return "from the release's answers" + (
            f"; evaluated: {raw['p50_ms']:.0f} ms" if raw else ""
        )
    return "evaluated" + (f"; the query alone {raw['p50_ms']:.0f} ms" if raw else "")


def _derived_note(big: dict | None) -> str:
    derived = (big or {}).get("derived")
    if not derived:
        return ""
    return (
        f" Precomputing the {len(derived['answered'])} parameterless answers added "
        f"{derived['answers_s']:.1f} s to the release at this size (loading the merged store "
        f"{derived['answers_load_s']:.1f} s, the queries and records "
        f"{derived['answers_queries_s']:.1f} s; {derived['answers_mib']:.0f} MiB)."
    )
