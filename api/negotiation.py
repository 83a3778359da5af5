"""Content negotiation: the one place that picks a media type (RFC 9110 §12.5.1 "Accept").

Every route that offers several representations calls `negotiate()` with what it offers, in the
server's order of preference; nothing else reads the Accept header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from api.errors import NotAcceptable


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; a missing or empty header accepts anything (`*/*`).

    Malformed entries are skipped rather than rejected, as browsers and old clients send odd
    headers and RFC 9110 lets a server ignore what it cannot parse.
    """
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        kind, sep, sub = media.lower().partition("/")
        if not sep or not kind or not sub:
            continue
        ranges.append(MediaRange(kind, sub, _q_value(params)))
    return ranges


def _q_value(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def quality(media_type: str, ranges: Sequence[MediaRange]) -> float:
    """The q-value the client gives `media_type`: that of the most specific matching range."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: r.specificity).q


def negotiate(
    accept: str | None,
    offered: Sequence[str],
    *,
    format_param: str | None = None,
    formats: Mapping[str, str] | None = None,
) -> str:
    """Pick the media type to answer with.

    `format_param` (the `format=` query parameter) overrides the Accept header; it may be a key of
    `formats` (short names such as "json", "ttl") or a media type itself. Otherwise the offered
    type with the highest q-value wins; ties go to the earlier entry of `offered`.
    Raises NotAcceptable naming what is offered.
    """
    if format_param:
        chosen = (formats or {}).get(format_param.lower(), format_param.lower())
        if chosen in offered:
            return chosen
        names = sorted(formats or {})
        raise NotAcceptable(offered, f"format={format_param!r} is not offered; use one of {names}")
    ranges = parse_accept(accept)
    best = max(offered, key=lambda m: (quality(m, ranges), -offered.index(m)))
    if quality(best, ranges) <= 0.0:
        raise NotAcceptable(offered, f"none of the offered media types is acceptable: {accept!r}")
    return best
