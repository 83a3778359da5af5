"""A real uvicorn server running the app on a free loopback port, for tests about HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from api.app import create_app
from api.http.server import uvicorn_config
from api.sparql.client_ledger import ClientLedger
from kskg.settings import Settings


class LiveServer:
    """A uvicorn server running the app in a background thread on a free loopback port, with
    the configuration `kskg serve` uses (api/http/server.py)."""

    def __init__(self, app, ledger: ClientLedger | None = None) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn_config(app, log_level="warning", ledger=ledger)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, args=([self.sock],), daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    @classmethod
    @contextmanager
    def serving(
        cls, settings: Settings, ledger: ClientLedger | None = None
    ) -> Iterator[LiveServer]:
        """The app built for `settings`, served until the block ends (its connections counted
        in `ledger` when given)."""
        server = cls(create_app(settings), ledger).start()
        try:
            yield server
        finally:
            server.stop()
