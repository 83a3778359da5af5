"""How `kskg serve` lays out its processes: the layout is chosen at start-up (`layout`).

- **One HTTP process feeding query worker processes** (`http_processes` 1, or a release too
  large for several copies): the front reads every request and hands each query to a worker
  process it can kill at the deadline (api/engine/pool.py).
- **Several HTTP processes, each evaluating on its own threads** (`http_processes` 0 = one per
  core, where the memory budget admits two or more and `worker_memory_mb`, each one's
  address-space limit, leaves an HTTP process room): a supervisor binds the port and forks them
  (api/http/process_supervisor.py); a query is evaluated in the process that read it, with no
  hop to another process and back (api/engine/local_worker.py: the deadline still holds; the
  process of a query past it stops taking connections, answers what it holds and ends while its
  replacement starts). Each holds its own copy of the release, answer cache and curated answers,
  so it is chosen only where `count + 1` copies fit `memory_budget_mb` (one more for the
  replacement that starts while a condemned process drains).
"""

from __future__ import annotations

import gc
import logging
import math
import os
import resource
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from api.engine.on_demand import MIB, MIB_PER_NQUADS_MIB
from kskg.release import NoReleaseError, Release, current_link, current_release
from kskg.release_history import published_releases
from kskg.settings import Settings

if TYPE_CHECKING:
    from api.engine.local_worker import LocalStores
    from api.http.process_supervisor import Child
    from api.sparql.client_ledger import ClientLedger

log = logging.getLogger("kskg.serve")

#: Resident MiB of an HTTP process serving the real release, its store and caches aside.
APP_MIB = 120.0
#: Address space (worker_memory_mb, its RLIMIT_AS) an HTTP process needs before any query:
#: about 330 MiB measured with its threads, and room for a query's own.
HTTP_PROCESS_SPACE_MIB = 768


@dataclass(frozen=True)
class Layout:
    """`processes` HTTP processes; with more than one, `settings` are each one's own (its
    share of the query slots and of the memory budget)."""

    processes: int
    settings: Settings
    why: str


def layout(settings: Settings, release: Release) -> Layout:
    """The layout to serve `release` with (module docstring)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    wanted = settings.http_processes or (cores or 1)
    if settings.store_slots():
        return Layout(1, settings, "a remote store evaluates the queries")
    if wanted < 2:
        return Layout(1, settings, "one HTTP process asked for or one core")
    if settings.worker_memory_mb < HTTP_PROCESS_SPACE_MIB:
        return Layout(1, settings, "worker_memory_mb leaves an HTTP process no room")
    each = _process_mib(settings, release)
    fitting = int(settings.memory_budget_mb // each) - 1
    count = min(wanted, fitting) if not settings.http_processes else wanted
    if count < 2:
        why = f"{fitting + 1} copies of about {each:.0f} MiB fit memory_budget_mb"
        return Layout(1, settings, why)
    share = settings.model_copy(
        update={
            "http_processes": count,
            "query_workers": max(1, math.ceil(settings.query_workers / count)),
            "memory_budget_mb": max(256, settings.memory_budget_mb // (count + 1)),
        }
    )
    return Layout(count, share, f"about {each:.0f} MiB each")


def _process_mib(settings: Settings, release: Release) -> float:
    """What one HTTP process holding `release` is expected to hold: the app, the release's
    store and a full answer cache."""
    store = release.dump_path("nq").stat().st_size / MIB * MIB_PER_NQUADS_MIB
    return APP_MIB + store + settings.answer_cache_mb


def serve_processes(layout: Layout, host: str, port: int) -> int:
    """Serve on `host:port` with `layout.processes` HTTP processes (module docstring);
    returns when stopped (SIGTERM, SIGINT)."""
    from api.http.process_supervisor import Supervisor
    from api.http.server import raise_open_file_limit
    from api.sparql.client_ledger import ClientLedger

    raise_open_file_limit()
    listening = socket.create_server((host, port), backlog=2048)
    listening.set_inheritable(True)
    settings = layout.settings
    # The per-client limits count in one table for every child (api/sparql/client_ledger.py):
    # made before the fork; each child counts in its slot, a dead child's counts are released.
    # Slots: the supervisor hands out fewer than 2 × count + the children running.
    ledger = ClientLedger.from_settings(settings, slots=max(64, 4 * layout.processes))
    supervisor = Supervisor(
        listening,
        layout.processes,
        lambda child, sock: _serve_child(settings, ledger, child, sock, host, port),
        drain_s=settings.query_timeout_s + settings.shutdown_grace_s + 5,
        stop_s=settings.shutdown_grace_s + 5,
        released=ledger.release_slot,
    )
    return supervisor.run()


def _serve_child(
    settings: Settings,
    ledger: ClientLedger,
    child: Child,
    listening: socket.socket,
    host: str,
    port: int,
) -> None:
    """One HTTP process: the app with its query slots on its own threads, counting its
    clients in `ledger`. The release loads on the loading thread while the app's modules are
    imported (each about half of start-up); the supervisor imports none of them, so it forks a
    child in a millisecond."""
    from api.engine.local_worker import LocalStores
    from api.engine.worker import isolate_network

    ledger.attach(child.slot)
    isolated = isolate_network() if settings.worker_network_isolation else False
    limit = settings.worker_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    server = None

    def condemned() -> None:
        child.condemned()
        if server is not None:
            server.should_exit = True

    stores = LocalStores(condemned, isolated)
    stores.watch_memory(settings.worker_memory_mb)
    release = release_loaded(settings.build_dir, stores, child.replaces)
    # No collections while importing: they find nothing to free and cost a tenth of start-up.
    gc.disable()
    import uvicorn

    from api.app import create_app
    from api.http.server import uvicorn_config

    app = create_app(settings, local=stores, ledger=ledger, release=release)
    gc.enable()
    # What start-up built stays: later collections need not scan it again (a pause in a
    # full collection is a pause of every request this process holds).
    gc.freeze()
    server = uvicorn.Server(uvicorn_config(app, host=host, port=port, ledger=ledger))
    threading.Thread(target=_warm_query_reading, args=(server,), daemon=True).start()
    server.run(sockets=[listening])


def release_loaded(build_dir: Path, stores: LocalStores, replaces: bool) -> Release:
    """The release this process serves, loading it into `stores` (the first processes start the
    load of `current` on the loading thread and go on). A process that replaces one which
    served loads it here and, when `current` names a release that cannot be loaded (its
    siblings, like the one-process server, went on serving the last good one,
    api/release_watch.py), the newest kept release that can be; its own watcher then keeps
    trying `current` as theirs do."""
    from api.engine.worker_process import release_source

    if not replaces:
        release = current_release(build_dir)
        stores.preload(release.version, release_source(release))
        return release
    from api.engine.worker_loop import load
    from api.release_watch import ReleaseUnusable, usable_release

    kept = [k.release.path for k in reversed(published_releases(build_dir))]
    for path in dict.fromkeys([current_link(build_dir).resolve(), *kept]):
        try:
            release = usable_release(path)
            stores.datasets[release.version] = load(release_source(release))
            return release
        except (ReleaseUnusable, OSError, SyntaxError, ValueError) as error:
            log.error("this HTTP process cannot serve %s: %s", path, error)
    raise NoReleaseError(f"{build_dir}: no kept release can be served")


def _warm_query_reading(server) -> None:
    """Warm the query reader once the server answers (not during start-up)."""
    while not server.started and not server.should_exit:
        time.sleep(0.05)
    from api.engine import query_reading

    query_reading.warm()
