"""What routes receive: the served release, its store and the settings, as one dependency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from api.store import QueryStore
from kskg.release import Release
from kskg.settings import Settings


@dataclass(frozen=True)
class Served:
    """The release being served. Replaced as a whole (one attribute assignment) when a new
    release is switched in, so a request sees one consistent release from start to end."""

    settings: Settings
    release: Release
    store: QueryStore

    @property
    def version(self) -> str:
        return self.release.version


def get_served(request: Request) -> Served:
    return request.app.state.served


ServedDep = Annotated[Served, Depends(get_served)]
