import math

import keras
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils import transformer as tr

D_MODEL, KEY_DIM, B, T, S = 8, 4, 2, 5, 6


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _rand(*shape, seed=0, scale=1.0):
    return (scale * np.random.default_rng(seed).normal(size=shape)).astype("float32")


def _max_diff(a, b):
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))


@pytest.fixture(scope="module")
def mha_layers():
    """One MultiHeadAttention layer per head count, built once, with random (non-zero) kernels AND biases."""
    layers = {}
    for heads in (1, 2, 4):
        layer = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=KEY_DIM, value_dim=KEY_DIM + 1)
        layer.build((B, T, D_MODEL), (B, S, D_MODEL))
        layer.set_weights([_rand(*w.shape, seed=10 * heads + i, scale=0.5) for i, w in enumerate(layer.weights)])
        layers[heads] = layer
    return layers


# ---------------------------------------------------------------------------------------------- scaled dot-product


def test_sdpa_equals_a_hand_computation():
    q = np.array([[1.0, 1.0]])  # (Tq=1, d=2)
    k = np.array([[1.0, 1.0], [1.0, -1.0], [0.0, 0.0]])  # scores q.k = 2, 0, 0; divided by sqrt(2)
    v = np.array([[1.0, 0.0], [0.0, 1.0], [3.0, 3.0]])
    e = math.exp(2 / math.sqrt(2))
    expected_w = np.array([[e, 1.0, 1.0]]) / (e + 2)
    out, w = tr.scaled_dot_product_attention(q, k, v)
    np.testing.assert_allclose(w, expected_w, rtol=1e-12)
    np.testing.assert_allclose(out, [[(e + 3) / (e + 2), 4 / (e + 2)]], rtol=1e-12)
    # mask out the last key: weights e / (e + 1), 1 / (e + 1), exactly 0
    out, w = tr.scaled_dot_product_attention(q, k, v, mask=np.array([True, True, False]))
    np.testing.assert_allclose(w, [[e / (e + 1), 1 / (e + 1), 0.0]], rtol=1e-12)
    assert w[0, 2] == 0.0
    np.testing.assert_allclose(out, [[e / (e + 1), 1 / (e + 1)]], rtol=1e-12)


def test_sdpa_softmax_is_stable_for_huge_scores():
    q = np.array([[1000.0, 0.0]])
    k = np.array([[1000.0, 0.0], [999.0, 0.0]])  # scores about 7e5: a naive exp overflows to inf
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(q @ k.T / math.sqrt(2))
        assert not np.all(np.isfinite(naive / naive.sum()))
    _, w = tr.scaled_dot_product_attention(q, k, np.eye(2))
    assert np.all(np.isfinite(w))
    np.testing.assert_allclose(w, [[1.0, 0.0]], atol=1e-12)


def test_sdpa_equals_keras_attention_with_scale_set_to_one_over_sqrt_d():
    # keras.layers.Attention(use_scale=True) MULTIPLIES the scores by a learned scalar that starts at 1, and
    # use_scale=False does not scale at all: neither is 1/sqrt(d) until we set the scalar to it.
    d = 4
    q, k, v = _rand(B, T, d, seed=1), _rand(B, S, d, seed=2), _rand(B, S, 3, seed=3)
    value_mask = np.array([[True] * S, [True] * 3 + [False] * (S - 3)])
    layer = keras.layers.Attention(use_scale=True)
    layer.build([q.shape, v.shape, k.shape])
    layer.set_weights([np.array(1 / math.sqrt(d), "float32")])
    causal = np.arange(S)[None, :] <= np.arange(T)[:, None]  # (T, S): what use_causal_mask=True builds
    for name, our_mask, kwargs in (
        ("no mask", None, {}),
        ("value mask", value_mask[:, None, :], {"mask": [None, value_mask]}),
        ("causal", causal, {"use_causal_mask": True}),
    ):
        ours_out, ours_w = tr.scaled_dot_product_attention(q, k, v, mask=our_mask)
        theirs_out, theirs_w = layer([q, v, k], return_attention_scores=True, **kwargs)
        assert _max_diff(ours_out, _np(theirs_out)) < 1e-5, name
        assert _max_diff(ours_w, _np(theirs_w)) < 1e-5, name
    # the default Attention() is unscaled: it equals ours on q * sqrt(d), and differs on q
    unscaled_out = _np(keras.layers.Attention()([q, v, k]))
    assert _max_diff(unscaled_out, tr.scaled_dot_product_attention(q * math.sqrt(d), k, v)[0]) < 1e-5
    assert _max_diff(unscaled_out, tr.scaled_dot_product_attention(q, k, v)[0]) > 1e-2


def test_sdpa_equals_keras_ops_dot_product_attention_with_heads_and_mask():
    # keras.ops.dot_product_attention: (B, T, heads, d) layout, default scale 1/sqrt(d), mask True = attend
    q, k, v = _rand(B, T, 3, 4, seed=4), _rand(B, S, 3, 4, seed=5), _rand(B, S, 3, 2, seed=6)
    mask = np.broadcast_to(tr.padding_mask([S, 2], S)[:, None], (B, 3, T, S))  # (B, heads, T, S)
    theirs = _np(keras.ops.dot_product_attention(q, k, v, mask=mask))
    heads_first = [np.swapaxes(a, 1, 2) for a in (q, k, v)]  # (B, heads, T, d)
    ours, _ = tr.scaled_dot_product_attention(*heads_first, mask=mask)
    assert _max_diff(np.swapaxes(ours, 1, 2), theirs) < 1e-5


def test_sdpa_broadcasts_leading_dimensions_and_mask():
    q, k, v = _rand(2, 3, T, 4, seed=7), _rand(1, 3, T, 4, seed=8), _rand(T, 2, seed=9)
    out, w = tr.scaled_dot_product_attention(q, k, v, mask=tr.causal_mask(T))
    assert out.shape == (2, 3, T, 2) and w.shape == (2, 3, T, T)
    out_1, _ = tr.scaled_dot_product_attention(q[1, 2], k[0, 2], v, mask=tr.causal_mask(T))
    np.testing.assert_allclose(out[1, 2], out_1, rtol=1e-12)
    assert np.all(w[..., ~tr.causal_mask(T)] == 0.0)
    np.testing.assert_allclose(w.sum(-1), 1.0, rtol=1e-12)


# ---------------------------------------------------------------------------------------------- masks


def test_causal_mask():
    m = tr.causal_mask(4)
    assert m.dtype == bool and m.shape == (4, 4)
    assert m.astype(int).tolist() == [[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]]
    assert tr.causal_mask(1).tolist() == [[True]]


def test_padding_masks():
    m = tr.padding_mask(np.array([1, 3, 4]), 4)
    assert m.dtype == bool and m.shape == (3, 1, 4)
    assert m[:, 0].astype(int).tolist() == [[1, 0, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]]
    tokens = np.array([[5, 2, 0, 0], [3, 3, 3, 9], [7, 0, 0, 0]])
    mt = tr.padding_mask_from_tokens(tokens)
    assert mt.shape == (3, 1, 4) and mt.dtype == bool
    np.testing.assert_array_equal(mt, tr.padding_mask([2, 4, 1], 4))
    np.testing.assert_array_equal(tr.padding_mask_from_tokens(tokens + 1, pad_id=1), mt)
    # the same as the mask Keras derives with Embedding(mask_zero=True)
    keras_mask = _np(keras.layers.Embedding(10, 2, mask_zero=True).compute_mask(tokens))
    np.testing.assert_array_equal(mt[:, 0], keras_mask)


# ---------------------------------------------------------------------------------------------- multi-head


@pytest.mark.parametrize("heads", [1, 2, 4])
def test_multi_head_attention_equals_keras(mha_layers, heads):
    layer = mha_layers[heads]
    weights = tr.mha_weights_from_keras(layer)
    x_q, x_kv = _rand(B, T, D_MODEL, seed=20), _rand(B, S, D_MODEL, seed=21)
    tokens = np.array([[4, 4, 4, 4, 0, 0], [4, 4, 0, 0, 0, 0]])
    pad = tr.padding_mask_from_tokens(tokens)  # (B, 1, S)
    causal = tr.causal_mask(T)
    cases = [  # (name, x_q, x_kv, our mask, Keras call arguments)
        ("no mask, cross", x_q, x_kv, None, {}),
        ("padding mask, cross", x_q, x_kv, pad, {"attention_mask": pad}),
        ("padding mask as value_mask", x_q, x_kv, pad, {"value_mask": tokens != 0}),
        ("causal mask, self", x_q, x_q, causal, {"attention_mask": causal[None]}),
        ("use_causal_mask, self", x_q, x_q, causal, {"use_causal_mask": True}),
        ("padding and causal, self", x_q, x_q, pad[:, :, :T] & causal,
         {"attention_mask": pad[:, :, :T], "use_causal_mask": True}),
    ]  # fmt: skip
    for name, q_in, kv_in, mask, kwargs in cases:
        ours_out, ours_w = tr.multi_head_attention(q_in, kv_in, weights, heads, mask=mask)
        assert ours_w.shape == (B, heads, T, kv_in.shape[1]), name
        # without scores Keras takes its fused dot_product_attention path, with them its einsum path: test both
        fused = _np(layer(q_in, kv_in, **kwargs))
        theirs_out, theirs_w = layer(q_in, kv_in, return_attention_scores=True, **kwargs)
        assert _max_diff(ours_out, fused) < 1e-5, name
        assert _max_diff(ours_out, _np(theirs_out)) < 1e-5, name
        assert _max_diff(ours_w, _np(theirs_w)) < 1e-5, name


def test_a_wrong_mask_is_detected(mha_layers):
    layer = mha_layers[2]
    weights = tr.mha_weights_from_keras(layer)
    x = _rand(B, T, D_MODEL, seed=22)
    theirs_out, theirs_w = (_np(a) for a in layer(x, x, use_causal_mask=True, return_attention_scores=True))
    right_out, right_w = tr.multi_head_attention(x, x, weights, 2, mask=tr.causal_mask(T))
    assert _max_diff(right_out, theirs_out) < 1e-5 and _max_diff(right_w, theirs_w) < 1e-5
    for wrong in (tr.causal_mask(T).T, None, np.eye(T, dtype=bool) | ~tr.causal_mask(T)):
        out, w = tr.multi_head_attention(x, x, weights, 2, mask=wrong)
        assert _max_diff(out, theirs_out) > 1e-2
        assert _max_diff(w, theirs_w) > 1e-2
    # a padding mask one position too long on the second example (2 keys instead of 1)
    pad = tr.padding_mask([3, 1], T)
    theirs = _np(layer(x, x, attention_mask=pad))
    assert _max_diff(tr.multi_head_attention(x, x, weights, 2, mask=pad)[0], theirs) < 1e-5
    assert _max_diff(tr.multi_head_attention(x, x, weights, 2, mask=tr.padding_mask([3, 2], T))[0], theirs) > 1e-2


def test_a_wrong_scale_or_missing_bias_is_detected(mha_layers):
    layer = mha_layers[4]
    weights = tr.mha_weights_from_keras(layer)
    x = _rand(B, T, D_MODEL, seed=23)
    theirs = _np(layer(x, x))
    assert _max_diff(tr.multi_head_attention(x, x, weights, 4)[0], theirs) < 1e-5
    unscaled = dict(weights, query_kernel=weights["query_kernel"] * math.sqrt(KEY_DIM),
                    query_bias=weights["query_bias"] * math.sqrt(KEY_DIM))  # fmt: skip
    assert _max_diff(tr.multi_head_attention(x, x, unscaled, 4)[0], theirs) > 1e-2
    no_output_bias = dict(weights, output_bias=np.zeros_like(weights["output_bias"]))
    assert _max_diff(tr.multi_head_attention(x, x, no_output_bias, 4)[0], theirs) > 1e-2


def test_mha_weights_from_keras_and_a_layer_without_biases():
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=5, output_shape=7)
    x_q, x_kv = _rand(1, 4, 6, seed=24), _rand(1, 3, 2, seed=25)
    layer(x_q, x_kv)
    w = tr.mha_weights_from_keras(layer)
    assert list(w) == list(tr.MHA_WEIGHT_NAMES)
    assert {n: a.shape for n, a in w.items()} == {
        "query_kernel": (6, 2, 3), "query_bias": (2, 3), "key_kernel": (2, 2, 3), "key_bias": (2, 3),
        "value_kernel": (2, 2, 5), "value_bias": (2, 5), "output_kernel": (2, 5, 7), "output_bias": (7,),
    }  # fmt: skip
    assert all(a.dtype == np.float32 for a in w.values())
    assert _max_diff(tr.multi_head_attention(x_q, x_kv, w, 2)[0], _np(layer(x_q, x_kv))) < 1e-5

    no_bias = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, use_bias=False)
    theirs = _np(no_bias(x_q, x_q))
    w = tr.mha_weights_from_keras(no_bias)
    assert list(w) == ["query_kernel", "key_kernel", "value_kernel", "output_kernel"]
    assert _max_diff(tr.multi_head_attention(x_q, x_q, w, 2)[0], theirs) < 1e-5


def test_mha_weights_from_keras_errors():
    with pytest.raises(TypeError, match="MultiHeadAttention, got Dense"):
        tr.mha_weights_from_keras(keras.layers.Dense(3))
    with pytest.raises(ValueError, match="not built yet"):
        tr.mha_weights_from_keras(keras.layers.MultiHeadAttention(num_heads=2, key_dim=3))
    x = _rand(1, 3, 4, seed=26)
    gated = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2, use_gate=True)
    gated(x, x)
    with pytest.raises(ValueError, match="use_gate"):
        tr.mha_weights_from_keras(gated)
    window = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2, sliding_window=2)
    window(x, x)
    with pytest.raises(ValueError, match="sliding_window=2"):
        tr.mha_weights_from_keras(window)
    axes = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2, attention_axes=(1, 2))
    x4 = _rand(1, 3, 2, 4, seed=27)
    axes(x4, x4)
    with pytest.raises(ValueError, match=r"axes \(1, 2\)"):
        tr.mha_weights_from_keras(axes)


# ---------------------------------------------------------------------------------------------- order


def _numpy_mha_weights(seed, d=6, heads=2, key_dim=3):
    r = np.random.default_rng(seed)
    return {
        "query_kernel": r.normal(size=(d, heads, key_dim)), "query_bias": r.normal(size=(heads, key_dim)),
        "key_kernel": r.normal(size=(d, heads, key_dim)), "key_bias": r.normal(size=(heads, key_dim)),
        "value_kernel": r.normal(size=(d, heads, key_dim)), "value_bias": r.normal(size=(heads, key_dim)),
        "output_kernel": r.normal(size=(heads, key_dim, d)), "output_bias": r.normal(size=d),
    }  # fmt: skip


@given(seed=st.integers(0, 2**32 - 1), length=st.integers(2, 7))
def test_self_attention_is_permutation_equivariant(seed, length):
    r = np.random.default_rng(seed)
    x = r.normal(size=(2, length, 6))
    perm = r.permutation(length)
    w = _numpy_mha_weights(seed)
    out, att = tr.multi_head_attention(x, x, w, 2)
    out_p, att_p = tr.multi_head_attention(x[:, perm], x[:, perm], w, 2)
    np.testing.assert_allclose(out_p, out[:, perm], atol=1e-10)
    np.testing.assert_allclose(att_p, att[:, :, perm][:, :, :, perm], atol=1e-10)
    sd_out, _ = tr.scaled_dot_product_attention(x, x, x)
    np.testing.assert_allclose(tr.scaled_dot_product_attention(x[:, perm], x[:, perm], x[:, perm])[0],
                               sd_out[:, perm], atol=1e-10)  # fmt: skip


def test_positional_encoding_breaks_permutation_equivariance():
    length = 6
    x = np.random.default_rng(3).normal(size=(1, length, 6))
    perm = np.array([1, 0, 2, 3, 4, 5])  # swap the first two tokens only
    w = _numpy_mha_weights(3)
    pe = tr.positional_encoding(length, 6)
    out = tr.multi_head_attention(x + pe, x + pe, w, 2)[0]
    out_p = tr.multi_head_attention(x[:, perm] + pe, x[:, perm] + pe, w, 2)[0]
    assert _max_diff(out_p, out[:, perm]) > 1e-2  # the swapped tokens now come out differently
    without = tr.multi_head_attention(x[:, perm], x[:, perm], w, 2)[0]
    assert _max_diff(without, tr.multi_head_attention(x, x, w, 2)[0][:, perm]) < 1e-10


def test_positional_encoding_follows_the_formula():
    length, depth = 64, 16
    pe = tr.positional_encoding(length, depth)
    assert pe.shape == (length, depth) and pe.dtype == np.float32
    assert pe.min() >= -1.0 and pe.max() <= 1.0
    np.testing.assert_array_equal(pe[0], np.tile([0.0, 1.0], depth // 2))
    for pos, i in ((1, 0), (5, 0), (7, 3), (63, 7), (40, 5)):
        angle = pos / 10000 ** (2 * i / depth)
        assert pe[pos, 2 * i] == pytest.approx(math.sin(angle), abs=1e-6)
        assert pe[pos, 2 * i + 1] == pytest.approx(math.cos(angle), abs=1e-6)
    assert pe[1, 0] == pytest.approx(math.sin(1.0)) and pe[1, 1] == pytest.approx(math.cos(1.0))
    # each pair of columns is a rotation: sin^2 + cos^2 = 1; column 0 has wavelength 2 pi
    np.testing.assert_allclose(pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2, 1.0, atol=1e-6)
    np.testing.assert_allclose(tr.positional_encoding(7, 2)[:, 0], np.sin(np.arange(7)), atol=1e-6)
    assert len({tuple(row) for row in pe.round(4)}) == length  # every position gets its own code
    # odd depth: the formula column by column, the last column a sine
    odd = tr.positional_encoding(10, 5)
    np.testing.assert_allclose(odd[:, 2], np.sin(np.arange(10) / 10000 ** (2 / 5)), atol=1e-6)
    np.testing.assert_allclose(odd[:, 4], np.sin(np.arange(10) / 10000 ** (4 / 5)), atol=1e-6)
    np.testing.assert_allclose(odd[:, 1], np.cos(np.arange(10)), atol=1e-6)


# ---------------------------------------------------------------------------------------------- error paths

_q, _k, _v = np.ones((2, 3, 4)), np.ones((2, 5, 4)), np.ones((2, 5, 6))


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        ((np.ones(4), _k, _v), {}, ValueError, r"q must have at least 2 dimensions, got shape \(4,\)"),
        ((_q, np.ones((2, 5, 3)), _v), {}, ValueError, r"same last dimension d, got q \(2, 3, 4\) and k \(2, 5, 3\)"),
        ((np.ones((2, 3, 0)), np.ones((2, 5, 0)), _v), {}, ValueError, "d >= 1"),
        ((_q, _k, np.ones((2, 4, 6))), {}, ValueError, r"same number of keys Tk, got k \(2, 5, 4\) and v \(2, 4, 6\)"),
        ((_q, np.ones((2, 0, 4)), np.ones((2, 0, 6))), {}, ValueError, "at least one key"),
        ((_q, np.ones((3, 5, 4)), np.ones((3, 5, 6))), {}, ValueError, r"q \(2, 3, 4\), k \(3, 5, 4\).*broadcast"),
        ((_q, _k, _v), {"mask": np.ones((4, 5), bool)}, ValueError, r"mask of shape \(4, 5\) does not broadcast.*"
         r"\(2, 3, 5\)"),
        ((_q, _k, _v), {"mask": np.ones((1, 2, 3, 5), bool)}, ValueError, "more dimensions than the scores"),
        ((_q, _k, _v), {"mask": np.ones((3, 5))}, TypeError, "mask must be boolean.*float64"),
        ((_q, _k, _v), {"mask": np.full((3, 5), 2)}, TypeError, r"integers 0/1, got dtype int64 with values \[2\]"),
        ((np.array([["a"]]), _k, _v), {}, TypeError, "q must be an array of real numbers"),
        ((_q, np.full((2, 5, 4), np.nan), _v), {}, ValueError, r"k contains NaN or infinity .*\(0, 0, 0\)"),
    ],
)
def test_sdpa_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        tr.scaled_dot_product_attention(*args, **kwargs)


def test_sdpa_names_the_row_with_no_key():
    mask = np.ones((2, 3, 5), bool)
    mask[1, 2] = False
    with pytest.raises(ValueError, match=r"no key for the row at batch index 1, query position 2 \(1 such row"):
        tr.scaled_dot_product_attention(_q, _k, _v, mask=mask)
    deep = np.ones((2, 3, 4, 5), bool)
    deep[0, 2, 3] = False
    with pytest.raises(ValueError, match=r"batch index \(0, 2\), query position 3"):
        tr.scaled_dot_product_attention(np.ones((2, 3, 4, 4)), _k[:1, None], _v[:1, None], mask=deep)
    with pytest.raises(ValueError, match=r"row at query position 0 \(3 such"):
        tr.scaled_dot_product_attention(_q[0], _k[0], _v[0], mask=np.zeros(5, bool))


@pytest.mark.parametrize(
    "fn, args, error, match",
    [
        (tr.causal_mask, (0,), ValueError, "length must be positive, got 0"),
        (tr.causal_mask, (3.0,), TypeError, "length must be an int, got 3.0"),
        (tr.causal_mask, (True,), TypeError, "length must be an int, got True"),
        (tr.padding_mask, ([2, 0], 3), ValueError, r"lengths must lie in 1..3 \(max_length\), got 0 at index 1"),
        (tr.padding_mask, ([2, 4], 3), ValueError, "got 4 at index 1"),
        (tr.padding_mask, ([[2]], 3), ValueError, r"one-dimensional \(B,\), got shape \(1, 1\)"),
        (tr.padding_mask, ([2.0], 3), TypeError, "lengths must be integers, got dtype float64"),
        (tr.padding_mask, ([2], 0), ValueError, "max_length must be positive, got 0"),
        (tr.padding_mask_from_tokens, (np.array([[1, 0], [0, 0]]),), ValueError, "example 1 is only padding"),
        (tr.padding_mask_from_tokens, (np.array([1, 0]),), ValueError, r"\(B, T\), got \(2,\)"),
        (tr.padding_mask_from_tokens, (np.array([[1.0]]),), TypeError, "integer ids, got dtype float64"),
        (tr.padding_mask_from_tokens, (np.array([[1]]), "0"), TypeError, "pad_id must be an int, got '0'"),
        (tr.positional_encoding, (0, 4), ValueError, "length must be positive, got 0"),
        (tr.positional_encoding, (4, -2), ValueError, "depth must be positive, got -2"),
        (tr.positional_encoding, (4, 2.5), TypeError, "depth must be an int, got 2.5"),
    ],
)
def test_mask_and_encoding_errors(fn, args, error, match):
    with pytest.raises(error, match=match):
        fn(*args)


_W = _numpy_mha_weights(0)
_x = np.ones((2, 3, 6))


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        ((_x, _x, _W, 3), {}, ValueError, r"num_heads is 3 but the kernels have 2 heads"),
        ((_x, _x, _W, 0), {}, ValueError, "num_heads must be positive"),
        ((_x, _x, [1, 2], 2), {}, TypeError, "weights must be a dict"),
        ((_x, _x, {k: v for k, v in _W.items() if k != "key_kernel"}, 2), {}, ValueError,
         r"missing weight\(s\) \['key_kernel'\]"),
        ((_x, _x, dict(_W, gate_kernel=1), 2), {}, ValueError, r"unknown weight name\(s\) \['gate_kernel'\]"),
        ((_x, _x, {k: v for k, v in _W.items() if k != "value_bias"}, 2), {}, ValueError,
         "give all four biases or none"),
        ((_x, _x, dict(_W, value_bias=np.ones((2, 4))), 2), {}, ValueError,
         r"value_bias has shape \(2, 4\), expected \(2, 3\)"),
        ((_x, _x, dict(_W, output_kernel=np.ones((2, 3))), 2), {}, ValueError,
         r"output_kernel must have 3 dimensions, got shape \(2, 3\)"),
        ((np.ones((2, 3, 5)), _x, _W, 2), {}, ValueError, r"x_q has 5 features \(shape \(2, 3, 5\)\)"),
        ((_x, np.ones((2, 3, 5)), _W, 2), {}, ValueError, r"x_kv has 5 features"),
        ((_x, np.ones((1, 3, 6)), _W, 2), {}, ValueError, "same batch size"),
        ((np.ones((3, 6)), _x, _W, 2), {}, ValueError, r"x_q must have at least 3 dimensions, got shape \(3, 6\)"),
        ((np.ones((1, 2, 3, 6)), _x, _W, 2), {}, ValueError, r"\(B, T, d\), got x_q \(1, 2, 3, 6\)"),
        ((_x, _x, _W, 2), {"mask": np.ones((2, 2, 3), bool)}, ValueError, r"does not broadcast.*\(2, 3, 3\)"),
        ((_x, _x, _W, 2), {"mask": tr.padding_mask([3, 3], 3) & np.array([[1], [1], [0]], bool)}, ValueError,
         r"no key for the row at example 0, query position 2 \(2 such"),
    ],
)  # fmt: skip
def test_multi_head_attention_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        tr.multi_head_attention(*args, **kwargs)
