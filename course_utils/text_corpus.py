"""Real text that every learner already has: the Python standard library's own source files.

The language-model lesson needs real text (not a toy grammar) that is on every machine without a
download. The standard library's ``*.py`` files qualify: several megabytes of code, comments and
docstrings, present wherever Python is installed. They are read at run time and never copied into
the course.

Files are read in sorted order so two runs see the same text. The build-generated ``_sysconfigdata_*.py`` is
left out, so two builds of one Python version read the same text. The split is **by file**: every
``val_every``-th file goes to validation, so the validation text comes from files the model never
trained on (a split by position inside one file would leak shared identifiers and docstrings).

Example:
    >>> corpus = stdlib_corpus(train_chars=20_000, val_chars=5_000)
    >>> len(corpus.train_text), len(corpus.val_text)
    (20000, 5000)
    >>> set(corpus.train_files).isdisjoint(corpus.val_files)
    True
"""

from __future__ import annotations

import sysconfig
from dataclasses import dataclass
from pathlib import Path

__all__ = ["TextCorpus", "stdlib_corpus", "stdlib_folder"]


@dataclass(frozen=True)
class TextCorpus:
    """Training and validation text, and the files each came from (names relative to the folder)."""

    train_text: str
    val_text: str
    train_files: tuple[str, ...]
    val_files: tuple[str, ...]
    folder: str


def stdlib_folder() -> Path:
    """The folder of the running Python's standard library (where ``os.py`` lives).

    Example:
        >>> (stdlib_folder() / "os.py").is_file()
        True
    """
    return Path(sysconfig.get_paths()["stdlib"])


def _read_source(path: Path) -> str:
    # Source files are UTF-8 (PEP 3120); normalise line endings so Windows checkouts read the same.
    text = path.read_text(encoding="utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def stdlib_corpus(
    *,
    train_chars: int = 1_000_000,
    val_chars: int = 100_000,
    val_every: int = 10,
    folder: str | Path | None = None,
) -> TextCorpus:
    """Read the standard library's top-level ``*.py`` files (but ``_sysconfigdata_*``) into training and validation text.

    Files are taken in sorted name order; file number ``i`` (0-based) goes to validation when
    ``i % val_every == val_every // 2``, otherwise to training. Whole files are concatenated
    until each side has its budget; the last file taken is cut to fit exactly.

    Args:
        train_chars: number of characters of training text.
        val_chars: number of characters of validation text.
        val_every: one file in ``val_every`` goes to validation (at least 2).
        folder: where to read from (default: the running Python's standard library).

    Returns:
        A :class:`TextCorpus`.

    Raises:
        ValueError: a budget is not positive, ``val_every < 2``, or the folder has too little text.

    Example:
        >>> c = stdlib_corpus(train_chars=1_000, val_chars=1_000)
        >>> c.train_text[:1] != ""
        True
    """
    for name, value in (("train_chars", train_chars), ("val_chars", val_chars), ("val_every", val_every)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if train_chars <= 0 or val_chars <= 0:
        raise ValueError(f"train_chars and val_chars must be positive, got {train_chars} and {val_chars}")
    if val_every < 2:
        raise ValueError(f"val_every must be at least 2 (one file in val_every is held out), got {val_every}")
    root = Path(folder) if folder is not None else stdlib_folder()
    if not root.is_dir():
        raise ValueError(f"folder {str(root)!r} does not exist")
    # _sysconfigdata_*.py is generated when Python is built (compiler flags): it differs between builds of one version
    files = sorted(p for p in root.glob("*.py") if p.is_file() and not p.name.startswith("_sysconfigdata"))
    parts: dict[str, list[str]] = {"train": [], "val": []}
    names: dict[str, list[str]] = {"train": [], "val": []}
    budget = {"train": train_chars, "val": val_chars}
    for i, path in enumerate(files):
        side = "val" if i % val_every == val_every // 2 else "train"
        if budget[side] <= 0:
            if budget["train"] <= 0 and budget["val"] <= 0:
                break
            continue
        text = _read_source(path)[: budget[side]]
        parts[side].append(text)
        names[side].append(path.name)
        budget[side] -= len(text)
    for side in ("train", "val"):
        if budget[side] > 0:
            raise ValueError(
                f"{str(root)!r} holds too little text: {side} text is {budget[side]:,} characters short "
                f"of its budget; lower train_chars/val_chars"
            )
    return TextCorpus(
        train_text="".join(parts["train"]),
        val_text="".join(parts["val"]),
        train_files=tuple(names["train"]),
        val_files=tuple(names["val"]),
        folder=str(root),
    )
