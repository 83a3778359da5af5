"""One scale measurement in a fresh process, so its peak RSS is the cost of that graph alone.

    python -m bench.scale_worker --engine oxigraph --nq bench/out/graph-1m.nq

oxigraph: load with `api.engine.oxigraph_store.load_nquads` (what the API does at start-up), run
every curated query of queries/*.rq through the curated service (required parameters bound from
their `example`, optional filters unset, as a dashboard's first call): `curated` is the query's
evaluation alone (raw, for the record), `served_cold` what a client's first request of the
route costs on a fresh service (no result cache) over the release given with `--release`: its
precomputed answer where it has one (kskg/curated_answers.py), else the evaluation, and the
response rendered as the route renders it. Then the researcher mix of bench/queries/*.rq, and
dumps in N-Quads and Turtle.
rdflib (the baseline): parse into an rdflib `Dataset`, run the same queries with the same
bindings (`initBindings`), serialise N-Quads.
Prints one JSON object on stdout; peak RSS is `ru_maxrss` of this process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time
from collections.abc import Callable
from pathlib import Path

from bench.outputs import median, out_dir

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCH_QUERIES = Path(__file__).resolve().parent / "queries"


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def p50_ms(action: Callable[[], object], repeats: int, budget_s: float) -> dict:
    """Median of up to `repeats` runs (at least one; no new run once `budget_s` is spent)."""
    times, rows = [], None
    deadline = time.perf_counter() + budget_s
    while len(times) < repeats and (not times or time.perf_counter() < deadline):
        elapsed, rows = timed(action)
        times.append(elapsed)
    return {"p50_ms": round(median(times) * 1000, 3), "runs": len(times), "rows": rows}


def curated_cases(queries_dir: Path) -> list[tuple[object, dict]]:
    """(query, bound terms) for every curated query, parameters taken from their examples."""
    from api.curated.params import bind_params
    from api.curated.registry import load_queries

    cases = []
    for query in load_queries(queries_dir).values():
        raw = {p.name: str(p.example) for p in query.params if p.required}
        cases.append((query, bind_params(query, raw)))
    return cases


def served_cold(served, release: Path, repeats: int, budget_s: float) -> dict:
    """Per curated route (`suche` aside: its own target), the p50 of a first request with
    its example parameters: each run on a fresh `CuratedService` with the release's answers
    opened anew, checking `known` parameters, computing and rendering (JSON) as the route
    does; `source` says whether the answer was read from the release or evaluated."""
    from api.curated.registry import load_queries
    from api.media import JSON
    from kskg.curated_answers import ReleaseAnswers

    queries = load_queries(PROJECT_ROOT / "queries")
    cold = {}
    for query in queries.values():
        if query.name == "suche":
            continue
        raw = {p.name: str(p.example) for p in query.params if p.required}
        run = lambda q=query, r=raw: first_request(served, release, queries, q, r, JSON)  # noqa: E731
        cold[query.name] = p50_ms(run, repeats, budget_s)
        answered = not raw and ReleaseAnswers.open(release).has(query.name, query.sparql)
        cold[query.name]["source"] = "answers" if answered else "evaluated"
    return cold


def first_request(served, release: Path, queries: dict, query, raw: dict, rep) -> int:
    """What the route does for its first request on a fresh service; the body's size."""
    from api.curated import envelope
    from api.curated.known import check_known
    from api.curated.params import bind_params
    from api.curated.responder import render
    from api.curated.service import CuratedService
    from kskg.curated_answers import ReleaseAnswers

    service, answers = CuratedService(queries, root="/"), ReleaseAnswers.open(release)
    bound = bind_params(query, raw)

    async def answer():
        await check_known(served.execute, service.results, "bench", query, bound)
        result = await service.fetch(served.execute, "bench", query, bound, answers)
        page = envelope.read_page(query, raw)
        return render(query, result, page, "bench", f"/api/{query.name}", raw, rep)

    return len(asyncio.run(answer()).body)


def bench_texts() -> dict[str, str]:
    return {p.stem: p.read_text("utf-8") for p in sorted(BENCH_QUERIES.glob("*.rq"))}


def run_oxigraph(nq: Path, repeats: int, budget_s: float, release: Path | None = None) -> dict:
    import pyoxigraph as ox

    from api.curated.service import CuratedService
    from api.engine.oxigraph_store import OxigraphStore, load_nquads

    load_s, store = timed(lambda: load_nquads(nq))
    served = OxigraphStore.from_store(store, "bench")
    service = CuratedService({}, root="/")
    curated = {
        query.name: p50_ms(
            lambda q=query, b=bound: len(asyncio.run(service.records(served.execute, q, b))),
            repeats,
            budget_s,
        )
        for query, bound in curated_cases(PROJECT_ROOT / "queries")
    }
    mix = {
        name: p50_ms(lambda t=text: len(list(store.query(t))), repeats, budget_s)
        for name, text in bench_texts().items()
    }
    cold = served_cold(served, release, repeats, budget_s) if release else {}
    search = run_search(store, curated)
    out = out_dir() / "dump-scratch"
    dump_nq, _ = timed(lambda: store.dump(out.with_suffix(".nq"), ox.RdfFormat.N_QUADS))
    dump_ttl, _ = timed(
        lambda: store.dump(
            out.with_suffix(".ttl"), ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()
        )
    )
    for scratch in (out.with_suffix(".nq"), out.with_suffix(".ttl")):
        scratch.unlink()
    default_triples = len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    return {
        "load_s": round(load_s, 3),
        "quads": len(store),
        "merged_triples": default_triples,
        "curated": curated,
        "served_cold": cold,
        "mix": mix,
        "search": search,
        "dump_nq_s": round(dump_nq, 3),
        "dump_ttl_s": round(dump_ttl, 3),
    }


#: Words the full-text search is timed with, each asked once on a fresh connection (cold).
SEARCH_WORDS = ["netzwerk", "jugendamt", "familie", "kinderschutz", "hilfe", '"frühe hilfen"']
SEARCH_WORDS += ["schule", "ko", "qualität", "kooperation", "beratung"]


def run_search(store, curated: dict) -> dict:
    """Write the release's full-text index from `store` (what `kskg build` does) and time the
    `suche` route's work on it: the first page (the route's default limit) ranked, counted and
    made records, p50 over distinct words, each on a fresh connection. The route's entry in
    `curated` becomes that; beside it, in the same run: every match made records (what the route
    did before it paged in SQLite), a page deep in the results, and the CONTAINS scan of
    suche.rq."""
    from api.curated.registry import load_queries
    from kskg.search_index import write_store_index

    path = out_dir() / "search-scratch.sqlite"
    index_s, texts = timed(lambda: write_store_index(store, path))
    suche = load_queries(PROJECT_ROOT / "queries")["suche"]
    limit = suche.pagination.default_limit

    def p50(page: int, offset: int) -> dict:
        times, totals = [], []
        for word in SEARCH_WORDS:
            elapsed, total = timed(lambda w=word: _suche(path, w, page, offset, suche.fields))
            times.append(elapsed)
            totals.append(total)
        return {"p50_ms": round(median(times) * 1000, 3), "runs": len(times), "totals": totals}

    first, every, deep = p50(limit, 0), p50(-1, 0), p50(limit, 1000)
    path.unlink()
    scan = curated.get("suche")
    curated["suche"] = {"p50_ms": first["p50_ms"], "runs": first["runs"]}
    return {
        "index_s": round(index_s, 3),
        "texts": texts,
        "scan": scan,
        "limit": limit,
        "every_match": {k: every[k] for k in ("p50_ms", "runs")},
        "offset_1000": {k: deep[k] for k in ("p50_ms", "runs")},
        "totals": dict(zip(SEARCH_WORDS, first["totals"], strict=True)),
        **curated["suche"],
    }


def _suche(path: Path, q: str, limit: int, offset: int, fields) -> int:
    """What one `suche` request costs: open the index, rank, count and page the matches, make
    the page's records (-1: every match). Returns the total."""
    from api.curated.records import json_records
    from api.curated.search import SearchIndex

    found, total = SearchIndex(path).page(q, limit, offset)
    json_records(found, fields)
    return total


def run_rdflib(nq: Path, repeats: int, budget_s: float) -> dict:
    from rdflib import Dataset, Literal, URIRef, Variable

    def to_rdflib(term):
        if hasattr(term, "datatype"):
            return Literal(term.value, datatype=URIRef(term.datatype.value))
        return URIRef(term.value)

    load_s, dataset = timed(lambda: _parse_rdflib(nq, Dataset))
    curated = {}
    for query, bound in curated_cases(PROJECT_ROOT / "queries"):
        bindings = {Variable(name): to_rdflib(term) for name, term in bound.items()}
        run = lambda q=query, b=bindings: len(list(dataset.query(q.sparql, initBindings=b)))  # noqa: E731
        curated[query.name] = p50_ms(run, repeats, budget_s)
    mix = {
        name: p50_ms(lambda t=text: len(list(dataset.query(t))), repeats, budget_s)
        for name, text in bench_texts().items()
    }
    scratch = out_dir() / "dump-scratch-rdflib.nq"
    dump_nq, _ = timed(lambda: dataset.serialize(scratch, format="nquads"))
    scratch.unlink()
    return {
        "load_s": round(load_s, 3),
        "quads": len(dataset),
        "curated": curated,
        "mix": mix,
        "dump_nq_s": round(dump_nq, 3),
    }


def _parse_rdflib(nq: Path, dataset_class):
    dataset = dataset_class(default_union=True)
    dataset.parse(nq, format="nquads")
    return dataset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["oxigraph", "rdflib"], required=True)
    parser.add_argument("--nq", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--budget", type=float, default=3.0, help="seconds per query at most")
    parser.add_argument("--release", type=Path, help="release folder of --nq with its answers")
    args = parser.parse_args(argv)
    if args.engine == "oxigraph":
        result = run_oxigraph(args.nq, args.repeats, args.budget, args.release)
    else:
        result = run_rdflib(args.nq, args.repeats, args.budget)
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
