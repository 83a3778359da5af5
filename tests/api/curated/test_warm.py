"""The curated cache is warmed for every parameterless query once a release is served."""

from __future__ import annotations

import time

import httpx

from api.app import create_app
from api.curated.params import bind_params, cache_key
from kskg.settings import Settings
from tests.support.live_server import LiveServer


def _wait_warm(app, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not (task := getattr(app.state, "warming", None)) or not task.done():
        assert time.monotonic() < deadline, "warming did not finish"
        time.sleep(0.02)


def test_parameterless_curated_queries_are_computed_before_any_request(settings: Settings):
    app = create_app(settings)
    server = LiveServer(app).start()
    try:
        _wait_warm(app)
        service, version = app.state.curated, app.state.served.version
        parameterless = [
            q for q in service.queries.values() if not any(p.required for p in q.params)
        ]
        assert parameterless
        for query in parameterless:
            key = (query.name, cache_key(bind_params(query, {})))
            assert service.results.get(version, key) is not None, query.name
        assert service.results.misses == len(parameterless)  # nothing else was computed
        hits = service.results.hits
        with httpx.Client(base_url=server.url, timeout=30) as http:
            response = http.get(f"/api/{parameterless[0].name}")
        assert response.status_code == 200
        assert service.results.hits == hits + 1  # answered from the warmed result
    finally:
        server.stop()
