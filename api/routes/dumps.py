"""Routes: /dumps/ (index, JSON or HTML), /dumps/dataset.<ext> (the release files),
/dumps/dataset (the file in the format asked for: Accept or `format=`, api/media.py), and the
dataset descriptions /dataset (DCAT) and /.well-known/void (VoID).

Files are streamed from disk (never read into memory). With `Accept-Encoding: gzip` the
pre-built `<file>.gz` is sent as `Content-Encoding: gzip`, or the file is gzipped while streaming
if a release has none. ETag = data version + format + encoding; Last-Modified = release folder
mtime; If-None-Match / If-Modified-Since give 304 (RFC 9110 §13.1).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

import orjson
import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response, StreamingResponse

from api.errors import ApiError
from api.http.content_coding import accepts_gzip
from api.http.rdf_response import VARY, rdf_response, representation
from api.http.served import Served, ServedDep
from api.http.urls import Urls, UrlsDep
from api.media import DATASET, DUMP_FILES, HTML, INDEX, VOID, Representation
from api.pages import dataset_description
from api.pages.linked_data import compact
from api.pages.render import render_page

router = APIRouter(tags=["dumps"])
CHUNK = 64 * 1024


def version_query(request: Request, served: Served) -> str:
    """`?version=V` when the request is pinned to an older release than the current one."""
    return "" if served is request.app.state.served else f"?version={served.version}"


def dump_entries(served: Served, urls: Urls, asked: str = "") -> list[dict]:
    """One entry per dump format: file, url (absolute), path (root-relative, for pages), media
    type, bytes and sha256 (from the manifest). For an older release, `asked` is its
    `?version=V`, so the urls ask for V too (`version_query`)."""
    files = served.release.manifest.get("files", {})
    entries = []
    for rep in DUMP_FILES:
        path = served.release.dump_path(rep.suffix)
        if not path.is_file():
            continue
        name = path.name
        info = files.get(name, {})
        entries.append(
            {
                "format": rep.suffix,
                "file": name,
                "url": urls.absolute(f"dumps/{name}") + asked,
                "path": urls.path(f"dumps/{name}") + asked,
                "media_type": rep.media_type,
                "bytes": info.get("bytes", path.stat().st_size),
                "sha256": info.get("sha256"),
                "gzip": path.with_name(name + ".gz").is_file(),
            }
        )
    return entries


@router.get("/dumps", include_in_schema=False)
@router.get("/dumps/", summary="Index of the downloadable dumps (JSON or HTML)")
def dumps_index(
    request: Request, served: ServedDep, urls: UrlsDep, format: str | None = None
) -> Response:
    rep = representation(request, INDEX)
    entries = dump_entries(served, urls, version_query(request, served))
    if rep is HTML:
        return render_page(
            "dumps.html", headers=VARY, title="Downloads", nav="dumps", dumps=entries,
            version=served.version, root=urls.root,
        )  # fmt: skip
    body = {"version": served.version, "dumps": [_without_path(e) for e in entries]}
    return Response(orjson.dumps(body), media_type="application/json", headers=VARY)


# HEAD is the same handler, left out of the schema (see api/routes/sparql.py).
@router.head("/dumps/dataset.{ext}", include_in_schema=False)
@router.get("/dumps/dataset.{ext}", summary="Download the dataset in one format")
def dump_file(ext: str, request: Request, served: ServedDep) -> Response:
    rep = DUMP_FILES.by_suffix(ext)
    if rep is None or not served.release.dump_path(ext).is_file():
        offered = [f"dataset.{r.suffix}" for r in DUMP_FILES]
        raise ApiError(404, "not_found", f"no dump dataset.{ext}; offered: {offered}")
    return _dump_response(rep, request, served)


@router.head("/dumps/dataset", include_in_schema=False)
@router.get("/dumps/dataset", summary="Download the dataset in the format asked for")
def dump_negotiated(request: Request, served: ServedDep, format: str | None = None) -> Response:
    """The dump in the representation the Accept header or `format=` asks for."""
    rep = representation(request, DUMP_FILES)
    if not served.release.dump_path(rep.suffix).is_file():
        return dump_file(rep.suffix, request, served)
    response = _dump_response(rep, request, served)
    response.headers["Content-Location"] = f"dataset.{rep.suffix}"
    response.headers["Vary"] = "Accept, Accept-Encoding"
    return response


def _dump_response(rep: Representation, request: Request, served: Served) -> Response:
    fmt, media_type = rep.suffix, rep.media_type
    path = served.release.dump_path(fmt)
    name = path.name
    gzip_wanted = accepts_gzip(request.headers.get("accept-encoding"))
    encoding = "gzip" if gzip_wanted else "identity"
    headers = {
        "ETag": f'"{served.version}-{fmt}-{encoding}"',
        "Last-Modified": formatdate(served.release.path.stat().st_mtime, usegmt=True),
        "Vary": "Accept-Encoding",
        "Content-Disposition": f'attachment; filename="kinderschutz-kg-{served.version}.{fmt}"',
    }
    if _not_modified(request, headers):
        return Response(status_code=304, headers=headers)
    if not gzip_wanted:
        return FileResponse(path, media_type=media_type, headers=headers)
    headers["Content-Encoding"] = "gzip"
    packed = path.with_name(name + ".gz")
    if packed.is_file():
        return FileResponse(packed, media_type=media_type, headers=headers)
    return StreamingResponse(_gzip_stream(path), media_type=media_type, headers=headers)


def _without_path(entry: dict) -> dict:
    return {key: value for key, value in entry.items() if key != "path"}


def _not_modified(request: Request, headers: dict[str, str]) -> bool:
    """RFC 9110 §13.1.2/§13.1.3: If-None-Match wins; If-Modified-Since only without it."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or headers["ETag"] in tags
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(headers["Last-Modified"]) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def _gzip_stream(path: Path) -> Iterator[bytes]:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            if out := packer.compress(chunk):
                yield out
    yield packer.flush()


@router.get("/dataset", summary="DCAT description of the dataset and its distributions")
def dataset(request: Request, served: ServedDep, urls: UrlsDep) -> Response:
    rep = representation(request, DATASET)
    releases = request.app.state.archive.releases()
    current = request.app.state.served.version
    triples = dataset_description.dcat(served, urls.base, releases, current)
    if rep is not HTML:
        return rdf_response(triples, rep)
    rows = [
        (compact(t.subject.value), compact(t.predicate.value), _shown(t.object)) for t in triples
    ]
    return render_page(
        "dataset.html", headers=VARY, title="Datensatz", rows=rows,
        nav="dataset", version=served.version, root=urls.root,
        dumps=dump_entries(served, urls, version_query(request, served)),
    )  # fmt: skip


@router.get("/.well-known/void", summary="VoID description (statistics, partitions, endpoints)")
def void_description(request: Request, served: ServedDep, urls: UrlsDep) -> Response:
    rep = representation(request, VOID)
    triples = dataset_description.void(served, urls.base)
    return rdf_response(triples, rep)


def _shown(term) -> str:
    return compact(term.value) if isinstance(term, ox.NamedNode) else term.value
