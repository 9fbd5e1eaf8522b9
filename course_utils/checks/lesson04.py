"""Exercises of lesson 04 (word vectors): cosine similarity, an analogy solver (3CosAdd), removing a bias direction,
and the gradient of the skip-gram negative-sampling loss (checked against ``tf.GradientTape``).

The checkers build small synthetic vocabularies (seeded), never GloVe. ``KNOWN_WRONG`` maps the name of each
exercise (its attribute in this module) to one typical wrong answer, which its checker must reject.

Example:
    >>> cosine.check(cosine.reference)
    Correct: cosine similarity.
    >>> cosine.check(lambda u, v: float(u @ v))
    Not yet (cosine similarity): that is the plain dot product u·v: it grows with the lengths of the vectors; divide it by ||u|| ||v||
"""

from __future__ import annotations

import functools
import math
from typing import Callable

import numpy as np

from course_utils.exercises import Exercise

__all__ = ["cosine", "analogy_solver", "neutralize", "sgns_gradient"]


def _number(got: object, what: str) -> float:
    """``got`` as a float, or an AssertionError saying that one number was expected."""
    arr = np.asarray(got)
    if arr.size != 1:
        raise AssertionError(f"{what} should be one number, got an array of shape {arr.shape}")
    try:
        return float(arr.reshape(()))
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should be a number, got {got!r}") from None


def _close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9)


# --- 1. cosine similarity ---------------------------------------------------------------------------------------


def _cosine_solution(u, v):
    # the dot product of the two vectors divided by the product of their lengths
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


def _cosine_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(40)
    u, v = rng.normal(size=(2, 6))
    return [
        (np.array([3.0, 4.0, 0.0]), np.array([1.0, 2.0, 2.0])),  # lengths 5 and 3: cos = 11 / 15
        (u * 4.0, -v + 0.5 * u),  # random, lengths far from 1
        (np.array([2.0, -1.0]), np.array([-4.0, 2.0])),  # opposite directions: cos = -1
    ]


def _check_cosine(fn: Callable) -> None:
    for u, v in _cosine_cases():
        raw = fn(u.copy(), v.copy())
        if np.ndim(raw) == 1 and np.size(raw) == len(u):
            raise AssertionError(
                f"you returned {np.size(raw)} numbers, one per coordinate: u * v multiplies coordinate by coordinate; "
                "add the products up (that is the dot product) before dividing"
            )
        got = _number(raw, "the cosine similarity")
        nu, nv, dot = float(np.linalg.norm(u)), float(np.linalg.norm(v)), float(u @ v)
        want = dot / (nu * nv)
        if _close(got, want):
            continue
        assert math.isfinite(got), f"your cosine is {got} for u={u.tolist()}, v={v.tolist()}"
        if _close(got, dot):
            raise AssertionError("that is the plain dot product u·v: it grows with the lengths of the vectors; "
                                 "divide it by ||u|| ||v||")  # fmt: skip
        euclid = [float(np.linalg.norm(u - v)), float(np.sum((u - v) ** 2)), float(np.linalg.norm(u / nu - v / nv))]
        if any(_close(got, e) for e in euclid):
            raise AssertionError("that is a Euclidean distance: a distance is 0 for identical vectors and grows as "
                                 "they differ; the cosine is a similarity, 1 for the same direction and -1 for "
                                 "opposite ones, computed from the dot product")  # fmt: skip
        if _close(got, dot / nu) or _close(got, dot / nv):
            raise AssertionError("you divided by the length of only one vector: divide by ||u|| AND ||v||, so that the "
                                 "result does not depend on the length of either")  # fmt: skip
        if _close(got, 1 - want):
            raise AssertionError(f"that is the cosine DISTANCE 1 - cos = {1 - want:.4f}: return the similarity "
                                 f"cos = {want:.4f}")  # fmt: skip
        if _close(got, math.acos(max(-1.0, min(1.0, want)))):
            raise AssertionError("that is the angle in radians: return its cosine")
        raise AssertionError(f"cos(u, v) for u={u.tolist()}, v={np.round(v, 3).tolist()} should be {want:.6f}, "
                             f"got {got:.6f}")  # fmt: skip


cosine = Exercise(
    "cosine similarity",
    _check_cosine,
    hint_text="Level 1: the cosine of the angle between two vectors depends on their directions only: scaling u or v "
    "by a positive number must not change it.\nLevel 2: take the dot product of u and v (sum of the products of "
    "matching coordinates), then divide by the length of u times the length of v (np.linalg.norm gives a "
    "length). The result is one Python float.",
    reference=_cosine_solution,
)


# --- 2. an analogy solver (3CosAdd) --------------------------------------------------------------------------------

# a hand-made vocabulary; dimensions: male(+)/female(-), royal, person, young, place, country, food, music, French,
# Italian. "queen" also means a band, "the" is a frequent word with a huge norm, "king" a long vector.
_ANALOGY_BASE = {
    "man":    [1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    "woman":  [-1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    "king":   [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    "queen":  [-1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.6, 0.0, 0.0],
    "prince": [1.0, 1.0, 1.0, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    "crown":  [0.0, 1.0, -0.3, 0.0, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0],
    "girl":   [-1.0, -0.4, 1.0, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    "boy":    [1.0, 0.0, 1.0, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    "palace": [0.0, 0.8, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    "paris":  [0.0, 0.0, 0.0, 0.0, 1.0, 0.3, 0.0, 0.0, 1.0, 0.0],
    "france": [0.0, 0.0, 0.0, 0.0, 0.3, 1.0, 0.0, 0.0, 1.0, 0.0],
    "rome":   [0.0, 0.0, 0.0, 0.0, 1.0, 0.3, 0.0, 0.0, 0.0, 1.0],
    "italy":  [0.0, 0.0, 0.0, 0.0, 0.3, 1.0, 0.0, 0.0, 0.0, 1.0],
    "pasta":  [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.8],
    "apple":  [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0],
    "bread":  [0.0, 0.0, 0.2, 0.0, 0.0, 0.0, 1.0, 0.0, 0.3, 0.0],
    "song":   [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    "the":    [0.0, 0.1, 0.2, 0.1, 0.4, 0.4, 0.4, 0.4, 0.2, 0.2],
}  # fmt: skip


def _analogy_vocabulary() -> tuple[np.ndarray, list[str]]:
    """The checker's synthetic vocabulary: ``(vectors (18, 10), words)``, rows of very different lengths.

    Example:
        >>> vectors, words = _analogy_vocabulary()
        >>> vectors.shape, words[:4]
        ((18, 10), ['man', 'woman', 'king', 'queen'])
        >>> round(float(np.linalg.norm(vectors[words.index("the")])), 1)
        30.0
    """
    words = list(_ANALOGY_BASE)
    rng = np.random.default_rng(4)
    vectors = np.array([_ANALOGY_BASE[w] for w in words]) + 0.1 * rng.normal(size=(len(words), 10))
    norms = rng.uniform(0.8, 2.5, size=len(words))
    norms[words.index("the")] = 30.0  # frequent words can have long vectors
    norms[words.index("king")] = 6.0
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True) * norms[:, None], words


def _analogy_solution(vectors, words, a, b, c):
    # "a is to b as c is to ?": the word whose direction is closest to unit(b) - unit(a) + unit(c)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)  # every row of length 1
    row = {word: i for i, word in enumerate(words)}
    target = unit[row[b]] - unit[row[a]] + unit[row[c]]
    scores = unit @ target  # cosine with the target, up to the positive factor 1 / ||target||
    scores[[row[a], row[b], row[c]]] = -np.inf  # the answer is never one of the three inputs
    return words[int(np.argmax(scores))]


def _analogy_variants(vectors: np.ndarray, words: list[str], a: str, b: str, c: str) -> dict[str, str]:
    """What each typical mistake answers on this vocabulary (the inputs are excluded unless said otherwise)."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    row = {word: i for i, word in enumerate(words)}
    ia, ib, ic = row[a], row[b], row[c]

    def best(scores: np.ndarray, exclude: bool = True) -> str:
        scores = scores.copy()
        if exclude:
            scores[[ia, ib, ic]] = -np.inf
        return words[int(np.argmax(scores))]

    target = unit[ib] - unit[ia] + unit[ic]
    raw_target = vectors[ib] - vectors[ia] + vectors[ic]
    return {
        "no exclusion": best(unit @ target, exclude=False),
        "a - b + c": best(unit @ (unit[ia] - unit[ib] + unit[ic])),
        "b - a - c": best(unit @ (unit[ib] - unit[ia] - unit[ic])),
        "raw dot": best(vectors @ target),
        "raw dot, raw target": best(vectors @ raw_target),
        "raw target": best(unit @ raw_target),
    }


def _check_analogy(fn: Callable) -> None:
    vectors, words = _analogy_vocabulary()
    norms = np.linalg.norm(vectors, axis=1)
    a, b, c = "man", "king", "woman"
    got = fn(vectors.copy(), list(words), a, b, c)
    if isinstance(got, (int, np.integer)) and not isinstance(got, bool):
        raise AssertionError(f"you returned the row {int(got)}: return the word itself, words[row]")
    if isinstance(got, (tuple, list)):
        raise AssertionError(f"return only the word (a str), got {got!r}")
    assert isinstance(got, str), f"return the answer word, a str, got {type(got).__name__}"
    assert got in words, f"{got!r} is not a word of the vocabulary"
    want = _analogy_solution(vectors, words, a, b, c)  # "queen"
    if got != want:
        variants = _analogy_variants(vectors, words, a, b, c)
        if got in (a, b, c):
            raise AssertionError(
                f"'{a}' is to '{b}' as '{c}' is to '{got}': that is one of the three input words. The target "
                "b - a + c stays close to b and c, so leave a, b and c out of the candidates"
            )
        if got == variants["a - b + c"]:
            raise AssertionError(
                f"you got '{got}', which is what unit(a) - unit(b) + unit(c) gives: the signs of a and b are swapped. "
                "Start from b, take a away and add c: b - a + c (king - man + woman)"
            )
        if got == variants["b - a - c"]:
            raise AssertionError(
                f"you got '{got}', which is what unit(b) - unit(a) - unit(c) gives: c must be ADDED, "
                "b - a + c (king - man + woman)"
            )
        if got in (variants["raw dot"], variants["raw dot, raw target"]):
            i = words.index(got)
            raise AssertionError(
                f"you got '{got}', whose vector is {norms[i] / np.median(norms):.0f} times longer than a typical "
                "word's: a dot product with the raw rows rewards long vectors. Rank by cosine: divide every row "
                "of vectors by its norm first"
            )
        if got == variants["raw target"]:
            raise AssertionError(
                f"you got '{got}': you built the target from the raw vectors, so the long vector of '{b}' "
                f"(norm {norms[words.index(b)]:.1f}) outweighs the others. Normalise a, b and c before adding them"
            )
        raise AssertionError(f"'{a}' is to '{b}' as '{c}' is to '{want}' with 3CosAdd, you answered '{got}'")
    # the same question on shuffled rows, then a second question
    order = np.random.default_rng(5).permutation(len(words))
    shuffled = [words[i] for i in order]
    got = fn(vectors[order], shuffled, a, b, c)
    assert got == want, (
        f"with the rows of vectors (and words) in another order you answered {got!r} instead of {want!r}: find each "
        "word's row from its position in words"
    )
    got = fn(vectors.copy(), list(words), "france", "paris", "italy")
    want = _analogy_solution(vectors, words, "france", "paris", "italy")
    assert got == want, f"'france' is to 'paris' as 'italy' is to '{want}', you answered {got!r}"


analogy_solver = Exercise(
    "an analogy solver (3CosAdd)",
    _check_analogy,
    hint_text="Level 1: 'man is to king as woman is to ?' asks for the word whose direction is closest to "
    "king - man + woman. The rows of vectors have very different lengths, and the nearest word to that target "
    "is often one of the question's own words.\nLevel 2: divide every row by its length (keepdims helps the "
    "broadcasting), look up the rows of a, b and c from their positions in words, build the target from the "
    "three unit vectors, score every word by its dot product with the target, give a, b and c a score of "
    "minus infinity, and pick the word of the best score.",
    reference=_analogy_solution,
)


# --- 3. removing a bias direction (neutralise) ----------------------------------------------------------------------


def _neutralize_solution(v, g):
    # remove from v its projection on g: (v·g / g·g) g; g need not have length 1
    return v - (v @ g) / (g @ g) * g


def _neutralize_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(41)
    v1, g1, v2, g2 = rng.normal(size=(4, 6))
    g3 = np.array([0.0, 2.0, -1.0])
    return [
        (v1 * 2, g1 / np.linalg.norm(g1) * 3.0),  # ||g|| = 3
        (v2, g2 / np.linalg.norm(g2) * 0.4),  # ||g|| = 0.4
        (-2.5 * g3, g3),  # v along g: nothing remains
    ]


def _check_neutralize(fn: Callable) -> None:
    for v, g in _neutralize_cases():
        v_in, g_in = v.copy(), g.copy()
        got = np.asarray(fn(v_in, g_in), dtype=float)
        if not np.array_equal(v_in, v) or not np.array_equal(g_in, g):
            raise AssertionError("your function changed its input in place (v -= ...): return a new vector and leave "
                                 "v and g as they were")  # fmt: skip
        assert got.shape == v.shape, f"return a vector of the shape of v {v.shape}, got {got.shape}"
        assert np.all(np.isfinite(got)), f"your result contains NaN or inf: {got.tolist()}"
        want = v - (v @ g) / (g @ g) * g
        if not np.allclose(got, want, atol=1e-6):
            _name_neutralize_mistake(got, v, g)
        assert abs(float(got @ g)) <= 1e-6, (
            f"the result is not orthogonal to g: result·g = {got @ g:.3g}, it should be 0"
        )
        assert np.allclose(got, want, atol=1e-6), (
            "the result is orthogonal to g, but the part of v orthogonal to g changed (it should stay as it is): "
            f"expected {np.round(want, 4).tolist()}, got {np.round(got, 4).tolist()}"
        )


def _name_neutralize_mistake(got: np.ndarray, v: np.ndarray, g: np.ndarray) -> None:
    """Raise the message of the typical mistake that gives ``got``, if it is one."""
    vg, gg, vv = float(v @ g), float(g @ g), float(v @ v)
    norm_g = math.sqrt(gg)
    if np.allclose(got, v - vg / norm_g * g, atol=1e-6):
        raise AssertionError(f"you divided v·g by ||g|| = {norm_g:.2f}, once: the projection on g is "
                             "(v·g / ||g||²) g, one ||g|| to make a unit direction for the coefficient and one "
                             "for the vector g itself")  # fmt: skip
    if np.allclose(got, v - vg * g, atol=1e-6):
        raise AssertionError(f"you did not divide by ||g||²: that works only for a unit-length g, and here "
                             f"||g|| = {norm_g:.2f}")  # fmt: skip
    if np.allclose(got, vg / gg * g, atol=1e-6):
        raise AssertionError("you returned the projection of v on g, the part to REMOVE: return v minus it")
    if np.allclose(got, g - vg / vv * v, atol=1e-6):
        raise AssertionError("the arguments are swapped: you removed from g its component along v; remove from "
                             "v its component along g")  # fmt: skip
    if np.allclose(got, v - vg / vv * v, atol=1e-6):
        raise AssertionError("you projected g on v (dividing by v·v and multiplying v): the component to remove "
                             "lies along g, (v·g / g·g) g")  # fmt: skip


neutralize = Exercise(
    "removing a bias direction",
    _check_neutralize,
    hint_text="Level 1: split v into two parts, one along g and one orthogonal to g, and keep only the second. "
    "Here g does not have length 1.\nLevel 2: the part along g is g times a number: v·g divided by the squared "
    "length of g (g·g). Subtract that part from v; the result's dot product with g is then 0.",
    reference=_neutralize_solution,
)


# --- 4. the gradient of the skip-gram negative-sampling loss ----------------------------------------------------------


def _sgns_solution(v_c, u_o, U_neg):
    # v_c (d,) centre vector, u_o (d,) true context vector, U_neg (K, d) negative context vectors
    pos = u_o @ v_c  # score of the true pair
    neg = U_neg @ v_c  # (K,) scores of the negative pairs
    # -log sigmoid(x) = log(1 + exp(-x)) = logaddexp(0, -x), which never overflows
    loss = np.logaddexp(0, -pos) + np.sum(np.logaddexp(0, neg))  # -log s(pos) - sum_k log s(-neg_k)
    sig_pos = np.exp(-np.logaddexp(0, -pos))  # sigmoid(pos) = exp(log sigmoid(pos)), stably
    sig_neg = np.exp(-np.logaddexp(0, -neg))  # (K,) sigmoid of each negative score
    grad_v_c = (sig_pos - 1) * u_o + sig_neg @ U_neg  # (s(pos) - 1) u_o + sum_k s(neg_k) u_k
    return float(loss), grad_v_c


def _sgns_cases() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(42)
    cases = []
    for d, k in [(5, 3), (8, 6), (4, 1)]:  # K > 1 first: with one negative, a mean is a sum
        cases.append((rng.normal(size=d), rng.normal(size=d) * 0.8, rng.normal(size=(k, d)) * 0.8))
    return cases


@functools.lru_cache(maxsize=1)
def _tape_sgns() -> tuple[tuple[float, np.ndarray], ...]:
    """Loss and gradient with respect to v_c from ``tf.GradientTape`` (float64), for every checker case."""
    import tensorflow as tf

    out = []
    for v_c, u_o, U_neg in _sgns_cases():
        v = tf.constant(v_c, dtype=tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(v)
            pos = tf.tensordot(tf.constant(u_o), v, axes=1)
            neg = tf.linalg.matvec(tf.constant(U_neg), v)
            loss = -tf.math.log_sigmoid(pos) - tf.reduce_sum(tf.math.log_sigmoid(-neg))
        out.append((float(loss.numpy()), tape.gradient(loss, v).numpy()))
    return tuple(out)


def _sgns_mistakes(v_c: np.ndarray, u_o: np.ndarray, U_neg: np.ndarray) -> dict[str, tuple[float, np.ndarray]]:
    """(loss, gradient) of each typical mistake; ``None`` where the mistake does not change that part."""
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731  (the checker's scores are moderate)
    pos, neg = float(u_o @ v_c), U_neg @ v_c
    right_pos_loss, right_pos_grad = float(np.logaddexp(0, -pos)), (sig(pos) - 1) * u_o
    return {
        "negative sign": (
            right_pos_loss + float(np.sum(np.logaddexp(0, -neg))),
            right_pos_grad + (sig(neg) - 1) @ U_neg,
        ),
        "mean": (right_pos_loss + float(np.mean(np.logaddexp(0, neg))), right_pos_grad + sig(neg) @ U_neg / len(neg)),
        "missing -1": (None, sig(pos) * u_o + sig(neg) @ U_neg),
        "ascent": (None, -(right_pos_grad + sig(neg) @ U_neg)),
    }


def _check_sgns(fn: Callable) -> None:
    for (v_c, u_o, U_neg), (want_loss, want_grad) in zip(_sgns_cases(), _tape_sgns()):
        out = fn(v_c.copy(), u_o.copy(), U_neg.copy())
        assert isinstance(out, (tuple, list)) and len(out) == 2, "return a pair (loss, grad_v_c)"
        loss = _number(out[0], "the loss")
        grad = np.asarray(out[1], dtype=float)
        assert grad.shape == v_c.shape, (
            f"grad_v_c is the gradient with respect to v_c, so it has v_c's shape {v_c.shape}, got {grad.shape}"
        )
        assert math.isfinite(loss) and np.all(np.isfinite(grad)), "your loss or gradient contains NaN or inf"
        loss_ok = abs(loss - want_loss) <= 1e-6
        grad_ok = bool(np.abs(grad - want_grad).max() <= 1e-6)
        if loss_ok and grad_ok:
            continue
        mistakes = _sgns_mistakes(v_c, u_o, U_neg)

        def where(name: str) -> str | None:
            m_loss, m_grad = mistakes[name]
            parts = []
            if m_loss is not None and not loss_ok and abs(loss - m_loss) <= 1e-6:
                parts.append("loss")
            if not grad_ok and np.abs(grad - m_grad).max() <= 1e-6:
                parts.append("gradient")
            return " and your ".join(parts) if parts else None

        if part := where("negative sign"):
            raise AssertionError(
                f"the negative pairs have the wrong sign in your {part}: training must make their scores LOW, so "
                "each one adds -log σ(-u_k·v_c) to the loss (not -log σ(u_k·v_c)), and σ(u_k·v_c) u_k to the "
                "gradient"
            )
        if part := where("mean"):
            raise AssertionError(
                f"your {part} averages over the K negatives: the loss SUMS one term per negative sample (and so "
                "does its gradient)"
            )
        if where("missing -1"):
            raise AssertionError(
                "the gradient of the true pair's term misses its -1: the derivative of -log σ(x) is σ(x) - 1, so "
                "that term is (σ(u_o·v_c) - 1) u_o"
            )
        if where("ascent"):
            raise AssertionError(
                "your gradient has the opposite sign: it is the gradient of the log-likelihood; the loss is its "
                "NEGATIVE, and gradient descent subtracts the gradient of the loss"
            )
        if loss_ok:
            raise AssertionError(
                "your loss is right, but your gradient is wrong: it differs from tf.GradientTape's by up to "
                f"{np.abs(grad - want_grad).max():.3g} (d={len(v_c)}, K={len(U_neg)})"
            )
        if grad_ok:
            raise AssertionError(
                f"your gradient is right, but your loss is wrong: {loss:.6f} instead of {want_loss:.6f} "
                f"(d={len(v_c)}, K={len(U_neg)})"
            )
        raise AssertionError(
            f"both are wrong: the loss is {loss:.6f} instead of {want_loss:.6f}, and the gradient differs from "
            f"tf.GradientTape's by up to {np.abs(grad - want_grad).max():.3g} (d={len(v_c)}, K={len(U_neg)})"
        )


sgns_gradient = Exercise(
    "the gradient of the skip-gram negative-sampling loss",
    _check_sgns,
    hint_text="Level 1: the loss is a sum of 1 + K terms, each of the form -log σ(score), where the score is a dot "
    "product with v_c: +u_o·v_c for the true pair, -u_k·v_c for each negative. Differentiate one such term with "
    "respect to v_c, then add them up.\nLevel 2: the derivative of -log σ(x) with respect to x is σ(x) - 1, and the "
    "derivative of u·v_c with respect to v_c is u; the chain rule multiplies the two. For a negative, x = -u_k·v_c "
    "brings a minus sign, and 1 - σ(-y) = σ(y) tidies the result. Each of the 1 + K terms adds one vector to the "
    "gradient. Compute -log σ(x) as log(1 + e^(-x)) with np.logaddexp, so that large scores do not overflow.",
    reference=_sgns_solution,
)


# --- one known-wrong answer per exercise (the notebook's last cell checks that each is rejected) ---------------


def _wrong_cosine(u, v):
    return float(u @ v)  # plain dot product: no normalisation


def _wrong_analogy(vectors, words, a, b, c):
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    row = {word: i for i, word in enumerate(words)}
    target = unit[row[b]] - unit[row[a]] + unit[row[c]]
    return words[int(np.argmax(unit @ target))]  # the inputs are not excluded


def _wrong_neutralize(v, g):
    return (v @ g) / (g @ g) * g  # the projection, not what remains


def _wrong_sgns(v_c, u_o, U_neg):
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    pos, neg = u_o @ v_c, U_neg @ v_c
    loss = -np.log(sig(pos)) - np.sum(np.log(sig(neg)))  # sign error on the negative term
    return float(loss), (sig(pos) - 1) * u_o + (sig(neg) - 1) @ U_neg


KNOWN_WRONG = {
    "cosine": _wrong_cosine,
    "analogy_solver": _wrong_analogy,
    "neutralize": _wrong_neutralize,
    "sgns_gradient": _wrong_sgns,
}
