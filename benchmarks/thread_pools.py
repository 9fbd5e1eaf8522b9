"""Training speed when two TensorFlow processes share the cores, with TensorFlow's default thread pools and with
one share of the cores per process, as `make test` sets them.

    python benchmarks/thread_pools.py

`make test` runs two notebooks at a time (two pytest-xdist workers). TensorFlow sizes its intra-op and inter-op
thread pools to every core of the machine, so two processes side by side run twice as many busy threads as there
are cores, and the threads of one process keep waiting for cores the other holds. The Makefile therefore gives each
worker's TensorFlow `TF_NUM_INTRAOP_THREADS` = `TF_NUM_INTEROP_THREADS` = cores / 2 (at least 1). This script
measures what that buys: the training steps per second of the GRU-256 character language model of the
language-model lesson (batch 64, 100 steps, XLA), once alone with the default pools and twice with two copies
running at the same time, with default pools and with the share. Times are printed, never asserted; the machine's
speed moves from hour to hour, so compare figures of one run only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STEP_PROBE = """
import time
import numpy as np
from course_utils import setup_course
setup_course(seed=0)
import keras
V, H = 97, 256
tokens = keras.Input((None,), dtype="int32")
states = keras.layers.GRU(H, return_sequences=True)(keras.layers.Embedding(V, 32)(tokens))
model = keras.Model(tokens, keras.layers.Dense(V)(states))
model.compile(keras.optimizers.Adam(5e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              jit_compile=True)
x = np.random.default_rng(0).integers(0, V, (64 * 12, 100))  # 12 batches of 64 windows of 100 characters
model.fit(x, x, batch_size=64, epochs=1, verbose=0)  # warm-up: tracing, compiling, the first steps
start = time.perf_counter()
model.fit(x, x, batch_size=64, epochs=1, verbose=0)
print(12 / (time.perf_counter() - start))
"""


def steps_per_second(copies: int, threads: int | None) -> list[float]:
    """Steps per second of each of `copies` probe processes started together (threads=None: TensorFlow's default)."""
    env = dict(os.environ)
    for name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        env.pop(name, None)
        if threads is not None:
            env[name] = str(threads)
    procs = [subprocess.Popen([sys.executable, "-c", STEP_PROBE], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True) for _ in range(copies)]  # fmt: skip
    return [float(p.communicate()[0].strip().splitlines()[-1]) for p in procs]


def main() -> int:
    share = max(1, (os.cpu_count() or 2) // 2)
    print(f"{os.cpu_count()} cores; GRU-256 language-model training steps per second (batch 64, T = 100)")
    solo = steps_per_second(1, None)[0]
    shared_default = steps_per_second(2, None)
    shared_share = steps_per_second(2, share)
    print(f"  one process, default pools        : {solo:6.2f}")
    print(f"  two processes, default pools      : {' + '.join(f'{s:.2f}' for s in shared_default)}"
          f" = {sum(shared_default):.2f}")
    print(f"  two processes, {share} thread(s) per pool: {' + '.join(f'{s:.2f}' for s in shared_share)}"
          f" = {sum(shared_share):.2f}")
    print(f"ratio, two processes, share / default pools: {sum(shared_share) / sum(shared_default):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
