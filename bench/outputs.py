"""Where the benchmarks keep their scratch files and measurements.

Everything goes under bench/out/ (ignored by git), or under $KSKG_BENCH_OUT when set (the
smoke tests point it at a temporary folder so they never overwrite a real run's results).
Each benchmark saves one JSON file in results/; bench/report.py reads them.
"""

from __future__ import annotations

import json
import os
import statistics
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent / "out"


def out_dir() -> Path:
    path = Path(os.environ.get("KSKG_BENCH_OUT") or DEFAULT_OUT)
    path.mkdir(parents=True, exist_ok=True)
    return path


def results_dir() -> Path:
    return out_dir() / "results"


def save(name: str, data: dict, folder: Path | None = None) -> Path:
    folder = folder or results_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def load(name: str, folder: Path | None = None) -> dict | None:
    path = (folder or results_dir()) / f"{name}.json"
    return json.loads(path.read_text("utf-8")) if path.is_file() else None


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
