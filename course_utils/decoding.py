"""Decoding a trained sequence model: greedy search (batched) and beam search.

Both work with any model through a *step function*::

    step_fn(tokens, state) -> (log_probs, new_state)

``tokens`` has shape (k,), the last token of each of k live hypotheses; ``state`` is an array,
or a nested list / tuple / dict of arrays, whose leading dimension is k; ``log_probs`` has shape
(k, vocab) and holds log-probabilities of the next token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

__all__ = [
    "StepFn",
    "Hypothesis",
    "greedy_decode",
    "beam_search",
    "beam_search_batch",
    "beam_search_loop",
    "rerank",
    "map_state",
    "state_batch_size",
]

StepFn = Callable[[np.ndarray, Any], tuple[np.ndarray, Any]]


def map_state(fn: Callable[[np.ndarray], np.ndarray], state: Any) -> Any:
    """Apply ``fn`` to every array in a nested list / tuple / dict state.

    Example:
        >>> map_state(lambda a: a[:1], {"h": np.zeros((3, 2)), "c": [np.ones((3, 1))]})["c"][0].shape
        (1, 1)
    """
    if isinstance(state, dict):
        return {k: map_state(fn, v) for k, v in state.items()}
    if isinstance(state, (list, tuple)):
        return type(state)(map_state(fn, v) for v in state)
    return fn(np.asarray(state))


def state_batch_size(state: Any) -> int:
    """The leading dimension shared by every array of a nested state; ``ValueError`` if they differ.

    Example:
        >>> state_batch_size([np.zeros((4, 8)), np.zeros((4, 8))])
        4
    """
    sizes: set[int] = set()

    def visit(a: np.ndarray) -> np.ndarray:
        if a.ndim == 0:
            raise ValueError("every state array needs a leading (batch) dimension")
        sizes.add(a.shape[0])
        return a

    map_state(visit, state)
    if len(sizes) != 1:
        raise ValueError(f"state arrays disagree on their leading dimension: {sorted(sizes)}")
    return sizes.pop()


def _check_common(start_id: int, end_id: int, max_length: int) -> None:
    if max_length < 1:
        raise ValueError(f"max_length must be >= 1, got {max_length}")
    if start_id < 0 or end_id < 0:
        raise ValueError("start_id and end_id must be non-negative token ids")


def _checked_step(step_fn: StepFn, tokens: np.ndarray, state: Any) -> tuple[np.ndarray, Any]:
    log_probs, new_state = step_fn(tokens, state)
    log_probs = np.asarray(log_probs, dtype=np.float64)
    if log_probs.ndim != 2 or log_probs.shape[0] != len(tokens):
        raise ValueError(
            f"step_fn must return log_probs of shape (k, vocab) = ({len(tokens)}, vocab); got {log_probs.shape}"
        )
    if state_batch_size(new_state) != len(tokens):
        raise ValueError("step_fn returned a state whose leading dimension is not k")
    return log_probs, new_state


def greedy_decode(
    step_fn: StepFn, initial_state: Any, start_id: int, end_id: int, max_length: int
) -> list[list[int]]:
    """Greedy decoding of many sources at once: at every step take the most probable token.

    All k sources advance together (one ``step_fn`` call per step for the whole batch); a
    source that has emitted ``end_id`` is finished and ignores later steps.

    Returns one token list per source, without the start id, ending with ``end_id`` if it was
    emitted within ``max_length`` tokens.

    Example:
        >>> table = np.log(np.array([[0.1, 0.1, 0.8], [0.1, 0.8, 0.1], [0.1, 0.8, 0.1]]))
        >>> step = lambda tokens, state: (table[tokens], state)
        >>> greedy_decode(step, np.zeros((2, 1)), start_id=0, end_id=1, max_length=5)
        [[2, 1], [2, 1]]
    """
    _check_common(start_id, end_id, max_length)
    k = state_batch_size(initial_state)
    tokens = np.full(k, start_id, dtype=np.int64)
    state = initial_state
    out = np.zeros((k, max_length), dtype=np.int64)
    finished = np.zeros(k, dtype=bool)
    lengths = np.full(k, max_length)
    for t in range(max_length):
        log_probs, state = _checked_step(step_fn, tokens, state)
        tokens = log_probs.argmax(axis=1)
        out[:, t] = tokens
        del log_probs  # let the step function reuse its output buffer
        newly_done = (tokens == end_id) & ~finished
        lengths[newly_done] = t + 1
        finished |= newly_done
        if finished.all():
            break
    return [out[i, : lengths[i]].tolist() for i in range(k)]


@dataclass(frozen=True)
class Hypothesis:
    """One finished beam-search output: tokens (without the start id), summed log-probability and score."""

    tokens: list[int]
    log_prob: float
    score: float


def _score(log_prob: float, length: int, length_penalty: float) -> float:
    return log_prob / (max(length, 1) ** length_penalty) if length_penalty else log_prob


def _top_tokens_per_row(log_probs: np.ndarray, c: int) -> np.ndarray:
    """The ids of the ``c`` largest entries of each row, largest first (equal values: the lower id first); every
    id, in order, if ``c`` is at least the number of columns.

    ``c`` passes of ``argmax`` (which returns the first of equal maxima), each followed by setting the
    picked entries to -inf, then the picked values are put back: no (k, vocab) temporary is allocated.
    """
    k, vocab = log_probs.shape
    if c >= vocab:
        return np.broadcast_to(np.arange(vocab), (k, vocab))
    values = log_probs if log_probs.flags.writeable and log_probs.flags.c_contiguous else log_probs.copy()
    rows = np.arange(k)
    top = np.empty((k, c), dtype=np.int64)
    kept = np.empty((k, c), dtype=values.dtype)
    for j in range(c):
        top[:, j] = values.argmax(axis=1)
        kept[:, j] = values[rows, top[:, j]]
        values[rows, top[:, j]] = -np.inf
    for j in reversed(range(c)):  # put the values back (in reverse, in case an id was picked twice)
        values[rows, top[:, j]] = kept[:, j]
    for row in np.flatnonzero(~(kept[:, -1] > -np.inf)):  # fewer than c finite values: argmax may repeat ids
        top[row] = np.argsort(-values[row], kind="stable")[:c]
    return top


def beam_search_batch(
    step_fn: StepFn,
    initial_state: Any,
    start_id: int,
    end_id: int,
    beam_width: int,
    max_length: int,
    length_penalty: float = 0.0,
    *,
    max_sources: int | None = None,
) -> list[list[Hypothesis]]:
    """Beam search for many sources at once; every step is one ``step_fn`` call on all live hypotheses.

    ``initial_state`` has one row per source. For each source, at every step each live hypothesis is
    extended by every token; the ``beam_width`` extensions with the highest log-probability survive
    (equal log-probabilities: the earlier hypothesis, then the lower token id, first).
    An extension that emits ``end_id`` is finished; one that reaches ``max_length`` tokens is finished
    too. The finished hypotheses of each source are returned best first by
    ``score = log_prob / len(tokens) ** length_penalty``.

    The selection is vectorised over sources and hypotheses: each live row keeps its ``beam_width``
    best tokens (only those can survive), then the candidates of each source are ranked together in
    one array sort, with no Python loop over sources or over the vocabulary.

    ``max_sources`` bounds memory: the sources are searched ``max_sources`` at a time (up to
    ``max_sources * beam_width`` live rows, and their states, at once). Sources never interact, so the
    result is the same.

    Example:
        >>> table = np.log(np.array([[0.1, 0.3, 0.6], [0.3, 0.4, 0.3], [0.1, 0.8, 0.1]]))
        >>> out = beam_search_batch(lambda t, s: (table[t], s), np.zeros((2, 1)), 0, 1, beam_width=2, max_length=3)
        >>> [h.tokens for h in out[0]]
        [[2, 1], [1], [2, 0, 2], [2, 0, 1]]
    """
    _check_common(start_id, end_id, max_length)
    if not isinstance(beam_width, (int, np.integer)) or isinstance(beam_width, bool) or beam_width < 1:
        raise ValueError(f"beam_width must be an int >= 1, got {beam_width!r}")
    width = int(beam_width)
    n_sources = state_batch_size(initial_state)
    if max_sources is not None:
        if not isinstance(max_sources, (int, np.integer)) or isinstance(max_sources, bool) or max_sources < 1:
            raise ValueError(f"max_sources must be an int >= 1 or None, got {max_sources!r}")
        if n_sources > max_sources:
            out: list[list[Hypothesis]] = []
            for first in range(0, n_sources, int(max_sources)):
                part = map_state(lambda a: a[first : first + int(max_sources)], initial_state)
                out += beam_search_batch(step_fn, part, start_id, end_id, width, max_length, length_penalty)
            return out
    # live hypotheses, one per state row, grouped by source in increasing source order
    source = np.arange(n_sources)  # (K,) source of each row
    history = np.zeros((n_sources, 0), dtype=np.int64)  # (K, step) tokens so far
    log_prob = np.zeros(n_sources)  # (K,) summed log-probabilities
    last = np.full(n_sources, start_id, dtype=np.int64)
    state = initial_state
    finished: list[list[Hypothesis]] = [[] for _ in range(n_sources)]
    for step in range(max_length):
        log_probs, new_state = _checked_step(step_fn, last, state)  # (K, V)
        k, vocab = log_probs.shape
        per_row = min(width, vocab)
        tokens = _top_tokens_per_row(log_probs, per_row)  # (K, c)
        impossible = log_prob == -np.inf  # every extension totals -inf: the ties go to the lowest ids
        if impossible.any() and per_row < vocab:
            tokens[impossible] = np.arange(per_row)
        totals = log_prob[:, None] + np.take_along_axis(log_probs, tokens, axis=1)  # (K, c)
        del log_probs  # let the step function reuse its output buffer
        # lay the candidates out as one row per live source: (S, max rows per source * c)
        sources, first_row, rows_per_source = np.unique(source, return_index=True, return_counts=True)
        slot = np.repeat(np.arange(len(sources)), rows_per_source)  # (K,) row of the layout
        rank = np.arange(k) - first_row[slot]  # (K,) position of the row among its source's rows
        columns = rank[:, None] * per_row + np.arange(per_row)  # (K, c)
        shape = (len(sources), int(rows_per_source.max()) * per_row)
        grid_total = np.full(shape, -np.inf)
        grid_order = np.full(shape, np.iinfo(np.int64).max)  # the flat index row * V + token: ties
        grid_valid = np.zeros(shape, dtype=bool)
        grid_parent = np.zeros(shape, dtype=np.int64)
        grid_token = np.zeros(shape, dtype=np.int64)
        grid_total[slot[:, None], columns] = totals
        grid_order[slot[:, None], columns] = rank[:, None] * vocab + tokens
        grid_valid[slot[:, None], columns] = True
        grid_parent[slot[:, None], columns] = np.arange(k)[:, None]
        grid_token[slot[:, None], columns] = tokens
        order = np.lexsort((grid_order, -grid_total, ~grid_valid), axis=-1)[:, :width]  # (S, W) best first
        chosen_valid = np.take_along_axis(grid_valid, order, axis=1)
        src_of = np.broadcast_to(sources[:, None], order.shape)[chosen_valid]  # (N,) in source, then rank order
        parent = np.take_along_axis(grid_parent, order, axis=1)[chosen_valid]
        token = np.take_along_axis(grid_token, order, axis=1)[chosen_valid]
        total = np.take_along_axis(grid_total, order, axis=1)[chosen_valid]
        done = (token == end_id) | (step == max_length - 1)
        if done.any():
            done_tokens = np.concatenate([history[parent[done]], token[done, None]], axis=1).tolist()
            length = step + 1
            for src, toks, lp in zip(src_of[done].tolist(), done_tokens, total[done].tolist()):
                finished[src].append(Hypothesis(toks, lp, _score(lp, length, length_penalty)))
        keep = ~done
        if not keep.any():
            break
        parent, token = parent[keep], token[keep]
        source, log_prob, last = src_of[keep], total[keep], token
        history = np.concatenate([history[parent], token[:, None]], axis=1)
        state = map_state(lambda a: a[parent], new_state)
    return [sorted(hyps, key=lambda h: -h.score) for hyps in finished]


def beam_search(
    step_fn: StepFn,
    initial_state: Any,
    start_id: int,
    end_id: int,
    beam_width: int,
    max_length: int,
    length_penalty: float = 0.0,
) -> list[Hypothesis]:
    """Beam search for one source (``initial_state`` has leading dimension 1). See :func:`beam_search_batch`.

    ``beam_width=1`` is greedy decoding; a beam at least ``vocab ** max_length`` wide keeps every sequence,
    so the best hypothesis is the exact best sequence under the score.

    Example:
        >>> table = np.log(np.array([[0.1, 0.3, 0.6], [0.3, 0.4, 0.3], [0.1, 0.8, 0.1]]))
        >>> best = beam_search(lambda t, s: (table[t], s), np.zeros((1, 1)), 0, 1, beam_width=3, max_length=3)[0]
        >>> best.tokens, round(best.log_prob, 4)
        ([2, 1], -0.734)
    """
    if state_batch_size(initial_state) != 1:
        raise ValueError("beam_search decodes one source: initial_state must have leading dimension 1 "
                         "(use beam_search_batch for many)")  # fmt: skip
    return beam_search_batch(step_fn, initial_state, start_id, end_id, beam_width, max_length, length_penalty)[0]


def rerank(hypotheses: list[Hypothesis], length_penalty: float) -> list[Hypothesis]:
    """Finished hypotheses re-scored with another ``length_penalty`` (alpha), best first.

    The beam keeps and prunes hypotheses by their summed log-probability whatever ``length_penalty`` is
    (live hypotheses all have the same length, so dividing by a power of it would not change their order):
    the finished hypotheses of a search do not depend on it, only their order does. Re-ranking the output
    of one search therefore gives what a search with another ``length_penalty`` returns.

    Example:
        >>> hyps = [Hypothesis([5, 2], -1.0, -1.0), Hypothesis([5, 6, 7, 2], -1.6, -1.6)]
        >>> [h.tokens for h in rerank(hyps, 1.0)], [h.score for h in rerank(hyps, 1.0)]
        ([[5, 6, 7, 2], [5, 2]], [-0.4, -0.5])
    """
    if not isinstance(length_penalty, (int, float, np.floating, np.integer)) or isinstance(length_penalty, bool):
        raise TypeError(f"length_penalty must be a number, got {type(length_penalty).__name__}")
    if not np.isfinite(length_penalty) or length_penalty < 0:
        raise ValueError(f"length_penalty must be a finite number >= 0, got {length_penalty}")
    rescored = []
    for i, h in enumerate(hypotheses):
        if not isinstance(h, Hypothesis):
            raise TypeError(f"hypotheses[{i}] is a {type(h).__name__}, not a Hypothesis")
        rescored.append(Hypothesis(h.tokens, h.log_prob, _score(h.log_prob, len(h.tokens), float(length_penalty))))
    return sorted(rescored, key=lambda h: -h.score)


def beam_search_loop(
    step_fn: StepFn,
    initial_state: Any,
    start_id: int,
    end_id: int,
    beam_width: int,
    max_length: int,
    length_penalty: float = 0.0,
    *,
    prune_by: str = "log_prob",
) -> list[list[Hypothesis]]:
    """The straightforward beam search: a Python loop over sources and a full sort of width x vocabulary scores each.

    Same rules and same output as :func:`beam_search_batch` (ties included), much slower with a large
    vocabulary: it is the reference that the tests and the speed benchmark compare the vectorised search with.

    ``prune_by="score"`` ranks the candidates of every step by the length-normalised score
    ``log_prob / length ** length_penalty`` instead of the summed log-probability: the experiment that shows
    the normalisation changes nothing during the search (all candidates of a step have the same length).

    Example:
        >>> table = np.log(np.array([[0.1, 0.3, 0.6], [0.3, 0.4, 0.3], [0.1, 0.8, 0.1]]))
        >>> step = lambda t, s: (table[t], s)
        >>> loop = beam_search_loop(step, np.zeros((2, 1)), 0, 1, beam_width=2, max_length=3)
        >>> loop == beam_search_batch(step, np.zeros((2, 1)), 0, 1, beam_width=2, max_length=3)
        True
    """
    _check_common(start_id, end_id, max_length)
    if not isinstance(beam_width, (int, np.integer)) or isinstance(beam_width, bool) or beam_width < 1:
        raise ValueError(f"beam_width must be an int >= 1, got {beam_width!r}")
    if prune_by not in ("log_prob", "score"):
        raise ValueError(f"prune_by must be 'log_prob' or 'score', got {prune_by!r}")
    live = [(i, [], 0.0) for i in range(state_batch_size(initial_state))]  # (source, tokens, log_prob)
    state, finished = initial_state, [[] for _ in live]
    for step in range(max_length):
        last = np.array([tokens[-1] if tokens else start_id for _, tokens, _ in live], dtype=np.int64)
        log_probs, new_state = _checked_step(step_fn, last, state)
        totals = np.array([lp for _, _, lp in live])[:, None] + log_probs
        keep_rows, next_live, rows_by_source = [], [], {}
        for row, (src, _, _) in enumerate(live):
            rows_by_source.setdefault(src, []).append(row)
        for src, rows in rows_by_source.items():
            flat = totals[rows].reshape(-1)
            ranked = flat / (step + 1) ** length_penalty if prune_by == "score" else flat  # every length: step + 1
            for index in np.argsort(-ranked, kind="stable")[:beam_width]:
                row, token = rows[index // totals.shape[1]], int(index % totals.shape[1])
                tokens, lp = live[row][1] + [token], float(flat[index])
                if token == end_id or step == max_length - 1:
                    finished[src].append(Hypothesis(tokens, lp, _score(lp, len(tokens), length_penalty)))
                else:
                    next_live.append((src, tokens, lp))
                    keep_rows.append(row)
        if not next_live:
            break
        state = map_state(lambda a: a[np.array(keep_rows)], new_state)
        live = next_live
    return [sorted(h, key=lambda h: -h.score) for h in finished]
