"""The baseline a researcher would pick instead of our SPARQL endpoint: rdflib-endpoint.

    python -m bench.rdflib_endpoint_app --port 8002 --trig data/build/current/dataset.trig

Serves the same release (its dataset.trig) at /sparql with rdflib-endpoint's `SparqlEndpoint`
over an rdflib `Dataset` whose default graph is the union of the named graphs (as in our API),
under the same uvicorn configuration as `kskg serve`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint

from bench.servers import serve_like_kskg
from kskg.namespaces import PREFIXES


def create_app(trig: Path) -> SparqlEndpoint:
    dataset = Dataset(default_union=True)
    dataset.parse(trig, format="trig")
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri, override=True)
    return SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--trig", type=Path, required=True)
    args = parser.parse_args(argv)
    serve_like_kskg(create_app(args.trig), args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
