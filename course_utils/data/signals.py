"""Numeric sequence tasks: synthetic ECG-like beats (lesson 01), memory and padding tasks (lesson 02)."""

from __future__ import annotations

import numpy as np

from course_utils.data._common import _positive, _rng

__all__ = ["ecg_signals", "long_memory_task", "last_token_task"]


# --------------------------------------------------------------------------------------
# Synthetic ECG-like beats (lesson 01)
# --------------------------------------------------------------------------------------


def ecg_signals(
    n: int, *, length: int = 100, sampling_rate: float = 100.0, noise: float = 0.03, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic one-beat ECG-like traces, labelled by the width of their QRS complex.

    A healthy QRS complex lasts 0.06-0.10 s; a wide one (>= 0.12 s) can signal a conduction
    problem. Half of the traces are normal (width 0.06-0.10 s, label 0) and half wide
    (0.12-0.18 s, label 1). Each trace has a P wave, a QRS complex at a random position, a T
    wave, baseline wander and Gaussian noise.

    Returns:
        x: float32 array (n, length, 1), the signal in millivolt-like units;
        y: int array (n,), 1 for a wide QRS;
        width: float array (n,), the QRS width in seconds.

    Example:
        >>> x, y, w = ecg_signals(4, seed=0)
        >>> x.shape, y.tolist()
        ((4, 100, 1), [0, 1, 0, 1])
    """
    n = _positive("n", n)
    length = _positive("length", length)
    rng = _rng(seed)
    t = np.arange(length) / sampling_rate
    duration = length / sampling_rate
    y = np.arange(n) % 2
    width = np.where(y == 1, rng.uniform(0.12, 0.18, n), rng.uniform(0.06, 0.10, n))
    centre = rng.uniform(0.35, 0.55, n) * duration
    x = np.zeros((n, length))

    def bump(mid: np.ndarray, sigma: np.ndarray | float, amp: np.ndarray | float) -> np.ndarray:
        return amp * np.exp(-0.5 * ((t[None, :] - np.asarray(mid)[:, None]) / np.asarray(sigma).reshape(-1, 1)) ** 2)

    amp_r = rng.uniform(0.8, 1.2, n)[:, None]
    sig = (width / 6)[:, None]
    x += bump(centre - 0.22 * duration, 0.025, rng.uniform(0.08, 0.18, n)[:, None])  # P wave
    x += bump(centre - width / 3, sig[:, 0], -0.15 * amp_r)  # Q
    x += bump(centre, sig[:, 0], amp_r)  # R
    x += bump(centre + width / 3, sig[:, 0], -0.3 * amp_r)  # S
    x += bump(centre + 0.28 * duration, 0.05, rng.uniform(0.2, 0.35, n)[:, None])  # T wave
    phase = rng.uniform(0, 2 * np.pi, n)[:, None]
    x += 0.05 * np.sin(2 * np.pi * 0.3 * t[None, :] + phase)  # baseline wander
    x += rng.normal(0.0, noise, x.shape)
    return x[..., None].astype(np.float32), y.astype(np.int64), width


# --------------------------------------------------------------------------------------
# Memory and padding tasks (lesson 02)
# --------------------------------------------------------------------------------------


def long_memory_task(
    n: int, steps: int, *, n_classes: int = 4, noise: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Remember a symbol across ``steps`` distracting time steps.

    Step 0 shows the label as a one-hot symbol among ``n_classes``; each of the next ``steps``
    steps shows one of ``n_classes`` other (distractor) symbols plus Gaussian noise. The model
    must output the first symbol after reading the whole sequence. Chance is ``1 / n_classes``.

    Returns x, float32 (n, steps + 1, 2 * n_classes), and y, int (n,).

    Example:
        >>> x, y = long_memory_task(3, 10, seed=0)
        >>> x.shape, bool((x[np.arange(3), 0, y] == 1).all())
        ((3, 11, 8), True)
    """
    n, steps, n_classes = _positive("n", n), _positive("steps", steps), _positive("n_classes", n_classes)
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = _rng(seed)
    y = rng.integers(0, n_classes, n)
    symbols = np.concatenate([y[:, None], rng.integers(n_classes, 2 * n_classes, (n, steps))], axis=1)
    x = np.eye(2 * n_classes, dtype=np.float32)[symbols]
    x[:, 1:] += rng.normal(0.0, noise, x[:, 1:].shape).astype(np.float32)
    return x, y


def last_token_task(
    n: int, *, min_length: int = 3, max_length: int = 80, vocab_size: int = 8, seed: int = 0
) -> tuple[list[list[str]], np.ndarray]:
    """Variable-length token sequences labelled by their *last* token (1 if it is above half the vocabulary).

    Padding matters here: after post-padding the deciding token sits far from the end.

    Example:
        >>> seqs, y = last_token_task(2, seed=0)
        >>> [int(int(s[-1]) > 4) for s in seqs] == y.tolist()
        True
    """
    n = _positive("n", n)
    if not 1 <= min_length <= max_length:
        raise ValueError(f"need 1 <= min_length <= max_length, got {min_length} and {max_length}")
    rng = _rng(seed)
    lengths = rng.integers(min_length, max_length + 1, n)
    seqs = [[str(t) for t in rng.integers(1, vocab_size + 1, k)] for k in lengths]
    y = np.array([int(int(s[-1]) > vocab_size // 2) for s in seqs])
    return seqs, y
