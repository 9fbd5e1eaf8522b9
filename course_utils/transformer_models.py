"""A small Transformer encoder-decoder in Keras (Vaswani et al., 2017), and how to decode with it.

* ``PositionalEmbedding``: token embedding times sqrt(d_model) plus the fixed sinusoidal encoding of
  :func:`course_utils.transformer.positional_encoding`; its output carries the padding mask (token != 0);
* ``TransformerEncoderBlock``: self-attention over the real source tokens, then a feed-forward network;
* ``TransformerDecoderBlock``: causal self-attention, cross-attention to the encoder output (padded source
  positions masked), then a feed-forward network; it can return its cross-attention weights;
* ``transformer_encoder_decoder``: the whole model, [source ids, decoder input ids] -> next-token probabilities,
  the same inputs and output as :func:`course_utils.models.attention_encoder_decoder` (so the same ``compile``);
* ``transformer_step_fn``: encode the sources once, then a ``step_fn`` for :mod:`course_utils.decoding`;
* ``cross_attention_weights``: the last decoder block's cross-attention weights, for plotting.

Every sub-layer (attention or feed-forward) sits in a residual connection followed by layer normalisation,
``LayerNorm(x + Dropout(sublayer(x)))``: the *post-norm* arrangement of the original paper. (Many later models
normalise first, ``x + sublayer(LayerNorm(x))``, which trains deep stacks more easily; with one or two blocks, as
here, the difference is small.)

Masks are boolean, True where a query may attend to a key, as in :mod:`course_utils.transformer`. They mask
*keys* only: a padded query position computes an output like any other, and nothing downstream reads it (its
loss is masked). Padding id is 0. The layers build their attention masks themselves from the padding masks
they are given, and hand ``keras.layers.MultiHeadAttention`` copies of their inputs without Keras's implicit
mask attached: that layer would otherwise read (and delete) the mask carried by a tensor, and a second
decoder block would then see the encoder output without its padding mask.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import keras
import numpy as np

from course_utils.transformer import positional_encoding

__all__ = [
    "PositionalEmbedding",
    "TransformerEncoderBlock",
    "TransformerDecoderBlock",
    "transformer_encoder_decoder",
    "transformer_step_fn",
    "cross_attention_weights",
]


# ---------------------------------------------------------------------------------------------------- checks


def _check_size(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _check_heads(d_model: int, num_heads: int) -> None:
    if d_model % num_heads:
        raise ValueError(f"d_model ({d_model}) must be divisible by num_heads ({num_heads}): each head gets "
                         f"d_model / num_heads features")  # fmt: skip


def _check_dropout(dropout: Any) -> float:
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float, np.floating)) or not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a number in [0, 1), got {dropout!r}")
    return float(dropout)


def _unmasked(x: Any) -> Any:
    """A copy of ``x`` without the mask Keras attaches to tensors (MultiHeadAttention would read and delete it)."""
    return keras.ops.copy(x)


def _key_mask(mask: Any) -> Any:
    """(B, S) padding mask -> (B, 1, S) attention mask (every query may attend to the real keys)."""
    return keras.ops.expand_dims(keras.ops.cast(mask, "bool"), 1)


def _causal(length: Any) -> Any:
    """(1, T, T) boolean: query i may attend to keys 0..i."""
    i = keras.ops.arange(length)
    return keras.ops.expand_dims(keras.ops.greater_equal(i[:, None], i[None, :]), 0)


# ---------------------------------------------------------------------------------------------------- layers


@keras.saving.register_keras_serializable(package="course_utils")
class PositionalEmbedding(keras.layers.Layer):
    """Token ids (B, T) -> embedding * sqrt(d_model) + sinusoidal position encoding (B, T, d_model).

    The encoding is fixed (not trained), computed for positions 0..max_length - 1; a longer input cannot be
    encoded. Multiplying the embedding by sqrt(d_model) (as in Vaswani et al., 2017) keeps it from being
    drowned by the encoding, whose values lie in [-1, 1]. Like ``Embedding(mask_zero=True)``, the output carries
    the padding mask ``ids != 0`` (``compute_mask``), which Keras passes on to the next layers and to the loss.

    Example:
        >>> layer = PositionalEmbedding(vocab_size=10, d_model=8, max_length=6)
        >>> ids = np.array([[4, 5, 0]])
        >>> tuple(layer(ids).shape), keras.ops.convert_to_numpy(layer.compute_mask(ids)).tolist()
        ((1, 3, 8), [[True, True, False]])
    """

    def __init__(self, vocab_size: int, d_model: int, max_length: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.vocab_size = _check_size("vocab_size", vocab_size)
        self.d_model = _check_size("d_model", d_model)
        self.max_length = _check_size("max_length", max_length)
        self.token_embedding = keras.layers.Embedding(self.vocab_size, self.d_model, name="token_embedding")
        self.encoding = positional_encoding(self.max_length, self.d_model)  # (max_length, d_model), float32
        self.supports_masking = True

    def build(self, input_shape: tuple) -> None:
        self.token_embedding.build(input_shape)

    def call(self, inputs: Any) -> Any:
        ops = keras.ops
        x = self.token_embedding(inputs) * ops.cast(math.sqrt(self.d_model), self.compute_dtype)  # (B, T, d)
        length = ops.shape(inputs)[1]
        encoding = ops.convert_to_tensor(self.encoding, dtype=self.compute_dtype)[:length]  # (T, d)
        return x + ops.expand_dims(encoding, 0)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return keras.ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (*input_shape, self.d_model)

    def get_config(self) -> dict:
        return {**super().get_config(), "vocab_size": self.vocab_size, "d_model": self.d_model,
                "max_length": self.max_length}  # fmt: skip


class _Block(keras.layers.Layer):
    """What both blocks share: sizes, the feed-forward sub-layer, residual + LayerNorm (post-norm)."""

    def __init__(self, d_model: int, num_heads: int, ff_dim: int, dropout: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.d_model = _check_size("d_model", d_model)
        self.num_heads = _check_size("num_heads", num_heads)
        self.ff_dim = _check_size("ff_dim", ff_dim)
        _check_heads(self.d_model, self.num_heads)
        self.dropout = _check_dropout(dropout)
        self.supports_masking = True
        self.ff_hidden = keras.layers.Dense(self.ff_dim, activation="relu", name="ff_hidden")
        self.ff_output = keras.layers.Dense(self.d_model, name="ff_output")
        self.ff_norm = keras.layers.LayerNormalization(epsilon=1e-6, name="ff_norm")
        self.ff_dropout = keras.layers.Dropout(self.dropout)

    def _attention(self, name: str) -> keras.layers.MultiHeadAttention:
        return keras.layers.MultiHeadAttention(self.num_heads, key_dim=self.d_model // self.num_heads, name=name)

    def _check_width(self, shape: tuple, what: str) -> None:
        if shape[-1] is not None and shape[-1] != self.d_model:
            raise ValueError(f"{what} must have d_model = {self.d_model} features (the residual connection adds "
                             f"them), got shape {tuple(shape)}")  # fmt: skip

    def _build_feed_forward(self, shape: tuple) -> None:
        self.ff_hidden.build(shape)
        self.ff_output.build((*shape[:-1], self.ff_dim))
        self.ff_norm.build(shape)

    def _feed_forward(self, x: Any, training: Any) -> Any:
        return self.ff_norm(x + self.ff_dropout(self.ff_output(self.ff_hidden(x)), training=training))

    def get_config(self) -> dict:
        return {**super().get_config(), "d_model": self.d_model, "num_heads": self.num_heads,
                "ff_dim": self.ff_dim, "dropout": self.dropout}  # fmt: skip


@keras.saving.register_keras_serializable(package="course_utils")
class TransformerEncoderBlock(_Block):
    """One encoder block (post-norm): x = LayerNorm(x + SelfAttention(x)); x = LayerNorm(x + FeedForward(x)).

    ``mask`` (B, S), True on real tokens, keeps padded source positions out of every softmax (as keys); Keras
    passes it automatically from a :class:`PositionalEmbedding`, and the block passes it on to its output.
    The feed-forward network is Dense(ff_dim, relu) then Dense(d_model), applied to each position alone.

    Example:
        >>> block = TransformerEncoderBlock(d_model=8, num_heads=2, ff_dim=16)
        >>> x = np.random.default_rng(0).normal(size=(2, 5, 8)).astype("float32")
        >>> tuple(block(x, mask=np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)).shape)
        (2, 5, 8)
    """

    def __init__(self, d_model: int, num_heads: int, ff_dim: int, dropout: float = 0.0, **kwargs: Any) -> None:
        super().__init__(d_model, num_heads, ff_dim, dropout, **kwargs)
        self.self_attention = self._attention("self_attention")
        self.attention_norm = keras.layers.LayerNormalization(epsilon=1e-6, name="attention_norm")
        self.attention_dropout = keras.layers.Dropout(self.dropout)

    def build(self, input_shape: tuple) -> None:
        self._check_width(input_shape, "the encoder block's input")
        self.self_attention.build(input_shape, input_shape)
        self.attention_norm.build(input_shape)
        self._build_feed_forward(input_shape)

    def call(self, inputs: Any, mask: Any = None, training: Any = None) -> Any:
        x = _unmasked(inputs)
        attention_mask = None if mask is None else _key_mask(mask)  # (B, 1, S)
        a = self.self_attention(x, x, attention_mask=attention_mask, training=training)
        x = self.attention_norm(x + self.attention_dropout(a, training=training))
        return self._feed_forward(x, training)


@keras.saving.register_keras_serializable(package="course_utils")
class TransformerDecoderBlock(_Block):
    """One decoder block (post-norm): causal self-attention, cross-attention to the encoder, feed-forward.

    ``y = LayerNorm(y + SelfAttention(y, causal))``, ``y = LayerNorm(y + CrossAttention(query y, keys and values
    the encoder output))``, ``y = LayerNorm(y + FeedForward(y))``. Target position t attends to target positions
    0..t only (``causal=True``; ``causal=False`` exists only to show what goes wrong without the mask: the model
    then reads the token it must predict). ``inputs_mask`` (B, T) masks padded target keys, ``encoder_outputs_mask``
    (B, S) padded source positions; in a functional model Keras fills both in from the masks the inputs carry.

    With ``return_attention_scores=True`` the call returns ``(output, cross-attention weights (B, heads, T, S))``.

    Example:
        >>> block = TransformerDecoderBlock(d_model=8, num_heads=2, ff_dim=16)
        >>> r = np.random.default_rng(0)
        >>> y, enc = r.normal(size=(2, 4, 8)).astype("float32"), r.normal(size=(2, 5, 8)).astype("float32")
        >>> out, w = block(y, enc, encoder_outputs_mask=np.array([[1, 1, 1, 0, 0], [1] * 5], bool),
        ...                return_attention_scores=True)
        >>> tuple(out.shape), tuple(w.shape), float(keras.ops.max(w[0, :, :, 3:]))
        ((2, 4, 8), (2, 2, 4, 5), 0.0)
    """

    def __init__(self, d_model: int, num_heads: int, ff_dim: int, dropout: float = 0.0, causal: bool = True,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(d_model, num_heads, ff_dim, dropout, **kwargs)
        if not isinstance(causal, (bool, np.bool_)):
            raise ValueError(f"causal must be True or False, got {causal!r}")
        self.causal = bool(causal)
        self.self_attention = self._attention("self_attention")
        self.cross_attention = self._attention("cross_attention")
        self.self_norm = keras.layers.LayerNormalization(epsilon=1e-6, name="self_norm")
        self.cross_norm = keras.layers.LayerNormalization(epsilon=1e-6, name="cross_norm")
        self.self_dropout = keras.layers.Dropout(self.dropout)
        self.cross_dropout = keras.layers.Dropout(self.dropout)

    def build(self, inputs_shape: tuple, encoder_outputs_shape: tuple) -> None:
        self._check_width(inputs_shape, "the decoder block's input")
        self._check_width(encoder_outputs_shape, "the encoder output")
        self.self_attention.build(inputs_shape, inputs_shape)
        self.cross_attention.build(inputs_shape, encoder_outputs_shape)
        self.self_norm.build(inputs_shape)
        self.cross_norm.build(inputs_shape)
        self._build_feed_forward(inputs_shape)

    def call(self, inputs: Any, encoder_outputs: Any, inputs_mask: Any = None, encoder_outputs_mask: Any = None,
             training: Any = None, return_attention_scores: bool = False) -> Any:  # fmt: skip
        ops = keras.ops
        y, enc = _unmasked(inputs), _unmasked(encoder_outputs)
        self_mask = _causal(ops.shape(y)[1]) if self.causal else None  # (1, T, T)
        if inputs_mask is not None:  # padded target keys too (the causal mask already hides them from real queries)
            keys = _key_mask(inputs_mask)  # (B, 1, T)
            self_mask = keys if self_mask is None else ops.logical_and(self_mask, keys)
        if self_mask is not None:  # MultiHeadAttention wants the batch dimension
            self_mask = ops.broadcast_to(self_mask, (ops.shape(y)[0], ops.shape(y)[1], ops.shape(y)[1]))
        a = self.self_attention(y, y, attention_mask=self_mask, training=training)
        y = self.self_norm(y + self.self_dropout(a, training=training))
        cross_mask = None if encoder_outputs_mask is None else _key_mask(encoder_outputs_mask)  # (B, 1, S)
        c, weights = self.cross_attention(y, enc, attention_mask=cross_mask, training=training,
                                          return_attention_scores=True) if return_attention_scores else (
            self.cross_attention(y, enc, attention_mask=cross_mask, training=training), None)  # fmt: skip
        y = self.cross_norm(y + self.cross_dropout(c, training=training))
        y = self._feed_forward(y, training)
        return (y, weights) if return_attention_scores else y

    def get_config(self) -> dict:
        return {**super().get_config(), "causal": self.causal}


# ---------------------------------------------------------------------------------------------------- model


def transformer_encoder_decoder(
    source_vocab_size: int,
    target_vocab_size: int,
    source_length: int,
    target_length: int,
    d_model: int = 64,
    num_heads: int = 4,
    ff_dim: int = 128,
    num_layers: int = 1,
    dropout: float = 0.0,
    *,
    causal: bool = True,
    output_bias: np.ndarray | None = None,
) -> keras.Model:
    """A Transformer encoder-decoder: inputs [source ids (B, S), decoder input ids (B, T)], output probabilities.

    ``num_layers`` encoder blocks read the source; ``num_layers`` decoder blocks read the target shifted right
    (start id first), each attending to the last encoder block's output. A softmax layer (``next_token``) gives
    next-token probabilities (B, T, target_vocab_size), as :func:`course_utils.models.attention_encoder_decoder`
    does, so the same ``compile(loss="sparse_categorical_crossentropy", ...)`` works; the target padding mask
    travels with the output, so padded target positions do not count in the loss. Id 0 is padding on both sides.
    ``source_length`` and ``target_length`` are the longest sequences the position encodings cover; the inputs
    may be shorter. ``dropout`` applies to the embeddings and to every sub-layer's output. ``output_bias``
    (e.g. :func:`course_utils.models.unigram_log_prior`) starts the softmax bias; ``causal=False`` removes the
    decoder's causal mask (a demonstration of the bug, never for a real model).

    Raises ``ValueError`` for a non-positive size, a ``d_model`` not divisible by ``num_heads`` or a dropout
    outside [0, 1).

    Example:
        >>> model = transformer_encoder_decoder(20, 15, 6, 5, d_model=8, num_heads=2, ff_dim=16)
        >>> model.output_shape
        (None, None, 15)
        >>> transformer_encoder_decoder(20, 15, 6, 5, d_model=10, num_heads=4)
        Traceback (most recent call last):
        ...
        ValueError: d_model (10) must be divisible by num_heads (4): each head gets d_model / num_heads features
    """
    from course_utils.models import _output_bias_initializer

    sizes = {name: _check_size(name, value) for name, value in (
        ("source_vocab_size", source_vocab_size), ("target_vocab_size", target_vocab_size),
        ("source_length", source_length), ("target_length", target_length), ("d_model", d_model),
        ("num_heads", num_heads), ("ff_dim", ff_dim), ("num_layers", num_layers))}  # fmt: skip
    _check_heads(sizes["d_model"], sizes["num_heads"])
    dropout = _check_dropout(dropout)
    block = {"d_model": sizes["d_model"], "num_heads": sizes["num_heads"], "ff_dim": sizes["ff_dim"],
             "dropout": dropout}  # fmt: skip

    source = keras.Input((None,), dtype="int32", name="source")
    target_in = keras.Input((None,), dtype="int32", name="target_in")
    x = PositionalEmbedding(sizes["source_vocab_size"], sizes["d_model"], sizes["source_length"],
                            name="source_embedding")(source)  # (B, S, d), carries the source mask
    x = keras.layers.Dropout(dropout, name="source_dropout")(x)
    for i in range(sizes["num_layers"]):
        x = TransformerEncoderBlock(**block, name=f"encoder_block_{i}")(x)
    y = PositionalEmbedding(sizes["target_vocab_size"], sizes["d_model"], sizes["target_length"],
                            name="target_embedding")(target_in)  # (B, T, d), carries the target mask
    y = keras.layers.Dropout(dropout, name="target_dropout")(y)
    for i in range(sizes["num_layers"]):
        y = TransformerDecoderBlock(**block, causal=causal, name=f"decoder_block_{i}")(y, x)
    bias = _output_bias_initializer(output_bias, sizes["target_vocab_size"])
    probs = keras.layers.Dense(sizes["target_vocab_size"], activation="softmax", name="next_token",
                               bias_initializer=bias)(y)  # (B, T, V), carries the target mask to the loss
    return keras.Model([source, target_in], probs, name="transformer")


# ---------------------------------------------------------------------------------------------------- inference


def _blocks(model: keras.Model, kind: type) -> list:
    blocks = [layer for layer in model.layers if isinstance(layer, kind)]
    if not blocks:
        raise ValueError(f"model {model.name!r} has no {kind.__name__}: build it with transformer_encoder_decoder")
    return blocks


def _ids(name: str, ids: Any) -> np.ndarray:
    a = np.asarray(ids)
    if a.dtype == bool or not np.issubdtype(a.dtype, np.integer) or a.ndim != 2:
        raise ValueError(f"{name} must be integer token ids of shape (B, T), got dtype {a.dtype}, shape {a.shape}")
    return a.astype("int32")


def _encode(model: keras.Model, source_ids: np.ndarray) -> tuple[Any, np.ndarray]:
    embedding = model.get_layer("source_embedding")
    if source_ids.shape[1] > embedding.max_length:
        raise ValueError(f"source_ids has {source_ids.shape[1]} positions, more than the model's source_length "
                         f"({embedding.max_length})")  # fmt: skip
    mask = source_ids != 0
    x = embedding(source_ids)
    for block in _blocks(model, TransformerEncoderBlock):
        x = block(x, mask=mask, training=False)
    return x, mask


def _decode(model: keras.Model, encoder_outputs: Any, source_mask: np.ndarray, target_ids: np.ndarray,
            return_attention_scores: bool = False) -> Any:  # fmt: skip
    embedding = model.get_layer("target_embedding")
    if target_ids.shape[1] > embedding.max_length:
        raise ValueError(f"the target has {target_ids.shape[1]} positions, more than the model's target_length "
                         f"({embedding.max_length}): decode at most that many tokens")  # fmt: skip
    y = embedding(target_ids)
    blocks = _blocks(model, TransformerDecoderBlock)
    weights = None
    for i, block in enumerate(blocks):
        kwargs = {"inputs_mask": target_ids != 0, "encoder_outputs_mask": source_mask, "training": False}
        if return_attention_scores and i == len(blocks) - 1:
            y, weights = block(y, encoder_outputs, return_attention_scores=True, **kwargs)
        else:
            y = block(y, encoder_outputs, **kwargs)
    probs = model.get_layer("next_token")(y)
    return (probs, weights) if return_attention_scores else probs


StepFn = Callable[[np.ndarray, dict], tuple[np.ndarray, dict]]


def transformer_step_fn(model: keras.Model, source_ids: np.ndarray) -> tuple[StepFn, dict]:
    """Encode ``source_ids`` (B, S) once; return ``(step_fn, initial_state)`` for :mod:`course_utils.decoding`.

    The state is a dict of arrays whose leading dimension is the batch (beam search reorders and repeats its rows):
    ``encoder_outputs`` (B, S, d_model), ``source_mask`` (B, S) and ``tokens`` (B, t), the decoder input so far
    (empty at first). Each call appends the given tokens to ``tokens`` and re-runs the whole decoder on that
    prefix, returning the log-probabilities at its last position. Re-running the prefix is the simplest correct
    way: the causal mask makes every earlier position's output the same as before, so nothing is lost but time
    (step t costs t positions; a cache of the keys and values of earlier positions would avoid that). Decoding
    more than the model's ``target_length`` tokens raises ``ValueError``.

    Example:
        >>> from course_utils.decoding import greedy_decode
        >>> model = transformer_encoder_decoder(20, 15, 6, 5, d_model=8, num_heads=2, ff_dim=16)
        >>> step, state = transformer_step_fn(model, np.array([[4, 5, 6, 0], [7, 8, 0, 0]]))
        >>> {name: a.shape for name, a in state.items()}
        {'encoder_outputs': (2, 4, 8), 'source_mask': (2, 4), 'tokens': (2, 0)}
        >>> log_probs, state = step(np.array([1, 1]), state)
        >>> log_probs.shape, state["tokens"].tolist()
        ((2, 15), [[1], [1]])
        >>> outputs = greedy_decode(*transformer_step_fn(model, np.array([[4, 5, 6, 0]])), 1, 2, max_length=5)
        >>> len(outputs), len(outputs[0]) <= 5
        (1, True)
    """
    from course_utils.models import _LogProbs

    source_ids = _ids("source_ids", source_ids)
    encoder_outputs, source_mask = _encode(model, source_ids)
    state = {
        "encoder_outputs": keras.ops.convert_to_numpy(encoder_outputs),
        "source_mask": source_mask,
        "tokens": np.zeros((len(source_ids), 0), dtype="int32"),
    }
    log_probs = _LogProbs()

    def step(tokens: np.ndarray, state: dict) -> tuple[np.ndarray, dict]:
        prefix = np.concatenate([state["tokens"], np.asarray(tokens, dtype="int32")[:, None]], axis=1)  # (k, t + 1)
        probs = _decode(model, state["encoder_outputs"], state["source_mask"], prefix)  # (k, t + 1, V)
        return log_probs(keras.ops.convert_to_numpy(probs[:, -1])), {**state, "tokens": prefix}

    return step, state


def cross_attention_weights(model: keras.Model, source_ids: np.ndarray, target_in_ids: np.ndarray) -> np.ndarray:
    """The last decoder block's cross-attention weights (B, heads, T_target, T_source), float32.

    Row [b, h, t] is how head h of target position t (reading ``target_in_ids[b, :t + 1]``) spreads its attention
    over the source: it sums to 1 over the real source tokens and is 0 on padding. Average over the heads for
    a single alignment plot (``weights.mean(axis=1)``).

    Example:
        >>> model = transformer_encoder_decoder(20, 15, 6, 5, d_model=8, num_heads=2, ff_dim=16)
        >>> w = cross_attention_weights(model, np.array([[4, 5, 0]]), np.array([[1, 7]]))
        >>> w.shape, w[0, :, :, 2].tolist(), np.allclose(w.sum(axis=-1), 1)
        ((1, 2, 2, 3), [[0.0, 0.0], [0.0, 0.0]], True)
    """
    source_ids = _ids("source_ids", source_ids)
    target_in_ids = _ids("target_in_ids", target_in_ids)
    if len(source_ids) != len(target_in_ids):
        raise ValueError(f"source_ids and target_in_ids must have the same batch size, got {source_ids.shape} and "
                         f"{target_in_ids.shape}")  # fmt: skip
    encoder_outputs, source_mask = _encode(model, source_ids)
    _, weights = _decode(model, encoder_outputs, source_mask, target_in_ids, return_attention_scores=True)
    return keras.ops.convert_to_numpy(weights).astype(np.float32)
