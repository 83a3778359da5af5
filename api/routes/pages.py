"""Routes: the start page `/` and the dashboard `/dashboard` (HTML for people).

The dashboard is rendered empty: its script fetches the curated JSON routes (`/api/…`) in the
browser, exactly as a dashboard builder would, and says which route each chart uses.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.curated.page_records import CuratedDep, curated_records
from api.http.served import ServedDep
from api.pages.render import render_page
from api.pages.start_page import start_context
from api.routes.resources import root_path

router = APIRouter(tags=["pages"])


@router.get("/", summary="Start page: the dataset, a map of the Länder, links to everything")
async def start(served: ServedDep, curated: CuratedDep) -> Response:
    root = root_path(served)
    records = {
        name: await curated_records(curated, served, name) for name in ("bundeslaender", "cluster")
    }
    context = await run_in_threadpool(start_context, served, root, records)
    return render_page(
        "start.html", title="Start", nav="start",
        root=root, version=served.version, **context,
    )  # fmt: skip


@router.get("/dashboard", summary="Dashboard built on the curated JSON routes")
async def dashboard(served: ServedDep) -> Response:
    return render_page(
        "dashboard.html", title="Dashboard",
        nav="dashboard", root=root_path(served), version=served.version,
    )  # fmt: skip
