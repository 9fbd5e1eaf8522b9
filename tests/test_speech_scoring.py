"""course_utils.speech_scoring: edit distance against nltk, CER, event detection and matching."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.distance import edit_distance as nltk_edit_distance

from course_utils.speech_scoring import (
    EventScores,
    character_error_rate,
    detect_events,
    edit_distance,
    event_scores,
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123", max_size=8), st.text(alphabet="0123", max_size=8))
def test_edit_distance_equals_nltk(a, b):
    assert edit_distance(a, b) == nltk_edit_distance(a, b)
    assert edit_distance(list(a), np.array([int(c) for c in b], dtype=str)) == nltk_edit_distance(a, b)


def test_character_error_rate():
    assert character_error_rate(["123", "45"], ["123", "45"]) == 0.0
    assert character_error_rate(["1234", ""], ["124", "5"]) == pytest.approx(2 / 4)
    assert character_error_rate(["999999"], ["1"]) == 6.0   # can exceed 1
    with pytest.raises(ValueError, match="2 hypotheses for 1 references"):
        character_error_rate(["1", "2"], ["1"])
    with pytest.raises(ValueError, match="no characters"):
        character_error_rate([""], [""])
    with pytest.raises(TypeError, match="hypothesis must be"):
        edit_distance(12, "12")


def test_detect_events_refractory_and_threshold():
    p = np.array([0.0, 0.6, 0.9, 0.6, 0.1, 0.0, 0.7, 0.7])
    assert detect_events(p, 0.5, refractory=3).tolist() == [1, 6]
    assert detect_events(p, 0.5, refractory=1).tolist() == [1, 2, 3, 6, 7]
    assert detect_events(p, 0.8, refractory=3).tolist() == [2]
    assert detect_events(p, 1.0, refractory=3).tolist() == []
    for bad, match in [(0.0, "threshold"), (1.5, "threshold")]:
        with pytest.raises(ValueError, match=match):
            detect_events(p, bad, 3)
    with pytest.raises(ValueError, match="refractory"):
        detect_events(p, 0.5, 0)
    with pytest.raises(ValueError, match="1-D"):
        detect_events(p[None], 0.5, 3)
    with pytest.raises(ValueError, match=r"probs\[1\] is NaN"):
        detect_events([0.1, np.nan], 0.5, 3)


def test_event_scores_match_each_true_event_once():
    # two detections near one true event: one hit, one false alarm
    s = event_scores([0.95, 1.05], [1.0], tolerance=0.1)
    assert (s.hits, s.false_alarms, s.misses) == (1, 1, 0)
    assert s.precision == 0.5 and s.recall == 1.0 and s.f1 == pytest.approx(2 / 3)
    # a detection between two events takes the earlier one; the later one is then matched by the next detection
    s = event_scores([1.5, 1.9], [1.4, 1.6], tolerance=0.35)
    assert (s.hits, s.false_alarms, s.misses) == (2, 0, 0)
    # nothing detected, nothing true: all zero, F1 defined as 0
    s = event_scores([], [], tolerance=0.1)
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)
    total = event_scores([1.0], [1.0], 0.1) + event_scores([3.0], [], 0.1) + event_scores([], [5.0], 0.1)
    assert total == EventScores(hits=1, false_alarms=1, misses=1)
    with pytest.raises(ValueError, match="tolerance"):
        event_scores([1.0], [1.0], tolerance=-0.1)
    with pytest.raises(ValueError, match="detected times must be finite"):
        event_scores([np.inf], [1.0], tolerance=0.1)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 10), max_size=6), st.lists(st.floats(0, 10), max_size=6), st.floats(0, 1))
def test_event_scores_counts_add_up(detected, true, tolerance):
    s = event_scores(detected, true, tolerance)
    assert s.hits + s.false_alarms == len(detected) and s.hits + s.misses == len(true)
    assert s.hits <= min(len(detected), len(true))
