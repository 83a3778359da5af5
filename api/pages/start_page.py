"""What the start page shows: the project, counts, sources, a tile map of the Länder, clusters.

The Länder and clusters come from the curated queries `bundeslaender` and `cluster`, so the
page and `/api/…` never disagree; the counts and sources come from the release manifest.
"""

from __future__ import annotations

from api.http.served import Served
from api.pages.linked_data import select

#: (row, column) of each Land in the tile map: a 5×5 grid, north at the top, west at the left.
TILES: dict[str, tuple[int, int]] = {
    "DE-SH": (0, 2),
    "DE-HB": (1, 1), "DE-HH": (1, 2), "DE-MV": (1, 3),
    "DE-NW": (2, 0), "DE-NI": (2, 1), "DE-ST": (2, 2), "DE-BB": (2, 3), "DE-BE": (2, 4),
    "DE-RP": (3, 0), "DE-HE": (3, 1), "DE-TH": (3, 2), "DE-SN": (3, 3),
    "DE-SL": (4, 0), "DE-BW": (4, 1), "DE-BY": (4, 2),
}  # fmt: skip

#: Tile colours by number of known Kommunen (background, text): contrast ≥ 4.5:1 each.
SCALE: list[tuple[str, str]] = [
    ("#eef0f3", "#1d1d1f"),
    ("#cfe0f3", "#1d1d1f"),
    ("#9ec2e8", "#1d1d1f"),
    ("#2f6db0", "#ffffff"),
    ("#12355b", "#ffffff"),
]

#: Classes counted on the start page, in the order shown: (manifest key, page word).
COUNTED = [
    ("ksk:Kommune", "counted.Kommune"),
    ("ksk:Cluster", "counted.Cluster"),
    ("ksk:Bundesland", "counted.Bundesland"),
    ("ksk:Organisation", "counted.Organisation"),
    ("ksk:Thema", "counted.Thema"),
    ("ksk:Massnahme", "counted.Massnahme"),
    ("ksk:Besonderheit", "counted.Besonderheit"),
    ("ksk:Quelldokument", "counted.Quelldokument"),
]


def start_context(served: Served, root: str, records: dict[str, list[dict]]) -> dict:
    """Everything the start page shows; `records` are those of the curated queries
    `bundeslaender` and `cluster` (api/curated/page_records.py)."""
    manifest = served.release.manifest
    per_class = manifest.get("counts", {}).get("per_class", {})
    return {
        "project": _project(served),
        "counts": [(label, per_class.get(key, 0)) for key, label in COUNTED],
        "triples": manifest.get("counts", {}).get("triples"),
        "sources": [_source(s, root) for s in manifest.get("sources", [])],
        "validation": manifest.get("validation", {}),
        "tiles": tiles(records["bundeslaender"]),
        "scale": SCALE,
        "clusters": clusters(records["cluster"]),
    }


def _project(served: Served) -> dict:
    rows = select(served.store, "start_project")
    if not rows:
        return {}
    return {k: (v.value if v is not None else None) for k, v in rows[0].items()}


#: Pages of the sources that are not documents: the ontology and the thesauri.
SOURCE_PAGES = {
    "ontology": "ontology",
    "themenfelder": "id/thesaurus/themenfelder",
    "sektoren": "id/thesaurus/sektoren",
}


def _source(source: dict, root: str) -> dict:
    """A source file with the page that shows it: its document page, or the ontology/thesaurus."""
    graph = source.get("graph", "").rsplit("/graph/", 1)[-1]
    stem = source.get("file", "").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    href = root + SOURCE_PAGES.get(graph, f"id/dokument/{stem}")
    return {"file": source.get("file"), "lines": source.get("lines"), "href": href}


def tiles(bundeslaender: list[dict]) -> list[dict]:
    """One tile per Land with a grid position, its count of known Kommunen and its colours."""
    shown = []
    for land in bundeslaender:
        if land.get("iso") not in TILES:
            continue
        row, column = TILES[land["iso"]]
        count = land.get("kommunen") or 0
        background, text = SCALE[min(count, len(SCALE) - 1)]
        shown.append({**land, "row": row + 1, "column": column + 1, "count": count,
                      "code": land["iso"][3:], "background": background, "text": text})  # fmt: skip
    return sorted(shown, key=lambda t: (t["row"], t["column"]))


def clusters(members: list[dict]) -> list[dict]:
    """The cluster records grouped, in the query's order: one entry per cluster with its
    Modellkommune and members."""
    # Keyed by IRI: a cluster whose number no source gives has none (the query orders it last).
    grouped: dict[str, dict] = {}
    for record in members:
        entry = grouped.setdefault(
            record["cluster"],
            {"nummer": record["nummer"], "label": record["label"], "page": record["cluster_page"],
             "modellkommune_name": record["modellkommune_name"],
             "modellkommune_page": record["modellkommune_page"], "partnerkommunen": []},
        )  # fmt: skip
        if record.get("kommune") and record.get("rolle") != "Modellkommune":
            entry["partnerkommunen"].append(
                {"name": record["kommune_name"], "page": record["kommune_page"]}
            )
    return list(grouped.values())
