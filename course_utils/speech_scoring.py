"""Scoring speech models: character error rate for a recogniser, event precision and recall for a trigger detector.

A recogniser is scored by the **character error rate** (CER): the edit distance (insertions, deletions and
substitutions, each costing 1) between what it wrote and the reference, summed over a test set and divided by
the number of reference characters. It can exceed 1 when the outputs are much longer than the references.

A trigger-word detector outputs one probability per frame. :func:`detect_events` turns that curve into
detections (the first frame at or above a threshold, then nothing for a *refractory* number of frames, so one
spoken trigger gives one detection); :func:`event_scores` matches detections with the true events within a time
tolerance (each true event at most once) and counts hits, false alarms and misses.

Example:
    >>> character_error_rate(["1234", "56"], ["1234", "57"])   # one substitution in six reference characters
    0.16666666666666666
    >>> import numpy as np
    >>> probs = np.array([0.1, 0.7, 0.9, 0.2, 0.0, 0.8])
    >>> detect_events(probs, threshold=0.5, refractory=3).tolist()
    [1, 5]
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = ["edit_distance", "character_error_rate", "detect_events", "EventScores", "event_scores"]


def _as_sequence(value: object, name: str) -> Sequence:
    if isinstance(value, (str, list, tuple)):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return value.tolist()
    raise TypeError(f"{name} must be a str, list, tuple or 1-D array, got {type(value).__name__}")


def edit_distance(hypothesis: Sequence, reference: Sequence) -> int:
    """The fewest insertions, deletions and substitutions that turn ``hypothesis`` into ``reference`` (Levenshtein).

    Works on strings or on sequences of ids.

    Example:
        >>> edit_distance("1234", "124"), edit_distance([1, 2], [2, 1]), edit_distance("", "abc")
        (1, 2, 3)
    """
    hyp = _as_sequence(hypothesis, "hypothesis")
    ref = _as_sequence(reference, "reference")
    row = list(range(len(ref) + 1))  # distances from the empty prefix of hyp to each prefix of ref
    for i, h in enumerate(hyp, start=1):
        previous, row[0] = row[0], i
        for j, r in enumerate(ref, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (h != r))
    return row[-1]


def character_error_rate(hypotheses: Sequence[Sequence], references: Sequence[Sequence]) -> float:
    """Total edit distance over a test set divided by the total number of reference characters.

    Raises:
        ValueError: different numbers of hypotheses and references, or no reference characters at all.

    Example:
        >>> character_error_rate(["", "12"], ["3", "12"])    # one deletion in three characters
        0.3333333333333333
    """
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses for {len(references)} references: give one of each per example")
    total = sum(len(_as_sequence(r, "reference")) for r in references)
    if total == 0:
        raise ValueError("the references hold no characters: the character error rate is undefined")
    return sum(edit_distance(h, r) for h, r in zip(hypotheses, references)) / total


def _check_int(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def detect_events(probs: Sequence[float] | np.ndarray, threshold: float, refractory: int) -> np.ndarray:
    """Frames where a detector fires: at or above ``threshold``, and at least ``refractory`` frames after the last firing.

    A spoken trigger keeps the probability high for several frames; the refractory period turns that run into
    one detection at its first frame.

    Args:
        probs: (T,) per-frame probabilities of "the trigger just ended".
        threshold: a number in (0, 1].
        refractory: frames to stay silent after a detection (>= 1).

    Returns:
        An int array of the frame indices of the detections, ascending.

    Raises:
        ValueError: ``probs`` not 1-D or holding NaN, a threshold outside (0, 1], a refractory period below 1.

    Example:
        >>> detect_events([0.0, 0.6, 0.6, 0.6, 0.6], threshold=0.5, refractory=2).tolist()
        [1, 3]
    """
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 1:
        raise ValueError(f"probs must be 1-D (one probability per frame), got shape {p.shape}")
    if np.isnan(p).any():
        raise ValueError(f"probs[{int(np.flatnonzero(np.isnan(p))[0])}] is NaN")
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a number in (0, 1], got {threshold!r}")
    gap = _check_int(refractory, "refractory", 1)
    fired = []
    last = -gap
    for k in np.flatnonzero(p >= threshold):
        if k - last >= gap:
            fired.append(int(k))
            last = int(k)
    return np.asarray(fired, dtype=np.int64)


@dataclass(frozen=True)
class EventScores:
    """Counts of an event matching, and the precision, recall and F1 they give (0 where undefined)."""

    hits: int
    false_alarms: int
    misses: int

    @property
    def precision(self) -> float:
        found = self.hits + self.false_alarms
        return self.hits / found if found else 0.0

    @property
    def recall(self) -> float:
        true = self.hits + self.misses
        return self.hits / true if true else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "EventScores") -> "EventScores":
        return EventScores(self.hits + other.hits, self.false_alarms + other.false_alarms, self.misses + other.misses)


def event_scores(
    detected: Sequence[float] | np.ndarray, true: Sequence[float] | np.ndarray, tolerance: float
) -> EventScores:
    """Match detection times with true event times (seconds): a detection within ``tolerance`` of a true event is a hit.

    Detections are taken in time order; each one is matched with the earliest true event still unmatched
    within ``tolerance`` (so one true event is never counted twice). Unmatched detections are false alarms,
    unmatched true events are misses. Sum the results of several streams with ``+``.

    Raises:
        ValueError: a negative or non-finite tolerance, or times that are not finite.

    Example:
        >>> s = event_scores([1.02, 1.10, 2.5], true=[1.0, 3.0], tolerance=0.2)
        >>> s.hits, s.false_alarms, s.misses, round(s.f1, 3)
        (1, 2, 1, 0.4)
    """
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real) or not (
        math.isfinite(tolerance) and tolerance >= 0
    ):
        raise ValueError(f"tolerance must be a non-negative number of seconds, got {tolerance!r}")
    found = np.sort(np.asarray(detected, dtype=np.float64).reshape(-1))
    events = np.sort(np.asarray(true, dtype=np.float64).reshape(-1))
    for name, times in (("detected", found), ("true", events)):
        if not np.isfinite(times).all():
            raise ValueError(f"{name} times must be finite seconds, got {times.tolist()}")
    matched = np.zeros(len(events), dtype=bool)
    hits = 0
    for t in found:
        candidates = np.flatnonzero(~matched & (np.abs(events - t) <= tolerance))
        if candidates.size:
            matched[candidates[0]] = True
            hits += 1
    return EventScores(hits=hits, false_alarms=len(found) - hits, misses=len(events) - hits)
