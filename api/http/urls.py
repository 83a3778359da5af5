"""The one URL builder: every link the service writes (pages, DCAT, VoID, the service
description, dumps, the editor) comes from a `Urls` built for the request.

The base is the configured public base (`KSKG_PUBLIC_BASE`) when one is set, else what the
request came to: its scheme, `Host` (host and port) and ASGI `root_path` (RFC 9110 §7.2: the
Host header names the authority the client used). A base may carry a path prefix
(`https://example.org/kskg/`); every page link is then under that prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from api.http.served import get_served
from kskg.namespaces import ID
from kskg.settings import Settings


@dataclass(frozen=True)
class Urls:
    """Absolute and root-relative URLs under one base (`base` ends in '/')."""

    base: str

    @classmethod
    def for_request(cls, request: Request, settings: Settings) -> Urls:
        """The configured public base if set, else the request's scheme, host:port and root
        path."""
        if settings.public_base:
            return cls.of(settings.public_base)
        return cls.of(str(request.base_url))

    @classmethod
    def of(cls, base: str) -> Urls:
        return cls(base.rstrip("/") + "/")

    @property
    def root(self) -> str:
        """The base's path ('/' or '/prefix/'): the prefix of every link within a page."""
        return urlsplit(self.base).path

    def path(self, relative: str = "") -> str:
        """`relative` (no leading '/') under the root path: '/prefix/sparql'."""
        return self.root + relative.lstrip("/")

    def absolute(self, relative: str = "") -> str:
        """`relative` (no leading '/') as an absolute URL: 'http://host:port/prefix/sparql'."""
        return self.base + relative.lstrip("/")

    def page(self, iri: str) -> str | None:
        """The root-relative page of one of our IRIs (`…/id/<path>` → `/id/<path>`), else
        None."""
        if not iri.startswith(str(ID)) or len(iri) == len(str(ID)):
            return None
        return self.path("id/" + iri[len(str(ID)) :])


def configured_root(settings: Settings) -> str:
    """The root path of the configured public base ('/' without one): for links written
    before any request exists (the curated records, cached across requests)."""
    return Urls.of(settings.public_base).root if settings.public_base else "/"


async def request_urls(request: Request) -> Urls:
    """The request's `Urls` (settings of the release pinned for it)."""
    served = await get_served(request)
    return Urls.for_request(request, served.settings)


UrlsDep = Annotated[Urls, Depends(request_urls)]
