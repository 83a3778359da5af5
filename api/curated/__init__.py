"""Curated queries: `queries/*.rq` files become documented JSON/CSV routes under /api/.

registry  reads the files (YAML `#+` header + SPARQL body)
params    validates request values and turns them into RDF terms to bind
records   turns query solutions into typed JSON records and CSV
cache     per-release memo of results and rendered responses
service   runs a query (with its sections or graph shape) through the cache
envelope  the response body: data, total, pagination, version, links
"""
