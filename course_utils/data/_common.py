"""Private helpers shared by the data modules: seeded generators and argument checks."""

from __future__ import annotations

from typing import TypeVar

import numpy as np

T = TypeVar("T")


def _rng(seed: int | None) -> np.random.Generator:
    if seed is not None and (not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    return np.random.default_rng(seed)


def _positive(name: str, value: int) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)
