"""Errors and diagnostics that point at a place in an input file (docs/DESIGN.md, "Errors").

Both print as ``path:line: message`` so an editor can jump to the place; a diagnostic adds its
severity (``path:line: warning: message``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a diagnostic matters: warnings deserve a look, infos record a repair."""

    WARNING = "warning"
    INFO = "info"


class SourceError(Exception):
    """An input file cannot be read into the graph; ``line`` is 1-based (0 = the whole file)."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """Something the loader noticed and worked around; the graph is still built."""

    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity.value}: {self.message}"


def warning(path: str, line: int, message: str) -> Diagnostic:
    """A diagnostic a curator should read (a corrected name, a contradicting role, …)."""
    return Diagnostic(path, line, Severity.WARNING, message)


def info(path: str, line: int, message: str) -> Diagnostic:
    """A diagnostic that records a mechanical repair of the text."""
    return Diagnostic(path, line, Severity.INFO, message)
