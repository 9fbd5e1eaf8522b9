"""The reference NumPy RNN against Keras, TensorFlow and finite differences."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils import numpy_rnn


def _random(b=3, t=7, d=4, h=5, seed=0):
    r = np.random.default_rng(seed)
    return (r.normal(size=(b, t, d)), r.normal(scale=0.5, size=(d, h)), r.normal(scale=0.5, size=(h, h)),
            r.normal(scale=0.1, size=h))  # fmt: skip


def test_forward_matches_keras_simple_rnn():
    x, w, u, b = _random()
    layer = keras.layers.SimpleRNN(5, return_sequences=True)
    layer.build((None, 7, 4))
    layer.set_weights([w.astype("float32"), u.astype("float32"), b.astype("float32")])
    ours, _ = numpy_rnn.rnn_forward(x, w, u, b)
    theirs = keras.ops.convert_to_numpy(layer(x.astype("float32")))
    assert np.max(np.abs(ours - theirs)) <= 1e-5


def test_backward_matches_gradient_tape():
    x, w, u, b = _random(seed=1)
    g = np.random.default_rng(2).normal(size=(3, 7, 5))  # dL/dh_t for L = sum(g * h)
    hs, cache = numpy_rnn.rnn_forward(x, w, u, b)
    grads = numpy_rnn.rnn_backward(g, cache)
    layer = keras.layers.SimpleRNN(5, return_sequences=True, dtype="float64")
    layer.build((None, 7, 4))
    layer.set_weights([w, u, b])
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(layer(xt) * g)
    tw = tape.gradient(loss, [*layer.trainable_weights, xt])
    for name, theirs in zip(["kernel", "recurrent_kernel", "bias", "x"], tw):
        ours = grads[name]
        rel = np.linalg.norm(ours - theirs.numpy()) / np.linalg.norm(ours)
        assert rel <= 1e-5, (name, rel)


def test_backward_matches_finite_differences():
    x, w, u, b = _random(b=2, t=4, d=2, h=3, seed=3)
    g = np.random.default_rng(4).normal(size=(2, 4, 3))

    def loss(w_, u_, b_):
        return float(np.sum(numpy_rnn.rnn_forward(x, w_, u_, b_)[0] * g))

    grads = numpy_rnn.rnn_backward(g, numpy_rnn.rnn_forward(x, w, u, b)[1])
    for name, arr in (("kernel", w), ("recurrent_kernel", u), ("bias", b)):
        num = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            saved = arr[idx]
            arr[idx] = saved + 1e-6
            plus = loss(w, u, b)
            arr[idx] = saved - 1e-6
            minus = loss(w, u, b)
            arr[idx] = saved
            num[idx] = (plus - minus) / 2e-6
        rel = np.linalg.norm(num - grads[name]) / np.linalg.norm(num)
        assert rel <= 1e-5, (name, rel)


def test_shape_errors_are_clear():
    x, w, u, b = _random()
    with pytest.raises(ValueError, match="features"):
        numpy_rnn.rnn_forward(x[..., :2], w, u, b)
    with pytest.raises(ValueError, match="batch, time, features"):
        numpy_rnn.rnn_forward(x[0], w, u, b)
    with pytest.raises(ValueError, match="recurrent_kernel"):
        numpy_rnn.rnn_forward(x, w, u[:2], b)
    with pytest.raises(ValueError, match="bias"):
        numpy_rnn.rnn_forward(x, w, u, b[:2])
    _, cache = numpy_rnn.rnn_forward(x, w, u, b)
    with pytest.raises(ValueError, match="dh_seq"):
        numpy_rnn.rnn_backward(np.zeros((1, 1, 1)), cache)


def test_clip_by_global_norm_matches_tensorflow():
    r = np.random.default_rng(5)
    grads = [r.normal(size=(3, 4)) * 9, r.normal(size=(4,)) * 9]
    for c in (0.5, 3.0, 1e9):
        ours, norm = numpy_rnn.clip_by_global_norm(grads, c)
        theirs, tnorm = tf.clip_by_global_norm([tf.constant(g) for g in grads], c)
        assert abs(norm - float(tnorm)) < 1e-9 * norm
        assert all(np.allclose(a, t.numpy()) for a, t in zip(ours, theirs))
    with pytest.raises(ValueError, match="positive"):
        numpy_rnn.clip_by_global_norm(grads, 0)


@pytest.mark.parametrize("d,h", [(1, 1), (1, 24), (7, 3)])
def test_param_count_matches_keras(d, h):
    layer = keras.layers.SimpleRNN(h)
    layer.build((None, 5, d))
    assert numpy_rnn.simple_rnn_param_count(d, h) == layer.count_params()


def _keras_layer(layer, d, weights):
    layer.build((None, 6, d))
    layer.set_weights([w.astype("float32") for w in weights])
    return layer


def test_lstm_matches_keras():
    r = np.random.default_rng(7)
    x = r.normal(size=(3, 6, 4))
    w = [r.normal(scale=0.5, size=(4, 20)), r.normal(scale=0.5, size=(5, 20)), r.normal(scale=0.5, size=20)]
    layer = _keras_layer(keras.layers.LSTM(5, return_sequences=True), 4, w)
    ours, _ = numpy_rnn.lstm_forward(x, *w)
    assert np.max(np.abs(ours - keras.ops.convert_to_numpy(layer(x.astype("float32"))))) <= 1e-5


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_matches_keras(reset_after):
    r = np.random.default_rng(8)
    x = r.normal(size=(3, 6, 4))
    bias_shape = (2, 15) if reset_after else (15,)
    w = [r.normal(scale=0.5, size=(4, 15)), r.normal(scale=0.5, size=(5, 15)), r.normal(scale=0.5, size=bias_shape)]
    layer = _keras_layer(keras.layers.GRU(5, return_sequences=True, reset_after=reset_after), 4, w)
    ours = numpy_rnn.gru_forward(x, *w, reset_after=reset_after)
    assert np.max(np.abs(ours - keras.ops.convert_to_numpy(layer(x.astype("float32"))))) <= 1e-5


@pytest.mark.parametrize("d,h", [(1, 1), (8, 32), (3, 7)])
def test_gated_param_counts_match_keras(d, h):
    for layer, want in [
        (keras.layers.LSTM(h), numpy_rnn.lstm_param_count(d, h)),
        (keras.layers.GRU(h), numpy_rnn.gru_param_count(d, h)),
        (keras.layers.GRU(h, reset_after=False), numpy_rnn.gru_param_count(d, h, reset_after=False)),
    ]:
        layer.build((None, 4, d))
        assert layer.count_params() == want


def test_gated_shape_errors():
    x = np.zeros((1, 2, 3))
    with pytest.raises(ValueError, match="4H"):
        numpy_rnn.lstm_forward(x, np.zeros((3, 8)), np.zeros((2, 4)), np.zeros(8))
    with pytest.raises(ValueError, match="3H"):
        numpy_rnn.gru_forward(x, np.zeros((3, 5)), np.zeros((2, 6)), np.zeros((2, 6)))
    with pytest.raises(ValueError, match=r"\(2, 3H\)"):
        numpy_rnn.gru_forward(x, np.zeros((3, 6)), np.zeros((2, 6)), np.zeros(6))
    with pytest.raises(ValueError, match=r"\(3H,\)"):
        numpy_rnn.gru_forward(x, np.zeros((3, 6)), np.zeros((2, 6)), np.zeros((2, 6)), reset_after=False)


def test_hand_traced_lstm():
    x = np.array([2, -1, 1, 2, -1], dtype=float)
    gates = np.array([[999, 999, -999, 999, 999], [999, 999, 999, -999, -999], [999, -999, 999, 999, -999]])
    inputs = np.stack([x, *gates], axis=1)[None]  # (1, 5, 4): x, input-gate, forget-gate, output-gate drivers
    kernel = np.zeros((4, 4))
    kernel[0, 2] = kernel[1, 0] = kernel[2, 1] = kernel[3, 3] = 1.0  # order i, f, c, o
    h, c = numpy_rnn.lstm_forward(inputs, kernel, np.zeros((1, 4)), np.zeros(4), activation="linear")
    assert c[0, :, 0].tolist() == [2, 1, 1, 2, -1]
    assert h[0, :, 0].tolist() == [2, 0, 1, 2, 0]
