"""Exercises of lesson 01 (RNN basics): one RNN step, global-norm clipping, parameter count."""

from __future__ import annotations

from typing import Callable

import numpy as np

from course_utils import numpy_rnn
from course_utils.exercises import Exercise

__all__ = ["rnn_step", "clip_gradients", "param_count"]


def _check_rnn_step(fn: Callable[..., np.ndarray]) -> None:
    rng = np.random.default_rng(1)
    for batch, features, units in [(1, 1, 1), (3, 2, 4), (5, 7, 3)]:
        x_t = rng.normal(size=(batch, features))
        h_prev = rng.normal(size=(batch, units))
        kernel = rng.normal(size=(features, units))
        recurrent = rng.normal(size=(units, units))
        bias = rng.normal(size=units)
        got = np.asarray(fn(x_t, h_prev, kernel, recurrent, bias))
        want = numpy_rnn.rnn_step(x_t, h_prev, kernel, recurrent, bias)
        assert got.shape == want.shape, f"with batch {batch} and {units} units the output should have shape {want.shape}, got {got.shape}"
        if np.allclose(got, np.tanh(x_t @ kernel + bias)):
            raise AssertionError("the output ignores h_prev: add h_prev @ recurrent_kernel inside the tanh")
        if np.allclose(got, x_t @ kernel + h_prev @ recurrent + bias):
            raise AssertionError("the values are right before the activation: apply np.tanh")
        err = float(np.max(np.abs(got - want)))
        assert err < 1e-8, f"values differ from the reference by up to {err:.3g} (batch {batch}, {units} units)"


def _rnn_step_solution(x_t, h_prev, kernel, recurrent_kernel, bias):
    # x_t: (B, D), h_prev: (B, H), kernel: (D, H), recurrent_kernel: (H, H), bias: (H,)
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)  # (B, H)


rnn_step = Exercise(
    "one RNN step",
    _check_rnn_step,
    hint_text="Three terms inside one tanh: the input times the kernel, the previous state times the "
    "recurrent kernel, and the bias. Use @ for matrix products; the bias broadcasts over the batch.",
    reference=_rnn_step_solution,
)


def _check_clip(fn: Callable[..., tuple[list[np.ndarray], float]]) -> None:
    rng = np.random.default_rng(2)
    grads = [rng.normal(size=(3, 4)) * 10, rng.normal(size=4) * 10]
    for max_norm in (1.0, 5.0, 1e6):
        out = fn([g.copy() for g in grads], max_norm)
        assert isinstance(out, tuple) and len(out) == 2, "return a tuple (clipped_gradients, norm_before_clipping)"
        got, norm = out
        want, want_norm = numpy_rnn.clip_by_global_norm(grads, max_norm)
        assert abs(float(norm) - want_norm) < 1e-8 * want_norm, (
            f"the global norm should be {want_norm:.4f} (all gradients together), got {float(norm):.4f}"
        )
        assert len(got) == len(want), "return one clipped array per gradient"
        for g_got, g_want in zip(got, want):
            if max_norm < want_norm and np.allclose(np.linalg.norm(g_got), max_norm):
                raise AssertionError("each gradient was clipped on its own: scale all of them by the same factor")
            assert np.allclose(g_got, g_want), (
                f"with max_norm={max_norm} the clipped gradients are wrong (they should keep their direction "
                "and have a joint norm of min(norm, max_norm))"
            )


def _clip_solution(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads)))  # one norm over all gradients
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return [g * scale for g in grads], norm


clip_gradients = Exercise(
    "clipping by global norm",
    _check_clip,
    hint_text="Compute ONE norm over all gradients: sqrt of the sum of every squared entry. If it exceeds "
    "max_norm, multiply every gradient by max_norm / norm; otherwise leave them unchanged.",
    reference=_clip_solution,
)


def _check_param_count(fn: Callable[[int, int], int]) -> None:
    for input_dim, units in [(1, 1), (1, 24), (8, 16), (100, 3)]:
        want = numpy_rnn.simple_rnn_param_count(input_dim, units)
        got = fn(input_dim, units)
        if got == input_dim * units + units * units:
            raise AssertionError("you forgot the bias: one per unit")
        assert got == want, f"SimpleRNN({units}) on {input_dim} features has {want} parameters, you returned {got}"


param_count = Exercise(
    "SimpleRNN parameter count",
    _check_param_count,
    hint_text="Count the kernel (input_dim x units), the recurrent kernel (units x units) and the bias (units).",
    reference=numpy_rnn.simple_rnn_param_count,
)
