"""Numeric sequence tasks: synthetic ECG-like rhythms (lesson 01), memory and padding tasks (lesson 02)."""

from __future__ import annotations

import numpy as np

from course_utils.data._common import _positive, _rng

__all__ = ["ecg_rhythm_signals", "long_memory_task", "last_token_task"]


# --------------------------------------------------------------------------------------
# Synthetic ECG-like rhythms (lesson 01)
# --------------------------------------------------------------------------------------


RR_FAST = (0.50, 0.60)  # seconds between beats, label 1: 100-120 beats per minute
RR_SLOW = (0.75, 1.00)  # label 0: 60-80 beats per minute


def ecg_rhythm_signals(
    n: int, *, length: int = 100, sampling_rate: float = 50.0, noise: float = 0.03, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic two-beat ECG-like traces, labelled by the time between the beats (the RR interval).

    Every trace holds two heartbeats (P wave, QRS complex, T wave), drawn with the same shapes and
    amplitudes in both classes; only their timing differs. Half of the traces are fast (RR interval
    0.50-0.60 s, label 1), half slow (0.75-1.00 s, label 0); the pair sits at a random place in the
    window (midpoint between the R peaks 0.8-1.2 s from the start). Sorting a trace's samples keeps
    every value and destroys the timing, so an order-free model can do little better than chance.

    Returns:
        x: float32 array (n, length, 1), the signal in millivolt-like units;
        y: int array (n,), 1 for a fast rhythm;
        rr: float array (n,), the RR interval in seconds.

    Example:
        >>> x, y, rr = ecg_rhythm_signals(4, seed=0)
        >>> x.shape, y.tolist(), bool(rr[1] < 0.6 < 0.75 < rr[0])
        ((4, 100, 1), [0, 1, 0, 1], True)
    """
    n = _positive("n", n)
    length = _positive("length", length)
    if sampling_rate <= 0:
        raise ValueError(f"sampling_rate must be > 0, got {sampling_rate}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    duration = length / sampling_rate
    if duration < 2.0:
        raise ValueError(f"the window must last at least 2 s to hold both beats, got {length} samples at "
                         f"{sampling_rate} Hz = {duration:.2f} s")
    rng = _rng(seed)
    t = np.arange(length) / sampling_rate
    y = np.arange(n) % 2
    rr = np.where(y == 1, rng.uniform(*RR_FAST, n), rng.uniform(*RR_SLOW, n))
    mid = rng.uniform(0.8, 1.2, n) + (duration - 2.0) / 2  # centred in a longer window
    x = np.zeros((n, length))

    def bump(centre: np.ndarray, sigma: np.ndarray | float, amp: np.ndarray) -> np.ndarray:
        sigma = np.broadcast_to(np.asarray(sigma, dtype=float), (n,))[:, None]
        return amp[:, None] * np.exp(-0.5 * ((t[None, :] - centre[:, None]) / sigma) ** 2)

    for r_peak in (mid - rr / 2, mid + rr / 2):
        width = rng.uniform(0.06, 0.10, n)  # QRS width, s
        amp_r = rng.uniform(0.8, 1.2, n)
        x += bump(r_peak - 0.14, 0.02, rng.uniform(0.08, 0.18, n))  # P wave
        x += bump(r_peak - width / 3, width / 6, -0.15 * amp_r)  # Q
        x += bump(r_peak, width / 6, amp_r)  # R
        x += bump(r_peak + width / 3, width / 6, -0.3 * amp_r)  # S
        x += bump(r_peak + 0.20, 0.035, rng.uniform(0.2, 0.35, n))  # T wave
    phase = rng.uniform(0, 2 * np.pi, n)[:, None]
    x += 0.05 * np.sin(2 * np.pi * 0.3 * t[None, :] + phase)  # baseline wander
    x += rng.normal(0.0, noise, x.shape)
    return x[..., None].astype(np.float32), y.astype(np.int64), rr


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
