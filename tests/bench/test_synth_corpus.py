"""bench/synth_corpus.py: copies keep the format, get unique resolvable names, are deterministic."""

from __future__ import annotations

import csv
from pathlib import Path

from bench.servers import PROJECT_ROOT
from bench.synth_corpus import generate_corpus, read_profiles

DATA = PROJECT_ROOT / "data"


def _generate(tmp_path: Path, factor: int = 3, seed: int = 0) -> Path:
    out = tmp_path / f"corpus-{factor}-{seed}"
    generate_corpus(DATA, out, factor, seed)
    return out


def _rows(data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / "reference" / "kommunen.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_profile_is_copied_factor_times_and_other_documents_once(tmp_path):
    profiles, others = read_profiles(DATA)
    out = _generate(tmp_path, factor=3)
    names = sorted(p.name for p in (out / "sources").glob("*.txt"))
    assert len(names) == 3 * len(profiles) + len(others)
    assert {p.name for p in others} <= set(names)


def test_each_copy_has_its_own_reference_row_with_a_unique_name_and_ags(tmp_path):
    out = _generate(tmp_path)
    real, rows = _rows(DATA), _rows(out)
    added = rows[len(real) :]
    assert rows[: len(real)] == real
    assert len(added) == 3 * len(read_profiles(DATA)[0])
    assert len({r["name"] for r in rows}) == len(rows)
    assert len({r["ags"] for r in rows}) == len(rows)
    assert all(r["cluster"] in {x["cluster"] for x in real} for r in added)


def test_copies_keep_the_layout_and_name_themselves(tmp_path):
    out = _generate(tmp_path, factor=1)
    rows = _rows(out)[len(_rows(DATA)) :]
    for path, row in zip(sorted((out / "sources").glob("1*.txt")), rows, strict=True):
        text = path.read_text("utf-8")
        assert not text.endswith("\n"), f"{path.name}: the originals have no trailing newline"
        assert text.splitlines()[0] == "PARTNERKOMMUNE"
        suffix = row["name"].rsplit("-", 1)[1]
        assert f"-{suffix}" in text.splitlines()[2]


def test_a_modellkommune_copy_becomes_a_partner_of_its_original(tmp_path):
    out = _generate(tmp_path, factor=1)
    modell = [p for p in read_profiles(DATA)[0] if p.is_modellkommune]
    assert modell, "the real corpus has a Modellkommune profile (004)"
    copies = [r for r in _rows(out) if r["name"].startswith(modell[0].row["name"] + "-")]
    assert [r["rolle"] for r in copies] == ["Partnerkommune"]
    assert copies[0]["cluster"] == modell[0].row["cluster"]


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_names(tmp_path):
    first, second = _generate(tmp_path / "a"), _generate(tmp_path / "b")
    other = _generate(tmp_path / "c", seed=1)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    assert _rows(first) != _rows(other)
