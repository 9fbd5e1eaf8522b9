"""Exercises of lesson 03 (language models): bits and perplexity, temperature sampling,
a smoothed bigram distribution, nucleus (top-p) filtering, the log-probability of a text with a step model,
and the stream layout that ``stateful=True`` needs.

``KNOWN_WRONG`` maps the name of each exercise (its attribute in this module) to one typical wrong answer, which the
notebook's last cell runs through the checker to show that it fails."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from course_utils.exercises import Exercise
from course_utils.language_model import softmax_with_temperature

__all__ = [
    "bits_and_perplexity",
    "temperature_sample",
    "bigram_distribution",
    "top_p_filter",
    "text_log_prob",
    "stateful_layout",
]


# --- 1. bits per character and perplexity ---------------------------------------------------------


def _bits_and_perplexity_solution(log_probs):
    # log_probs: natural-log probabilities the model gave to each true next character, shape (N,)
    nll = -np.mean(log_probs)  # mean cross-entropy in nats (what Keras reports as the loss)
    return nll / np.log(2), float(np.exp(nll))  # bits per character, perplexity


def _check_bits_and_perplexity(fn: Callable) -> None:
    for log_probs in (np.log([0.5, 0.25, 0.125, 0.125]), np.log([0.9, 0.05, 0.6])):
        _check_one_bits_and_perplexity(fn, log_probs)


def _check_one_bits_and_perplexity(fn: Callable, log_probs: np.ndarray) -> None:
    got = fn(log_probs.copy())
    assert isinstance(got, (tuple, list, np.ndarray)) and len(got) == 2, "return a pair (bits_per_char, perplexity)"
    bits, ppl = float(got[0]), float(got[1])
    nll = -float(np.mean(log_probs))
    want_bits, want_ppl = nll / math.log(2), math.exp(nll)
    if math.isclose(bits, nll, rel_tol=1e-6):
        raise AssertionError("your bits are in nats: divide the mean negative log-probability by ln 2")
    if math.isclose(bits, -want_bits, rel_tol=1e-6):
        raise AssertionError("the sign is wrong: a cross-entropy is the NEGATIVE mean log-probability")
    if math.isclose(bits, -float(np.sum(log_probs)) / math.log(2), rel_tol=1e-6):
        raise AssertionError("you summed the log-probabilities: take their mean, so the result is per character")
    if math.isclose(bits, nll / math.log(10), rel_tol=1e-6):
        raise AssertionError("you divided by ln 10: bits need log base 2, so divide by ln 2")
    assert math.isclose(bits, want_bits, rel_tol=1e-6), f"bits per character should be {want_bits:.4f}, got {bits:.4f}"
    if math.isclose(ppl, 2**nll, rel_tol=1e-6) or math.isclose(ppl, math.exp(want_bits), rel_tol=1e-6):
        raise AssertionError("the perplexity mixes bases: it is exp(nats) = 2**(bits)")
    assert math.isclose(ppl, want_ppl, rel_tol=1e-6), f"perplexity should be {want_ppl:.4f}, got {ppl:.4f}"


bits_and_perplexity = Exercise(
    "bits per character and perplexity",
    _check_bits_and_perplexity,
    hint_text="Level 1: a cross-entropy is an average surprise, -log p, per character; bits and nats differ only "
    "by the base of the logarithm.\nLevel 2: start from the mean of -log_probs (nats). Changing base means "
    "dividing by the log of the new base. The perplexity is the same number of nats, exponentiated in base e.",
    reference=_bits_and_perplexity_solution,
)


# --- 2. sampling with a temperature from a probability row -----------------------------------------

_PROBS = np.array([0.5, 0.25, 0.15, 0.07, 0.03])


def _temperature_sample_solution(probs, temperature, rng):
    # probs: (V,) probabilities of the next token. Temperature acts on log-probabilities (logits).
    logits = np.log(probs)
    scaled = np.exp((logits - logits.max()) / temperature)
    scaled = scaled / scaled.sum()  # renormalise
    return int(rng.choice(len(probs), p=scaled))


def _frequencies(fn: Callable, temperature: float, n: int = 6000) -> np.ndarray:
    rng = np.random.default_rng(1234)
    counts = np.zeros(len(_PROBS))
    for _ in range(n):
        try:
            token = fn(_PROBS.copy(), temperature, rng)
        except ValueError as err:
            if "sum to 1" in str(err) or "probabilities" in str(err):
                raise AssertionError(
                    f"your probabilities no longer sum to 1 after applying the temperature ({err}): renormalise them"
                ) from None
            raise
        token = int(token)
        assert 0 <= token < len(_PROBS), f"a sampled id must be between 0 and {len(_PROBS) - 1}, got {token}"
        counts[token] += 1
    return counts / n


def _check_temperature_sample(fn: Callable) -> None:
    for temperature in (0.5, 2.0):
        freq = _frequencies(fn, temperature)
        want = softmax_with_temperature(np.log(_PROBS), temperature)
        if np.abs(freq - _PROBS).max() < 0.03 and np.abs(want - _PROBS).max() > 0.08:
            raise AssertionError(
                f"at temperature {temperature} your samples follow the original probabilities: dividing "
                "probabilities by T and renormalising changes nothing; divide the LOG-probabilities by T"
            )
        inverse = softmax_with_temperature(np.log(_PROBS), 1 / temperature)
        if np.abs(freq - inverse).max() < 0.03:
            raise AssertionError(
                "your temperature works backwards (p ** T instead of p ** (1 / T)): a low temperature must "
                "sharpen the distribution"
            )
        as_logits = softmax_with_temperature(_PROBS, temperature)
        if np.abs(freq - as_logits).max() < 0.03:
            raise AssertionError(
                "you applied the softmax to the probabilities themselves: they are not logits; take their log first"
            )
        if np.abs(freq - np.eye(len(_PROBS))[0]).max() < 0.01:
            raise AssertionError(f"at temperature {temperature} you always return the most probable token: sample")
        err = float(np.abs(freq - want).max())
        assert err < 0.03, (
            f"at temperature {temperature} the sample frequencies {np.round(freq, 3).tolist()} are far from "
            f"softmax(log p / T) = {np.round(want, 3).tolist()}"
        )


temperature_sample = Exercise(
    "sampling with a temperature",
    _check_temperature_sample,
    hint_text="Level 1: the temperature divides the model's scores before the softmax; you are given "
    "probabilities, not scores.\nLevel 2: recover scores with a logarithm (they are log-probabilities up to a "
    "constant), divide by T, exponentiate, make the row sum to 1, and draw one id with rng.choice(V, p=...).",
    reference=_temperature_sample_solution,
)


# --- 3. a smoothed bigram distribution -----------------------------------------------------------------


def _bigram_solution(text, chars, prev, alpha):
    # counts of (previous char -> next char) pairs in text, over the alphabet chars
    index = {c: i for i, c in enumerate(chars)}
    counts = np.zeros(len(chars))
    for a, b in zip(text, text[1:]):
        if a == prev:
            counts[index[b]] += 1
    smoothed = counts + alpha  # add-alpha: every pair gets alpha pseudo-counts
    return smoothed / smoothed.sum()  # P(next | prev), sums to 1


def _check_bigram(fn: Callable) -> None:
    text, chars = "abracadabra", "abcdr"
    got = np.asarray(fn(text, chars, "a", 1.0), dtype=float)
    assert got.shape == (len(chars),), f"return one probability per character of chars: shape (5,), got {got.shape}"
    want = np.array([1, 3, 2, 2, 1]) / 9  # after "a": b twice, c once, d once; plus 1 each
    counts_a = np.array([0, 2, 1, 1, 0], dtype=float)  # after "a": b, b, c, d (the last "a" has no successor)
    if np.allclose(got, counts_a / counts_a.sum()):
        raise AssertionError("no smoothing: 'a' is never followed by 'a' in the text, yet P(a | a) must not be 0")
    if np.allclose(got, counts_a + 1):
        raise AssertionError("you returned smoothed counts: divide by their sum to get probabilities")
    unigram = np.array([text.count(c) for c in chars], dtype=float) + 1
    if np.allclose(got, unigram / unigram.sum()):
        raise AssertionError("this is the unigram distribution: count only the characters that follow prev")
    if np.allclose(got, np.array([1, 2, 1, 1, 1]) / 6) or np.allclose(got, np.array([0, 2, 1, 1, 0]) / 5):
        raise AssertionError("your counts look off by one pair: count each (text[i], text[i+1]) pair once")
    if np.allclose(got, (counts_a + 1) / (text.count("a") + len(chars))):
        raise AssertionError(
            "you divided by the number of times prev occurs, but the last 'a' of the text has no successor: divide "
            "by the sum of the smoothed counts (the pairs that start with prev, plus alpha for each character)"
        )
    assert np.isclose(got.sum(), 1.0), f"the probabilities should sum to 1, they sum to {got.sum():.4f}"
    assert np.allclose(got, want), f"P(next | 'a') should be {np.round(want, 4).tolist()}, got {np.round(got, 4).tolist()}"
    got2 = np.asarray(fn(text, chars, "r", 0.5), dtype=float)
    want2 = np.array([2.5, 0.5, 0.5, 0.5, 0.5]) / 4.5  # after "r": a twice; plus 0.5 each
    assert np.allclose(got2, want2), f"with alpha=0.5 after 'r' expected {np.round(want2, 4).tolist()}, got {np.round(got2, 4).tolist()}"


bigram_distribution = Exercise(
    "a smoothed bigram distribution",
    _check_bigram,
    hint_text="Level 1: only the pairs whose first character is prev matter; smoothing adds the same pseudo-count to "
    "every possible next character.\nLevel 2: walk over consecutive pairs (zip(text, text[1:])), count the second "
    "characters of the pairs that start with prev into a vector indexed like chars, add alpha, divide by the sum.",
    reference=_bigram_solution,
)


# --- 4. nucleus (top-p) filtering ---------------------------------------------------------------------


def _top_p_solution(probs, p):
    # keep the smallest set of most probable tokens whose total probability reaches p
    probs = np.asarray(probs, dtype=float)
    order = np.argsort(-probs, kind="stable")  # most probable first
    cumulative = np.cumsum(probs[order])
    n_keep = int(np.searchsorted(cumulative, p) + 1)  # include the token that crosses p
    keep = np.zeros_like(probs, dtype=bool)
    keep[order[:n_keep]] = True
    out = np.where(keep, probs, 0.0)
    return out / out.sum()


def _check_top_p(fn: Callable) -> None:
    probs = np.array([0.1, 0.4, 0.05, 0.3, 0.15])
    got = np.asarray(fn(probs.copy(), 0.75), dtype=float)
    assert got.shape == probs.shape, f"return a filtered distribution of shape {probs.shape}, got {got.shape}"
    want = np.array([0, 0.4, 0, 0.3, 0.15]) / 0.85  # keeps 0.4, 0.3 and 0.15 (0.7 < 0.75 <= 0.85)
    if np.allclose(got, np.where(np.isin(np.arange(5), [1, 3]), probs, 0) / 0.7):
        raise AssertionError("you stopped before the token that crosses p: 0.4 + 0.3 = 0.7 < 0.75, so 0.15 must stay")
    kept = np.where(want > 0, probs, 0)
    if np.allclose(got, kept):
        raise AssertionError("the kept probabilities must be renormalised to sum to 1")
    if np.allclose(got, _first_in_id_order(probs, 0.75)):
        raise AssertionError("sort the tokens by probability first: the nucleus is made of the MOST probable tokens")
    if np.allclose(got, np.where(probs >= 0.75, probs, 0)) or np.allclose(got, np.zeros_like(probs)):
        raise AssertionError("p is a threshold on the cumulative probability, not on each token's probability")
    assert np.allclose(got, want), f"top-p 0.75 of {probs.tolist()} should be {np.round(want, 4).tolist()}, got {np.round(got, 4).tolist()}"
    one = np.asarray(fn(probs.copy(), 0.3), dtype=float)
    assert np.allclose(one, np.eye(5)[1]), f"with p=0.3 only the most probable token stays, got {np.round(one, 4).tolist()}"
    everything = np.asarray(fn(probs.copy(), 1.0), dtype=float)
    assert np.allclose(everything, probs), "with p=1.0 every token stays and the distribution is unchanged"


def _first_in_id_order(probs: np.ndarray, p: float) -> np.ndarray:
    n_keep = int(np.searchsorted(np.cumsum(probs), p) + 1)
    out = np.where(np.arange(len(probs)) < n_keep, probs, 0.0)
    return out / out.sum()


top_p_filter = Exercise(
    "nucleus (top-p) filtering",
    _check_top_p,
    hint_text="Level 1: top-k keeps a fixed number of tokens; top-p keeps as many of the most probable tokens as it "
    "takes for their probabilities to add up to p (the token that crosses p included).\nLevel 2: sort ids by "
    "decreasing probability, take a cumulative sum, find how many tokens are needed to reach p, zero the others "
    "in the original order, renormalise.",
    reference=_top_p_solution,
)


# --- 5. the log-probability of a text with a step model ------------------------------------------------


def _text_log_prob_solution(step, ids, state_size):
    # step(tokens (1, 1), state (1, H)) -> (logits (1, V), new state (1, H)), like the lesson's step function
    state = np.zeros((1, state_size), dtype="float32")
    total = 0.0
    for current, following in zip(ids[:-1], ids[1:]):
        logits, state = step(np.array([[current]], dtype=np.int32), state)  # scores for the character after current
        z = np.asarray(logits[0], dtype=np.float64)
        z = z - z.max()
        total += z[following] - np.log(np.exp(z).sum())  # log-softmax, read at the true next character
    return float(total)  # natural log of P(ids[1:] | ids[0])


class _ToyRNN:
    """A tiny NumPy RNN with a step function and a whole-sequence function, standing in for the lesson's model."""

    def __init__(self, vocab: int = 6, hidden: int = 4, seed: int = 3) -> None:
        rng = np.random.default_rng(seed)
        self.E = rng.normal(0, 1.0, (vocab, hidden))
        self.W = rng.normal(0, 0.8, (hidden, hidden))
        self.U = rng.normal(0, 1.5, (hidden, vocab))
        self.hidden = hidden

    def step(self, tokens, state):
        h = np.tanh(self.E[np.asarray(tokens)[:, 0]] + np.asarray(state, dtype=np.float64) @ self.W)
        return h @ self.U, h

    def log_prob(self, ids) -> float:  # what evaluate() would give, times the number of scored characters
        h, total = np.zeros(self.hidden), 0.0
        for current, following in zip(ids[:-1], ids[1:]):
            h = np.tanh(self.E[current] + h @ self.W)
            z = h @ self.U
            total += z[following] - z.max() - np.log(np.exp(z - z.max()).sum())
        return float(total)

    def log_prob_stateless(self, ids) -> float:
        total = 0.0
        for current, following in zip(ids[:-1], ids[1:]):
            z = np.tanh(self.E[current]) @ self.U
            total += z[following] - z.max() - np.log(np.exp(z - z.max()).sum())
        return float(total)


_TOY_IDS = [0, 3, 1, 4, 4, 2, 5, 0, 1]


def _check_text_log_prob(fn: Callable) -> None:
    toy = _ToyRNN()
    got = fn(toy.step, list(_TOY_IDS), toy.hidden)
    assert np.ndim(got) == 0, f"return one number (the log-probability of the whole text), got shape {np.shape(got)}"
    got = float(got)
    want = toy.log_prob(_TOY_IDS)
    n = len(_TOY_IDS) - 1
    if got > 1e-9:
        raise AssertionError(f"a log-probability is never positive, got {got:.4f}: did you forget the minus sign, "
                             "or return the loss instead?")
    if math.isclose(got, want / n, rel_tol=1e-5):
        raise AssertionError("you returned the mean log-probability per character: the text's log-probability is the SUM")
    if math.isclose(got, want / math.log(2), rel_tol=1e-5):
        raise AssertionError("you returned log base 2: keep the natural logarithm (what Keras' loss uses)")
    if math.isclose(got, toy.log_prob_stateless(_TOY_IDS), rel_tol=1e-5):
        raise AssertionError("the state is not carried: pass the state returned by one step into the next step")
    shifted = sum(
        float(z[cur] - z.max() - np.log(np.exp(z - z.max()).sum()))
        for z, cur in _toy_logits_with_tokens(toy, _TOY_IDS)
    )
    if math.isclose(got, shifted, rel_tol=1e-5):
        raise AssertionError("off by one: the scores returned after feeding ids[t] are for ids[t + 1], the NEXT character")
    assert math.isclose(got, want, rel_tol=1e-5), f"the log-probability of the toy text should be {want:.4f}, got {got:.4f}"
    short = fn(toy.step, [2, 5], toy.hidden)
    assert math.isclose(float(short), toy.log_prob([2, 5]), rel_tol=1e-5), "a two-character text has one scored character"


def _toy_logits_with_tokens(toy: _ToyRNN, ids):
    h = np.zeros(toy.hidden)
    for current in ids[:-1]:
        h = np.tanh(toy.E[current] + h @ toy.W)
        yield h @ toy.U, current


def _wrong_text_log_prob_stateless(step, ids, state_size):
    total = 0.0
    for current, following in zip(ids[:-1], ids[1:]):
        logits, _ = step(np.array([[current]], dtype=np.int32), np.zeros((1, state_size), dtype="float32"))
        z = np.asarray(logits[0], dtype=np.float64)
        total += z[following] - z.max() - np.log(np.exp(z - z.max()).sum())
    return float(total)


text_log_prob = Exercise(
    "the log-probability of a text with the step model",
    _check_text_log_prob,
    hint_text="Level 1: the chain rule: log P(text) is a sum over positions of log P(next character | the ones before), "
    "and the step model gives the scores for the next character once it has read the current one.\nLevel 2: start "
    "from a zero state; for each pair (current, following) feed current with the state, keep the new state, turn the "
    "logits into log-probabilities (subtract the max, subtract log of the sum of exp) and add the entry of following.",
    reference=_text_log_prob_solution,
)


# --- 6. the stream layout of stateful=True ----------------------------------------------------------------


def _stateful_layout_solution(ids, batch_size, length):
    ids = np.asarray(ids)
    n_windows = (len(ids) - 1) // (batch_size * length)  # windows per stream
    span = n_windows * length  # characters per stream
    x = ids[: batch_size * span].reshape(batch_size, span)  # (B, span): stream i is one long stretch of text
    y = ids[1 : batch_size * span + 1].reshape(batch_size, span)  # the same streams, one character later
    # batch b holds window b of every stream: row i of batch b + 1 continues row i of batch b
    x = x.reshape(batch_size, n_windows, length).transpose(1, 0, 2).reshape(-1, length)
    y = y.reshape(batch_size, n_windows, length).transpose(1, 0, 2).reshape(-1, length)
    return x, y  # (n_windows * B, length) each


def _wrong_stateful_consecutive(ids, batch_size, length):
    ids = np.asarray(ids)
    n = (len(ids) - 1) // (batch_size * length) * batch_size
    return ids[: n * length].reshape(n, length), ids[1 : n * length + 1].reshape(n, length)


def _check_stateful_layout(fn: Callable) -> None:
    ids = np.arange(61)  # ids equal to their positions: easy to read
    got = fn(ids.copy(), 3, 4)
    assert isinstance(got, (tuple, list)) and len(got) == 2, "return a pair (x, y)"
    x, y = (np.asarray(a) for a in got)
    want_x, want_y = _stateful_layout_solution(ids, 3, 4)  # 61 ids: 3 streams of 20, 5 windows of 4 each
    assert x.shape == want_x.shape, (
        f"with 61 ids, batch_size=3 and length=4 there are 3 streams of 20 characters, 5 windows each: x should have "
        f"shape {want_x.shape} (5 batches of 3 rows), got {x.shape}"
    )
    assert y.shape == x.shape, f"y must have the shape of x, got {y.shape} and {x.shape}"
    consecutive = _wrong_stateful_consecutive(ids, 3, 4)
    if np.array_equal(x, consecutive[0]):
        raise AssertionError(
            "these are consecutive windows (make_windows' layout): row 0 of the second batch must continue row 0 of "
            "the first batch, so split the text into batch_size long streams first"
        )
    if np.array_equal(y, x):
        raise AssertionError("y equals x: the targets are the same text one character later")
    if np.array_equal(x, want_x.reshape(5, 3, 4)[:, ::-1].reshape(-1, 4)):
        raise AssertionError("the rows of each batch are in reverse order: row i must hold stream i")
    assert np.array_equal(x, want_x), f"x should start {want_x[:4].tolist()}, got {x[:4].tolist()}"
    assert np.array_equal(y, want_y), f"y should be x one character later: {want_y[:3].tolist()}, got {y[:3].tolist()}"
    b = 3
    assert np.array_equal(x[b : 2 * b, 0], x[:b, -1] + 1), "row i of batch b + 1 must continue row i of batch b"


stateful_layout = Exercise(
    "the stream layout of stateful=True",
    _check_stateful_layout,
    hint_text="Level 1: with stateful=True, row i of each batch starts where row i of the previous batch stopped, so "
    "the text is cut into batch_size long streams, one per row, and each stream into windows.\nLevel 2: keep "
    "batch_size * n_windows * length characters (and one more for the targets), reshape into (batch_size, "
    "n_windows, length), swap the first two axes so windows come first, and flatten to (n_windows * batch_size, "
    "length); do the same with the text shifted by one for y.",
    reference=_stateful_layout_solution,
)


# --- one typical wrong answer per exercise, run by the notebook's last cell ------------------------------------


def _wrong_bits_in_nats(log_probs):
    nll = -np.mean(log_probs)
    return nll, float(np.exp(nll))  # forgot to divide by ln 2


def _wrong_temperature_on_probs(probs, temperature, rng):
    scaled = probs / temperature  # the temperature divides probabilities: renormalising undoes it
    return int(rng.choice(len(probs), p=scaled / scaled.sum()))


def _wrong_bigram_unsmoothed(text, chars, prev, alpha):
    counts = np.zeros(len(chars))
    for a, b in zip(text, text[1:]):
        if a == prev:
            counts[chars.index(b)] += 1
    return counts / counts.sum()  # no pseudo-counts


def _wrong_top_p_before_crossing(probs, p):
    probs = np.asarray(probs, dtype=float)
    order = np.argsort(-probs, kind="stable")
    n_keep = max(1, int(np.searchsorted(np.cumsum(probs[order]), p)))  # stops before the token that crosses p
    out = np.zeros_like(probs)
    out[order[:n_keep]] = probs[order[:n_keep]]
    return out / out.sum()


KNOWN_WRONG = {
    "bits_and_perplexity": _wrong_bits_in_nats,
    "temperature_sample": _wrong_temperature_on_probs,
    "bigram_distribution": _wrong_bigram_unsmoothed,
    "top_p_filter": _wrong_top_p_before_crossing,
    "text_log_prob": _wrong_text_log_prob_stateless,
    "stateful_layout": _wrong_stateful_consecutive,
}
