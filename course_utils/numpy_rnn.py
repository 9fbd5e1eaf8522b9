"""Reference NumPy recurrent layers, in Keras' weight layout, for checks and exercises.

Shapes: B = batch, T = time steps, D = input features, H = hidden units.
Weights follow ``keras.layers.SimpleRNN``: ``kernel`` (D, H), ``recurrent_kernel`` (H, H),
``bias`` (H,), so that ``layer.set_weights([kernel, recurrent_kernel, bias])`` loads them.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np

__all__ = ["rnn_step", "rnn_forward", "rnn_backward", "RNNCache", "clip_by_global_norm", "simple_rnn_param_count"]


class RNNCache(TypedDict):
    x: np.ndarray  # (B, T, D)
    h: np.ndarray  # (B, T + 1, H), h[:, 0] is the initial state
    kernel: np.ndarray
    recurrent_kernel: np.ndarray


def _check_shapes(x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray) -> None:
    if x.ndim != 3:
        raise ValueError(f"x must have shape (batch, time, features); got {x.shape}")
    d, h = kernel.shape
    if x.shape[2] != d:
        raise ValueError(f"x has {x.shape[2]} features but kernel expects {d}")
    if recurrent_kernel.shape != (h, h):
        raise ValueError(f"recurrent_kernel must be ({h}, {h}); got {recurrent_kernel.shape}")
    if bias.shape != (h,):
        raise ValueError(f"bias must be ({h},); got {bias.shape}")


def rnn_step(
    x_t: np.ndarray, h_prev: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray
) -> np.ndarray:
    """One step of a tanh RNN: h_t = tanh(x_t W + h_prev U + b).

    Example:
        >>> rnn_step(np.ones((1, 2)), np.zeros((1, 3)), np.zeros((2, 3)), np.eye(3), np.zeros(3)).shape
        (1, 3)
    """
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)


def rnn_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    h0: np.ndarray | None = None,
) -> tuple[np.ndarray, RNNCache]:
    """Run a tanh RNN over a batch of sequences.

    Returns every hidden state, shape (B, T, H) (what ``return_sequences=True`` gives;
    the last one, ``[:, -1]``, is what ``return_sequences=False`` gives), and a cache for
    :func:`rnn_backward`.

    Example:
        >>> hs, _ = rnn_forward(np.zeros((2, 5, 3)), np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(4))
        >>> hs.shape
        (2, 5, 4)
    """
    x = np.asarray(x, dtype=np.float64)
    _check_shapes(x, kernel, recurrent_kernel, bias)
    b, t, _ = x.shape
    units = kernel.shape[1]
    h = np.zeros((b, t + 1, units))
    if h0 is not None:
        h[:, 0] = h0
    for step in range(t):
        h[:, step + 1] = rnn_step(x[:, step], h[:, step], kernel, recurrent_kernel, bias)
    cache: RNNCache = {"x": x, "h": h, "kernel": kernel, "recurrent_kernel": recurrent_kernel}
    return h[:, 1:], cache


def rnn_backward(dh_seq: np.ndarray, cache: RNNCache) -> dict[str, np.ndarray]:
    """Backpropagation through time for :func:`rnn_forward`.

    ``dh_seq`` (B, T, H) is dLoss/dh_t coming from *outside* the recurrence at each step (zero
    except at the last step for a many-to-one model). Each h_t also receives gradient from
    h_{t+1} through the recurrence; both paths are added. Weight gradients are summed over time.

    Returns a dict with ``x`` (B, T, D), ``h0`` (B, H), ``kernel``, ``recurrent_kernel``, ``bias``.
    """
    x, h = cache["x"], cache["h"]
    kernel, recurrent_kernel = cache["kernel"], cache["recurrent_kernel"]
    if dh_seq.shape != h[:, 1:].shape:
        raise ValueError(f"dh_seq must have shape {h[:, 1:].shape}; got {dh_seq.shape}")
    grads = {
        "x": np.zeros_like(x),
        "kernel": np.zeros_like(kernel, dtype=np.float64),
        "recurrent_kernel": np.zeros_like(recurrent_kernel, dtype=np.float64),
        "bias": np.zeros(kernel.shape[1]),
    }
    dh_next = np.zeros_like(h[:, 0])  # gradient arriving from step t+1
    for step in reversed(range(x.shape[1])):
        dh = dh_seq[:, step] + dh_next  # both paths into h_t
        da = dh * (1.0 - h[:, step + 1] ** 2)  # through tanh
        grads["kernel"] += x[:, step].T @ da
        grads["recurrent_kernel"] += h[:, step].T @ da
        grads["bias"] += da.sum(axis=0)
        grads["x"][:, step] = da @ kernel.T
        dh_next = da @ recurrent_kernel.T
    grads["h0"] = dh_next
    return grads


def clip_by_global_norm(grads: list[np.ndarray], max_norm: float) -> tuple[list[np.ndarray], float]:
    """Scale a list of gradients so that their joint L2 norm is at most ``max_norm``.

    Returns the clipped gradients and the norm before clipping (as ``tf.clip_by_global_norm``).

    Example:
        >>> clipped, norm = clip_by_global_norm([np.array([3.0, 4.0])], 1.0)
        >>> norm, np.round(clipped[0], 6).tolist()
        (5.0, [0.6, 0.8])
    """
    if max_norm <= 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    norm = float(np.sqrt(sum(np.sum(np.square(g)) for g in grads)))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return [g * scale for g in grads], norm


def simple_rnn_param_count(input_dim: int, units: int) -> int:
    """Trainable parameters of ``SimpleRNN(units)`` on ``input_dim`` features: kernel, recurrent kernel, bias.

    Example:
        >>> simple_rnn_param_count(1, 24)
        624
    """
    return input_dim * units + units * units + units
