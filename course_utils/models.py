"""Reference Keras models that several lessons train: the GRU encoder-decoder of lesson 04.

Lesson 04 builds this model step by step; later lessons (BLEU, beam search) import it from here.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["Seq2Seq", "gru_encoder_decoder", "inference_models", "keras_step_fn"]


class Seq2Seq(NamedTuple):
    """A trainable encoder-decoder and the two models used to decode with it (they share weights)."""

    trainer: "object"  # keras.Model: [source ids, decoder input ids] -> next-token probabilities
    encoder: "object"  # keras.Model: source ids -> initial decoder state (B, units)
    decoder_step: "object"  # keras.Model: [last token (B, 1), state (B, units)] -> [probs (B, V), new state]


def gru_encoder_decoder(
    source_vocab_size: int, target_vocab_size: int, *, embed_dim: int = 64, units: int = 256
) -> Seq2Seq:
    """A masked GRU encoder-decoder trained with teacher forcing.

    The encoder reads the source (id 0 = padding, masked); its final state starts the decoder,
    which reads the target shifted right (start id first) and predicts the next target token.

    Example:
        >>> model = gru_encoder_decoder(20, 15, embed_dim=8, units=16)
        >>> model.trainer.output_shape
        (None, None, 15)
    """
    import keras

    for name, value in (("source_vocab_size", source_vocab_size), ("target_vocab_size", target_vocab_size),
                        ("embed_dim", embed_dim), ("units", units)):  # fmt: skip
        if int(value) < 1:
            raise ValueError(f"{name} must be positive, got {value}")
    source = keras.Input((None,), dtype="int32", name="source")
    target_in = keras.Input((None,), dtype="int32", name="target_in")
    x = keras.layers.Embedding(source_vocab_size, embed_dim, mask_zero=True, name="source_embedding")(source)
    _, state = keras.layers.GRU(units, return_state=True, name="encoder_gru")(x)
    y = keras.layers.Embedding(target_vocab_size, embed_dim, mask_zero=True, name="target_embedding")(target_in)
    y, _ = keras.layers.GRU(units, return_sequences=True, return_state=True, name="decoder_gru")(
        y, initial_state=state
    )
    probs = keras.layers.Dense(target_vocab_size, activation="softmax", name="next_token")(y)
    trainer = keras.Model([source, target_in], probs, name="gru_encoder_decoder")
    return Seq2Seq(trainer, *inference_models(trainer))


def inference_models(trainer: "object") -> tuple["object", "object"]:
    """Build the encoder and decoder-step models from a trained (or re-loaded) encoder-decoder.

    Example:
        >>> model = gru_encoder_decoder(20, 15, embed_dim=8, units=16)
        >>> encoder, step = inference_models(model.trainer)
        >>> [tuple(t.shape) for t in step.outputs]
        [(None, 15), (None, 16)]
    """
    import keras

    layer = trainer.get_layer
    units = layer("encoder_gru").units
    source = keras.Input((None,), dtype="int32", name="source")
    _, state = layer("encoder_gru")(layer("source_embedding")(source))
    encoder = keras.Model(source, state, name="encoder")
    token = keras.Input((1,), dtype="int32", name="last_token")
    state_in = keras.Input((units,), name="state")
    y, new_state = layer("decoder_gru")(layer("target_embedding")(token), initial_state=state_in)
    probs = layer("next_token")(keras.ops.squeeze(y, axis=1))  # (B, 1, units) -> (B, units)
    decoder_step = keras.Model([token, state_in], [probs, new_state], name="decoder_step")
    return encoder, decoder_step


def keras_step_fn(decoder_step: "object"):
    """Wrap a decoder-step model as a ``step_fn`` for :mod:`course_utils.decoding`.

    It calls the model directly (no ``predict``), on the whole batch of live hypotheses.

    Example:
        >>> model = gru_encoder_decoder(20, 15, embed_dim=8, units=16)
        >>> log_probs, state = keras_step_fn(model.decoder_step)(np.array([1, 1]), np.zeros((2, 16)))
        >>> log_probs.shape, state.shape
        ((2, 15), (2, 16))
    """
    import keras

    def step(tokens: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        probs, new_state = decoder_step([np.asarray(tokens, dtype="int32")[:, None], np.asarray(state)], training=False)
        probs = keras.ops.convert_to_numpy(probs).astype(np.float64)
        return np.log(np.maximum(probs, 1e-30)), keras.ops.convert_to_numpy(new_state)

    return step
