import numpy as np
import pytest

from course_utils.checks import lesson01, lesson02
from course_utils.exercises import Exercise


def test_not_implemented_and_empty_answers():
    def stub(*args):
        raise NotImplementedError

    assert "not written yet" in lesson01.classifier_params.evaluate(stub).message
    assert "no answer" in lesson01.classifier_params.evaluate(None).message


def test_check_prints_hint_and_solution(capsys):
    ex = lesson01.classifier_params
    ex.check(lambda s, d, h, k: 0)
    ex.hint()
    ex.solution()
    out = capsys.readouterr().out
    assert out.startswith("Not yet (parameters of a many-to-one classifier)")
    assert "Hint (parameters of a many-to-one classifier)" in out
    assert "def _classifier_params_solution" in out


def test_text_solution():
    ex = Exercise("t", lambda a: None, hint_text="h", reference="answer: 42")
    ex.check(1)
    assert ex.evaluate(1).passed


def test_lesson07_checks():
    from course_utils.checks import lesson07

    for ex in (lesson07.shift_right, lesson07.masked_accuracy):
        assert ex.evaluate(ex.reference).passed
    keeps_end = lambda y, s: np.concatenate([np.full((len(y), 1), s), y[:, :-1]], axis=1)  # noqa: E731
    assert "<end>" in lesson07.shift_right.evaluate(keeps_end).message
    unmasked = lambda t, p: float((t == p).mean())  # noqa: E731
    assert "padding" in lesson07.masked_accuracy.evaluate(unmasked).message


def test_lesson03_references_pass_and_typical_mistakes_are_named():
    from course_utils.checks import lesson03

    for ex in (lesson03.bits_and_perplexity, lesson03.temperature_sample, lesson03.bigram_distribution,
               lesson03.top_p_filter):
        assert ex.evaluate(ex.reference).passed, ex.name

    bits = lesson03.bits_and_perplexity
    assert "in nats" in bits.evaluate(lambda lp: (-np.mean(lp), np.exp(-np.mean(lp)))).message
    assert "summed" in bits.evaluate(lambda lp: (-np.sum(lp) / np.log(2), 1.0)).message
    assert "sign" in bits.evaluate(lambda lp: (np.mean(lp) / np.log(2), 1.0)).message
    assert "ln 10" in bits.evaluate(lambda lp: (-np.mean(lp) / np.log(10), 1.0)).message
    assert "mixes bases" in bits.evaluate(lambda lp: (-np.mean(lp) / np.log(2), 2 ** -np.mean(lp))).message

    def divides_probabilities(p, t, rng):
        q = p / t
        return rng.choice(len(p), p=q / q.sum())

    def not_renormalised(p, t, rng):
        return rng.choice(len(p), p=np.exp(np.log(p) / t))

    def inverse_temperature(p, t, rng):
        q = p**t
        return rng.choice(len(p), p=q / q.sum())

    sample = lesson03.temperature_sample
    assert "LOG-probabilities" in sample.evaluate(divides_probabilities).message
    assert "renormalise" in sample.evaluate(not_renormalised).message
    assert "backwards" in sample.evaluate(inverse_temperature).message
    assert "always return the most probable" in sample.evaluate(lambda p, t, rng: int(np.argmax(p))).message

    def softmax_of_probabilities(p, t, rng):
        q = np.exp(p / t)
        return rng.choice(len(p), p=q / q.sum())

    assert "not logits" in sample.evaluate(softmax_of_probabilities).message

    def pair_counts(text, chars, prev):
        return np.array([sum(a == prev and b == c for a, b in zip(text, text[1:])) for c in chars], dtype=float)

    bigram = lesson03.bigram_distribution
    assert "no smoothing" in bigram.evaluate(lambda t, c, p, a: pair_counts(t, c, p) / pair_counts(t, c, p).sum()).message
    assert "smoothed counts" in bigram.evaluate(lambda t, c, p, a: pair_counts(t, c, p) + a).message
    unigram = lambda t, c, p, a: (np.array([t.count(x) for x in c]) + a) / (len(t) + a * len(c))  # noqa: E731
    assert "unigram" in bigram.evaluate(unigram).message
    by_occurrences = lambda t, c, p, a: (pair_counts(t, c, p) + a) / (t.count(p) + a * len(c))  # noqa: E731
    assert "no successor" in bigram.evaluate(by_occurrences).message

    def stops_early(probs, p):
        order = np.argsort(-probs)
        keep = order[np.cumsum(probs[order]) < p]
        out = np.zeros_like(probs)
        out[keep] = probs[keep]
        return out / out.sum()

    top_p = lesson03.top_p_filter
    assert "crosses p" in top_p.evaluate(stops_early).message
    assert "renormalised" in top_p.evaluate(lambda probs, p: np.where(top_p.reference(probs, p) > 0, probs, 0)).message
    assert "sort the tokens" in top_p.evaluate(lesson03._first_in_id_order).message


def test_hint_levels(capsys):
    ex = Exercise("t", lambda a: None, hint_text="Level 1: a nudge.\nLevel 2: the approach.", reference="")
    ex.hint(1)
    assert capsys.readouterr().out == "Hint (t): Level 1: a nudge.\n"
    ex.hint(2)
    assert capsys.readouterr().out == "Hint (t): Level 2: the approach.\n"
    ex.hint()
    assert capsys.readouterr().out == "Hint (t): Level 1: a nudge.\nLevel 2: the approach.\n"


def test_hint_level_for_every_lesson_exercise(capsys):
    exercises = (lesson01.classifier_params, lesson01.grad_initial_state, lesson01.truncated_bptt,
                 lesson02.stack_params, lesson02.masked_gru, lesson02.lstm_step_backward, lesson02.more_training)
    for ex in exercises:
        ex.hint(1)
        nudge = capsys.readouterr().out
        assert "Level 1: " in nudge and "Level 2" not in nudge
        ex.hint(2)
        assert "Level 2: " in capsys.readouterr().out


def test_hint_rejects_a_bad_level():
    ex = Exercise("t", lambda a: None, hint_text="Level 1: a.\nLevel 2: b.", reference="")
    with pytest.raises(ValueError, match="1 or 2"):
        ex.hint(3)
    with pytest.raises(TypeError, match="1 or 2"):
        ex.hint("1")
