"""Lesson 11's exercise checkers: each reference passes, each typical wrong answer gets its own message."""

import numpy as np
import pytest

from course_utils import ctc
from course_utils.checks import lesson11 as checks


def message(exercise, answer) -> str:
    result = exercise.evaluate(answer)
    assert not result.passed, "a wrong answer passed"
    return result.message


@pytest.mark.parametrize("name", ["collapse", "frames_needed", "forward_step", "event_precision_recall"])
def test_reference_passes_and_known_wrong_fails(name):
    exercise = getattr(checks, name)
    assert exercise.evaluate(exercise.reference).passed
    assert not exercise.evaluate(checks.KNOWN_WRONG[name]).passed


def test_collapse_messages():
    assert "kept the repeats" in message(checks.collapse, lambda p, blank=0: [c for c in p if c != blank])
    drop_first = lambda p, blank=0: ctc.collapse([c for c in p if c != blank], blank=blank)  # noqa: E731
    assert "before merging" in message(checks.collapse, drop_first)
    merged = lambda p, blank=0: [c for i, c in enumerate(p) if i == 0 or c != p[i - 1]]  # noqa: E731
    assert "kept the blanks" in message(checks.collapse, merged)


def test_frames_messages():
    assert "one frame per symbol" in message(checks.frames_needed, len)
    assert "every pair" in message(checks.frames_needed, lambda label: 2 * len(label) - 1)
    assert "not next to its twin" in message(checks.frames_needed, lambda label: 2 * len(label) - len(set(label)))


def _variant(**kw):
    return lambda a, p, e, blank=0: checks._forward_variant(a, p, e, blank, **kw)


def test_forward_messages():
    assert "never skip" in message(checks.forward_step, _variant(skip="never"))
    assert "never skipped to" in message(checks.forward_step, _variant(skip="always"))
    assert "equal symbols" in message(checks.forward_step, _variant(skip="no-repeat-rule"))
    assert "forgot to multiply" in message(checks.forward_step, _variant(emit=False))


def test_forward_reference_runs_the_whole_forward_algorithm():
    # repeated steps of the reference give the likelihood that ctc_loss computes
    rng = np.random.default_rng(3)
    label, frames, classes = [1, 1, 2], 7, 3
    probs = rng.dirichlet(np.ones(classes), size=frames)
    ext = checks._extended(label, 0)
    alpha = np.zeros(len(ext))
    alpha[:2] = probs[0, ext[:2]]
    for t in range(1, frames):
        alpha = checks.forward_step.reference(alpha, probs[t], ext, 0)
    nll = ctc.ctc_loss([label], np.log(probs)[None], [frames])[0]
    np.testing.assert_allclose(-np.log(alpha[-1] + alpha[-2]), nll, rtol=1e-9)


def test_events_messages():
    ref = checks.event_precision_recall.reference
    assert "every frame above the threshold" in message(checks.event_precision_recall, checks._wrong_events)
    swapped = lambda *a: ref(*a)[::-1]  # noqa: E731
    assert "swapped" in message(checks.event_precision_recall, swapped)

    def double(probs, ends, threshold, refractory, frame_seconds, tolerance):
        from course_utils.speech_scoring import detect_events
        fired = detect_events(probs, threshold, refractory) * frame_seconds
        hits = sum(1 for t in fired if any(abs(t - e) <= tolerance for e in ends))
        return hits / len(fired), min(hits / len(ends), 1.0)

    assert "same true event" in message(checks.event_precision_recall, double)
