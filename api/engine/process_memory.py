"""Resident memory of a process, as the kernel reports it (Linux /proc)."""

from __future__ import annotations

import ctypes
from pathlib import Path


def rss_mib(pid: int) -> float | None:
    """Resident set size of process `pid` in MiB; None where /proc does not say (not Linux,
    or the process is gone)."""
    return _status_mib(f"/proc/{pid}/status", "VmRSS:")


def address_space_mib() -> float | None:
    """This process's virtual memory in MiB, what RLIMIT_AS limits; None where /proc does
    not say."""
    return _status_mib("/proc/self/status", "VmSize:")


def _status_mib(path: str, field: str) -> float | None:
    try:
        status = Path(path).read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return None


def release_freed() -> None:
    """Hand memory freed inside the C heap back to the system (glibc `malloc_trim`), so a
    dropped release no longer counts in the resident size the memory budget is judged by;
    nothing where there is no glibc."""
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
