"""Exercises of lesson 01 (RNN basics): the parameters of a many-to-one classifier, the gradient that reaches the
initial state, and truncated backpropagation through time.

Example:
    >>> classifier_params.evaluate(classifier_params.reference).passed
    True
    >>> print(classifier_params.evaluate(lambda steps, d, h, k: steps * (d * h + h * h + h) + h * k + k).message)
    ... # doctest: +ELLIPSIS
    Not yet (parameters of a many-to-one classifier): the count grows with the number of steps, but the same W, ...
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from course_utils.exercises import Exercise

__all__ = ["classifier_params", "grad_initial_state", "truncated_bptt"]


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-7, atol=1e-12))


# --- 1. the parameters of a many-to-one classifier --------------------------------------------------------


def _classifier_params_solution(steps, input_dim, units, n_classes):
    # keras.Sequential([keras.Input((steps, input_dim)), SimpleRNN(units), Dense(n_classes)])
    rnn = input_dim * units + units * units + units  # kernel W, recurrent kernel U, bias b: shared by every step
    dense = units * n_classes + n_classes  # reads the last state only
    return rnn + dense  # steps does not appear: weight sharing


def _check_classifier_params(fn: Callable[[int, int, int, int], int]) -> None:
    for steps, d, h, k in [(100, 1, 24, 1), (7, 3, 5, 2), (12, 8, 16, 4)]:
        got = fn(steps, d, h, k)
        assert isinstance(got, (int, np.integer)), f"return a whole number of parameters, got {type(got).__name__}"
        rnn, dense = d * h + h * h + h, h * k + k
        want = rnn + dense
        if got == want:
            continue
        mistakes = {
            steps * rnn + dense: "the count grows with the number of steps, but the same W, U and b serve every step: "
            "the length of the sequence does not change the number of weights",
            steps * want: "you multiplied everything by the number of steps, but the weights are shared over time: "
            "the length of the sequence does not change the number of weights",
            rnn - h + dense: "the SimpleRNN's bias is missing: one per unit",
            rnn + dense - k: "the Dense layer's bias is missing: one per class",
            2 * d * h + h + dense: "the recurrent kernel maps a state to a state: it is units x units, not "
            "input_dim x units",
            rnn + steps * h * k + k: "the Dense layer reads only the LAST state (many-to-one, return_sequences=False), "
            "a vector of units numbers, not all the states",
        }
        for value, text in mistakes.items():
            if got == value:
                raise AssertionError(f"{text} (steps={steps}, input_dim={d}, units={h}, n_classes={k})")
        raise AssertionError(f"with steps={steps}, input_dim={d}, units={h}, n_classes={k} the model has {want} "
                             f"parameters, you returned {got}")  # fmt: skip


classifier_params = Exercise(
    "parameters of a many-to-one classifier",
    _check_classifier_params,
    hint_text="Level 1: list the weight arrays of the two layers and their shapes; ask yourself which of them the "
    "number of steps changes.\nLevel 2: the SimpleRNN has a kernel (input features to units), a recurrent kernel "
    "(units to units) and a bias, used at every step; the Dense layer sees one vector of `units` numbers (the last "
    "state) and has a kernel and a bias of its own. Multiply out each shape and add.",
    reference=_classifier_params_solution,
)


# --- 2. the gradient that reaches the initial state ---------------------------------------------------------


def _grad_h0_solution(x, h0, kernel, recurrent_kernel, bias, v):
    # forward from h0: x (B, T, D), h0 (B, H); loss L = sum over the batch of h_T . v, v: (H,)
    h, states = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)  # (B, H)
        states.append(h)
    dh = np.broadcast_to(v, h.shape)  # dL/dh_T: (B, H); no earlier state feeds the loss directly
    for h_t in reversed(states):  # from step T back to step 1
        da = dh * (1 - h_t**2)  # through the tanh of step t
        dh = da @ recurrent_kernel.T  # into h_{t-1}
    return dh  # dL/dh_0: (B, H)


def _grad_h0_variant(x, h0, kernel, u, bias, v, *, tanh_grad=True, transpose=True, from_zero=False, skip_first=False,
                     lagged=False):  # fmt: skip
    h = np.zeros_like(h0) if from_zero else h0
    states = [h]
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ u + bias)
        states.append(h)
    dh = np.broadcast_to(v, h.shape)
    first = 2 if skip_first else 1
    for t in range(x.shape[1], first - 1, -1):
        deriv = 1 - (states[t - 1] if lagged else states[t]) ** 2
        da = dh * deriv if tanh_grad else dh
        dh = da @ (u.T if transpose else u)
    return dh


def _check_grad_h0(fn: Callable[..., np.ndarray]) -> None:
    rng = np.random.default_rng(101)
    for b, t, d, h in [(2, 5, 3, 4), (3, 2, 2, 3), (1, 8, 1, 3)]:
        x = rng.normal(size=(b, t, d))
        h0 = rng.normal(size=(b, h))
        kernel = rng.normal(scale=0.5, size=(d, h))
        u = rng.normal(scale=0.6, size=(h, h))
        bias = rng.normal(scale=0.1, size=h)
        v = rng.normal(size=h)
        got = np.asarray(fn(x.copy(), h0.copy(), kernel.copy(), u.copy(), bias.copy(), v.copy()), dtype=float)
        want = _grad_h0_solution(x, h0, kernel, u, bias, v)
        if got.shape != want.shape:
            hint = " (one row per sequence: do not sum or average over the batch)" if got.shape == (h,) else ""
            raise AssertionError(f"dL/dh0 has the shape of h0, {want.shape}, got {got.shape}{hint}")
        if _close(got, want):
            continue
        mistakes = [
            (dict(tanh_grad=False), "the tanh derivative is missing: going back through step t multiplies by "
             "(1 - h_t**2) before the recurrent kernel"),
            (dict(transpose=False), "going back, the gradient is multiplied by the TRANSPOSED recurrent kernel (U.T), "
             "as in the notebook's bptt"),
            (dict(from_zero=True), "your forward pass starts from zeros: it must start from h0, otherwise the tanh "
             "derivatives are those of another sequence of states"),
            (dict(skip_first=True), "that is dL/dh_1: one more step back, through the first tanh, reaches h_0"),
            (dict(lagged=True), "the tanh derivative of step t uses that step's OUTPUT h_t, not its input h_{t-1}"),
        ]
        for flags, text in mistakes:
            if _close(got, _grad_h0_variant(x, h0, kernel, u, bias, v, **flags)):
                raise AssertionError(text)
        if _close(got, want / b) or _close(got, want * b):
            raise AssertionError("the loss is a SUM over the batch: each sequence's gradient is not scaled by B")
        err = float(np.max(np.abs(got - want)))
        raise AssertionError(f"dL/dh0 differs from the reference by up to {err:.3g} (B={b}, T={t}, H={h})")


grad_initial_state = Exercise(
    "the gradient reaching the initial state",
    _check_grad_h0,
    hint_text="Level 1: the notebook's bptt already computes this gradient on its way back: look at what dh_next "
    "holds after its last iteration. What changes when the forward pass starts from h0 instead of zero?"
    "\nLevel 2: run the forward pass from h0 and keep every state. Start from dL/dh_T (v on every row), then for t = T down to 1: "
    "multiply elementwise by the tanh derivative of step t (from h_t), then by the transposed recurrent kernel. "
    "What you hold after step 1 is dL/dh_0.",
    reference=_grad_h0_solution,
)


# --- 3. truncated backpropagation through time ---------------------------------------------------------------


def _truncated_bptt_solution(x, hs, W, U, dL_dh, k):
    # x: (B, T, D); hs: states of the full forward pass from h_0 = 0 (B, T, H); dL_dh: (B, T, H), path 1
    # chunks of k steps: 0..k-1, k..2k-1, ...; the state is carried forward, the gradient stops at each chunk start
    batch, steps, _ = x.shape
    h_prev_all = np.concatenate([np.zeros((batch, 1, W.shape[1])), hs[:, :-1]], axis=1)  # h_{t-1}
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros(W.shape[1])
    dh_next = np.zeros((batch, W.shape[1]))
    for t in reversed(range(steps)):
        da = (dL_dh[:, t] + dh_next) * (1 - hs[:, t] ** 2)  # (B, H)
        dW += x[:, t].T @ da
        dU += h_prev_all[:, t].T @ da  # the carried state still multiplies U, even at a chunk start
        db += da.sum(axis=0)
        dh_next = da @ U.T if t % k != 0 else np.zeros_like(dh_next)  # t starts a chunk: the gradient stops here
    return {"W": dW, "U": dU, "b": db}


def _truncated_variant(x, hs, W, U, dL_dh, k, *, cut=None, zero_prev_at_cut=False, last_chunk_only=False):
    batch, steps, _ = x.shape
    cut = cut or (lambda t: t % k == 0)
    h_prev_all = np.concatenate([np.zeros((batch, 1, W.shape[1])), hs[:, :-1]], axis=1)
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros(W.shape[1])
    dh_next = np.zeros((batch, W.shape[1]))
    first_of_last = (steps - 1) // k * k
    for t in reversed(range(steps)):
        if last_chunk_only and t < first_of_last:
            break
        da = (dL_dh[:, t] + dh_next) * (1 - hs[:, t] ** 2)
        dW += x[:, t].T @ da
        dU += (0 * h_prev_all[:, t] if zero_prev_at_cut and cut(t) else h_prev_all[:, t]).T @ da
        db += da.sum(axis=0)
        dh_next = np.zeros_like(dh_next) if cut(t) else da @ U.T
    return {"W": dW, "U": dU, "b": db}


def _sliding_window(x, hs, W, U, dL_dh, k):
    # each loss term s goes back at most k steps: s, s-1, ..., s-k+1
    batch, steps, _ = x.shape
    h_prev_all = np.concatenate([np.zeros((batch, 1, W.shape[1])), hs[:, :-1]], axis=1)
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros(W.shape[1])
    for s in range(steps):
        dh = dL_dh[:, s]
        for t in range(s, max(-1, s - k), -1):
            da = dh * (1 - hs[:, t] ** 2)
            dW += x[:, t].T @ da
            dU += h_prev_all[:, t].T @ da
            db += da.sum(axis=0)
            dh = da @ U.T
    return {"W": dW, "U": dU, "b": db}


def _check_truncated_bptt(fn: Callable[..., dict]) -> None:
    rng = np.random.default_rng(202)
    for b, t, d, h, k in [(2, 7, 3, 4, 3), (3, 6, 2, 3, 2), (1, 5, 2, 2, 5)]:
        x = rng.normal(size=(b, t, d))
        W = rng.normal(scale=0.5, size=(d, h))
        U = rng.normal(scale=0.6, size=(h, h))
        bias = rng.normal(scale=0.1, size=h)
        hs = np.zeros((b, t, h))
        state = np.zeros((b, h))
        for step in range(t):
            state = np.tanh(x[:, step] @ W + state @ U + bias)
            hs[:, step] = state
        dL_dh = rng.normal(size=(b, t, h))
        got = fn(x.copy(), hs.copy(), W.copy(), U.copy(), dL_dh.copy(), k)
        assert isinstance(got, dict) and {"W", "U", "b"} <= set(got), 'return a dict with the keys "W", "U" and "b"'
        got = {key: np.asarray(got[key], dtype=float) for key in "WUb"}
        want = _truncated_bptt_solution(x, hs, W, U, dL_dh, k)
        for key in "WUb":
            assert got[key].shape == want[key].shape, f"dL/d{key} has the shape of {key}, {want[key].shape}, got {got[key].shape}"
        if all(_close(got[key], want[key]) for key in "WUb"):
            continue
        where = f"(T={t}, k={k})"
        mistakes = [
            (_truncated_variant(x, hs, W, U, dL_dh, k, cut=lambda s: False),
             f"this is the full BPTT gradient {where}: the gradient must not go back past the first step of its chunk"),
            (_sliding_window(x, hs, W, U, dL_dh, k),
             f"each loss term went back k steps from where it sits (a sliding window) {where}: here the sequence is cut "
             "into fixed chunks 0..k-1, k..2k-1, ..., and a loss term goes back only to the start of ITS chunk"),
            (_truncated_variant(x, hs, W, U, dL_dh, k, cut=lambda s: (s + 1) % k == 0),
             f"your cuts are one step off {where}: the gradient stops after passing through the FIRST step of each "
             "chunk (t = 0, k, 2k, ...), not the last"),
            (_truncated_variant(x, hs, W, U, dL_dh, k, cut=lambda s: (t - s) % k == 0),
             f"your chunks are counted from the end of the sequence {where}: they start at step 0 (0..k-1, k..2k-1, "
             "...), so only the LAST chunk may be shorter"),
            (_truncated_variant(x, hs, W, U, dL_dh, k, zero_prev_at_cut=True),
             f"at the first step of a chunk the state h_{{t-1}} is carried from the previous chunk, not zero "
             f"{where}: it is a constant there, but it still multiplies U, so it counts in dL/dU"),
            (_truncated_variant(x, hs, W, U, dL_dh, k, last_chunk_only=True),
             f"only the last chunk's gradient {where}: add up the gradients of every chunk"),
        ]
        for variant, text in mistakes:
            if all(_close(got[key], variant[key]) for key in "WUb"):
                raise AssertionError(text)
        errs = {key: float(np.max(np.abs(got[key] - want[key]))) for key in "WUb"}
        raise AssertionError(f"the gradients differ from the reference {where}: max error "
                             + ", ".join(f"d{key} {e:.3g}" for key, e in errs.items()))  # fmt: skip


truncated_bptt = Exercise(
    "truncated BPTT",
    _check_truncated_bptt,
    hint_text="Level 1: truncation changes the backward pass only: the forward pass (the states hs) is the same as "
    "for full BPTT. Ask at which steps the gradient arriving from the future must be dropped.\nLevel 2: the backward "
    "walk of full BPTT, with one difference: the gradient travelling back along the state must not cross a chunk "
    "boundary, so the first step of each chunk passes nothing on to the step before it. That first step still "
    "contributes to the weight gradients, with the state carried in from the previous chunk, since the forward "
    "pass is unchanged.",
    reference=_truncated_bptt_solution,
)
