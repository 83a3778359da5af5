"""The `kskg` command against a real release: export, info, validate, usage errors."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kskg.cli import main
from tests.build.conftest import KSKG, Built, clean_env, run_kskg

RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


def count(path: Path, fmt: str) -> tuple[int, int]:
    """(quads, triples of the merge) of an RDF file."""
    dataset = Dataset()
    dataset.parse(path, format=RDFLIB_FORMATS[fmt])
    quads = {(s, p, o, g) for s, p, o, g in dataset.quads()}
    return len(quads), len({q[:3] for q in quads})


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld"])
def test_export_writes_parseable_files(built: Built, tmp_path: Path, fmt: str, capsys) -> None:
    args = ["export", "--format", fmt, "--output", str(tmp_path)]
    status = main([*args, "--build-dir", str(built.build_dir)])
    assert status == 0
    written = [Path(line) for line in capsys.readouterr().out.splitlines()]
    assert len(written) == 1 and written[0].parent == tmp_path
    quads, triples = count(written[0], fmt)
    counts = built.release.manifest["counts"]
    assert triples == counts["triples"]
    if fmt in ("nq", "trig", "jsonld"):
        assert quads == counts["quads"]


def test_export_all_gzip_copies_the_gz_files(built: Built, tmp_path: Path, capsys) -> None:
    args = ["export", "--format", "all", "--gzip", "--output", str(tmp_path)]
    assert main([*args, "--build-dir", str(built.build_dir)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"dataset.{ext}.gz" for ext in RDFLIB_FORMATS)
    for name in names:
        assert (tmp_path / name).read_bytes() == (built.release.path / name).read_bytes()


def test_unknown_format_is_a_usage_error(built: Built, tmp_path: Path) -> None:
    result = run_kskg("export", "--format", "rdfxml", "--output", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid choice: 'rdfxml'" in result.stderr
    assert "Traceback" not in result.stderr


def test_info_prints_version_and_counts(built: Built, capsys) -> None:
    assert main(["info", "--build-dir", str(built.build_dir)]) == 0
    out = capsys.readouterr().out
    counts = built.release.manifest["counts"]
    assert f"version    {built.release.version}" in out
    assert f"triples    {counts['triples']}" in out
    assert f"quads      {counts['quads']}" in out
    assert "ksk:Kommune" in out


def test_without_a_release_commands_say_so(tmp_path: Path) -> None:
    result = run_kskg("info", "--build-dir", str(tmp_path / "empty"), cwd=tmp_path)
    assert result.returncode == 1
    assert "no release published yet; run `kskg build`" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_the_current_release_again(built: Built, capsys) -> None:
    assert main(["validate", "--build-dir", str(built.build_dir)]) == 0
    captured = capsys.readouterr()
    report = (built.release.path / "shacl-report.txt").read_text("utf-8")
    assert captured.out == report
    assert captured.err.startswith("validate ")


def test_validate_data_without_publishing(previous: Built, capsys) -> None:
    csv = previous.settings.data_dir / "reference" / "kommunen.csv"
    row = "Kreis Segeberg,Kreis,DE-SH,01060,,,1,,Partnerkommune"
    csv.write_text(csv.read_text("utf-8").replace(row, row[:-14] + "Modellkommune"), "utf-8")
    args = ["validate", "--data", "--data-dir", str(previous.settings.data_dir)]
    assert main([*args, "--build-dir", str(previous.build_dir)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^violations: [1-9]", out, re.MULTILINE)
    assert "Violation | kskid:cluster/1 | ksks:Cluster-modellkommune" in out
    assert len(list((previous.build_dir / "releases").iterdir())) == 1


def test_jsonld_loads_back_isomorphic_to_the_trig(built: Built) -> None:
    trig, jsonld = Dataset(), Dataset()
    trig.parse(built.release.dump_path("trig"), format="trig")
    jsonld.parse(built.release.dump_path("jsonld"), format="json-ld")
    names = {g.identifier for g in trig.graphs() if len(g)}
    assert names == {g.identifier for g in jsonld.graphs() if len(g)}
    for name in names:
        assert isomorphic(trig.graph(name), jsonld.graph(name)), name
    document = json.loads(built.release.dump_path("jsonld").read_text("utf-8"))
    assert set(document) == {"@context", "@graph"}
    assert all(isinstance(value, str) for value in document["@context"].values())
    assert all(set(entry) == {"@id", "@graph"} for entry in document["@graph"])


def test_turtle_is_the_merge_of_the_trig(built: Built) -> None:
    trig = Dataset()
    trig.parse(built.release.dump_path("trig"), format="trig")
    merge = Graph()
    for graph in trig.graphs():
        merge += graph
    turtle = Graph().parse(built.release.dump_path("ttl"), format="turtle")
    assert isomorphic(merge, turtle)


@pytest.mark.parametrize("command", [["info"], ["validate"]])
def test_a_reader_that_leaves_ends_the_command_quietly(built: Built, command) -> None:
    """`kskg info | head`: the reader has gone before anything is written (the read end is
    closed at once), so every write fails; the command stops without a traceback."""
    args = [KSKG, *command, "--build-dir", str(built.build_dir)]
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env()
    )
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 141
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
