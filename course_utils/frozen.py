"""The lessons' held-out test sets, frozen as small tab-separated files in ``data/``.

Every test set of the course comes from a seeded generator in :mod:`course_utils.data`. The files in
``data/`` store what those generators gave when the lessons' results were measured, so that a change in
a generator (or in NumPy's random streams, or in Babel's month names) shows up as a failing test instead
of as results that can no longer be compared. ``make data`` rewrites the files; ``data/README.md`` says
what each one holds and which lessons use it.

Each file has a header line naming its two columns, then one ``source<TAB>target`` row per example,
in the order the lesson uses them, encoded in UTF-8 with ``\\n`` line ends. The strings are stored
exactly as the lesson sees them, padding spaces included.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from course_utils import data as _data

__all__ = ["DATA_DIR", "TEST_SETS", "FrozenTestSet", "generate_test_set", "write_test_sets", "load_test_set"]

#: The repository's ``data/`` folder (next to ``course_utils/``).
DATA_DIR: Path = Path(__file__).resolve().parent.parent / "data"


def _addition() -> tuple[list[str], list[str]]:
    questions, answers = _data.addition_questions(50_000, digits=3, seed=0)
    # shuffled before the split: the generator's last draws hold fewer small operands (small pairs run out first)
    test = np.random.default_rng(0).permutation(50_000)[-5_000:]
    return [questions[i] for i in test], [answers[i] for i in test]


def _french_numbers() -> tuple[list[str], list[str]]:
    _, test_numbers = _data.french_number_split(n_large=34_000, n_test=5_000, seed=0)
    return _data.french_number_pairs(test_numbers)


def _dates() -> tuple[list[str], list[str]]:
    _, test_dates = _data.date_split(n_train=20_000, n_test=2_500, seed=0)
    return _data.date_pairs(test_dates, seed=2)


@dataclass(frozen=True)
class FrozenTestSet:
    """How one frozen test set is made: its file, column names, size and generator."""


    file_name: str
    columns: tuple[str, str]
    rows: int
    generator: Callable[[], tuple[list[str], list[str]]]


#: The frozen test sets by name. The generator calls are the ones the lessons make.
TEST_SETS: dict[str, FrozenTestSet] = {
    "addition": FrozenTestSet("addition_test.tsv", ("question", "answer"), 5_000, _addition),
    "french_numbers": FrozenTestSet("french_numbers_test.tsv", ("phrase", "digits"), 5_000, _french_numbers),
    "dates": FrozenTestSet("dates_test.tsv", ("human", "iso"), 2_500, _dates),
}


def _spec(name: str) -> FrozenTestSet:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if name not in TEST_SETS:
        raise ValueError(f"unknown test set {name!r}; the frozen test sets are {sorted(TEST_SETS)}")
    return TEST_SETS[name]


def generate_test_set(name: str) -> tuple[list[str], list[str]]:
    """Run the generator of test set ``name`` and return its (sources, targets).

    Example:
        >>> questions, answers = generate_test_set("addition")
        >>> len(questions), questions[0] == questions[0].ljust(7), answers[0] == answers[0].ljust(4)
        (5000, True, True)
    """
    spec = _spec(name)
    sources, targets = spec.generator()
    if len(sources) != spec.rows or len(targets) != spec.rows:
        raise ValueError(f"the {name!r} generator gave {len(sources)}/{len(targets)} rows, expected {spec.rows}")
    for column in (sources, targets):
        for row, text in enumerate(column, start=2):
            if not text or "\t" in text or "\n" in text or "\r" in text:
                raise ValueError(f"{name!r} row {row} cannot be stored in a TSV file: {text!r}")
    return sources, targets


def write_test_sets(folder: str | os.PathLike[str] = DATA_DIR) -> list[Path]:
    """Regenerate every frozen test set into ``folder`` and return the paths written.

    Example:
        >>> import tempfile
        >>> [p.name for p in write_test_sets(tempfile.mkdtemp())]
        ['addition_test.tsv', 'french_numbers_test.tsv', 'dates_test.tsv']
    """
    target = Path(os.fspath(folder))
    if target.exists() and not target.is_dir():
        raise ValueError(f"{target} is a file, not a folder")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, spec in TEST_SETS.items():
        sources, targets = generate_test_set(name)
        lines = ["\t".join(spec.columns)] + [f"{s}\t{t}" for s, t in zip(sources, targets)]
        path = target / spec.file_name
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write("\n".join(lines) + "\n")
        written.append(path)
    return written


def load_test_set(name: str, folder: str | os.PathLike[str] = DATA_DIR) -> tuple[list[str], list[str]]:
    """Read frozen test set ``name`` from ``folder``: (sources, targets), exactly as the lesson builds them.

    Raises ``FileNotFoundError`` if the file is missing and ``ValueError`` naming the file and line if
    its header, a row or its row count is not what the test set should have.

    Example:
        >>> phrases, digits = load_test_set("french_numbers")
        >>> len(phrases), all(d == str(int(d)) for d in digits)
        (5000, True)
    """
    spec = _spec(name)
    path = Path(os.fspath(folder)) / spec.file_name
    if not path.is_file():
        raise FileNotFoundError(f"no frozen test set at {path}: run `make data` to write it")
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line[:-1] if line.endswith("\n") else line for line in handle]
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    header = "\t".join(spec.columns)
    if not lines or lines[0] != header:
        found = repr(lines[0][:60]) if lines else "an empty file"
        raise ValueError(f"{path.name}: the first line must be the header {header!r}, found {found}")
    sources: list[str] = []
    targets: list[str] = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0] or not fields[1]:
            raise ValueError(f"{path.name} line {number}: expected 'source<TAB>target', found {line[:60]!r}")
        sources.append(fields[0])
        targets.append(fields[1])
    if len(sources) != spec.rows:
        raise ValueError(f"{path.name} has {len(sources)} rows, expected {spec.rows}: run `make data` to rewrite it")
    return sources, targets


def _main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DATA_DIR
    for path in write_test_sets(folder):
        print(f"wrote {path.name} ({sum(1 for _ in path.open(encoding='utf-8')) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
