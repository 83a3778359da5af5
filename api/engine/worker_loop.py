"""The message loop of a query worker (api/engine/worker.py); messages are frames
(api/engine/frames.py)."""

from __future__ import annotations

import socket
from pathlib import Path

import pyoxigraph as ox

from api.engine import query_reading
from api.engine.frames import HEADER, pack, unpack
from api.engine.query_job import QueryRefused
from api.engine.query_run import run_job
from api.engine.store import load_nquads


class _Dataset:
    """One loaded dataset: the store and the IRIs of its named graphs."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.graphs = frozenset(
            g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)
        )


def load(source: tuple) -> _Dataset:
    kind, data = source
    if kind == "release":
        return _Dataset(load_nquads(Path(data)))
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return _Dataset(store)


def serve(fd: int, isolated: bool) -> None:
    """Answer messages on socket `fd` until the server closes it."""
    # Pay pyparsing's first-use cost now rather than inside the first query's deadline.
    query_reading.read("SELECT * FROM <urn:x:g> WHERE { ?s ?p ?o }", None)
    channel = socket.socket(fileno=fd)
    datasets: dict[str, _Dataset] = {}
    while (message := _receive(channel)) is not None:
        reply = _handle(message, datasets, isolated)
        if reply is not None:
            try:
                channel.sendall(pack(reply))
            except (BrokenPipeError, ConnectionResetError):
                return  # the server closed the channel: it is shutting down


def _handle(message: tuple, datasets: dict[str, _Dataset], isolated: bool):
    kind = message[0]
    if kind == "run":
        _, key, job = message
        dataset = datasets.get(key)
        if dataset is None:
            return ("refused", _not_loaded(key))
        try:
            return ("done", run_job(dataset.store, dataset.graphs, job))
        except QueryRefused as refused:
            return ("refused", refused)
    if kind == "load":
        _, key, source = message
        try:
            datasets[key] = load(source)
        except (OSError, SyntaxError, ValueError) as error:
            return ("failed", f"{type(error).__name__}: {error}")
        return ("loaded", key, isolated)
    if kind == "drop":
        datasets.pop(message[1], None)
        return None
    raise ValueError(f"unknown message {kind!r}")


def _not_loaded(key: str) -> QueryRefused:
    """The job's data failed to load (the server replaces this worker): worth a retry soon."""
    refused = QueryRefused(503, "data_unavailable", f"data {key} not loaded", retry_after_s=5)
    refused.headers["Retry-After"] = "5"
    return refused


def _receive(channel: socket.socket):
    header = _read(channel, HEADER.size)
    if header is None:
        return None
    payload = _read(channel, HEADER.unpack(header)[0])
    return None if payload is None else unpack(payload)


def _read(channel: socket.socket, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        try:
            chunk = channel.recv(min(size - len(chunks), 1 << 20))
        except ConnectionResetError:
            return None
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)
