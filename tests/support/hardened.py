"""Settings with short deadlines and small limits, for tests that drive the limits."""

from __future__ import annotations

from pathlib import Path

from kskg.settings import Settings

HARDENED = {
    "query_timeout_s": 2.0,
    "query_workers": 2,
    "max_result_rows": 20,
    "max_result_triples": 20,
    "max_query_chars": 20_000,
    "max_query_depth": 64,
    "max_body_bytes": 64 * 1024,
    "max_header_bytes": 8 * 1024,
    "client_concurrency": 1,
    "client_query_budget_s": 3.0,
    "client_budget_window_s": 600.0,
    "release_poll_s": 0.2,
}


def hardened_settings(build_dir: Path, **overrides) -> Settings:
    return Settings(build_dir=build_dir, **(HARDENED | overrides))
