"""Exercises of the translation lesson: every reference passes its checker, and each typical wrong answer, written
the way a learner would write it, gets its own message."""

import numpy as np
import pytest

from course_utils.checks import lesson07
from course_utils.decoding import greedy_decode
from course_utils.exercises import Exercise

CHECKED = [lesson07.shift_right, lesson07.masked_accuracy, lesson07.greedy_with_stop]


def message(exercise, answer) -> str:
    result = exercise.evaluate(answer)
    assert not result.passed, f"{exercise.name}: a wrong answer passed"
    return result.message


@pytest.mark.parametrize("exercise", CHECKED, ids=lambda ex: ex.name)
def test_references_pass(exercise):
    result = exercise.evaluate(exercise.reference)
    assert result.passed, result.message


@pytest.mark.parametrize("exercise", CHECKED, ids=lambda ex: ex.name)
def test_hints_have_two_levels_and_no_code(exercise):
    assert exercise.hint_text.startswith("Level 1: ") and "\nLevel 2: " in exercise.hint_text
    for code in ("np.", "def ", "lambda", "import ", "[:,", "[:, ", ".reshape(", "argmax(", "zip(", "=="):
        assert code not in exercise.hint_text, f"{exercise.name}: the hint shows code ({code!r})"


def test_stubs_are_not_written_yet():
    def stub(*args):
        raise NotImplementedError

    for exercise in CHECKED:
        assert "not written yet" in message(exercise, stub)


# --- 1. shift_right -------------------------------------------------------------------------------------


def test_shift_right_mistakes_are_named():
    ex = lesson07.shift_right

    def keeps_end(y, start):
        return np.concatenate([np.full((len(y), 1), start), y[:, :-1]], axis=1)

    def wider(y, start):  # the start column added, the last column not dropped
        out = np.concatenate([np.full((len(y), 1), start), y], axis=1)
        return np.where(out == 2, 0, out)

    def shifted_left(y, start):
        out = np.zeros_like(y)
        out[:, :-1] = y[:, 1:]
        return out

    def no_start(y, start):
        out = np.zeros_like(y)
        out[:, 1:] = y[:, :-1]
        return np.where(out == 2, 0, out)

    assert "<end>" in message(ex, keeps_end)
    assert "keep the width" in message(ex, wider)
    assert "LEFT" in message(ex, shifted_left)
    assert "starts with the start id" in message(ex, no_start)


# --- 2. masked_accuracy ---------------------------------------------------------------------------------


def test_masked_accuracy_mistakes_are_named():
    ex = lesson07.masked_accuracy
    assert "padding positions were counted" in message(ex, lambda t, p: float((t == p).mean()))
    assert "divided by every position" in message(ex, lambda t, p: float(((t == p) & (t != 0)).sum() / t.size))
    assert "number of right tokens" in message(ex, lambda t, p: int(((t == p) & (t != 0)).sum()))
    from_predictions = lambda t, p: float(((t == p) & (p != 0)).sum() / (p != 0).sum())  # noqa: E731
    assert "mask comes from the predictions" in message(ex, from_predictions)


# --- 3. greedy decoding with stop handling ----------------------------------------------------------------


def _learner(*, keep_after_end=False, drop_end=False, no_feedback=False, frozen_state=False, stop_any=False,
             never_stop=False, axis=1):  # fmt: skip
    """A learner's greedy loop, written out, with one mistake switched on."""

    def decode(step_fn, initial_state, start_id, end_id, max_length):
        k = len(initial_state)
        tokens = np.full(k, start_id)
        state = initial_state
        rows = [[] for _ in range(k)]
        done = [False] * k
        for _ in range(max_length):
            log_probs, new_state = step_fn(tokens, state)
            if not frozen_state:
                state = new_state
            best = log_probs.argmax(axis=axis)
            if not no_feedback:
                tokens = best
            for i in range(k):
                if done[i] and not keep_after_end:
                    continue
                if best[i] == end_id:
                    done[i] = True
                    if drop_end:
                        continue
                rows[i].append(int(best[i]))
            if never_stop:
                continue
            if (any(done) if stop_any else all(done)):
                break
        return rows

    return decode


def test_the_written_out_learner_loop_is_right_without_mistakes():
    assert lesson07.greedy_with_stop.evaluate(_learner()).passed


def test_greedy_with_stop_mistakes_are_named():
    ex = lesson07.greedy_with_stop
    assert "goes on after its <end>" in message(ex, _learner(keep_after_end=True))
    assert "<end> id is missing" in message(ex, _learner(drop_end=True))
    assert "reads <start> again" in message(ex, _learner(no_feedback=True))
    assert "initial state" in message(ex, _learner(frozen_state=True))
    assert "ONE row" in message(ex, _learner(stop_any=True))
    assert "vocabulary axis" in message(ex, _learner(axis=0))
    assert "stop the loop" in message(ex, _learner(never_stop=True))
    assert "one list of token ids per row" in message(ex, lambda *args: 3)


def test_the_toy_models_end_rows_at_different_steps():
    """The checker is only useful if some rows finish early, some late and some never (cut at max_length)."""
    lengths, cut = set(), 0
    for seed, k, max_length, end_bias in [(0, 6, 8, 1.5), (4, 6, 10, 3.0), (2, 7, 10, 2.5), (3, 1, 4, 0.0)]:
        state = np.random.default_rng(100 + seed).normal(size=(k, 5))
        rows = greedy_decode(lesson07._ToyModel(seed, end_bias=end_bias), state, 1, 2, max_length)
        lengths |= {len(r) for r in rows if r[-1] == 2}
        cut += sum(r[-1] != 2 for r in rows)
    assert len(lengths) >= 3 and cut >= 1, (lengths, cut)


# --- 4. the open exercise ----------------------------------------------------------------------------------


def test_open_exercise_has_a_two_level_hint_and_numbers(capsys):
    ex = lesson07.no_target_mask
    assert "open" in message(ex, object())
    ex.hint()
    hint = capsys.readouterr().out
    assert "Level 1" in hint and "Level 2" in hint
    ex.solution()
    answer = capsys.readouterr().out
    assert answer.startswith("Model answer") and "seed 0" in answer
    assert "{" not in answer and any(ch.isdigit() for ch in answer.split("\n", 4)[4])


def test_module_exports_every_exercise():
    defined = {name for name, value in vars(lesson07).items() if isinstance(value, Exercise)}
    assert set(lesson07.__all__) == defined
