"""Exercises of lesson 05 (text classification): macro-F1 from a confusion matrix (checked against scikit-learn),
a masked mean over the real tokens (checked against ``keras.layers.GlobalAveragePooling1D``), and attention pooling
with a masked, numerically stable softmax.

``KNOWN_WRONG`` maps the name of each exercise (its attribute in this module) to one typical wrong answer, which its
checker must reject.

Example:
    >>> masked_mean.check(lambda embeddings, mask: embeddings.mean(axis=1))
    Not yet (a masked mean over the real tokens): you averaged over all T positions, padding included: only the positions where mask is True are tokens
"""

from __future__ import annotations

import functools
import math
from typing import Callable

import numpy as np

from course_utils.exercises import Exercise

__all__ = ["macro_f1", "masked_mean", "attention_pooling"]


# --- 1. macro-F1 from a confusion matrix ------------------------------------------------------------------------


def _macro_f1_solution(confusion):
    # confusion[i, j] = number of examples of true class i predicted as class j
    confusion = np.asarray(confusion, dtype=float)
    tp = np.diag(confusion)  # right predictions of each class
    predicted = confusion.sum(axis=0)  # column sums: how often each class was predicted
    actual = confusion.sum(axis=1)  # row sums: how many examples each class has
    zeros = np.zeros_like(tp)
    precision = np.divide(tp, predicted, out=zeros.copy(), where=predicted > 0)  # 0/0 counts as 0
    recall = np.divide(tp, actual, out=zeros.copy(), where=actual > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=zeros.copy(), where=precision + recall > 0)
    return float(f1.mean())  # every class counts the same, however many examples it has


def _f1_cases() -> list[np.ndarray]:
    return [
        np.array([[50, 3, 2], [4, 10, 6], [1, 2, 5]]),  # imbalanced classes
        np.array([[30, 5, 0, 1], [6, 12, 0, 2], [3, 4, 0, 1], [0, 2, 0, 9]]),  # class 2 is never predicted
        np.array([[8, 2, 0], [3, 7, 0], [0, 0, 0]]),  # class 2: no example and no prediction
        np.array([[5, 1], [9, 1]]),
    ]


def _sklearn_macro_f1(confusion: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    n = len(confusion)
    pairs = [(i, j) for i in range(n) for j in range(n)]
    y_true = np.repeat([i for i, _ in pairs], confusion.ravel())
    y_pred = np.repeat([j for _, j in pairs], confusion.ravel())
    return float(f1_score(y_true, y_pred, labels=np.arange(n), average="macro", zero_division=0))


def _per_class(confusion: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and F1 of each class, NaN where they are 0/0, and the support."""
    with np.errstate(divide="ignore", invalid="ignore"):
        tp = np.diag(confusion).astype(float)
        precision = tp / confusion.sum(axis=0)
        recall = tp / confusion.sum(axis=1)
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1, confusion.sum(axis=1)


def _check_macro_f1(fn: Callable) -> None:
    for confusion in _f1_cases():
        with np.errstate(all="ignore"):
            raw = fn(confusion.copy())
        arr = np.asarray(raw, dtype=float)
        if arr.shape == (len(confusion),):
            raise AssertionError(f"you returned one number per class ({arr.shape}): macro-F1 is their mean")
        assert arr.size == 1, f"return one number, got an array of shape {arr.shape}"
        got = float(arr.reshape(()))
        want = _sklearn_macro_f1(confusion)
        if math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9):
            continue
        precision, recall, f1, support = _per_class(confusion)
        if math.isnan(got):
            raise AssertionError(
                f"your macro-F1 is NaN for {confusion.tolist()}: a class that is never predicted has precision 0/0 "
                "(and one without examples, recall 0/0). Count a 0/0 precision, recall or F1 as 0 (as scikit-learn "
                "does with zero_division=0)"
            )
        candidates = {
            "accuracy": np.trace(confusion) / confusion.sum(),
            "weighted": np.nansum(f1 * support) / support.sum(),
            "precision": np.nan_to_num(precision).mean(),
            "recall": np.nan_to_num(recall).mean(),
            "nanmean": np.nanmean(f1) if not np.isnan(f1).all() else np.nan,
            "f1 of means": _harmonic(np.nan_to_num(precision).mean(), np.nan_to_num(recall).mean()),
        }
        same = {name for name, value in candidates.items() if math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-9)}
        if "accuracy" in same:
            raise AssertionError(
                f"that is the accuracy {got:.4f} (which is also the micro-F1): macro-F1 computes one F1 per class, "
                "then averages them, so that a small class counts as much as a large one"
            )
        if "weighted" in same:
            raise AssertionError(
                "you weighted each class's F1 by its number of examples (the 'weighted' average): macro-F1 is the "
                "plain, unweighted mean of the per-class F1 scores"
            )
        if "precision" in same:
            raise AssertionError(
                "that is the mean precision (diagonal / column sums): each class's F1 combines its precision AND its "
                "recall (their harmonic mean)"
            )
        if "recall" in same:
            raise AssertionError(
                "that is the mean recall (diagonal / row sums): each class's F1 combines its precision AND its recall "
                "(their harmonic mean)"
            )
        if "f1 of means" in same:
            raise AssertionError(
                "you took the harmonic mean of the mean precision and the mean recall: compute an F1 for each "
                "class first, then average the F1 scores"
            )
        if "nanmean" in same:
            raise AssertionError(
                f"you left out of the mean the class(es) whose F1 is 0/0 in {confusion.tolist()}: they count, with "
                "an F1 of 0 (scikit-learn's zero_division=0)"
            )
        raise AssertionError(f"the macro-F1 of {confusion.tolist()} is {want:.6f}, got {got:.6f}")


def _harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


macro_f1 = Exercise(
    "macro-F1 from a confusion matrix",
    _check_macro_f1,
    hint_text="Level 1: confusion[i, j] counts the examples of true class i that were predicted as class j, so the "
    "diagonal holds the right answers. Macro-F1 is the unweighted mean of one F1 score per class; a class never "
    "predicted (or without examples) must not produce a NaN.\nLevel 2: a class's precision is its diagonal count "
    "divided by its column sum, its recall the diagonal count divided by its row sum, its F1 their harmonic mean "
    "2PR / (P + R). Replace every 0/0 by 0 (np.divide with out= and where= does this), then average the F1 "
    "scores over the classes.",
    reference=_macro_f1_solution,
)


# --- 2. a masked mean over the real tokens ---------------------------------------------------------------------------


def _masked_mean_solution(embeddings, mask):
    # embeddings (B, T, D); mask (B, T), True for a real token, False for padding
    weights = mask[:, :, None].astype(embeddings.dtype)  # (B, T, 1): 1 for a token, 0 for padding
    total = (embeddings * weights).sum(axis=1)  # (B, D): the sum over the real tokens only
    count = weights.sum(axis=1)  # (B, 1): how many real tokens each row has
    return total / np.maximum(count, 1)  # a row without tokens: 0 / 1 = 0


def _masked_mean_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(50)
    lengths = [[5, 2, 0], [1, 6, 3, 4]]  # B != T != D; the first case has a row with no token at all
    cases = []
    for rows, (t, d) in zip(lengths, [(5, 4), (6, 3)]):
        x = rng.normal(size=(len(rows), t, d)) + 1.0  # padding positions hold non-zero vectors too
        mask = np.arange(t)[None, :] < np.array(rows)[:, None]
        cases.append((x, mask))
    return cases


@functools.lru_cache(maxsize=1)
def _keras_masked_means() -> tuple[np.ndarray, ...]:
    """``GlobalAveragePooling1D`` with the mask, on each checker case (float64; NaN for a row without tokens)."""
    import keras

    layer = keras.layers.GlobalAveragePooling1D(dtype="float64")
    return tuple(keras.ops.convert_to_numpy(layer(x, mask=mask)) for x, mask in _masked_mean_cases())


def _check_masked_mean(fn: Callable) -> None:
    for case, (x, mask) in enumerate(_masked_mean_cases()):
        (b, t, d), lengths = x.shape, mask.sum(axis=1)
        try:
            with np.errstate(all="ignore"):
                got = np.asarray(fn(x.copy(), mask.copy()), dtype=float)
        except ValueError as err:
            if "broadcast" in str(err):
                raise AssertionError(
                    f"your arrays do not line up ({err}): the mask is (B, T) = {mask.shape} and the embeddings "
                    f"(B, T, D) = {x.shape}; the mask goes along the time axis (1), so give it a last axis of size 1"
                ) from None
            raise
        if got.shape == (t, d):
            raise AssertionError(f"you got shape {got.shape} = (T, D): you reduced over the batch axis (0); average "
                                 "each example over its time axis (1)")  # fmt: skip
        if got.shape == (b, t):
            raise AssertionError(f"you got shape {got.shape} = (B, T): you reduced over the features axis (2); "
                                 "average over the time axis (1)")  # fmt: skip
        if got.shape == (d,):
            raise AssertionError("you averaged all the real tokens of the whole batch together: average each "
                                 "example (row) separately, giving shape (B, D)")  # fmt: skip
        assert got.shape == (b, d), f"return one vector per example, shape (B, D) = {(b, d)}, got {got.shape}"
        empty = lengths == 0
        if np.isnan(got).any():
            if np.isnan(got[empty]).all() and not np.isnan(got[~empty]).any():
                raise AssertionError(
                    f"row {int(np.flatnonzero(empty)[0])} has no real token and you returned NaN there (0 / 0; "
                    "Keras's GlobalAveragePooling1D does the same): return zeros for such a row"
                )
            raise AssertionError("your result contains NaN")
        want = _masked_mean_solution(x, mask)
        if np.allclose(got, want, atol=1e-6):
            keras_out = _keras_masked_means()[case]
            assert np.allclose(got[~empty], keras_out[~empty], atol=1e-6), "your mean differs from Keras's"
            continue
        masked_sum = (x * mask[:, :, None]).sum(axis=1)
        if np.allclose(got, x.mean(axis=1)):
            raise AssertionError("you averaged over all T positions, padding included: only the positions where "
                                 "mask is True are tokens")  # fmt: skip
        if np.allclose(got, masked_sum / t):
            raise AssertionError(f"you divided the masked sum by T = {t}, the padded length: divide each row by its "
                                 "own number of real tokens (the sum of its mask)")  # fmt: skip
        if np.allclose(got, masked_sum):
            raise AssertionError("that is the sum over the real tokens: divide it by the number of real tokens")
        if not np.allclose(got[empty], 0):
            raise AssertionError(f"row {int(np.flatnonzero(empty)[0])} has no real token: return zeros for it")
        rows = np.flatnonzero(~np.all(np.isclose(got, want, atol=1e-6), axis=1))
        raise AssertionError(
            f"rows {rows.tolist()} differ from the mean of their real tokens (lengths {lengths.tolist()}, as Keras's "
            "GlobalAveragePooling1D with the mask computes it)"
        )


masked_mean = Exercise(
    "a masked mean over the real tokens",
    _check_masked_mean,
    hint_text="Level 1: the padding positions hold vectors too (the embedding of id 0), so they must not enter the "
    "sum, and each example has its own number of real tokens; an example with none must give zeros, not NaN.\n"
    "Level 2: turn the mask into 0/1 numbers with a last axis of size 1, so that it broadcasts against "
    "(B, T, D); multiply, sum over the time axis, and divide by each row's count of real tokens, where a count "
    "of 0 is replaced by 1 (the sum is 0 there anyway).",
    reference=_masked_mean_solution,
)


# --- 3. attention pooling ---------------------------------------------------------------------------------------


def _attention_pool_solution(h, mask, w):
    # h (B, T, H) recurrent outputs, mask (B, T) True for a real token, w (H,) the scoring vector
    scores = h @ w  # (B, T): one score per position
    scores = np.where(mask, scores, -np.inf)  # padding can never get any weight
    scores = scores - scores.max(axis=1, keepdims=True)  # the largest exponent is 0: exp cannot overflow
    e = np.exp(scores)  # exp(-inf) = 0 at the padding
    weights = e / e.sum(axis=1, keepdims=True)  # softmax over the time axis, each row sums to 1
    pooled = (weights[:, :, None] * h).sum(axis=1)  # (B, H): the weighted sum of the outputs
    return pooled, weights


def _attention_cases() -> list[tuple[np.ndarray, np.ndarray, np.ndarray, bool]]:
    """(h, mask, w, large): B != T != H, every row has a real token, and position 0 is real in every row."""
    rng = np.random.default_rng(51)
    cases = []
    for lengths, t, h_dim, scale in [([5, 3, 2], 5, 4, 1.0), ([2, 6, 4, 1], 6, 3, 0.7), ([4, 2, 3], 4, 6, 400.0)]:
        h = np.tanh(rng.normal(size=(len(lengths), t, h_dim)))  # like a recurrent layer's outputs
        mask = np.arange(t)[None, :] < np.array(lengths)[:, None]
        w = rng.normal(size=h_dim) * scale  # the last case: scores of several hundreds, exp overflows
        cases.append((h, mask, w, scale > 100))
    return cases


def _softmax(s: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(s - s.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _check_attention_pool(fn: Callable) -> None:
    for h, mask, w, large in _attention_cases():
        b, t, h_dim = h.shape
        with np.errstate(all="ignore"):
            out = fn(h.copy(), mask.copy(), w.copy())
        assert isinstance(out, (tuple, list)) and len(out) == 2, "return a pair (pooled, weights)"
        pooled, weights = (np.asarray(a, dtype=float) for a in out)
        assert weights.shape == (b, t), (
            f"weights has one number per position, shape (B, T) = {(b, t)}, got {weights.shape}"
        )
        assert pooled.shape == (b, h_dim), f"pooled has shape (B, H) = {(b, h_dim)}, got {pooled.shape}"
        if not (np.all(np.isfinite(weights)) and np.all(np.isfinite(pooled))):
            if large:
                raise AssertionError(
                    f"your answer contains NaN or inf when the scores are large (up to {np.abs(h @ w).max():.0f}): "
                    "exp overflows. Subtract each row's largest (real) score before exp; the softmax does not change"
                )
            raise AssertionError("your weights or pooled vectors contain NaN or inf")
        scores = h @ w
        want_pooled, want = _attention_pool_solution(h, mask, w)
        if np.allclose(weights, want, atol=1e-6) and np.allclose(pooled, want_pooled, atol=1e-6):
            continue
        if np.allclose(weights, scores) or np.allclose(weights, np.where(mask, scores, 0)):
            raise AssertionError("your weights are the raw scores h @ w: turn them into weights that are positive "
                                 "and sum to 1 over each row's real tokens, with a softmax")  # fmt: skip
        if np.allclose(weights, _softmax(scores, axis=1)):
            raise AssertionError(
                "you took the softmax over all T positions: the padding got weight "
                f"{weights[~mask].sum():.3f} in total. Set the padding's scores to -inf before the softmax, so that "
                "its weight is exactly 0"
            )
        if np.allclose(weights, _softmax(scores, axis=1) * mask):
            raise AssertionError(
                f"you zeroed the padding's weights after the softmax without renormalising: the rows now sum to "
                f"{np.round(weights.sum(axis=1), 3).tolist()}, not 1. Mask the scores BEFORE the softmax"
            )
        if np.allclose(weights.sum(axis=0), 1) and not np.allclose(weights.sum(axis=1), 1):
            raise AssertionError("your weights sum to 1 down each column: the softmax ran over the batch axis (0); "
                                 "it must run over the time axis (1), within each example")  # fmt: skip
        if np.abs(weights[~mask]).max(initial=0) > 0:
            raise AssertionError(f"the padding positions must get weight exactly 0, they got up to "
                                 f"{np.abs(weights[~mask]).max():.3g}")  # fmt: skip
        if not np.allclose(weights.sum(axis=1), 1):
            sums = np.round(weights.sum(axis=1), 4).tolist()
            raise AssertionError(f"each row of weights must sum to 1, they sum to {sums}")
        if not np.allclose(weights, want, atol=1e-6):
            error = np.abs(weights - want).max()
            raise AssertionError(f"your weights differ from the masked softmax of h @ w by up to {error:.3g}")
        if np.allclose(pooled, np.where(mask[:, :, None], h, 0).sum(axis=1) / mask.sum(axis=1, keepdims=True)):
            raise AssertionError("your weights are right, but pooled is the plain mean of the real outputs: weight "
                                 "each output h[:, t] by weights[:, t] and sum over t")  # fmt: skip
        raise AssertionError(f"your weights are right, but pooled differs from sum_t weights[:, t] h[:, t] by up to "
                             f"{np.abs(pooled - want_pooled).max():.3g}")  # fmt: skip


attention_pooling = Exercise(
    "attention pooling",
    _check_attention_pool,
    hint_text="Level 1: instead of giving every real token the same weight (the mean), let the model score each "
    "position with w and turn the scores into weights with a softmax that runs over the real positions of each "
    "example only. Large scores overflow exp.\nLevel 2: score every position with a dot product with w, giving "
    "(B, T); replace the padding's scores by -inf; subtract each row's maximum; exponentiate (exp(-inf) is 0); "
    "divide each row by its sum. Then multiply h by the weights (with a last axis of size 1) and sum over the time "
    "axis.",
    reference=_attention_pool_solution,
)


# --- one known-wrong answer per exercise (the notebook's last cell checks that each is rejected) ---------------


def _wrong_macro_f1(confusion):
    return float(np.trace(confusion) / np.sum(confusion))  # the accuracy (= micro-F1)


def _wrong_masked_mean(embeddings, mask):
    return embeddings.mean(axis=1)  # the padding is averaged in


def _wrong_attention_pool(h, mask, w):
    scores = h @ w
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)  # softmax over all positions: the padding gets weight
    return (weights[:, :, None] * h).sum(axis=1), weights


KNOWN_WRONG = {
    "macro_f1": _wrong_macro_f1,
    "masked_mean": _wrong_masked_mean,
    "attention_pooling": _wrong_attention_pool,
}
