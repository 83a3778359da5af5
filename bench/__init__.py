"""Benchmarks of kinderschutz-kg (`make bench`), each compared with what a user would pick instead.

Every script runs on its own (`python -m bench.<script> --help`) and writes its measurements as
JSON to bench/out/; `bench.report` turns them into bench/RESULTS.md.
"""
