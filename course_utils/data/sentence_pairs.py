"""Leak-free splits by key, and real sentence pairs supplied by the user (lesson 07 onwards)."""

from __future__ import annotations

import os
from typing import Hashable, Literal, Sequence

from course_utils.data._common import T, _positive, _rng

__all__ = ["split_by_key", "group_references", "split_sentence_pairs", "load_sentence_pairs"]


def split_by_key(
    items: Sequence[T], keys: Sequence[Hashable], *, test_size: int | float, seed: int = 0, shuffle: bool = False
) -> tuple[list[T], list[T]]:
    """Split ``items`` so that no key has items on both sides.

    Use the underlying number or date as the key: then a number seen in training, written
    another way, never shows up in the test set. ``test_size`` is a count of *keys* or a
    fraction of them. Both sides keep the input order unless ``shuffle=True``, which returns
    each side in a seeded random order (useful when the input is sorted, e.g. by length).

    Example:
        >>> train, test = split_by_key(["a", "b", "c", "d"], [1, 1, 2, 3], test_size=1, seed=0)
        >>> len(train) + len(test)
        4
    """
    if len(items) != len(keys):
        raise ValueError(f"items ({len(items)}) and keys ({len(keys)}) differ in length")
    unique = list(dict.fromkeys(keys))
    if isinstance(test_size, float):
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"a fractional test_size must be in (0, 1), got {test_size}")
        n_test = max(1, int(round(test_size * len(unique))))
    else:
        n_test = int(test_size)
    if not 0 < n_test < len(unique):
        raise ValueError(f"test_size must leave keys on both sides; {len(unique)} distinct keys, asked {n_test}")
    rng = _rng(seed)
    order = rng.permutation(len(unique))
    test_keys = {unique[i] for i in order[:n_test]}
    train = [it for it, k in zip(items, keys) if k not in test_keys]
    test = [it for it, k in zip(items, keys) if k in test_keys]
    if shuffle:
        train = [train[i] for i in rng.permutation(len(train))]
        test = [test[i] for i in rng.permutation(len(test))]
    return train, test


# --------------------------------------------------------------------------------------
# Real sentence pairs supplied by the user
# --------------------------------------------------------------------------------------


def group_references(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """Gather every translation of the same source: [(source, target)] -> [(source, [target, ...])].

    Real pair files list one source several times, once per translation; BLEU and exact match should
    count any of them as right. Sources keep the order of their first line, translations the order of
    their lines; a translation listed twice for the same source is kept once.

    Example:
        >>> group_references([("Hi.", "Salut."), ("Run!", "Cours !"), ("Hi.", "Bonjour."), ("Hi.", "Salut.")])
        [('Hi.', ['Salut.', 'Bonjour.']), ('Run!', ['Cours !'])]
    """
    groups: dict[str, list[str]] = {}
    for i, pair in enumerate(pairs):
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise TypeError(f"pair {i} must be a (source, target) tuple of strings, got {pair!r}")
        targets = groups.setdefault(pair[0], [])
        if pair[1] not in targets:
            targets.append(pair[1])
    return list(groups.items())


def split_sentence_pairs(
    pairs: Sequence[tuple[str, str]], *, test_size: int | float, seed: int = 0
) -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    """Split real sentence pairs by source: training pairs, and test sources with all their references.

    Every translation of a training source is a training pair; a test source never appears in training
    and comes with all its translations (:func:`group_references`). ``test_size`` counts distinct sources
    (or is a fraction of them). Both sides are in a seeded random order, whatever the order of the file.

    Example:
        >>> pairs = [("Hi.", "Salut."), ("Hi.", "Bonjour."), ("Run!", "Cours !"), ("Go.", "Va !")]
        >>> train, test = split_sentence_pairs(pairs, test_size=1, seed=1)
        >>> len(test), sorted(train + [(s, r) for s, refs in test for r in refs]) == sorted(pairs)
        (1, True)
    """
    groups = group_references(pairs)
    train_groups, test = split_by_key(groups, [s for s, _ in groups], test_size=test_size, seed=seed, shuffle=True)
    train = [(source, target) for source, targets in train_groups for target in targets]
    order = _rng(seed).permutation(len(train))
    return [train[i] for i in order], test


def load_sentence_pairs(
    path: str | os.PathLike[str],
    *,
    max_pairs: int | None = None,
    sample: Literal["random", "first"] = "random",
    seed: int = 0,
    max_words: int | None = None,
    lowercase: bool = False,
) -> list[tuple[str, str]]:
    r"""Read a tab-separated sentence-pair file (the Tatoeba / Anki format) into (source, target) pairs.

    Each line is ``source<TAB>target`` optionally followed by more tab-separated fields (Anki files add
    an attribution), which are ignored. Blank lines are skipped; a byte-order mark (at the start of the
    file or anywhere else) is removed. A line without a tab raises ``ValueError`` naming the line number.
    Nothing is downloaded: you supply the file.

    Such files are usually sorted from the shortest sentence to the longest, so the first lines are not
    a fair sample. With ``max_pairs``, ``sample="random"`` (the default) keeps a seeded random sample of
    ``max_pairs`` pairs, in random order; ``sample="first"`` keeps the first ``max_pairs`` lines, in file
    order. ``max_words`` first drops the pairs with a side longer than that many space-separated words.
    Without ``max_pairs`` the pairs come in file order.

    Example:
        >>> import pathlib, tempfile
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "pairs.txt"
        >>> _ = p.write_text("\ufeffGo.\tVa !\tCC-BY 2.0\nI see.\tJe vois.\n", encoding="utf-8")
        >>> load_sentence_pairs(p)
        [('Go.', 'Va !'), ('I see.', 'Je vois.')]
        >>> load_sentence_pairs(p, max_pairs=1, sample="first", lowercase=True)
        [('go.', 'va !')]
    """
    from pathlib import Path

    file = Path(os.fspath(path))
    if not file.is_file():
        raise FileNotFoundError(f"no sentence-pair file at {file}")
    if max_pairs is not None:
        max_pairs = _positive("max_pairs", max_pairs)
    if max_words is not None:
        max_words = _positive("max_words", max_words)
    if sample not in ("random", "first"):
        raise ValueError(f"sample must be 'random' or 'first', got {sample!r}")
    rng = _rng(seed)
    stop_at = max_pairs if sample == "first" else None
    pairs: list[tuple[str, str]] = []
    with file.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n").rstrip("\r").replace("\ufeff", "")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
                raise ValueError(f"line {number} of {file.name} is not 'source<TAB>target': {line[:60]!r}")
            source, target = fields[0].strip(), fields[1].strip()
            if max_words is not None and max(len(source.split()), len(target.split())) > max_words:
                continue
            pairs.append((source.lower(), target.lower()) if lowercase else (source, target))
            if stop_at is not None and len(pairs) >= stop_at:
                break
    if max_pairs is not None and sample == "random" and len(pairs) > max_pairs:
        pairs = [pairs[i] for i in rng.permutation(len(pairs))[:max_pairs]]
    return pairs
