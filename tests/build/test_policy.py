"""The failure policy (docs/loaders.md): uncertainty inside a document is a warning and the
release is published; `kskg build --strict` makes any warning an error; `kskg build` ends with
the counts and the diagnostics of every document, grouped by document."""

from __future__ import annotations

from rdflib import Dataset, Literal
from rdflib.namespace import SH

from kskg.namespaces import GRAPH, ID
from kskg.release import current_link
from kskg.vocab import KSK
from loaders.build import build
from tests.build.conftest import Built, file_digests, run_kskg
from tests.build.test_failures import assert_untouched

KSKS = "https://w3id.org/kinderschutz-kg/shapes#"
UNKNOWN_PARTNER = (
    "PARTNERKOMMUNE\n\nStadt Hattingen\n\nBUNDESLAND NORDRHEIN-WESTFALEN\n\n"
    "Partnerkommunen:\n\nWitten\n\nStadt Nirgendwo\n"
)


def cli(previous: Built, *extra: str):
    data, build_dir = previous.settings.data_dir, previous.build_dir
    args = ("build", "--data-dir", str(data), "--build-dir", str(build_dir), *extra)
    return run_kskg(*args, cwd=build_dir.parent)


def test_an_unresolved_name_is_a_warning_and_the_release_is_published(previous: Built) -> None:
    (previous.settings.data_dir / "sources" / "100_hattingen.txt").write_text(
        UNKNOWN_PARTNER, encoding="utf-8"
    )
    release = build(previous.settings, lambda line: None)
    assert current_link(previous.build_dir).resolve() == release.path
    dataset = Dataset()
    dataset.parse(release.dump_path("nq"), format="nquads")
    mention = ID["erwaehnung/stadt-hattingen/stadt-nirgendwo"]
    report = dataset.graph(GRAPH["validierung"])
    findings = {
        (str(report.value(r, SH.sourceShape)), report.value(r, SH.resultSeverity))
        for r in report.subjects(SH.focusNode, mention)
    }
    assert findings == {(KSKS + "Erwaehnung-unaufgeloest", SH.Warning)}
    assert any(dataset.quads((mention, KSK.erwaehntAls, KSK.Partnerkommune, None)))
    assert release.manifest["validation"]["violations"] == 0
    summary = (release.path / "summary.txt").read_text("utf-8")
    assert "data/sources/100_hattingen.txt:11: warning: 'Stadt Nirgendwo' matches no row" in summary


def test_strict_turns_warnings_into_errors_and_publishes_nothing(previous: Built) -> None:
    before = file_digests(previous.release.path)
    result = cli(previous, "--strict")
    assert result.returncode == 1
    assert "--strict: 3 warning(s) about the inputs; nothing was published" in result.stderr
    assert "data/sources/000_6d25c97e395e9f6f.txt:3: warning:" in result.stderr
    assert "Traceback" not in result.stderr
    assert_untouched(previous, before)


def test_strict_passes_without_warnings(previous: Built) -> None:
    sources = previous.settings.data_dir / "sources"
    for stem in ("000_6d25c97e395e9f6f", "001_9215b3bf5b9d1eba", "002_6f9c2774c3dd4b28"):
        (sources / f"{stem}.txt").unlink()
    result = cli(previous, "--strict")
    assert result.returncode == 0, result.stderr
    assert "Diagnostics: 0 warning(s), 1 info(s)" in result.stdout


def test_build_ends_with_every_document_and_its_diagnostics(previous: Built) -> None:
    result = cli(previous)
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.split("\n\n")
    lippe = next(b for b in blocks if b.startswith("002_6f9c2774c3dd4b28.txt [profil]"))
    lines = lippe.split("\n")
    assert "4 Maßnahmen" in lines[0]
    assert lines[1].startswith("  data/sources/002_6f9c2774c3dd4b28.txt:13: warning:")
    assert lines[2].startswith("  data/sources/002_6f9c2774c3dd4b28.txt:29: info:")
    assert result.stdout.rstrip().split("\n")[-1].startswith("release ")
    assert "Diagnostics: 3 warning(s), 4 info(s)" in result.stdout


def test_the_cluster_without_number_is_an_info_finding(built: Built) -> None:
    dataset = Dataset()
    dataset.parse(built.release.dump_path("nq"), format="nquads")
    report = dataset.graph(GRAPH["validierung"])
    witten = ID["cluster/modell-stadt-witten"]
    findings = {
        (str(report.value(r, SH.sourceShape)), report.value(r, SH.resultSeverity))
        for r in report.subjects(SH.focusNode, witten)
    }
    assert findings == {(KSKS + "Cluster-nummer-bekannt", SH.Info)}
    label = Literal("Kinderschutzcluster Witten (Nummer unbekannt)", lang="de")
    assert any(dataset.quads((witten, None, label, None)))
