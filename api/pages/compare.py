"""The comparison page (/vergleich): Kommunen or clusters side by side, by Themenfeld and status.

For each chosen unit (a Kommune, or a cluster = all its member Kommunen) its Themen and
Maßnahmen are counted per Themenfeld and kind (api/engine/rq/compare_counts.rq); the page shows
one row per Themenfeld that any unit has, one column per unit, each cell
Themen · umgesetzte · geplante Maßnahmen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from api.engine.own_queries import rq
from api.engine.store import QueryStore
from api.engine.values_binding import bind_values
from api.pages.i18n import pick

ARTEN = ("thema", "umgesetzt", "geplant")


@dataclass
class Unit:
    """One compared Kommune or cluster."""

    iri: str
    label: str
    href: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # themenfeld -> art -> n

    def total(self, art: str) -> int:
        return sum(c.get(art, 0) for c in self.counts.values())


def count(store: QueryStore, unit: Unit, lang: str, labels: dict[str, str]) -> None:
    """Fill `unit.counts`; the Themenfeld labels in `lang` are collected into `labels`."""
    solutions = store.query(bind_values(rq("compare_counts"), {"_iri": ox.NamedNode(unit.iri)}))
    for row in solutions:
        feld = row["themenfeld"].value
        de, en = (row[n].value if row[n] is not None else None for n in ("label_de", "label_en"))
        labels[feld] = pick(de, en, lang) or feld
        unit.counts.setdefault(feld, {})[row["art"].value] = int(row["anzahl"].value)


def comparison(store: QueryStore, units: list[Unit], root: str, lang: str) -> dict:
    """The rows of the comparison table: [(Themenfeld label, href, [cell per unit])]."""
    labels: dict[str, str] = {}
    for unit in units:
        count(store, unit, lang, labels)
    biggest = max((sum(u.counts.get(f, {}).values()) for u in units for f in labels), default=0)
    rows = []
    for feld in sorted(labels, key=lambda f: labels[f].lower()):
        cells = [
            {art: unit.counts.get(feld, {}).get(art, 0) for art in ARTEN}
            | {"sum": sum(unit.counts.get(feld, {}).values())}
            for unit in units
        ]
        rows.append({"label": labels[feld], "href": _page(feld, root), "cells": cells})
    totals = [{art: unit.total(art) for art in ARTEN} for unit in units]
    return {"rows": rows, "totals": totals, "biggest": biggest or 1}


def _page(iri: str, root: str) -> str:
    return root + "id/" + iri.split("/id/", 1)[-1]
