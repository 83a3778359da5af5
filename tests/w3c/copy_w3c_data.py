"""Copy the W3C test files our runners need from a checkout of w3c/rdf-tests into tests/w3c/data.

Run by hand when updating the copy (the tests never read the checkout):

    .venv/bin/python -m tests.w3c.copy_w3c_data /path/to/w3c-rdf-tests

Copied: the protocol manifest and its data, the service-description manifest, and for the
query-evaluation manifests in QUERY_MANIFESTS every manifest they include plus the query and
data files of their mf:QueryEvaluationTest entries, including the files their queries name in
FROM / FROM NAMED (a harness loads those as named graphs) (expected-result files are not needed: the
runner compares the endpoint with pyoxigraph itself, not with the W3C answers).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.w3c.manifests import QUERY_MANIFESTS, evaluation_tests, included_manifests

DATA = Path(__file__).parent / "data"
FIXED = [
    "sparql/sparql10/LICENSE",
    "sparql/sparql11/protocol/manifest.ttl",
    "sparql/sparql11/protocol/data1.nt",
    "sparql/sparql11/protocol/data2.nt",
    "sparql/sparql11/protocol/data3.nt",
    "sparql/sparql11/service-description/manifest.ttl",
]


def copy(source: Path) -> int:
    """Copy into DATA; return the number of files copied."""
    wanted = set(FIXED)
    for manifest in QUERY_MANIFESTS:
        wanted.update(included_manifests(source, manifest))
        for test in evaluation_tests(source, manifest):
            wanted.update(test.files())
            wanted.update(test.from_graphs(source))
            wanted.add(test.manifest)
    for relative in sorted(wanted):
        target = DATA / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, target)
    shutil.copyfile(source / "COMMIT", DATA / "COMMIT")
    return len(wanted)


if __name__ == "__main__":
    print(f"copied {copy(Path(sys.argv[1]))} files to {DATA}")
