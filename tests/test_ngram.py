"""The interpolated Kneser-Ney model (course_utils.ngram): proper distributions, and agreement with a brute-force
implementation written straight from the definition on tiny corpora."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.ngram import KneserNeyLM


def _occurrences(text: tuple[int, ...], gram: tuple[int, ...]) -> list[int]:
    k = len(gram)
    return [i for i in range(len(text) - k + 1) if text[i : i + k] == gram]


def _brute_force_prob(text: tuple[int, ...], vocab: int, order: int, context: tuple[int, ...], token: int) -> float:
    """P(token | context) by rescanning the text for every count: slow, but a direct reading of the definition."""
    context = context[max(0, len(context) - order + 1) :] if order > 1 else ()
    top = len(context) + 1

    def count(gram: tuple[int, ...], raw: bool) -> int:
        starts = _occurrences(text, gram)
        if raw:
            return len(starts)
        return len({text[i - 1] for i in starts if i > 0})  # distinct tokens seen just before the gram

    def discount(k: int, raw: bool) -> float:
        grams = {text[i : i + k] for i in range(len(text) - k + 1)}
        values = [count(g, raw) for g in grams]
        values = [v for v in values if v > 0]
        n1, n2 = values.count(1), values.count(2)
        return 0.5 if n1 == 0 else min(max(n1 / (n1 + 2 * n2), 0.05), 0.95)

    p = 1.0 / vocab
    for k in range(1, top + 1):
        raw = k == top
        h = context[len(context) - k + 1 :]
        counts = [count(h + (w,), raw) for w in range(vocab)]
        total = sum(counts)
        if total == 0:
            continue
        d = discount(k, raw)
        seen = sum(c > 0 for c in counts)
        p = (max(counts[token] - d, 0) + d * seen * p) / total
    return p


@pytest.mark.parametrize("vocab,order,length,seed", [(3, 3, 30, 0), (4, 4, 60, 1), (2, 1, 10, 2), (4, 2, 25, 3)])
def test_agrees_with_brute_force_on_every_context(vocab, order, length, seed):
    rng = np.random.default_rng(seed)
    text = tuple(int(t) for t in rng.integers(0, vocab - 1, size=length))  # the last id never occurs in training
    lm = KneserNeyLM(np.array(text), vocab, order)
    for n in range(1, order + 1):
        for context_length in range(n):
            for context in itertools.product(range(vocab), repeat=context_length):
                got = lm.distribution(list(context), order=n)
                want = [_brute_force_prob(text, vocab, n, context, w) for w in range(vocab)]
                assert np.allclose(got, want, atol=1e-12), (n, context)


def test_every_context_sums_to_one_on_a_character_corpus():
    text = "def f(x):\n    return x + 1\n\ndef g(y):\n    return f(y) * 2\n"
    chars = sorted(set(text))
    vocab = len(chars) + 1  # one id that training never saw
    ids = np.array([chars.index(c) for c in text])
    lm = KneserNeyLM(ids, vocab, order=4)
    contexts = [ids[max(0, i - 3) : i] for i in range(len(ids))] + [np.array([vocab - 1] * 3), np.array([], int)]
    for context in contexts:
        p = lm.distribution(context)
        assert p.shape == (vocab,) and (p > 0).all()
        assert math.isclose(p.sum(), 1.0, abs_tol=1e-12)


def test_log2_probs_match_distribution_and_windows():
    ids = np.array([0, 1, 2, 0, 1, 2, 0, 2, 1, 0, 1, 2])
    lm = KneserNeyLM(ids, 3, order=3)
    scored = lm.log2_probs(ids)
    for t in range(1, len(ids)):
        assert math.isclose(scored[t - 1], math.log2(lm.distribution(ids[max(0, t - 2) : t])[ids[t]]))
    windows = np.stack([ids[:6], ids[6:]])
    assert np.allclose(lm.log2_probs(windows), np.stack([lm.log2_probs(ids[:6]), lm.log2_probs(ids[6:])]))


def test_a_longer_order_fits_repetitive_text_better_and_lower_orders_are_served():
    ids = np.tile(np.array([0, 1, 0, 2]), 50)
    lm = KneserNeyLM(ids, 3, order=3)
    bits = [-lm.log2_probs(ids, order=k).mean() for k in (1, 2, 3)]
    assert bits[0] > bits[1] > bits[2]  # after "1 0" comes 2, after "2 0" comes 1: only order 3 knows
    assert math.isclose(-KneserNeyLM(ids, 3, order=1).log2_probs(ids).mean(), bits[0])


def test_discounts_follow_the_counts_of_counts():
    lm = KneserNeyLM(np.array([0, 1, 0, 1, 2]), 3, order=2)
    # bigrams: 01 twice, 10 once, 12 once -> n1 = 2, n2 = 1 -> D = 2 / (2 + 2)
    assert math.isclose(lm.discount(2), 0.5)
    with pytest.raises(ValueError, match="no level"):
        lm.discount(2, raw=False)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=5, max_size=60), st.integers(1, 4), st.lists(st.integers(0, 5), max_size=5))
def test_property_distributions_sum_to_one(ids, order, context):
    lm = KneserNeyLM(np.array(ids), 6, order=min(order, len(ids)))
    p = lm.distribution(np.array(context, dtype=int))
    assert math.isclose(p.sum(), 1.0, abs_tol=1e-9) and (p > 0).all()


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match="outside 0..2"):
        KneserNeyLM(np.array([0, 1, 3]), 3, order=2)
    with pytest.raises(ValueError, match="order must be a positive int"):
        KneserNeyLM(np.array([0, 1]), 3, order=0)
    with pytest.raises(ValueError, match="at most 62 fit"):
        KneserNeyLM(np.array([0, 1] * 10), 200, order=9)
    with pytest.raises(ValueError, match="shorter than the order"):
        KneserNeyLM(np.array([0, 1]), 3, order=3)
    with pytest.raises(TypeError, match="integer token ids"):
        KneserNeyLM(np.array([0.0, 1.0]), 3, order=1)
    lm = KneserNeyLM(np.array([0, 1, 2]), 3, order=2)
    with pytest.raises(ValueError, match="between 1 and the built order 2"):
        lm.log2_probs(np.array([0, 1]), order=3)
    with pytest.raises(ValueError, match="at least 2 ids"):
        lm.log2_probs(np.array([0]))
    with pytest.raises(ValueError, match="dimension"):
        lm.distribution(np.zeros((2, 2), int))
