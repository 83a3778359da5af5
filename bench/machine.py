"""The machine and software a benchmark run measured, for the head of RESULTS.md."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = ["pyoxigraph", "rdflib", "rdflib-endpoint", "pyshacl", "fastapi", "uvicorn", "httptools"]
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return "unknown"
    return f"{pages / 2**30:.1f} GiB"


def version_of(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def tool_version(argv: list[str]) -> str:
    if not shutil.which(argv[0]):
        return "not installed"
    done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    return (done.stdout or done.stderr).strip().splitlines()[0]


def machine_lines() -> list[str]:
    packages = ", ".join(f"{p} {version_of(p)}" for p in PACKAGES)
    commit = tool_version(["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"])
    return [
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, commit {commit}",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores (nproc), memory {memory_gib()}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}; {packages}",
        f"- load generator: {tool_version(['wrk', '--version'])}",
    ]
