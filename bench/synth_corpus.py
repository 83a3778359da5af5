"""Synthetic corpora: N copies of every real profile sheet, for measuring how a build scales.

    python -m bench.synth_corpus --factor 10 --out bench/out/corpus-10x

Each copy keeps the text, layout and irregularities of its original (no trailing newline, odd
"BUNDESLAND:X" spacing, continuation lines, misspelt names) and changes, deterministically from
`--seed`:

- the Kommune's name: "<name>-<synthetic place>", everywhere the profile mentions itself, with a
  matching row appended to the copied reference/kommunen.csv (own AGS, same Land, art and role),
  so the loaders resolve it exactly as they resolve the original;
- the order of the bullets within each bullet list (a rotation);
- a copy of a Modellkommune's sheet becomes a Partnerkommune of its original's cluster (a
  cluster has exactly one Modellkommune, and there are 12 clusters).

Documents that are not profile sheets (the press release) are copied once, unchanged.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ROLES = ("PARTNERKOMMUNE", "MODELLKOMMUNE")
_SYLLABLES = ["ar", "ne", "wal", "de", "ro", "sen", "bur", "ha", "lin", "gen", "mo", "ter", "ka"]
_SYLLABLES += ["vel", "tor", "sa", "bri", "men", "dorf", "au", "fel", "ling", "hau", "sten"]


@dataclass(frozen=True)
class Profile:
    """A real profile sheet and the reference row of the Kommune it describes."""

    path: Path
    text: str
    spelled: str  # the name as the sheet spells it (may be misspelt)
    row: dict[str, str]  # its row in reference/kommunen.csv

    @property
    def is_modellkommune(self) -> bool:
        return self.text.lstrip().startswith("MODELLKOMMUNE")


@dataclass(frozen=True)
class CorpusInfo:
    data_dir: Path
    profiles: int
    documents: int
    bytes: int


def read_profiles(data_dir: Path) -> tuple[list[Profile], list[Path]]:
    """The profile sheets of `data_dir/sources` (matched to their reference rows) and the rest."""
    rows = _read_kommunen(data_dir / "reference" / "kommunen.csv")[1]
    by_name = {row["name"]: row for row in rows}
    profiles, others = [], []
    for path in sorted((data_dir / "sources").glob("*.txt")):
        text = path.read_text("utf-8")
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        if not lines or lines[0] not in ROLES:
            others.append(path)
            continue
        spelled = lines[1]
        match = difflib.get_close_matches(spelled, by_name, n=1, cutoff=0.8)
        if not match:
            raise ValueError(f"{path}:3: {spelled!r} matches no row of reference/kommunen.csv")
        profiles.append(Profile(path, text, spelled, by_name[match[0]]))
    return profiles, others


def generate_corpus(source_dir: Path, out_dir: Path, factor: int, seed: int = 0) -> CorpusInfo:
    """Write `out_dir/sources` (factor × every profile + the other documents once) and
    `out_dir/reference` (a copy, with one kommunen.csv row per synthetic Kommune)."""
    if factor < 1:
        raise ValueError(f"factor must be >= 1, got {factor}")
    profiles, others = read_profiles(source_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "sources").mkdir(parents=True)
    shutil.copytree(source_dir / "reference", out_dir / "reference")
    for path in others:
        shutil.copy2(path, out_dir / "sources" / path.name)
    fields, _ = _read_kommunen(source_dir / "reference" / "kommunen.csv")
    new_rows, used = [], set()
    for index in range(factor * len(profiles)):
        profile = profiles[index % len(profiles)]
        rng = random.Random(f"{seed}:{index}")
        suffix = _place_name(rng, used)
        text, row = _copy_profile(profile, index, suffix, rng)
        (out_dir / "sources" / _file_name(seed, index)).write_text(text, "utf-8")
        new_rows.append(row)
    _append_kommunen(out_dir / "reference" / "kommunen.csv", fields, new_rows)
    files = list((out_dir / "sources").glob("*.txt"))
    size = sum(path.stat().st_size for path in files)
    return CorpusInfo(out_dir, len(new_rows), len(files), size)


def _copy_profile(
    profile: Profile, index: int, suffix: str, rng: random.Random
) -> tuple[str, dict[str, str]]:
    canonical = profile.row["name"]
    text = profile.text.replace(profile.spelled, f"{profile.spelled}-{suffix}")
    if canonical != profile.spelled:
        text = text.replace(canonical, f"{canonical}-{suffix}")
    row = dict(profile.row)
    row.update(name=f"{canonical}-{suffix}", ags=_ags(profile.row["ags"], index), wikidata="")
    row.update(aufgeloest_am="", nachfolger_ags="")
    lines = text.split("\n")
    if profile.is_modellkommune:
        lines = _as_partner(lines, f"{profile.spelled}-{suffix}", canonical)
        row["rolle"] = "Partnerkommune"
    return "\n".join(_rotate_bullets(lines, rng)), row


def _as_partner(lines: list[str], name: str, modellkommune: str) -> list[str]:
    """A Modellkommune's copy as a Partnerkommune of its original (a cluster has one
    Modellkommune, and clusters are numbered 1..12)."""
    out = []
    for line in lines:
        if line.strip() == "MODELLKOMMUNE":
            line = line.replace("MODELLKOMMUNE", "PARTNERKOMMUNE")
        elif line.startswith("Modellkommune:") and name in line:
            line = line.replace(name, modellkommune)
        out.append(line)
    return out


def _rotate_bullets(lines: list[str], rng: random.Random) -> list[str]:
    """Rotate the items of every bullet list; an item is a '•' line and its continuation lines."""
    out: list[str] = []
    block: list[list[str]] = []
    for line in [*lines, None]:
        if line is not None and line.lstrip().startswith("•"):
            block.append([line])
        elif line is not None and block and line.startswith("    ") and line.strip():
            block[-1].append(line)
        else:
            if block:
                turn = rng.randrange(len(block))
                out.extend(part for item in block[turn:] + block[:turn] for part in item)
                block = []
            if line is not None:
                out.append(line)
    return out


def _place_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        if name not in used:
            used.add(name)
            return name


def _ags(real: str, index: int) -> str:
    """An 8-digit AGS in the same Land as `real` that no real Gemeinde has (9xxxxx)."""
    return f"{real[:2]}9{index:05d}"


def _file_name(seed: int, index: int) -> str:
    digest = hashlib.sha256(f"synthetic:{seed}:{index}".encode()).hexdigest()[:16]
    return f"{1000 + index}_{digest}.txt"


def _read_kommunen(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _append_kommunen(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fields, lineterminator="\n").writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, required=True, help="copies of every profile")
    parser.add_argument("--out", type=Path, required=True, help="data dir to (re)create")
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT / "data", help="real data dir")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    info = generate_corpus(args.data, args.out, args.factor, args.seed)
    print(f"{info.data_dir}: {info.profiles} profiles, {info.documents} documents, {info.bytes} B")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
