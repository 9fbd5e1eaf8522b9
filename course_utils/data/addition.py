"""Addition questions "a+b" with their answers, as fixed-width strings (lesson 06)."""

from __future__ import annotations

from course_utils.data._common import _positive, _rng

__all__ = ["addition_questions"]


def addition_questions(
    n: int, *, digits: int = 3, seed: int = 0, reverse: bool = False, zero_pad: bool = False
) -> tuple[list[str], list[str]]:
    """``n`` distinct questions "a+b" with their answers, as fixed-width strings.

    Each operand has 1..``digits`` digits (the digit count drawn uniformly first). An unordered
    pair never repeats: if "12+7" is drawn, "7+12" is not. Questions are padded with spaces to
    ``2 * digits + 1`` characters, answers to ``digits + 1``. With ``reverse=True`` each padded
    question is reversed (so the least significant digits come first). With ``zero_pad=True``
    each operand is written with exactly ``digits`` digits ("7+12" becomes "007+012"), so that
    digits of the same place value always sit at the same positions. The questions drawn
    (and their order) do not depend on ``reverse`` or ``zero_pad``.

    Example:
        >>> q, a = addition_questions(2, digits=2, seed=1)
        >>> [len(s) for s in q], [len(s) for s in a]
        ([5, 5], [3, 3])
    """
    n = _positive("n", n)
    digits = _positive("digits", digits)
    biggest = 10**digits
    possible = biggest * (biggest + 1) // 2
    if n > possible:
        raise ValueError(f"only {possible} distinct unordered pairs exist with {digits} digits; asked for {n}")
    rng = _rng(seed)
    seen: set[tuple[int, int]] = set()
    questions: list[str] = []
    answers: list[str] = []
    qlen, alen = 2 * digits + 1, digits + 1
    while len(questions) < n:
        lengths = rng.integers(1, digits + 1, size=2)
        a, b = (int(rng.integers(0, 10**k)) for k in lengths)
        key = (min(a, b), max(a, b))
        if key in seen:
            continue
        seen.add(key)
        q = f"{a:0{digits}d}+{b:0{digits}d}" if zero_pad else f"{a}+{b}".ljust(qlen)
        questions.append(q[::-1] if reverse else q)
        answers.append(str(a + b).ljust(alen))
    return questions, answers
