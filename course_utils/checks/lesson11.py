"""Exercises of lesson 11 (speech): the CTC collapse rule, the frames a label needs, one step of the CTC forward
recursion, and event precision and recall from a detector's frame outputs.

Every checker compares with a reference of ``course_utils`` (``ctc.collapse``, ``ctc.min_frames``, the forward
algorithm of ``ctc.ctc_loss``, ``speech_scoring``) on seeded cases and names the typical mistakes. ``KNOWN_WRONG``
maps the name of each exercise (its attribute in this module) to one typical wrong answer, which its checker must
reject.

Example:
    >>> collapse.check(collapse.reference)
    Correct: the CTC collapse rule.
    >>> collapse.check(lambda path, blank=0: [c for c in path if c != blank])
    Not yet (the CTC collapse rule): you dropped the blanks but kept the repeats: [1, 1, 0, 2] should give [1, 2], not [1, 1, 2]
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from course_utils import ctc
from course_utils.exercises import Exercise
from course_utils.speech_scoring import detect_events, event_scores

__all__ = ["collapse", "frames_needed", "forward_step", "event_precision_recall", "KNOWN_WRONG"]


def _as_list(got: object, what: str) -> list[int]:
    try:
        return [int(x) for x in got]  # type: ignore[union-attr]
    except TypeError:
        raise AssertionError(f"{what} should be a list of ints, got {got!r}") from None


# --- 1. collapse --------------------------------------------------------------------------------------------------


def _collapse_solution(path, blank=0):
    out = []
    previous = None
    for c in path:
        if c != previous and c != blank:  # a new symbol that is not the blank
            out.append(c)
        previous = c  # a blank in between resets it, so "1 0 1" keeps both 1s
    return out


_COLLAPSE_CASES = [
    ([1, 1, 0, 2], 0),
    ([1, 1, 0, 1, 2, 2, 0, 0], 0),  # a blank separates the two 1s: both stay
    ([0, 0, 0], 0),
    ([3, 3, 3], 0),
    ([2, 1, 1, 2, 2, 1], 0),
    ([5, 4, 4, 5, 4], 5),  # another blank id
]


def _check_collapse(fn: Callable) -> None:
    for path, blank in _COLLAPSE_CASES:
        want = ctc.collapse(path, blank=blank)
        got = _as_list(fn(list(path), blank=blank), "collapse(path)")
        if got == want:
            continue
        without_blanks = [c for c in path if c != blank]
        if got == without_blanks:
            raise AssertionError(f"you dropped the blanks but kept the repeats: {path} should give {want}, not {got}")
        if got == ctc.collapse(without_blanks, blank=blank):
            raise AssertionError(
                f"you dropped the blanks before merging repeats, so a blank no longer separates two equal symbols: "
                f"{path} should give {want}, not {got}"
            )
        merged = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
        if got == merged:
            raise AssertionError(f"you merged the repeats but kept the blanks ({blank}): {path} should give {want}, "
                                 f"not {got}")  # fmt: skip
        raise AssertionError(f"collapse({path}, blank={blank}) should be {want}, got {got}")


collapse = Exercise(
    "the CTC collapse rule",
    _check_collapse,
    hint_text="Level 1: two steps, in this order: merge runs of the same symbol, then remove the blanks.\n"
    "Level 2: walk the path remembering the previous symbol (blank included); keep c when it differs from the "
    "previous one and is not the blank.",
    reference=_collapse_solution,
)


# --- 2. frames a label needs --------------------------------------------------------------------------------------


def _frames_solution(label):
    # one frame per symbol, plus one blank between each pair of equal neighbours (else they would merge)
    return len(label) + sum(1 for a, b in zip(label, label[1:]) if a == b)


_FRAMES_CASES = [[1, 2, 3], [1, 1], [3, 3, 3], [1, 2, 1, 2], [4, 4, 2, 2, 2, 7], [5], [1, 2, 1]]


def _check_frames(fn: Callable) -> None:
    for label in _FRAMES_CASES:
        want = ctc.min_frames(label)
        raw = fn(list(label))
        try:
            got = int(raw)
        except (TypeError, ValueError):
            raise AssertionError(f"the answer should be one int, got {raw!r}") from None
        if got == want:
            continue
        if got == len(label):
            raise AssertionError(f"for {label} you counted one frame per symbol; equal neighbours need a blank "
                                 f"between them, or the collapse merges them: {want} frames")  # fmt: skip
        if got == 2 * len(label) - 1 or got == 2 * len(label) + 1:
            raise AssertionError(f"for {label} you put a blank between every pair of symbols; only equal neighbours "
                                 f"need one: {want} frames")  # fmt: skip
        if got == len(label) + (len(label) - len(set(label))):
            raise AssertionError(f"for {label} you counted every repeated symbol, even when it is not next to its "
                                 f"twin; only equal neighbours need a blank: {want} frames")  # fmt: skip
        raise AssertionError(f"for {label} the label needs {want} frames, got {got}")


frames_needed = Exercise(
    "frames a CTC label needs",
    _check_frames,
    hint_text="Level 1: write the shortest path that collapses to the label, e.g. for [1, 1, 2].\n"
    "Level 2: one frame per symbol, plus one blank for each pair of equal neighbours.",
    reference=_frames_solution,
)


# --- 3. one step of the forward recursion -------------------------------------------------------------------------


def _forward_step_solution(alpha_prev, probs_t, extended, blank=0):
    # alpha_prev: (S,) probabilities of the prefixes ending at each position of the extended label after t-1 frames
    # probs_t: (C,) the frame's class probabilities; extended: (S,) the label with blanks around and between symbols
    alpha = np.zeros_like(alpha_prev)
    for s in range(len(extended)):
        total = alpha_prev[s]  # stay on the same symbol
        if s >= 1:
            total += alpha_prev[s - 1]  # move on by one
        if s >= 2 and extended[s] != blank and extended[s] != extended[s - 2]:
            total += alpha_prev[s - 2]  # skip the blank between two different symbols
        alpha[s] = total * probs_t[extended[s]]
    return alpha


def _extended(label: list[int], blank: int) -> np.ndarray:
    out = [blank]
    for c in label:
        out += [c, blank]
    return np.asarray(out)


def _forward_cases() -> list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]:
    rng = np.random.default_rng(110)
    cases = []
    for label in ([1, 2], [1, 1], [2, 1, 1, 3]):
        ext = _extended(label, 0)
        alpha = rng.uniform(0.05, 1.0, size=len(ext))
        probs = rng.dirichlet(np.ones(4))
        cases.append((alpha, probs, ext, 0))
    return cases


def _forward_variant(alpha_prev, probs_t, extended, blank, *, skip: str = "right", emit: bool = True):
    alpha = np.zeros_like(alpha_prev)
    for s in range(len(extended)):
        total = alpha_prev[s] + (alpha_prev[s - 1] if s >= 1 else 0.0)
        if s >= 2 and skip != "never":
            if skip == "always" or (extended[s] != blank and (skip == "no-repeat-rule" or extended[s] != extended[s - 2])):
                total += alpha_prev[s - 2]
        alpha[s] = total * (probs_t[extended[s]] if emit else 1.0)
    return alpha


def _check_forward(fn: Callable) -> None:
    for alpha_prev, probs, ext, blank in _forward_cases():
        raw = fn(alpha_prev.copy(), probs.copy(), ext.copy(), blank)
        got = np.asarray(raw, dtype=np.float64)
        if got.shape != alpha_prev.shape:
            raise AssertionError(f"alpha_t should have the shape of alpha_prev, {alpha_prev.shape}, got {got.shape}")
        want = _forward_step_solution(alpha_prev, probs, ext, blank)
        if np.allclose(got, want, rtol=1e-9, atol=1e-12):
            continue
        label = [int(c) for c in ext[1::2]]
        variants = {
            "never": "you never skip a blank: a path may jump from one symbol straight to the next different symbol "
                     "(from s-2), since the blank between them is optional",
            "always": "you also skip from s-2 onto a blank (or between equal symbols): blanks are never skipped to, "
                      "and equal neighbours must keep their blank",
            "no-repeat-rule": f"for the label {label} you let a path skip the blank between two equal symbols; then "
                              "they would merge when collapsed, so that jump is forbidden",
        }  # fmt: skip
        for skip, message in variants.items():
            if np.allclose(got, _forward_variant(alpha_prev, probs, ext, blank, skip=skip), rtol=1e-9, atol=1e-12):
                raise AssertionError(message)
        if np.allclose(got, _forward_variant(alpha_prev, probs, ext, blank, emit=False), rtol=1e-9, atol=1e-12):
            raise AssertionError("you summed the incoming paths but forgot to multiply by the probability that "
                                 "this frame emits extended[s]")  # fmt: skip
        raise AssertionError(f"for the label {label} alpha_t should be {np.round(want, 5).tolist()}, "
                             f"got {np.round(got, 5).tolist()}")  # fmt: skip


forward_step = Exercise(
    "one step of the CTC forward recursion",
    _check_forward,
    hint_text="Level 1: a path at position s of the extended label came from s (stayed), s-1 (moved on) or, "
    "sometimes, s-2 (skipped a blank).\nLevel 2: add alpha_prev[s], alpha_prev[s-1] and, when extended[s] is not "
    "the blank and differs from extended[s-2], alpha_prev[s-2]; multiply the sum by probs_t[extended[s]].",
    reference=_forward_step_solution,
)


# --- 4. event precision and recall from frame outputs -------------------------------------------------------------


def _events_solution(probs, true_ends, threshold, refractory, frame_seconds, tolerance):
    fired = []
    last = -refractory
    for k, p in enumerate(probs):
        if p >= threshold and k - last >= refractory:  # a new detection, not the same trigger still high
            fired.append(k * frame_seconds)
            last = k
    matched = [False] * len(true_ends)
    hits = 0
    for t in fired:
        for i, end in enumerate(true_ends):
            if not matched[i] and abs(t - end) <= tolerance:  # each true event counts once
                matched[i] = True
                hits += 1
                break
    precision = hits / len(fired) if fired else 0.0
    recall = hits / len(true_ends) if true_ends else 0.0
    return precision, recall


def _events_cases() -> list[tuple]:
    # a curve that stays high for several frames after each event (like a trained detector), a false alarm,
    # and a double bump near one event
    p = np.zeros(60)
    p[10:15] = 0.9  # event at frame 10 (0.2 s): one detection despite 5 high frames
    p[30] = 0.7  # a false alarm at 0.6 s
    p[40:42] = 0.8
    p[46:48] = 0.8  # two bumps 6 frames apart near the event at 0.82 s
    return [
        (p, [0.2, 0.82, 1.1], 0.5, 10, 0.02, 0.1),
        (p, [0.2, 0.82, 1.1], 0.5, 3, 0.02, 0.1),
        (p, [0.21], 0.85, 10, 0.02, 0.05),
    ]


def _check_events(fn: Callable) -> None:
    for case in _events_cases():
        probs, ends, threshold, refractory, frame_seconds, tolerance = case
        raw = fn(probs.copy(), list(ends), threshold, refractory, frame_seconds, tolerance)
        try:
            got = tuple(float(x) for x in raw)
        except (TypeError, ValueError):
            raise AssertionError(f"return (precision, recall), two numbers; got {raw!r}") from None
        if len(got) != 2:
            raise AssertionError(f"return (precision, recall), two numbers; got {len(got)}")
        fired = detect_events(probs, threshold, refractory) * frame_seconds
        s = event_scores(fired, ends, tolerance)
        want = (s.precision, s.recall)
        if all(math.isclose(g, w, abs_tol=1e-9) for g, w in zip(got, want)):
            continue
        every = np.flatnonzero(probs >= threshold) * frame_seconds
        s_every = event_scores(every, ends, tolerance)
        if math.isclose(got[0], s_every.precision, abs_tol=1e-9) and not math.isclose(got[0], want[0], abs_tol=1e-9):
            raise AssertionError("you counted every frame above the threshold as a detection: a trigger keeps the "
                                 "output high for several frames; after a detection, stay silent for `refractory` "
                                 "frames")  # fmt: skip
        if got[::-1] == want or (math.isclose(got[0], want[1]) and math.isclose(got[1], want[0])):
            raise AssertionError("precision and recall are swapped: precision = hits / detections, "
                                 "recall = hits / true events")  # fmt: skip
        if got[1] > 1 or got[0] > 1:
            raise AssertionError(f"a precision or recall above 1 ({got}): count each true event at most once "
                                 "(two detections near one event are one hit and one false alarm)")  # fmt: skip
        if any(math.isclose(got[0], w, abs_tol=1e-9) for w in _double_counted(fired, ends, tolerance)):
            raise AssertionError("two detections matched the same true event: count each true event at most once "
                                 "(the second is a false alarm)")  # fmt: skip
        raise AssertionError(f"with threshold {threshold} and refractory {refractory}, (precision, recall) should be "
                             f"({want[0]:.3f}, {want[1]:.3f}), got ({got[0]:.3f}, {got[1]:.3f})")  # fmt: skip


def _double_counted(fired: np.ndarray, ends: list[float], tolerance: float) -> list[float]:
    hits = sum(1 for t in fired if any(abs(t - e) <= tolerance for e in ends))
    return [hits / len(fired)] if len(fired) else []


event_precision_recall = Exercise(
    "event precision and recall",
    _check_events,
    hint_text="Level 1: first turn the frames into detection times (threshold, then silence for `refractory` "
    "frames), then match detections with true events within the tolerance.\nLevel 2: a detection is a hit if an "
    "unmatched true event lies within `tolerance` seconds (mark it matched); precision = hits / detections, "
    "recall = hits / true events.",
    reference=_events_solution,
)


# --- known-wrong answers, one per exercise ------------------------------------------------------------------------


def _wrong_collapse(path, blank=0):
    return [c for c in path if c != blank]  # drops blanks, keeps repeats


def _wrong_frames(label):
    return len(label)  # forgets the blanks between equal neighbours


def _wrong_forward(alpha_prev, probs_t, extended, blank=0):
    return _forward_variant(alpha_prev, probs_t, extended, blank, skip="no-repeat-rule")


def _wrong_events(probs, true_ends, threshold, refractory, frame_seconds, tolerance):
    fired = np.flatnonzero(np.asarray(probs) >= threshold) * frame_seconds  # no refractory period
    s = event_scores(fired, true_ends, tolerance)
    return s.precision, s.recall


KNOWN_WRONG = {
    "collapse": _wrong_collapse,
    "frames_needed": _wrong_frames,
    "forward_step": _wrong_forward,
    "event_precision_recall": _wrong_events,
}
