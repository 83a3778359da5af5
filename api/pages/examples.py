"""The example queries of the SPARQL editor: `queries/examples/*.rq`, one query per file.

Each file starts with comment lines `# title: …` and `# description: …`; the rest (the
comments included) is the query, valid SPARQL as it stands. The file name orders the gallery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HEADER = re.compile(r"^#\s*(title|description):\s*(.+?)\s*$")


class ExampleError(ValueError):
    """An example file without a title (the message names file and line)."""


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    query: str


def read_example(path: Path) -> Example:
    """One example file; raises ExampleError if its header has no `# title:`."""
    text = path.read_text("utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            header[match[1]] = match[2]
    if "title" not in header:
        raise ExampleError(f"{path}:1: no '# title: …' line in the comment header")
    return Example(path.stem, header["title"], header.get("description", ""), text)


def read_examples(folder: Path) -> list[Example]:
    """Every `*.rq` in `folder`, ordered by file name."""
    return [read_example(p) for p in sorted(folder.glob("*.rq"))]
