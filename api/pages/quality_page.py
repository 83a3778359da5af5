"""The findings page `/qualitaet`: the SHACL results of the served release, counted and listed
by severity, from the same curated query as `/api/qualitaet`."""

from __future__ import annotations

from collections import Counter


def quality_context(findings: list[dict]) -> dict:
    """{"findings": records of queries/qualitaet.rq, "counts": {severity: n}}."""
    return {"findings": findings, "counts": Counter(f["severity"] for f in findings)}
