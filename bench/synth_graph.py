"""Synthetic graphs with the shape of a real release, at any size, for the scale benchmark.

    python -m bench.synth_graph --template data/build/current/dataset.nq \
        --triples 1000000 --out bench/out/graph-1m.nq

The template is a release's N-Quads dump. Its quads split in two:

- per-Kommune quads: every quad whose subject is a Kommune-scoped resource (a Kommune, its
  organisations, Themen, Maßnahmen, Besonderheiten, Einwohnerangaben, Klassifikationen), a
  profile document or one of its Fundstellen, or a SHACL result about one of these;
- shared quads, kept once: the ontology, thesauri, Bundesländer, clusters (with their one
  Modellkommune each), the project and its Befunde.

Copy 0 is the template itself; copy k (k >= 1) repeats every per-Kommune quad with "-x<k>"
appended to the Kommune slug, document stem and SHACL result id in each IRI (and to each Kommune
label), so copies are new resources of the same classes with the same predicates, linked to the
same shared clusters, Bundesländer and concepts, and in the same named graphs (a profile's
graph is renamed with it). Output is deterministic.
"""

from __future__ import annotations

import argparse
import math
import re
from dataclasses import dataclass
from pathlib import Path

BASE = "https://w3id.org/kinderschutz-kg/"
SCOPED_KINDS = ("kommune", "organisation", "thema", "massnahme", "besonderheit", "einwohner")
_IRI = re.compile(r"<(" + re.escape(BASE) + r"(id|graph)/([^>]*))>")
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_KOMMUNE = BASE + "id/kommune/"
_PROFILE_SUBJECTS = ("thema", "massnahme", "besonderheit")


@dataclass(frozen=True)
class GraphInfo:
    path: Path
    quads: int
    copies: int
    per_copy: int
    shared: int


@dataclass(frozen=True)
class Template:
    """A template split into shared lines and per-copy lines cut where the suffix goes."""

    shared: list[str]
    per_copy: list[list[str]]


def split_template(lines: list[str]) -> Template:
    """Classify the quads of a release dump (see the module docstring)."""
    slugs = {m.group(3).split("/")[1] for m in _iris(lines) if m.group(3).startswith("kommune/")}
    stems = _profile_stems(lines, slugs)
    dependents = _dependent_results(lines, slugs, stems)
    shared, per_copy = [], []
    for line in lines:
        cuts = _cut_points(line, slugs, stems, dependents)
        if cuts:
            bounds = zip([0, *cuts], [*cuts, len(line)], strict=True)
            per_copy.append([line[i:j] for i, j in bounds])
        else:
            shared.append(line)
    return Template(shared, per_copy)


def generate_graph(template_nq: Path, out: Path, triples: int) -> GraphInfo:
    """Write at least `triples` quads (whole copies) shaped like `template_nq` to `out`."""
    lines = [line for line in template_nq.read_text("utf-8").splitlines() if line.strip()]
    template = split_template(lines)
    if not template.per_copy:
        raise ValueError(f"{template_nq}: no Kommune-scoped quads to multiply")
    copies = max(1, math.ceil((triples - len(template.shared)) / len(template.per_copy)))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        handle.write("\n".join(template.shared) + "\n")
        for copy in range(copies):
            suffix = f"-x{copy}" if copy else ""
            handle.write("\n".join(suffix.join(parts) for parts in template.per_copy) + "\n")
    quads = len(template.shared) + copies * len(template.per_copy)
    return GraphInfo(out, quads, copies, len(template.per_copy), len(template.shared))


def _iris(lines: list[str]):
    for line in lines:
        yield from _IRI.finditer(line)


def _scope_end(path: str, slugs: set[str], stems: set[str]) -> int | None:
    """Where the suffix goes in an id/… or graph/… path, or None if it is not per-Kommune."""
    parts = re.split(r"([/#])", path)
    kind, seg = parts[0], parts[2] if len(parts) > 2 else ""
    if kind in SCOPED_KINDS and seg in slugs:
        return len(kind) + 1 + len(seg)
    if kind == "dokument" and seg in stems:
        return len(kind) + 1 + len(seg)
    return None


def _profile_stems(lines: list[str], slugs: set[str]) -> set[str]:
    """Stems of the documents whose graph states something about a Kommune's profile."""
    stems = set()
    for line in lines:
        graph = line.rsplit("<", 1)[-1]
        if graph.startswith(BASE + "graph/dokument/"):
            subject = line[1 : line.index(">")]
            kind = subject[len(BASE + "id/") :].split("/")[0]
            if kind in _PROFILE_SUBJECTS:
                stems.add(graph[len(BASE + "graph/dokument/") :].rstrip("> .\n"))
    return stems


def _dependent_results(lines: list[str], slugs: set[str], stems: set[str]) -> set[str]:
    """SHACL results (validierung/…) whose focus or value is a per-Kommune resource."""
    found = set()
    for line in lines:
        if not line.startswith(f"<{BASE}id/validierung/"):
            continue
        subject = line[1 : line.index(">")]
        for match in _IRI.finditer(line):
            if match.group(2) == "id" and _scope_end(match.group(3), slugs, stems) is not None:
                found.add(subject[len(BASE) + 3 :])
    return found


def _cut_points(line: str, slugs: set[str], stems: set[str], dependents: set[str]) -> list[int]:
    """Where the copy suffix goes in `line`; empty if the quad's subject is shared, as a shared
    node (cluster, project) keeps exactly the links of the template."""
    cuts = []
    for match in _IRI.finditer(line):
        if match.start() != 0 and not cuts:
            return []
        area, path = match.group(2), match.group(3)
        start = match.start(3)
        if area == "graph" and path.startswith("dokument/"):
            stem = path[len("dokument/") :]
            end = len(path) if stem in stems else None
        elif path in dependents:
            end = len(path)
        else:
            end = _scope_end(path, slugs, stems) if area == "id" else None
        if end is not None:
            cuts.append(start + end)
    if cuts and line.startswith(f"<{_KOMMUNE}") and f" {_LABEL} " in line:
        cuts.append(line.rindex('"'))
    return sorted(cuts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", type=Path, required=True, help="a release's dataset.nq")
    parser.add_argument("--triples", type=int, required=True, help="at least this many quads")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    info = generate_graph(args.template, args.out, args.triples)
    print(
        f"{info.path}: {info.quads} quads ({info.copies} copies × {info.per_copy} + {info.shared})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
