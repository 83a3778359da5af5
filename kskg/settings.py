"""Typed settings, read from the environment (prefix ``KSKG_``) when a factory builds them.

Nothing here runs at import time: `Settings()` is constructed by `api.app.create_app` and by the
CLI, so tests pass their own instance.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting of the project; environment variable = ``KSKG_`` + upper-case name."""

    model_config = SettingsConfigDict(env_prefix="KSKG_", frozen=True)

    data_dir: Path = Field(PROJECT_ROOT / "data", description="sources/ and reference/ live here")
    build_dir: Path = Field(
        PROJECT_ROOT / "data" / "build", description="releases are published here"
    )
    ontology_dir: Path = Field(PROJECT_ROOT / "ontology")
    shapes_dir: Path = Field(PROJECT_ROOT / "shapes")
    queries_dir: Path = Field(PROJECT_ROOT / "queries")

    # Empty: links name the host, port and root path each request came to (api/http/urls.py).
    public_base: str = Field(
        "",
        description="Base URL this server answers on, may end in a path prefix; "
        "https://w3id.org/kinderschutz-kg/ maps here; empty = the host:port of each request",
    )
    shacl_timeout_s: float = Field(120.0, description="wall-clock limit for pySHACL in a build")

    # Limits of the query service (docs/limits.md lists each with what happens when exceeded).
    # Every limit has a ceiling (`le=`) so a configuration typo cannot switch protection off.
    query_timeout_s: float = Field(
        10.0, gt=0, le=120, description="hard deadline of one SPARQL or curated query"
    )
    # Three query slots on two cores: a query running into its deadline holds one, two go on
    # answering. A client may hold at most two at once (client_concurrency), so no single
    # client can occupy them all.
    query_workers: int = Field(
        3,
        ge=1,
        le=32,
        description="queries evaluated at once: worker processes, or threads of one where "
        "memory_budget_mb admits fewer processes",
    )
    # Several HTTP processes evaluate queries without a hop to a worker process, but each
    # holds a copy of the release, so by default they serve only where the copies fit
    # memory_budget_mb (api/serving.py).
    http_processes: int = Field(
        0,
        ge=0,
        le=64,
        description="HTTP processes accepting on the port, each evaluating queries on its own "
        "threads; 0 = one per core where memory_budget_mb admits two or more copies of the "
        "release, else 1; 1 = one HTTP process feeding query worker processes",
    )
    # Each worker process holds the whole release in memory (about 0.7 GiB at a million
    # triples), so at scale the budget decides how many processes run; the other query slots
    # become threads sharing a worker's store (api/engine/pool.py).
    memory_budget_mb: int = Field(
        1024,
        ge=256,
        le=1_048_576,
        description="memory (MiB) the server and its query workers may use together; "
        "fewer worker processes start (at least one) when another would not fit, and the "
        "other query slots run as threads of those",
    )
    long_query_s: float = Field(
        1.0, gt=0, le=120, description="after this, a query's worker yields CPU to the others"
    )
    query_queue: int = Field(
        256, ge=1, le=10_000, description="queries waiting for a worker before 503"
    )
    worker_memory_mb: int = Field(
        2048, ge=256, le=65_536, description="address-space limit of each worker process"
    )
    worker_network_isolation: bool = Field(
        True, description="start each worker in its own empty network namespace where possible"
    )
    # The HTTP front reads every request and hands out every job: when it waits for a core
    # behind query evaluation, workers that finished sit idle for their next job (measured at
    # 16 clients: 10-15 % of the CPU idle at 0, 2-5 % at 5-10; docs/benchmarks.md).
    worker_nice: int = Field(
        10,
        ge=0,
        le=19,
        description="how far below the HTTP front's the query workers' CPU priority is (nice "
        "increment); a query past long_query_s drops to the lowest",
    )
    max_result_rows: int = Field(10_000, ge=1, le=1_000_000, description="SELECT rows per answer")
    max_result_triples: int = Field(
        50_000, ge=1, le=5_000_000, description="CONSTRUCT/DESCRIBE triples per answer"
    )
    max_result_bytes: int = Field(
        16 * 1024 * 1024, ge=1024, le=512 * 1024 * 1024, description="bytes per query answer"
    )
    # An answer is a pure function of the release and the query, so it may be kept for as
    # long as the release is served (api/sparql/answer_cache.py).
    answer_cache_mb: int = Field(
        64,
        ge=0,
        le=4096,
        description="memory (MiB) for answers to repeated /sparql queries; 0 = no answer cache",
    )
    max_query_chars: int = Field(
        30_000, ge=100, le=1_000_000, description="length of a SPARQL query text"
    )
    max_query_depth: int = Field(
        64, ge=4, le=1000, description="nesting of ( { [ in a SPARQL query"
    )
    max_body_bytes: int = Field(
        256 * 1024, ge=1024, le=64 * 1024 * 1024, description="size of a request body"
    )
    max_header_bytes: int = Field(
        32 * 1024, ge=1024, le=1024 * 1024, description="request line plus all header fields"
    )
    # A client that never finishes its request head holds a connection; these two bound how
    # long and how many (api/http/server.py).
    header_timeout_s: float = Field(
        5.0,
        gt=0,
        le=300,
        description="time from a request head's first byte (or the connection's opening) "
        "until its end; then 408 and the connection is closed",
    )
    client_connections: int = Field(
        100,
        ge=1,
        le=100_000,
        description="connections one client address (IPv6: its /64) may hold open; "
        "more are closed as soon as they are accepted",
    )
    client_concurrency: int = Field(
        2, ge=1, le=1024, description="queries one client (IP address) may run at once"
    )
    client_query_budget_s: float = Field(
        60.0, gt=0, le=3600, description="query time one client may use per budget window"
    )
    client_budget_window_s: float = Field(
        60.0, gt=0, le=86_400, description="rolling window of the per-client query-time budget"
    )
    # Releases are small (about 1 MB of N-Quads), so by default every one stays citable.
    keep_releases: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="published releases kept under build_dir/releases (the newest; the "
        "current one always); unset = all",
    )
    release_poll_s: float = Field(
        1.0, gt=0, le=3600, description="how often the server looks for a new current release"
    )
    shutdown_grace_s: float = Field(
        15.0, ge=0, le=600, description="time in-flight requests get to finish on shutdown"
    )

    # The store (docs/deploy.md). Unset: the release is served from an embedded pyoxigraph in
    # the query workers. Set: every query goes to a SPARQL 1.1 engine over HTTP.
    store_url: str | None = Field(
        None,
        description="SPARQL 1.1 query endpoint(s) of a remote engine, comma-separated: one per "
        "slot; publishing loads the slot not being served (blue/green)",
    )
    store_kind: Literal["oxigraph", "fuseki", "virtuoso", "generic"] = Field(
        "oxigraph", description="which engine is behind store_url (its few protocol differences)"
    )
    store_update_url: str | None = Field(
        None, description="SPARQL 1.1 Update endpoint(s), one per slot; used only by publishing"
    )
    store_data_url: str | None = Field(
        None,
        description="endpoint(s) accepting a POST of N-Quads (Oxigraph /store, Fuseki /data), "
        "one per slot; used only by publishing",
    )
    store_user: str | None = Field(None, description="user for the write endpoints")
    store_password: SecretStr | None = Field(None, description="password for the write endpoints")
    store_engine_timeout_s: float = Field(
        8.0,
        gt=0,
        le=120,
        description="query timeout the engine enforces itself (with store_url: at most "
        "query_timeout_s; ours stays on top)",
    )

    @model_validator(mode="after")
    def _engine_timeout_within_ours(self) -> Settings:
        if self.store_url and self.store_engine_timeout_s > self.query_timeout_s:
            raise ValueError(
                f"store_engine_timeout_s ({self.store_engine_timeout_s:g}) must not exceed "
                f"query_timeout_s ({self.query_timeout_s:g}): the engine stops first, we on top"
            )
        return self

    def store_slots(self) -> list[str]:
        """The query endpoints of the remote engine's slots, in order (empty: embedded)."""
        return _urls(self.store_url)

    def store_write_urls(self, kind: str) -> list[str]:
        """The `update` or `data` endpoints of the slots, in the order of `store_slots()`."""
        return _urls(self.store_update_url if kind == "update" else self.store_data_url)


def _urls(value: str | None) -> list[str]:
    return [url.strip() for url in (value or "").split(",") if url.strip()]
