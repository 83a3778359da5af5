"""A query worker process:
`python -m api.engine.worker <fd> <parent pid> <memory MB> <isolate 0|1> <nice>`.

Neither pyoxigraph nor rdflib can stop a running query, so queries run here, in a process the
server can kill (api/engine/pool.py). The worker reads length-prefixed pickled messages from
the socket `fd`: loads and drops in order, jobs on its threads, each answered with its tag
(api/engine/messages.py has the table, api/engine/job_threads.py the threads).

Before importing anything else it makes sure it dies with its parent (PR_SET_PDEATHSIG), caps
its address space (RLIMIT_AS), lowers its CPU priority by `nice` (its threads inherit it; the
server's HTTP front must not wait behind evaluation), and, where the kernel allows unprivileged
namespaces, moves into a new, empty network namespace, so even a query the guard let through
could not reach the network. The socket is the worker's only connection to the world.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys

_PR_SET_PDEATHSIG = 1
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def die_with(parent: int, signum: int = signal.SIGKILL) -> None:
    """Have the kernel send `signum` to this process when `parent` ends (Linux's
    PR_SET_PDEATHSIG; elsewhere nothing); exit at once if it has ended already."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signum)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def isolate_network() -> bool:
    """Enter a new user + network namespace (only a down loopback inside); False if refused.
    Must run while the process has a single thread."""
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0


def _prepare(parent: int, memory_mb: int, isolate: bool, nice: int) -> bool:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    die_with(parent)
    isolated = isolate_network() if isolate else False
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.nice(nice)
    return isolated


def main(argv: list[str]) -> None:
    fd, parent, memory_mb, isolate = int(argv[0]), int(argv[1]), int(argv[2]), argv[3] == "1"
    isolated = _prepare(parent, memory_mb, isolate, nice=int(argv[4]))
    from api.engine.worker_loop import serve

    serve(fd, isolated)


if __name__ == "__main__":
    main(sys.argv[1:])
