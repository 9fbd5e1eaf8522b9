"""Reference Keras models that several lessons train.

* ``gru_encoder_decoder``: the GRU encoder-decoder of lesson 07;
* ``attention_encoder_decoder``: the attention encoder-decoder of lesson 08 (sizes configurable);
* step functions for :mod:`course_utils.decoding` (``keras_step_fn``, ``attention_step_fn``);
* the recipe for word-level data: ``unigram_log_prior`` (start the softmax bias at the word frequencies),
  ``time_budget`` (train for a fixed time, cosine learning rate), ``saturation`` (is a tanh layer stuck at +-1?);
* ``loss_timeline``: record the training loss against time, to compare models at equal training time.

Lessons 07 and 08 build these models step by step; later lessons (BLEU, beam search) import them from here.
"""

from __future__ import annotations

import sys
from typing import NamedTuple

import numpy as np

__all__ = [
    "Seq2Seq",
    "gru_encoder_decoder",
    "inference_models",
    "keras_step_fn",
    "attention_encoder_decoder",
    "attention_inference_models",
    "attention_step_fn",
    "sequence_log_probs",
    "unigram_log_prior",
    "saturation",
    "time_budget",
    "loss_timeline",
]


class Seq2Seq(NamedTuple):
    """A trainable encoder-decoder and the two models used to decode with it (they share weights)."""

    trainer: "object"  # keras.Model: [source ids, decoder input ids] -> next-token probabilities
    encoder: "object"  # keras.Model: source ids -> initial decoder state (B, units)
    decoder_step: "object"  # keras.Model: [last token (B, 1), state (B, units)] -> [probs (B, V), new state]


def gru_encoder_decoder(
    source_vocab_size: int,
    target_vocab_size: int,
    *,
    embed_dim: int = 64,
    units: int = 256,
    output_bias: np.ndarray | None = None,
) -> Seq2Seq:
    """A masked GRU encoder-decoder trained with teacher forcing.

    The encoder reads the source (id 0 = padding, masked); its final state starts the decoder,
    which reads the target shifted right (start id first) and predicts the next target token.
    ``output_bias`` (e.g. from :func:`unigram_log_prior`) sets the initial bias of the softmax layer.

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
    probs = keras.layers.Dense(target_vocab_size, activation="softmax", name="next_token",
                               bias_initializer=_output_bias_initializer(output_bias, target_vocab_size))(y)  # fmt: skip
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


class _LogProbs:
    """probabilities -> float64 log(max(p, 1e-30)), written into a buffer that is reused while nobody holds it.

    Decoding calls a step function on (k, vocab) arrays at every step; with a word vocabulary and beam search
    k x vocab is tens of millions of numbers, and allocating a fresh float64 array for them at every step
    cost more than the model itself. The buffer is reused only if no array returned earlier (or a view
    of it) is still alive, so a caller who keeps a result never sees it change.
    """

    def __init__(self) -> None:
        self.buffer: np.ndarray | None = None

    def __call__(self, probs: "object") -> np.ndarray:
        probs = np.asarray(probs)  # a TensorFlow tensor on the CPU: no copy
        buffer = self.buffer
        # references to the buffer: self.buffer, the local name, getrefcount's argument; more = a view is alive
        if (buffer is None or buffer.shape[1:] != probs.shape[1:] or len(buffer) < len(probs)
                or sys.getrefcount(buffer) > 3):  # fmt: skip
            buffer = self.buffer = np.empty(probs.shape, dtype=np.float64)
        out = buffer[: len(probs)]
        np.copyto(out, probs)  # float32 -> float64
        np.maximum(out, 1e-30, out=out)
        return np.log(out, out=out)


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

    log_probs = _LogProbs()

    def step(tokens: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        probs, new_state = decoder_step([np.asarray(tokens, dtype="int32")[:, None], np.asarray(state)], training=False)
        return log_probs(probs), keras.ops.convert_to_numpy(new_state)

    return step


def _check_sizes(**sizes: int | None) -> None:
    for name, value in sizes.items():
        if value is not None and (not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1):
            raise ValueError(f"{name} must be a positive int, got {value!r}")


def _output_bias_initializer(output_bias: np.ndarray | None, target_vocab_size: int):
    import keras

    if output_bias is None:
        return "zeros"
    bias = np.asarray(output_bias, dtype="float32")
    if bias.shape != (target_vocab_size,) or not np.all(np.isfinite(bias)):
        raise ValueError(f"output_bias must be {target_vocab_size} finite numbers, got shape {bias.shape}")
    return keras.initializers.Constant(bias)


def attention_encoder_decoder(
    source_vocab_size: int,
    target_vocab_size: int,
    *,
    embed_dim: int = 32,
    units: int = 64,
    attention_units: int | None = None,
    combine_units: int = 128,
    combine_activation: str | None = "tanh",
    output_bias: np.ndarray | None = None,
) -> "object":
    """The attention encoder-decoder of lesson 08: Luong's arrangement with an additive (Bahdanau-style) score.

    The encoder is a bidirectional GRU of ``units`` per direction; the decoder a GRU of ``2 * units``
    started from both final encoder states. Attention comes *after* the decoder GRU, as in Luong et al.
    (2015): the current decoder output s_t is the query; the additive score (``attention_units``, by default
    ``units``) of Bahdanau et al. weighs the encoder outputs; a ``combine_units`` Dense layer mixes s_t with
    its context before the softmax over the target vocabulary. (Bahdanau's own model queries with the
    previous state s_{t-1} and feeds the context into the GRU's input; Luong's adds "input feeding", the
    previous combined vector fed to the next step's input. Neither is used here, so the whole target is
    trained in one pass of the decoder GRU.) The defaults are the small model of the dates lesson.

    For word-level translation pass larger sizes and ``output_bias=unigram_log_prior(decoder_targets, vocab_size)``.
    Without it, Adam (3e-3) first pushes the whole network towards the frequent words; every weight of the
    ``combine`` tanh layer moves by about the learning rate per step in the same direction, its inputs grow, and
    within a few hundred steps nearly all its outputs sit at +-1 (see :func:`saturation`): no gradient passes and
    the model outputs the same few words for every source. Starting the softmax at the word frequencies removes
    that first push.

    Returns the trainable model; :func:`attention_inference_models` builds its encoder and decoder-step models.

    Example:
        >>> model = attention_encoder_decoder(20, 15, embed_dim=8, units=8)
        >>> model.output_shape
        (None, None, 15)
        >>> attention_encoder_decoder(20, 15, units=8, combine_units=12).get_layer("combine").units
        12
    """
    import keras

    from course_utils.attention import BahdanauAttention

    _check_sizes(source_vocab_size=source_vocab_size, target_vocab_size=target_vocab_size, embed_dim=embed_dim,
                 units=units, attention_units=attention_units, combine_units=combine_units)  # fmt: skip
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
    context, _ = BahdanauAttention(attention_units or units, name="attention")([dec_states, enc_states])
    hidden = keras.layers.Dense(combine_units, activation=combine_activation, name="combine")(
        keras.layers.Concatenate(name="with_context")([dec_states, context])
    )
    probs = keras.layers.Dense(
        target_vocab_size, activation="softmax", name="next_char",
        bias_initializer=_output_bias_initializer(output_bias, target_vocab_size),
    )(hidden)  # fmt: skip
    return keras.Model([source, target_in], probs, name="attention_encoder_decoder")


def unigram_log_prior(target_ids: np.ndarray, vocab_size: int) -> np.ndarray:
    """log frequency of every target id in ``target_ids`` (padding 0 not counted, add-one smoothed): an output bias.

    Starting the softmax layer's bias at these values makes an untrained model predict the unigram
    distribution (loss about the unigram entropy instead of log V), so the first updates do not have to
    push every hidden unit towards the frequent words.

    Example:
        >>> prior = unigram_log_prior(np.array([[4, 4, 2, 0]]), 5)
        >>> np.round(np.exp(prior), 3).tolist()
        [0.125, 0.125, 0.25, 0.125, 0.375]
    """
    ids = np.asarray(target_ids)
    if not np.issubdtype(ids.dtype, np.integer) or (ids.size and (ids.min() < 0 or ids.max() >= vocab_size)):
        raise ValueError(f"target_ids must be integer ids in [0, {vocab_size})")
    counts = np.bincount(ids[ids > 0].ravel(), minlength=vocab_size).astype(np.float64) + 1.0
    counts[0] = 1.0
    return np.log(counts / counts.sum()).astype("float32")


def time_budget(seconds: float, *, clock: str = "cpu", learning_rate: float | None = None) -> "object":
    """A Keras callback that stops ``fit`` once ``seconds`` have passed, to compare models at equal training time.

    ``clock="cpu"`` counts the CPU time of this process (all its threads: 180 s of wall time on 2 fully used
    cores is 360 CPU-seconds), which other programs on the same machine inflate less than wall time, though not
    to zero (threads that wait for a busy core still spend some CPU time);
    ``clock="wall"`` counts elapsed time. With ``learning_rate``, the optimizer's learning rate follows a
    cosine from that value down to 0 over the budget (pass a plain float learning rate to the optimizer).
    Training stops after the batch during which the budget ran out. ``callback.steps`` and
    ``callback.elapsed`` hold the number of batches and the time used.

    Example:
        >>> budget = time_budget(60.0, clock="wall", learning_rate=3e-3)
        >>> budget.seconds, budget.clock
        (60.0, 'wall')
    """
    import math
    import time

    import keras

    if not seconds > 0:
        raise ValueError(f"seconds must be positive, got {seconds}")
    if clock not in ("cpu", "wall"):
        raise ValueError(f"clock must be 'cpu' or 'wall', got {clock!r}")
    now = time.process_time if clock == "cpu" else time.perf_counter

    class TimeBudget(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.seconds, self.clock, self.steps, self.elapsed = float(seconds), clock, 0, 0.0

        def on_train_begin(self, logs=None) -> None:
            self.start, self.steps = now(), 0
            if learning_rate is not None:
                self.model.optimizer.learning_rate.assign(learning_rate)

        def on_train_batch_end(self, batch, logs=None) -> None:
            self.steps += 1
            self.elapsed = now() - self.start
            fraction = self.elapsed / self.seconds
            if fraction >= 1.0:
                self.model.stop_training = True
            elif learning_rate is not None:
                self.model.optimizer.learning_rate.assign(learning_rate * 0.5 * (1.0 + math.cos(math.pi * fraction)))

    return TimeBudget()


def loss_timeline(every: int = 10, *, clock: str = "cpu") -> "object":
    """A Keras callback that records (time since training began, recent training loss) every ``every`` batches.

    The loss recorded is the mean training loss of the batches since the previous record (weighted by batch
    size, as Keras weights it), not the running mean since the start of the epoch that Keras prints: a running
    mean lags behind, most of all in a short run. ``clock`` is ``"cpu"`` (CPU time of this process, as in
    :func:`time_budget`) or ``"wall"``. After ``fit``, ``callback.seconds`` and ``callback.losses`` hold the two
    lists (the last batch of each epoch always ends a record) and ``callback.batches`` the number of training
    batches.

    Example:
        >>> timeline = loss_timeline(every=5, clock="wall")
        >>> timeline.every, timeline.seconds, timeline.losses
        (5, [], [])
    """
    import time

    import keras

    if isinstance(every, bool) or not isinstance(every, (int, np.integer)) or every < 1:
        raise ValueError(f"every must be a positive int, got {every!r}")
    if clock not in ("cpu", "wall"):
        raise ValueError(f"clock must be 'cpu' or 'wall', got {clock!r}")
    now = time.process_time if clock == "cpu" else time.perf_counter

    class LossTimeline(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.every, self.clock, self.seconds, self.losses = int(every), clock, [], []
            self.batches, self._pending, self._done = 0, 0, (0.0, 0.0)

        def _tracker(self) -> "object":
            # the Mean metric behind Keras' "loss" log: its total and count are sums over the epoch so far
            for metric in self.model.metrics:
                if metric.name == "loss" and hasattr(metric, "total") and hasattr(metric, "count"):
                    return metric
            raise RuntimeError("loss_timeline needs a compiled model whose metrics include Keras' 'loss' tracker")

        def _record(self) -> None:
            tracker = self._tracker()
            total = float(keras.ops.convert_to_numpy(tracker.total))  # sum of batch loss x batch size
            count = float(keras.ops.convert_to_numpy(tracker.count))  # samples so far in this epoch
            self.seconds.append(now() - self.start)
            self.losses.append((total - self._done[0]) / (count - self._done[1]))
            self._done, self._pending = (total, count), 0

        def on_train_begin(self, logs=None) -> None:
            self.start, self.seconds, self.losses, self.batches = now(), [], [], 0

        def on_epoch_begin(self, epoch, logs=None) -> None:
            self._done, self._pending = (0.0, 0.0), 0  # Keras resets the loss tracker at every epoch

        def on_train_batch_end(self, batch, logs=None) -> None:
            self.batches += 1
            self._pending += 1
            if self.batches % self.every == 0:
                self._record()

        def on_epoch_end(self, epoch, logs=None) -> None:
            if self._pending:
                self._record()

    return LossTimeline()


def saturation(model: "object", inputs: list, layer: str = "combine", threshold: float = 0.99) -> float:
    """Fraction of a tanh layer's outputs with ``|value| > threshold`` on ``inputs`` (real target positions only).

    Near 1.0 means the layer is saturated: its gradient is almost zero and the model stops learning.

    Example:
        >>> m = attention_encoder_decoder(20, 15, embed_dim=8, units=8)
        >>> saturation(m, [np.array([[4, 5, 6]]), np.array([[1, 4, 0]])]) < 0.5
        True
    """
    import keras

    probe = keras.Model(model.inputs, model.get_layer(layer).output)
    values = keras.ops.convert_to_numpy(probe([np.asarray(a) for a in inputs], training=False))  # (B, T, units)
    real = np.asarray(inputs[1]) > 0
    return float((np.abs(values[real]) > threshold).mean())


def attention_inference_models(model: "object") -> tuple["object", "object"]:
    """Encoder ([encoder states, initial state]) and decoder step ([probs, new state, weights]) of the attention model.

    Example:
        >>> encoder, step = attention_inference_models(attention_encoder_decoder(20, 15, embed_dim=8, units=8))
        >>> [tuple(t.shape) for t in step.outputs]
        [(None, 15), (None, 16), (None, None)]
    """
    import keras

    layer = model.get_layer
    units2 = layer("decoder").units
    source = keras.Input((None,), dtype="int32")
    enc_states, fwd, bwd = layer("encoder")(layer("src_embed")(source))
    encoder = keras.Model(source, [enc_states, layer("init_state")([fwd, bwd])])
    token = keras.Input((1,), dtype="int32")
    state = keras.Input((units2,))
    enc_in = keras.Input((None, units2))
    mask_in = keras.Input((None,), dtype="bool")
    dec, new_state = layer("decoder")(layer("tgt_embed")(token), initial_state=state)
    context, weights = layer("attention")([dec, enc_in], mask=[None, mask_in])
    probs = layer("next_char")(layer("combine")(layer("with_context")([dec, context])))
    step = keras.Model([token, state, enc_in, mask_in],
                       [keras.ops.squeeze(probs, 1), new_state, keras.ops.squeeze(weights, 1)])  # fmt: skip
    return encoder, step


def attention_step_fn(step_model: "object"):
    """A ``step_fn`` for :mod:`course_utils.decoding` whose state is (decoder state, encoder states, source mask).

    Example:
        >>> enc, step = attention_inference_models(attention_encoder_decoder(20, 15, embed_dim=8, units=8))
        >>> state = (np.zeros((2, 16)), np.zeros((2, 5, 16)), np.ones((2, 5), bool))
        >>> log_probs, new = attention_step_fn(step)(np.array([1, 1]), state)
        >>> log_probs.shape, new[0].shape, new[1].shape
        ((2, 15), (2, 16), (2, 5, 16))
    """
    import keras

    log_probs = _LogProbs()

    def step(tokens: np.ndarray, state: tuple) -> tuple[np.ndarray, tuple]:
        dec_state, enc_states, mask = state
        probs, new_state, _ = step_model(
            [np.asarray(tokens, dtype="int32")[:, None], dec_state, enc_states, mask], training=False
        )
        return log_probs(probs), (keras.ops.convert_to_numpy(new_state), enc_states, mask)

    return step


def sequence_log_probs(trainer: "object", inputs: list, target_out: np.ndarray, batch_size: int = 1024) -> np.ndarray:
    """log P(target | source) under a teacher-forced model: the sum of log-probabilities of every real target token.

    ``inputs`` is what the trainer takes ([source ids, decoder input ids]); ``target_out`` (B, T) the ids
    it should predict, with 0 as padding (not counted).

    Example:
        >>> m = gru_encoder_decoder(20, 15, embed_dim=8, units=8)
        >>> lp = sequence_log_probs(m.trainer, [np.array([[4, 5]]), np.array([[1, 6]])], np.array([[6, 2]]))
        >>> lp.shape, bool(lp[0] < 0)
        ((1,), True)
    """
    import keras

    out = []
    for start in range(0, len(target_out), batch_size):
        chunk = [np.asarray(a[start : start + batch_size]) for a in inputs]
        probs = keras.ops.convert_to_numpy(trainer(chunk, training=False)).astype(np.float64)
        tgt = target_out[start : start + batch_size]
        picked = np.take_along_axis(probs, tgt[..., None], axis=-1)[..., 0]
        out.append(np.where(tgt > 0, np.log(np.maximum(picked, 1e-30)), 0.0).sum(axis=1))
    return np.concatenate(out)
