"""Exercises of lesson 05 (translation): building decoder inputs, masked accuracy."""

from __future__ import annotations

from typing import Callable

import numpy as np

from course_utils.exercises import Exercise

__all__ = ["shift_right", "masked_accuracy"]


def _shift_right_solution(target_ids, start_id, end_id=2):
    target_ids = np.asarray(target_ids)  # (B, T): tokens, <end>, then 0s
    shifted = np.zeros_like(target_ids)
    shifted[:, 0] = start_id
    shifted[:, 1:] = target_ids[:, :-1]  # every token moves one step right
    shifted[shifted == end_id] = 0  # the decoder never reads <end>
    return shifted


def _check_shift_right(fn: Callable[[np.ndarray, int], np.ndarray]) -> None:
    end = 2
    dec_out = np.array([[5, 6, 7, end, 0], [8, end, 0, 0, 0], [4, 4, 4, 4, end]])
    want = np.array([[1, 5, 6, 7, 0], [1, 8, 0, 0, 0], [1, 4, 4, 4, 4]])
    got = np.asarray(fn(dec_out.copy(), 1))
    assert got.shape == want.shape, f"keep the width: expected shape {want.shape}, got {got.shape}"
    assert (got[:, 0] == 1).all(), "every decoder input row starts with the start id"
    if (got == end).any():
        raise AssertionError("the <end> id must not appear in the decoder input: replace it by padding (0)")
    assert np.array_equal(got, want), f"for\n{dec_out}\nexpected\n{want}\ngot\n{got}"


shift_right = Exercise(
    "decoder input from decoder output",
    _check_shift_right,
    hint_text="Make an array of zeros of the same shape, put start_id in column 0 and target_ids[:, :-1] in "
    "columns 1 onwards; then replace the <end> id (2) by 0.",
    reference=_shift_right_solution,
)


def _masked_accuracy_solution(y_true, y_pred_ids):
    y_true, y_pred_ids = np.asarray(y_true), np.asarray(y_pred_ids)
    real = y_true != 0  # padding does not count
    return float(((y_true == y_pred_ids) & real).sum() / real.sum())


def _check_masked_accuracy(fn: Callable[[np.ndarray, np.ndarray], float]) -> None:
    y_true = np.array([[5, 6, 2, 0, 0], [7, 2, 0, 0, 0]])
    y_pred = np.array([[5, 9, 2, 0, 0], [7, 2, 3, 3, 3]])
    want = 4 / 5
    got = float(fn(y_true, y_pred))
    if abs(got - float(np.mean(y_true == y_pred))) < 1e-9:
        raise AssertionError("padding positions were counted: only positions where y_true != 0 count")
    assert abs(got - want) < 1e-9, f"expected {want}, got {got}"


masked_accuracy = Exercise(
    "masked token accuracy",
    _check_masked_accuracy,
    hint_text="Build a boolean mask y_true != 0; count matches inside the mask and divide by the mask's sum.",
    reference=_masked_accuracy_solution,
)
