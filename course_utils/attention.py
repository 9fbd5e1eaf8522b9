"""Attention layers written out in full (additive and multiplicative scores), with NumPy references.

A layer here is a *score function* plus the softmax and the weighted sum: ``BahdanauAttention`` scores with the
additive form of Bahdanau et al. (2015), ``LuongAttention`` with the multiplicative forms of Luong et al. (2015).
Which decoder state is the query, and where the context goes, is decided by the model that calls the layer, not
by the layer: Bahdanau's model queries with the previous decoder state s_{t-1} and feeds the context into the
recurrent cell's input; Luong's queries with the current state s_t and combines the context with it after the
cell. ``course_utils.models.attention_encoder_decoder`` uses Luong's arrangement with the additive score.

Both layers take ``[query, values]`` with query (B, Tq, Dq) and values (B, Tv, Dv), and return
``(context, weights)``: context (B, Tq, Dv) is the weighted sum of the values, weights (B, Tq, Tv)
the softmax over the value positions. A value mask (B, Tv), from ``Embedding(mask_zero=True)`` or
passed as ``mask=[None, value_mask]``, keeps padded positions out of the softmax: their scores are replaced
by a large negative number before it, so the weights of the real positions sum to 1 and padding gets 0.
:func:`check_attention_weights` tests exactly that on weights a layer returned.
"""

from __future__ import annotations

from typing import Literal

import keras
import numpy as np

__all__ = [
    "BahdanauAttention",
    "LuongAttention",
    "numpy_additive_attention",
    "numpy_multiplicative_attention",
    "masked_softmax",
    "check_attention_weights",
    "COLOURS",
    "colour_positions",
    "colour_crosses",
    "negation_positions",
    "negation_reading",
    "negation_splits",
]


def masked_softmax(scores: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Softmax over the last axis; positions where ``mask`` is False get weight 0.

    Example:
        >>> masked_softmax(np.array([[0.0, 0.0, 5.0]]), np.array([[True, True, False]])).tolist()
        [[0.5, 0.5, 0.0]]
    """
    scores = np.asarray(scores, dtype=np.float64)
    if mask is not None:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
        if not mask.any(axis=-1).all():
            raise ValueError("every query needs at least one unmasked value position")
        scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=-1, keepdims=True)


def check_attention_weights(weights: np.ndarray, value_mask: np.ndarray | None = None, *, atol: float = 1e-5) -> float:
    """Check attention weights (B, Tq, Tv): non-negative, 0 on padding, and each row summing to 1 over real positions.

    ``value_mask`` (B, Tv) is False on padded value positions. Raises ``AssertionError`` naming the first bad
    (example, query) row. The row sums catch the usual masking bug: a softmax over *all* positions followed by
    zeroing the padded weights leaves every row with padding summing to less than 1. Returns the largest
    |row sum - 1|.

    Example:
        >>> check_attention_weights(np.array([[[0.25, 0.75, 0.0]]]), np.array([[True, True, False]]))
        0.0
        >>> check_attention_weights(np.array([[[0.2, 0.6, 0.0]]]), np.array([[True, True, False]]))
        Traceback (most recent call last):
        ...
        AssertionError: attention weights of example 0, query 0 sum to 0.8, not 1: the padded positions took part in the softmax (mask the scores before it, not the weights after it)
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 3:
        raise ValueError(f"weights must have shape (B, Tq, Tv), got {w.shape}")
    if value_mask is None:
        mask = np.ones((w.shape[0], w.shape[2]), dtype=bool)
    else:
        mask = np.asarray(value_mask, dtype=bool)
        if mask.shape != (w.shape[0], w.shape[2]):
            raise ValueError(f"value_mask must have shape {(w.shape[0], w.shape[2])} (B, Tv), got {mask.shape}")
    if not np.all(np.isfinite(w)):
        raise AssertionError("attention weights contain NaN or infinity")
    if w.min() < -atol:
        b, q, _ = np.unravel_index(np.argmin(w), w.shape)
        raise AssertionError(f"attention weights of example {b}, query {q} are negative ({w.min():.3g}): not a softmax")
    padded = np.where(mask[:, None, :], 0.0, np.abs(w))  # (B, Tq, Tv)
    if padded.max(initial=0.0) > atol:
        b, q, v = np.unravel_index(np.argmax(padded), w.shape)
        raise AssertionError(f"attention weights of example {b}, query {q} put {padded[b, q, v]:.3g} on padded "
                             f"position {v}: the mask did not reach the softmax")  # fmt: skip
    error = np.abs(w.sum(axis=-1) - 1.0)  # (B, Tq)
    if error.max(initial=0.0) > atol:
        b, q = np.unravel_index(np.argmax(error), error.shape)
        raise AssertionError(f"attention weights of example {b}, query {q} sum to {w[b, q].sum():.3g}, not 1: the "
                             "padded positions took part in the softmax (mask the scores before it, not the "
                             "weights after it)")  # fmt: skip
    return float(error.max(initial=0.0))


def numpy_additive_attention(
    query: np.ndarray, values: np.ndarray, w_query: np.ndarray, w_keys: np.ndarray, v: np.ndarray,
    value_mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Additive (Bahdanau) score: e_ij = v . tanh(W_q s_i + W_k h_j); weights = softmax_j(e); context_i = sum_j w_ij h_j.

    W_q projects the queries s_i, W_k the keys (here the values h_j themselves). Shapes: query (B, Tq, Dq),
    values (B, Tv, Dv), w_query (Dq, U), w_keys (Dv, U), v (U,).

    Example:
        >>> c, w = numpy_additive_attention(np.ones((1, 2, 3)), np.ones((1, 4, 5)), np.ones((3, 6)),
        ...                                 np.ones((5, 6)), np.ones(6))
        >>> c.shape, w.shape
        ((1, 2, 5), (1, 2, 4))
    """
    keys = values @ w_keys  # (B, Tv, U)
    queries = query @ w_query  # (B, Tq, U)
    scores = np.tanh(queries[:, :, None, :] + keys[:, None, :, :]) @ v  # (B, Tq, Tv)
    mask = None if value_mask is None else np.asarray(value_mask, bool)[:, None, :]
    weights = masked_softmax(scores, mask)
    return weights @ values, weights


def numpy_multiplicative_attention(
    query: np.ndarray, values: np.ndarray, w: np.ndarray | None = None, value_mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Multiplicative (Luong) scores: e_ij = s_i . h_j ("dot"), or s_i W h_j ("general", ``w`` of shape (Dq, Dv)).

    Example:
        >>> c, w = numpy_multiplicative_attention(np.ones((1, 1, 2)), np.eye(2)[None])
        >>> w.tolist()
        [[[0.5, 0.5]]]
    """
    projected = query if w is None else query @ w  # (B, Tq, Dv)
    scores = projected @ np.swapaxes(values, 1, 2)  # (B, Tq, Tv)
    mask = None if value_mask is None else np.asarray(value_mask, bool)[:, None, :]
    weights = masked_softmax(scores, mask)
    return weights @ values, weights


def _apply_mask_and_softmax(scores, mask):
    ops = keras.ops
    if mask is not None and len(mask) > 1 and mask[1] is not None:
        value_mask = ops.cast(ops.expand_dims(mask[1], 1), "bool")  # (B, 1, Tv)
        # masked scores become -1e9 BEFORE the softmax: exp underflows to exactly 0 there, and the real
        # positions share all the weight (zeroing weights only after a softmax would leave rows summing to < 1).
        # The zeroing after it changes nothing except in a row with no real position at all.
        scores = ops.where(value_mask, scores, ops.full_like(scores, -1e9))
        weights = ops.softmax(scores, axis=-1)
        return ops.where(value_mask, weights, ops.zeros_like(weights))
    return ops.softmax(scores, axis=-1)


class _Attention(keras.layers.Layer):
    """What both score functions share: mask, softmax, weighted sum, shapes. Subclasses define ``scores``."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True

    def scores(self, query, values):  # (B, Tq, Dq), (B, Tv, Dv) -> (B, Tq, Tv)
        raise NotImplementedError

    def call(self, inputs, mask=None):
        query, values = inputs
        weights = _apply_mask_and_softmax(self.scores(query, values), mask)  # (B, Tq, Tv)
        return keras.ops.matmul(weights, values), weights

    def compute_mask(self, inputs, mask=None):
        return None if mask is None else mask[0]

    def compute_output_shape(self, input_shape):
        (b, tq, _), (_, tv, dv) = input_shape
        return (b, tq, dv), (b, tq, tv)


@keras.saving.register_keras_serializable(package="course_utils")
class BahdanauAttention(_Attention):
    """The additive (Bahdanau-style) score with its own projections: score = v^T tanh(W_q s_i + W_k h_j).

    The name is the score's. The layer scores whatever query it is given: with the previous decoder state
    s_{t-1} it is Bahdanau's attention; in a model that queries with the current state s_t, as lesson 08's
    does, it is Luong's arrangement with an additive score.

    Example:
        >>> layer = BahdanauAttention(8)
        >>> context, weights = layer([np.ones((2, 3, 4), "float32"), np.ones((2, 5, 6), "float32")])
        >>> tuple(context.shape), tuple(weights.shape)
        ((2, 3, 6), (2, 3, 5))
    """

    def __init__(self, units: int, **kwargs) -> None:
        super().__init__(**kwargs)
        if int(units) < 1:
            raise ValueError(f"units must be positive, got {units}")
        self.units = int(units)

    def build(self, input_shape) -> None:
        query_shape, values_shape = input_shape
        self.w_query = self.add_weight(name="w_query", shape=(query_shape[-1], self.units))
        self.w_keys = self.add_weight(name="w_keys", shape=(values_shape[-1], self.units))
        self.v = self.add_weight(name="v", shape=(self.units,))

    def scores(self, query, values):
        ops = keras.ops
        keys = ops.matmul(values, self.w_keys)  # (B, Tv, U)
        queries = ops.matmul(query, self.w_query)  # (B, Tq, U)
        return ops.sum(ops.tanh(ops.expand_dims(queries, 2) + ops.expand_dims(keys, 1)) * self.v, axis=-1)

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="course_utils")
class LuongAttention(_Attention):
    """Multiplicative (Luong) scores: score = s_i . h_j ("dot") or s_i W h_j ("general").

    Example:
        >>> context, weights = LuongAttention("dot")([np.ones((1, 2, 3), "float32"), np.ones((1, 4, 3), "float32")])
        >>> tuple(weights.shape)
        (1, 2, 4)
    """

    def __init__(self, score: Literal["dot", "general"] = "general", **kwargs) -> None:
        super().__init__(**kwargs)
        if score not in ("dot", "general"):
            raise ValueError(f"score must be 'dot' or 'general', got {score!r}")
        self.score = score

    def build(self, input_shape) -> None:
        query_shape, values_shape = input_shape
        if self.score == "dot" and query_shape[-1] != values_shape[-1]:
            raise ValueError(
                f"dot attention needs query and values of the same size, got {query_shape[-1]} and {values_shape[-1]}"
            )
        if self.score == "general":
            self.w = self.add_weight(name="w", shape=(query_shape[-1], values_shape[-1]))

    def scores(self, query, values):
        ops = keras.ops
        projected = query if self.score == "dot" else ops.matmul(query, self.w)  # (B, Tq, Dv)
        return ops.matmul(projected, ops.transpose(values, (0, 2, 1)))  # (B, Tq, Tv)

    def get_config(self) -> dict:
        return {**super().get_config(), "score": self.score}


# --- reading word-level alignments: an adjective that crosses its noun, ne ... pas around a verb ------------

COLOURS = {"black": "noir", "white": "blanc", "red": "rouge", "green": "vert", "blue": "bleu", "yellow": "jaune",
           "grey": "gris"}  # fmt: skip
"""English colour -> the stem of its French forms (noir, noire, noirs, noires)."""


def _tokens(x: object, what: str) -> list[str]:
    if isinstance(x, str) or not all(isinstance(t, str) for t in x):  # type: ignore[union-attr]
        raise TypeError(f"{what} must be a list of tokens (strings), got {type(x).__name__}: {x!r}")
    return list(x)  # type: ignore[arg-type]


def _weights_for(weights: np.ndarray, source: list[str], output: list[str]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if w.ndim != 2 or w.shape[0] < len(output) or w.shape[1] < len(source):
        raise ValueError(f"weights must be (output steps, source positions) covering {len(output)} output and "
                         f"{len(source)} source tokens, got shape {w.shape}")  # fmt: skip
    return w


def colour_positions(source: list[str], output: list[str]) -> tuple[int, int] | None:
    """Where a colour adjective crosses its noun: ``(j, k)`` with the English colour at ``source[j]`` before its noun
    ``source[j + 1]``, and the French colour at ``output[k]`` (k > 0, its noun expected at ``k - 1``); ``None`` if the
    source has no colour before a noun or the output has no French form of it.

    Example:
        >>> colour_positions("the red cup .".split(), "la tasse rouge .".split())
        (1, 2)
        >>> colour_positions("the cup is red .".split(), "la tasse est rouge .".split()) is None
        True
    """
    source, output = _tokens(source, "source"), _tokens(output, "output")
    for j, word in enumerate(source[:-1]):
        if word in COLOURS and source[j + 1] != ".":  # a colour before its noun, not "... is red ."
            found = [k for k, w in enumerate(output) if k > 0 and w.startswith(COLOURS[word])]
            if found:
                return j, found[0]
    return None


def colour_crosses(weights: np.ndarray, source: list[str], output: list[str]) -> bool:
    """True if the output's colour row puts its largest weight on the English colour and the row before it (the
    French noun) on the English noun: the adjective and its noun cross. ``weights`` is (output steps, source
    positions); the pair must have a colour (:func:`colour_positions`).

    Example:
        >>> w = np.array([[.9, .1, 0, 0], [0, .1, .9, 0], [0, .8, .2, 0], [0, 0, 0, 1]])
        >>> colour_crosses(w, "the red cup .".split(), "la tasse rouge .".split())
        True
    """
    positions = colour_positions(source, output)
    if positions is None:
        raise ValueError(f"no colour before a noun in {' '.join(source)!r} with a French form in {' '.join(output)!r}")
    j, k = positions
    w = _weights_for(weights, source, output)
    return bool(w[k].argmax() == j and w[k - 1].argmax() == j + 1)


def negation_positions(source: list[str], output: list[str]) -> tuple[int, int, int] | None:
    """``(n, ne, pas)``: "not" at ``source[n]`` after "do"/"does", and *ne* (or *n'*) at ``output[ne]`` with exactly
    one word before *pas* at ``output[pas] = ne + 2``; ``None`` otherwise.

    Example:
        >>> negation_positions("we do not cry .".split(), "nous ne pleurons pas .".split())
        (2, 1, 3)
        >>> negation_positions("we never cry .".split(), "nous ne pleurons jamais .".split()) is None
        True
    """
    source, output = _tokens(source, "source"), _tokens(output, "output")
    if "not" not in source or source.index("not") == 0 or source[source.index("not") - 1] not in ("do", "does"):
        return None
    ne = [k for k, w in enumerate(output) if w in ("ne", "n'")]
    if ne and output[ne[0] + 2 : ne[0] + 3] == ["pas"]:
        return source.index("not"), ne[0], ne[0] + 2
    return None


def negation_reading(weights: np.ndarray, source: list[str], output: list[str]) -> dict[str, str]:
    """Where the rows of *ne*, the verb and *pas* put their largest weight, relative to "do not" + verb in the
    English: each is one of "do/does", "not", "the verb" or "elsewhere".

    Example:
        >>> w = np.eye(5)[[0, 2, 3, 2, 4]]  # nous -> we, ne -> not, pleurons -> cry, pas -> not, . -> .
        >>> negation_reading(w, "we do not cry .".split(), "nous ne pleurons pas .".split())
        {'ne': 'not', 'verb': 'the verb', 'pas': 'not'}
    """
    positions = negation_positions(source, output)
    if positions is None:
        raise ValueError(f"no 'do/does not' in {' '.join(source)!r} with 'ne <verb> pas' in {' '.join(output)!r}")
    n, ne, pas = positions
    w = _weights_for(weights, source, output)
    names = {-1: "do/does", 0: "not", 1: "the verb"}
    return {row: names.get(int(w[k].argmax()) - n, "elsewhere") for row, k in (("ne", ne), ("verb", ne + 1), ("pas", pas))}


def negation_splits(weights: np.ndarray, source: list[str], output: list[str]) -> bool:
    """True if *ne ... pas* splits around the verb as the lesson describes: the verb's row looks at the English verb,
    *pas* back at "do/does" or "not", and *ne* at "do/does", "not" or already the verb.

    Example:
        >>> w = np.eye(5)[[0, 2, 3, 2, 4]]
        >>> negation_splits(w, "we do not cry .".split(), "nous ne pleurons pas .".split())
        True
    """
    read = negation_reading(weights, source, output)
    return read["ne"] != "elsewhere" and read["verb"] == "the verb" and read["pas"] in ("do/does", "not")
