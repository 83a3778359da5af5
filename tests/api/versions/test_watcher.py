"""The release watcher and versions together, without a restart: after a switch the former
current release answers `version=` requests (loaded on demand), the new one answers without,
and /releases lists every one published."""

from __future__ import annotations

from pathlib import Path

import httpx

from api.app import create_app
from kskg.release import current_release
from tests.hardening.conftest import MINI
from tests.hardening.test_releases import COUNT, count_of, publish_variant, wait_for_version
from tests.support.hardened import hardened_settings
from tests.support.live_server import LiveServer
from tests.support.release_fixture import publish_trig


def test_versions_across_switches(tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    publish_trig(MINI, build_dir)
    base = current_release(build_dir).version
    server = LiveServer(create_app(hardened_settings(build_dir, query_workers=2))).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            base_count = count_of(http.get("/sparql", params={"query": COUNT}))
            versions = [base]
            for extra in (3, 7):
                versions.append(publish_variant(build_dir, tmp_path, extra))
                wait_for_version(http, versions[-1])
                for version, added in zip(versions, (0, 3, 7), strict=False):
                    answer = http.get("/sparql", params={"query": COUNT, "version": version})
                    assert answer.headers["X-Data-Version"] == version
                    assert count_of(answer) == base_count + added
                now = http.get("/sparql", params={"query": COUNT})
                assert now.headers["X-Data-Version"] == versions[-1]
                listed = http.get("/releases").json()
                assert [r["version"] for r in listed["releases"]] == versions[::-1]
                assert listed["current"] == versions[-1]
    finally:
        server.stop()
