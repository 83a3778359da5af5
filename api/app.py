"""Application factory: `create_app(settings)` opens the current release and mounts the routers."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.errors import install_error_handlers
from api.routes import ROUTERS
from api.routes.curated import build_router as curated_router
from api.state import Served
from api.store import OxigraphStore
from kskg.release import current_release
from kskg.settings import Settings

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for the release `settings.build_dir/current` (loaded before serving)."""
    settings = settings or Settings()
    release = current_release(settings.build_dir)
    app = FastAPI(
        title="kinderschutz-kg",
        summary="Knowledge graph of the NZFH project 'Aus Fehlern lernen' (2009–2010)",
        version=release.version,
    )
    install_error_handlers(app)
    app.state.served = Served(settings=settings, release=release, store=OxigraphStore(release))
    # The curated routes are generated from settings.queries_dir, so they need the settings.
    app.include_router(curated_router(settings))
    for router in ROUTERS:
        app.include_router(router)
    # The pages' CSS, scripts and vendored editor: served by us so the pages work offline.
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
