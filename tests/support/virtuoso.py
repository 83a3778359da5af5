"""A real Virtuoso for the optional suite tests/remote/test_virtuoso.py: Debian's
`virtuoso-opensource-7` started on free loopback ports with its database in a temporary folder,
and a release loaded into it as N-Quads (never TriG: Virtuoso 7.2 keeps the backslash of
escaped local names in TriG).

`kskg publish --store` cannot load Virtuoso: Virtuoso 7.2 has no endpoint that takes a POST of
N-Quads, and its own graphs (`virtrdf#`, `ldp#`, …) would fail the check that a slot holds
nothing but the release. So the release is bulk-loaded with `isql` (`DB.DBA.TTLP_MT`, N-Quads
mode), the merge graph from the release's N-Triples dump (`build_merge.rq` would merge every
graph of the store, Virtuoso's own too), and the graph records and the mark with the same
`kskg/rq` updates publishing uses, over the SPARQL endpoint.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import httpx
import pyoxigraph as ox

from api.engine.values_binding import bind_values
from kskg.oxigraph_server import free_port
from kskg.release import Release
from kskg.store_layout import default_graph, layout_query

INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
[SPARQL]
; above our max_result_rows: Virtuoso cuts at ResultSetMaxRows without saying so
ResultSetMaxRows = 1000000
; 0: no refusal by cost estimate (it refuses `*` property paths otherwise)
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = {timeout_s}
"""
#: Grants that let the SPARQL endpoint write (a loopback test engine only).
GRANTS = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
N_QUADS = 512  # DB.DBA.TTLP flag: the text is N-Quads


def installed() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


class Virtuoso:
    """One Virtuoso server; `query_url` is its SPARQL endpoint."""

    def __init__(self, folder: Path, timeout_s: float) -> None:
        self.folder = folder
        self.sql_port, self.http_port = free_port(), free_port()
        self.query_url = f"http://127.0.0.1:{self.http_port}/sparql"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "virtuoso.ini").write_text(
            INI.format(
                folder=folder,
                sql_port=self.sql_port,
                http_port=self.http_port,
                timeout_s=max(1, round(timeout_s)),
            )
        )
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Virtuoso:
        self.process = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", str(self.folder / "virtuoso.ini")],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_until_ready(60.0)
        self.sql(GRANTS)
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _wait_until_ready(self, within_s: float) -> None:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.folder / "virtuoso.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"virtuoso-t exited: {log}")
            try:
                httpx.get(self.query_url, params={"query": "ASK { ?s ?p ?o }"}, timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError(f"Virtuoso did not answer within {within_s} s")

    def sql(self, statements: str) -> str:
        """Run SQL statements with isql as dba; raises on an error."""
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql: {done.stdout[-1000:]} {done.stderr[-1000:]}")
        return done.stdout

    def load(self, release: Release) -> None:
        """Bulk-load the release's N-Quads, build its merge graph, check the counts, mark it."""
        dump, merged = self.folder / "dataset.nq", self.folder / "dataset.nt"
        shutil.copyfile(release.dump_path("nq"), dump)
        shutil.copyfile(release.dump_path("nt"), merged)
        merge = ox.NamedNode(default_graph(release.version))
        # The merge graph is the N-Triples dump (the release's de-duplicated merge):
        # build_merge.rq would merge every graph of the store, Virtuoso's own ones too.
        self.sql(
            f"DB.DBA.TTLP_MT(file_to_string_output('{dump}'), '', "
            f"'urn:kinderschutz-kg:unused', {N_QUADS}); "
            f"DB.DBA.TTLP_MT(file_to_string_output('{merged}'), '', '{merge.value}', 0); "
            "checkpoint;"
        )
        for graph in sorted(self._check_counts(release, dump)):
            recorded = {"_default": merge, "_graph": ox.NamedNode(graph)}
            self._update(bind_values(layout_query("record_graph"), recorded))
        published = ox.Literal(
            "2026-01-01T00:00:00Z",
            datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"),
        )
        self._update(
            bind_values(
                layout_query("mark_published"), {"_default": merge, "_published": published}
            )
        )

    def _check_counts(self, release: Release, dump: Path) -> set[str]:
        """The release's graphs; raises unless each holds the dump's quads."""
        with dump.open("rb") as handle:
            expected = Counter(
                q.graph_name.value for q in ox.parse(handle, format=ox.RdfFormat.N_QUADS)
            )
        response = httpx.post(
            self.query_url,
            data={"query": layout_query("graph_sizes")},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        response.raise_for_status()
        rows = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        loaded = {row["graph"].value: int(row["quads"].value) for row in rows}
        wrong = {g: (loaded.get(g), n) for g, n in expected.items() if loaded.get(g) != n}
        merged = loaded.get(default_graph(release.version))
        if wrong or merged != release.manifest["counts"]["triples"]:
            raise RuntimeError(f"Virtuoso load differs: {wrong}, merge graph {merged}")
        return set(expected)

    def _update(self, sparql: str) -> None:
        response = httpx.post(self.query_url, data={"update": sparql}, timeout=120)
        response.raise_for_status()
