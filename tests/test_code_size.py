"""Small pieces (STYLE point 12, docs/DESIGN.md): no production module over 400 lines and no
function over 50 lines (decorators excluded, docstring included), read from the source with
`ast`. A piece that outgrows them is split, not allow-listed."""

from __future__ import annotations

import ast
from pathlib import Path

from kskg.settings import PROJECT_ROOT

PACKAGES = ("api", "kskg", "loaders")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50


def production_modules() -> list[Path]:
    return [path for package in PACKAGES for path in sorted((PROJECT_ROOT / package).rglob("*.py"))]


def where(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()


def test_the_packages_are_scanned() -> None:
    names = {where(path) for path in production_modules()}
    assert {"api/app.py", "kskg/cli.py", "loaders/build.py"} <= names


def test_no_module_is_over_400_lines() -> None:
    long = {
        where(path): count
        for path in production_modules()
        if (count := len(path.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_50_lines() -> None:
    long = {}
    for path in production_modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                count = node.end_lineno - node.lineno + 1
                if count > MAX_FUNCTION_LINES:
                    long[f"{where(path)}:{node.lineno} {node.name}"] = count
    assert long == {}
