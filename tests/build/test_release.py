"""A real build of data/: what it publishes and what the release says about itself."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

from rdflib import BNode, Dataset, Literal
from rdflib.namespace import XSD

from kskg.curated_answers import ANSWERS, INDEX
from kskg.namespaces import DCAT, GRAPH
from kskg.query_files import load_queries
from kskg.release import DUMPS, MANIFEST, current_link, current_release
from kskg.search_index import SEARCH_DB
from loaders.metadata import DATASET_IRI
from loaders.serialize import canonical_dataset, canonical_nquads
from tests.build.conftest import Built

REPORTS = {"shacl-report.ttl", "shacl-report.txt", "summary.txt"}
STEP = re.compile(
    r"^(parse \d+ files|validate \d+ triples .*|write \d+ files|publish \S+) … \d+\.\d s$"
)


def test_current_points_at_the_release_with_every_file(built: Built) -> None:
    link = current_link(built.build_dir)
    assert link.is_symlink()
    assert link.readlink().as_posix() == f"releases/{built.release.version}"
    dumps = {name for name, _media in DUMPS.values()}
    expected = dumps | {name + ".gz" for name in dumps} | REPORTS | {MANIFEST, SEARCH_DB, ANSWERS}
    assert {p.name for p in built.release.path.iterdir()} == expected
    assert not list(built.build_dir.glob("staging-*"))


def test_manifest_checksums_match_the_files(built: Built) -> None:
    manifest = current_release(built.build_dir).manifest
    assert set(manifest["files"]) == {
        p.relative_to(built.release.path).as_posix()
        for p in built.release.path.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    for name, entry in manifest["files"].items():
        data = (built.release.path / name).read_bytes()
        assert entry["bytes"] == len(data), name
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), name
    for source in manifest["sources"]:
        path = built.settings.data_dir.parent / source["file"]
        if source["file"].startswith("data/"):
            assert hashlib.sha256(path.read_bytes()).hexdigest() == source["sha256"]


def test_manifest_is_sorted_and_has_the_designed_keys(built: Built) -> None:
    text = (built.release.path / MANIFEST).read_text("utf-8")
    manifest = json.loads(text)
    assert text == json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert set(manifest) == {"version", "generator", "sources", "counts", "files", "validation"}
    assert set(manifest["counts"]) == {"quads", "triples", "graphs", "per_class", "per_document"}
    assert {"file", "sha256", "graph", "lines"} == set(manifest["sources"][0])
    assert len(manifest["counts"]["per_document"]) == 5
    assert manifest["counts"]["per_class"]["ksk:Kommune"] > 0


def release_version(dataset: Dataset) -> str:
    """The version computed from the whole canonical dataset, as an oracle for the build's own
    computation from the parts (loaders/serialize.py `Prepared.version`)."""
    text = canonical_nquads(dataset, exclude=frozenset({GRAPH.metadaten}))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def test_version_is_the_hash_of_every_graph_but_metadaten(built: Built) -> None:
    assert re.fullmatch(r"[0-9a-f]{16}", built.release.version)
    dataset = Dataset()
    dataset.parse(built.release.dump_path("nq"), format="nquads")
    assert release_version(canonical_dataset(dataset.graphs())) == built.release.version
    described = dataset.graph(GRAPH.metadaten)
    assert described.value(DATASET_IRI, DCAT.version) == Literal(built.release.version)


def test_the_report_conforms_and_is_published(built: Built) -> None:
    validation = built.release.manifest["validation"]
    assert validation["conforms"] is True
    assert validation["violations"] == 0
    report_txt = (built.release.path / "shacl-report.txt").read_text("utf-8")
    assert "violations: 0" in report_txt
    assert f"warnings: {validation['warnings']}" in report_txt


def test_no_blank_nodes_and_no_clock_in_the_release(built: Built) -> None:
    dataset = Dataset()
    dataset.parse(built.release.dump_path("nq"), format="nquads")
    assert not [q for q in dataset.quads() if any(isinstance(t, BNode) for t in q[:3])]
    assert {g.identifier for g in dataset.graphs() if len(g)} >= {
        GRAPH.validierung,
        GRAPH.metadaten,
        GRAPH.ontology,
    }
    clock_types = {XSD.dateTime, XSD.date, XSD.time, XSD.dateTimeStamp}
    described = dataset.graph(GRAPH.metadaten)
    assert not [o for o in described.objects() if getattr(o, "datatype", None) in clock_types]


def test_canonical_nquads_are_sorted_with_one_trailing_newline(built: Built) -> None:
    data = built.release.dump_path("nq").read_bytes()
    assert data.endswith(b" .\n") and not data.endswith(b"\n\n")
    lines = data.decode("utf-8").splitlines()
    assert lines == sorted(set(lines))
    assert len(lines) == built.release.manifest["counts"]["quads"]
    nt_lines = built.release.dump_path("nt").read_text("utf-8").splitlines()
    assert nt_lines == sorted(set(nt_lines))
    assert len(nt_lines) == built.release.manifest["counts"]["triples"]


def test_gzip_files_are_the_dumps_without_name_or_time(built: Built) -> None:
    for name, _media in DUMPS.values():
        packed = (built.release.path / (name + ".gz")).read_bytes()
        assert gzip.decompress(packed) == (built.release.path / name).read_bytes()
        flags, mtime = packed[3], int.from_bytes(packed[4:8], "little")
        assert flags & 0x08 == 0, "no file name in the header"
        assert mtime == 0


def test_progress_has_one_timed_line_per_step_and_the_diagnostic_counts(built: Built) -> None:
    steps = [line for line in built.progress if STEP.match(line)]
    assert [s.split()[0] for s in steps] == ["parse", "validate", "write", "publish"]
    assert "parse 13 files" in steps[0]
    assert "3 warning(s), 4 info(s) in the inputs, listed per document at the end" in built.progress
    assert all(
        line.startswith(("parse", "validate", "write", "publish", "3 warning"))
        for line in built.progress
    )


def test_summary_lists_every_document_and_the_diagnostics(built: Built) -> None:
    text = (built.release.path / "summary.txt").read_text("utf-8")
    for source in sorted((built.settings.data_dir / "sources").iterdir()):
        assert source.name in text
    assert "data/sources/000_6d25c97e395e9f6f.txt:3: warning:" in text


def test_the_release_carries_every_parameterless_curated_answer(built: Built) -> None:
    folder = built.release.path / ANSWERS
    index = json.loads((folder / INDEX).read_text("utf-8"))
    queries = load_queries(built.settings.queries_dir).values()
    expected = {q.name for q in queries if not any(p.required for p in q.params)}
    assert set(index["answers"]) == expected
    assert "kommune" not in expected and "netzwerk" in expected
    for name, entry in index["answers"].items():
        body = (folder / entry["file"]).read_bytes()
        if entry["shape"] == "graph":
            assert len(json.loads(body)["edges"]) == entry["count"] > 0, name
        else:
            assert [json.loads(line) for line in body.split(b"\n")], name
            assert body.count(b"\n") + 1 == entry["count"], name
