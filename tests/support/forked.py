"""Forked child processes for tests of state shared across processes (api/sparql/client_ledger.py):
each child runs a function with one end of a pipe, the test holds the other."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection

FORK = multiprocessing.get_context("fork")


class Child:
    """A forked process running `target(pipe, *args)`; `pipe` talks to it."""

    def __init__(self, target: Callable[..., None], *args) -> None:
        self.pipe, theirs = FORK.Pipe()
        self.process = FORK.Process(target=target, args=(theirs, *args), daemon=True)
        self.process.start()
        theirs.close()

    def expect(self, message: object, timeout: float = 20) -> None:
        """Wait for `message` from the child."""
        assert self.pipe.poll(timeout), f"the child did not say {message!r} in {timeout} s"
        assert self.pipe.recv() == message

    def receive(self, timeout: float = 20) -> object:
        assert self.pipe.poll(timeout), f"the child said nothing in {timeout} s"
        return self.pipe.recv()

    def finish(self, timeout: float = 20) -> None:
        """Tell the child to go on (it waits with `wait_for_go`) and wait until it exits."""
        self.pipe.send("go")
        self.process.join(timeout)
        assert self.process.exitcode == 0, f"the child exited with {self.process.exitcode}"

    def kill(self) -> None:
        """SIGKILL the child, whatever it is doing, and reap it."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(20)
        assert self.process.exitcode == -signal.SIGKILL


def wait_for_go(pipe: Connection) -> None:
    assert pipe.poll(60) and pipe.recv() == "go"


@contextmanager
def children(*started: Child) -> Iterator[tuple[Child, ...]]:
    """Reap `started` when the block ends, killing whichever are still running."""
    try:
        yield started
    finally:
        for child in started:
            child.process.join(5)
            if child.process.is_alive():
                with suppress(ProcessLookupError):
                    os.kill(child.process.pid, signal.SIGKILL)
                child.process.join(20)
