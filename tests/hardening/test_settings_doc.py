"""Every limit setting is in the table of docs/limits.md with its environment variable and
default, the README shows the same table, and values above a limit's ceiling are refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from kskg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "limits.md"
README = ROOT / "README.md"
NOT_LIMITS = {
    "data_dir", "build_dir", "ontology_dir", "shapes_dir", "queries_dir", "public_base",
    # The store (docs/deploy.md): where the engine is, not a limit.
    "store_url", "store_kind", "store_update_url", "store_data_url", "store_user",
    "store_password",
    # How many releases stay citable (docs/build.md, docs/api.md "Versions"), not a limit.
    "keep_releases",
}  # fmt: skip


def table_text(path: Path) -> str:
    text = path.read_text("utf-8")
    return text.split("<!-- limits-table:start -->")[1].split("<!-- limits-table:end -->")[0]


def table_rows() -> dict[str, list[str]]:
    table = table_text(DOC)
    rows = {}
    for line in table.strip().splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = cells
    return rows


def test_every_limit_is_documented():
    rows = table_rows()
    limits = set(Settings.model_fields) - NOT_LIMITS
    assert set(rows) == limits
    for name, cells in rows.items():
        assert cells[3] == f"`KSKG_{name.upper()}`", name


def test_readme_shows_the_same_table():
    assert table_text(README) == table_text(DOC), "copy the limits table of docs/limits.md"


def test_documented_defaults_are_the_defaults():
    for name, cells in table_rows().items():
        default = Settings.model_fields[name].default
        shown = cells[1].replace("true", "True")
        if isinstance(default, bool):
            assert shown == str(default), name
        else:
            number = float(re.match(r"[\d.]+", shown).group(0))
            unit = 1024 * 1024 if "MiB" in shown else 1024 if "KiB" in shown else 1
            assert number * unit == default, name


@pytest.mark.parametrize(
    "name, value",
    [("query_timeout_s", 1000), ("max_result_rows", 10**9), ("client_concurrency", 0)],
)
def test_limits_have_bounds(name, value):
    with pytest.raises(ValidationError):
        Settings(**{name: value})
