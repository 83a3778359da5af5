"""`kskg check FILE…`: the outline the parser reads, nothing published (loaders/outline.py)."""

from __future__ import annotations

from pathlib import Path

from kskg.cli import main
from tests.loaders.conftest import DATA

SHEET = (
    "Kommunenprofil\n"
    "PARTNERKOMMUNE\n\nKreis Lipe\n\nBUNDESLAND: NORDRHEIN-WESTFALEN\nKINDERSCHUTZCLUSTER 4\n\n"
    "Partnerkommunen:\n\nLandkreis Friesland\n\nAnsprechpartner\n\nFrau Beispiel\n\n"
    "Zentrale Theman\n\n1. Vernetzung (*)\n   a) im Kreis\n\n(*) seit 2009\n\nSeite 1 von 1\n"
)


def test_check_prints_the_outline_and_publishes_nothing(tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "neu.txt"
    sheet.write_text(SHEET, encoding="utf-8")
    build = tmp_path / "build"
    assert main(["check", str(sheet), "--build-dir", str(build), "--data-dir", str(DATA)]) == 0
    out = capsys.readouterr().out
    for expected in (
        f"{sheet.as_posix()}: profile sheet, role Partnerkommune (line 2)",
        "Kreis Lipe (line 4) -> Kreis Lippe (corrected, data/reference/kommunen.csv:",
        "Landkreis Friesland (line 11) -> Landkreis Friesland (exact,",
        "KEPT APART, not mapped: 'Ansprechpartner' (line 13)",
        "Zentrale Themen (line 17, written 'Zentrale Theman')",
        "     19  Vernetzung",
        "footnote (line 22): seit 2009",
        "       20  im Kreis",
        "dropped line 1 (stray line before the role line): 'Kommunenprofil'",
        "dropped line 24 (page furniture): 'Seite 1 von 1'",
        f"{sheet.as_posix()}:17: warning: heading 'Zentrale Theman' read as 'Zentrale Themen'",
    ):
        assert expected in out, expected
    assert not build.exists()


def test_check_reports_an_unreadable_file_with_its_line_and_fails(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("\nirgendein Text\n", encoding="utf-8")
    good = DATA / "sources" / "002_6f9c2774c3dd4b28.txt"
    assert main(["check", str(bad), str(good), "--data-dir", str(DATA)]) == 1
    out = capsys.readouterr().out
    assert f"{bad.as_posix()}:2: neither a profile sheet nor a press release" in out
    assert "Kreis Lippe (line 3) -> Kreis Lippe (exact" in out
