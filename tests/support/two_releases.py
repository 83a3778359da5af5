"""Two real releases in one build folder: the real data/, then the same with one more profile
sheet (a Kommune no reference row knows, with two Maßnahmen and a Besonderheit)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from kskg.release import Release
from kskg.settings import PROJECT_ROOT, Settings
from loaders.build import build

NEW_KOMMUNE = "https://w3id.org/kinderschutz-kg/id/kommune/landkreis-testhausen"
NEW_SHEET = "100_testhausen.txt"
PROFILE = """PARTNERKOMMUNE

Landkreis Testhausen

www.testhausen.de

BUNDESLAND NIEDERSACHSEN

KINDERSCHUTZCLUSTER 4

Modellkommune: Landkreis Friesland

Ergebnisse

Kommunal

  • Einführung einer kollegialen Fallberatung im Allgemeinen Sozialen Dienst
  • Gemeinsamer Fachtag mit der Jugendhilfe

Besonderheiten

Der Landkreis kam spät zum Projekt hinzu.
"""


@dataclass(frozen=True)
class TwoReleases:
    settings: Settings
    old: Release
    new: Release


def build_two_releases(root: Path, **settings) -> TwoReleases:
    """Build data/ into `root`/build, add the profile sheet, build again (now current)."""
    data = root / "data"
    for part in ("sources", "reference"):
        shutil.copytree(PROJECT_ROOT / "data" / part, data / part)
    config = Settings(data_dir=data, build_dir=root / "build", **settings)
    old = build(config, lambda message: None)
    add_profile(data)
    new = build(config, lambda message: None)
    return TwoReleases(config, old, new)


def add_profile(data: Path) -> None:
    (data / "sources" / NEW_SHEET).write_text(PROFILE, encoding="utf-8")
