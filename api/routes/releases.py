"""Routes: /releases (every kept release, JSON or HTML) and /releases/V1/diff/V2 (what changed:
JSON, HTML, or the N-Quads of the added or removed triples)."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.http.rdf_response import VARY, representation
from api.http.served import ServedDep
from api.http.versions import ReleaseArchive, version_refusal
from api.media import HTML, INDEX, JSON, NQUADS, Offer
from api.pages.releases import Diffs, diff_body, release_entries, root_of
from api.pages.render import render_page
from kskg.release_diff import patch
from kskg.release_history import VersionError

router = APIRouter(tags=["versions"])
#: A diff as JSON or HTML, or its patch as N-Quads (names from the media registry).
DIFF = INDEX + Offer(NQUADS)


def _diffs(request: Request) -> Diffs:
    diffs = getattr(request.app.state, "diffs", None)
    if diffs is None:
        diffs = request.app.state.diffs = Diffs()
    return diffs


@router.get("/releases", summary="Every kept release: date, generator, counts, sources, changes")
async def releases(request: Request, served: ServedDep, format: str | None = None) -> Response:
    rep = representation(request, INDEX)
    archive: ReleaseArchive = request.app.state.archive
    current = request.app.state.served.version
    entries = await release_entries(archive, _diffs(request), served, current)
    if rep is HTML:
        return render_page(
            "releases.html", headers=VARY, title="Versionen", releases=entries,
            current=current, root=root_of(served), version=served.version,
        )  # fmt: skip
    body = {"current": current, "releases": entries}
    return Response(orjson.dumps(body), media_type=JSON.media_type, headers=VARY)


@router.get(
    "/releases/{old}/diff/{new}",
    summary="What changed between two releases (summary per Kommune, or the N-Quads patch)",
)
async def release_diff(
    old: str,
    new: str,
    request: Request,
    served: ServedDep,
    format: str | None = None,
    part: str = "added",
) -> Response:
    rep = representation(request, DIFF)
    archive: ReleaseArchive = request.app.state.archive
    try:
        older, newer = archive.find(old).release, archive.find(new).release
    except VersionError as error:
        raise version_refusal(error) from None
    if rep is NQUADS:
        if part not in ("added", "removed"):
            raise ApiError(422, "invalid_parameter", "part: 'added' or 'removed'", parameter="part")
        changes = await run_in_threadpool(patch, older, newer)
        name = f"kinderschutz-kg-{older.version}-{newer.version}-{part}.nq"
        headers = {"Content-Disposition": f'attachment; filename="{name}"', "Vary": "Accept"}
        return Response(changes.nquads(part), media_type=NQUADS.media_type, headers=headers)
    result = diff_body(await _diffs(request).between(older, newer), root_of(served))
    if rep is HTML:
        return render_page(
            "release_diff.html", headers=VARY, title="Änderungen", diff=result,
            root=root_of(served), version=served.version,
        )  # fmt: skip
    return Response(orjson.dumps(result), media_type=JSON.media_type, headers=VARY)
