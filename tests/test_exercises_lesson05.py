"""Exercises of lesson 05 (text classification): every reference passes its checker, and each typical wrong answer,
written the way a learner would write it, gets its own message."""

import subprocess
import sys

import numpy as np
import pytest

from course_utils.checks import lesson05

CHECKED = [lesson05.macro_f1, lesson05.masked_mean, lesson05.attention_pooling]


def message(exercise, answer) -> str:
    result = exercise.evaluate(answer)
    assert not result.passed, f"{exercise.name}: a wrong answer passed"
    return result.message


def all_different(messages):
    assert len(set(messages)) == len(messages), "two typical mistakes got the same message"


@pytest.mark.parametrize("exercise", CHECKED, ids=lambda ex: ex.name)
def test_references_pass(exercise):
    result = exercise.evaluate(exercise.reference)
    assert result.passed, result.message


def test_all_lists_the_exercises_and_known_wrong_answers_fail():
    assert [getattr(lesson05, name) for name in lesson05.__all__] == CHECKED
    assert list(lesson05.KNOWN_WRONG) == lesson05.__all__
    for name, wrong in lesson05.KNOWN_WRONG.items():
        assert not getattr(lesson05, name).evaluate(wrong).passed, name


def test_importing_the_checks_does_not_import_keras_or_sklearn():
    modules = "('tensorflow', 'keras', 'sklearn')"
    code = f"import sys, course_utils.checks.lesson05; print(*(m in sys.modules for m in {modules}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]


# --- 1. macro-F1 ----------------------------------------------------------------------------------------------------


def _per_class(confusion, zero_division=0.0):
    """Precision, recall and F1 per class, with 0/0 replaced by zero_division (np.nan: left as NaN)."""
    c = np.asarray(confusion, dtype=float)
    tp, predicted, actual = np.diag(c), c.sum(axis=0), c.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, zero_division)
        recall = np.where(actual > 0, tp / actual, zero_division)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), zero_division)
    return precision, recall, f1, actual


def test_macro_f1_reference_matches_sklearn_on_random_matrices():
    rng = np.random.default_rng(0)
    for n in (2, 3, 5, 5, 7):
        confusion = rng.integers(0, 6, size=(n, n)) * (rng.random((n, n)) < 0.7)
        confusion[rng.integers(n)] = 0  # a class without examples
        confusion[:, rng.integers(n)] = 0  # a class never predicted
        assert np.isclose(lesson05.macro_f1.reference(confusion), lesson05._sklearn_macro_f1(confusion))


def test_macro_f1_mistakes_are_named():
    ex = lesson05.macro_f1

    def naive(confusion):  # divides without caring for 0/0
        tp = np.diag(confusion)
        precision, recall = tp / confusion.sum(axis=0), tp / confusion.sum(axis=1)
        return np.mean(2 * precision * recall / (precision + recall))

    def nanmean(confusion):
        tp = np.diag(confusion)
        precision, recall = tp / confusion.sum(axis=0), tp / confusion.sum(axis=1)
        return np.nanmean(2 * precision * recall / (precision + recall))

    def weighted(confusion):
        _, _, f1, support = _per_class(confusion)
        return float(np.sum(f1 * support) / np.sum(support))

    def f1_of_means(confusion):
        precision, recall, _, _ = _per_class(confusion)
        p, r = precision.mean(), recall.mean()
        return 2 * p * r / (p + r)

    messages = [
        message(ex, lambda c: np.trace(c) / np.sum(c)),
        message(ex, weighted),
        message(ex, lambda c: _per_class(c)[0].mean()),
        message(ex, lambda c: _per_class(c)[1].mean()),
        message(ex, naive),
        message(ex, nanmean),
        message(ex, f1_of_means),
        message(ex, lambda c: _per_class(c)[2]),
        message(ex, lambda c: _per_class(c)[2].mean() + 0.01),
    ]
    assert "accuracy" in messages[0] and "micro-F1" in messages[0]
    assert "number of examples" in messages[1]
    assert "mean precision" in messages[2]
    assert "mean recall" in messages[3]
    assert "NaN" in messages[4] and "zero_division=0" in messages[4]
    assert "left out of the mean" in messages[5]
    assert "harmonic mean of the mean precision and the mean recall" in messages[6]
    assert "one number per class" in messages[7]
    assert "the macro-F1 of" in messages[8]
    all_different(messages)


def test_macro_f1_does_not_depend_on_the_orientation():
    # F1 is symmetric in precision and recall, so a transposed matrix gives the same macro-F1
    assert lesson05.macro_f1.evaluate(lambda c: lesson05.macro_f1.reference(np.asarray(c).T)).passed


# --- 2. a masked mean ---------------------------------------------------------------------------------------------


def test_masked_mean_mistakes_are_named():
    ex = lesson05.masked_mean

    def divides_by_t(embeddings, mask):
        return (embeddings * mask[:, :, None]).sum(axis=1) / embeddings.shape[1]

    def nan_for_empty_rows(embeddings, mask):
        return (embeddings * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)

    def mask_on_the_last_axis(embeddings, mask):
        return (embeddings * mask[:, None, :]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)

    def mask_without_new_axis(embeddings, mask):
        return (embeddings * mask).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)

    def over_the_batch(embeddings, mask):
        return (embeddings * mask[:, :, None]).sum(axis=0) / np.maximum(mask.sum(axis=0)[:, None], 1)

    def over_the_features(embeddings, mask):
        return (embeddings * mask[:, :, None]).mean(axis=2)

    messages = [
        message(ex, lambda embeddings, mask: embeddings.mean(axis=1)),
        message(ex, divides_by_t),
        message(ex, nan_for_empty_rows),
        message(ex, mask_on_the_last_axis),
        message(ex, over_the_batch),
        message(ex, over_the_features),
        message(ex, lambda embeddings, mask: embeddings[mask].mean(axis=0)),
        message(ex, lambda embeddings, mask: (embeddings * mask[:, :, None]).sum(axis=1)),
        message(ex, lambda embeddings, mask: ex.reference(embeddings, mask) + np.isclose(mask.sum(1), 0)[:, None]),
    ]
    assert "padding included" in messages[0]
    assert "divided the masked sum by T" in messages[1]
    assert "returned NaN there" in messages[2]
    assert "do not line up" in messages[3] and "time axis (1)" in messages[3]
    assert "batch axis (0)" in messages[4]
    assert "features axis (2)" in messages[5]
    assert "whole batch together" in messages[6]
    assert "sum over the real tokens" in messages[7]
    assert "return zeros for it" in messages[8]
    all_different(messages)
    assert "do not line up" in message(ex, mask_without_new_axis)


def test_masked_mean_agrees_with_keras_where_a_row_has_tokens():
    cases, keras_outs = lesson05._masked_mean_cases(), lesson05._keras_masked_means()
    for (x, mask), keras_out in zip(cases, keras_outs):
        has_tokens = mask.any(axis=1)
        assert np.allclose(lesson05.masked_mean.reference(x, mask)[has_tokens], keras_out[has_tokens])
    empty = ~cases[0][1].any(axis=1)  # the first case has a row without tokens: Keras gives NaN there, we give 0
    assert empty.any() and np.isnan(keras_outs[0][empty]).all()
    assert np.all(lesson05.masked_mean.reference(*cases[0])[empty] == 0)


# --- 3. attention pooling ----------------------------------------------------------------------------------------


def _pool(weights, h):
    return (weights[:, :, None] * h).sum(axis=1)


def test_attention_pooling_mistakes_are_named():
    ex = lesson05.attention_pooling

    def softmax(s, axis=1):
        e = np.exp(s - s.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    def over_all_positions(h, mask, w):
        weights = softmax(h @ w)
        return _pool(weights, h), weights

    def masked_after_softmax(h, mask, w):
        weights = softmax(h @ w) * mask
        return _pool(weights, h), weights

    def raw_scores(h, mask, w):
        weights = np.where(mask, h @ w, 0.0)
        return _pool(weights, h), weights

    def over_the_batch(h, mask, w):
        weights = softmax(np.where(mask, h @ w, -np.inf), axis=0)
        return _pool(weights, h), weights

    def unstable(h, mask, w):
        e = np.where(mask, np.exp(h @ w), 0.0)
        weights = e / e.sum(axis=1, keepdims=True)
        return _pool(weights, h), weights

    def zeroed_scores(h, mask, w):  # padding scores set to 0 instead of -inf: exp(0) = 1 still weighs
        weights = softmax((h @ w) * mask)
        return _pool(weights, h), weights

    def mean_pooled(h, mask, w):
        _, weights = ex.reference(h, mask, w)
        return (h * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True), weights

    def averaged_pooled(h, mask, w):
        _, weights = ex.reference(h, mask, w)
        return (weights[:, :, None] * h).mean(axis=1), weights

    messages = [
        message(ex, over_all_positions),
        message(ex, masked_after_softmax),
        message(ex, raw_scores),
        message(ex, over_the_batch),
        message(ex, unstable),
        message(ex, zeroed_scores),
        message(ex, mean_pooled),
        message(ex, averaged_pooled),
        message(ex, lambda h, mask, w: ex.reference(h, mask, w)[1]),
        message(ex, lambda h, mask, w: ex.reference(h, mask, w)[::-1]),
    ]
    assert "softmax over all T positions" in messages[0]
    assert "without renormalising" in messages[1]
    assert "raw scores" in messages[2]
    assert "batch axis (0)" in messages[3]
    assert "exp overflows" in messages[4] and "NaN or inf" in messages[4]
    assert "weight exactly 0" in messages[5]
    assert "plain mean" in messages[6]
    assert "pooled differs" in messages[7]
    assert "pair (pooled, weights)" in messages[8]
    assert "shape (B, T)" in messages[9]
    all_different(messages)


def test_attention_pooling_accepts_a_large_negative_instead_of_minus_infinity():
    def with_minus_1e9(h, mask, w):
        s = np.where(mask, h @ w, -1e9)
        e = np.exp(s - s.max(axis=1, keepdims=True))
        weights = e / e.sum(axis=1, keepdims=True)
        return _pool(weights, h), weights

    assert lesson05.attention_pooling.evaluate(with_minus_1e9).passed


# --- hints and solutions ----------------------------------------------------------------------------------------


def test_hints_have_two_levels_and_no_code(capsys):
    for ex in CHECKED:
        assert ex.hint_text.startswith("Level 1: ") and ex.hint_text.count("\nLevel 2: ") == 1, ex.name
        assert "def " not in ex.hint_text and "return " not in ex.hint_text and "lambda" not in ex.hint_text, ex.name
        ex.solution()
        assert capsys.readouterr().out.startswith("def _"), ex.name
