"""CPU time of a server's process tree (the process and its direct children, e.g. kskg serve's
query workers), from /proc: what a load run cost the machine besides its wall time."""

from __future__ import annotations

import os
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_s(pid: int) -> float:
    """User plus system CPU seconds of process `pid` (0 if it is gone)."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / _TICKS if fields else 0.0


def tree(pid: int) -> list[int]:
    """`pid` and its direct children."""
    found = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def snapshot(pid: int) -> dict[int, float]:
    """CPU seconds per process of `pid`'s tree now."""
    return {p: cpu_s(p) for p in tree(pid)}


def spent(before: dict[int, float], pid: int) -> tuple[float, float]:
    """(CPU s of `pid` itself, CPU s of its children) since `before` (children started since
    count from zero; children that ended meanwhile are lost, a worker killed by its deadline)."""
    now = snapshot(pid)
    own = now.get(pid, 0.0) - before.get(pid, 0.0)
    children = sum(v - before.get(p, 0.0) for p, v in now.items() if p != pid)
    return own, children
