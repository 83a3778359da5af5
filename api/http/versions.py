"""Answering from an older release: `version=V` on any request (docs/api.md "Versions").

`PinVersion` reads `version` from the query string, or from the form body of a POST
(`application/x-www-form-urlencoded`), and pins the `Served` of that release for the whole
request in place of the current one (api/http/served.py `PinServed` pinned that first): every
route, cache and the `X-Data-Version` header then see release V. V is a full version or a
unique prefix of at least 8 characters (kskg/release_history.py `resolve`); a version that
names no kept release is a 404 listing the kept ones, an ambiguous or too short prefix a 400.

`ReleaseArchive` lists the kept releases (read again when the build folder changes) and makes
the `Served` of one on demand; its store comes from `open_store`, which the wiring provides
(worker pool: api/release_watch.py; remote engine: api/remote_release.py), so nothing here
loads data.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.engine.store import QueryStore
from api.errors import ApiError
from api.http.answer_replay import failing, read_body
from api.http.errors import error_response
from api.http.served import Served
from api.http.urls import Urls
from kskg.release import LOG, Release
from kskg.release_history import (
    AmbiguousVersion,
    PublishedRelease,
    UnknownVersion,
    VersionError,
    published_releases,
    resolve,
)

PARAM = "version"
FORM = "application/x-www-form-urlencoded"
#: Served objects kept for older releases (each is a few small objects; the data itself lives
#: in the workers, api/engine/on_demand.py).
KEPT_SERVED = 64

StoreOpener = Callable[[Release], Awaitable[QueryStore]]


class ReleaseArchive:
    """The kept releases of `build_dir` and, on demand, the `Served` of one of them."""

    def __init__(self, build_dir: Path, open_store: StoreOpener, keep_stores: bool = True) -> None:
        self.build_dir = build_dir
        self.open_store = open_store
        # A remote engine may empty the slot of an old release at any publish
        # (kskg/store_publish.py): its store is looked up again for every request.
        self.keep_stores = keep_stores
        self._listing: tuple[tuple, list[PublishedRelease]] | None = None
        self._served: OrderedDict[str, Served] = OrderedDict()
        self._lock = asyncio.Lock()

    def releases(self) -> list[PublishedRelease]:
        """Every kept release, oldest first (cached until the build folder changes)."""
        mark = _mark(self.build_dir)
        if self._listing is None or self._listing[0] != mark:
            self._listing = (mark, published_releases(self.build_dir))
        return self._listing[1]

    def versions(self) -> list[str]:
        return [r.version for r in self.releases()]

    def find(self, wanted: str) -> PublishedRelease:
        """The kept release `wanted` names; raises VersionError."""
        releases = self.releases()
        version = resolve([r.version for r in releases], wanted)
        return next(r for r in releases if r.version == version)

    async def served(self, current: Served, wanted: str) -> Served:
        """The `Served` of release `wanted` (the current one itself if it names that)."""
        found = self.find(wanted)
        if found.version == current.version:
            return current
        async with self._lock:
            served = self._served.get(found.version)
            if served is None:
                store = await self.open_store(found.release)
                served = Served(settings=current.settings, release=found.release, store=store)
                if not self.keep_stores:
                    return served
                self._served[found.version] = served
                while len(self._served) > KEPT_SERVED:
                    self._served.popitem(last=False)
            self._served.move_to_end(found.version)
            return served


def _mark(build_dir: Path) -> tuple:
    """Changes whenever a release is published or removed."""
    marks = []
    for path in (build_dir / "releases", build_dir / LOG):
        try:
            marks.append(path.stat().st_mtime_ns)
        except OSError:
            marks.append(None)
    return tuple(marks)


@dataclass(frozen=True)
class Citation:
    """What a page says about the release it shows: its version and date, and links to this
    page in this version (`pinned`, to cite) and in the current one (`now`)."""

    version: str
    current: str
    published: str | None
    pinned: str
    now: str

    @property
    def old(self) -> bool:
        return self.version != self.current


#: Makes the citation of the request being answered (set by PinVersion; called by the page
#: renderer, api/pages/render.py, so every page names its version without each route passing
#: it, and no other answer pays for it).
CITATION: ContextVar[Callable[[], Citation] | None] = ContextVar("citation", default=None)


def citation(scope: Scope, archive: ReleaseArchive, served: Served, current: str) -> Citation:
    """The citation of the page `scope` asks for, answered from `served`."""
    pairs = [(n, v) for n, v in parse_qsl(scope["query_string"].decode("latin-1")) if n != PARAM]
    # Absolute, from the request (or the public base): a citation is copied elsewhere.
    base = Urls.for_request(Request(scope), served.settings).absolute(_page_path(scope))
    try:
        published = archive.find(served.version).published
    except VersionError:
        published = None  # a release not (or no longer) kept in the build folder
    return Citation(
        version=served.version,
        current=current,
        published=published,
        pinned=base + "?" + urlencode([*pairs, (PARAM, served.version)]),
        now=base + (("?" + urlencode(pairs)) if pairs else ""),
    )


def _page_path(scope: Scope) -> str:
    """The request's path below the app's root path (ASGI `path` includes `root_path`)."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class PinVersion:
    """ASGI middleware: pin the release a request's `version` names; sits inside `BodyLimit`
    (a form body read here is bounded) and outside `AnswerReplay` (which keys by version)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = _param(scope["query_string"])
        if wanted is None and scope["method"] == "POST" and _is_form(scope):
            try:
                body, receive = await read_body(receive)
            except ApiError as error:  # the body limit: the route answers it as always
                await self.app(scope, failing(error), send)
                return
            wanted = _param(body)
        if wanted is not None:
            archive: ReleaseArchive = scope["app"].state.archive
            state = scope["state"]
            try:
                state["served"] = await archive.served(state["served"], wanted)
            except VersionError as error:
                await version_error(error)(scope, receive, send)
                return
            except ApiError as refused:  # a remote engine that cannot be asked
                await error_response(refused)(scope, receive, send)
                return
        archive, served = scope["app"].state.archive, scope["state"]["served"]
        current = scope["app"].state.served.version
        CITATION.set(lambda: citation(scope, archive, served, current))
        await self.app(scope, receive, send)


def version_refusal(error: VersionError) -> ApiError:
    """404 for a version no kept release has, 400 for an ambiguous or too short prefix; each
    lists the kept versions (and an ambiguous one its candidates)."""
    details = {"version": error.wanted, "known_versions": error.known}
    if isinstance(error, AmbiguousVersion):
        details["candidates"] = error.candidates
        return ApiError(400, "ambiguous_version", error.message, **details)
    if isinstance(error, UnknownVersion):
        return ApiError(404, "unknown_version", error.message, **details)
    return ApiError(400, "invalid_version", error.message, **details)


def version_error(error: VersionError):
    """`version_refusal` as a response (for the middleware, outside the error handlers)."""
    return error_response(version_refusal(error))


def _param(raw: bytes) -> str | None:
    if b"version=" not in raw:  # most requests: no parsing on the hot path
        return None
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return None  # the route answers the encoding error as it always has
    values = [value.strip() for name, value in pairs if name == PARAM]
    return values[-1] if values and values[-1] else None


def _is_form(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.split(b";")[0].strip().lower() == FORM.encode()
    return False
