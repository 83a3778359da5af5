"""Load everything under ``data/`` and ``ontology/`` into one rdflib Dataset (no validation,
no files written). This is the interface `loaders.build` builds on (docs/DESIGN.md).

Named graphs: ``ontology``, ``themenfelder``, ``sektoren`` (and ``<stem>`` for any other
ontology/*.ttl), ``referenz/kommunen``, ``referenz/bundeslaender``, ``referenz/projekt`` and
``dokument/<stem>`` per file in ``data/sources/``. A document's kind is detected from its
content: a profile sheet starts with its role line, a press release names the project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from kskg.namespaces import bind_prefixes
from loaders import iris
from loaders.classify import Thesaurus
from loaders.diagnostics import Diagnostic, SourceError, warning
from loaders.document_summary import DocumentSummary
from loaders.mapping_context import MappingContext
from loaders.names import BundeslaenderIndex, KommunenIndex
from loaders.press_release import map_press_release
from loaders.press_release_parser import is_press_release, parse_press_release
from loaders.profile_mapping import map_profile
from loaders.profile_parser import is_profile, parse_profile
from loaders.provenance import add_quelldokument
from loaders.reference import (
    aliases_graph,
    bundeslaender_graph,
    classify_organisations,
    kommunen_graph,
    projekt_graph,
)
from loaders.reference_data import (
    AliasRow,
    KommuneRow,
    read_aliases,
    read_bundeslaender,
    read_kommunen,
)
from loaders.text_normalise import read_source

#: ontology/<stem>.ttl -> graph/<name>; any other stem keeps its name.
ONTOLOGY_GRAPHS = {
    "kinderschutz": "ontology",
    "themenfelder": "themenfelder",
    "sektoren": "sektoren",
}

__all__ = ["DocumentSummary", "LoadResult", "load_context", "load_document", "load_sources"]


@dataclass
class LoadResult:
    dataset: Dataset
    diagnostics: list[Diagnostic]
    summaries: list[DocumentSummary]


def load_sources(data_dir: Path, ontology_dir: Path) -> LoadResult:
    """Parse and map every input; raises `SourceError` (path:line) on input it cannot read."""
    dataset = Dataset()
    bind_prefixes(dataset.namespace_manager)
    diagnostics = _load_ontology(dataset, ontology_dir, data_dir)
    ctx = _load_reference(dataset, data_dir)
    summaries = []
    for path in sorted(
        p for p in (data_dir / "sources").iterdir() if p.is_file() and not p.name.startswith(".")
    ):
        found, summary = load_document(dataset, path, _display(path, data_dir), ctx)
        diagnostics.extend(found)
        summaries.append(summary)
    return LoadResult(dataset, sorted(diagnostics), summaries)


def load_context(data_dir: Path, ontology_dir: Path) -> tuple[Dataset, MappingContext]:
    """The ontology and reference data alone, for mapping single documents (`load_document`)."""
    dataset = Dataset()
    bind_prefixes(dataset.namespace_manager)
    _load_ontology(dataset, ontology_dir, data_dir)
    return dataset, _load_reference(dataset, data_dir)


def _display(path: Path, data_dir: Path) -> str:
    """The path as users see it in messages: relative to the project, e.g. data/sources/x.txt."""
    try:
        return path.resolve().relative_to(data_dir.resolve().parent).as_posix()
    except ValueError:
        return str(path)


def _read_text(path: Path, display: str) -> tuple[bytes, str]:
    if not path.is_file():
        raise SourceError(display, 0, "file not found")
    data = path.read_bytes()
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(display, data[: error.start].count(b"\n") + 1, "not UTF-8 text") from None


def _load_ontology(dataset: Dataset, ontology_dir: Path, data_dir: Path) -> list[Diagnostic]:
    for path in sorted(ontology_dir.glob("*.ttl")):
        display = _display(path, data_dir)
        _, text = _read_text(path, display)
        graph = dataset.graph(iris.graph(ONTOLOGY_GRAPHS.get(path.stem, path.stem)))
        try:
            graph.parse(data=text, format="turtle")
        except Exception as error:  # rdflib raises several parser exception types
            line = re.search(r"line (\d+)", str(error))
            raise SourceError(
                display, int(line.group(1)) if line else 0, f"not valid Turtle: {error}"
            ) from None
    return [
        warning(
            _display(ontology_dir / f"{stem}.ttl", data_dir),
            0,
            "thesaurus missing: no classification by it",
        )
        for stem in ("themenfelder", "sektoren")
        if not (ontology_dir / f"{stem}.ttl").is_file()
    ]


def _load_reference(dataset: Dataset, data_dir: Path) -> MappingContext:
    reference = data_dir / "reference"
    paths = {
        name: reference / name
        for name in ("bundeslaender.csv", "kommunen.csv", "projekt.ttl", "projekt.md")
    }
    shown = {name: _display(path, data_dir) for name, path in paths.items()}
    read = {name: _read_text(path, shown[name]) for name, path in paths.items()}
    laender = read_bundeslaender(shown["bundeslaender.csv"], read["bundeslaender.csv"][1])
    kommunen = read_kommunen(
        shown["kommunen.csv"], read["kommunen.csv"][1], {row.iso for row in laender}
    )
    bundeslaender_graph(
        dataset.graph(iris.graph("referenz/bundeslaender")),
        laender,
        shown["bundeslaender.csv"],
        read["bundeslaender.csv"][0],
    )
    kommunen_graph(
        dataset.graph(iris.graph("referenz/kommunen")),
        kommunen,
        shown["kommunen.csv"],
        read["kommunen.csv"][0],
    )
    aliases = _read_aliases(
        reference / "aliases.csv",
        data_dir,
        kommunen,
        dataset.graph(iris.graph("referenz/kommunen")),
    )
    projekt = dataset.graph(iris.graph("referenz/projekt"))
    projekt_graph(
        projekt,
        read["projekt.ttl"][1],
        shown["projekt.ttl"],
        shown["projekt.md"],
        read["projekt.md"][0],
    )
    sektoren = Thesaurus(dataset.graph(iris.graph("sektoren")))
    classify_organisations(projekt, sektoren)
    return MappingContext(
        kommunen=KommunenIndex(kommunen, aliases),
        bundeslaender=BundeslaenderIndex(laender),
        kommunen_path=shown["kommunen.csv"],
        aliases_path=_display(reference / "aliases.csv", data_dir),
        themenfelder=Thesaurus(dataset.graph(iris.graph("themenfelder"))),
        sektoren=sektoren,
        projekt=projekt,
        projekt_path=shown["projekt.ttl"],
    )


def _read_aliases(
    path: Path, data_dir: Path, kommunen: list[KommuneRow], graph: Graph
) -> list[AliasRow]:
    """aliases.csv if there is one (a data folder without it simply has no aliases), added to
    the graph of kommunen.csv."""
    if not path.is_file():
        return []
    display = _display(path, data_dir)
    data, text = _read_text(path, display)
    aliases = read_aliases(display, text, kommunen)
    aliases_graph(graph, aliases, display, data)
    return aliases


def load_document(
    dataset: Dataset, path: Path, display: str, ctx: MappingContext
) -> tuple[list[Diagnostic], DocumentSummary]:
    """Map one file into its graph ``dokument/<stem>`` of ``dataset``; ``display`` is its path
    in messages. Raises `SourceError` when it is neither a profile sheet nor a press release."""
    data, text = _read_text(path, display)
    lines = read_source(display, text).lines
    graph: Graph = dataset.graph(iris.graph(f"dokument/{path.stem}"))
    if is_profile(lines):
        add_quelldokument(graph, path.stem, path.name, data, "Profil")
        doc = parse_profile(display, text, ctx.is_kommune)
        return map_profile(doc, path.stem, graph, ctx)
    if is_press_release(lines):
        add_quelldokument(graph, path.stem, path.name, data, "Pressemitteilung")
        return map_press_release(parse_press_release(display, text), path.stem, graph, ctx)
    first = next((n for n, line in enumerate(lines, 1) if line.strip()), None)
    if first is None:
        raise SourceError(display, 1, "empty file: expected a profile sheet or a press release")
    raise SourceError(
        display,
        first,
        "neither a profile sheet (role line PARTNERKOMMUNE or MODELLKOMMUNE first, after at "
        "most a few stray lines) "
        'nor a press release about the project (Projekt "Aus Fehlern lernen …")',
    )
