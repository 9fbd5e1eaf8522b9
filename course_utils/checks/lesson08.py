"""Exercises of lesson 08 (attention): the additive score, masked dot-product attention over a batch (checked
against ``keras.layers.Attention``), one decoder step of Bahdanau's own arrangement in NumPy, and the backward pass
of masked attention (checked against ``tf.GradientTape``).

The additive score is written with the lesson's notation: ``v . tanh(W_q s_i + W_k h_j)``, W_q projecting the
query s_i (a decoder state), W_k the keys h_j (the encoder states). ``KNOWN_WRONG`` maps the name of each checked
exercise (its attribute in this module) to one typical wrong answer, which its checker must reject; the lesson's
last cell runs them.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from course_utils import attention
from course_utils.exercises import Exercise

__all__ = ["additive_scores", "masked_attention", "bahdanau_step", "luong_comparison", "attention_backward"]


def _open_exercise(name: str, hint_text: str, model_answer: str) -> Exercise:
    """An exercise without an automatic check: ``hint()`` and ``solution()`` (the model answer) only."""

    def _no_check(answer: object) -> None:
        raise AssertionError(f"this exercise is open: nothing to check automatically. Compare your findings with "
                             f"the model answer: checks.{name}.solution()")  # fmt: skip

    return Exercise(name, _no_check, hint_text=hint_text, reference=model_answer)


# --- 1. the additive (Bahdanau) score ----------------------------------------------------------------


def _additive_scores_solution(query, values, w_query, w_keys, v):
    # query (Tq, Dq), values (Tv, Dv), w_query (Dq, U), w_keys (Dv, U), v (U,) -> scores (Tq, Tv)
    q = query @ w_query  # (Tq, U): each decoder state projected by W_q
    k = values @ w_keys  # (Tv, U): each encoder state projected by W_k
    return np.tanh(q[:, None, :] + k[None, :, :]) @ v  # every pair (Tq, Tv, U), tanh, then dot with v


def _check_additive(fn: Callable[..., np.ndarray]) -> None:
    rng = np.random.default_rng(5)
    # the first case has Dq == Dv, so swapped projections give a result (and their own message) before the cases
    # with unequal sizes, where they raise a shape error
    for tq, tv, dq, dv, u in [(3, 4, 4, 4, 5), (2, 5, 3, 4, 6), (1, 1, 1, 1, 1)]:
        q, vals = rng.normal(size=(tq, dq)), rng.normal(size=(tv, dv))
        wq, wk, vec = rng.normal(size=(dq, u)), rng.normal(size=(dv, u)), rng.normal(size=u)
        try:
            got = np.asarray(fn(q.copy(), vals.copy(), wq.copy(), wk.copy(), vec.copy()), dtype=float)
        except ValueError as err:
            raise AssertionError(
                f"a shape error ({err}). With query {q.shape}, values {vals.shape}, w_query {wq.shape}, w_keys "
                f"{wk.shape} and v {vec.shape}: the queries go through w_query (W_q), the values through w_keys "
                "(W_k), and both projections have U columns"
            ) from None
        want = _additive_scores_solution(q, vals, wq, wk, vec)
        if got.shape == (tv, tq) and tq != tv and np.allclose(got.T, want):
            raise AssertionError(f"your scores are transposed: rows are queries, columns are value positions, "
                                 f"shape (Tq, Tv) = {(tq, tv)}")  # fmt: skip
        assert got.shape == (tq, tv), f"scores should have shape (Tq, Tv) = {(tq, tv)}, got {got.shape}"
        if tv > 1 and np.allclose(got, attention.masked_softmax(want)):
            raise AssertionError("these are the softmax weights: the exercise asks for the scores before the softmax")
        pre = (q @ wq)[:, None, :] + (vals @ wk)[None, :, :]  # (Tq, Tv, U)
        if np.allclose(got, pre @ vec):
            raise AssertionError("the tanh is missing: the score is v . tanh(W_q s_i + W_k h_j), not "
                                 "v . (W_q s_i + W_k h_j)")  # fmt: skip
        if np.allclose(got, np.tanh(pre @ vec)):
            raise AssertionError("tanh comes before the dot product with v: apply it to the (Tq, Tv, U) sums, "
                                 "then reduce with v")  # fmt: skip
        if dq == dv and np.allclose(got, np.tanh((q @ wk)[:, None, :] + (vals @ wq)[None, :, :]) @ vec):
            raise AssertionError("the projections are swapped: the queries go through w_query (W_q), the values "
                                 "through w_keys (W_k)")  # fmt: skip
        if dq == dv and np.allclose(got, np.tanh((q @ wq)[:, None, :] + (vals @ wq)[None, :, :]) @ vec):
            raise AssertionError("the values went through w_query too: each projection has its role, the queries "
                                 "through w_query (W_q), the values through w_keys (W_k)")  # fmt: skip
        assert np.allclose(got, want, atol=1e-8), (
            f"scores differ from v . tanh(W_q s_i + W_k h_j) by up to {np.abs(got - want).max():.3g}"
        )


additive_scores = Exercise(
    "the additive (Bahdanau) score",
    _check_additive,
    hint_text="Level 1: each score compares ONE decoder state with ONE encoder state; both are first projected to the "
    "same size U (the query by W_q, the keys by W_k), so they can be added.\nLevel 2: project all queries (Tq, U) "
    "and all values (Tv, U) at once; insert an axis in each so that broadcasting adds every query to every value, "
    "giving (Tq, Tv, U); squash with tanh; a dot product with v over the last axis leaves (Tq, Tv).",
    reference=_additive_scores_solution,
)


# --- 2. masked dot-product attention over a batch ------------------------------------------------------


def _masked_attention_solution(query, values, value_mask):
    # query (B, Tq, D), values (B, Tv, D), value_mask (B, Tv) of booleans -> context (B, Tq, D), weights (B, Tq, Tv)
    scores = query @ np.swapaxes(values, 1, 2)  # (B, Tq, Tv): every query against every value of its example
    scores = np.where(value_mask[:, None, :], scores, -np.inf)  # (B, 1, Tv) broadcasts over the queries
    scores = scores - scores.max(axis=-1, keepdims=True)  # stable softmax over the value positions
    e = np.exp(scores)
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ values, weights  # (B, Tq, D), (B, Tq, Tv)


def _keras_attention(query: np.ndarray, values: np.ndarray, value_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import keras

    context, weights = keras.layers.Attention()(
        [query.astype("float32"), values.astype("float32")], mask=[None, value_mask], return_attention_scores=True
    )
    return keras.ops.convert_to_numpy(context).astype(float), keras.ops.convert_to_numpy(weights).astype(float)


def _check_masked_attention(fn: Callable) -> None:
    rng = np.random.default_rng(6)
    # first case: B == Tq, so a mask broadcast without its new axis runs silently instead of failing
    for b, tq, tv, d in [(3, 3, 5, 4), (2, 4, 6, 3), (1, 1, 3, 2)]:
        q = rng.normal(size=(b, tq, d)).astype("float32")
        vals = rng.normal(size=(b, tv, d)).astype("float32")
        mask = np.arange(tv)[None, :] < (tv - 1 - np.arange(b))[:, None]  # (B, Tv): example i ends with i+1 pads
        try:
            out = fn(q.copy(), vals.copy(), mask.copy())
        except ValueError as err:
            if "broadcast" in str(err):
                raise AssertionError(f"shapes do not broadcast ({err}): value_mask is (B, Tv) and the scores "
                                     "(B, Tq, Tv); give the mask an axis for the queries") from None  # fmt: skip
            raise
        assert isinstance(out, tuple) and len(out) == 2, "return a tuple (context, weights)"
        context, weights = (np.asarray(a, dtype=float) for a in out)
        want_c, want_w = _keras_attention(q, vals, mask)
        assert weights.shape == (b, tq, tv), f"weights should have shape (B, Tq, Tv) = {(b, tq, tv)}, got {weights.shape}"
        assert context.shape == (b, tq, d), f"context should have shape (B, Tq, D) = {(b, tq, d)}, got {context.shape}"
        scores = (q @ np.swapaxes(vals, 1, 2)).astype(float)
        ratio = np.where(mask[:, None, :], scores, 0.0)
        if np.allclose(weights, ratio / ratio.sum(-1, keepdims=True), atol=1e-5):
            raise AssertionError("alpha = e / sum(e) is not a softmax: take exponentials first, "
                                 "alpha = exp(e) / sum(exp(e))")  # fmt: skip
        if b == tq > 1 and np.allclose(weights, attention.masked_softmax(scores, mask[None, :, :]), atol=1e-5):
            raise AssertionError("value_mask (B, Tv) broadcast against the scores (B, Tq, Tv) lines the batch axis "
                                 "up with the QUERY axis, so query i uses example i's mask: insert the query axis, "
                                 "(B, 1, Tv)")  # fmt: skip
        if np.allclose(weights, attention.masked_softmax(scores / np.sqrt(d), mask[:, None, :]), atol=1e-5) and d > 1:
            raise AssertionError("you divided the scores by sqrt(D): that is the Transformer's scaled variant; Luong's "
                                 "dot score (keras.layers.Attention()) is the plain dot product")  # fmt: skip
        column = np.exp(scores - scores.max(1, keepdims=True))
        if tq > 1 and np.allclose(np.where(mask[:, None, :], weights, 0), np.where(
                mask[:, None, :], column / column.sum(1, keepdims=True), 0), atol=1e-5):  # fmt: skip
            raise AssertionError("the softmax runs over the wrong axis: each query's weights over the value positions "
                                 "(the last axis) must sum to 1")  # fmt: skip
        pads = ~np.broadcast_to(mask[:, None, :], weights.shape)
        if pads.any() and np.abs(weights[pads]).max() > 1e-7:
            raise AssertionError("padded positions (mask False) must get weight exactly 0: mask the scores before "
                                 "the softmax")  # fmt: skip
        if not np.allclose(weights.sum(-1), 1.0, atol=1e-5):
            raise AssertionError("the weights of each query no longer sum to 1: zeroing them AFTER the softmax "
                                 "breaks the normalisation; mask the scores (to -inf) BEFORE it")  # fmt: skip
        assert np.allclose(weights, want_w, atol=1e-5), (
            f"the weights differ from keras.layers.Attention's by up to {np.abs(weights - want_w).max():.3g}"
        )
        assert np.allclose(context, want_c, atol=1e-5), (
            "the weights are right but the context is not: it is the weighted sum of the values, weights @ values"
        )


masked_attention = Exercise(
    "masked dot-product attention over a batch",
    _check_masked_attention,
    hint_text="Level 1: three steps, each with the batch axis carried along: scores for every (query, value) pair, a "
    "softmax over the value positions that padded positions cannot win, a weighted sum of the values.\nLevel 2: "
    "batched matrix products work on the last two axes (transpose only those of values); give the (B, Tv) mask a "
    "length-1 query axis before using it to replace padded scores by -inf; for the softmax subtract each row's max, "
    "exponentiate, divide by the row sum (last axis); the context is another batched product.",
    reference=_masked_attention_solution,
)


# --- 3. one decoder step of Bahdanau's arrangement ------------------------------------------------------


def _bahdanau_step_solution(y_prev, s_prev, enc_states, w_q, w_k, v, w_in, w_rec, b):
    # y_prev (E,): embedding of the previous output token; s_prev (H,): the previous decoder state s_{t-1}
    # enc_states (Tx, D); attention: w_q (H, U), w_k (D, U), v (U,); cell: w_in (E + D, H), w_rec (H, H), b (H,)
    scores = np.tanh(s_prev @ w_q + enc_states @ w_k) @ v  # (Tx,): the query is the PREVIOUS state
    e = np.exp(scores - scores.max())
    weights = e / e.sum()  # (Tx,) softmax over the source positions
    context = weights @ enc_states  # (D,): a weighted sum of the encoder states themselves
    s_new = np.tanh(np.concatenate([y_prev, context]) @ w_in + s_prev @ w_rec + b)  # (H,): context in the input
    return s_new, context, weights


def _softmax1(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


def _check_bahdanau_step(fn: Callable) -> None:
    rng = np.random.default_rng(9)
    # the first case has E == D == H == U, so a swapped concatenation, swapped projections or a context of projected
    # keys run (and get their
    # own message) before the cases with unequal sizes, where they raise a shape error
    for tx, e_dim, d, h, u in [(5, 4, 4, 4, 4), (6, 3, 5, 4, 7), (1, 2, 3, 2, 2)]:
        args = dict(y_prev=rng.normal(size=e_dim), s_prev=rng.normal(size=h), enc_states=rng.normal(size=(tx, d)),
                    w_q=rng.normal(size=(h, u)), w_k=rng.normal(size=(d, u)), v=rng.normal(size=u),
                    w_in=rng.normal(size=(e_dim + d, h)) / 2, w_rec=rng.normal(size=(h, h)) / 2,
                    b=rng.normal(size=h))  # fmt: skip
        try:
            out = fn(*(a.copy() for a in args.values()))  # in the order of the signature
        except ValueError as err:
            raise AssertionError(
                f"a shape error ({err}). Sizes here: y_prev ({e_dim},), s_prev ({h},), enc_states ({tx}, {d}), "
                f"w_q ({h}, {u}), w_k ({d}, {u}), w_in ({e_dim + d}, {h}): the query s_prev goes through w_q, the "
                f"encoder states through w_k, and the cell's input is [y_prev; context], {e_dim} + {d} numbers"
            ) from None
        assert isinstance(out, tuple) and len(out) == 3, "return a tuple (new_state, context, weights)"
        s_new, context, weights = (np.asarray(a, dtype=float) for a in out)
        want_s, want_c, want_w = _bahdanau_step_solution(**args)
        y, s, hs = args["y_prev"], args["s_prev"], args["enc_states"]
        assert weights.shape == (tx,), f"weights: one per source position, shape ({tx},), got {weights.shape}"
        raw = np.tanh(s @ args["w_q"] + hs @ args["w_k"]) @ args["v"]
        if tx > 1 and np.allclose(weights, raw):
            raise AssertionError("the weights are the raw scores: take their softmax over the source positions")
        # Luong's order: run the cell on y_{t-1} alone, then attend with the new state
        s_luong = np.tanh(y @ args["w_in"][:e_dim] + s @ args["w_rec"] + args["b"])
        if tx > 1 and np.allclose(weights, _softmax1(np.tanh(s_luong @ args["w_q"] + hs @ args["w_k"]) @ args["v"])):
            raise AssertionError("you attended with the NEW state (Luong's order): in Bahdanau's arrangement the "
                                 "query is the previous state s_{t-1}, and attention runs before the cell")  # fmt: skip
        if d == h and tx > 1 and np.allclose(weights, _softmax1(np.tanh(s @ args["w_k"] + hs @ args["w_q"]) @ args["v"])):
            raise AssertionError("the projections are swapped: the query s_{t-1} goes through w_q, the encoder "
                                 "states through w_k")  # fmt: skip
        if tx > 1 and np.allclose(weights, _softmax1(raw / np.sqrt(len(args["v"])))):
            raise AssertionError("the scores are scaled by 1/sqrt(U): the additive score is not scaled")
        assert np.allclose(weights, want_w, atol=1e-8), (
            f"the weights differ from softmax(v . tanh(W_q s_(t-1) + W_k h_j)) by up to {np.abs(weights - want_w).max():.3g}"
        )
        assert context.shape == (d,), (
            f"the context has the size of one encoder state, ({d},), got {context.shape}: a weighted sum of the "
            "encoder states themselves, not of their projections"
        )
        assert np.allclose(context, want_c, atol=1e-8), (
            "the context is the weighted sum of the encoder states themselves (not of their projections): "
            "weights @ enc_states"
        )
        assert s_new.shape == (h,), f"the new state has shape ({h},), got {s_new.shape}"
        if np.allclose(s_new, s_luong):
            raise AssertionError("the context never reached the cell: in Bahdanau's arrangement the recurrent input "
                                 "is [y_(t-1); c_t], so the new state depends on what was attended")  # fmt: skip
        if e_dim == d and np.allclose(s_new, np.tanh(np.concatenate([context, y]) @ args["w_in"] + s @ args["w_rec"]
                                                      + args["b"])):  # fmt: skip
            raise AssertionError("the cell's input is [y_(t-1); c_t] in that order: the first rows of w_in read the "
                                 "previous token's embedding")  # fmt: skip
        if np.allclose(s_new, np.concatenate([y, context]) @ args["w_in"] + s @ args["w_rec"] + args["b"]):
            raise AssertionError("the tanh of the cell is missing: s_t = tanh([y_(t-1); c_t] W_in + s_(t-1) W_rec + b)")
        assert np.allclose(s_new, want_s, atol=1e-8), (
            f"the new state differs from tanh([y_(t-1); c_t] W_in + s_(t-1) W_rec + b) by up to "
            f"{np.abs(s_new - want_s).max():.3g}"
        )


bahdanau_step = Exercise(
    "one decoder step of Bahdanau's arrangement",
    _check_bahdanau_step,
    hint_text="Level 1: the order is the point. The previous state s_(t-1) asks first; the context it gets back is "
    "part of what the recurrent cell reads, next to the previous token's embedding.\nLevel 2: score every encoder "
    "state with the additive score, the query being s_prev; softmax over the source positions; the context is the "
    "weighted sum of the encoder states; then the cell: tanh of the concatenation [previous embedding, context] "
    "times w_in, plus s_prev times w_rec, plus b.",
    reference=_bahdanau_step_solution,
)


_LUONG_ANSWER = """\
Model answer: one run per model, seed 0, the lesson's data (20,000 training dates, 2,500 test dates) and train()
(batch 64, cosine schedule over the epochs). Exact match counts the test dates. The times are wall-clock seconds
from a loaded machine: 2 cores shared with other jobs, whose load varied, so they are longer than on a free machine
and only a rough ranking.

                        parameters   6 epochs          2 epochs          1 epoch
  additive (Bahdanau)      152,911   2500/2500  510 s  2500/2500  175 s  2499/2500   89 s
  Luong dot                136,463   2500/2500  345 s  2500/2500  111 s  2500/2500   34 s
  Luong general            152,847   2500/2500  336 s  2500/2500   72 s  2500/2500   33 s

- All three learn the task: every model was perfect on the test dates after 2 epochs, and all but one date after a
  single epoch. On this task the score function does not change the accuracy.
- The dot and general models trained faster in all three pairs of runs (0.37 to 0.68 of the additive model's
  time). The additive score builds a (batch, 11, 32, 64) tensor before reducing it with v; the dot score only
  (batch, 11, 32). Luong dot also has 16,448 fewer parameters (the additive score's two 128 x 64 projections and v);
  general adds one 128 x 128 matrix.
- Trained for 2 epochs, no model got any test date wrong. After 1 epoch (the lesson's setting) the only failure was
  the additive model's "1 nov 1992" -> 1992-11-11 (truth 1992-11-01): a one-digit day, whose leading 0 the model must
  write itself; it wrote the 1 twice. At the wrong character the attention is spread out: its largest weight was
  0.29, against 0.58 on average at the right characters of the same date.
- The multiplicative scores are sharper. The largest weight of each output character, averaged over the test dates,
  was 0.61 (additive), 0.81 (dot) and 0.94 (general) after 1 epoch, and 0.67, 0.87 and 0.95 after 6: the additive
  score's heatmaps spread each output character over a few neighbouring input characters, Luong general's are
  close to one-hot.
"""

luong_comparison = _open_exercise(
    "luong_comparison",
    hint_text="Level 1: build one model per score, build_model(LuongAttention(score, name=\"attention\")) (inference_models "
    "finds the layer by that name), and train each with the lesson's train(); translate "
    "gives the exact match and train() returns the wall and CPU seconds. Keep the seed, so the score function is the only "
    "change.\nLevel 2: list the dates a model gets wrong after one epoch with the field (year, month or day) of the "
    "first wrong character and draw show_alignment for them; then train for 2 epochs (epochs=2): do they go away? For each model, "
    "average the largest weight of every output character over the test dates: how sharp is each score's attention?",
    model_answer=_LUONG_ANSWER,
)


# --- 4. the backward pass of masked attention -----------------------------------------------------------


def _attention_backward_solution(scores, value_mask, values, grad_context):
    # forward: weights = masked softmax of scores (B, Tq, Tv); context = weights @ values (B, Tq, D)
    # grad_context (B, Tq, D) is dL/dcontext -> return dL/dscores (B, Tq, Tv), dL/dvalues (B, Tv, D)
    masked = np.where(value_mask[:, None, :], scores, -np.inf)
    e = np.exp(masked - masked.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    grad_values = np.swapaxes(weights, 1, 2) @ grad_context  # each value collects from every query that used it
    grad_weights = grad_context @ np.swapaxes(values, 1, 2)  # (B, Tq, Tv)
    # softmax Jacobian: dL/de_j = a_j * (g_j - sum_k a_k g_k); padded positions have a_j = 0, so no gradient
    grad_scores = weights * (grad_weights - (weights * grad_weights).sum(axis=-1, keepdims=True))
    return grad_scores, grad_values


def _tape_gradients(scores, value_mask, values, grad_context) -> tuple[np.ndarray, np.ndarray]:
    import tensorflow as tf

    s, v = tf.constant(scores), tf.constant(values)
    with tf.GradientTape() as tape:
        tape.watch([s, v])
        masked = tf.where(tf.constant(value_mask)[:, None, :], s, tf.constant(-1e30, dtype=s.dtype))
        context = tf.matmul(tf.nn.softmax(masked, axis=-1), v)
        loss = tf.reduce_sum(context * tf.constant(grad_context))  # so that dL/dcontext = grad_context
    grad_s, grad_v = tape.gradient(loss, [s, v])
    return grad_s.numpy(), grad_v.numpy()


def _check_attention_backward(fn: Callable) -> None:
    rng = np.random.default_rng(8)
    for b, tq, tv, d in [(2, 3, 5, 4), (3, 2, 4, 2), (1, 1, 3, 1)]:
        scores = rng.normal(size=(b, tq, tv))
        values = rng.normal(size=(b, tv, d))
        grad_context = rng.normal(size=(b, tq, d))
        mask = np.arange(tv)[None, :] < (tv - 1 - np.arange(b) % (tv - 1))[:, None]  # 1..B pads per example
        out = fn(scores.copy(), mask.copy(), values.copy(), grad_context.copy())
        assert isinstance(out, tuple) and len(out) == 2, "return a tuple (grad_scores, grad_values)"
        grad_scores, grad_values = (np.asarray(a, dtype=float) for a in out)
        want_s, want_v = _tape_gradients(scores, mask, values, grad_context)
        assert grad_scores.shape == scores.shape, f"grad_scores has the shape of the scores {scores.shape}, got {grad_scores.shape}"
        assert grad_values.shape == values.shape, (
            f"grad_values has the shape of the values {values.shape}, got {grad_values.shape}: which matrix of the "
            "product weights @ values needs transposing?"
        )
        weights = attention.masked_softmax(scores, mask[:, None, :])
        grad_weights = grad_context @ np.swapaxes(values, 1, 2)
        if np.allclose(grad_scores, grad_weights) or np.allclose(grad_scores, np.where(mask[:, None, :], grad_weights, 0)):
            raise AssertionError("that is dL/dweights: the softmax sits between the weights and the scores, so "
                                 "multiply by its Jacobian")  # fmt: skip
        if np.allclose(grad_scores, weights * grad_weights):
            raise AssertionError("only the diagonal of the softmax Jacobian: a score also changes the OTHER weights of "
                                 "its row (they must keep summing to 1), which subtracts the weighted mean of the "
                                 "row's gradients")  # fmt: skip
        unmasked = attention.masked_softmax(scores)
        if np.allclose(grad_scores, unmasked * (grad_weights - (unmasked * grad_weights).sum(-1, keepdims=True))):
            raise AssertionError("you differentiated the softmax WITHOUT the mask: padded positions have weight 0 "
                                 "whatever their score, so their score gradient must be 0")  # fmt: skip
        pads = ~np.broadcast_to(mask[:, None, :], scores.shape)
        if np.abs(grad_scores[pads]).max() > 1e-9:
            raise AssertionError("padded positions have weight 0 whatever their score: their gradient must be 0")
        assert np.allclose(grad_scores, want_s, atol=1e-8), (
            f"grad_scores differs from tf.GradientTape's by up to {np.abs(grad_scores - want_s).max():.3g}"
        )
        if np.allclose(grad_values, np.swapaxes(unmasked, 1, 2) @ grad_context):
            raise AssertionError("grad_values uses unmasked weights: padded values were not used, so they get no "
                                 "gradient")  # fmt: skip
        assert np.allclose(grad_values, want_v, atol=1e-8), (
            f"grad_values differs from tf.GradientTape's by up to {np.abs(grad_values - want_v).max():.3g}"
        )


attention_backward = Exercise(
    "the backward pass of masked attention",
    _check_attention_backward,
    hint_text="Level 1: two steps to go back through: context = weights @ values, then weights = masked softmax(scores). "
    "Redo the forward pass first; the weights are needed.\nLevel 2: for a product C = A @ B, dL/dA is dL/dC times B "
    "transposed and dL/dB is A transposed times dL/dC (per example: transpose the last two axes). Through the "
    "softmax, each score's gradient is its weight times (its weight's gradient minus the weight-averaged gradient "
    "of its row); padded positions then get 0 on their own.",
    reference=_attention_backward_solution,
)


# --- known-wrong answers, one per checked exercise (the lesson's last cell runs them) ----------------------


def _wrong_additive(query, values, w_query, w_keys, v):
    return ((query @ w_query)[:, None, :] + (values @ w_keys)[None, :, :]) @ v  # the tanh forgotten


def _wrong_masked_attention(query, values, value_mask):
    scores = query @ np.swapaxes(values, 1, 2)
    e = np.exp(scores - scores.max(-1, keepdims=True)) * value_mask[:, None, :]  # masked after the exponentials,
    weights = e / np.exp(scores - scores.max(-1, keepdims=True)).sum(-1, keepdims=True)  # normalised over all
    return weights @ values, weights


def _wrong_bahdanau_step(y_prev, s_prev, enc_states, w_q, w_k, v, w_in, w_rec, b):
    e_dim = len(y_prev)
    s_new = np.tanh(y_prev @ w_in[:e_dim] + s_prev @ w_rec + b)  # Luong's order: the cell first ...
    weights = _softmax1(np.tanh(s_new @ w_q + enc_states @ w_k) @ v)  # ... then attention with the new state
    return s_new, weights @ enc_states, weights


def _wrong_backward(scores, value_mask, values, grad_context):
    weights = attention.masked_softmax(scores, value_mask[:, None, :])
    grad_weights = grad_context @ np.swapaxes(values, 1, 2)
    return weights * grad_weights, np.swapaxes(weights, 1, 2) @ grad_context  # only the Jacobian's diagonal


KNOWN_WRONG = {
    "additive_scores": _wrong_additive,
    "masked_attention": _wrong_masked_attention,
    "bahdanau_step": _wrong_bahdanau_step,
    "attention_backward": _wrong_backward,
}
