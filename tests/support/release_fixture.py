"""Publish a release folder from a TriG file, for API tests independent of the loaders."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from rdflib import Dataset, Graph

from kskg.release import DUMPS, publish, staging_dir


def publish_trig(trig: Path, build_dir: Path) -> None:
    """Publish `trig` as a release in `build_dir` with every dump format and a manifest."""
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    staged = staging_dir(build_dir)
    nquads = "".join(sorted(dataset.serialize(format="nquads").splitlines(keepends=True)))
    (staged / DUMPS["nq"][0]).write_text(nquads, "utf-8")
    dataset.serialize(staged / DUMPS["trig"][0], format="trig")
    merged = Graph()
    for graph in dataset.graphs():
        merged += graph
    merged.serialize(staged / DUMPS["ttl"][0], format="turtle")
    merged.serialize(staged / DUMPS["nt"][0], format="nt")
    dataset.serialize(staged / DUMPS["jsonld"][0], format="json-ld")
    version = hashlib.sha256(nquads.encode()).hexdigest()[:16]
    files = {
        name: {"bytes": (staged / name).stat().st_size, "media_type": media}
        for name, media in DUMPS.values()
    }
    manifest = {"version": version, "files": files, "counts": {"quads": nquads.count("\n")}}
    (staged / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    publish(staged, build_dir, version)
