"""Reference NumPy recurrent layers, in Keras' weight layout, for checks and exercises.

Shapes: B = batch, T = time steps, D = input features, H = hidden units.
Weights follow Keras, so that ``layer.set_weights([kernel, recurrent_kernel, bias])`` loads them:

* ``SimpleRNN``: ``kernel`` (D, H), ``recurrent_kernel`` (H, H), ``bias`` (H,);
* ``LSTM``: ``kernel`` (D, 4H), ``recurrent_kernel`` (H, 4H), ``bias`` (4H,), gates in the order
  input, forget, candidate, output;
* ``GRU``: ``kernel`` (D, 3H), ``recurrent_kernel`` (H, 3H), gates in the order update, reset,
  candidate; ``bias`` (2, 3H) (input bias, recurrent bias) with ``reset_after=True`` (the Keras
  default), (3H,) with ``reset_after=False``.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np

__all__ = [
    "rnn_step",
    "rnn_forward",
    "rnn_backward",
    "RNNCache",
    "clip_by_global_norm",
    "simple_rnn_param_count",
    "sigmoid",
    "lstm_step",
    "lstm_forward",
    "gru_step",
    "gru_forward",
    "lstm_param_count",
    "gru_param_count",
]


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


def sigmoid(a: np.ndarray) -> np.ndarray:
    """The logistic function, written with tanh so that large |a| never overflows.

    Example:
        >>> sigmoid(np.array([-999.0, 0.0, 999.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(a, dtype=np.float64)))


def _identity(a: np.ndarray) -> np.ndarray:
    return a


def _split(a: np.ndarray, n: int) -> list[np.ndarray]:
    return np.split(a, n, axis=-1)


def lstm_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    *,
    activation: str = "tanh",
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """One LSTM step, as ``keras.layers.LSTM`` computes it.

    i, f, o = sigmoid(...), c~ = act(...), c_t = f * c_prev + i * c~, h_t = o * act(c_t).
    ``activation`` is ``"tanh"`` (Keras' default) or ``"linear"``. Returns (h_t, c_t, gates).

    Example:
        >>> h, c, g = lstm_step(np.ones((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)),
        ...                     np.full((1, 4), 999.0), np.zeros((1, 4)), np.zeros(4), activation="linear")
        >>> float(h[0, 0]), float(c[0, 0])
        (999.0, 999.0)
    """
    act = {"tanh": np.tanh, "linear": _identity}[activation]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias  # (B, 4H)
    z_i, z_f, z_c, z_o = _split(z, 4)
    i, f, o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o)
    c_t = f * c_prev + i * act(z_c)
    h_t = o * act(c_t)
    return h_t, c_t, {"input": i, "forget": f, "output": o, "candidate": act(z_c)}


def lstm_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    *,
    activation: str = "tanh",
) -> tuple[np.ndarray, np.ndarray]:
    """Run an LSTM over x (B, T, D) from zero states; returns all h (B, T, H) and all c (B, T, H).

    Example:
        >>> h, c = lstm_forward(np.zeros((2, 3, 1)), np.zeros((1, 8)), np.zeros((2, 8)), np.zeros(8))
        >>> h.shape
        (2, 3, 2)
    """
    x = np.asarray(x, dtype=np.float64)
    units = recurrent_kernel.shape[0]
    if kernel.shape != (x.shape[-1], 4 * units) or recurrent_kernel.shape != (units, 4 * units):
        raise ValueError(f"LSTM weights must be (D, 4H) and (H, 4H); got {kernel.shape} and {recurrent_kernel.shape}")
    if bias.shape != (4 * units,):
        raise ValueError(f"LSTM bias must be ({4 * units},); got {bias.shape}")
    h = np.zeros((x.shape[0], units))
    c = np.zeros_like(h)
    hs, cs = [], []
    for t in range(x.shape[1]):
        h, c, _ = lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias, activation=activation)
        hs.append(h)
        cs.append(c)
    return np.stack(hs, axis=1), np.stack(cs, axis=1)


def gru_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    *,
    reset_after: bool = True,
) -> np.ndarray:
    """One GRU step, as ``keras.layers.GRU`` computes it.

    z = sigmoid(update), r = sigmoid(reset), h_t = z * h_prev + (1 - z) * h~, where
    h~ = tanh(x W_h + b_h + r * (h_prev U_h + b'_h)) with ``reset_after=True`` (Keras' default,
    the cuDNN variant), and h~ = tanh(x W_h + (r * h_prev) U_h + b_h) with ``reset_after=False``
    (the original 2014 GRU).

    Example:
        >>> gru_step(np.zeros((1, 2)), np.ones((1, 3)), np.zeros((2, 9)), np.zeros((3, 9)), np.zeros((2, 9))).tolist()
        [[0.5, 0.5, 0.5]]
    """
    if reset_after:
        if bias.ndim != 2 or bias.shape[0] != 2:
            raise ValueError(f"with reset_after=True the bias must be (2, 3H); got {bias.shape}")
        xz, xr, xh = _split(x_t @ kernel + bias[0], 3)
        hz, hr, hh = _split(h_prev @ recurrent_kernel + bias[1], 3)
        z, r = sigmoid(xz + hz), sigmoid(xr + hr)
        candidate = np.tanh(xh + r * hh)
    else:
        if bias.ndim != 1:
            raise ValueError(f"with reset_after=False the bias must be (3H,); got {bias.shape}")
        xz, xr, xh = _split(x_t @ kernel + bias, 3)
        u_z, u_r, u_h = _split(recurrent_kernel, 3)
        z, r = sigmoid(xz + h_prev @ u_z), sigmoid(xr + h_prev @ u_r)
        candidate = np.tanh(xh + (r * h_prev) @ u_h)
    return z * h_prev + (1.0 - z) * candidate


def gru_forward(
    x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray, *, reset_after: bool = True
) -> np.ndarray:
    """Run a GRU over x (B, T, D) from a zero state; returns all states (B, T, H).

    Example:
        >>> gru_forward(np.zeros((2, 3, 1)), np.zeros((1, 6)), np.zeros((2, 6)), np.zeros((2, 6))).shape
        (2, 3, 2)
    """
    x = np.asarray(x, dtype=np.float64)
    units = recurrent_kernel.shape[0]
    if kernel.shape != (x.shape[-1], 3 * units) or recurrent_kernel.shape != (units, 3 * units):
        raise ValueError(f"GRU weights must be (D, 3H) and (H, 3H); got {kernel.shape} and {recurrent_kernel.shape}")
    h = np.zeros((x.shape[0], units))
    hs = []
    for t in range(x.shape[1]):
        h = gru_step(x[:, t], h, kernel, recurrent_kernel, bias, reset_after=reset_after)
        hs.append(h)
    return np.stack(hs, axis=1)


def lstm_param_count(input_dim: int, units: int) -> int:
    """Parameters of ``LSTM(units)``: four gates, each the size of a SimpleRNN.

    Example:
        >>> lstm_param_count(8, 32)
        5248
    """
    return 4 * simple_rnn_param_count(input_dim, units)


def gru_param_count(input_dim: int, units: int, *, reset_after: bool = True) -> int:
    """Parameters of ``GRU(units)``: three gates; ``reset_after=True`` adds a second bias per gate.

    Example:
        >>> gru_param_count(8, 32), gru_param_count(8, 32, reset_after=False)
        (4032, 3936)
    """
    return 3 * simple_rnn_param_count(input_dim, units) + (3 * units if reset_after else 0)
