"""Switching releases while serving: the server picks up each new `current` without a restart and
without a failed request, every response names its data version, and a broken release, a build
killed with SIGKILL or a build that runs out of disk space leave the last good release served."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from kskg.release import current_link, current_release
from kskg.settings import PROJECT_ROOT
from tests.hardening.conftest import MINI
from tests.support.hardened import hardened_settings
from tests.support.live_server import LiveServer
from tests.support.release_fixture import publish_trig

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count_of(response: httpx.Response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def publish_variant(build_dir: Path, tmp_path: Path, extra: int) -> str:
    """Publish the mini release plus `extra` triples; returns its version."""
    trig = tmp_path / f"variant-{extra}.trig"
    added = "".join(f"<urn:x:s{i}> <urn:x:p> {i} .\n" for i in range(extra))
    trig.write_text(MINI.read_text("utf-8") + "\n" + added, "utf-8")
    publish_trig(trig, build_dir)
    return current_release(build_dir).version


@pytest.fixture()
def switching(tmp_path: Path) -> Iterator[tuple[LiveServer, object, Path]]:
    build_dir = tmp_path / "build"
    publish_trig(MINI, build_dir)
    app = create_app(hardened_settings(build_dir, client_concurrency=64, query_workers=2))
    server = LiveServer(app).start()
    yield server, app, build_dir
    server.stop()


def wait_for_version(http: httpx.Client, version: str, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while http.get("/health").json()["version"] != version:
        assert time.monotonic() < end, f"server did not switch to {version}"
        time.sleep(0.05)


def test_release_switched_under_load(switching, tmp_path):
    server, _app, build_dir = switching
    base = current_release(build_dir).version
    with httpx.Client(base_url=server.url) as http:
        base_count = count_of(http.get("/sparql", params={"query": COUNT}))
    counts = {base: base_count}
    hammer = Hammer(server.url, counts)
    versions = []
    for extra in (3, 7):
        version = publish_variant(build_dir, tmp_path, extra)
        counts[version] = base_count + extra
        versions.append(version)
    link_to = {v: Path("releases") / v for v in [base, *versions]}
    _point(build_dir, link_to[base])
    threads = [threading.Thread(target=hammer.run) for _ in range(4)]
    for thread in threads:
        thread.start()
    with httpx.Client(base_url=server.url) as http:
        for version in [*versions, base, versions[0]]:
            _point(build_dir, link_to[version])
            wait_for_version(http, version)
    hammer.stop.set()
    for thread in threads:
        thread.join()
    assert hammer.failures == []
    assert hammer.seen >= {base, *versions}


class Hammer:
    """Requests curated, SPARQL, dump and health URLs until stopped, recording every answer
    that is not a 200 of a known version whose triple count matches that version."""

    PATHS = (
        ("/sparql", {"query": COUNT}),
        ("/api/kommunen", {}),
        ("/dumps/dataset.nt", {}),
        ("/health", {}),
    )

    def __init__(self, url: str, counts: dict[str, int]) -> None:
        self.url = url
        self.counts = counts
        self.failures: list[str] = []
        self.seen: set[str] = set()
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as http:
            while not self.stop.is_set():
                for path, params in self.PATHS:
                    self.check(path, http.get(path, params=params))

    def check(self, path: str, response: httpx.Response) -> None:
        version = response.headers.get("x-data-version")
        self.seen.add(version)
        if response.status_code != 200 or version not in self.counts:
            self.failures.append(f"{path}: {response.status_code} {version}")
        elif path == "/sparql" and count_of(response) != self.counts[version]:
            self.failures.append(f"{version}: count {count_of(response)}")


def _point(build_dir: Path, target: Path) -> None:
    """Point `current` at `target` in one rename, as kskg.release.publish does."""
    tmp = build_dir / ".current-test"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target)
    os.replace(tmp, current_link(build_dir))


def test_broken_releases_are_not_served(switching, tmp_path):
    server, _app, build_dir = switching
    good = current_release(build_dir).version
    releases = build_dir / "releases"
    broken = {
        "no-manifest": lambda d: (d / "manifest.json").unlink(),
        "bad-manifest": lambda d: (d / "manifest.json").write_text("{not json"),
        "bad-checksum": lambda d: (d / "dataset.nq").write_text("<urn:a> <urn:b> <urn:c> .\n"),
        "bad-nquads": lambda d: (d / "dataset.nq").write_text("this is not N-Quads\n"),
    }
    with httpx.Client(base_url=server.url) as http:
        for name, damage in broken.items():
            copy = releases / name
            subprocess.run(["cp", "-r", str(releases / good), str(copy)], check=True)
            manifest = json.loads((copy / "manifest.json").read_text())
            if name == "bad-checksum":
                manifest["files"]["dataset.nq"]["sha256"] = _sha256(copy / "dataset.nq")
                (copy / "manifest.json").write_text(json.dumps(manifest))
            damage(copy)
            _point(build_dir, Path("releases") / name)
            time.sleep(0.6)  # three polls of the watcher
            response = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert response.status_code == 200 and response.json()["boolean"], name
            assert response.headers["x-data-version"] == good, name


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _release_intact(build_dir: Path) -> str:
    """The version `current` points to, after checking every file against its manifest."""
    release = current_release(build_dir)
    for name, info in release.manifest["files"].items():
        if "sha256" in info:
            assert _sha256(release.path / name) == info["sha256"], name
    assert not (release.path.name.startswith("staging-"))
    return release.version


def _build(build_dir: Path, **popen) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "kskg"), "build", "--build-dir", str(build_dir)]
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen
    )


@pytest.mark.slow
def test_build_killed_midway_leaves_the_served_release(switching):
    server, _app, build_dir = switching
    first = current_release(build_dir).version
    with httpx.Client(base_url=server.url) as http:
        mini_total = http.get("/api/kommunen").json()["total"]
        for delay in (0.3, 0.9, 1.5):
            build = _build(build_dir)
            time.sleep(delay)
            build.send_signal(signal.SIGKILL)
            build.wait()
            served = _release_intact(build_dir)
            response = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert response.status_code == 200
            assert response.headers["x-data-version"] in (first, served)
        build = _build(build_dir)
        assert build.wait() == 0, build.stdout.read().decode()
        real = _release_intact(build_dir)
        wait_for_version(http, real)
        assert http.get("/api/kommunen").json()["total"] > mini_total  # the real data now


def test_build_on_a_full_disk_leaves_the_served_release(tmp_path):
    build_dir = tmp_path / "build"
    publish_trig(MINI, build_dir)
    before = _release_intact(build_dir)

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    build = _build(build_dir, preexec_fn=small_disk)
    output = build.communicate()[0].decode()
    assert build.returncode != 0, output
    assert _release_intact(build_dir) == before
    # Regression: the failed write used to end in a Python traceback instead of a message.
    assert "cannot write the release" in output and "Traceback" not in output, output
    assert not list(build_dir.glob("staging-*"))
