"""Exercises 5 and 6 of lesson 03 (a text's log-probability with a step model, the stateful stream layout) and
KNOWN_WRONG: each reference passes, and each typical wrong answer gets its own message."""

from __future__ import annotations

import numpy as np

from course_utils.checks import lesson03


def message(exercise, answer) -> str:
    result = exercise.evaluate(answer)
    assert not result.passed, f"a wrong answer passed: {result.message}"
    return result.message


def _log_prob_variant(*, carry=True, log_softmax=True, shift=True, reduce="sum", base=np.e):
    def answer(step, ids, state_size):
        state = np.zeros((1, state_size), dtype="float32")
        terms = []
        for current, following in zip(ids[:-1], ids[1:]):
            logits, new_state = step(np.array([[current]]), state if carry else np.zeros((1, state_size)))
            state = new_state
            z = np.asarray(logits[0], dtype=float)
            if log_softmax:
                z = z - z.max() - np.log(np.exp(z - z.max()).sum())
            terms.append(z[following] if shift else z[current])
        total = np.sum(terms) if reduce == "sum" else np.mean(terms)
        return float(total / np.log(base))
    return answer


def test_text_log_prob_reference_and_typical_mistakes():
    ex = lesson03.text_log_prob
    assert ex.evaluate(ex.reference).passed
    assert ex.evaluate(_log_prob_variant()).passed
    assert "state is not carried" in message(ex, _log_prob_variant(carry=False))
    assert "off by one" in message(ex, _log_prob_variant(shift=False))
    assert "SUM" in message(ex, _log_prob_variant(reduce="mean"))
    assert "log base 2" in message(ex, _log_prob_variant(base=2))
    assert "never positive" in message(ex, lambda step, ids, h: -_log_prob_variant()(step, ids, h))
    assert "should be" in message(ex, _log_prob_variant(log_softmax=False))
    assert "one number" in message(ex, lambda step, ids, h: np.zeros(3))


def test_text_log_prob_reference_agrees_with_the_toy_whole_sequence_model():
    toy = lesson03._ToyRNN()
    ids = [1, 2, 3, 0, 5]
    assert np.isclose(lesson03.text_log_prob.reference(toy.step, ids, toy.hidden), toy.log_prob(ids))


def test_stateful_layout_reference_and_typical_mistakes():
    ex = lesson03.stateful_layout
    assert ex.evaluate(ex.reference).passed
    x, y = ex.reference(np.arange(1001), 8, 10)
    assert x.shape == (96, 10) and (x[8:16, 0] == x[:8, -1] + 1).all() and (y == x + 1).all()
    assert "consecutive windows" in message(ex, lesson03._wrong_stateful_consecutive)
    assert "y equals x" in message(ex, lambda ids, b, t: (ex.reference(ids, b, t)[0],) * 2)

    def reversed_rows(ids, b, t):
        x, y = ex.reference(ids, b, t)
        return tuple(a.reshape(-1, b, t)[:, ::-1].reshape(-1, t) for a in (x, y))

    assert "reverse order" in message(ex, reversed_rows)
    assert "shape" in message(ex, lambda ids, b, t: tuple(a[:-1] for a in ex.reference(ids, b, t)))


def test_every_exercise_has_one_known_wrong_answer_that_fails():
    assert set(lesson03.KNOWN_WRONG) == set(lesson03.__all__)
    for name in lesson03.__all__:
        exercise = getattr(lesson03, name)
        assert exercise.evaluate(exercise.reference).passed, name
        assert not exercise.evaluate(lesson03.KNOWN_WRONG[name]).passed, name
