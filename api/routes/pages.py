"""Routes: the start page `/`, the dashboard `/dashboard`, the findings page `/qualitaet` and
the interactive API documentation `/docs` (HTML for people).

The dashboard is rendered empty: its script fetches the curated JSON routes (`/api/…`) in the
browser, exactly as a dashboard builder would, and says which route each chart uses.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.curated.page_records import CuratedDep, curated_records
from api.http.served import ServedDep
from api.http.urls import UrlsDep
from api.pages.quality_page import quality_context
from api.pages.render import render_page
from api.pages.start_page import start_context

router = APIRouter(tags=["pages"])


@router.get("/", summary="Start page: the dataset, a map of the Länder, links to everything")
async def start(served: ServedDep, curated: CuratedDep, urls: UrlsDep) -> Response:
    root = urls.root
    records = {
        name: await curated_records(curated, served, name) for name in ("bundeslaender", "cluster")
    }
    context = await run_in_threadpool(start_context, served, root, records)
    return render_page(
        "start.html", title="Start", nav="start",
        root=root, version=served.version, **context,
    )  # fmt: skip


@router.get("/dashboard", summary="Dashboard built on the curated JSON routes")
async def dashboard(served: ServedDep, urls: UrlsDep) -> Response:
    return render_page(
        "dashboard.html", title="Dashboard",
        nav="dashboard", root=urls.root, version=served.version,
    )  # fmt: skip


@router.get("/qualitaet", summary="The SHACL findings of the served release, by severity")
async def quality(served: ServedDep, curated: CuratedDep, urls: UrlsDep) -> Response:
    context = quality_context(await curated_records(curated, served, "qualitaet"))
    return render_page(
        "qualitaet.html", title="Datenqualität",
        nav="qualitaet", root=urls.root, version=served.version, **context,
    )  # fmt: skip


@router.get("/docs", summary="Interactive API documentation (Swagger UI, served offline)")
async def api_docs(served: ServedDep, urls: UrlsDep) -> Response:
    return render_page(
        "api_docs.html", title="API-Dokumentation",
        nav="docs", root=urls.root, version=served.version,
    )  # fmt: skip


@router.get("/redoc", include_in_schema=False)
async def redoc(urls: UrlsDep) -> Response:
    """One interactive documentation is kept: /redoc points at /docs."""
    return RedirectResponse(urls.path("docs"), status_code=308)
