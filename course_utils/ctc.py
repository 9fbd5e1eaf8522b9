"""Connectionist temporal classification (CTC): the collapse rule, the forward algorithm, greedy decoding.

A CTC model outputs, for each of ``T`` frames, a distribution over ``C`` classes: the symbols plus one extra
class, the *blank* (here class ``blank``, 0 by default, like ``keras.ops.ctc_loss``). A *path* picks one class
per frame; :func:`collapse` turns it into a label by merging repeated classes, then dropping blanks, so a
symbol that really appears twice in a row needs a blank between its two copies ("collapse repeated
characters not separated by blank"). The CTC loss of a label is minus the log of the total probability of all
the paths that collapse to it; :func:`ctc_loss` sums them with the forward algorithm, in log space, and
:func:`brute_force_ctc_loss` lists every path of a tiny case to check it.

Example:
    >>> collapse([1, 1, 0, 1, 2, 2, 0])       # "aa-abb-" with blank 0, a = 1, b = 2
    [1, 1, 2]
    >>> min_frames([1, 1, 2])                 # "aab": the two a's need a blank between them
    4
    >>> import numpy as np
    >>> log_probs = np.log(np.full((1, 4, 3), 1 / 3))   # (B, T, C): every class equally likely
    >>> loss = ctc_loss([[1, 1, 2]], log_probs, [4])     # only one path, [1, 0, 1, 2], collapses to "aab"
    >>> bool(np.isclose(loss[0], 4 * np.log(3)))
    True
"""

from __future__ import annotations

import itertools
import numbers
from typing import Sequence

import numpy as np

__all__ = ["collapse", "min_frames", "ctc_loss", "greedy_decode", "brute_force_ctc_loss"]

#: How far the probabilities of one frame may sum from 1 and still count as log-probabilities (see :func:`ctc_loss`).
NORMALIZATION_TOLERANCE = 1e-4

#: Limits of :func:`brute_force_ctc_loss`: ``C ** T`` paths, at most 4 ** 8 = 65,536.
BRUTE_FORCE_MAX_FRAMES = 8
BRUTE_FORCE_MAX_CLASSES = 4


# ---- input checks ------------------------------------------------------------------------------------------------


def _check_int(value: object, name: str, minimum: int | None = None) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__})")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def _as_ids(sequence: object, name: str) -> list[int]:
    """A 1-D sequence of non-negative int ids as a list of Python ints."""
    if isinstance(sequence, (str, bytes)):
        raise TypeError(
            f"{name} must be a sequence of int class ids, got the string {sequence!r}: map characters to ids first"
        )
    if isinstance(sequence, np.ndarray):
        if sequence.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got an array of shape {sequence.shape}")
        if sequence.size and not np.issubdtype(sequence.dtype, np.integer):
            raise TypeError(f"{name} must hold ints, got an array of dtype {sequence.dtype}")
        items: list[object] = sequence.tolist()
    elif isinstance(sequence, Sequence):
        items = list(sequence)
    else:
        raise TypeError(f"{name} must be a list, tuple or 1-D array of ints, got {type(sequence).__name__}")
    ids = []
    for position, item in enumerate(items):
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Integral):
            raise TypeError(f"{name}[{position}] must be an int class id, got {item!r} ({type(item).__name__})")
        if item < 0:
            raise ValueError(f"{name}[{position}] is {item}: class ids are >= 0")
        ids.append(int(item))
    return ids


def _check_blank(blank: object, num_classes: int) -> int:
    blank = _check_int(blank, "blank")
    if not 0 <= blank < num_classes:
        raise ValueError(
            f"blank must be a class id in [0, {num_classes - 1}] (log_probs has {num_classes} classes), got {blank}"
        )
    return blank


def _check_label(label: list[int], name: str, blank: int, num_classes: int) -> None:
    for position, symbol in enumerate(label):
        if symbol == blank:
            raise ValueError(
                f"{name}[{position}] is the blank ({blank}): a label holds symbols only, the blank exists only in paths"
            )
        if symbol >= num_classes:
            raise ValueError(f"{name}[{position}] is {symbol}, out of range for log_probs with {num_classes} classes")


def _repeat_note(label: list[int]) -> str:
    pairs = [f"{a} {b}" for a, b in zip(label, label[1:]) if a == b]
    symbols = f"{len(label)} symbol{'s' * (len(label) != 1)}"
    if not pairs:
        return symbols
    if len(pairs) == 1:
        return f"{symbols} and 1 blank to separate the repeat {pairs[0]}"
    return f"{symbols} and {len(pairs)} blanks to separate the repeats {', '.join(pairs)}"


def _check_feasible(label: list[int], name: str, frames: int, frames_name: str) -> None:
    needed = min_frames(label)
    if needed > frames:
        raise ValueError(
            f"{name} {label} needs {needed} frames ({_repeat_note(label)}) but {frames_name} is {frames}: "
            "no alignment fits, its CTC probability is 0"
        )


def _as_log_probs(log_probs: object, ndim: int, shape_text: str) -> np.ndarray:
    array = np.asarray(log_probs)
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)) or array.dtype == bool:
        raise TypeError(f"log_probs must be a real-valued array, got dtype {array.dtype}")
    if array.ndim != ndim:
        raise ValueError(f"log_probs must have rank {ndim} {shape_text}, got shape {array.shape}")
    if array.shape[-1] < 2:
        raise ValueError(f"log_probs needs at least 2 classes (the blank and one symbol), got shape {array.shape}")
    return array.astype(np.float64)


def _check_normalized(rows: np.ndarray, prefix: tuple[int, ...] = ()) -> None:
    """Each row (..., C) must be finite or -inf and exponentiate to probabilities summing to 1.

    ``prefix`` is the index of ``rows`` inside the caller's ``log_probs``, so messages name the real position.
    """
    if rows.size == 0:
        return
    bad = np.isnan(rows) | (rows == np.inf)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"log_probs{list(prefix + index)} is {rows[index]}: log-probabilities are finite or -inf")
    sums = np.exp(rows).sum(axis=-1)
    off = np.abs(sums - 1.0) > NORMALIZATION_TOLERANCE
    if off.any():
        index = tuple(int(i) for i in np.argwhere(off)[0])
        raise ValueError(
            f"log_probs{list(prefix + index)} is not a row of log-probabilities: its exp sums to {sums[index]:.6g}, "
            f"not 1 (tolerance {NORMALIZATION_TOLERANCE}); apply a log-softmax (keras.ops.log_softmax) to logits first"
        )


def _as_lengths(input_lengths: object, batch: int, frames: int) -> np.ndarray:
    lengths = np.asarray(input_lengths)
    if lengths.ndim != 1:
        raise ValueError(f"input_lengths must be 1-D (B,), got shape {lengths.shape}")
    if lengths.size and not np.issubdtype(lengths.dtype, np.integer):
        raise TypeError(f"input_lengths must hold ints, got dtype {lengths.dtype}")
    if lengths.shape[0] != batch:
        raise ValueError(f"input_lengths has {lengths.shape[0]} entries but log_probs has {batch} examples")
    for b, length in enumerate(lengths.tolist()):
        if not 0 <= length <= frames:
            raise ValueError(f"input_lengths[{b}] is {length}, outside [0, {frames}] (log_probs has {frames} frames)")
    return lengths.astype(np.int64)


# ---- the collapse rule ----------------------------------------------------------------------------------------


def collapse(path: Sequence[int] | np.ndarray, blank: int = 0) -> list[int]:
    """The label a path stands for: merge runs of a repeated class into one, then drop the blanks.

    The order matters: ``[1, 0, 1]`` gives ``[1, 1]`` (the blank separates the two 1s) while ``[1, 1]`` gives
    ``[1]`` (repeats not separated by a blank merge).

    Args:
        path: one class id per frame (ints >= 0; a list, tuple or 1-D integer array).
        blank: the id of the blank class.

    Returns:
        The label, a list of ints without blanks.

    Raises:
        TypeError: ``path`` is a string, or holds something that is not an int.
        ValueError: ``path`` is not 1-D or holds a negative id.

    Example:
        >>> collapse([1, 1, 0, 1, 2, 2, 0])       # "aa-abb-" -> "aab"
        [1, 1, 2]
        >>> collapse([3, 3, 3, 0, 0, 3], blank=0)
        [3, 3]
        >>> collapse([2, 0, 0, 1], blank=2)       # the blank may be any class
        [0, 1]
    """
    ids = _as_ids(path, "path")
    blank = _check_int(blank, "blank", minimum=0)
    return [c for i, c in enumerate(ids) if c != blank and (i == 0 or c != ids[i - 1])]


def min_frames(label: Sequence[int] | np.ndarray) -> int:
    """The fewest frames a path needs to collapse to ``label``: its length plus one blank per repeated pair.

    Two equal neighbours (the "l l" of "hello") must be separated by a blank in the path, or they merge.

    Example:
        >>> min_frames([5, 1, 2, 2, 2])           # 5 symbols + 2 blanks (2 -2 -2)
        7
        >>> min_frames([])
        0
    """
    ids = _as_ids(label, "label")
    return len(ids) + sum(a == b for a, b in zip(ids, ids[1:]))


# ---- the loss ----------------------------------------------------------------------------------------------------


def _extended(label: list[int], blank: int) -> np.ndarray:
    """The label with a blank before, between and after its symbols: length 2U + 1."""
    extended = np.full(2 * len(label) + 1, blank, dtype=np.int64)
    extended[1::2] = label
    return extended


def _forward_log_likelihood(label: list[int], log_probs: np.ndarray, blank: int) -> float:
    """log p(label | log_probs) by the forward algorithm; log_probs (T, C) float64, T >= min_frames(label)."""
    frames = log_probs.shape[0]
    if frames == 0:
        return 0.0  # only the empty label gets here: the empty path, probability 1
    extended = _extended(label, blank)  # (S,)
    size = extended.shape[0]
    # a skip from s - 2 to s is allowed when s is a symbol different from the symbol two places back
    skip = np.zeros(size, dtype=bool)
    skip[2:] = (extended[2:] != blank) & (extended[2:] != extended[:-2])
    alpha = np.full(size, -np.inf)  # (S,) log of the total probability of the path prefixes ending in state s
    alpha[0] = log_probs[0, blank]
    if size > 1:
        alpha[1] = log_probs[0, extended[1]]
    with np.errstate(invalid="ignore"):  # -inf - -inf inside logaddexp: the result is -inf, as it should be
        for t in range(1, frames):
            incoming = alpha.copy()  # stay in s
            incoming[1:] = np.logaddexp(incoming[1:], alpha[:-1])  # come from s - 1
            incoming[2:] = np.where(skip[2:], np.logaddexp(incoming[2:], alpha[:-2]), incoming[2:])  # skip a blank
            alpha = incoming + log_probs[t, extended]
        # a complete path ends on the last symbol or on the trailing blank
        return float(np.logaddexp(alpha[-1], alpha[-2])) if size > 1 else float(alpha[-1])


def ctc_loss(
    labels: Sequence[Sequence[int] | np.ndarray],
    log_probs: object,
    input_lengths: Sequence[int] | np.ndarray,
    blank: int = 0,
) -> np.ndarray:
    """CTC loss per example: minus the log of the summed probability of every path that collapses to the label.

    The forward algorithm runs over the extended label (a blank before, between and after the symbols, length
    ``2U + 1``); ``alpha[t, s]`` is the log-probability of the path prefixes of ``t + 1`` frames that end in state
    ``s``. A state is entered from itself, from the state before, or (for a symbol that differs from the symbol two
    states back) by skipping the blank in between; each step adds ``log_probs[t, class of s]``. All sums are
    ``logaddexp`` in float64, so long inputs do not underflow.

    Frames at or past ``input_lengths[b]`` are ignored (not read and not checked), like padding in
    ``keras.ops.ctc_loss``. The loss is ``inf`` only when ``log_probs`` itself gives probability 0 (``-inf``) to a
    class that every alignment needs; a label that no alignment can fit raises instead.

    Args:
        labels: B labels, each a list (or 1-D int array) of symbol ids, without blanks; they may differ in length
            and may be empty.
        log_probs: (B, T, C) log-probabilities (a log-softmax output): ``exp`` of each used frame sums to 1 over the
            C classes, to within 1e-4.
        input_lengths: (B,) the number of valid frames of each example, in ``[0, T]``.
        blank: the id of the blank class.

    Returns:
        A float64 array (B,): the negative log-likelihood of each label.

    Raises:
        ValueError: wrong ranks or sizes; an input length outside ``[0, T]``; a label holding the blank or an id
            ``>= C``; a label that needs more frames than its input has (see :func:`min_frames`); frames that are
            not log-probabilities (NaN, ``+inf`` or not summing to 1).
        TypeError: labels, ids or lengths that are not ints.

    Example:
        >>> import numpy as np
        >>> log_probs = np.log(np.array([[[0.5, 0.5], [0.5, 0.5]]]))  # (1, 2, 2): blank 0 and one symbol
        >>> ctc_loss([[1]], log_probs, [2])      # paths 11, 01, 10: 3/4 of the probability
        array([0.28768207])
        >>> ctc_loss([[1, 1]], log_probs, [2])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: labels[0] [1, 1] needs 3 frames (2 symbols and 1 blank to separate the repeat 1 1) but ...
    """
    scores = _as_log_probs(log_probs, 3, "(B, T, C)")
    batch, frames, num_classes = scores.shape
    blank = _check_blank(blank, num_classes)
    if isinstance(labels, (str, bytes)) or not isinstance(labels, (Sequence, np.ndarray)):
        raise TypeError(f"labels must be a list of B labels (lists of ints), got {type(labels).__name__}")
    if len(labels) != batch:
        raise ValueError(f"there are {len(labels)} labels but log_probs has {batch} examples (shape {scores.shape})")
    lengths = _as_lengths(input_lengths, batch, frames)
    checked = []
    for b, raw in enumerate(labels):
        label = _as_ids(raw, f"labels[{b}]")
        _check_label(label, f"labels[{b}]", blank, num_classes)
        _check_feasible(label, f"labels[{b}]", int(lengths[b]), f"input_lengths[{b}]")
        _check_normalized(scores[b, : lengths[b]], (b,))
        checked.append(label)
    return np.array(
        [-_forward_log_likelihood(label, scores[b, : lengths[b]], blank) for b, label in enumerate(checked)],
        dtype=np.float64,
    )


def brute_force_ctc_loss(label: Sequence[int] | np.ndarray, log_probs: object, blank: int = 0) -> float:
    """The CTC loss of one label by listing every path: all ``C ** T`` of them, so only for tiny cases.

    Each path's log-probability is the sum of its frames' log-probabilities; the paths that :func:`collapse`
    to ``label`` are summed (``logsumexp``). This is the definition the forward algorithm of :func:`ctc_loss`
    computes efficiently, and the tests check that they agree.

    Args:
        label: symbol ids, without blanks.
        log_probs: (T, C) log-probabilities of one example, ``T <= 8`` and ``C <= 4``.
        blank: the id of the blank class.

    Returns:
        The negative log-likelihood, a float.

    Raises:
        ValueError: the same bad inputs as :func:`ctc_loss`, and a case larger than ``T = 8`` or ``C = 4``.

    Example:
        >>> import numpy as np
        >>> log_probs = np.log(np.full((3, 3), 1 / 3))   # 27 paths, 6 of them collapse to [1]
        >>> bool(np.isclose(brute_force_ctc_loss([1], log_probs), -np.log(6 / 27)))
        True
    """
    scores = _as_log_probs(log_probs, 2, "(T, C)")
    frames, num_classes = scores.shape
    if frames > BRUTE_FORCE_MAX_FRAMES or num_classes > BRUTE_FORCE_MAX_CLASSES:
        raise ValueError(
            f"log_probs of shape {scores.shape} has {num_classes} ** {frames} paths: brute force is limited to "
            f"T <= {BRUTE_FORCE_MAX_FRAMES} and C <= {BRUTE_FORCE_MAX_CLASSES}; use ctc_loss"
        )
    blank = _check_blank(blank, num_classes)
    ids = _as_ids(label, "label")
    _check_label(ids, "label", blank, num_classes)
    _check_feasible(ids, "label", frames, "the number of frames T")
    _check_normalized(scores)
    if frames == 0:
        return 0.0
    paths = np.array(list(itertools.product(range(num_classes), repeat=frames)), dtype=np.int64)  # (C**T, T)
    path_log_probs = scores[np.arange(frames), paths].sum(axis=1)  # (C**T,)
    # collapse every path at once: keep a frame if it is not blank and differs from the frame before
    keep = paths != blank
    keep[:, 1:] &= paths[:, 1:] != paths[:, :-1]
    order = np.argsort(~keep, axis=1, kind="stable")  # kept frames first, in their order
    collapsed = np.where(np.take_along_axis(keep, order, axis=1), np.take_along_axis(paths, order, axis=1), -1)
    target = np.full(frames, -1, dtype=np.int64)
    target[: len(ids)] = ids
    matches = (collapsed == target).all(axis=1)
    selected = path_log_probs[matches]
    top = selected.max()
    if top == -np.inf:
        return float("inf")
    return float(-(top + np.log(np.exp(selected - top).sum())))


# ---- decoding ------------------------------------------------------------------------------------------------


def greedy_decode(
    log_probs: object, input_lengths: Sequence[int] | np.ndarray, blank: int = 0
) -> list[list[int]]:
    """Best-path decoding: the most likely class of each valid frame, then :func:`collapse`.

    This is the label of the single most likely path, not necessarily the most likely label (which sums over
    paths; CTC beam search comes closer). Only the argmax matters, so logits, probabilities or log-probabilities
    give the same result; a tie goes to the lower class id.

    Args:
        log_probs: (B, T, C) scores per frame and class (log-probabilities, logits or probabilities).
        input_lengths: (B,) the number of valid frames of each example, in ``[0, T]``; later frames are ignored.
        blank: the id of the blank class.

    Returns:
        B labels, each a list of ints (no padding; an example may decode to ``[]``).

    Raises:
        ValueError: wrong rank, NaN scores, or lengths that do not fit the array.

    Example:
        >>> import numpy as np
        >>> best = [[1, 1, 0, 1, 2, 2], [2, 0, 2, 2, 0, 0]]     # argmax of each frame
        >>> log_probs = np.log(np.eye(3)[best] * 0.9 + 0.1 / 3)  # (2, 6, 3)
        >>> greedy_decode(log_probs, [6, 3])
        [[1, 1, 2], [2, 2]]
    """
    scores = _as_log_probs(log_probs, 3, "(B, T, C)")
    batch, frames, num_classes = scores.shape
    blank = _check_blank(blank, num_classes)
    lengths = _as_lengths(input_lengths, batch, frames)
    decoded = []
    for b in range(batch):
        valid = scores[b, : lengths[b]]
        if np.isnan(valid).any():
            frame = int(np.argwhere(np.isnan(valid))[0, 0])
            raise ValueError(f"log_probs[{b}, {frame}] holds NaN: there is no most likely class")
        decoded.append(collapse(valid.argmax(axis=-1), blank=blank))
    return decoded
