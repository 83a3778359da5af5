"""Where the benchmarks keep their measurements: one JSON file per benchmark in bench/out/."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"
RESULTS_DIR = OUT_DIR / "results"


def save(name: str, data: dict, results_dir: Path = RESULTS_DIR) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def load(name: str, results_dir: Path = RESULTS_DIR) -> dict | None:
    path = results_dir / f"{name}.json"
    return json.loads(path.read_text("utf-8")) if path.is_file() else None


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
