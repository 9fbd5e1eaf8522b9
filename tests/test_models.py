import weakref

import keras
import numpy as np
import pytest

from course_utils import decoding, models


def test_encoder_decoder_shapes_and_shared_weights():
    m = models.gru_encoder_decoder(12, 9, embed_dim=4, units=8)
    src = np.array([[4, 5, 6, 0], [7, 0, 0, 0]], dtype="int32")
    tgt_in = np.array([[1, 4, 5], [1, 6, 0]], dtype="int32")
    probs = keras.ops.convert_to_numpy(m.trainer([src, tgt_in]))
    assert probs.shape == (2, 3, 9)
    np.testing.assert_allclose(probs.sum(-1), 1.0, atol=1e-5)
    # stepping the decoder by hand reproduces the teacher-forced outputs
    state = keras.ops.convert_to_numpy(m.encoder(src))
    for t in range(3):
        step_probs, state = m.decoder_step([tgt_in[:, t : t + 1], state])
        state = keras.ops.convert_to_numpy(state)
        np.testing.assert_allclose(keras.ops.convert_to_numpy(step_probs)[0], probs[0, t], atol=1e-5)


def test_padding_does_not_change_the_encoding():
    m = models.gru_encoder_decoder(12, 9, embed_dim=4, units=8)
    short = keras.ops.convert_to_numpy(m.encoder(np.array([[4, 5]], dtype="int32")))
    padded = keras.ops.convert_to_numpy(m.encoder(np.array([[4, 5, 0, 0, 0]], dtype="int32")))
    np.testing.assert_allclose(short, padded, atol=1e-6)


def test_save_and_reload_keeps_translations(tmp_path):
    m = models.gru_encoder_decoder(12, 9, embed_dim=4, units=8)
    path = tmp_path / "model.keras"
    m.trainer.save(path)
    reloaded = keras.models.load_model(path)
    encoder, step = models.inference_models(reloaded)
    src = np.array([[4, 5, 6], [7, 8, 0]], dtype="int32")

    def decode(enc, dec):
        return decoding.greedy_decode(models.keras_step_fn(dec), keras.ops.convert_to_numpy(enc(src)), 1, 2, 6)

    assert decode(m.encoder, m.decoder_step) == decode(encoder, step)


def test_bad_sizes():
    with pytest.raises(ValueError, match="units"):
        models.gru_encoder_decoder(10, 10, units=0)


def test_attention_model_steps_reproduce_teacher_forcing_and_reload(tmp_path):
    m = models.attention_encoder_decoder(12, 9, embed_dim=4, units=4)
    src = np.array([[4, 5, 6, 0], [7, 8, 0, 0]], dtype="int32")
    tgt_in = np.array([[1, 4, 5], [1, 6, 7]], dtype="int32")
    probs = keras.ops.convert_to_numpy(m([src, tgt_in]))
    encoder, step = models.attention_inference_models(m)
    enc_states, state = (keras.ops.convert_to_numpy(a) for a in encoder(src))
    for t in range(3):
        p, state, weights = step([tgt_in[:, t : t + 1], state, enc_states, src > 0])
        state = keras.ops.convert_to_numpy(state)
        np.testing.assert_allclose(keras.ops.convert_to_numpy(p), probs[:, t], atol=1e-5)
        assert np.all(keras.ops.convert_to_numpy(weights)[src == 0] == 0.0)
    path = tmp_path / "att.keras"
    m.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(again([src, tgt_in])), probs, atol=1e-6)


def test_sequence_log_probs_matches_step_by_step_scores():
    m = models.gru_encoder_decoder(12, 9, embed_dim=4, units=8)
    src = np.array([[4, 5, 6], [7, 8, 0]], dtype="int32")
    dec_in = np.array([[1, 4, 5, 0], [1, 6, 0, 0]], dtype="int32")
    dec_out = np.array([[4, 5, 2, 0], [6, 2, 0, 0]], dtype="int32")
    got = models.sequence_log_probs(m.trainer, [src, dec_in], dec_out)
    step = models.keras_step_fn(m.decoder_step)
    for i in range(2):
        state = keras.ops.convert_to_numpy(m.encoder(src[i : i + 1]))
        total, token = 0.0, 1
        for target in dec_out[i][dec_out[i] > 0]:
            log_probs, state = step(np.array([token]), state)
            total += log_probs[0, target]
            token = target
        assert abs(total - got[i]) < 1e-4


def _first_attention_builder(source_vocab_size, target_vocab_size, *, embed_dim=32, units=64):
    """The builder as lessons 08-10 first used it: the defaults must still give this model."""
    from course_utils.attention import BahdanauAttention

    source = keras.Input((None,), dtype="int32", name="source")
    target_in = keras.Input((None,), dtype="int32", name="target_in")
    x = keras.layers.Embedding(source_vocab_size, embed_dim, mask_zero=True, name="src_embed")(source)
    encoder = keras.layers.Bidirectional(keras.layers.GRU(units, return_sequences=True, return_state=True), name="encoder")
    enc_states, fwd, bwd = encoder(x)
    state = keras.layers.Concatenate(name="init_state")([fwd, bwd])
    y = keras.layers.Embedding(target_vocab_size, embed_dim, mask_zero=True, name="tgt_embed")(target_in)
    dec_states, _ = keras.layers.GRU(2 * units, return_sequences=True, return_state=True, name="decoder")(
        y, initial_state=state
    )
    context, _ = BahdanauAttention(units, name="attention")([dec_states, enc_states])
    hidden = keras.layers.Dense(128, activation="tanh", name="combine")(
        keras.layers.Concatenate(name="with_context")([dec_states, context])
    )
    probs = keras.layers.Dense(target_vocab_size, activation="softmax", name="next_char")(hidden)
    return keras.Model([source, target_in], probs, name="attention_encoder_decoder")


@pytest.mark.parametrize("kwargs", [{}, {"embed_dim": 8, "units": 4}])
def test_attention_defaults_build_the_same_model_as_before(kwargs):
    keras.utils.set_random_seed(3)
    old = _first_attention_builder(30, 20, **kwargs)
    keras.utils.set_random_seed(3)
    new = models.attention_encoder_decoder(30, 20, **kwargs)
    assert [layer.name for layer in new.layers] == [layer.name for layer in old.layers]
    assert [w.shape for w in new.get_weights()] == [w.shape for w in old.get_weights()]
    for a, b in zip(new.get_weights(), old.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert new.get_layer("combine").activation.__name__ == "tanh"


def test_attention_sizes_are_configurable():
    m = models.attention_encoder_decoder(30, 20, embed_dim=6, units=5, attention_units=7, combine_units=9,
                                         combine_activation=None)  # fmt: skip
    assert m.get_layer("src_embed").output_dim == 6 and m.get_layer("decoder").units == 10
    assert m.get_layer("attention").units == 7 and m.get_layer("combine").units == 9
    assert m.get_layer("combine").activation.__name__ == "linear"
    encoder, step = models.attention_inference_models(m)
    assert [tuple(t.shape) for t in step.outputs] == [(None, 20), (None, 10), (None, None)]
    for bad in ({"units": 0}, {"combine_units": -1}, {"attention_units": 2.5}, {"embed_dim": True}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            models.attention_encoder_decoder(30, 20, **bad)


def test_output_bias_starts_the_model_at_the_unigram_distribution():
    targets = np.array([[4, 4, 4, 5, 2, 0], [4, 6, 2, 0, 0, 0]])
    prior = models.unigram_log_prior(targets, 8)
    np.testing.assert_allclose(np.exp(prior).sum(), 1.0, rtol=1e-6)
    assert prior.argmax() == 4 and prior[0] == prior[7]  # padding is not counted; unseen ids get the smoothing
    src, din = np.array([[4, 5]], dtype="int32"), np.array([[1, 4]], dtype="int32")
    for model in (models.attention_encoder_decoder(9, 8, units=4, output_bias=prior),
                  models.gru_encoder_decoder(9, 8, units=4, output_bias=prior).trainer):  # fmt: skip
        np.testing.assert_allclose(model.layers[-1].get_weights()[1], prior)
        probs = keras.ops.convert_to_numpy(model([src, din]))
        assert probs[0, 0].argmax() == 4
    with pytest.raises(ValueError, match="output_bias"):
        models.attention_encoder_decoder(9, 8, units=4, output_bias=prior[:5])
    with pytest.raises(ValueError, match="target_ids"):
        models.unigram_log_prior(np.array([[9]]), 8)


def test_saturation_measures_a_saturated_layer():
    m = models.attention_encoder_decoder(12, 9, embed_dim=4, units=4, combine_units=6)
    inputs = [np.array([[4, 5, 6]], dtype="int32"), np.array([[1, 4, 0]], dtype="int32")]
    assert models.saturation(m, inputs) < 0.5
    kernel, bias = m.get_layer("combine").get_weights()
    m.get_layer("combine").set_weights([kernel * 1e6, bias])
    assert models.saturation(m, inputs) == 1.0


def test_step_function_reuses_its_buffer_only_when_no_result_is_held():
    m = models.gru_encoder_decoder(12, 9, embed_dim=4, units=8)
    step = models.keras_step_fn(m.decoder_step)
    state = np.zeros((3, 8), dtype="float32")
    first, _ = step(np.array([1, 4, 5]), state)
    kept = first.copy()
    row = first[0]  # a view of the first result
    del first
    second, _ = step(np.array([6, 7, 8]), state)
    np.testing.assert_array_equal(row, kept[0])  # a view still held: the second call wrote elsewhere
    assert not np.shares_memory(second, row)
    del row, second
    third, _ = step(np.array([6, 7, 8]), state)
    buffer = weakref.ref(third.base)  # a weak reference does not hold the buffer
    del third
    fourth, _ = step(np.array([1, 4, 5]), state)
    assert fourth.base is buffer()  # nothing held: the buffer was reused
    np.testing.assert_allclose(fourth, kept)
    probs = keras.ops.convert_to_numpy(m.decoder_step([np.array([[1], [4], [5]]), state])[0]).astype(np.float64)
    np.testing.assert_array_equal(fourth, np.log(np.maximum(probs, 1e-30)))  # the same numbers as before


def test_loss_timeline_records_loss_against_time():
    keras.utils.set_random_seed(0)
    m = models.attention_encoder_decoder(12, 9, embed_dim=4, units=4)
    m.compile("adam", "sparse_categorical_crossentropy")
    x = np.random.default_rng(0).integers(4, 12, size=(50, 5)).astype("int32")
    y = np.random.default_rng(1).integers(4, 9, size=(50, 4)).astype("int32")
    timeline = models.loss_timeline(every=3, clock="wall")
    history = m.fit([x, y], y, batch_size=10, epochs=2, verbose=0, callbacks=[timeline])
    assert timeline.batches == 10
    # every 3rd batch (3, 6, 9) plus the last batch of each epoch that is not one of them (5, 10)
    assert len(timeline.seconds) == len(timeline.losses) == 5
    assert timeline.seconds == sorted(timeline.seconds) and timeline.seconds[0] >= 0
    # each record is the mean of its own batches: weighted by them, the records of epoch 2 (batches 6, 7-9 and 10)
    # give Keras' epoch loss; the running mean Keras prints would not
    epoch_2 = np.dot(timeline.losses[2:], [1, 3, 1]) / 5
    assert epoch_2 == pytest.approx(history.history["loss"][-1], rel=1e-5)
    assert timeline.losses[-1] != pytest.approx(history.history["loss"][-1], rel=1e-3)  # batch 10 alone


def test_loss_timeline_weights_a_short_last_batch_by_its_size():
    keras.utils.set_random_seed(0)
    m = models.attention_encoder_decoder(12, 9, embed_dim=4, units=4)
    m.compile("adam", "sparse_categorical_crossentropy")
    x = np.random.default_rng(0).integers(4, 12, size=(45, 5)).astype("int32")  # batches of 10, 10, 10, 10, 5
    y = np.random.default_rng(1).integers(4, 9, size=(45, 4)).astype("int32")
    timeline = models.loss_timeline(every=1, clock="wall")
    history = m.fit([x, y], y, batch_size=10, epochs=1, verbose=0, callbacks=[timeline])
    assert len(timeline.losses) == 5
    assert np.dot(timeline.losses, [10, 10, 10, 10, 5]) / 45 == pytest.approx(history.history["loss"][0], rel=1e-5)
    cpu = models.loss_timeline()
    assert cpu.clock == "cpu" and cpu.every == 10


@pytest.mark.parametrize("bad", [{"every": 0}, {"every": 2.5}, {"every": True}, {"clock": "gpu"}])
def test_loss_timeline_rejects_bad_arguments(bad):
    with pytest.raises(ValueError):
        models.loss_timeline(**bad)
