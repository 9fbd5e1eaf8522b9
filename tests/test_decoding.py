import numpy as np
import pytest

from course_utils import decoding


def _markov_step(table):
    log_table = np.log(table)

    def step(tokens, state):
        return log_table[tokens], state

    return step


def test_greedy_follows_argmax_and_stops_at_end():
    table = np.array([[0.1, 0.1, 0.8], [0.3, 0.4, 0.3], [0.1, 0.8, 0.1]])
    out = decoding.greedy_decode(_markov_step(table), np.zeros((3, 1)), start_id=0, end_id=1, max_length=4)
    assert out == [[2, 1]] * 3


def test_greedy_max_length_without_end():
    table = np.array([[0.1, 0.1, 0.8], [0.3, 0.4, 0.3], [0.1, 0.1, 0.8]])
    out = decoding.greedy_decode(_markov_step(table), np.zeros((1, 2)), start_id=0, end_id=1, max_length=3)
    assert out == [[2, 2, 2]]


def test_greedy_batches_different_sources():
    def step(tokens, state):  # each source prefers its own token, then the end
        logits = np.full((len(tokens), 4), -5.0)
        first = tokens == 0
        logits[first, state[first, 0].astype(int)] = 0.0
        logits[~first, 1] = 0.0
        return logits, state

    out = decoding.greedy_decode(step, np.array([[2.0], [3.0]]), start_id=0, end_id=1, max_length=5)
    assert out == [[2, 1], [3, 1]]


def test_nested_states():
    def step(tokens, state):
        assert state["h"].shape[0] == len(tokens)
        return np.log(np.tile([0.2, 0.8], (len(tokens), 1))), {"h": state["h"] + 1, "c": [state["c"][0]]}

    out = decoding.greedy_decode(step, {"h": np.zeros((2, 3)), "c": [np.zeros((2, 1))]}, 0, 1, 4)
    assert out == [[1], [1]]


def test_bad_step_function_and_arguments():
    bad = lambda tokens, state: (np.zeros(len(tokens)), state)  # noqa: E731
    with pytest.raises(ValueError, match=r"\(k, vocab\)"):
        decoding.greedy_decode(bad, np.zeros((2, 1)), 0, 1, 3)
    shrink = lambda tokens, state: (np.zeros((len(tokens), 3)), state[:1])  # noqa: E731
    with pytest.raises(ValueError, match="leading dimension"):
        decoding.greedy_decode(shrink, np.zeros((2, 1)), 0, 1, 3)
    with pytest.raises(ValueError, match="max_length"):
        decoding.greedy_decode(bad, np.zeros((2, 1)), 0, 1, 0)
    with pytest.raises(ValueError, match="disagree"):
        decoding.state_batch_size([np.zeros((2, 1)), np.zeros((3, 1))])


# ---- beam search -------------------------------------------------------------------------------

import itertools  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


class RandomRNN:
    """A tiny random recurrent model: its state really changes with every token."""

    def __init__(self, vocab, hidden, seed):
        r = np.random.default_rng(seed)
        self.embed = r.normal(size=(vocab, hidden))
        self.rec = r.normal(size=(hidden, hidden))
        self.out = r.normal(size=(hidden, vocab)) * 2

    def step(self, tokens, state):
        new = np.tanh(self.embed[tokens] + state @ self.rec)
        logits = new @ self.out
        log_probs = logits - np.log(np.exp(logits).sum(1, keepdims=True))
        return log_probs, new


def exhaustive_best(model, state, start_id, end_id, max_length, length_penalty):
    vocab = model.out.shape[1]
    best = None
    for length in range(1, max_length + 1):
        for seq in itertools.product(range(vocab), repeat=length):
            if end_id in seq[:-1]:
                continue  # a sequence stops at its first end id
            if length < max_length and seq[-1] != end_id:
                continue  # shorter than max_length: must end with the end id
            s, lp, tok = state, 0.0, start_id
            for t in seq:
                log_probs, s = model.step(np.array([tok]), s)
                lp += log_probs[0, t]
                tok = t
            score = lp / len(seq) ** length_penalty if length_penalty else lp
            if best is None or score > best[0] + 1e-12:
                best = (score, list(seq), lp)
    return best


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 3), st.integers(1, 4), st.sampled_from([0.0, 0.7, 1.0]))
def test_wide_beam_equals_exhaustive_search(seed, vocab, max_length, alpha):
    model = RandomRNN(vocab, 3, seed)
    state = np.random.default_rng(seed).normal(size=(1, 3))
    hyps = decoding.beam_search(model.step, state, 0, 1, beam_width=vocab**max_length, max_length=max_length,
                                length_penalty=alpha)  # fmt: skip
    score, tokens, lp = exhaustive_best(model, state, 0, 1, max_length, alpha)
    assert hyps[0].tokens == tokens
    assert abs(hyps[0].log_prob - lp) < 1e-9 and abs(hyps[0].score - score) < 1e-9
    assert all(a.score >= b.score for a, b in zip(hyps, hyps[1:]))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 6), st.integers(1, 6))
def test_beam_width_one_is_greedy(seed, vocab, max_length):
    model = RandomRNN(vocab, 4, seed)
    state = np.random.default_rng(seed + 1).normal(size=(3, 4))
    greedy = decoding.greedy_decode(model.step, state, 0, 1, max_length)
    beams = decoding.beam_search_batch(model.step, state, 0, 1, beam_width=1, max_length=max_length)
    assert [b[0].tokens for b in beams] == greedy


def test_batched_beam_equals_one_source_at_a_time():
    model = RandomRNN(5, 4, 3)
    state = np.random.default_rng(0).normal(size=(4, 4))
    batched = decoding.beam_search_batch(model.step, state, 0, 1, beam_width=3, max_length=5, length_penalty=0.6)
    for i in range(4):
        single = decoding.beam_search(model.step, state[i : i + 1], 0, 1, beam_width=3, max_length=5, length_penalty=0.6)
        assert [h.tokens for h in single] == [h.tokens for h in batched[i]]


def test_beam_search_bad_input():
    model = RandomRNN(3, 2, 0)
    with pytest.raises(ValueError, match="beam_width"):
        decoding.beam_search(model.step, np.zeros((1, 2)), 0, 1, beam_width=0, max_length=3)
    with pytest.raises(ValueError, match="max_length"):
        decoding.beam_search(model.step, np.zeros((1, 2)), 0, 1, beam_width=2, max_length=0)
    with pytest.raises(ValueError, match=r"\(k, vocab\)"):
        decoding.beam_search(lambda t, s: (np.zeros((len(t) + 1, 3)), s), np.zeros((1, 2)), 0, 1, 2, 3)
    with pytest.raises(ValueError, match="one source"):
        decoding.beam_search(model.step, np.zeros((2, 2)), 0, 1, beam_width=2, max_length=3)


_loop_beam_search = decoding.beam_search_loop  # the straightforward version: the reference


class TiedRNN(RandomRNN):
    """Log-probabilities rounded to a coarse grid, so that many candidates tie exactly."""

    def step(self, tokens, state):
        log_probs, new = super().step(tokens, state)
        return np.round(log_probs * 2) / 2, new


class ImpossibleTokensRNN(RandomRNN):
    """Some tokens get probability 0 (log-probability -inf), so some rows have fewer finite entries than the beam."""

    def step(self, tokens, state):
        log_probs, new = super().step(tokens, state)
        impossible = (np.abs(np.sin(1000 * new.sum(1, keepdims=True) + np.arange(log_probs.shape[1]))) > 0.4)
        impossible[:, 0] = False  # token 0 always possible
        return np.where(impossible, -np.inf, log_probs), new


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 9), st.integers(1, 7), st.integers(1, 6), st.integers(1, 5),
       st.sampled_from([0.0, 0.6, 1.0]), st.sampled_from([RandomRNN, TiedRNN, ImpossibleTokensRNN]))  # fmt: skip
def test_vectorised_beam_search_equals_the_loop_version(seed, vocab, width, max_length, n_sources, alpha, kind):
    model = kind(vocab, 3, seed)
    state = np.random.default_rng(seed).normal(size=(n_sources, 3))
    end_id = seed % vocab
    fast = decoding.beam_search_batch(model.step, state, 0, end_id, width, max_length, alpha)
    slow = _loop_beam_search(model.step, state, 0, end_id, width, max_length, alpha)
    assert fast == slow  # same hypotheses, same floats, same order


def test_ties_go_to_the_earlier_hypothesis_then_the_lower_token():
    flat = np.log(np.full((1, 6), 1 / 6))
    out = decoding.beam_search_batch(lambda t, s: (np.repeat(flat, len(t), 0), s), np.zeros((1, 1)), 0, 5, 3, 2)
    assert [h.tokens for h in out[0]] == [[0, 0], [0, 1], [0, 2]]


def test_beam_search_leaves_the_step_output_unchanged():
    table = np.log(np.array([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25], [0.4, 0.3, 0.2, 0.1], [0.7, 0.1, 0.1, 0.1]]))
    seen = []

    def step(tokens, state):
        out = table[tokens]
        seen.append((out, out.copy()))
        return out, state

    decoding.beam_search_batch(step, np.zeros((3, 1)), 0, 3, beam_width=2, max_length=4)
    assert all(np.array_equal(a, b) for a, b in seen)  # picked entries are set to -inf, then put back


@pytest.mark.parametrize("mode", ["distinct", "ties", "mostly impossible", "all equal"])
def test_top_tokens_per_row_is_a_stable_sort_prefix(mode):
    rng = np.random.default_rng(["distinct", "ties", "mostly impossible", "all equal"].index(mode))
    for _ in range(200):
        k, vocab, c = int(rng.integers(1, 6)), int(rng.integers(2, 900)), int(rng.integers(1, 8))
        log_probs = {"distinct": lambda: rng.normal(size=(k, vocab)),
                     "ties": lambda: np.round(rng.normal(size=(k, vocab))),
                     "mostly impossible": lambda: np.where(rng.random((k, vocab)) < 0.99, -np.inf, 0.0),
                     "all equal": lambda: np.full((k, vocab), -1.0)}[mode]()  # fmt: skip
        before = log_probs.copy()
        top = decoding._top_tokens_per_row(log_probs, c)
        assert np.array_equal(log_probs, before)
        if c >= vocab:  # every token, in id order
            assert np.array_equal(top, np.tile(np.arange(vocab), (k, 1)))
        else:
            assert np.array_equal(top, np.stack([np.argsort(-row, kind="stable")[:c] for row in before]))


def test_rerank_gives_what_a_search_with_that_alpha_returns():
    model = RandomRNN(5, 3, 11)
    state = np.random.default_rng(11).normal(size=(4, 3))
    raw = decoding.beam_search_batch(model.step, state, 0, 1, beam_width=3, max_length=6)
    for alpha in (0.5, 1.0, 2.0):
        searched = decoding.beam_search_batch(model.step, state, 0, 1, beam_width=3, max_length=6, length_penalty=alpha)
        assert [decoding.rerank(h, alpha) for h in raw] == searched
    assert decoding.rerank(raw[0], 0.0) == raw[0]


def test_rerank_bad_input():
    h = decoding.Hypothesis([1, 2], -1.0, -1.0)
    with pytest.raises(ValueError, match="length_penalty"):
        decoding.rerank([h], -0.5)
    with pytest.raises(TypeError, match="length_penalty"):
        decoding.rerank([h], "1")
    with pytest.raises(TypeError, match=r"hypotheses\[1\]"):
        decoding.rerank([h, ([1], -1.0)], 1.0)


def test_loop_beam_search_bad_input():
    model = RandomRNN(3, 2, 0)
    with pytest.raises(ValueError, match="beam_width"):
        decoding.beam_search_loop(model.step, np.zeros((1, 2)), 0, 1, beam_width=0, max_length=3)
    with pytest.raises(ValueError, match="max_length"):
        decoding.beam_search_loop(model.step, np.zeros((1, 2)), 0, 1, beam_width=2, max_length=0)


def test_max_sources_gives_the_same_result():
    model = RandomRNN(6, 4, 5)
    state = np.random.default_rng(1).normal(size=(7, 4))
    whole = decoding.beam_search_batch(model.step, state, 0, 1, beam_width=3, max_length=6, length_penalty=0.5)
    for chunk in (1, 2, 3, 7, 50):
        parts = decoding.beam_search_batch(model.step, state, 0, 1, beam_width=3, max_length=6, length_penalty=0.5,
                                           max_sources=chunk)
        assert [[h.tokens for h in p] for p in parts] == [[h.tokens for h in w] for w in whole]
        assert np.allclose([h.log_prob for p in parts for h in p], [h.log_prob for w in whole for h in w], atol=1e-12)
    with pytest.raises(ValueError, match="max_sources"):
        decoding.beam_search_batch(model.step, state, 0, 1, beam_width=3, max_length=6, max_sources=0)


@pytest.mark.parametrize("alpha", [0.0, 0.7, 1.0, 2.0])
def test_pruning_by_the_normalised_score_keeps_the_same_hypotheses(alpha):
    model = RandomRNN(7, 4, 6)
    state = np.random.default_rng(2).normal(size=(5, 4))
    raw = decoding.beam_search_batch(model.step, state, 0, 1, beam_width=4, max_length=7)
    pruned = decoding.beam_search_loop(model.step, state, 0, 1, beam_width=4, max_length=7, length_penalty=alpha,
                                       prune_by="score")
    assert [[(h.tokens, h.log_prob) for h in decoding.rerank(r, alpha)] for r in raw] == \
        [[(h.tokens, h.log_prob) for h in p] for p in pruned]
    with pytest.raises(ValueError, match="prune_by"):
        decoding.beam_search_loop(model.step, state, 0, 1, beam_width=4, max_length=7, prune_by="alpha")
