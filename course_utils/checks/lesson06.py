"""Exercises of lesson 06 (attention): the additive score, dot-product attention with a mask."""

from __future__ import annotations

from typing import Callable

import numpy as np

from course_utils import attention
from course_utils.exercises import Exercise

__all__ = ["additive_scores", "dot_attention"]


def _additive_scores_solution(query, values, w_query, w_values, v):
    # query (Tq, Dq), values (Tv, Dv), w_query (Dq, U), w_values (Dv, U), v (U,) -> scores (Tq, Tv)
    q = query @ w_query  # (Tq, U)
    k = values @ w_values  # (Tv, U)
    return np.tanh(q[:, None, :] + k[None, :, :]) @ v  # broadcast to (Tq, Tv, U), then dot with v


def _check_additive(fn: Callable[..., np.ndarray]) -> None:
    rng = np.random.default_rng(5)
    for tq, tv, dq, dv, u in [(1, 1, 1, 1, 1), (2, 5, 3, 4, 6), (4, 3, 2, 2, 5)]:
        q, vals = rng.normal(size=(tq, dq)), rng.normal(size=(tv, dv))
        wq, wv, vec = rng.normal(size=(dq, u)), rng.normal(size=(dv, u)), rng.normal(size=u)
        got = np.asarray(fn(q, vals, wq, wv, vec))
        assert got.shape == (tq, tv), f"scores should have shape (Tq, Tv) = {(tq, tv)}, got {got.shape}"
        _, weights = attention.numpy_additive_attention(q[None], vals[None], wq, wv, vec)
        if np.allclose(got, weights[0]):
            raise AssertionError("these are the softmax weights: the exercise asks for the scores before the softmax")
        want = _additive_scores_solution(q, vals, wq, wv, vec)
        assert np.allclose(got, want, atol=1e-8), f"scores differ from v . tanh(s W1 + h W2) by up to {np.abs(got - want).max():.3g}"


additive_scores = Exercise(
    "the additive (Bahdanau) score",
    _check_additive,
    hint_text="Project the queries (Tq, U) and the values (Tv, U), add them with broadcasting to (Tq, Tv, U) "
    "(q[:, None, :] + k[None, :, :]), apply tanh, and take the dot product with v over the last axis.",
    reference=_additive_scores_solution,
)


def _dot_attention_solution(query, values, value_mask):
    # query (Tq, D), values (Tv, D), value_mask (Tv,) of booleans -> context (Tq, D), weights (Tq, Tv)
    scores = query @ values.T  # (Tq, Tv)
    scores = np.where(value_mask[None, :], scores, -np.inf)  # padded positions can never win
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)  # softmax: exponentials, then normalise
    return weights @ values, weights


def _check_dot(fn: Callable[..., tuple[np.ndarray, np.ndarray]]) -> None:
    rng = np.random.default_rng(6)
    q, vals = rng.normal(size=(3, 4)), rng.normal(size=(6, 4))
    mask = np.array([True, True, True, True, False, False])
    out = fn(q, vals, mask)
    assert isinstance(out, tuple) and len(out) == 2, "return (context, weights)"
    context, weights = (np.asarray(a) for a in out)
    want_c, want_w = attention.numpy_multiplicative_attention(q[None], vals[None], value_mask=mask[None])
    scores = q @ vals.T
    masked = np.where(mask[None], scores, 0.0)
    plain_ratios = [scores / scores.sum(1, keepdims=True), masked / masked.sum(1, keepdims=True)]
    if weights.shape == want_w[0].shape and any(np.allclose(weights[:, :4], r[:, :4]) for r in plain_ratios):
        raise AssertionError("alpha = e / sum(e) is not a softmax: take exponentials first, alpha = exp(e) / sum(exp(e))")
    assert weights.shape == want_w[0].shape, f"weights should have shape (Tq, Tv) = {want_w[0].shape}, got {weights.shape}"
    if not np.allclose(weights[:, 4:], 0.0):
        raise AssertionError("padded positions (mask False) must get weight exactly 0")
    assert np.allclose(weights, want_w[0]), "the weights are not softmax(q . h) over the unmasked positions"
    assert np.allclose(context, want_c[0]), "the context should be weights @ values"


dot_attention = Exercise(
    "dot-product attention with a mask",
    _check_dot,
    hint_text="Scores: query @ values.T. Set masked scores to -inf with np.where, then a softmax along each row "
    "(subtract the row max, exp, divide by the row sum). Context: weights @ values.",
    reference=_dot_attention_solution,
)
