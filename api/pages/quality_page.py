"""The findings page `/qualitaet`: the SHACL results of the served release, counted and listed
by severity, from the same curated query as `/api/qualitaet`."""

from __future__ import annotations

from collections import Counter

from api.curated.page_records import curated_records
from api.http.served import Served


def quality_context(served: Served, root: str) -> dict:
    """{"findings": records of queries/qualitaet.rq, "counts": {severity: n}}."""
    findings = curated_records(served, "qualitaet", root)
    return {"findings": findings, "counts": Counter(f["severity"] for f in findings)}
