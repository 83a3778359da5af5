"""Content codings (RFC 9110 §8.4, §12.5.3): whether a client takes a gzip-coded body."""

from __future__ import annotations


def accepts_gzip(header: str | None) -> bool:
    """True if an Accept-Encoding header allows gzip (named, or `*`, with a q above 0)."""
    for part in (header or "").lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            q = params.strip().removeprefix("q=")
            return not params or _positive(q)
    return False


def _positive(q: str) -> bool:
    try:
        return float(q) > 0
    except ValueError:
        return False
