import keras
import numpy as np
import pytest

from course_utils import transformer_models as tm
from course_utils.decoding import beam_search_batch, greedy_decode

SRC_V, TGT_V, SRC_LEN, TGT_LEN, D, HEADS, FF = 20, 15, 6, 6, 8, 2, 16
SRC = np.array([[4, 5, 6, 0, 0, 0], [7, 8, 9, 10, 11, 12], [13, 4, 0, 0, 0, 0]])
TGT_IN = np.array([[1, 3, 4, 5, 0, 0], [1, 6, 7, 8, 9, 10], [1, 11, 0, 0, 0, 0]])
TGT_OUT = np.array([[3, 4, 5, 2, 0, 0], [6, 7, 8, 9, 10, 2], [11, 2, 0, 0, 0, 0]])


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _model(num_layers=2, causal=True, seed=0):
    keras.utils.set_random_seed(seed)
    return tm.transformer_encoder_decoder(SRC_V, TGT_V, SRC_LEN, TGT_LEN, d_model=D, num_heads=HEADS, ff_dim=FF,
                                          num_layers=num_layers, causal=causal)  # fmt: skip


@pytest.fixture(scope="module")
def model():
    return _model()


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


# ---------------------------------------------------------------------------------------------- shapes and loss


def test_shapes(model):
    assert model.output_shape == (None, None, TGT_V)
    probs = _np(model([SRC, TGT_IN]))
    assert probs.shape == (3, TGT_LEN, TGT_V)
    np.testing.assert_allclose(probs.sum(-1), 1, atol=1e-5)  # a softmax, like attention_encoder_decoder
    assert _np(model([SRC[:, :4], TGT_IN[:, :2]])).shape == (3, 2, TGT_V)  # shorter inputs are fine
    assert tm.cross_attention_weights(model, SRC, TGT_IN).shape == (3, HEADS, TGT_LEN, SRC_LEN)
    assert len([layer for layer in model.layers if isinstance(layer, tm.TransformerDecoderBlock)]) == 2


def test_the_target_padding_mask_reaches_the_loss():
    # the same compile call as the recurrent models; padded target positions do not count in the loss
    model = _model(num_layers=1)
    model.compile(loss="sparse_categorical_crossentropy")
    loss = model.evaluate([SRC, TGT_IN], TGT_OUT, verbose=0)
    probs = _np(model([SRC, TGT_IN])).astype(np.float64)
    picked = np.take_along_axis(probs, TGT_OUT[..., None], axis=-1)[..., 0]
    real = TGT_IN > 0
    np.testing.assert_allclose(loss, -np.log(picked[real]).mean(), rtol=1e-5)
    assert not np.isclose(-np.log(picked).mean(), -np.log(picked[real]).mean(), rtol=1e-3)  # padding would show


# ---------------------------------------------------------------------------------------------- masks


def test_trailing_source_padding_changes_nothing_in_a_two_block_model(model):
    # the second decoder block must still mask the source: this fails if MultiHeadAttention is handed the
    # encoder output with its Keras mask attached (the first block's attention deletes it)
    full = _np(model([SRC, TGT_IN]))
    trimmed = _np(model([SRC[:, :4], TGT_IN]))
    np.testing.assert_allclose(trimmed[0], full[0], atol=1e-6)
    np.testing.assert_allclose(trimmed[2], full[2], atol=1e-6)


def test_encoder_block_ignores_what_stands_at_padded_positions():
    block = tm.TransformerEncoderBlock(D, HEADS, FF)
    mask = SRC > 0
    x = _rand(3, SRC_LEN, D)
    garbage = np.where(mask[..., None], x, 100 * _rand(3, SRC_LEN, D, seed=1))
    out, out_garbage = _np(block(x, mask=mask)), _np(block(garbage, mask=mask))
    np.testing.assert_allclose(out_garbage[mask], out[mask], atol=1e-5)
    unmasked = _np(block(garbage))  # without the mask the garbage leaks into the real positions
    assert np.abs(unmasked[mask] - out[mask]).max() > 1e-2


def test_decoder_block_ignores_encoder_outputs_at_padded_source_positions():
    block = tm.TransformerDecoderBlock(D, HEADS, FF)
    mask = SRC > 0
    y, enc = _rand(3, TGT_LEN, D, seed=2), _rand(3, SRC_LEN, D, seed=3)
    garbage = np.where(mask[..., None], enc, 100 * _rand(3, SRC_LEN, D, seed=4))
    out = _np(block(y, enc, encoder_outputs_mask=mask))
    np.testing.assert_allclose(_np(block(y, garbage, encoder_outputs_mask=mask)), out, atol=1e-5)
    assert np.abs(_np(block(y, garbage)) - out).max() > 1e-2


@pytest.mark.parametrize("t", [0, 2, 4])
def test_target_positions_cannot_see_the_future(model, t):
    changed = TGT_IN.copy()
    changed[:, t + 1] = (changed[:, t + 1] + 7) % (TGT_V - 4) + 4  # another real token
    before, after = _np(model([SRC, TGT_IN])), _np(model([SRC, changed]))
    np.testing.assert_allclose(after[:, : t + 1], before[:, : t + 1], atol=1e-6)
    assert np.abs(after[:, t + 1 :] - before[:, t + 1 :]).max() > 1e-4  # the change itself is seen


def test_without_the_causal_mask_the_past_sees_the_future():
    leaky = _model(causal=False)
    changed = TGT_IN.copy()
    changed[:, 3] = 12
    before, after = _np(leaky([SRC, TGT_IN])), _np(leaky([SRC, changed]))
    assert np.abs(after[:, :3] - before[:, :3]).max() > 1e-4


# ---------------------------------------------------------------------------------------------- save and load


def test_keras_file_round_trip_gives_identical_predictions(model, tmp_path):
    path = tmp_path / "transformer.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(_np(loaded([SRC, TGT_IN])), _np(model([SRC, TGT_IN])))
    np.testing.assert_array_equal(tm.cross_attention_weights(loaded, SRC, TGT_IN),
                                  tm.cross_attention_weights(model, SRC, TGT_IN))  # fmt: skip
    block = loaded.get_layer("decoder_block_1")
    assert (block.d_model, block.num_heads, block.ff_dim, block.causal) == (D, HEADS, FF, True)
    assert loaded.get_layer("target_embedding").max_length == TGT_LEN


# ---------------------------------------------------------------------------------------------- decoding


def test_step_function_equals_full_forward_passes(model):
    step, state = tm.transformer_step_fn(model, SRC)
    assert {name: a.shape for name, a in state.items()} == {
        "encoder_outputs": (3, SRC_LEN, D), "source_mask": (3, SRC_LEN), "tokens": (3, 0)}  # fmt: skip
    for t in range(TGT_LEN):
        log_probs, state = step(TGT_IN[:, t], state)
        np.testing.assert_array_equal(state["tokens"], TGT_IN[:, : t + 1])
        full = np.log(_np(model([SRC, TGT_IN[:, : t + 1]]))[:, -1].astype(np.float64))
        np.testing.assert_allclose(log_probs, full, atol=1e-5)
    with pytest.raises(ValueError, match="target_length"):
        step(TGT_IN[:, 0], state)  # a seventh position has no position encoding


def _argmax_by_full_passes(model, source, start_id, end_id, max_length):
    prefix = np.full((len(source), 1), start_id)
    for _ in range(max_length):
        next_ids = _np(model([source, prefix]))[:, -1].argmax(-1)
        prefix = np.concatenate([prefix, next_ids[:, None]], axis=1)
    out = []
    for row in prefix[:, 1:].tolist():
        out.append(row[: row.index(end_id) + 1] if end_id in row else row)
    return out


def _varied_model():
    """Random weights with a larger output layer: greedy outputs differ by source, and some stop early."""
    varied = _model(seed=2)
    bias = np.zeros(TGT_V, "float32")
    bias[2] = 1.0  # the end id
    varied.get_layer("next_token").set_weights([np.random.default_rng(2).normal(size=(D, TGT_V)).astype("float32"),
                                                bias])  # fmt: skip
    return varied


def test_greedy_decode_through_the_step_function_equals_argmax_by_full_passes():
    varied = _varied_model()
    greedy = greedy_decode(*tm.transformer_step_fn(varied, SRC), start_id=1, end_id=2, max_length=TGT_LEN)
    assert greedy == _argmax_by_full_passes(varied, SRC, 1, 2, TGT_LEN)
    assert any(len(g) < TGT_LEN for g in greedy) and any(len(g) == TGT_LEN for g in greedy)  # stops are covered
    assert len({tuple(g) for g in greedy}) == len(greedy)  # the outputs depend on the source


def test_beam_search_through_the_step_function_scores_what_a_full_pass_scores():
    # beam search reorders and repeats the rows of the state: a row mixed up would score another prefix
    varied = _varied_model()
    narrow = beam_search_batch(*tm.transformer_step_fn(varied, SRC), start_id=1, end_id=2, beam_width=1,
                               max_length=TGT_LEN)  # fmt: skip
    greedy = greedy_decode(*tm.transformer_step_fn(varied, SRC), start_id=1, end_id=2, max_length=TGT_LEN)
    assert [hyps[0].tokens for hyps in narrow] == greedy
    wide = beam_search_batch(*tm.transformer_step_fn(varied, SRC), start_id=1, end_id=2, beam_width=3,
                             max_length=TGT_LEN)  # fmt: skip
    for i, hyps in enumerate(wide):
        for hyp in hyps[:3]:
            prefix = np.array([[1, *hyp.tokens[:-1]]])
            probs = _np(varied([SRC[i : i + 1], prefix]))[0].astype(np.float64)  # (len, V)
            log_prob = np.log(probs[np.arange(len(hyp.tokens)), hyp.tokens]).sum()
            np.testing.assert_allclose(hyp.log_prob, log_prob, atol=1e-4)
    assert all(hyps[0].log_prob >= narrow[i][0].log_prob - 1e-9 for i, hyps in enumerate(wide))


def test_cross_attention_weights_sum_to_one_and_skip_padding(model):
    w = tm.cross_attention_weights(model, SRC, TGT_IN)
    assert w.dtype == np.float32
    np.testing.assert_allclose(w.sum(axis=-1), 1, atol=1e-5)
    padding = np.broadcast_to(~(SRC > 0)[:, None, None, :], w.shape)
    assert np.all(w[padding] == 0)
    assert w[~padding].min() > 0


# ---------------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"d_model": 10, "num_heads": 4}, r"d_model \(10\) must be divisible by num_heads \(4\)"),
        ({"d_model": 0}, "d_model must be a positive int, got 0"),
        ({"num_heads": -1}, "num_heads must be a positive int"),
        ({"ff_dim": 0}, "ff_dim must be a positive int"),
        ({"num_layers": 0}, "num_layers must be a positive int"),
        ({"source_length": 0}, "source_length must be a positive int"),
        ({"target_vocab_size": 2.5}, "target_vocab_size must be a positive int"),
        ({"dropout": 1.0}, r"dropout must be a number in \[0, 1\)"),
    ],
)
def test_bad_sizes_raise_value_error_naming_them(kwargs, message):
    args = {"source_vocab_size": SRC_V, "target_vocab_size": TGT_V, "source_length": SRC_LEN,
            "target_length": TGT_LEN, "d_model": D, "num_heads": HEADS, "ff_dim": FF, **kwargs}  # fmt: skip
    with pytest.raises(ValueError, match=message):
        tm.transformer_encoder_decoder(**args)


def test_bad_layer_input_raises_value_error():
    with pytest.raises(ValueError, match="divisible"):
        tm.TransformerDecoderBlock(d_model=6, num_heads=4, ff_dim=8)
    with pytest.raises(ValueError, match="max_length"):
        tm.PositionalEmbedding(10, 8, max_length=0)
    with pytest.raises(ValueError, match="d_model = 8 features"):
        tm.TransformerEncoderBlock(8, 2, 16)(_rand(1, 3, 6))


def test_bad_ids_raise_value_error(model):
    with pytest.raises(ValueError, match="source_length"):
        tm.transformer_step_fn(model, np.ones((1, SRC_LEN + 1), int))
    with pytest.raises(ValueError, match=r"shape \(B, T\)"):
        tm.transformer_step_fn(model, np.ones(4, int))
    with pytest.raises(ValueError, match="same batch size"):
        tm.cross_attention_weights(model, SRC, TGT_IN[:2])
