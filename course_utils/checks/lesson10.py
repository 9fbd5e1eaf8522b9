"""Exercises of lesson 10 (beam search).

``beam_step`` checks a single-source beam step like the one of section 1, for a learner who rewrites it. The
exercises at the end: the length-normalisation exponent at which a longer answer starts to win (``crossover_alpha``),
one beam step for many sources at once (``batched_beam_step``),
complete beam search with finished hypotheses and length normalisation, checked against
``course_utils.decoding.beam_search`` on small random step models (``complete_beam_search``), and an open exercise
with a model answer (``more_training``).
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from course_utils.decoding import beam_search
from course_utils.exercises import Exercise

__all__ = ["beam_step", "crossover_alpha", "batched_beam_step", "complete_beam_search", "more_training"]


def _open_exercise(name: str, hint_text: str, model_answer: str) -> Exercise:
    """An exercise without an automatic check: ``hint()`` and ``solution()`` (the model answer) only."""

    def _no_check(answer: object) -> None:
        raise AssertionError(f"this exercise is open: nothing to check automatically. Compare your findings with "
                             f"the model answer: checks.{name}.solution()")  # fmt: skip

    return Exercise(name, _no_check, hint_text=hint_text, reference=model_answer)


# --- section 1: one beam step -------------------------------------------------------------------------------


def _beam_step_solution(beam_scores, log_probs, beam_width):
    # beam_scores (k,): log-probability of each live hypothesis; log_probs (k, V): next-token log-probabilities
    totals = beam_scores[:, None] + log_probs  # (k, V): score of every one-token extension
    flat = totals.reshape(-1)
    best = np.argsort(-flat, kind="stable")[:beam_width]  # the beam_width best over ALL hypotheses
    parents, tokens = np.divmod(best, log_probs.shape[1])
    return parents, tokens, flat[best]


def _check_beam_step(fn: Callable) -> None:
    rng = np.random.default_rng(7)
    for k, vocab, width in [(3, 5, 3), (4, 6, 8), (1, 4, 2), (2, 3, 1)]:
        scores = np.sort(rng.normal(-3, 1, size=k))[::-1]
        lp = np.log(rng.dirichlet(np.ones(vocab), size=k))
        out = fn(scores.copy(), lp.copy(), width)
        assert isinstance(out, tuple) and len(out) == 3, "return (parents, tokens, new_scores)"
        parents, tokens, new = (np.asarray(a) for a in out)
        want_p, want_t, want_s = _beam_step_solution(scores, lp, width)
        per_row = np.sort(scores + lp.max(1))[::-1][:width]  # each hypothesis's best extension only
        if new.shape == per_row.shape and not np.array_equal(per_row, want_s) and np.allclose(new, per_row):
            raise AssertionError("each hypothesis contributed only its best token: compare all k * V extensions "
                                 "together and keep the beam_width best, several may share a parent")  # fmt: skip
        assert new.shape == want_s.shape, f"keep min(beam_width, k * V) = {len(want_s)} extensions, got {new.shape}"
        if np.allclose(np.sort(new)[::-1], np.sort(lp.reshape(-1))[::-1][: len(want_s)]):
            raise AssertionError("add each hypothesis's own score: total = beam_scores[:, None] + log_probs")
        if len(new) > 1 and np.allclose(new, want_s[::-1]):
            raise AssertionError("best first: sort the kept extensions by decreasing score")
        assert np.allclose(new, want_s), "the new scores should be the beam_width largest totals, best first"
        if np.array_equal(tokens, want_p) and np.array_equal(parents, want_t):
            raise AssertionError("parents and tokens are swapped: return (parents, tokens, new_scores)")
        if k > 1 and k != vocab and [a.tolist() for a in np.divmod(want_p * vocab + want_t, k)] == [
            parents.tolist(), tokens.tolist()]:  # fmt: skip
            raise AssertionError(f"a flat position p of the (k, V) table belongs to parent p // V and token p % V "
                                 f"(V = {vocab}), not p // k and p % k")  # fmt: skip
        assert np.array_equal(parents, want_p) and np.array_equal(tokens, want_t), (
            "parents and tokens do not point at the chosen extensions (row index = parent, column = token)"
        )


beam_step = Exercise(
    "one beam-search step",
    _check_beam_step,
    hint_text="Level 1: every live hypothesis can be extended by every token; the beam keeps the best extensions "
    "over all hypotheses together, by their total log-probability.\nLevel 2: build the (k, V) table of totals "
    "(hypothesis score plus next-token log-probability), flatten it, take the positions of the beam_width largest "
    "values in decreasing order, and turn each flat position back into (row = parent, column = token).",
    reference=_beam_step_solution,
)


# --- exercise 1: the exponent at which a longer answer starts to win -----------------------------------------------


def _crossover_alpha_solution(log_p_short, len_short, log_p_long, len_long):
    # score = log_p / len**alpha. Both log_p < 0: the scores are equal when
    # log_p_long / log_p_short = (len_long / len_short) ** alpha; take logs of both (positive) sides
    return float(np.log(log_p_long / log_p_short) / np.log(len_long / len_short))


_CROSSOVER_CASES = [(math.log(0.3), 1, math.log(0.2), 6), (-2.0, 3, -3.5, 5), (-6.0, 4, -6.5, 9), (-1.2, 2, -4.0, 7)]


def _check_crossover(fn: Callable) -> None:
    for lp_s, n_s, lp_l, n_l in _CROSSOVER_CASES:
        try:
            got = float(fn(lp_s, n_s, lp_l, n_l))
        except ValueError as err:
            if "domain" in str(err):
                raise AssertionError("math domain error: log-probabilities are negative, so their logarithms do not "
                                     "exist; take the log of their ratio, which is positive") from None  # fmt: skip
            raise
        want = _crossover_alpha_solution(lp_s, n_s, lp_l, n_l)
        if math.isnan(got):
            raise AssertionError("got nan: log-probabilities are negative, so their logarithms do not exist; take the "
                                 "log of their ratio, which is positive")  # fmt: skip
        if math.isclose(got, -want, rel_tol=1e-9):
            raise AssertionError(f"the sign is wrong: at alpha = {got:.3f} the short answer still wins. One of your "
                                 "ratios is upside down")  # fmt: skip
        if math.isclose(got, math.log(lp_l / lp_s) / (n_l / n_s), rel_tol=1e-9):
            raise AssertionError("the exponent comes down as a logarithm: len ** alpha = exp(alpha * ln(len)), so "
                                 "divide by ln(len_long / len_short), not by the ratio itself")  # fmt: skip
        if math.isclose(got, (lp_l - lp_s) / (n_l - n_s), rel_tol=1e-9):
            raise AssertionError("the score divides by a power of the length: set the two scores equal and solve, "
                                 "differences of log-probabilities and lengths do not give alpha")  # fmt: skip
        assert math.isclose(got, want, rel_tol=1e-9), (
            f"for ({lp_s:.3f}, {n_s}) vs ({lp_l:.3f}, {n_l}) the scores tie at alpha = {want:.4f}, got {got:.4f}"
        )


crossover_alpha = Exercise(
    "the alpha at which the longer answer wins",
    _check_crossover,
    hint_text="Level 1: write both scores, log_p / len ** alpha, and ask for which alpha they are equal; with the raw "
    "log-probability (alpha = 0) the short answer wins here.\nLevel 2: bring the lengths to one side and the "
    "log-probabilities to the other: a ratio of log-probabilities equals a ratio of lengths to the power alpha. Both "
    "ratios are positive, so take logarithms and divide.",
    reference=_crossover_alpha_solution,
)


# --- exercise 2: one beam step for many sources at once -----------------------------------------------------------


def _batched_beam_step_solution(beam_scores, log_probs, beam_width):
    # beam_scores (S, k), log_probs (S, k, V) -> parents, tokens, new_scores, each (S, w) with w = min(beam_width, k*V)
    n_sources, k, vocab = log_probs.shape
    totals = (beam_scores[:, :, None] + log_probs).reshape(n_sources, k * vocab)  # one row of candidates per source
    best = np.argsort(-totals, axis=1, kind="stable")[:, :beam_width]  # (S, w): best first, within each source
    parents, tokens = np.divmod(best, vocab)
    return parents, tokens, np.take_along_axis(totals, best, axis=1)


def _check_batched_beam_step(fn: Callable) -> None:
    rng = np.random.default_rng(9)
    for s, k, vocab, width in [(3, 2, 4, 3), (2, 3, 5, 2), (4, 1, 3, 2), (1, 2, 3, 8)]:
        scores = np.sort(rng.normal(-3, 1, size=(s, k)), axis=1)[:, ::-1].copy()
        lp = np.log(rng.dirichlet(np.ones(vocab), size=(s, k)))
        out = fn(scores.copy(), lp.copy(), width)
        assert isinstance(out, tuple) and len(out) == 3, "return (parents, tokens, new_scores)"
        parents, tokens, new = (np.asarray(a) for a in out)
        want_p, want_t, want_s = _batched_beam_step_solution(scores, lp, width)
        w = want_s.shape[1]
        flat_all = (scores[:, :, None] + lp).reshape(-1)
        if new.size == s * w and np.allclose(new.reshape(-1), np.sort(flat_all)[::-1][: s * w]) and s > 1:
            raise AssertionError("the sources were mixed: each source keeps its own beam, so choose the best "
                                 "extensions within each source (one row of k * V candidates per source)")  # fmt: skip
        per_row = np.sort(scores + lp.max(2), axis=1)[:, ::-1][:, :width]  # each hypothesis's best extension only
        if new.shape == per_row.shape and not np.array_equal(per_row, want_s) and np.allclose(new, per_row):
            raise AssertionError("each hypothesis contributed only its best token: compare all k * V extensions of a "
                                 "source together, several may share a parent")  # fmt: skip
        assert new.shape == (s, w), f"new_scores should have shape (S, min(beam_width, k * V)) = {(s, w)}, got {new.shape}"
        if np.allclose(new, np.sort(lp.reshape(s, -1), axis=1)[:, ::-1][:, :w]):
            raise AssertionError("add each hypothesis's own score: totals = beam_scores[:, :, None] + log_probs")
        if w > 1 and np.allclose(new, want_s[:, ::-1]):
            raise AssertionError("best first: sort each source's kept extensions by decreasing score")
        assert np.allclose(new, want_s), "the new scores should be each source's beam_width largest totals, best first"
        if parents.shape == want_p.shape and np.array_equal(tokens, want_p) and np.array_equal(parents, want_t):
            raise AssertionError("parents and tokens are swapped: return (parents, tokens, new_scores)")
        if k != vocab and [a.tolist() for a in np.divmod(want_p * vocab + want_t, k)] == [
            parents.tolist(), tokens.tolist()]:  # fmt: skip
            raise AssertionError(f"a position p in a source's row of k * V = {k * vocab} candidates belongs to parent "
                                 f"p // V and token p % V (V = {vocab}), not p // k and p % k")  # fmt: skip
        assert parents.shape == (s, w) and np.array_equal(parents, want_p), (
            "parents should give, per source, the row (0..k-1) of the hypothesis each kept extension comes from"
        )
        assert np.array_equal(tokens, want_t), "tokens should give the next token (0..V-1) of each kept extension"


batched_beam_step = Exercise(
    "one beam step for many sources",
    _check_batched_beam_step,
    hint_text="Level 1: it is the one-source step done for every source at once: the candidates of a source compete "
    "only with each other.\nLevel 2: broadcast the hypothesis scores over the vocabulary axis to get (S, k, V) totals "
    "and reshape them to (S, k * V), one row per source; sort each row in decreasing order and keep the first "
    "beam_width positions; gather the scores at those positions, and split each position into parent and token "
    "as in section 1.",
    reference=_batched_beam_step_solution,
)


# --- exercise 3: complete beam search -------------------------------------------------------------------------------


def _beam_search_solution(step_fn, initial_state, start_id, end_id, beam_width, max_length, alpha):
    # initial_state (1, H). Returns every finished hypothesis as (tokens, log_prob), best first by
    # log_prob / len(tokens) ** alpha; tokens exclude the start id and include end_id when it was emitted
    live = [([], 0.0)]  # (tokens, summed log-probability), aligned with the rows of state
    state = initial_state
    finished = []
    for step in range(max_length):
        last = np.array([tokens[-1] if tokens else start_id for tokens, _ in live])
        log_probs, new_state = step_fn(last, state)  # (k, V), (k, H)
        totals = np.array([lp for _, lp in live])[:, None] + log_probs
        flat = totals.reshape(-1)
        best = np.argsort(-flat, kind="stable")[:beam_width]  # pruned by the summed log-probability
        next_live, parents = [], []
        for index in best:
            parent, token = divmod(int(index), log_probs.shape[1])
            hypothesis = (live[parent][0] + [token], float(flat[index]))
            if token == end_id or step == max_length - 1:
                finished.append(hypothesis)  # leaves the beam: the beam continues with fewer hypotheses
            else:
                next_live.append(hypothesis)
                parents.append(parent)
        if not next_live:
            break
        state = np.asarray(new_state)[parents]  # each survivor carries on from its parent's state
        live = next_live
    return sorted(finished, key=lambda h: -h[1] / len(h[0]) ** alpha)


def _random_step_model(seed: int, vocab: int = 5, hidden: int = 3, end_bias: float = 0.0):
    """A small random recurrent step model: token ids 0..vocab-1 (0 is <end>), the start id is ``vocab``."""
    rng = np.random.default_rng(seed)
    embed = rng.normal(size=(vocab + 1, hidden))
    recurrent = rng.normal(size=(hidden, hidden)) * 0.9
    output = rng.normal(size=(hidden, vocab)) * 1.5
    bias = np.zeros(vocab)
    bias[0] = end_bias

    def step(tokens, state):
        tokens, state = np.asarray(tokens), np.asarray(state, dtype=float)
        if tokens.ndim != 1 or state.ndim != 2 or state.shape[0] != tokens.shape[0]:
            raise AssertionError(
                f"step_fn got tokens of shape {tokens.shape} and a state of shape {state.shape}: it needs one state "
                "row per token. After pruning, keep the state rows of the surviving hypotheses' parents"
            )
        h = np.tanh(state @ recurrent + embed[tokens])
        logits = h @ output + bias
        logits = logits - logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True)), h

    return step, rng.normal(size=(1, hidden))


# (seed, beam width, max length, alpha, bias of <end>)
_BEAM_CASES = [(0, 3, 5, 0.7, 0.5), (1, 2, 6, 1.0, 0.0), (2, 4, 4, 0.6, -1.0), (3, 3, 3, 0.5, -4.0),
               (4, 1, 5, 0.0, 0.0), (5, 3, 6, 0.0, 0.8), (6, 2, 5, 1.0, 1.0)]  # fmt: skip
_START, _END = 5, 0


def _beam_variant(step_fn, state, width, max_length, alpha, *, greedy_rows=False, finish_at_max=True, length=len,
                  rank="score", keep_width_live=False):  # fmt: skip
    """Beam search with one typical mistake switched on (the defaults give the correct search). A search that does not
    reorder the state is caught by the step model itself, which then receives a state with the wrong number of rows."""
    live, finished = [([], 0.0)], []
    for step in range(max_length):
        last = np.array([t[-1] if t else _START for t, _ in live])
        log_probs, new_state = step_fn(last, state)
        vocab = log_probs.shape[1]
        totals = np.array([lp for _, lp in live])[:, None] + log_probs
        if greedy_rows and step > 0:  # every hypothesis extended by its own best token only
            candidates = [(row, int(np.argmax(totals[row])), totals[row].max()) for row in range(len(live))]
            candidates.sort(key=lambda c: -c[2])
        else:
            flat = totals.reshape(-1)
            order = np.argsort(-flat, kind="stable")
            candidates = [(int(i) // vocab, int(i) % vocab, float(flat[i])) for i in order]
        next_live, parents = [], []
        for rank_index, (parent, token, lp) in enumerate(candidates):
            if not keep_width_live and rank_index >= width:
                break
            if keep_width_live and len(next_live) >= width:
                break
            hyp = (live[parent][0] + [token], lp)
            if token == _END or step == max_length - 1:
                if token == _END or finish_at_max:
                    finished.append(hyp)
            else:
                next_live.append(hyp)
                parents.append(parent)
        if not next_live:
            break
        state = np.asarray(new_state)[parents]
        live = next_live
    if rank == "raw":
        return sorted(finished, key=lambda h: -h[1])
    return sorted(finished, key=lambda h: -h[1] / max(length(h[0]), 1) ** alpha)


def _as_pairs(output: Any) -> list[tuple[list[int], float]]:
    assert isinstance(output, (list, tuple)), f"return a list of (tokens, log_prob) pairs, got {type(output).__name__}"
    pairs = []
    for item in output:
        if hasattr(item, "tokens") and hasattr(item, "log_prob"):
            pairs.append(([int(t) for t in item.tokens], float(item.log_prob)))
        else:
            assert isinstance(item, (list, tuple)) and len(item) == 2, (
                f"each finished hypothesis should be a pair (tokens, log_prob), got {item!r}"
            )
            pairs.append(([int(t) for t in item[0]], float(item[1])))
    return pairs


def _same(a: list[tuple[list[int], float]], b: list[tuple[list[int], float]]) -> bool:
    return len(a) == len(b) and all(
        ta == tb and math.isclose(la, lb, rel_tol=1e-9, abs_tol=1e-9) for (ta, la), (tb, lb) in zip(a, b)
    )


_VARIANT_MESSAGES = [
    ({"greedy_rows": True}, "after the first step each hypothesis was extended by its own best token only: that is "
     "beam_width greedy searches. Compare all k * V extensions together; several may share a parent"),
    ({"keep_width_live": True}, "a hypothesis that emits <end> takes one of the beam_width places in the step where it "
     "finishes; the beam then goes on with fewer live hypotheses (it does not refill to beam_width)"),
    ({"finish_at_max": False}, "hypotheses still alive after max_length tokens are finished too: they belong to the "
     "result"),
    ({"rank": "raw"}, "the finished hypotheses are ranked by their raw log-probability: rank them by "
     "log_prob / len(tokens) ** alpha"),
    ({"length": lambda t: len(t) - (t[-1] == _END)}, "the length in the normalisation counts every token after "
     "<start>, <end> included"),
    ({"length": lambda t: len(t) + 1}, "the length in the normalisation counts the tokens after <start>: leave <start> "
     "out"),
]


def _check_complete_beam_search(fn: Callable) -> None:
    for seed, width, max_length, alpha, end_bias in _BEAM_CASES:
        step, state0 = _random_step_model(seed, end_bias=end_bias)
        want = [(h.tokens, h.log_prob) for h in beam_search(step, state0, _START, _END, width, max_length, alpha)]
        got = _as_pairs(fn(step, state0.copy(), _START, _END, width, max_length, alpha))
        if _same(got, want):
            continue
        if any(tokens and tokens[0] == _START for tokens, _ in got):
            raise AssertionError("leave the start id out of the returned tokens")
        if any(_END in tokens[:-1] for tokens, _ in got):
            raise AssertionError("a hypothesis went on after <end>: one that emits end_id is finished and leaves the "
                                 "beam")  # fmt: skip
        if not got:
            raise AssertionError("nothing finished: hypotheses still alive after max_length tokens are finished too")
        if any(len(tokens) > max_length for tokens, _ in got):
            raise AssertionError(f"a hypothesis has more than max_length = {max_length} tokens")
        for variant, text in _VARIANT_MESSAGES:
            if _same(got, _beam_variant(step, state0, width, max_length, alpha, **variant)):
                raise AssertionError(text)
        by_tokens = {tuple(t): lp for t, lp in want}
        if sorted(map(tuple, (t for t, _ in got))) == sorted(by_tokens) and all(
            math.isclose(lp, by_tokens[tuple(t)] / len(t) ** alpha, rel_tol=1e-9) for t, lp in got
        ) and alpha > 0:  # fmt: skip
            raise AssertionError("you returned the normalised score in place of log_prob: return the summed "
                                 "log-probability (rank by the score)")  # fmt: skip
        if sorted(map(tuple, (t for t, _ in got))) == sorted(by_tokens):
            raise AssertionError("the right hypotheses, but not in the right order or with the wrong log_prob: sort "
                                 "them best first by log_prob / len(tokens) ** alpha")  # fmt: skip
        raise AssertionError(
            f"with beam_width={width}, max_length={max_length}, alpha={alpha} the finished hypotheses should be "
            f"{[(t, round(lp, 4)) for t, lp in want]}, got {[(t, round(lp, 4)) for t, lp in got]}"
        )


complete_beam_search = Exercise(
    "complete beam search",
    _check_complete_beam_search,
    hint_text="Level 1: keep a list of live hypotheses (tokens so far, summed log-probability) aligned with the rows of "
    "the state, and a list of finished ones. One step of the search is section 1's beam step plus bookkeeping: who "
    "finished, who survives, and which state each survivor continues from.\nLevel 2: at each step feed every live "
    "hypothesis's last token (the start id at first) with the state; add the hypothesis scores to the returned "
    "log-probabilities and keep the beam_width best extensions over all hypotheses; an extension ending in end_id, "
    "or reaching max_length tokens, goes to the finished list, the others stay live with the state rows of their "
    "parents; stop when nothing is live. Finally sort the finished list by the normalised score.",
    reference=_beam_search_solution,
)


# --- exercise 4 (open): does the beam still help after more training? -----------------------------------------------

_MORE_TRAINING_ANSWER = """\
Model answer: one run per setting, seed 0, the 1,000 test sentences of section 2, raw log-probability (alpha = 0).
Training times are wall-clock seconds on 2 CPU cores (4 epochs: the lesson's own run, with the CPU to itself;
8 epochs: while other programs shared the CPU).

                      exact match by beam width     BLEU              wrong at width   search errors at width
  training            1      2      4      8        1       8         1     8          1     8
  4 epochs (39 s)     0.597  0.632  0.635  0.635    0.837   0.858     403   365        49    0
  8 epochs (84 s)     0.827  0.841  0.842  0.842    0.938   0.944     173   158        19    0

- The beam still helps after 8 epochs, but less: +0.015 exact match from greedy to width 8, against +0.038 after
  4 epochs. Beyond width 4 nothing changes in either run.
- Greedy's search errors fell from 49 to 19 with the extra training: a better-trained model puts more of its
  probability on one translation, which greedy finds. At width 8 there were none left in either run.
- Most wrong outputs are model errors in both runs (the model gives the wrong translation a higher probability than
  every reference): more training cut them from 365 to 158 at width 8; more search cannot.
"""

more_training = _open_exercise(
    "more_training",
    hint_text="Level 1: change epochs=4 to epochs=8 in the training cell of section 2 and rerun sections 2 to 4; keep "
    "the seed, so that the only change is the training.\nLevel 2: compare the table of section 2 (exact match and "
    "BLEU for each beam width) and the counts of section 4 (search vs model errors at widths 1 and 8) with the "
    "4-epoch run: how many wrong outputs are left, and whose fault are they?",
    model_answer=_MORE_TRAINING_ANSWER,
)


# --- the last cell of the lesson: one known-wrong answer per checked exercise ----------------------------------------


def _wrong_beam_step(beam_scores, log_probs, beam_width):  # forgets the hypotheses' own scores
    flat = log_probs.reshape(-1)
    best = np.argsort(-flat, kind="stable")[:beam_width]
    parents, tokens = np.divmod(best, log_probs.shape[1])
    return parents, tokens, flat[best]


def _wrong_batched_beam_step(beam_scores, log_probs, beam_width):  # ranks all sources' extensions together
    s, k, v = log_probs.shape
    flat = (beam_scores[:, :, None] + log_probs).reshape(-1)
    w = min(beam_width, k * v)
    best = np.argsort(-flat, kind="stable")[: s * w]
    parents, tokens = np.divmod(best, v)
    return parents.reshape(s, w), tokens.reshape(s, w), flat[best].reshape(s, w)


def _wrong_beam_search(step_fn, initial_state, start_id, end_id, beam_width, max_length, alpha):
    # a correct search whose output is ranked by the raw log-probability, alpha ignored
    found = _beam_search_solution(step_fn, initial_state, start_id, end_id, beam_width, max_length, alpha)
    return sorted(found, key=lambda pair: -pair[1])


KNOWN_WRONG = {
    "beam_step": _wrong_beam_step,
    "crossover_alpha": lambda lp_short, n_short, lp_long, n_long: math.log(lp_short / lp_long) / math.log(n_long / n_short),
    "batched_beam_step": _wrong_batched_beam_step,
    "complete_beam_search": _wrong_beam_search,
}
