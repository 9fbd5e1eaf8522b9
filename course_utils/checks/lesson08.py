"""Exercises of lesson 08 (beam search): one beam step, length-normalised scores."""

from __future__ import annotations

from typing import Callable

import numpy as np

from course_utils.exercises import Exercise

__all__ = ["beam_step", "normalised_score"]


def _beam_step_solution(beam_scores, log_probs, beam_width):
    # beam_scores (k,): log-probability of each live hypothesis; log_probs (k, V): next-token log-probabilities
    totals = beam_scores[:, None] + log_probs  # (k, V): score of every one-token extension
    flat = totals.reshape(-1)
    best = np.argsort(-flat, kind="stable")[:beam_width]  # the beam_width best over ALL hypotheses
    parents, tokens = np.divmod(best, log_probs.shape[1])
    return parents, tokens, flat[best]


def _check_beam_step(fn: Callable) -> None:
    rng = np.random.default_rng(7)
    for k, vocab, width in [(1, 4, 2), (3, 5, 3), (4, 6, 8), (2, 3, 1)]:
        scores = np.sort(rng.normal(-3, 1, size=k))[::-1]
        lp = np.log(rng.dirichlet(np.ones(vocab), size=k))
        out = fn(scores.copy(), lp.copy(), width)
        assert isinstance(out, tuple) and len(out) == 3, "return (parents, tokens, new_scores)"
        parents, tokens, new = (np.asarray(a) for a in out)
        want_p, want_t, want_s = _beam_step_solution(scores, lp, width)
        assert new.shape == want_s.shape, f"keep min(beam_width, k * V) = {len(want_s)} extensions, got {new.shape}"
        if np.allclose(np.sort(new)[::-1], np.sort(lp.reshape(-1))[::-1][: len(want_s)]):
            raise AssertionError("add each hypothesis's own score: total = beam_scores[:, None] + log_probs")
        assert np.allclose(new, want_s), "the new scores should be the beam_width largest totals, best first"
        assert np.array_equal(parents, want_p) and np.array_equal(tokens, want_t), (
            "parents and tokens do not point at the chosen extensions (row index = parent, column = token)"
        )


beam_step = Exercise(
    "one beam-search step",
    _check_beam_step,
    hint_text="Add beam_scores[:, None] to log_probs to get a (k, V) table of totals, flatten it, take the indices "
    "of the beam_width largest (np.argsort(-flat)[:beam_width]) and split each index into (parent, token) with "
    "np.divmod(index, V).",
    reference=_beam_step_solution,
)


def _normalised_solution(log_prob, length, alpha):
    return log_prob / length**alpha  # alpha = 0: raw log-probability; alpha = 1: mean per token


def _check_normalised(fn: Callable) -> None:
    for lp, n, a in [(-4.0, 4, 0.0), (-4.0, 4, 1.0), (-6.0, 3, 0.7), (-1.5, 1, 0.5)]:
        want, got = _normalised_solution(lp, n, a), float(fn(lp, n, a))
        assert abs(got - want) < 1e-12, f"score({lp}, length {n}, alpha {a}) should be {want:.4f}, got {got:.4f}"


normalised_score = Exercise(
    "length-normalised score",
    _check_normalised,
    hint_text="Divide the log-probability by length ** alpha.",
    reference=_normalised_solution,
)
