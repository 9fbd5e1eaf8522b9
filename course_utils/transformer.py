"""Self-attention and the Transformer's building blocks, written out in NumPy (Vaswani et al., 2017).

* ``scaled_dot_product_attention``: softmax(q k^T / sqrt(d)) v, with a boolean mask (True = may attend);
* ``causal_mask``, ``padding_mask``, ``padding_mask_from_tokens``: the two masks a Transformer uses;
* ``positional_encoding``: the sinusoidal position encodings;
* ``multi_head_attention``: ``keras.layers.MultiHeadAttention`` recomputed in NumPy from the layer's weights,
  which ``mha_weights_from_keras`` reads out of a built layer.

Conventions (the same as Keras's): a mask is boolean, **True where a query may attend to a key**; masks combine
with a logical AND; scores are divided by sqrt(d), d the size of a query/key vector (``key_dim`` per head).
Everything is computed in float64 and returned as float64, except ``positional_encoding`` (float32).

One deliberate difference from Keras: a query row whose mask allows no key at all raises ``ValueError`` here
(naming the row), where Keras silently returns all-zero weights for it (and, in ``MultiHeadAttention``, only the
output bias as that position's output). Such a row is almost always a masking bug; a padded *query* position is
not one, because a padding mask masks keys, not queries.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "scaled_dot_product_attention",
    "causal_mask",
    "padding_mask",
    "padding_mask_from_tokens",
    "positional_encoding",
    "multi_head_attention",
    "mha_weights_from_keras",
    "MHA_WEIGHT_NAMES",
]

#: The arrays :func:`multi_head_attention` takes, in the order of ``keras.layers.MultiHeadAttention.weights``.
MHA_WEIGHT_NAMES: tuple[str, ...] = (
    "query_kernel", "query_bias", "key_kernel", "key_bias",
    "value_kernel", "value_bias", "output_kernel", "output_bias",
)  # fmt: skip


# ---------------------------------------------------------------------------------------------------- checks


def _check_positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {value!r} of type {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be positive, got {value}")
    return int(value)


def _as_real_array(name: str, x: Any, min_ndim: int) -> np.ndarray:
    a = np.asarray(x)
    if a.dtype == bool or not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise TypeError(f"{name} must be an array of real numbers, got dtype {a.dtype}")
    if a.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimensions, got shape {a.shape}")
    a = a.astype(np.float64)
    if not np.all(np.isfinite(a)):
        first = tuple(int(i) for i in np.argwhere(~np.isfinite(a))[0])
        raise ValueError(f"{name} contains NaN or infinity (first at index {first}, shape {a.shape})")
    return a


def _as_bool_mask(mask: Any) -> np.ndarray:
    m = np.asarray(mask)
    if m.dtype == bool:
        return m
    if np.issubdtype(m.dtype, np.integer) and np.isin(m, (0, 1)).all():
        return m.astype(bool)
    raise TypeError(
        f"mask must be boolean (True = may attend) or integers 0/1, got dtype {m.dtype}"
        + (f" with values {np.unique(m)[:5].tolist()}" if m.size and np.issubdtype(m.dtype, np.number) else "")
        + "; an additive mask (0 / -inf added to the scores) is a different convention"
    )


def _broadcast_mask(mask: Any, scores_shape: tuple[int, ...]) -> np.ndarray:
    m = _as_bool_mask(mask)
    if m.ndim > len(scores_shape):
        raise ValueError(f"mask of shape {m.shape} has more dimensions than the scores {scores_shape} (..., Tq, Tk)")
    try:
        return np.broadcast_to(m, scores_shape)
    except ValueError:
        raise ValueError(f"mask of shape {m.shape} does not broadcast to the scores' shape {scores_shape} "
                         "(..., Tq, Tk)") from None  # fmt: skip


def _check_rows(mask: np.ndarray, batch_name: str = "batch index") -> None:
    """Raise if some (..., query) row of a broadcast mask (..., Tq, Tk) allows no key."""
    empty = ~mask.any(axis=-1)  # (..., Tq)
    if empty.any():
        first = tuple(int(i) for i in np.argwhere(empty)[0])
        *batch, query = first
        where = f"{batch_name} {batch[0] if len(batch) == 1 else tuple(batch)}, " if batch else ""
        raise ValueError(f"the mask allows no key for the row at {where}query position {query} "
                         f"({int(empty.sum())} such row(s) in all): every query needs at least one key it may "
                         "attend to (True = may attend)")  # fmt: skip


def _softmax(scores: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)  # every row has a finite maximum: exp(...) <= 1
    e = np.exp(scores)  # exp(-inf) = 0: masked keys get exactly 0
    return e / e.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------------------------------------------- attention


def scaled_dot_product_attention(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Scaled dot-product attention: weights = softmax(q k^T / sqrt(d)), output = weights v.

    Shapes: q (..., Tq, d), k (..., Tk, d), v (..., Tk, dv); the leading dimensions broadcast against each
    other. ``mask`` (bool, or 0/1 integers) broadcasts to (..., Tq, Tk) and is True where query i may attend to
    key j: a masked score is set to -inf before the softmax, so its weight is exactly 0 and the allowed weights
    of each row sum to 1. The softmax subtracts each row's largest allowed score first, so large scores do not
    overflow. Returns ``(output (..., Tq, dv), weights (..., Tq, Tk))`` as float64.

    Raises ``ValueError`` if the shapes do not fit together (naming them), or if some row of the mask allows no
    key at all (naming its batch index and query position).

    Example:
        >>> q = np.array([[1.0, 0.0]]); k = np.array([[1.0, 0.0], [0.0, 1.0]]); v = np.array([[10.0], [20.0]])
        >>> out, w = scaled_dot_product_attention(q, k, v)
        >>> np.round(w, 3).tolist(), np.round(out, 2).tolist()
        ([[0.67, 0.33]], [[13.3]])
        >>> scaled_dot_product_attention(q, k, v, mask=np.array([[True, False]]))[0].tolist()
        [[10.0]]
    """
    q = _as_real_array("q", q, 2)
    k = _as_real_array("k", k, 2)
    v = _as_real_array("v", v, 2)
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k must have the same last dimension d, got q {q.shape} and k {k.shape}")
    if q.shape[-1] < 1:
        raise ValueError(f"q and k need at least one feature (d >= 1), got q {q.shape}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v must have the same number of keys Tk, got k {k.shape} and v {v.shape}")
    if k.shape[-2] < 1:
        raise ValueError(f"there must be at least one key, got k {k.shape}")
    try:
        batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(f"the leading (batch) dimensions of q {q.shape}, k {k.shape} and v {v.shape} "
                         "do not broadcast") from None  # fmt: skip
    scores = q @ np.swapaxes(k, -1, -2) / math.sqrt(q.shape[-1])  # (..., Tq, Tk)
    full = batch + scores.shape[-2:]
    scores = np.broadcast_to(scores, full)
    m = None
    if mask is not None:
        m = _broadcast_mask(mask, full)
        _check_rows(m)
    weights = _softmax(scores, m)
    return weights @ v, weights


def causal_mask(length: int) -> np.ndarray:
    """The causal (look-ahead) mask (length, length): True on and below the diagonal, query i sees keys 0..i.

    Example:
        >>> causal_mask(3).astype(int).tolist()
        [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
    """
    length = _check_positive_int("length", length)
    return np.tril(np.ones((length, length), dtype=bool))


def padding_mask(lengths: np.ndarray | list[int], max_length: int) -> np.ndarray:
    """Padding mask (B, 1, max_length) from sequence lengths: True on the first ``lengths[b]`` keys of example b.

    The middle axis of size 1 broadcasts over the query positions. Lengths must lie in 1..max_length
    (a sequence of length 0 leaves its queries no key to attend to).

    Example:
        >>> padding_mask([2, 3], 4).astype(int).tolist()
        [[[1, 1, 0, 0]], [[1, 1, 1, 0]]]
    """
    max_length = _check_positive_int("max_length", max_length)
    lengths = np.asarray(lengths)
    if lengths.dtype == bool or not np.issubdtype(lengths.dtype, np.integer):
        raise TypeError(f"lengths must be integers, got dtype {lengths.dtype}")
    if lengths.ndim != 1:
        raise ValueError(f"lengths must be one-dimensional (B,), got shape {lengths.shape}")
    bad = np.flatnonzero((lengths < 1) | (lengths > max_length))
    if bad.size:
        raise ValueError(f"lengths must lie in 1..{max_length} (max_length), got {int(lengths[bad[0]])} "
                         f"at index {int(bad[0])}")  # fmt: skip
    return (np.arange(max_length)[None, :] < lengths[:, None])[:, None, :]


def padding_mask_from_tokens(tokens: np.ndarray, pad_id: int = 0) -> np.ndarray:
    """Padding mask (B, 1, T) from token ids (B, T): True where the token is not ``pad_id``.

    Like ``Embedding(mask_zero=True)``, every ``pad_id`` token is masked, wherever it stands. An example made
    only of padding raises ``ValueError`` (its queries would have no key to attend to).

    Example:
        >>> padding_mask_from_tokens(np.array([[5, 7, 0], [4, 0, 0]])).astype(int).tolist()
        [[[1, 1, 0]], [[1, 0, 0]]]
    """
    tokens = np.asarray(tokens)
    if tokens.dtype == bool or not np.issubdtype(tokens.dtype, np.integer):
        raise TypeError(f"tokens must be integer ids, got dtype {tokens.dtype}")
    if tokens.ndim != 2:
        raise ValueError(f"tokens must have shape (B, T), got {tokens.shape}")
    if isinstance(pad_id, bool) or not isinstance(pad_id, (int, np.integer)):
        raise TypeError(f"pad_id must be an int, got {pad_id!r}")
    mask = tokens != pad_id  # (B, T)
    empty = np.flatnonzero(~mask.any(axis=1))
    if empty.size:
        raise ValueError(f"example {int(empty[0])} is only padding (pad_id {pad_id}, shape {tokens.shape}): "
                         "its queries would have no key to attend to")  # fmt: skip
    return mask[:, None, :]


def positional_encoding(length: int, depth: int) -> np.ndarray:
    """Sinusoidal position encodings (length, depth), float32 (Vaswani et al., 2017, section 3.5).

    For position ``pos`` and ``i = 0, 1, ...``::

        PE[pos, 2i]     = sin(pos / 10000 ** (2i / depth))
        PE[pos, 2i + 1] = cos(pos / 10000 ** (2i / depth))

    Each pair of columns is one sinusoid; its wavelength 2π · 10000 ** (2i / depth) grows geometrically from
    2π (columns 0 and 1) towards 10000 · 2π. All values lie in [-1, 1]; row 0 is 0, 1, 0, 1, ...
    An odd ``depth`` is accepted: the formula is applied column by column, so the last column is a sine
    (its cosine partner is cut off).

    Example:
        >>> pe = positional_encoding(50, 8)
        >>> pe.shape, pe.dtype.name, pe[0].tolist()
        ((50, 8), 'float32', [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
        >>> bool(np.isclose(pe[3, 2], np.sin(3 / 10000 ** (2 / 8))))
        True
    """
    length = _check_positive_int("length", length)
    depth = _check_positive_int("depth", depth)
    pos = np.arange(length, dtype=np.float64)[:, None]  # (length, 1)
    pair = np.arange(depth) // 2  # i for columns 2i and 2i + 1
    angles = pos / 10000.0 ** (2.0 * pair / depth)  # (length, depth)
    pe = np.where(np.arange(depth) % 2 == 0, np.sin(angles), np.cos(angles))
    return pe.astype(np.float32)


# ---------------------------------------------------------------------------------------------------- multi-head


def _check_mha_weights(weights: dict[str, Any]) -> dict[str, np.ndarray | None]:
    if not isinstance(weights, dict):
        raise TypeError(f"weights must be a dict of arrays by name, got {type(weights).__name__}")
    unknown = sorted(set(weights) - set(MHA_WEIGHT_NAMES))
    if unknown:
        raise ValueError(f"unknown weight name(s) {unknown}; expected {list(MHA_WEIGHT_NAMES)}")
    kernels = [n for n in MHA_WEIGHT_NAMES if n.endswith("kernel")]
    biases = [n for n in MHA_WEIGHT_NAMES if n.endswith("bias")]
    missing = [n for n in kernels if n not in weights]
    if missing:
        raise ValueError(f"missing weight(s) {missing}")
    present = [n for n in biases if n in weights]
    if present and len(present) != len(biases):
        raise ValueError(f"give all four biases or none (a layer with use_bias=False), got only {present}")
    out: dict[str, np.ndarray | None] = {n: None for n in MHA_WEIGHT_NAMES}
    for name in kernels + present:
        out[name] = _as_real_array(name, weights[name], 1)
    wq, wk, wv, wo = (out[n] for n in kernels)
    for name, w, rank in (("query_kernel", wq, 3), ("key_kernel", wk, 3), ("value_kernel", wv, 3),
                          ("output_kernel", wo, 3)):  # fmt: skip
        if w.ndim != rank:
            raise ValueError(f"{name} must have {rank} dimensions, got shape {w.shape}")
    heads, key_dim = wq.shape[1:]
    value_dim = wv.shape[2]
    expected = {
        "key_kernel": (wk.shape[0], heads, key_dim),
        "value_kernel": (wk.shape[0], heads, value_dim),
        "output_kernel": (heads, value_dim, wo.shape[2]),
        "query_bias": (heads, key_dim),
        "key_bias": (heads, key_dim),
        "value_bias": (heads, value_dim),
        "output_bias": (wo.shape[2],),
    }
    for name, shape in expected.items():
        if out[name] is not None and out[name].shape != shape:
            raise ValueError(f"{name} has shape {out[name].shape}, expected {shape} to fit query_kernel "
                             f"{wq.shape} (d_q, heads, key_dim) and value_kernel {wv.shape}")  # fmt: skip
    return out


def multi_head_attention(
    x_q: np.ndarray,
    x_kv: np.ndarray,
    weights: dict[str, np.ndarray],
    num_heads: int,
    mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``keras.layers.MultiHeadAttention`` in NumPy: the layer's output and its per-head attention weights.

    ``x_q`` (B, Tq, d_q) gives the queries, ``x_kv`` (B, Tk, d_kv) the keys and the values (``x_kv = x_q`` for
    self-attention). ``weights`` holds the layer's arrays by name (see :func:`mha_weights_from_keras`):
    ``query_kernel`` / ``key_kernel`` (d, heads, key_dim), ``value_kernel`` (d_kv, heads, value_dim),
    biases (heads, key_dim or value_dim), ``output_kernel`` (heads, value_dim, d_out), ``output_bias`` (d_out,);
    the four biases may be left out together (a layer built with ``use_bias=False``). The computation::

        Q = einsum("btd,dhk->bthk", x_q, Wq) + bq             # (B, Tq, heads, key_dim), likewise K and V
        A = softmax_s(einsum("bshk,bthk->bhts", K, Q / sqrt(key_dim)))  # (B, heads, Tq, Tk), masked keys -> 0
        out = einsum("bthv,hvo->bto", einsum("bhts,bshv->bthv", A, V), Wo) + bo

    Each head is :func:`scaled_dot_product_attention` on its own projections; the output projection sums the
    heads' results (the same as concatenating them and multiplying by a (heads * value_dim, d_out) matrix).
    ``mask`` broadcasts to (B, Tq, Tk), True = may attend, as Keras's ``attention_mask``; it is shared by all
    heads. ``num_heads`` must agree with the kernels (a check, not a setting). Returns
    ``(output (B, Tq, d_out), weights_per_head (B, heads, Tq, Tk))``, the latter what Keras returns with
    ``return_attention_scores=True``. Unlike Keras, a query row with no allowed key raises ``ValueError``.

    Example:
        >>> r = np.random.default_rng(0)
        >>> w = {"query_kernel": r.normal(size=(4, 2, 3)), "key_kernel": r.normal(size=(4, 2, 3)),
        ...      "value_kernel": r.normal(size=(4, 2, 3)), "output_kernel": r.normal(size=(2, 3, 4))}
        >>> x = r.normal(size=(1, 5, 4))
        >>> out, a = multi_head_attention(x, x, w, num_heads=2, mask=causal_mask(5))
        >>> out.shape, a.shape, a[0, 1, 0].round(3).tolist()
        ((1, 5, 4), (1, 2, 5, 5), [1.0, 0.0, 0.0, 0.0, 0.0])
    """
    num_heads = _check_positive_int("num_heads", num_heads)
    w = _check_mha_weights(weights)
    x_q = _as_real_array("x_q", x_q, 3)
    x_kv = _as_real_array("x_kv", x_kv, 3)
    if x_q.ndim != 3 or x_kv.ndim != 3:
        raise ValueError(f"x_q and x_kv must have shape (B, T, d), got x_q {x_q.shape} and x_kv {x_kv.shape}")
    if x_q.shape[0] != x_kv.shape[0]:
        raise ValueError(f"x_q and x_kv must have the same batch size, got x_q {x_q.shape} and x_kv {x_kv.shape}")
    wq, wk, wv, wo = w["query_kernel"], w["key_kernel"], w["value_kernel"], w["output_kernel"]
    if wq.shape[1] != num_heads:
        raise ValueError(f"num_heads is {num_heads} but the kernels have {wq.shape[1]} heads "
                         f"(query_kernel {wq.shape})")  # fmt: skip
    if x_q.shape[-1] != wq.shape[0]:
        raise ValueError(f"x_q has {x_q.shape[-1]} features (shape {x_q.shape}) but query_kernel {wq.shape} "
                         f"expects {wq.shape[0]}")  # fmt: skip
    if x_kv.shape[-1] != wk.shape[0]:
        raise ValueError(f"x_kv has {x_kv.shape[-1]} features (shape {x_kv.shape}) but key_kernel {wk.shape} "
                         f"expects {wk.shape[0]}")  # fmt: skip
    m = None
    if mask is not None:
        m = _broadcast_mask(mask, (x_q.shape[0], x_q.shape[1], x_kv.shape[1]))  # (B, Tq, Tk)
        _check_rows(m, batch_name="example")
        m = m[:, None, :, :]  # (B, 1, Tq, Tk): the same mask for every head

    def project(x, kernel, bias):  # (B, T, d) -> (B, heads, T, dim)
        y = np.einsum("btd,dhk->bthk", x, kernel)
        if bias is not None:
            y = y + bias
        return y.transpose(0, 2, 1, 3)

    q = project(x_q, wq, w["query_bias"])
    k = project(x_kv, wk, w["key_bias"])
    v = project(x_kv, wv, w["value_bias"])
    heads_out, attention = scaled_dot_product_attention(q, k, v, m)  # (B, heads, Tq, value_dim), (B, h, Tq, Tk)
    out = np.einsum("bhtv,hvo->bto", heads_out, wo)
    if w["output_bias"] is not None:
        out = out + w["output_bias"]
    return out, attention


def mha_weights_from_keras(layer: Any) -> dict[str, np.ndarray]:
    """The arrays of a built ``keras.layers.MultiHeadAttention``, by name, for :func:`multi_head_attention`.

    Keys: ``query_kernel``, ``key_kernel``, ``value_kernel``, ``output_kernel`` and, if the layer has biases
    (``use_bias=True``, the default), ``query_bias``, ``key_bias``, ``value_bias``, ``output_bias``; float32
    copies. Raises ``ValueError`` for a layer that is not built yet, or that uses a feature
    :func:`multi_head_attention` does not reproduce (``use_gate``, ``sliding_window``, custom ``attention_axes``).
    Dropout is ignored (as in inference).

    Example:
        >>> import keras
        >>> layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
        >>> x = np.ones((1, 4, 6), "float32")
        >>> _ = layer(x, x)
        >>> {name: a.shape for name, a in mha_weights_from_keras(layer).items()}["output_kernel"]
        (2, 3, 6)
    """
    import keras

    if not isinstance(layer, keras.layers.MultiHeadAttention):
        raise TypeError(f"layer must be a keras.layers.MultiHeadAttention, got {type(layer).__name__}")
    if not layer.built:
        raise ValueError(f"layer {layer.name!r} is not built yet: call it once on inputs (or build it) first")
    if getattr(layer, "_use_gate", False):
        raise ValueError(f"layer {layer.name!r} uses use_gate=True, which multi_head_attention does not reproduce")
    if getattr(layer, "_sliding_window", None) is not None:
        raise ValueError(f"layer {layer.name!r} uses sliding_window={layer._sliding_window}, which "
                         "multi_head_attention does not reproduce (pass the band as a mask instead)")  # fmt: skip
    axes = tuple(layer.attention_axes) if layer.attention_axes is not None else None
    if axes != (1,):
        raise ValueError(f"layer {layer.name!r} attends over axes {axes}; multi_head_attention handles only "
                         "(B, T, d) inputs attending over axis 1")  # fmt: skip
    out: dict[str, np.ndarray] = {}
    for part, dense in (("query", layer.query_dense), ("key", layer.key_dense), ("value", layer.value_dense),
                        ("output", layer.output_dense)):  # fmt: skip
        out[f"{part}_kernel"] = np.array(keras.ops.convert_to_numpy(dense.kernel), dtype=np.float32)
        if dense.bias is not None:
            out[f"{part}_bias"] = np.array(keras.ops.convert_to_numpy(dense.bias), dtype=np.float32)
    return {name: out[name] for name in MHA_WEIGHT_NAMES if name in out}
