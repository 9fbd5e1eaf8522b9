import keras
import numpy as np
import pytest

from course_utils import attention


def _data(b=2, tq=3, tv=5, dq=4, dv=6, seed=0):
    r = np.random.default_rng(seed)
    return r.normal(size=(b, tq, dq)).astype("float32"), r.normal(size=(b, tv, dv)).astype("float32")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def test_bahdanau_matches_numpy_and_masks_padding():
    q, v = _data()
    layer = attention.BahdanauAttention(7)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)
    context, weights = layer([q, v], mask=[None, mask])
    w_q, w_k, vec = (_np(w) for w in (layer.w_query, layer.w_keys, layer.v))
    c_ref, w_ref = attention.numpy_additive_attention(q, v, w_q, w_k, vec, value_mask=mask)
    assert np.max(np.abs(_np(context) - c_ref)) <= 1e-5
    assert np.max(np.abs(_np(weights) - w_ref)) <= 1e-5
    assert np.all(_np(weights)[0, :, 3:] == 0.0)
    np.testing.assert_allclose(_np(weights).sum(-1), 1.0, atol=1e-6)


def test_bahdanau_without_projections_is_keras_additive_attention():
    q, v = _data(dq=6)
    layer = attention.BahdanauAttention(6)
    layer.build([q.shape, v.shape])
    scale = np.random.default_rng(1).normal(size=6).astype("float32")
    layer.set_weights([np.eye(6, dtype="float32"), np.eye(6, dtype="float32"), scale])
    ours_c, ours_w = layer([q, v])
    keras_layer = keras.layers.AdditiveAttention()
    keras_layer.build([q.shape, v.shape])
    keras_layer.set_weights([scale])
    theirs_c, theirs_w = keras_layer([q, v], return_attention_scores=True)
    assert np.max(np.abs(_np(ours_w) - _np(theirs_w))) <= 1e-5
    assert np.max(np.abs(_np(ours_c) - _np(theirs_c))) <= 1e-5


@pytest.mark.parametrize("score", ["dot", "general"])
def test_luong_matches_numpy_and_keras(score):
    q, v = _data(dq=6)
    layer = attention.LuongAttention(score)
    mask = np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 0]], dtype=bool)
    context, weights = layer([q, v], mask=[None, mask])
    w = _np(layer.w) if score == "general" else None
    c_ref, w_ref = attention.numpy_multiplicative_attention(q, v, w, value_mask=mask)
    assert np.max(np.abs(_np(context) - c_ref)) <= 1e-5 and np.max(np.abs(_np(weights) - w_ref)) <= 1e-5
    keras_query = q if w is None else q @ w
    theirs_c, theirs_w = keras.layers.Attention()([keras_query, v], mask=[None, mask], return_attention_scores=True)
    assert np.max(np.abs(_np(weights) - _np(theirs_w))) <= 1e-5
    assert np.max(np.abs(_np(context) - _np(theirs_c))) <= 1e-5


def test_layers_serialize(tmp_path):
    q_in, v_in = keras.Input((None, 4)), keras.Input((None, 4))
    c1, _ = attention.BahdanauAttention(5)([q_in, v_in])
    c2, _ = attention.LuongAttention("general")([q_in, v_in])
    model = keras.Model([q_in, v_in], [c1, c2])
    path = tmp_path / "att.keras"
    model.save(path)
    again = keras.models.load_model(path)
    q, v = _data(dq=4, dv=4)
    for a, b in zip(model([q, v]), again([q, v])):
        np.testing.assert_allclose(_np(a), _np(b), atol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError, match="units"):
        attention.BahdanauAttention(0)
    with pytest.raises(ValueError, match="score"):
        attention.LuongAttention("cosine")
    with pytest.raises(ValueError, match="same size"):
        attention.LuongAttention("dot")([np.ones((1, 2, 3), "float32"), np.ones((1, 2, 4), "float32")])
    with pytest.raises(ValueError, match="at least one"):
        attention.masked_softmax(np.zeros((1, 2)), np.zeros((1, 2), bool))


class _MaskAfterSoftmax(attention.BahdanauAttention):
    """The masking bug the check exists for: softmax over every position, padded weights zeroed afterwards."""

    def call(self, inputs, mask=None):
        query, values = inputs
        weights = keras.ops.softmax(self.scores(query, values), axis=-1)
        weights = weights * keras.ops.cast(mask[1], "float32")[:, None, :]
        return keras.ops.matmul(weights, values), weights


def test_check_attention_weights_passes_our_layers_and_rejects_masking_after_the_softmax():
    q, v = _data(dq=6)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], dtype=bool)
    for layer in (attention.BahdanauAttention(5), attention.LuongAttention("general"), attention.LuongAttention("dot")):
        _, weights = layer([q, v], mask=[None, mask])
        assert attention.check_attention_weights(_np(weights), mask) <= 1e-5
    buggy = _MaskAfterSoftmax(5)
    _, weights = buggy([q, v], mask=[None, mask])
    weights = _np(weights)
    assert np.all(weights[~np.broadcast_to(mask[:, None, :], weights.shape)] == 0.0)  # zero on padding all the same
    with pytest.raises(AssertionError, match="sum to .*not 1: the padded positions took part in the softmax"):
        attention.check_attention_weights(weights, mask)
    # without padding the bug changes nothing, and the check has nothing to reject
    full = np.ones_like(mask)
    attention.check_attention_weights(_np(buggy([q, v], mask=[None, full])[1]), full)


def test_check_attention_weights_names_each_fault():
    mask = np.array([[True, True, False]])
    with pytest.raises(AssertionError, match="put 0.1 on padded position 2: the mask did not reach the softmax"):
        attention.check_attention_weights(np.array([[[0.5, 0.4, 0.1]]]), mask)
    with pytest.raises(AssertionError, match="negative"):
        attention.check_attention_weights(np.array([[[1.2, -0.2, 0.0]]]), mask)
    with pytest.raises(AssertionError, match="NaN"):
        attention.check_attention_weights(np.array([[[np.nan, 1.0, 0.0]]]), mask)
    with pytest.raises(AssertionError, match="example 1, query 0 sum to 0.9"):
        attention.check_attention_weights(np.array([[[1.0, 0.0, 0.0]], [[0.5, 0.4, 0.0]]]), np.ones((2, 3), bool))
    with pytest.raises(ValueError, match=r"shape \(B, Tq, Tv\)"):
        attention.check_attention_weights(np.ones((2, 3)))
    with pytest.raises(ValueError, match="value_mask must have shape"):
        attention.check_attention_weights(np.ones((1, 1, 3)) / 3, np.ones((1, 4), bool))
    assert attention.check_attention_weights(np.full((1, 2, 4), 0.25)) == 0.0


# --- reading word-level alignments --------------------------------------------------------------------------


def test_colour_positions_find_the_crossing_pair():
    assert attention.colour_positions("my small green horse .".split(), "mon petit cheval vert .".split()) == (2, 3)
    assert attention.colour_positions("the cups are red .".split(), "les tasses sont rouges .".split()) is None
    assert attention.colour_positions("the red cup .".split(), "la tasse .".split()) is None  # colour left out
    assert attention.colour_positions("the red cup .".split(), "la tasse rouges .".split()) == (1, 2)  # any form


def test_colour_crosses_reads_the_two_rows():
    src, out = "the red cup .".split(), "la tasse rouge .".split()
    crossing = np.array([[.9, .1, 0, 0], [0, .1, .9, 0], [0, .8, .2, 0], [0, 0, 0, 1]])
    diagonal = np.array([[.9, .1, 0, 0], [0, .9, .1, 0], [0, .1, .9, 0], [0, 0, 0, 1]])
    assert attention.colour_crosses(crossing, src, out)
    assert not attention.colour_crosses(diagonal, src, out)
    with pytest.raises(ValueError, match="no colour"):
        attention.colour_crosses(crossing, "the cup .".split(), "la tasse .".split())
    with pytest.raises(ValueError, match="shape"):
        attention.colour_crosses(crossing[:2], src, out)
    with pytest.raises(TypeError, match="list of tokens"):
        attention.colour_positions("the red cup .", out)


def test_negation_positions_and_reading():
    src, out = "they do not eat the bread .".split(), "ils ne mangent pas le pain .".split()
    assert attention.negation_positions(src, out) == (2, 1, 3)
    assert attention.negation_positions("he does not sleep .".split(), "il n' dort pas .".split()) == (2, 1, 3)
    assert attention.negation_positions("not now .".split(), "pas maintenant .".split()) is None
    assert attention.negation_positions(src, "ils ne le mangent pas .".split()) is None  # two words between
    w = np.zeros((7, 7))
    w[np.arange(7), [0, 2, 3, 1, 4, 5, 6]] = 1  # ne -> not, mangent -> eat, pas -> do
    assert attention.negation_reading(w, src, out) == {"ne": "not", "verb": "the verb", "pas": "do/does"}
    assert attention.negation_splits(w, src, out)
    w[3] = np.eye(7)[5]  # pas -> bread
    assert attention.negation_reading(w, src, out)["pas"] == "elsewhere"
    assert not attention.negation_splits(w, src, out)
    with pytest.raises(ValueError, match="no 'do/does not'"):
        attention.negation_reading(w, "they eat .".split(), "ils mangent .".split())
