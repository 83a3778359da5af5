"""The import layers of docs/DESIGN.md, read from the source with `ast` (every import statement,
those inside functions included):

- api/engine, the query engine, imports no web framework and nothing of the layers above it;
- `loaders` and `api` do not import each other (kskg/cli.py wires them);
- only api/routes and the app import a router;
- the package table of docs/DESIGN.md names exactly the third-party packages each package
  imports, and where `kskg` may import `api` or `loaders`;
- within `api`, a module imports only its own layer and the layers below it:
  app > routes > pages > curated > http > sparql > engine > (media, errors).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from kskg.settings import PROJECT_ROOT

WEB_FRAMEWORKS = ("fastapi", "starlette", "jinja2", "uvicorn")

#: Layers of `api`, highest first; a module name belongs to the longest prefix listed.
LAYERS = [
    ("api.app", "api.release_watch", "api.serving"),
    ("api.routes",),
    ("api.pages",),
    ("api.curated",),
    ("api.http",),
    ("api.sparql",),
    ("api.engine",),
    ("api.media", "api.errors"),
]

#: Imports that break the layer order today, each as (module, imported) with a comment giving
#: the reason it is tolerated. None at present.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path: Path) -> set[str]:
    """Every module (or `module.name`) `path` imports, relative imports resolved."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def modules(*packages: str) -> dict[str, set[str]]:
    """Module name -> imported names, for every module of `packages`."""
    found = {}
    for package in packages:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            found[module_name(path)] = imported_names(path)
    return found


def within(name: str, *prefixes: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def layer(name: str) -> int | None:
    """Index in LAYERS (0 = highest) of the longest matching prefix, None outside them."""
    matches = [
        (len(prefix), index)
        for index, prefixes in enumerate(LAYERS)
        for prefix in prefixes
        if within(name, prefix)
    ]
    return max(matches)[1] if matches else None


API = modules("api")
LOADERS = modules("loaders")


def test_the_scanned_packages_are_found() -> None:
    assert "api.engine.pool" in API and "api.routes.sparql" in API and "loaders.build" in LOADERS
    assert "api.errors.ApiError" in API["api.routes.sparql"]


def test_the_engine_imports_no_web_framework_and_no_higher_layer() -> None:
    forbidden = (*WEB_FRAMEWORKS, "api.http", "api.sparql", "api.pages", "api.curated")
    forbidden += ("api.routes", "api.app", "api.release_watch")
    found = {
        (module, name)
        for module, names in API.items()
        if within(module, "api.engine")
        for name in names
        if within(name, *forbidden)
    }
    assert found == set()


def test_loaders_and_api_do_not_import_each_other() -> None:
    found = {(m, n) for m, names in LOADERS.items() for n in names if within(n, "api")}
    found |= {(m, n) for m, names in API.items() for n in names if within(n, "loaders")}
    assert found == set()


def test_only_the_routes_and_the_app_import_a_router() -> None:
    everything = API | LOADERS | modules("kskg")
    found = {
        (module, name)
        for module, names in everything.items()
        if not within(module, "api.routes", "api.app")
        for name in names
        if within(name, "api.routes") and name != "api.routes"
    }
    assert found == set()


def layer_violations() -> set[tuple[str, str]]:
    found = set()
    for module, names in API.items():
        own = layer(module)
        for name in names:
            imported = layer(name)
            if own is not None and imported is not None and imported < own:
                found.add((module, _module_of(name)))
    return found


def _module_of(name: str) -> str:
    """The imported module: `name` without a trailing attribute (api.errors.ApiError)."""
    while name and name not in API:
        name = name.rpartition(".")[0]
    return name


def test_api_modules_import_only_their_own_layer_and_those_below() -> None:
    assert layer_violations() == KNOWN_VIOLATIONS


def test_each_tolerated_violation_is_still_there() -> None:
    """A fixed violation must leave the allow-list (so it cannot come back unnoticed)."""
    gone = {(m, i) for m, i in KNOWN_VIOLATIONS if i not in {_module_of(n) for n in API[m]}}
    assert gone == set()


#: Rows of the package table in docs/DESIGN.md naming third-party packages, and their modules.
DESIGN_ROWS = {"`kskg/`": "kskg", "`loaders/`": "loaders", "`api/`": "api"}
OURS = ("api", "kskg", "loaders", "tests", "bench")


def design_row(first_cell: str) -> str:
    text = (PROJECT_ROOT / "docs" / "DESIGN.md").read_text("utf-8")
    (row,) = [line for line in text.splitlines() if line.startswith(f"| {first_cell} |")]
    return row.split(" | ")[2]


def third_party(prefix: str) -> dict[str, set[str]]:
    """Top-level third-party package -> the modules under `prefix` importing it."""
    found: dict[str, set[str]] = {}
    everything = API | LOADERS | modules("kskg")
    for module, names in everything.items():
        covered = within(module, prefix) and not (prefix == "kskg" and module == "kskg.cli")
        for name in names if covered else ():
            top = name.split(".")[0]
            if top not in sys.stdlib_module_names and top not in (*OURS, "__future__"):
                found.setdefault(top, set()).add(module)
    return found


def test_the_design_table_names_exactly_the_packages_imported() -> None:
    for cell, prefix in DESIGN_ROWS.items():
        named = set(re.findall(r"`([a-z_0-9]+)`", design_row(cell))) - {"kskg", "loaders", "api"}
        assert set(third_party(prefix)) == named, cell


def test_kskg_imports_api_and_loaders_only_where_the_design_table_says() -> None:
    found = {
        (module, name)
        for module, names in modules("kskg").items()
        for name in names
        if within(name, "api", "loaders")
    }
    allowed_outside_cli = {("kskg.store_publish", "api.engine.values_binding.bind_values")}
    assert {pair for pair in found if pair[0] != "kskg.cli"} == allowed_outside_cli
    assert "`api.engine.values_binding`" in design_row("`kskg/`")


def test_the_cli_imports_api_and_loaders_only_inside_its_subcommands() -> None:
    tree = ast.parse((PROJECT_ROOT / "kskg" / "cli.py").read_text("utf-8"))
    top_level = {
        node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module is not None
    }
    assert not {m for m in top_level if within(m, "api", "loaders")}
    assert third_party("kskg.cli") == {}
    imported = {
        name.rpartition(".")[0].split(".", 1)[1]
        for name in modules("kskg")["kskg.cli"]
        if within(name, "api", "loaders")
    }
    named = set(re.findall(r"`([a-z_.]+)`", design_row("`kskg/cli.py`"))) - {"api", "loaders"}
    assert imported == named
