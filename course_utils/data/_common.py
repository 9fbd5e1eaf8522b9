"""Private helpers shared by the data modules: seeded generators and argument checks."""

from __future__ import annotations

import importlib.util
from pathlib import Path
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


def _package_folders(package: str, what: str, install: str) -> list[Path]:
    """The folders of an installed package, found without importing it; a clear error if it is not installed."""
    spec = importlib.util.find_spec(package)
    if spec is None:
        raise ModuleNotFoundError(
            f"{what} read from the package {package}, which is not installed; "
            f"install it with `{install}` (requirements.txt pins this version)",
            name=package,
        )
    if spec.submodule_search_locations:
        return [Path(location) for location in spec.submodule_search_locations]
    return [Path(str(spec.origin)).parent]
