"""Layout variants of the four real profile sheets give the same graph (tests/loaders/variants.py).

Each transformation makes a copy the way a web page, PDF or word-processor export would (BOM,
CRLF, page breaks with running headers and footers, other bullet glyphs, numbered and lettered
items, headings in other case, without colon, hyphenated or as synonyms, tabs, no-break and
zero-width spaces, soft hyphens, …). The copy is mapped as a file of the same name, so every IRI
is minted the same way, and its document graph is compared with the original's by isomorphism:

* transformations that keep every line where an editor shows it must give the *same* graph,
  Fundstellen and their line numbers included; only ``ksk:zitat`` (the verbatim lines, which do
  differ) and the file's ``ksk:sha256`` are left out;
* transformations that insert lines (furniture, stray lines, one participant per line, …)
  shift line numbers by design, so there each node keeps how many Fundstellen it is derived
  from but not which lines (`variants.modulo_fundstellen`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from loaders.diagnostics import Severity
from loaders.sources import load_context
from tests.loaders import variants
from tests.loaders.conftest import DATA, ONTOLOGY

PROFILES = ("000_6d25c97e395e9f6f", "001_9215b3bf5b9d1eba", "002_6f9c2774c3dd4b28")
PROFILES += ("004_1ad5341d1f9797a2",)


def _cases(transformations: tuple) -> list:
    """(stem, name) for every transformation that changes the sheet (001 has no participants)."""
    texts = {
        stem: (DATA / "sources" / f"{stem}.txt").read_text(encoding="utf-8") for stem in PROFILES
    }
    return [
        (stem, t.name)
        for t in transformations
        for stem in PROFILES
        if variants.transform(texts[stem], [t.name]) != texts[stem]
    ]


@pytest.fixture(scope="module")
def context() -> tuple:
    return load_context(DATA, ONTOLOGY)


@pytest.fixture(scope="module")
def originals(context: tuple, tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("originals")
    result = {}
    for stem in PROFILES:
        text = (DATA / "sources" / f"{stem}.txt").read_text(encoding="utf-8")
        result[stem] = (text, *variants.document_graph(tmp, f"{stem}.txt", text, context))
    return result


def assert_same(actual, expected, what: str) -> None:
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail(
            f"{what}: graph differs\nonly in the variant:\n{only_actual.serialize(format='nt')}\n"
            f"only in the original:\n{only_expected.serialize(format='nt')}"
        )


@pytest.mark.parametrize(("stem", "name"), _cases(variants.LINE_KEEPING))
def test_line_keeping_variant_gives_the_same_graph(
    stem: str, name: str, context: tuple, originals: dict, tmp_path: Path
) -> None:
    text, expected, _ = originals[stem]
    variant = variants.transform(text, [name])
    actual, diagnostics = variants.document_graph(tmp_path, f"{stem}.txt", variant, context)
    assert_same(
        variants.without_verbatim(actual), variants.without_verbatim(expected), f"{stem} {name}"
    )
    warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
    assert warnings == [d for d in originals[stem][2] if d.severity is Severity.WARNING]


@pytest.mark.parametrize(("stem", "name"), _cases(variants.LINE_SHIFTING))
def test_line_shifting_variant_gives_the_same_graph_modulo_fundstellen(
    stem: str, name: str, context: tuple, originals: dict, tmp_path: Path
) -> None:
    text, expected, _ = originals[stem]
    variant = variants.transform(text, [name])
    actual, _ = variants.document_graph(tmp_path, f"{stem}.txt", variant, context)
    assert_same(
        variants.modulo_fundstellen(actual),
        variants.modulo_fundstellen(expected),
        f"{stem} {name}",
    )


def test_page_furniture_is_reported_as_info_with_its_line(
    context: tuple, originals: dict, tmp_path: Path
) -> None:
    text = originals[PROFILES[0]][0]
    variant = variants.transform(text, ["page-breaks", "stray-lines"])
    _, diagnostics = variants.document_graph(tmp_path, f"{PROFILES[0]}.txt", variant, context)
    lines = variant.split("\n")
    dropped = {d.line for d in diagnostics if "dropped" in d.message}
    assert all(d.severity is Severity.INFO for d in diagnostics if "dropped" in d.message)
    furniture = {
        n
        for n, line in enumerate(lines, 1)
        if line.strip(" \f") in (variants.RUNNING_HEADER, "- 1 -", "- 3 -", "- 5 -", "- 7 -")
    }
    assert furniture and furniture <= dropped
    assert {1, 2, 3} <= dropped  # the stray lines before the role line
