"""Several HTTP processes on one listening socket, kept running by a supervisor that only
starts, replaces and stops them.

The supervisor binds the socket, then forks `count` children; each serves on the inherited
socket (the kernel hands each new connection to one child that is accepting). It does no
request work itself, holds no event loop and no thread, and imports nothing of the app (each
child imports it, api/serving.py), so a fork is safe and takes a millisecond.

A child tells the supervisor over a pipe when it must end (`Child.condemned`: a query of its own
ran past its deadline and only the end of the process can stop it): the supervisor starts its
replacement at once, while the condemned child stops accepting, answers what it holds and
exits; one still running `drain_s` later is killed. A child that ends without saying so
(a crash) is replaced after a pause that grows while starts keep failing; when the app cannot
even start (uvicorn's start-up failure, `STARTS_TRIED` times in a row before any child ever
ran `STABLE_AFTER_S`), the supervisor stops with that status instead of trying forever.
SIGTERM or SIGINT: every child gets SIGTERM (each finishes its requests in flight), then the
supervisor exits.
Children die with the supervisor (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import logging
import os
import select
import signal
import socket
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from api.engine.worker import die_with

log = logging.getLogger("kskg.serve")

#: A child that lived this long before ending resets the pause before the next start.
STABLE_AFTER_S = 10.0
#: uvicorn's exit status when the app's start-up failed (e.g. the release cannot be loaded).
STARTUP_FAILURE = 3
#: Start-up failures in a row, with no child ever up for STABLE_AFTER_S, that end the server.
STARTS_TRIED = 3


@dataclass
class _Running:
    slot: int
    started: float
    condemned: float | None = None


class Child:
    """What a child process gets: its slot (the lowest one free), whether it replaces a child
    that served (`replaces`: one condemned, or one that crashed after running STABLE_AFTER_S
    or once any child had), and the way to tell the supervisor it must end."""

    def __init__(self, slot: int, pipe: int, replaces: bool = False) -> None:
        self.slot = slot
        self.replaces = replaces
        self._pipe = pipe

    def condemned(self) -> None:
        """Tell the supervisor to start this child's replacement now (it ends by itself)."""
        with suppress(OSError):  # the supervisor is gone: this child ends with it anyway
            os.write(self._pipe, b"%d\n" % os.getpid())


class Supervisor:
    """Runs `count` children of `serve(child, listening)` (which must not return normally
    before the child should end) and replaces them as the module docstring says.
    `released(slot)` is called in the supervisor when a child of that slot has ended."""

    def __init__(
        self,
        listening: socket.socket,
        count: int,
        serve: Callable[[Child, socket.socket], None],
        *,
        drain_s: float,
        stop_s: float,
        released: Callable[[int], None] = lambda slot: None,
    ) -> None:
        self.listening, self.count, self.serve = listening, count, serve
        self.drain_s, self.stop_s, self.released = drain_s, stop_s, released
        self.children: dict[int, _Running] = {}
        self._read, self._write = os.pipe()
        self._failures = 0
        self._next_start = 0.0
        self._stopping = False
        self._ever_stable = False
        self.status = 0

    def run(self) -> int:
        """Serve until SIGTERM or SIGINT; returns the exit status."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._stop)
        for _ in range(self.count):
            self._start()
        while not self._stopping:
            self._tick()
        self._stop_children()
        return self.status

    def _tick(self) -> None:
        ready, _, _ = select.select([self._read], [], [], 0.2)
        if ready:
            for line in os.read(self._read, 4096).split():
                self._condemned(int(line))
        self._reap()
        now = time.monotonic()
        for pid, child in list(self.children.items()):
            if child.condemned is not None and now - child.condemned > self.drain_s:
                log.warning("child %d still draining after %.0f s: killed", pid, self.drain_s)
                _kill(pid, signal.SIGKILL)
        if self._serving() < self.count and now >= self._next_start and not self._stopping:
            self._start(replaces=self._ever_stable)

    def _serving(self) -> int:
        return sum(1 for child in self.children.values() if child.condemned is None)

    def _condemned(self, pid: int) -> None:
        child = self.children.get(pid)
        if child is not None and child.condemned is None:
            child.condemned = time.monotonic()
            if not self._stopping:
                self._start(replaces=True)

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if not pid:
                return
            child = self.children.pop(pid, None)
            if child is None:
                continue
            self.released(child.slot)
            if child.condemned is None and not self._stopping:
                self._crashed(pid, status, child)

    def _crashed(self, pid: int, status: int, child: _Running) -> None:
        lived = time.monotonic() - child.started
        self._ever_stable = self._ever_stable or lived > STABLE_AFTER_S
        self._failures = 0 if lived > STABLE_AFTER_S else self._failures + 1
        self._next_start = time.monotonic() + min(5.0, 0.5 * self._failures)
        log.error("HTTP process %d ended (%s) after %.1f s", pid, _status(status), lived)
        never_started = not self._ever_stable and self._failures >= STARTS_TRIED
        if never_started and os.WIFEXITED(status) and os.WEXITSTATUS(status) == STARTUP_FAILURE:
            log.error("the HTTP processes cannot start (%d tries): stopping", self._failures)
            self.status, self._stopping = STARTUP_FAILURE, True

    def _start(self, replaces: bool = False) -> None:
        used = {child.slot for child in self.children.values()}
        slot = next(s for s in range(2 * self.count + len(used)) if s not in used)
        pid = os.fork()
        if pid == 0:
            self._become_child(Child(slot, self._write, replaces))
        self.children[pid] = _Running(slot, time.monotonic())

    def _become_child(self, child: Child) -> None:
        status = 1
        try:
            # uvicorn restores this handler after its graceful shutdown and raises the signal
            # again: the child then leaves through the `finally` below, which flushes.
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, _exit_quietly)
            os.close(self._read)
            die_with(os.getppid(), signal.SIGTERM)
            self.serve(child, self.listening)
            status = 0
        except SystemExit as stopped:
            status = stopped.code if isinstance(stopped.code, int) else 1
        finally:
            # os._exit skips the interpreter's own flushing: the last access log lines.
            for stream in (sys.stdout, sys.stderr):
                with suppress(OSError, ValueError):
                    stream.flush()
            os._exit(status)

    def _stop(self, signum: int, frame: object) -> None:
        self._stopping = True

    def _stop_children(self) -> None:
        for pid in self.children:
            _kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_s
        while self.children and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        for pid in list(self.children):
            _kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            self.released(self.children.pop(pid).slot)


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _kill(pid: int, sig: int) -> None:
    with suppress(ProcessLookupError):
        os.kill(pid, sig)


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
