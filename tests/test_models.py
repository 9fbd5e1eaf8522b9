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
