"""Exercises of lesson 02 (LSTM and GRU): the parameters of stacked and bidirectional layers, a GRU that honours a
mask, one LSTM step backward, and an open exercise (more epochs or more data for the default LSTM) with a model
answer.

Example:
    >>> stack_params.evaluate(stack_params.reference).passed
    True
    >>> print(stack_params.evaluate(lambda kind, d, h, n, bi: 0).message)  # doctest: +ELLIPSIS
    Not yet (parameters of stacked and bidirectional layers): SimpleRNN, input_dim=3, units=5, 1 layer(s), ...
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from course_utils import numpy_rnn
from course_utils.exercises import Exercise

__all__ = ["stack_params", "masked_gru", "lstm_step_backward", "more_training", "tape_lstm_step_gradients"]


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-7, atol=1e-12))


# --- 1. the parameters of stacked and bidirectional layers ----------------------------------------------------

_BLOCKS = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def _stack_params_solution(kind, input_dim, units, n_layers, bidirectional):
    # n_layers recurrent layers of `kind` (Keras defaults), each wrapped in Bidirectional when bidirectional is True
    blocks = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[kind]  # SimpleRNN-sized blocks per layer
    directions = 2 if bidirectional else 1
    total, features = 0, input_dim
    for _ in range(n_layers):
        one_direction = blocks * (features * units + units * units + units)
        if kind == "GRU":
            one_direction += 3 * units  # reset_after=True: a second bias vector
        total += directions * one_direction  # Bidirectional: two independent copies
        features = directions * units  # the next layer reads the (concatenated) states
    return total


def _stack_variant(kind, d, h, n, bi, *, same_input=False, concat=True, copies=True, reset_after=True):
    blocks, total, features = _BLOCKS[kind], 0, d
    for _ in range(n):
        one = blocks * (features * h + h * h + h) + (3 * h if kind == "GRU" and reset_after else 0)
        total += (2 if bi and copies else 1) * one
        features = d if same_input else (2 * h if bi and concat else h)
    return total


def _check_stack_params(fn: Callable[[str, int, int, int, bool], int]) -> None:
    for kind in ("SimpleRNN", "LSTM", "GRU"):
        for d, h, n, bi in [(3, 5, 1, False), (3, 5, 2, False), (8, 16, 3, True), (1, 4, 2, True)]:
            got = fn(kind, d, h, n, bi)
            where = f"{kind}, input_dim={d}, units={h}, {n} layer(s), bidirectional={bi}"
            assert isinstance(got, (int, np.integer)), f"return a whole number of parameters, got {type(got).__name__} ({where})"
            want = _stack_params_solution(kind, d, h, n, bi)
            if got == want:
                continue
            mistakes = [
                (dict(same_input=True), "from the second layer on, a layer reads the states of the layer below, not "
                 "the input features"),
                (dict(concat=False), "a Bidirectional layer concatenates its two directions, so the next layer reads "
                 "2 * units features per step"),
                (dict(copies=False), "Bidirectional holds two independent copies of the layer (forwards and "
                 "backwards): twice its parameters"),
                (dict(copies=False, concat=False), "Bidirectional holds two independent copies of the layer, and the "
                 "next layer reads their concatenated states (2 * units features)"),
                (dict(reset_after=False), "Keras' GRU (reset_after=True) has a second bias vector: 3 * units more "
                 "per GRU"),
            ]
            for flags, text in mistakes:
                if got == _stack_variant(kind, d, h, n, bi, **flags):
                    raise AssertionError(f"{text} ({where})")
            if n > 1 and got == n * _stack_variant(kind, d, h, 1, bi):
                raise AssertionError(f"every layer was counted like the first: from the second layer on, a layer "
                                     f"reads the states of the layer below ({where})")  # fmt: skip
            raise AssertionError(f"{where}: {want} parameters, you returned {got}")


stack_params = Exercise(
    "parameters of stacked and bidirectional layers",
    _check_stack_params,
    hint_text="Level 1: a layer's count depends on how many features it READS per step. What does the second layer of "
    "a stack read, and how wide is the output of a Bidirectional layer?\nLevel 2: loop over the layers, keeping the "
    "number of input features: count one layer (blocks x (features x units + units x units + units), plus the "
    "GRU's extra biases), double it when bidirectional, then set the features for the next layer to units, or "
    "2 x units when bidirectional.",
    reference=_stack_params_solution,
)


# --- 2. a GRU that honours a mask -------------------------------------------------------------------------------


def _masked_gru_solution(x, mask, kernel, recurrent_kernel, bias):
    # x: (B, T, D); mask: (B, T) booleans, False at padded steps -> the last state (B, H)
    h = np.zeros((x.shape[0], recurrent_kernel.shape[0]))
    for t in range(x.shape[1]):
        new_h = numpy_rnn.gru_step(x[:, t], h, kernel, recurrent_kernel, bias)  # (B, H)
        h = np.where(mask[:, t, None], new_h, h)  # a padded step copies the state through
    return h


def _masked_variant(x, mask, kernel, u, bias, *, ignore=False, reset=False, zero_input=False, stop=False,
                    first_row=False):  # fmt: skip
    h = np.zeros((x.shape[0], u.shape[0]))
    stopped = np.zeros(x.shape[0], dtype=bool)
    for t in range(x.shape[1]):
        m = np.broadcast_to(mask[0, t], mask[:, t].shape) if first_row else mask[:, t]
        if ignore:
            h = numpy_rnn.gru_step(x[:, t], h, kernel, u, bias)
        elif zero_input:
            h = numpy_rnn.gru_step(np.where(m[:, None], x[:, t], 0.0), h, kernel, u, bias)
        elif reset:
            h = np.where(m[:, None], numpy_rnn.gru_step(x[:, t], h, kernel, u, bias), 0.0)
        else:
            stopped |= stop & ~m
            h = np.where((m & ~stopped)[:, None], numpy_rnn.gru_step(x[:, t], h, kernel, u, bias), h)
    return h


def _check_masked_gru(fn: Callable[..., np.ndarray]) -> None:
    rng = np.random.default_rng(303)
    for b, t, d, h in [(4, 6, 3, 2), (3, 5, 2, 4)]:
        x = rng.normal(size=(b, t, d))  # padded steps hold non-zero vectors too (the embedding of id 0 is not 0)
        lengths = rng.integers(2, t, size=b)
        mask = np.arange(t)[None, :] < lengths[:, None]  # post-padding ...
        mask[1] = mask[1, ::-1]  # ... and one pre-padded row: the padding comes first
        kernel = rng.normal(scale=0.6, size=(d, 3 * h))
        u = rng.normal(scale=0.6, size=(h, 3 * h))
        bias = rng.normal(scale=0.3, size=(2, 3 * h))
        got = np.asarray(fn(x.copy(), mask.copy(), kernel.copy(), u.copy(), bias.copy()), dtype=float)
        want = _masked_gru_solution(x, mask, kernel, u, bias)
        if got.shape == (b, t, h):
            raise AssertionError(f"return only the last state, shape (B, H) = {(b, h)}, as GRU(units) does")
        assert got.shape == want.shape, f"the last state has shape (B, H) = {want.shape}, got {got.shape}"
        if _close(got, want):
            continue
        mistakes = [
            (dict(ignore=True), "you read the padded steps too: where the mask is False the state must not change"),
            (dict(zero_input=True), "a padded step is not a step with a zero input (that still updates the state "
             "through the recurrent kernel and the biases): it must leave the state unchanged"),
            (dict(reset=True), "a padded step copies the state through, it does not reset it to zero"),
            (dict(stop=True), "you stopped at the first padded step; with pre-padding the words come AFTER the "
             "padding: skip padded steps, do not stop"),
            (dict(first_row=True), "every sequence has its own mask: use mask[:, t] for the whole batch, one value "
             "per row"),
        ]
        for flags, text in mistakes:
            if _close(got, _masked_variant(x, mask, kernel, u, bias, **flags)):
                raise AssertionError(text)
        err = float(np.max(np.abs(got - want)))
        raise AssertionError(f"the last states differ from keras.layers.GRU's by up to {err:.3g}")


masked_gru = Exercise(
    "a GRU that honours a mask",
    _check_masked_gru,
    hint_text="Level 1: for a padded step, what should the state be after it? Not zero, and not the result of "
    "reading the padding vector.\nLevel 2: step through time from a zero state, one ordinary GRU step at a time for "
    "the whole batch. A row whose mask is True at that step takes the new state; a row whose mask is False keeps "
    "the state it had, as if the step had not happened. The answer is the state each row holds after the last step.",
    reference=_masked_gru_solution,
)


# --- 3. one LSTM step backward ------------------------------------------------------------------------------------


def _sig(a):
    return 0.5 * (1 + np.tanh(0.5 * a))


def _lstm_step_backward_solution(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, dh, dc):
    # forward (Keras order i, f, c, o): kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H,)
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias  # (B, 4H)
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    i, f, o = (0.5 * (1 + np.tanh(0.5 * a)) for a in (z_i, z_f, z_o))  # sigmoids
    g = np.tanh(z_c)  # candidate
    tanh_c = np.tanh(f * c_prev + i * g)
    # backward: dh = dL/dh_t, dc = dL/dc_t from the next step; h_t = o * tanh(c_t) adds a second path into c_t
    dc_total = dc + dh * o * (1 - tanh_c**2)
    d_o = dh * tanh_c
    d_i, d_f, d_g = dc_total * g, dc_total * c_prev, dc_total * i
    dz = np.concatenate([d_i * i * (1 - i), d_f * f * (1 - f), d_g * (1 - g**2), d_o * o * (1 - o)], axis=-1)
    return {
        "x": dz @ kernel.T,  # (B, D)
        "h_prev": dz @ recurrent_kernel.T,  # (B, H)
        "c_prev": dc_total * f,  # (B, H): the cell-state path, one multiplication by f
        "kernel": x_t.T @ dz,  # (D, 4H)
        "recurrent_kernel": h_prev.T @ dz,  # (H, 4H)
        "bias": dz.sum(axis=0),  # (4H,)
    }


_KEYS = ("x", "h_prev", "c_prev", "kernel", "recurrent_kernel", "bias")


def _lstm_variant(x_t, h_prev, c_prev, kernel, u, bias, dh, dc, *, via_h=True, upstream=True, times_f=True,
                  sigmoid_grad=True, order="ifco", candidate_grad=True):  # fmt: skip
    z = x_t @ kernel + h_prev @ u + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    i, f, o, g = _sig(z_i), _sig(z_f), _sig(z_o), np.tanh(z_c)
    tanh_c = np.tanh(f * c_prev + i * g)
    dc_total = (dc if upstream else 0) + (dh * o * (1 - tanh_c**2) if via_h else 0)
    d_o, d_i, d_f, d_g = dh * tanh_c, dc_total * g, dc_total * c_prev, dc_total * i
    sg = (lambda s: s * (1 - s)) if sigmoid_grad else (lambda s: 1 - s**2)
    blocks = {"i": d_i * sg(i), "f": d_f * sg(f), "c": d_g * ((1 - g**2) if candidate_grad else 1), "o": d_o * sg(o)}
    dz = np.concatenate([blocks[key] for key in order], axis=-1)
    return {"x": dz @ kernel.T, "h_prev": dz @ u.T, "c_prev": dc_total * (f if times_f else 1),
            "kernel": x_t.T @ dz, "recurrent_kernel": h_prev.T @ dz, "bias": dz.sum(axis=0)}  # fmt: skip


def _lstm_mistakes(args: tuple) -> list[tuple[dict, str]]:
    variants = [
        (dict(via_h=False), "the gradient reaching c_t also comes through h_t = o * tanh(c_t): add dh * o * "
         "(1 - tanh(c_t)**2) to the upstream dc"),
        (dict(upstream=False), "the upstream dc (the gradient coming from c_{t+1}) is missing: add it to what comes "
         "through h_t"),
        (dict(times_f=False), "going back along the cell state multiplies the gradient by the forget gate f: "
         "dL/dc_prev = (total dL/dc_t) * f"),
        (dict(sigmoid_grad=False), "the derivative of a sigmoid s is s * (1 - s); 1 - s**2 is the derivative of tanh"),
        (dict(order="ifoc"), "the gate blocks are in the wrong order: Keras stores them as i, f, c, o"),
        (dict(order="icfo"), "the gate blocks are in the wrong order: Keras stores them as i, f, c, o"),
        (dict(candidate_grad=False), "the candidate goes through a tanh: multiply its gradient by (1 - candidate**2)"),
    ]
    return [(_lstm_variant(*args, **flags), text) for flags, text in variants]


def _check_lstm_step_backward(fn: Callable[..., dict]) -> None:
    rng = np.random.default_rng(404)
    for b, d, h in [(3, 2, 4), (2, 5, 3), (1, 1, 2)]:
        args = (rng.normal(size=(b, d)), rng.normal(size=(b, h)), rng.normal(size=(b, h)),
                rng.normal(scale=0.6, size=(d, 4 * h)), rng.normal(scale=0.6, size=(h, 4 * h)),
                rng.normal(scale=0.3, size=4 * h), rng.normal(size=(b, h)), rng.normal(size=(b, h)))  # fmt: skip
        out = fn(*(a.copy() for a in args))
        assert isinstance(out, dict), f"return a dict with the keys {', '.join(_KEYS)}"
        missing = [key for key in _KEYS if key not in out]
        assert not missing, f"the dict lacks {', '.join(missing)}: return one gradient per input of the step"
        got = {key: np.asarray(out[key], dtype=float) for key in _KEYS}
        want = _lstm_step_backward_solution(*args)
        for key in _KEYS:
            if got[key].shape != want[key].shape:
                extra = " (transposed?)" if got[key].shape == want[key].shape[::-1] else ""
                raise AssertionError(f"the gradient for {key} has the shape of {key}, {want[key].shape}, "
                                     f"got {got[key].shape}{extra}")  # fmt: skip
        if all(_close(got[key], want[key]) for key in _KEYS):
            continue
        for variant, text in _lstm_mistakes(args):
            if all(_close(got[key], variant[key]) for key in _KEYS):
                raise AssertionError(text)
        wrong = [key for key in _KEYS if not _close(got[key], want[key])]
        errs = ", ".join(f"{key} {float(np.max(np.abs(got[key] - want[key]))):.3g}" for key in wrong)
        raise AssertionError(f"these gradients differ from the reference (which matches tf.GradientTape): {errs}")


lstm_step_backward = Exercise(
    "one LSTM step backward",
    _check_lstm_step_backward,
    hint_text="Level 1: redo the forward step and keep every intermediate (the four gate values and tanh(c_t)); then "
    "go back through the six equations of the lesson in reverse order. c_t receives gradient along two paths.\n"
    "Level 2: total dL/dc_t = upstream dc + dh * o * (1 - tanh(c_t)**2). From it: the gradients of i, f and the "
    "candidate (products: each gets the total times the other factor); the gradient of o is dh * tanh(c_t); "
    "dL/dc_prev is the total times f. Multiply each gate's gradient by its activation's derivative (sigmoid: "
    "s(1 - s), tanh: 1 - value**2), put the four blocks side by side in Keras' order i, f, c, o to get dL/dz "
    "(B, 4H); then dL/dz times the transposed kernels gives dx and dh_prev, and the transposed inputs times dL/dz "
    "give the weight gradients; the bias gradient sums dL/dz over the batch.",
    reference=_lstm_step_backward_solution,
)


def tape_lstm_step_gradients(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, dh, dc) -> dict[str, np.ndarray]:
    """The gradients of one LSTM step computed by ``tf.GradientTape`` on a float64 ``keras.layers.LSTMCell``.

    The loss is ``sum(h_t * dh) + sum(c_t * dc)``, so that dL/dh_t = dh and dL/dc_t = dc from outside the step.
    Returns the same keys as the exercise: x, h_prev, c_prev, kernel, recurrent_kernel, bias.

    Example:
        >>> g = tape_lstm_step_gradients(np.ones((1, 2)), np.zeros((1, 3)), np.zeros((1, 3)), np.zeros((2, 12)),
        ...                              np.zeros((3, 12)), np.zeros(12), np.ones((1, 3)), np.ones((1, 3)))
        >>> g["kernel"].shape, g["x"].shape
        ((2, 12), (1, 2))
    """
    import keras
    import tensorflow as tf

    units = recurrent_kernel.shape[0]
    if kernel.shape[1] != 4 * units or bias.shape != (4 * units,):
        raise ValueError(f"kernel must be (D, 4H) and bias (4H,) with H={units}; got {kernel.shape} and {bias.shape}")
    cell = keras.layers.LSTMCell(units, dtype="float64")
    cell.build((None, kernel.shape[0]))
    cell.set_weights([kernel, recurrent_kernel, bias])
    x, hp, cp = (tf.constant(a, dtype=tf.float64) for a in (x_t, h_prev, c_prev))
    with tf.GradientTape() as tape:
        tape.watch([x, hp, cp])
        h_t, (_, c_t) = cell(x, [hp, cp])
        loss = tf.reduce_sum(h_t * dh) + tf.reduce_sum(c_t * dc)
    grads = tape.gradient(loss, [x, hp, cp, cell.kernel, cell.recurrent_kernel, cell.bias])
    return {key: np.asarray(g) for key, g in zip(_KEYS, grads)}


# --- 4 (open). more epochs or more data for the default LSTM ---------------------------------------------------------


def _open_exercise(name: str, hint_text: str, model_answer: str) -> Exercise:
    """An exercise without an automatic check: ``hint()`` and ``solution()`` (the model answer) only."""

    def _no_check(answer: object) -> None:
        raise AssertionError(f"this exercise is open: nothing to check automatically. Compare your findings with "
                             f"the model answer: checks.{name}.solution()")  # fmt: skip

    return Exercise(name, _no_check, hint_text=hint_text, reference=model_answer)


_MORE_TRAINING_ANSWER = """Model answer (one run each, seed 0, the settings of train_memory: LSTM(32) with Keras' defaults, Adam 5e-3,
global_clipnorm 1.0, batch 32, T = 50; about 45 s of CPU for both runs).

- 24 epochs on the same 2,000 sequences (four times the budget): the training accuracy climbs steadily, 0.26 after
  epoch 1, 0.51 after epoch 12, 0.72 after epoch 24, but the test accuracy on the 1,000 new sequences stays at chance
  all along, between 0.23 and 0.26. The LSTM fits the training sequences without learning the rule (section 5 saw
  the start of this after 6 epochs).
- 8,000 sequences for 6 epochs (as many updates as 24 epochs on 2,000): training accuracy 0.31 after 6 epochs, test
  accuracy 0.25.

So neither four times the epochs nor four times the data made the default LSTM learn the 50-step task on this seed,
while a forget-gate bias of 4 learned it in 6 epochs on 2,000 sequences, on all three seeds (section 5). This rests
on one seed and on budgets up to 24 epochs; a longer run, or other seeds, could still get there.

Why it is hard: with f close to sigmoid(1) = 0.73 at the start, what the cell stored at step 0 is multiplied by about
0.73 at each of 50 steps (0.73 ** 50 is about 1.6e-7), and along the cell state so is the gradient that would teach
the gates to keep it (section 4 measured 1e3 to 1e5 times less gradient at step 1 than at step 51). What the model
can learn from is mostly the recent steps, and fitting those to the labels of 2,000 sequences does not carry over to
new ones."""

more_training = _open_exercise(
    "more_training",
    hint_text="Level 1: train_memory takes epochs=; watch the training AND the test accuracy after every epoch, "
    "not only at the end.\nLevel 2: build the model as train_memory does and pass validation_data=(x_te, y_te) to "
    "fit, for 24 epochs on the 2,000 sequences. Then, for the same number of updates, train 6 epochs on "
    "long_memory_task(8000, 50, seed=1). Compare the two curves with each other and with the forget bias of 4.",
    model_answer=_MORE_TRAINING_ANSWER,
)
