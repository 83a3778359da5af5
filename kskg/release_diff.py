"""What changed between two releases: the triples added and removed per named graph (the
"patch"), and a readable summary per Kommune (docs/api.md "Versions", `kskg diff`).

Both dumps are canonical N-Quads (one quad per line, sorted), so the patch is the difference of
their line sets. For the summary the two merged graphs and the patch go into a transient
pyoxigraph store as four graphs (`OLD`, `NEW`, `ADDED`, `REMOVED`; about four times the N-Quads
size, freed when the summary is made) and the queries of kskg/rq/diff/*.rq ask it: Kommunen
added or removed, the items of each Kommune (Maßnahmen, Themen, Besonderheiten) added, removed
or changed, and the SHACL findings that appeared or went away.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kskg.release import Release

RQ = Path(__file__).parent / "rq" / "diff"
OLD = ox.NamedNode("urn:kinderschutz-kg:diff:old")
NEW = ox.NamedNode("urn:kinderschutz-kg:diff:new")
ADDED = ox.NamedNode("urn:kinderschutz-kg:diff:added")
REMOVED = ox.NamedNode("urn:kinderschutz-kg:diff:removed")
DEFAULT = "(default graph)"
NO_KOMMUNE = "(keine Kommune)"
ITEM_CLASSES = ("massnahme", "thema", "besonderheit")


@dataclass(frozen=True)
class Patch:
    """The N-Quads lines only the newer release has (`added`) and only the older (`removed`)."""

    added: list[str]
    removed: list[str]

    def nquads(self, part: str) -> bytes:
        return "".join(self.added if part == "added" else self.removed).encode()


def patch(old: Release, new: Release) -> Patch:
    before, after = _lines(old), _lines(new)
    return Patch(sorted(after - before), sorted(before - after))


def diff(old: Release, new: Release) -> dict:
    """The whole comparison of `old` with `new` as JSON-ready data (docs/api.md)."""
    changes = patch(old, new)
    return {
        "from": old.version,
        "to": new.version,
        "triples": {"added": len(changes.added), "removed": len(changes.removed)},
        "graphs": _per_graph(changes),
        "kommunen": summary(old, new, changes),
    }


def summary(old: Release, new: Release, changes: Patch) -> list[dict]:
    """Per Kommune (sorted by IRI; findings about no Kommune last): whether it is new or gone,
    its items added/removed/changed, and findings appeared/went away."""
    store = ox.Store()
    for graph, release in ((OLD, old), (NEW, new)):
        store.extend(_into(graph, release.dump_path("nq").read_bytes()))
    store.extend(_into(ADDED, "".join(changes.added).encode()))
    store.extend(_into(REMOVED, "".join(changes.removed).encode()))
    kommunen: dict[str, dict] = {}
    for row in store.query(_rq("kommunen")):
        entry = _entry(kommunen, row["kommune"].value)
        entry["change"] = row["change"].value
        entry["label"] = _value(row["label"])
    for row in store.query(_rq("items")):
        entry = _entry(kommunen, row["kommune"].value)
        listed = entry["items"][row["class"].value][row["change"].value]
        listed.append({"iri": row["item"].value, "text": _value(row["text"])})
    for row in store.query(_rq("findings")):
        entry = _entry(kommunen, _value(row["kommune"]) or NO_KOMMUNE)
        found = {"iri": row["finding"].value, "focus": row["focus"].value}
        found |= {"severity": _local(row["severity"]), "message": _value(row["message"])}
        if found["iri"] not in {f["iri"] for f in entry["findings"][row["change"].value]}:
            entry["findings"][row["change"].value].append(found)
    _label(store, kommunen)
    return [kommunen[k] for k in sorted(kommunen, key=lambda k: (k == NO_KOMMUNE, k))]


def _entry(kommunen: dict[str, dict], kommune: str) -> dict:
    if kommune not in kommunen:
        kommunen[kommune] = {
            "kommune": kommune,
            "label": None,
            "change": "changed",
            "items": {name: {"added": [], "removed": [], "changed": []} for name in ITEM_CLASSES},
            "findings": {"appeared": [], "went_away": []},
        }
    return kommunen[kommune]


def _label(store: ox.Store, kommunen: dict[str, dict]) -> None:
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for iri, entry in kommunen.items():
        if entry["label"] is None and iri != NO_KOMMUNE:
            found = [q.object.value for q in store.quads_for_pattern(ox.NamedNode(iri), label)]
            entry["label"] = min(found) if found else None


def _per_graph(changes: Patch) -> list[dict]:
    counts: dict[str, Counter] = {}
    for part, lines in (("added", changes.added), ("removed", changes.removed)):
        for quad in ox.parse("".join(lines).encode(), format=ox.RdfFormat.N_QUADS):
            graph = quad.graph_name
            name = graph.value if isinstance(graph, ox.NamedNode) else DEFAULT
            counts.setdefault(name, Counter())[part] += 1
    return [
        {"graph": name, "added": c["added"], "removed": c["removed"]}
        for name, c in sorted(counts.items())
    ]


def _lines(release: Release) -> set[str]:
    with release.dump_path("nq").open(encoding="utf-8") as handle:
        return {line for line in handle if line.strip()}


def _into(graph: ox.NamedNode, nquads: bytes):
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)


@cache
def _rq(name: str) -> str:
    return (RQ / f"{name}.rq").read_text("utf-8")


def _value(term) -> str | None:
    return None if term is None else term.value


def _local(term) -> str | None:
    return None if term is None else term.value.rsplit("#", 1)[-1]


def readable(result: dict) -> str:
    """The summary as lines of text (kskg diff)."""
    lines = [
        f"{result['from']} → {result['to']}: +{result['triples']['added']} "
        f"−{result['triples']['removed']} triples",
    ]
    for graph in result["graphs"]:
        lines.append(f"  {graph['graph']}: +{graph['added']} −{graph['removed']}")
    for entry in result["kommunen"]:
        lines.append("")
        lines.append(_heading(entry))
        for name in ITEM_CLASSES:
            for change, items in entry["items"][name].items():
                lines += [f"  {name} {change}: {i['iri']} {_short(i['text'])}" for i in items]
        for change, found in entry["findings"].items():
            lines += [f"  finding {change}: {f['severity']}: {_short(f['message'])}" for f in found]
    return "\n".join(lines)


def _heading(entry: dict) -> str:
    shown = {"added": "new Kommune", "removed": "Kommune removed", "changed": "changed"}
    label = f" ({entry['label']})" if entry["label"] else ""
    return f"{entry['kommune']}{label}: {shown[entry['change']]}"


def _short(text: str | None, width: int = 80) -> str:
    if not text:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"
