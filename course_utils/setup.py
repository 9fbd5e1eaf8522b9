"""One call for the first cell of every notebook: backend, quiet TensorFlow, seeds, plot style."""

from __future__ import annotations

import contextlib
import os
import random
import sys
from typing import Iterator

import numpy as np

__all__ = ["setup_course", "quiet_stderr"]


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence everything written to file descriptor 2 (C++ log lines included) inside the block.

    TensorFlow's native code prints start-up lines straight to fd 2, which Jupyter
    captures into the notebook; Python-level redirection cannot catch them.

    Example:
        >>> with quiet_stderr():
        ...     import math
    """
    try:
        fd = sys.__stderr__.fileno() if sys.__stderr__ is not None else 2
    except (AttributeError, OSError, ValueError):
        fd = 2
    sys.stderr.flush()
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


def setup_course(seed: int = 42, *, plot_style: bool = True) -> None:
    """Prepare a notebook: TensorFlow backend, quiet TensorFlow import, seeds, plot style.

    Call it once, in the first code cell, before anything imports TensorFlow.
    Seeding Python, NumPy and Keras (hence TensorFlow) makes two runs on the same
    machine give the same numbers, bit for bit, with or without XLA
    (``jit_compile=True``); ``scripts/compare_runs.py`` checks this on two executions
    of a notebook. Another machine can print slightly different figures: TensorFlow
    picks its matrix-multiplication kernels (oneDNN) by the CPU's instruction set
    (AVX2, AVX-512, ...), so floating-point sums are added in another order and a
    trained model's last digits, and a few of its answers, can change.

    Args:
        seed: the seed for Python's ``random``, NumPy and TensorFlow.
        plot_style: apply the course's readable Matplotlib style.

    Example:
        >>> from course_utils import setup_course
        >>> setup_course(seed=0)
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if os.environ["KERAS_BACKEND"] != "tensorflow":
        raise RuntimeError(
            "This course uses the TensorFlow backend, but KERAS_BACKEND is "
            f"{os.environ['KERAS_BACKEND']!r}. Unset it or set it to 'tensorflow'."
        )
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with quiet_stderr():
        import tensorflow as tf  # noqa: F401
        import keras

        tf.get_logger().setLevel("ERROR")
        keras.utils.set_random_seed(seed)
        # Some Keras 3 releases keep the generator behind unseeded keras.random calls across set_random_seed;
        # drop it here too, so every version restarts it from the seed.
        with contextlib.suppress(ImportError):
            from keras.src.backend.common import global_state

            global_state.set_global_attribute("global_seed_generator", None)
    random.seed(seed)
    np.random.seed(seed)
    if plot_style:
        apply_plot_style()


def apply_plot_style() -> None:
    """Set a large, readable Matplotlib style (used by :func:`setup_course`).

    Example:
        >>> apply_plot_style()
    """
    import matplotlib

    matplotlib.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titlesize": 13,
            "axes.labelsize": 11,
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "legend.fontsize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "image.cmap": "viridis",
        }
    )
