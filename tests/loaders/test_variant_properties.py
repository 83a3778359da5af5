"""Property tests on the four real profile sheets (Hypothesis; examples kept few for speed).

* Random combinations of layout transformations (tests/loaders/variants.py) leave the
  extraction unchanged: the document graph is the same modulo Fundstelle line numbers (the
  combination may insert lines), and so are the warnings.
* Random corruptions never raise anything but a `SourceError` with file:line, never attribute an
  item to a section it did not stand under, and never make a Kommune out of body text:
  - a heading misspelt (one edit): the same graph, with a warning at that line unless the
    misspelling is itself a known form ("Partnerkommune:" for "Partnerkommunen:");
  - a heading replaced by one that is none of ours: a warning at that line; every item still
    mapped stands in the original under the same heading (and Ebene/Status);
  - a heading deleted (its line left blank, so lines keep their numbers): every item text is
    one of the original's; no new Kommune;
  - content sections shuffled: the same graph modulo Fundstelle lines;
  - the file cut short inside the body: every item is the original's item of the same section
    or a prefix of it; no new Kommune.
"""

from __future__ import annotations

import random
import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF
from rdflib.compare import isomorphic

from kskg.vocab import KSK
from loaders.diagnostics import Severity, SourceError
from loaders.headings import lookup_heading
from loaders.profile_document import UNKNOWN, ProfileDocument
from loaders.profile_parser import parse_profile
from loaders.sources import load_context
from tests.loaders import variants
from tests.loaders.conftest import DATA, ONTOLOGY
from tests.loaders.test_variants import PROFILES

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NAMES = sorted(variants.TRANSFORMATIONS)


@cache
def context() -> tuple:
    return load_context(DATA, ONTOLOGY)


@cache
def original(stem: str) -> tuple:
    text = (DATA / "sources" / f"{stem}.txt").read_text(encoding="utf-8")
    graph, diagnostics = _graph(stem, text)
    return text, graph, diagnostics, _parse(stem, text)


def _graph(stem: str, text: str) -> tuple:
    with tempfile.TemporaryDirectory() as tmp:
        return variants.document_graph(Path(tmp), f"{stem}.txt", text, context())


def _parse(stem: str, text: str) -> ProfileDocument:
    kommunen = context()[1]
    return parse_profile(f"data/sources/{stem}.txt", text, kommunen.is_kommune)


def _kommunen(graph) -> set:
    return set(graph.subjects(RDF.type, KSK.Kommune))


def _items(doc: ProfileDocument) -> set[tuple]:
    """(section, Ebene, Status, text) of every mapped item and sub-item."""
    found = set()
    for section in doc.sections:
        if section.key == UNKNOWN:
            continue
        blocks = [(None, None, section.items)]
        blocks += [(g.ebene, g.status, g.items) for g in section.groups]
        for ebene, status, items in blocks:
            for item in items:
                for one in (item, *item.children):
                    found.add((section.key, ebene, status, one.text))
    return found


def _warnings(diagnostics: list) -> list[str]:
    return sorted(d.message for d in diagnostics if d.severity is Severity.WARNING)


@st.composite
def combinations(draw: st.DrawFn) -> list[str]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=6, unique=True))
    if "cr" in names and "crlf" in names:  # both rewrite line ends: only one can apply
        names.remove("cr")
    return names


@SETTINGS
@given(stem=st.sampled_from(PROFILES), names=combinations())
def test_layout_combinations_leave_the_extraction_unchanged(stem: str, names: list[str]) -> None:
    text, expected, diagnostics, _ = original(stem)
    actual, found = _graph(stem, variants.transform(text, names))
    assert isomorphic(variants.modulo_fundstellen(actual), variants.modulo_fundstellen(expected))
    assert _warnings(found) == _warnings(diagnostics)


@st.composite
def misspelt_heading(draw: st.DrawFn, stem: str) -> tuple[int, str]:
    lines = original(stem)[0].split("\n")
    index = draw(st.sampled_from(variants.heading_lines(original(stem)[0])))
    heading = lines[index].rstrip(":")
    at = draw(st.integers(1, len(heading) - 1))
    letter = draw(st.sampled_from("aeinrstu"))
    edit = draw(st.sampled_from(["delete", "insert", "replace", "swap"]))
    typo = {
        "delete": heading[:at] + heading[at + 1 :],
        "insert": heading[:at] + letter + heading[at:],
        "replace": heading[:at] + letter + heading[at + 1 :],
        "swap": heading[: at - 1] + heading[at] + heading[at - 1] + heading[at + 1 :],
    }[edit]
    return index, typo + (":" if lines[index].endswith(":") else "")


@SETTINGS
@given(data=st.data(), stem=st.sampled_from(PROFILES))
def test_misspelt_heading_is_read_with_a_warning(data: st.DataObject, stem: str) -> None:
    text, expected, _, _ = original(stem)
    index, typo = data.draw(misspelt_heading(stem))
    lines = text.split("\n")
    lines[index] = typo
    actual, diagnostics = _graph(stem, "\n".join(lines))
    match = lookup_heading(typo)
    assert match is not None, typo
    assert isomorphic(variants.without_verbatim(actual), variants.without_verbatim(expected))
    near = [d for d in diagnostics if d.line == index + 1 and "near miss" in d.message]
    assert match.exact or (near and typo.strip() in near[0].message), diagnostics


@SETTINGS
@given(
    stem=st.sampled_from(PROFILES),
    pick=st.integers(0, 100),
    unknown=st.sampled_from(variants.UNKNOWN_HEADINGS),
)
def test_unknown_heading_keeps_its_body_apart(stem: str, pick: int, unknown: str) -> None:
    text, expected, _, doc = original(stem)
    headings = variants.heading_lines(text)
    index = headings[pick % len(headings)]
    lines = text.split("\n")
    lines[index] = unknown
    actual, diagnostics = _graph(stem, "\n".join(lines))
    assert any(
        d.line == index + 1 and d.severity is Severity.WARNING and unknown in d.message
        for d in diagnostics
    ), diagnostics
    assert _items(_parse(stem, "\n".join(lines))) <= _items(doc)
    assert _kommunen(actual) <= _kommunen(expected)


@SETTINGS
@given(stem=st.sampled_from(PROFILES), pick=st.integers(0, 100))
def test_deleted_heading_adds_no_text_and_no_kommune(stem: str, pick: int) -> None:
    text, expected, _, doc = original(stem)
    headings = variants.heading_lines(text)
    lines = text.split("\n")
    lines[headings[pick % len(headings)]] = ""
    actual, _ = _graph(stem, "\n".join(lines))
    texts = {item[3] for item in _items(doc)}
    assert {item[3] for item in _items(_parse(stem, "\n".join(lines)))} <= texts
    assert _kommunen(actual) <= _kommunen(expected)


@SETTINGS
@given(stem=st.sampled_from(PROFILES), seed=st.integers(0, 2**16))
def test_shuffled_sections_give_the_same_graph(stem: str, seed: int) -> None:
    text, expected, _, _ = original(stem)
    head, sections = variants.top_sections(text.split("\n"))
    random.Random(seed).shuffle(sections)
    body = [line for section in sections for line in (*section, "")]
    actual, _ = _graph(stem, "\n".join([*head, *body]))
    assert isomorphic(variants.modulo_fundstellen(actual), variants.modulo_fundstellen(expected))


@SETTINGS
@given(stem=st.sampled_from(PROFILES), where=st.floats(0, 1, exclude_max=True))
def test_file_cut_short_keeps_what_it_has(stem: str, where: float) -> None:
    text, expected, _, doc = original(stem)
    body_start = text.index("\nAltersstruktur")
    cut = text[: body_start + int((len(text) - body_start) * where)]
    try:
        actual, _ = _graph(stem, cut)
    except SourceError as error:  # a clear error with file:line is allowed, a traceback not
        assert error.line > 0
        return
    whole = _items(doc)
    for key, ebene, status, item_text in _items(_parse(stem, cut)):
        assert any(
            (key, ebene, status) == other[:3] and other[3].startswith(item_text) for other in whole
        ), (key, item_text)
    assert _kommunen(actual) <= _kommunen(expected)
