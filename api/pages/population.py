"""Population figures (`ksk:Einwohnerangabe`, `…/id/einwohner/<kommune>/<n>`) named by what
they say, "etwa 353.000" / "about 353,000", wherever a page would otherwise show the node's
IRI: the statement table of a Kommune, the figure's own page and the index `/id/einwohner/`."""

from __future__ import annotations

import pyoxigraph as ox

from api.engine.store import QueryStore
from api.pages.linked_data import describe
from kskg.namespaces import ID, KSK

PREFIX = f"{ID}einwohner/"
WORDS = {"de": ("etwa", "."), "en": ("about", ",")}


def is_figure(iri: str | None) -> bool:
    return bool(iri) and iri.startswith(PREFIX)


def figure(store: QueryStore, iri: str) -> tuple[int, bool] | None:
    """(number, approximate) of the figure `iri`, None when it has no number."""
    number, approx = None, False
    for triple in describe(store, iri):
        if triple.subject != ox.NamedNode(iri):
            continue
        if triple.predicate.value == f"{KSK}anzahl":
            number = int(triple.object.value)
        elif triple.predicate.value == f"{KSK}ungefaehr":
            approx = triple.object.value == "true"
    return None if number is None else (number, approx)


def text(number: int, approx: bool, lang: str) -> str:
    """353000, True → "etwa 353.000" (de) / "about 353,000" (en)."""
    about, separator = WORDS.get(lang, WORDS["de"])
    shown = f"{number:,}".replace(",", separator)
    return f"{about} {shown}" if approx else shown


def label(store: QueryStore, iri: str, lang: str) -> str | None:
    """The text of the figure `iri` in `lang`, None when it has no number."""
    found = figure(store, iri)
    return None if found is None else text(*found, lang)


def name_figures(context: dict, store: QueryStore, lang: str) -> None:
    """Give the figures among the values of a resource page (`linked_data.page_context`)
    their number as label, and a figure's own page its number as title."""
    for row in context.get("outgoing", []):
        value = row["value"]
        if is_figure(value.get("iri")) and not value.get("label"):
            value["label"] = label(store, value["iri"], lang)
    if is_figure(context.get("iri")):
        context["title"] = label(store, context["iri"], lang) or context["title"]
        context["title_en"] = None
