"""What a person asks first about a Kommune, cluster, Maßnahme, Organisation, Bundesland or
document: the context of the top of its page (templates/_profile_*.html), above the generic
statement table.

The Kommune page reads like its profile sheet: a summary, then the sections of the sheet in its
order (Qualitätsentwicklungsinteressen, Teilnehmende by Sektor, Zentrale Themen, Ergebnisse by
status and Ebene, Besonderheiten), each item with its Themenfeld and its source line.
"""

from __future__ import annotations

from collections.abc import Callable

from api.engine.store import QueryStore
from api.pages.i18n import pick
from api.pages.profile_rows import first, rows
from kskg.namespaces import ID, KSK

_ID = str(ID)
MODELL = str(KSK) + "Modellkommune"
#: The sections of a profile sheet, in the sheet's order.
SECTIONS = ("interesse", "teilnehmende", "zentral", "ergebnis", "besonderheit")
SECTION_WORDS = {
    "interesse": "interessen",
    "teilnehmende": "teilnehmende",
    "zentral": "zentrale_themen",
    "ergebnis": "ergebnisse",
    "besonderheit": "besonderheiten",
}


class Links:
    """Local page paths of our IRIs, under the site root."""

    def __init__(self, root: str) -> None:
        self.root = root

    def page(self, iri: str | None) -> str | None:
        if not iri or not iri.startswith(_ID):
            return None
        return self.root + "id/" + iri[len(_ID) :]

    def source(self, dokument: str | None, zeile: str | None) -> str | None:
        page = self.page(dokument)
        return f"{page}#L{zeile}" if page and zeile else page


def profile(store: QueryStore, iri: str, root: str, lang: str) -> dict | None:
    """The profile of `iri` by its kind (first path segment), or None for other kinds."""
    kind = iri[len(_ID) :].split("/", 1)[0] if iri.startswith(_ID) else ""
    build = BUILDERS.get(kind)
    if build is None:
        return None
    return build(store, iri, Links(root), lang)


def kommune(store: QueryStore, iri: str, links: Links, lang: str) -> dict:
    summary = first(store, "kommune", iri)
    related = rows(store, "related", iri)
    items = items_of(store, iri, links, lang)
    return {
        "kind": "kommune",
        "summary": _summary(summary, links, lang),
        "partners": [_authority(r, links) for r in related if r["relation"] == "partner"],
        "successors": [_authority(r, links) for r in related if r["relation"] == "nachfolger"],
        "predecessors": [_authority(r, links) for r in related if r["relation"] == "vorgaenger"],
        "sections": [(s, SECTION_WORDS[s], items.get(s, [])) for s in SECTIONS if items.get(s)],
        "teilnehmende": _by_concept(items.get("teilnehmende", []), lang),
        "ergebnisse": _by_status_and_ebene(items.get("ergebnis", [])),
    }


def _summary(row: dict, links: Links, lang: str) -> dict:
    population = row.get("einwohner")
    return {
        "art": row.get("art"),
        "ags": row.get("ags"),
        "rolle": pick(row.get("rolle_de"), row.get("rolle_en"), lang),
        "cluster": {
            "label": pick(row.get("cluster_de"), row.get("cluster_en"), lang),
            "href": links.page(row.get("cluster")),
        },
        "modellkommune": {
            "label": row.get("modellkommune_name"),
            "href": links.page(row.get("modellkommune")),
            "is_self": False,
        },
        "bundesland": {
            "label": pick(row.get("bundesland_de"), row.get("bundesland_en"), lang),
            "href": links.page(row.get("bundesland")),
        },
        "einwohner": int(population) if population else None,
        "ungefaehr": row.get("ungefaehr") == "true",
        "homepage": row.get("homepage"),
        "aufgeloest_am": _date(row.get("aufgeloest_am"), lang),
    }


def _date(value: str | None, lang: str) -> str | None:
    """2011-09-04 as 04.09.2011 on German pages; ISO on English ones."""
    if not value or lang != "de" or len(value) != 10:
        return value
    year, month, day = value.split("-")
    return f"{day}.{month}.{year}"


def _authority(row: dict, links: Links) -> dict:
    return {
        "label": row.get("name"),
        "href": links.page(row.get("other") or row.get("kommune")),
        "modell": row.get("rolle") == MODELL,
    }


def items_of(store: QueryStore, kommune_iri: str, links: Links, lang: str) -> dict[str, list]:
    """The items of a Kommune's profile by section, each with its concepts and sources."""
    merged: dict[str, dict] = {}
    for row in rows(store, "items", kommune_iri):
        item = merged.setdefault(row["item"], _item(row, links, lang))
        concept = row.get("concept")
        if concept and concept not in {c["iri"] for c in item["concepts"]}:
            label = pick(row.get("concept_de"), row.get("concept_en"), lang)
            item["concepts"].append({"iri": concept, "label": label, "href": links.page(concept)})
        source = _source(row, links)
        if source and source not in item["sources"]:
            item["sources"].append(source)
    sections: dict[str, list] = {}
    for item in merged.values():
        item["concepts"].sort(key=lambda c: c["label"] or "")
        sections.setdefault(item["section"], []).append(item)
    return sections


def _item(row: dict, links: Links, lang: str) -> dict:
    return {
        "iri": row["item"],
        "href": links.page(row["item"]),
        "section": row["section"],
        "position": int(row["position"]) if row.get("position") else None,
        "parent": row.get("parent"),
        "text": row.get("text") or row.get("label"),
        "label": row.get("label"),
        "anmerkung": row.get("anmerkung"),
        "status": row.get("status"),
        "status_label": pick(row.get("status_de"), row.get("status_en"), lang),
        "ebene": row.get("ebene"),
        "ebene_label": pick(row.get("ebene_de"), row.get("ebene_en"), lang),
        "concepts": [],
        "sources": [],
    }


def _source(row: dict, links: Links) -> dict | None:
    dokument = row.get("dokument")
    if not dokument:
        return None
    line, last = row.get("zeile"), row.get("bis_zeile")
    return {
        "document": dokument.rsplit("/", 1)[-1],
        "line": line,
        "last": last if last != line else None,
        "href": links.source(dokument, line),
    }


def _by_concept(items: list[dict], lang: str) -> list[tuple[str, list[dict]]]:
    """Organisations grouped by Sektor (one may be in two); those without one last."""
    groups: dict[str, list[dict]] = {}
    for item in items:
        for concept in item["concepts"] or [{"label": None}]:
            groups.setdefault(concept["label"] or "", []).append(item)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[0]))


def _by_status_and_ebene(items: list[dict]) -> list[tuple[str, str, list[dict]]]:
    """Maßnahmen grouped by (status, Ebene) as labelled: umgesetzt before geplant."""
    groups: dict[tuple, list[dict]] = {}
    for item in items:
        key = (item["status_label"] or "", item["ebene_label"] or "")
        groups.setdefault(key, []).append(item)
    order = {"umgesetzt": 0, "implemented": 0}
    return [
        (status, ebene, group)
        for (status, ebene), group in sorted(
            groups.items(), key=lambda kv: (order.get(kv[0][0], 1), kv[0])
        )
    ]


def part_of_profile(store: QueryStore, iri: str, links: Links, lang: str) -> dict:
    """A Maßnahme, Thema, Besonderheit or Organisation: its Kommune and the item as listed."""
    owner = first(store, "owner", iri)
    kommune_iri = owner.get("kommune")
    item = None
    if kommune_iri:
        listed = items_of(store, kommune_iri, links, lang)
        item = next((i for group in listed.values() for i in group if i["iri"] == iri), None)
    roles = [] if kommune_iri else rows(store, "project_roles", iri)
    return {
        "kind": "item",
        "kommune": {"label": owner.get("name"), "href": links.page(kommune_iri)},
        "project_roles": [
            {
                "rolle": pick(r.get("rolle_de"), r.get("rolle_en"), lang),
                "projekt": {"label": r.get("projekt_name"), "href": links.page(r.get("projekt"))},
            }
            for r in roles
        ],
        "item": item,
        "section_word": SECTION_WORDS.get(item["section"]) if item else None,
    }


def cluster(store: QueryStore, iri: str, links: Links, lang: str) -> dict:
    members = rows(store, "cluster", iri)
    shown = []
    for row in members:
        entry = _authority(row, links)
        entry["bundesland"] = pick(row.get("bundesland_de"), row.get("bundesland_en"), lang)
        entry["modell"] = entry["modell"] or row.get("modell") == row.get("kommune")
        shown.append(entry)
    shown.sort(key=lambda e: (not e["modell"], e["label"] or ""))
    return {"kind": "cluster", "members": shown, "cluster_iri": iri}


def bundesland(store: QueryStore, iri: str, links: Links, lang: str) -> dict:
    kommunen = []
    for row in rows(store, "bundesland", iri):
        entry = _authority(row, links)
        entry["cluster"] = {
            "label": pick(row.get("cluster_de"), row.get("cluster_en"), lang),
            "href": links.page(row.get("cluster")),
        }
        kommunen.append(entry)
    return {"kind": "bundesland", "kommunen": kommunen}


def dokument(store: QueryStore, iri: str, links: Links, lang: str) -> dict:
    about = first(store, "dokument", iri)
    return {
        "kind": "dokument",
        "kommune": {"label": about.get("name"), "href": links.page(about.get("kommune"))}
        if about
        else None,
    }


BUILDERS: dict[str, Callable[[QueryStore, str, Links, str], dict]] = {
    "kommune": kommune,
    "cluster": cluster,
    "bundesland": bundesland,
    "dokument": dokument,
    "massnahme": part_of_profile,
    "thema": part_of_profile,
    "besonderheit": part_of_profile,
    "organisation": part_of_profile,
}
