"""The message loop of a query worker (api/engine/worker.py): typed messages
(api/engine/messages.py) in frames (api/engine/frames.py)."""

from __future__ import annotations

import os
import socket
import threading
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from api.engine.frames import HEADER, pack, unpack
from api.engine.job_threads import JobThreads
from api.engine.messages import (
    Done,
    Drop,
    Load,
    Loaded,
    LoadFailure,
    NQuads,
    Refused,
    ReleaseDump,
    Reply,
    Request,
    Run,
    Slow,
    Source,
)
from api.engine.oxigraph_store import load_nquads
from api.engine.process_memory import release_freed, rss_mib
from api.engine.query_run import run_job
from api.errors import ApiError


class Dataset:
    """One loaded dataset: the store and the IRIs of its named graphs."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.graphs = frozenset(
            g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)
        )


def load(source: Source) -> Dataset:
    if isinstance(source, ReleaseDump):
        return Dataset(load_nquads(Path(source.path)))
    assert isinstance(source, NQuads)
    store = ox.Store()
    store.load(source.data, format=ox.RdfFormat.N_QUADS)
    return Dataset(store)


def serve(fd: int, isolated: bool) -> None:
    """Answer messages on socket `fd` until the server closes it: loads and drops here, in
    order, jobs on the job threads (api/engine/job_threads.py)."""
    from api.engine import query_reading

    query_reading.warm()
    channel = socket.socket(fileno=fd)
    datasets: dict[str, Dataset] = {}
    send = _Sender(channel)
    jobs = JobThreads(send)
    while (message := _receive(channel)) is not None:
        if isinstance(message, Run):
            # The dataset is taken now: a drop sent after the job waits for it, as before.
            jobs.submit(message.tag, partial(run_message, message, datasets.get(message.key)))
        elif isinstance(message, Slow):
            jobs.slow(message.tag)
        elif (reply := _handle(message, datasets, isolated)) is not None:
            send(reply)
        if send.closed:
            return  # the server closed the channel: it is shutting down


class _Sender:
    """Sends replies from any thread, one whole frame at a time."""

    def __init__(self, channel: socket.socket) -> None:
        self.channel, self.closed = channel, False
        self._lock = threading.Lock()

    def __call__(self, reply: Reply) -> None:
        frame = pack(reply)
        with self._lock:
            try:
                self.channel.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                self.closed = True


def run_message(message: Run, dataset: Dataset | None) -> Reply:
    """The answer to one job, on a job thread."""
    if dataset is None:
        return Refused(_not_loaded(message.key), message.tag)
    try:
        return Done(run_job(dataset.store, dataset.graphs, message.job), message.tag)
    except ApiError as refused:
        return Refused(refused, message.tag)


def load_into(datasets: dict[str, Dataset], message: Load, isolated: bool) -> Reply:
    """Load `message.source` as `datasets[message.key]`: `Loaded` with what it added to this
    process's resident memory, or `LoadFailure` saying why not."""
    before = rss_mib(os.getpid())
    try:
        datasets[message.key] = load(message.source)
    except (OSError, SyntaxError, ValueError) as error:
        return LoadFailure(f"{type(error).__name__}: {error}")
    after = rss_mib(os.getpid())
    grown = after - before if before is not None and after is not None else 0.0
    return Loaded(message.key, isolated, grown)


def _handle(message: Request, datasets: dict[str, Dataset], isolated: bool) -> Reply | None:
    if isinstance(message, Load):
        return load_into(datasets, message, isolated)
    if isinstance(message, Drop):
        if datasets.pop(message.key, None) is not None:
            release_freed()
        return None
    raise ValueError(f"unknown message {message!r}")


def _not_loaded(key: str) -> ApiError:
    """The job's data failed to load (the server replaces this worker): worth a retry soon."""
    return ApiError(503, "data_unavailable", f"data {key} not loaded", retry_after=5)


def _receive(channel: socket.socket) -> Request | None:
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
