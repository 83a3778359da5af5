"""Index pages `/id/<kind>/`: every kind of resource listed, with the filters of its curated route.

A kind with a curated list route (Kommunen, Maßnahmen, Organisationen, Cluster, Bundesländer)
shows that route's records and offers its filter parameters (the choices come from the release,
api/curated/known.py); the others list their instances (api/engine/rq/index_instances.rq).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from api.engine.own_queries import rq
from api.engine.store import QueryStore
from api.engine.values_binding import bind_values
from api.pages import population
from api.pages.i18n import pick
from kskg.namespaces import ID, PREFIXES


@dataclass(frozen=True)
class Column:
    field: str  # record field shown
    header: str  # page word (api/pages/i18n.py)
    link: str | None = None  # record field holding the page path to link to
    word: bool = False  # the value is an ontology local name, shown as a page word


@dataclass(frozen=True)
class Kind:
    """One kind of resource: its IRI segment, its names, and where its list comes from."""

    name: str
    title: tuple[str, str]
    cls: str
    curated: str | None = None
    columns: tuple[Column, ...] = ()


_NAME = Column("name", "name", "kommune_page")
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("kommune", ("Kommunen", "Local authorities"), "ksk:Kommune", "kommunen",
             (_NAME, Column("bundesland_name", "bundesland", "bundesland_page"),
              Column("cluster_label", "cluster", "cluster_page"),
              Column("rolle", "role", word=True))),
        Kind("massnahme", ("Maßnahmen", "Measures"), "ksk:Massnahme", "massnahmen",
             (Column("text", "text", "massnahme_page"),
              Column("kommune_name", "kommune", "kommune_page"),
              Column("status", "status", word=True),
              Column("ebene", "ebene", word=True), Column("themenfelder", "themenfelder"))),
        Kind("organisation", ("Organisationen", "Organisations"), "ksk:Organisation",
             "organisationen",
             (Column("name", "name", "organisation_page"),
              Column("sektor_label", "sektor", "sektor_page"),
              Column("kommune_name", "kommune", "kommune_page"))),
        Kind("cluster", ("Kinderschutzcluster", "Child protection clusters"), "ksk:Cluster",
             "cluster",
             (Column("label", "cluster", "cluster_page"),
              Column("modellkommune_name", "modellkommune", "modellkommune_page"),
              Column("kommune_name", "kommune", "kommune_page"),
              Column("rolle", "role", word=True))),
        Kind("bundesland", ("Bundesländer", "Federal states"), "ksk:Bundesland", "bundeslaender",
             (Column("name", "bundesland", "bundesland_page"),
              Column("kommunen", "kommunen"), Column("modellkommunen", "modellkommune"))),
        Kind("thema", ("Themen", "Topics"), "ksk:Thema"),
        Kind("besonderheit", ("Besonderheiten", "Special features"), "ksk:Besonderheit"),
        Kind("dokument", ("Quelldokumente", "Source documents"), "ksk:Quelldokument"),
        Kind("befund", ("Befunde des Projekts", "Findings of the project"), "ksk:Befund"),
        Kind("ereignis", ("Ereignisse", "Events"), "ksk:Ereignis"),
        Kind("einwohner", ("Einwohnerangaben", "Population figures"), "ksk:Einwohnerangabe"),
        Kind("erwaehnung", ("Erwähnungen", "Mentions"), "ksk:Erwaehnung"),
        Kind("projekt", ("Projekte", "Projects"), "ksk:Projekt"),
        Kind("themenfeld", ("Themenfelder", "Topic areas"), "skos:Concept"),
        Kind("sektor", ("Sektoren", "Sectors"), "skos:Concept"),
        Kind("thesaurus", ("Thesauri", "Thesauri"), "skos:ConceptScheme"),
        Kind("validierung", ("Prüfergebnisse (SHACL)", "Validation results (SHACL)"),
             "sh:ValidationResult"),
    )
}  # fmt: skip


def class_iri(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


def instances(store: QueryStore, kind: Kind, root: str, lang: str) -> list[dict]:
    """The instances of a kind without a curated route, as {label, href, iri}."""
    bound = {
        "_class": ox.NamedNode(class_iri(kind.cls)),
        "_prefix": ox.Literal(f"{ID}{kind.name}/"),
    }
    solutions = store.query(bind_values(rq("index_instances"), bound))
    items = []
    for row in solutions:
        iri = row["item"].value
        de, en = (row[n].value if row[n] is not None else None for n in ("label_de", "label_en"))
        local = iri[len(str(ID)) :]
        # A population figure has no label: it is named by its number.
        figure = population.label(store, iri, lang) if population.is_figure(iri) else None
        label = pick(de, en, lang) or figure or local
        items.append({"label": label, "href": root + "id/" + local, "iri": iri})
    return items


def table(kind: Kind, records: list[dict], t=str) -> list[list[dict]]:
    """The cells of the curated records as {text, href}, in the kind's column order; `t`
    names the ontology's local names (status, Ebene, Rolle) in the page's language."""
    rows = []
    for record in records:
        cells = []
        for column in kind.columns:
            value = record.get(column.field)
            text = "; ".join(value) if isinstance(value, list) else value
            if column.word and text:
                text = t(text)
            cells.append({"text": "" if text is None else text, "href": record.get(column.link)})
        rows.append(cells)
    return rows


def name_tree(tree: list[dict], store: QueryStore, root: str, lang: str) -> None:
    """Name the concepts of a thesaurus tree (api/pages/linked_data.py `_tree`, German labels)
    in `lang`, from the labels of their kinds (`themenfeld`, `sektor`): one query per kind."""
    kinds = {node["iri"][len(str(ID)) :].split("/", 1)[0] for node in _walk(tree)}
    labels = {
        item["iri"]: item["label"]
        for kind in sorted(kinds & KINDS.keys())
        for item in instances(store, KINDS[kind], root, lang)
    }
    for node in _walk(tree):
        node["label"] = labels.get(node["iri"], node.get("label"))


def _walk(tree: list[dict]):
    for node in tree:
        yield node
        yield from _walk(node.get("children", []))
