"""Exercises of lesson 04 (sequence-to-sequence addition): exact match, counting carries."""

from __future__ import annotations

from typing import Callable, Sequence

from course_utils.exercises import Exercise

__all__ = ["exact_match", "count_carries", "reference_count_carries"]


def _exact_match_solution(predicted: Sequence[str], expected: Sequence[str]) -> float:
    if len(predicted) != len(expected):
        raise ValueError(f"{len(predicted)} predictions for {len(expected)} answers")
    right = sum(p.strip() == e.strip() for p, e in zip(predicted, expected))  # the whole answer must match
    return right / len(expected)


def _check_exact_match(fn: Callable[[Sequence[str], Sequence[str]], float]) -> None:
    expected = ["596 ", "1000", "42  ", "7   "]
    cases = [
        (["596 ", "1000", "42  ", "7   "], 1.0),
        (["586 ", "1000", "42  ", "7   "], 0.75),  # one wrong digit makes the whole answer wrong
        (["586 ", "1001", "43  ", "8   "], 0.0),
        (["596", "1000", "42", "7"], 1.0),  # padding is not part of the answer
    ]
    for predicted, want in cases:
        got = fn(predicted, expected)
        if want == 0.0 and got > 0:
            raise AssertionError("that looks like per-character accuracy: count a question right only if every character is")
        assert abs(float(got) - want) < 1e-12, f"for predictions {predicted} vs {expected} the exact match is {want}, got {got}"


exact_match = Exercise(
    "exact-match accuracy",
    _check_exact_match,
    hint_text="Strip the padding spaces from both strings, compare whole strings, and divide the number of equal "
    "pairs by the number of questions.",
    reference=_exact_match_solution,
)


def reference_count_carries(a: int, b: int) -> int:
    """Number of carries when adding a and b digit by digit (lesson 04's error analysis)."""
    carries, carry = 0, 0
    while a or b:
        carry = int(a % 10 + b % 10 + carry >= 10)  # does this column carry into the next?
        carries += carry
        a, b = a // 10, b // 10
    return carries


def _check_carries(fn: Callable[[int, int], int]) -> None:
    for a, b in [(0, 0), (5, 5), (999, 1), (123, 456), (95, 5), (555, 555), (909, 91), (1, 999)]:
        want, got = reference_count_carries(a, b), fn(a, b)
        assert got == want, f"{a} + {b} has {want} carries, your function says {got}"


count_carries = Exercise(
    "counting carries",
    _check_carries,
    hint_text="Walk through the columns from the ones digit: a column carries when its two digits plus the "
    "incoming carry reach 10. Do not forget that a carry can cause the next carry (999 + 1).",
    reference=reference_count_carries,
)
