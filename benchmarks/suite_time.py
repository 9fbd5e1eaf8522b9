"""How long the notebook half of `make test` takes, notebook by notebook, and how fast the machine was meanwhile.

    python benchmarks/suite_time.py                      # every notebook
    python benchmarks/suite_time.py notebooks/09_bleu.ipynb

Each notebook runs under nbval exactly as `make notebooks` runs it, in its own pytest process. Before the first
notebook and after the last, a fixed probe (a small LSTM trained for 120 steps on the long-memory task of lesson 02,
after one warm-up epoch) measures training steps per second. On a shared virtual machine this rate moves a lot from
one hour to the next (on the course's 2-core test machine it varied about threefold within one afternoon), and the
notebooks' times move with it: compare suite times only together with the probe rates they were measured at.
Times are printed, never asserted.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import time
from course_utils import setup_course
setup_course(seed=0)
import keras
from course_utils.data import long_memory_task
x, y = long_memory_task(1920, 50, seed=1)
model = keras.Sequential([keras.Input(x.shape[1:]), keras.layers.LSTM(32), keras.layers.Dense(4, activation="softmax")])
model.compile(keras.optimizers.Adam(5e-3), "sparse_categorical_crossentropy")
model.fit(x, y, batch_size=32, epochs=1, verbose=0)  # warm-up: tracing and the first steps
start = time.perf_counter()
model.fit(x, y, batch_size=32, epochs=2, verbose=0)  # 2 x 60 = 120 steps
print(120 / (time.perf_counter() - start))
"""


def probe() -> float:
    """Training steps per second of the fixed probe (higher is faster)."""
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def run_notebook(path: Path) -> tuple[float, bool]:
    """Wall seconds of one notebook under nbval, and whether it passed."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=900", "-q",
         str(path)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    return time.perf_counter() - start, result.returncode == 0


def main(args: list[str]) -> int:
    notebooks = [Path(a).resolve() for a in args] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing:
        print(f"no such notebook: {', '.join(missing)}")
        return 2
    before = probe()
    print(f"probe before: {before:.1f} training steps/s")
    total, failed = 0.0, []
    for path in notebooks:
        seconds, passed = run_notebook(path)
        total += seconds
        failed += [] if passed else [path.name]
        print(f"{path.name:<32} {seconds:7.0f} s  {'passed' if passed else 'FAILED'}", flush=True)
    after = probe()
    print(f"{'notebooks in all':<32} {total:7.0f} s  ({total / 60:.1f} min)")
    print(f"probe after: {after:.1f} training steps/s (before/after ratio {before / after:.2f})")
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
