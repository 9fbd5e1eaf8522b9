"""Exercises of lesson 06 (addition): every reference passes its checker, and each typical wrong answer, written the
way a learner would write it, gets its own message."""

import itertools
from math import comb

import numpy as np
import pytest

from course_utils.checks import lesson06

CHECKED = [lesson06.decode_and_score, lesson06.subtraction_questions, lesson06.carry_distribution]


def message(exercise, answer) -> str:
    result = exercise.evaluate(answer)
    assert not result.passed, f"{exercise.name}: a wrong answer passed"
    return result.message


@pytest.mark.parametrize("exercise", CHECKED, ids=lambda ex: ex.name)
def test_references_pass(exercise):
    result = exercise.evaluate(exercise.reference)
    assert result.passed, result.message


def test_count_carries_reference():
    assert [lesson06.reference_count_carries(a, b) for a, b in [(0, 0), (5, 5), (999, 1), (123, 456), (909, 91)]] == [
        0, 1, 3, 0, 3,
    ]  # fmt: skip


# --- 1. decode the softmax output and score it ---------------------------------------------------------------


def _decode(probs, alphabet, axis=-1, strip=True):
    rows = np.argmax(probs, axis=axis)
    texts = ["".join(alphabet[i] for i in row) for row in rows]
    return [t.strip() for t in texts] if strip else texts


def test_decode_and_score_mistakes_are_named():
    ex = lesson06.decode_and_score

    def steps_axis(probs, alphabet, expected):
        answers = _decode(probs, alphabet, axis=1)
        return answers, np.mean([a == e for a, e in zip(answers, expected)])

    def keeps_padding(probs, alphabet, expected):
        answers = _decode(probs, alphabet, strip=False)
        return answers, np.mean([a == e for a, e in zip(answers, expected)])

    def per_character(probs, alphabet, expected):
        answers = _decode(probs, alphabet)
        pairs = [(p, t) for a, e in zip(answers, expected) for p, t in zip(a, e)]
        return answers, np.mean([p == t for p, t in pairs])

    def counts(probs, alphabet, expected):
        answers = _decode(probs, alphabet)
        return answers, sum(a == e for a, e in zip(answers, expected))

    def compares_padded(probs, alphabet, expected):
        padded = _decode(probs, alphabet, strip=False)
        return [a.strip() for a in padded], np.mean([a == e for a, e in zip(padded, expected)])

    assert "steps axis" in message(ex, steps_axis)
    assert "padding spaces ('156 ')" in message(ex, keeps_padding)
    assert "per-character accuracy" in message(ex, per_character)
    assert "count of right answers" in message(ex, counts)
    assert "without their padding" in message(ex, compares_padded)
    assert "not written yet" in message(ex, lambda *a: (_ for _ in ()).throw(NotImplementedError))


# --- 2. a subtraction generator with signed answers -----------------------------------------------------------


def _generator(*, order="any", answer=lambda a, b: a - b, width=lambda d: d + 1, ordered=True, seeded=True,
               distinct=True, draw="uniform"):  # fmt: skip
    def generate(n, digits, seed):
        rng = np.random.default_rng(seed if seeded else None)
        seen, questions, answers = set(), [], []
        while len(questions) < n:
            if draw == "digits first":  # like addition_questions: the number of digits first, then the operand
                a, b = (int(rng.integers(0, 10**int(k))) for k in rng.integers(1, digits + 1, size=2))
            elif draw == "from 50":
                a, b = (int(x) for x in rng.integers(10**digits // 2, 10**digits, size=2))
            else:
                a, b = (int(x) for x in rng.integers(0, 10**digits, size=2))
            if order == "larger first":
                a, b = max(a, b), min(a, b)
            key = (a, b) if ordered else (min(a, b), max(a, b))
            if distinct and key in seen:
                continue
            seen.add(key)
            questions.append(f"{a}-{b}".ljust(2 * digits + 1))
            answers.append(str(answer(a, b)).ljust(width(digits)))
        return questions, answers

    return generate


def test_subtraction_reference_is_right():
    questions, answers = lesson06.subtraction_questions.reference(500, 3, 7)
    for q, a in zip(questions, answers):
        x, y = q.split("-")
        assert int(x) - int(y) == int(a)
    assert any(a.startswith("-") for a in answers) and max(len(a) for a in answers) == 4


def test_subtraction_mistakes_are_named():
    ex = lesson06.subtraction_questions
    assert "negative answer" in message(ex, _generator(order="larger first"))
    assert "b - a" in message(ex, _generator(answer=lambda a, b: b - a))
    assert "minus sign is missing" in message(ex, _generator(answer=lambda a, b: abs(a - b)))
    assert "place for the sign" in message(ex, _generator(width=lambda d: d))
    assert "both orders" in message(ex, _generator(ordered=False))
    assert "same seed" in message(ex, _generator(seeded=False))
    assert "repeat" in message(ex, _generator(distinct=False))
    assert "not the number of digits first" in message(ex, _generator(draw="digits first"))
    assert "not uniform" in message(ex, _generator(draw="from 50"))

    def zero_padded(n, digits, seed):
        questions, answers = ex.reference(n, digits, seed)
        pairs = [tuple(int(x) for x in q.split("-")) for q in questions]
        return [f"{a:0{digits}d}-{b:0{digits}d}" for a, b in pairs], answers

    assert "leading zeros" in message(ex, zero_padded)


# --- 3. the distribution of the number of carries -------------------------------------------------------------


def test_carry_reference_matches_enumeration_with_count_carries():
    for digits in (1, 2):
        counts = np.zeros(digits + 1)
        for a, b in itertools.product(range(10**digits), repeat=2):
            counts[lesson06.reference_count_carries(a, b)] += 1
        assert np.allclose(lesson06.carry_distribution.reference(digits), counts / counts.sum())
    # 3 digits: the vectorised enumeration of the checker
    assert np.allclose(lesson06.carry_distribution.reference(3), lesson06._enumerated_carries(3))
    assert np.isclose(lesson06.carry_distribution.reference(30).sum(), 1.0)


def test_carry_mistakes_are_named():
    ex = lesson06.carry_distribution
    ref = ex.reference

    assert "independent" in message(ex, lambda d: [comb(d, k) * 0.45**k * 0.55 ** (d - k) for k in range(d + 1)])
    assert "half of the time" in message(ex, lambda d: [comb(d, k) / 2**d for k in range(d + 1)])
    assert "counts of pairs" in message(ex, lambda d: ref(d) * 100**d)
    assert f"return {2} values" in message(ex, lambda d: ref(d)[:-1])
    assert "unordered pair" in message(ex, lambda d: lesson06._unordered_carries(d) if d <= 3 else ref(d))

    def slow_enumeration(d):
        counts = np.zeros(d + 1)
        for a in range(10**d):
            for b in range(10**d):
                counts[lesson06.reference_count_carries(a, b)] += 1
        return counts / counts.sum()

    assert "recurrence" in message(ex, slow_enumeration)
    assert "recurrence" in message(ex, lesson06._enumerated_carries)  # numpy enumeration: fails at 20 digits


# --- the open exercise --------------------------------------------------------------------------------------------


def test_open_exercise_has_two_level_hint_and_numbers(capsys):
    ex = lesson06.longer_race
    assert "open" in message(ex, object())
    ex.hint()
    ex.solution()
    out = capsys.readouterr().out
    assert "Level 1:" in out and "Level 2:" in out
    assert "PENDING" not in out and sum(ch.isdigit() for ch in out) > 40


def test_hints_have_two_levels_and_no_code():
    for ex in CHECKED:
        assert ex.hint_text.startswith("Level 1: ") and "\nLevel 2: " in ex.hint_text, ex.name
        assert "def " not in ex.hint_text and "return " not in ex.hint_text, ex.name


def test_known_wrong_answers_fail_with_their_own_message():
    assert set(lesson06.KNOWN_WRONG) == {"decode_and_score", "subtraction_questions", "carry_distribution"}
    assert "padding" in message(lesson06.decode_and_score, lesson06.KNOWN_WRONG["decode_and_score"])
    assert "digits first" in message(lesson06.subtraction_questions, lesson06.KNOWN_WRONG["subtraction_questions"])
    assert "unordered pair" in message(lesson06.carry_distribution, lesson06.KNOWN_WRONG["carry_distribution"])
