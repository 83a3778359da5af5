"""Routes: the start page `/` and the dashboard `/dashboard` (HTML for people).

The dashboard is rendered empty: its script fetches the curated JSON routes (`/api/…`) in the
browser, exactly as a dashboard builder would, and says which route each chart uses.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.http.served import ServedDep
from api.pages.render import render_page
from api.pages.start_page import start_context
from api.routes.resources import root_path

router = APIRouter(tags=["pages"])


@router.get("/", summary="Start page: the dataset, a map of the Länder, links to everything")
async def start(served: ServedDep) -> Response:
    root = root_path(served)
    context = await run_in_threadpool(start_context, served, root)
    return render_page(
        "start.html", headers={"X-Data-Version": served.version}, title="Start", nav="start",
        root=root, version=served.version, **context,
    )  # fmt: skip


@router.get("/dashboard", summary="Dashboard built on the curated JSON routes")
async def dashboard(served: ServedDep) -> Response:
    return render_page(
        "dashboard.html", headers={"X-Data-Version": served.version}, title="Dashboard",
        nav="dashboard", root=root_path(served), version=served.version,
    )  # fmt: skip
