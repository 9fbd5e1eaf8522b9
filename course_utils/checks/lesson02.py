"""Exercises of lesson 02 (LSTM and GRU): a GRU step in Keras' layout, parameter counts."""

from __future__ import annotations

from typing import Callable

import numpy as np

from course_utils import numpy_rnn
from course_utils.exercises import Exercise

__all__ = ["gru_step", "param_counts"]


def _check_gru_step(fn: Callable[..., np.ndarray]) -> None:
    rng = np.random.default_rng(11)
    for batch, features, units in [(1, 1, 1), (2, 3, 4), (4, 5, 2)]:
        x_t = rng.normal(size=(batch, features))
        h_prev = rng.normal(size=(batch, units))
        kernel = rng.normal(size=(features, 3 * units))
        recurrent = rng.normal(size=(units, 3 * units))
        bias = rng.normal(size=(2, 3 * units))
        got = np.asarray(fn(x_t, h_prev, kernel, recurrent, bias))
        want = numpy_rnn.gru_step(x_t, h_prev, kernel, recurrent, bias)
        assert got.shape == want.shape, f"the new state should have shape {want.shape}, got {got.shape}"
        # common mistakes, each with its own message
        xz, xr, xh = np.split(x_t @ kernel + bias[0], 3, axis=-1)
        hz, hr, hh = np.split(h_prev @ recurrent + bias[1], 3, axis=-1)
        z, r = numpy_rnn.sigmoid(xz + hz), numpy_rnn.sigmoid(xr + hr)
        cand = np.tanh(xh + r * hh)
        if np.allclose(got, (1 - z) * h_prev + z * cand):
            raise AssertionError("z and 1 - z are swapped: Keras keeps z * h_prev and adds (1 - z) * candidate")
        if np.allclose(got, z * h_prev + (1 - z) * np.tanh(xh + hh)):
            raise AssertionError("the reset gate is missing: multiply the recurrent part of the candidate by r")
        err = float(np.max(np.abs(got - want)))
        assert err < 1e-8, f"values differ from keras.layers.GRU's formula by up to {err:.3g}"


def _gru_step_solution(x_t, h_prev, kernel, recurrent_kernel, bias):
    # kernel: (D, 3H), recurrent_kernel: (H, 3H), bias: (2, 3H); gate order z, r, h
    x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=-1)  # each (B, H)
    h_z, h_r, h_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z = 1 / (1 + np.exp(-(x_z + h_z)))  # update gate
    r = 1 / (1 + np.exp(-(x_r + h_r)))  # reset gate
    candidate = np.tanh(x_h + r * h_h)  # reset applied after the matrix product
    return z * h_prev + (1 - z) * candidate


gru_step = Exercise(
    "a GRU step (Keras layout, reset_after=True)",
    _check_gru_step,
    hint_text="Split x_t @ kernel + bias[0] and h_prev @ recurrent_kernel + bias[1] into three (B, H) blocks "
    "(z, r, h) with np.split(..., 3, axis=-1). z and r are sigmoids of the sums; the candidate is "
    "tanh(x_h + r * h_h); the new state is z * h_prev + (1 - z) * candidate.",
    reference=_gru_step_solution,
)


def _check_counts(fn: Callable[[str, int, int], int]) -> None:
    for kind, reference in (("SimpleRNN", numpy_rnn.simple_rnn_param_count), ("LSTM", numpy_rnn.lstm_param_count),
                            ("GRU", numpy_rnn.gru_param_count)):  # fmt: skip
        for input_dim, units in [(1, 1), (8, 32), (50, 7)]:
            want, got = reference(input_dim, units), fn(kind, input_dim, units)
            if kind == "GRU" and got == numpy_rnn.gru_param_count(input_dim, units, reset_after=False):
                raise AssertionError("GRU is off by 3 * units: Keras' default reset_after=True has two biases per gate")
            assert got == want, f"{kind}({units}) on {input_dim} features has {want} parameters, you returned {got}"


def _counts_solution(kind, input_dim, units):
    one_gate = input_dim * units + units * units + units  # kernel + recurrent kernel + bias
    if kind == "SimpleRNN":
        return one_gate
    if kind == "LSTM":
        return 4 * one_gate  # input, forget, candidate, output
    return 3 * one_gate + 3 * units  # GRU: z, r, candidate, plus the recurrent bias of reset_after=True


param_counts = Exercise(
    "parameter counts",
    _check_counts,
    hint_text="One gate has the parameters of a SimpleRNN: input_dim * units + units * units + units. An LSTM has "
    "four such blocks, a GRU three, and Keras' GRU adds one more bias vector per gate.",
    reference=_counts_solution,
)
