"""Benchmark 1: `kskg build` of the real corpus and of synthetic corpora 10× and 100× as large.

    python -m bench.bench_build [--quick]

Each build runs `kskg build --data-dir D --build-dir B` as a user would (a fresh build folder
each time, so every run parses, validates, writes and publishes): the real corpus 3 times,
10× and 100× once each. The wall time includes Python start-up and imports; the per-step
times are the ones `kskg build` prints on stderr ("parse … 0.4 s", "validate … 1.2 s", …).
Results: bench/out/results/build.json.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench import outputs
from bench.servers import PROJECT_ROOT, kskg_command
from bench.synth_corpus import generate_corpus

# `kskg build` progress lines end in "… <seconds> s"; the first word names the step.
_STEP = re.compile(r"^(?P<step>[a-z]+)\b.*…\s*(?P<seconds>\d+(?:\.\d+)?)\s*s\s*$")


@dataclass(frozen=True)
class BuildRun:
    wall_s: float
    steps: dict[str, float]
    error: str | None = None  # the last stderr line of a failed build


class BuildFailed(RuntimeError):
    def __init__(self, message: str, run: BuildRun) -> None:
        super().__init__(message)
        self.run = run


def build_release(data_dir: Path, build_dir: Path, timeout_s: float = 900) -> BuildRun:
    """Build `data_dir` into a fresh `build_dir` with the `kskg` command.

    Raises BuildFailed (carrying the steps that finished) if `kskg build` exits non-zero."""
    if build_dir.exists():
        shutil.rmtree(build_dir)
    command = [kskg_command(), "build", "--data-dir", str(data_dir), "--build-dir", str(build_dir)]
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout_s
    )
    run = BuildRun(round(time.perf_counter() - started, 3), parse_steps(done.stderr))
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["(no output)"]
        failed = BuildRun(run.wall_s, run.steps, lines[-1])
        tail = "\n".join(lines[-15:])
        raise BuildFailed(f"kskg build of {data_dir} failed ({done.returncode}):\n{tail}", failed)
    return run


def parse_steps(stderr: str) -> dict[str, float]:
    """Per-step seconds from `kskg build`'s progress lines (a repeated step is summed)."""
    steps: dict[str, float] = {}
    for line in stderr.splitlines():
        match = _STEP.match(line.strip())
        if match:
            name = match["step"]
            steps[name] = round(steps.get(name, 0.0) + float(match["seconds"]), 3)
    return steps


def ensure_release(build_dir: Path | None = None) -> Path:
    """A release of the real corpus in `build_dir` (default: out/build-real), built now if there
    is none yet."""
    build_dir = build_dir or outputs.out_dir() / "build-real"
    if not (build_dir / "current" / "manifest.json").is_file():
        build_release(PROJECT_ROOT / "data", build_dir)
    return build_dir


def measure(label: str, data_dir: Path, profiles: int, repeats: int) -> dict:
    """Median wall and step times of `repeats` builds; a failed build ends the series and is
    recorded with the steps it finished and its error (the table then shows why)."""
    build_dir = outputs.out_dir() / f"build-{label}"
    runs, error = [], None
    for _ in range(repeats):
        try:
            runs.append(build_release(data_dir, build_dir))
        except BuildFailed as failure:
            runs, error = [failure.run], failure.run.error
            break
    steps = sorted({step for run in runs for step in run.steps})
    manifest = build_dir / "current" / "manifest.json"
    counts = json.loads(manifest.read_text("utf-8")).get("counts", {}) if not error else {}
    return {
        "corpus": label,
        "profiles": profiles,
        "repeats": len(runs),
        "quads": counts.get("quads"),
        "wall_s": outputs.median([r.wall_s for r in runs]),
        "wall_runs_s": [r.wall_s for r in runs],
        "steps_s": {s: outputs.median([r.steps.get(s, 0.0) for r in runs]) for s in steps},
        "error": error,
    }


def last_complete(rows: list[dict]) -> dict | None:
    """The largest corpus that built completely."""
    return next((r for r in reversed(rows) if not r["error"]), None)


def growth_exponent(small: dict, large: dict) -> float | None:
    """k in t ∝ n^k between two corpora (1.0 = linear); None without two sizes."""
    if not small or not large or small["profiles"] == large["profiles"]:
        return None
    ratio_t = large["wall_s"] / small["wall_s"]
    return round(math.log(ratio_t) / math.log(large["profiles"] / small["profiles"]), 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one build each of 1× and 2×")
    args = parser.parse_args(argv)
    real = PROJECT_ROOT / "data"
    real_profiles = sum(1 for p in (real / "sources").glob("*.txt") if _is_profile(p))
    # 100x needs minutes of SHACL validation, so larger corpora get fewer runs to fit the suite
    # into 15 minutes; a build stopped by `kskg build`'s SHACL time-out is reported as such.
    plan = [(1, 1)] if args.quick else [(1, 3), (10, 3), (100, 1)]
    if args.quick:
        plan.append((2, 1))
    rows = []
    for factor, repeats in plan:
        data_dir = real
        if factor > 1:
            data_dir = outputs.out_dir() / f"corpus-{factor}x"
            generate_corpus(real, data_dir, factor, seed=0)
        label = "real" if factor == 1 else f"{factor}x"
        rows.append(measure(label, data_dir, real_profiles * factor, repeats))
        row = rows[-1]
        print(f"build {label}: {row['wall_s']:.2f} s {row['steps_s']} {row['error'] or ''}")
    largest = last_complete(rows)
    result = {"rows": rows, "growth_exponent": growth_exponent(rows[0], largest)}
    outputs.save("build", result)
    return 0


def _is_profile(path: Path) -> bool:
    first = path.read_text("utf-8").lstrip().split("\n", 1)[0].strip()
    return first in ("PARTNERKOMMUNE", "MODELLKOMMUNE")


if __name__ == "__main__":
    raise SystemExit(main())
