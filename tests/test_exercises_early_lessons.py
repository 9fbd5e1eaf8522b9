"""Exercises of lessons 01 (RNN basics) and 02 (LSTM and GRU): every reference passes its checker, agrees with
Keras / TensorFlow, and each typical wrong answer, written the way a learner would write it, gets its own message."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils import numpy_rnn
from course_utils.checks import lesson01, lesson02

EXERCISES = [lesson01.classifier_params, lesson01.grad_initial_state, lesson01.truncated_bptt,
             lesson02.stack_params, lesson02.masked_gru, lesson02.lstm_step_backward]  # fmt: skip


def message(exercise, answer) -> str:
    result = exercise.evaluate(answer)
    assert not result.passed, f"{exercise.name}: a wrong answer passed"
    return result.message


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.name)
def test_references_pass(exercise):
    result = exercise.evaluate(exercise.reference)
    assert result.passed, result.message


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.name)
def test_hints_have_two_levels_and_no_code(exercise, capsys):
    assert exercise.hint_text.startswith("Level 1: ") and "\nLevel 2: " in exercise.hint_text
    assert "def " not in exercise.hint_text and "return " not in exercise.hint_text
    exercise.hint()
    exercise.solution()
    out = capsys.readouterr().out
    assert f"Hint ({exercise.name})" in out and "def " in out


def test_stubs_and_crashes_are_reported():
    def stub(*args):
        raise NotImplementedError

    for ex in EXERCISES:
        assert "not written yet" in message(ex, stub)
        assert "no answer" in message(ex, None)
        assert "raised ZeroDivisionError" in message(ex, lambda *a: 1 / 0)


# --- lesson 01, exercise 1: parameters of a many-to-one classifier ---------------------------------------------


def test_classifier_params_reference_matches_keras():
    for steps, d, h, k in [(100, 1, 24, 1), (7, 3, 5, 2)]:
        model = keras.Sequential([keras.Input((steps, d)), keras.layers.SimpleRNN(h), keras.layers.Dense(k)])
        assert lesson01.classifier_params.reference(steps, d, h, k) == model.count_params()


def test_classifier_params_mistakes_are_named():
    ex = lesson01.classifier_params
    assert "same W, U and b serve every step" in message(ex, lambda s, d, h, k: s * (d * h + h * h + h) + h * k + k)
    assert "shared over time" in message(ex, lambda s, d, h, k: s * (d * h + h * h + h + h * k + k))
    assert "SimpleRNN's bias is missing" in message(ex, lambda s, d, h, k: d * h + h * h + h * k + k)
    assert "Dense layer's bias is missing" in message(ex, lambda s, d, h, k: d * h + h * h + h + h * k)
    assert "units x units" in message(ex, lambda s, d, h, k: 2 * d * h + h + h * k + k)
    assert "LAST state" in message(ex, lambda s, d, h, k: d * h + h * h + h + s * h * k + k)
    assert "whole number" in message(ex, lambda s, d, h, k: float(d * h + h * h + h + h * k + k))
    assert "parameters, you returned 0" in message(ex, lambda s, d, h, k: 0)


# --- lesson 01, exercise 2: the gradient reaching the initial state ----------------------------------------------


def _tape_grad_h0(x, h0, kernel, u, bias, v):
    layer = keras.layers.SimpleRNN(u.shape[0], dtype="float64")
    layer.build((None, *x.shape[1:]))
    layer.set_weights([kernel, u, bias])
    h0_tf = tf.constant(h0)
    with tf.GradientTape() as tape:
        tape.watch(h0_tf)
        loss = tf.reduce_sum(layer(tf.constant(x), initial_state=h0_tf) @ tf.constant(v[:, None]))
    return tape.gradient(loss, h0_tf).numpy()


def test_grad_h0_reference_matches_the_tape():
    rng = np.random.default_rng(0)
    x, h0 = rng.normal(size=(3, 6, 2)), rng.normal(size=(3, 4))
    args = (x, h0, rng.normal(scale=0.5, size=(2, 4)), rng.normal(scale=0.6, size=(4, 4)), rng.normal(size=4),
            rng.normal(size=4))  # fmt: skip
    got, want = lesson01.grad_initial_state.reference(*args), _tape_grad_h0(*args)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def _states(x, h0, kernel, u, bias):
    h, states = h0, [h0]
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ u + bias)
        states.append(h)
    return states  # h_0, h_1, ..., h_T


def test_grad_h0_mistakes_are_named():
    ex = lesson01.grad_initial_state

    def no_tanh_derivative(x, h0, kernel, u, bias, v):
        dh = np.tile(v, (len(x), 1))
        for _ in range(x.shape[1]):
            dh = dh @ u.T
        return dh

    def not_transposed(x, h0, kernel, u, bias, v):
        states = _states(x, h0, kernel, u, bias)
        dh = np.tile(v, (len(x), 1))
        for h_t in reversed(states[1:]):
            dh = (dh * (1 - h_t**2)) @ u
        return dh

    def forward_from_zero(x, h0, kernel, u, bias, v):
        states = _states(x, np.zeros_like(h0), kernel, u, bias)
        dh = np.tile(v, (len(x), 1))
        for h_t in reversed(states[1:]):
            dh = (dh * (1 - h_t**2)) @ u.T
        return dh

    def stops_at_h1(x, h0, kernel, u, bias, v):
        states = _states(x, h0, kernel, u, bias)
        dh = np.tile(v, (len(x), 1))
        for h_t in reversed(states[2:]):
            dh = (dh * (1 - h_t**2)) @ u.T
        return dh

    def lagged_derivative(x, h0, kernel, u, bias, v):
        states = _states(x, h0, kernel, u, bias)
        dh = np.tile(v, (len(x), 1))
        for h_prev in reversed(states[:-1]):
            dh = (dh * (1 - h_prev**2)) @ u.T
        return dh

    def summed_over_batch(x, h0, kernel, u, bias, v):
        return ex.reference(x, h0, kernel, u, bias, v).sum(axis=0)

    def averaged(x, h0, kernel, u, bias, v):
        return ex.reference(x, h0, kernel, u, bias, v) / len(x)

    assert "tanh derivative is missing" in message(ex, no_tanh_derivative)
    assert "TRANSPOSED" in message(ex, not_transposed)
    assert "starts from zeros" in message(ex, forward_from_zero)
    assert "that is dL/dh_1" in message(ex, stops_at_h1)
    assert "OUTPUT h_t" in message(ex, lagged_derivative)
    assert "do not sum or average over the batch" in message(ex, summed_over_batch)
    assert "SUM over the batch" in message(ex, averaged)
    assert "differs from the reference" in message(ex, lambda *a: ex.reference(*a) + 1e-3)


# --- lesson 01, exercise 3: truncated BPTT -------------------------------------------------------------------------


def _tape_truncated(x, W, U, b, dL_dh, k):
    """Chunks of k steps through a Keras SimpleRNN; the state is carried with tf.stop_gradient between chunks."""
    layer = keras.layers.SimpleRNN(W.shape[1], return_sequences=True, dtype="float64")
    layer.build((None, None, x.shape[2]))
    layer.set_weights([W, U, b])
    state = tf.zeros((x.shape[0], W.shape[1]), dtype=tf.float64)
    with tf.GradientTape() as tape:
        loss = tf.constant(0.0, dtype=tf.float64)
        for start in range(0, x.shape[1], k):
            hs = layer(tf.constant(x[:, start:start + k]), initial_state=tf.stop_gradient(state))
            loss += tf.reduce_sum(hs * dL_dh[:, start:start + k])
            state = hs[:, -1]
    return dict(zip("WUb", (g.numpy() for g in tape.gradient(loss, layer.trainable_weights))))


def _inputs(seed=1, b=2, t=7, d=3, h=4):
    rng = np.random.default_rng(seed)
    x, W = rng.normal(size=(b, t, d)), rng.normal(scale=0.5, size=(d, h))
    U, bias = rng.normal(scale=0.6, size=(h, h)), rng.normal(scale=0.1, size=h)
    hs, _ = numpy_rnn.rnn_forward(x, W, U, bias)
    return x, hs, W, U, bias, rng.normal(size=(b, t, h))


@pytest.mark.parametrize("k", [1, 3, 7])
def test_truncated_reference_matches_keras_in_chunks(k):
    x, hs, W, U, bias, dL_dh = _inputs()
    got = lesson01.truncated_bptt.reference(x, hs, W, U, dL_dh, k)
    want = _tape_truncated(x, W, U, bias, dL_dh, k)
    for key in "WUb":
        np.testing.assert_allclose(got[key], want[key], rtol=1e-9, atol=1e-12)


def _learner_bptt(x, hs, W, U, dL_dh, stop_after=lambda t: False, zero_prev=lambda t: False, first_t=0):
    batch, steps, _ = x.shape
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros(W.shape[1])
    dh_next = np.zeros((batch, W.shape[1]))
    for t in reversed(range(first_t, steps)):
        da = (dL_dh[:, t] + dh_next) * (1 - hs[:, t] ** 2)
        h_prev = np.zeros((batch, W.shape[1])) if t == 0 or zero_prev(t) else hs[:, t - 1]
        dW += x[:, t].T @ da
        dU += h_prev.T @ da
        db += da.sum(axis=0)
        dh_next = 0 * dh_next if stop_after(t) else da @ U.T
    return {"W": dW, "U": dU, "b": db}


def test_truncated_mistakes_are_named():
    ex = lesson01.truncated_bptt
    full = lambda x, hs, W, U, g, k: _learner_bptt(x, hs, W, U, g)  # noqa: E731
    late = lambda x, hs, W, U, g, k: _learner_bptt(x, hs, W, U, g, stop_after=lambda t: (t + 1) % k == 0)  # noqa: E731
    from_end = lambda x, hs, W, U, g, k: _learner_bptt(  # noqa: E731
        x, hs, W, U, g, stop_after=lambda t: (x.shape[1] - t) % k == 0)
    zero_prev = lambda x, hs, W, U, g, k: _learner_bptt(  # noqa: E731
        x, hs, W, U, g, stop_after=lambda t: t % k == 0, zero_prev=lambda t: t % k == 0)
    last_chunk = lambda x, hs, W, U, g, k: _learner_bptt(  # noqa: E731
        x, hs, W, U, g, stop_after=lambda t: t % k == 0, first_t=(x.shape[1] - 1) // k * k)

    def sliding(x, hs, W, U, g, k):
        total = {key: 0.0 for key in "WUb"}
        for s in range(x.shape[1]):  # each loss term alone, back k steps
            only_s = np.zeros_like(g)
            only_s[:, s] = g[:, s]
            part = _learner_bptt(x, hs, W, U, only_s, stop_after=lambda t: t == s - k + 1)
            total = {key: total[key] + part[key] for key in "WUb"}
        return total

    assert "full BPTT" in message(ex, full)
    assert "one step off" in message(ex, late)
    assert "counted from the end" in message(ex, from_end)
    assert "carried from the previous chunk" in message(ex, zero_prev)
    assert "only the last chunk" in message(ex, last_chunk)
    assert "sliding window" in message(ex, sliding)
    assert 'keys "W", "U" and "b"' in message(ex, lambda *a: [0, 0, 0])
    assert "has the shape of U" in message(ex, lambda x, hs, W, U, g, k: {**ex.reference(x, hs, W, U, g, k), "U": 0 * W})


# --- lesson 02, exercise 1: stacked and bidirectional parameters ----------------------------------------------------


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_stack_params_reference_matches_keras(kind):
    layer_cls = getattr(keras.layers, kind)
    for d, h, n, bi in [(3, 5, 2, False), (8, 16, 3, True)]:
        layers = []
        for i in range(n):
            layer = layer_cls(h, return_sequences=i < n - 1)
            layers.append(keras.layers.Bidirectional(layer) if bi else layer)
        model = keras.Sequential([keras.Input((7, d)), *layers])
        assert lesson02.stack_params.reference(kind, d, h, n, bi) == model.count_params()


def _learner_count(kind, d, h, n, bi, next_input="states", copies=2, gru_extra=True, same_for_all=False):
    blocks = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[kind]
    total, features = 0, d
    for _ in range(n):
        one = blocks * (features * h + h * h + h) + (3 * h if kind == "GRU" and gru_extra else 0)
        total += (copies if bi else 1) * one
        if not same_for_all:
            features = {"states": (2 * h if bi else h), "units": h, "input": d}[next_input]
    return total


def test_stack_params_mistakes_are_named():
    ex = lesson02.stack_params
    assert "not the input features" in message(ex, lambda *a: _learner_count(*a, next_input="input"))
    assert "concatenates its two directions" in message(ex, lambda *a: _learner_count(*a, next_input="units"))
    assert "twice its parameters" in message(ex, lambda *a: _learner_count(*a, copies=1))
    assert "two independent copies of the layer, and" in message(ex, lambda *a: _learner_count(*a, copies=1, next_input="units"))
    assert "second bias vector" in message(ex, lambda *a: _learner_count(*a, gru_extra=False))
    assert "whole number" in message(ex, lambda *a: float(_learner_count(*a)))
    assert "you returned 0" in message(ex, lambda *a: 0)


# --- lesson 02, exercise 2: a GRU that honours a mask ---------------------------------------------------------------


def test_masked_gru_reference_matches_keras():
    rng = np.random.default_rng(3)
    b, t, d, h = 4, 6, 3, 5
    x = rng.normal(size=(b, t, d))
    mask = np.array([[1, 1, 1, 1, 0, 0], [0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1], [1, 0, 1, 1, 0, 1]], dtype=bool)
    layer = keras.layers.GRU(h, dtype="float64")
    layer.build((None, t, d))
    weights = [rng.normal(scale=0.5, size=tuple(w.shape)) for w in layer.weights]
    layer.set_weights(weights)
    want = keras.ops.convert_to_numpy(layer(x, mask=mask))
    np.testing.assert_allclose(lesson02.masked_gru.reference(x, mask, *weights), want, rtol=1e-9, atol=1e-12)


def test_masked_gru_mistakes_are_named():
    ex = lesson02.masked_gru
    step = numpy_rnn.gru_step

    def run(x, mask, k, u, b, update):
        h = np.zeros((x.shape[0], u.shape[0]))
        for t in range(x.shape[1]):
            h = update(t, h, x, mask, k, u, b)
        return h

    def ignores_mask(x, mask, k, u, b):
        return run(x, mask, k, u, b, lambda t, h, x, m, k, u, b: step(x[:, t], h, k, u, b))

    def zero_input(x, mask, k, u, b):
        return run(x, mask, k, u, b, lambda t, h, x, m, k, u, b: step(x[:, t] * m[:, t, None], h, k, u, b))

    def resets(x, mask, k, u, b):
        return run(x, mask, k, u, b, lambda t, h, x, m, k, u, b: step(x[:, t], h, k, u, b) * m[:, t, None])

    def first_row_mask(x, mask, k, u, b):
        return run(x, mask, k, u, b, lambda t, h, x, m, k, u, b: step(x[:, t], h, k, u, b) if m[0, t] else h)

    def stops_at_padding(x, mask, k, u, b):
        rows = []
        for i in range(len(x)):
            h = np.zeros((1, u.shape[0]))
            for t in range(x.shape[1]):
                if not mask[i, t]:
                    break
                h = step(x[i : i + 1, t], h, k, u, b)
            rows.append(h[0])
        return np.stack(rows)

    def all_states(x, mask, k, u, b):
        h, states = np.zeros((x.shape[0], u.shape[0])), []
        for t in range(x.shape[1]):
            h = np.where(mask[:, t, None], step(x[:, t], h, k, u, b), h)
            states.append(h)
        return np.stack(states, axis=1)

    assert "read the padded steps too" in message(ex, ignores_mask)
    assert "not a step with a zero input" in message(ex, zero_input)
    assert "does not reset it" in message(ex, resets)
    assert "its own mask" in message(ex, first_row_mask)
    assert "with pre-padding" in message(ex, stops_at_padding)
    assert "only the last state" in message(ex, all_states)
    assert "differ from keras.layers.GRU" in message(ex, lambda *a: ex.reference(*a) + 1e-3)


# --- lesson 02, exercise 3: one LSTM step backward ------------------------------------------------------------------


def _lstm_args(seed=5, b=3, d=2, h=4):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(b, d)), rng.normal(size=(b, h)), rng.normal(size=(b, h)),
            rng.normal(scale=0.6, size=(d, 4 * h)), rng.normal(scale=0.6, size=(h, 4 * h)),
            rng.normal(scale=0.3, size=4 * h), rng.normal(size=(b, h)), rng.normal(size=(b, h)))  # fmt: skip


def test_lstm_backward_reference_matches_the_tape():
    for seed, (b, d, h) in enumerate([(3, 2, 4), (1, 5, 3)]):
        args = _lstm_args(seed, b, d, h)
        got = lesson02.lstm_step_backward.reference(*args)
        want = lesson02.tape_lstm_step_gradients(*args)
        for key in want:
            np.testing.assert_allclose(got[key], want[key], rtol=1e-9, atol=1e-12, err_msg=key)


def test_tape_helper_rejects_wrong_shapes():
    args = list(_lstm_args())
    args[5] = np.zeros(3)
    with pytest.raises(ValueError, match="bias"):
        lesson02.tape_lstm_step_gradients(*args)


def _learner_lstm_backward(x_t, h_prev, c_prev, W, U, b, dh, dc, *, mistake=None):
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    zi, zf, zc, zo = np.split(x_t @ W + h_prev @ U + b, 4, axis=1)
    i, f, g, o = sig(zi), sig(zf), np.tanh(zc), sig(zo)
    c = f * c_prev + i * g
    dct = dc + dh * o * (1 - np.tanh(c) ** 2)
    if mistake == "no path through h":
        dct = dc
    if mistake == "no upstream dc":
        dct = dh * o * (1 - np.tanh(c) ** 2)
    dsig = (lambda s: 1 - s**2) if mistake == "tanh derivative for gates" else (lambda s: s * (1 - s))
    dzi, dzf, dzc, dzo = dct * g * dsig(i), dct * c_prev * dsig(f), dct * i * (1 - g**2), dh * np.tanh(c) * dsig(o)
    if mistake == "no candidate derivative":
        dzc = dct * i
    blocks = [dzi, dzf, dzo, dzc] if mistake == "order i f o c" else [dzi, dzf, dzc, dzo]
    dz = np.hstack(blocks)
    dc_prev = dct if mistake == "no forget gate" else dct * f
    return {"x": dz @ W.T, "h_prev": dz @ U.T, "c_prev": dc_prev, "kernel": x_t.T @ dz,
            "recurrent_kernel": h_prev.T @ dz, "bias": dz.sum(0)}  # fmt: skip


def test_lstm_backward_mistakes_are_named():
    ex = lesson02.lstm_step_backward

    def with_mistake(name):
        return lambda *a: _learner_lstm_backward(*a, mistake=name)

    assert ex.evaluate(with_mistake(None)).passed
    assert "also comes through h_t" in message(ex, with_mistake("no path through h"))
    assert "upstream dc" in message(ex, with_mistake("no upstream dc"))
    assert "multiplies the gradient by the forget gate" in message(ex, with_mistake("no forget gate"))
    assert "derivative of a sigmoid" in message(ex, with_mistake("tanh derivative for gates"))
    assert "i, f, c, o" in message(ex, with_mistake("order i f o c"))
    assert "1 - candidate**2" in message(ex, with_mistake("no candidate derivative"))

    def transposed_kernel(*a):
        return {**ex.reference(*a), "kernel": ex.reference(*a)["kernel"].T}

    assert "(transposed?)" in message(ex, transposed_kernel)
    assert "lacks c_prev" in message(ex, lambda *a: {k: v for k, v in ex.reference(*a).items() if k != "c_prev"})
    assert "differ from the reference" in message(ex, lambda *a: {**ex.reference(*a), "bias": ex.reference(*a)["bias"] + 1})


# --- lesson 02, exercise 4 (open): more epochs or more data -------------------------------------------------------


def test_open_exercise_has_hints_and_a_model_answer_with_numbers(capsys):
    ex = lesson02.more_training
    assert "exercise is open" in message(ex, "my findings")
    assert ex.hint_text.startswith("Level 1: ") and "\nLevel 2: " in ex.hint_text
    ex.solution()
    out = capsys.readouterr().out
    assert "seed 0" in out and "0.72" in out and "0.23 and 0.26" in out
