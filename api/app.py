"""Application factory: `create_app(settings)` opens the current release and mounts the routers.

The app's lifespan starts the query worker pool (api/engine/pool.py) and the release watcher
(api/release_watch.py) and, on shutdown, after uvicorn has let the requests in flight finish,
stops the watcher and every worker process.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from api.curated.warm import start_warming, stop_warming
from api.engine.local_worker import LocalStores
from api.engine.pool import WorkerPool
from api.engine.pool_store import WorkerPoolStore
from api.engine.process_memory import release_freed
from api.engine.worker_process import release_source
from api.http import openapi_errors
from api.http.answer_replay import AnswerReplay
from api.http.body_limit import BodyLimit
from api.http.cors import OpenCors
from api.http.errors import install_error_handlers
from api.http.served import VERSION_HEADER, PinServed, Served
from api.http.sparql_front import SparqlFront
from api.http.versions import PinVersion, ReleaseArchive
from api.pages.i18n import PageLanguage
from api.pages.not_found import not_found_handler
from api.release_watch import ReleaseWatcher, embedded_opener, running_loop
from api.routes import ROUTERS
from api.routes.curated import build_router as curated_router
from api.routes.curated import curated_service
from api.sparql.client_ledger import ClientLedger
from api.sparql.client_limits import ClientLimiter
from kskg.release import Release, current_release
from kskg.settings import Settings

STATIC = Path(__file__).parent / "pages" / "static"

#: Response headers a cross-origin script may read (CORS: any origin, never credentials).
EXPOSED_HEADERS = [
    VERSION_HEADER, "X-Result-Truncated", "X-Result-Limit", "Link", "Retry-After",
    "Content-Disposition", "ETag",
]  # fmt: skip


class KskgApp(FastAPI):
    """FastAPI, with `/sparql` query requests answered before its middleware stack where
    none of the middleware has more to do than add headers (api/http/sparql_front.py)."""

    front: SparqlFront | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.front is not None and self.front.takes(scope):
            if self.root_path:  # as FastAPI.__call__ and Starlette.__call__ would set them
                scope["root_path"] = self.root_path
            scope["app"] = self
            handed_on = await self.front.answer(scope, receive, send)
            if handed_on is None:
                return
            receive = handed_on
        await super().__call__(scope, receive, send)


def _add_routes(app: FastAPI, settings: Settings) -> None:
    app.add_api_route("/health", health, methods=["GET"], tags=["service"], summary=health.__doc__)
    # The curated routes are generated from settings.queries_dir, so they need the settings.
    app.state.curated = curated_service(settings)
    app.include_router(curated_router(settings, app.state.curated))
    for router in ROUTERS:
        app.include_router(router)
    openapi_errors.install(app)
    # The pages' CSS, scripts and vendored editor: served by us so the pages work offline.
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def create_app(
    settings: Settings | None = None,
    local: LocalStores | None = None,
    ledger: ClientLedger | None = None,
    release: Release | None = None,
) -> FastAPI:
    """Build the app for `release`, by default the one `settings.build_dir/current` names
    (loaded into the query workers when the lifespan starts them; nothing answers queries
    before that). One of several HTTP processes (api/serving.py) passes `local` (its workers
    are its own threads), the `ClientLedger` the processes share and the release it serves."""
    settings = settings or Settings()
    release = release or current_release(settings.build_dir)
    pool, source = WorkerPool(settings, local), release_source(release)
    pool.datasets[release.version] = source
    remote = bool(settings.store_slots())
    app = KskgApp(
        title="kinderschutz-kg",
        summary="Knowledge graph of the NZFH project 'Aus Fehlern lernen' (2009–2010)",
        version=release.version,
        lifespan=_lifespan,
        # /docs is served from our own files (api/routes/pages.py), never from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    # Unknown paths: an HTML page with the navigation for browsers, JSON for machines.
    app.add_exception_handler(404, not_found_handler)
    app.state.pool = pool
    app.state.limiter = ClientLimiter.from_settings(settings, ledger)
    if remote:
        # The remote store's modules (httpx with them) are imported only when it is used:
        # about a tenth of a second of every embedded server's start-up.
        from api.engine.remote_slots import StoreClients

        # Every query goes to the engine; the lifespan finds the slot holding the release.
        app.state.store_clients = StoreClients(settings)
        store = app.state.store_clients.store(settings.store_slots()[0], release.version, [])
    else:
        # No copy of the data in this process: every query, the pages' own included, runs in
        # a worker once the lifespan has started the pool.
        store = WorkerPoolStore(release.version, pool, source, loop=running_loop(app))
    app.state.served = Served(settings=settings, release=release, store=store)
    app.state.archive = _archive(app, settings, remote)
    _add_routes(app, settings)
    _add_middleware(app, settings)
    return app


def _add_middleware(app: KskgApp, settings: Settings) -> None:
    # Added innermost first: PinServed wraps everything, so even a CORS preflight or a 413
    # names the data version; PinVersion (version=V) reads a form body within the body limit,
    # before AnswerReplay looks for a kept answer of that version.
    # Innermost: the page language (api/pages/i18n.py) is made only when a page is rendered.
    app.add_middleware(PageLanguage)
    app.add_middleware(AnswerReplay)
    app.add_middleware(PinVersion)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(OpenCors, exposed=EXPOSED_HEADERS)
    app.add_middleware(PinServed)
    app.front = SparqlFront(EXPOSED_HEADERS, settings.max_body_bytes)


def _archive(app: FastAPI, settings: Settings, remote: bool) -> ReleaseArchive:
    """The kept releases, each opened on demand (version=V, api/http/versions.py) in the
    worker pool or, with a remote store, in the slot that holds it."""
    if remote:
        from api.remote_release import remote_opener

        return ReleaseArchive(settings.build_dir, remote_opener(app), keep_stores=False)
    return ReleaseArchive(settings.build_dir, embedded_opener(app))


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    pool: WorkerPool = app.state.pool
    settings = app.state.served.settings
    app.state.loop = asyncio.get_running_loop()
    clients = getattr(app.state, "store_clients", None)
    if clients is None:
        await pool.start()
        watching = ReleaseWatcher(app, settings)
    else:
        from api.remote_release import RemoteReleaseWatcher, open_served

        await open_served(app)
        watching = RemoteReleaseWatcher(app, settings)
    start_warming(app)
    _trim_after_warming(app)
    watcher = asyncio.create_task(watching.run())
    try:
        yield
    finally:
        stop_warming(app)
        watcher.cancel()
        with suppress(asyncio.CancelledError):
            await watcher
        await pool.close()
        if clients is not None:
            await clients.aclose()


def _trim_after_warming(app: FastAPI) -> None:
    """Warming parses every curated answer (several MiB of JSON each at a million triples);
    once it is done, what that freed goes back to the system, so the server's resident memory,
    which `memory_budget_mb` is judged by, is what it holds (about 30 MiB at 1M)."""
    task: asyncio.Task | None = getattr(app.state, "warming", None)
    if task is not None:
        task.add_done_callback(lambda _: release_freed())


async def health(request: Request) -> dict:
    """Liveness: the data version served and the query workers (never waits for a query);
    with several HTTP processes (api/serving.py), those of the process that answered."""
    pool: WorkerPool = request.app.state.pool
    return {
        "status": "ok",
        "version": request.app.state.served.version,
        "store": "remote" if hasattr(request.app.state, "store_clients") else "embedded",
        "http_processes": max(1, request.app.state.served.settings.http_processes),
        "workers": len(pool.workers),
        "query_slots": pool.slots(),
        "busy_workers": pool.busy(),
        "worker_restarts": pool.restarts,
        "curated_warm": _warmed(request.app),
    }


def _warmed(app: FastAPI) -> bool:
    task = getattr(app.state, "warming", None)
    return task is not None and task.done()
