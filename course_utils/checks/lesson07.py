"""Exercises of lesson 07 (BLEU): clipped counts, brevity penalty, corpus BLEU, closest reference length."""

from __future__ import annotations

import math
from collections import Counter
from typing import Callable

from course_utils import metrics
from course_utils.exercises import Exercise

__all__ = ["clipped_counts", "brevity_penalty", "corpus_bleu", "closest_ref_length"]

PAPINENI_HYP = "the the the the the the the".split()
PAPINENI_REFS = ["the cat is on the mat".split(), "there is a cat on the mat".split()]


def _clipped_counts_solution(hypothesis, references, n):
    grams = Counter(tuple(hypothesis[i:i + n]) for i in range(len(hypothesis) - n + 1))
    most = Counter()
    for ref in references:  # the most times each n-gram appears in any single reference
        most |= Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    matches = sum(min(count, most[g]) for g, count in grams.items())
    return matches, max(0, len(hypothesis) - n + 1)


def _check_clipped(fn: Callable) -> None:
    got = tuple(fn(PAPINENI_HYP, PAPINENI_REFS, 1))
    if got == (7, 7):
        raise AssertionError("no clipping: 'the' may count at most as often as in one reference (2), not 7 times")
    assert got == (2, 7), f"Papineni's example should give (2, 7), got {got}"
    hyp = "the cat the cat on the mat".split()
    for n in (1, 2, 3, 4):
        result = metrics.corpus_bleu([hyp], [PAPINENI_REFS], max_order=n)
        want = (result.counts[n - 1], result.totals[n - 1])
        assert tuple(fn(hyp, PAPINENI_REFS, n)) == want, f"for n={n} expected {want}, got {tuple(fn(hyp, PAPINENI_REFS, n))}"


clipped_counts = Exercise(
    "clipped n-gram counts",
    _check_clipped,
    hint_text="Count the hypothesis n-grams with a Counter of tuples. For each reference count its n-grams too and "
    "keep, per n-gram, the largest count over the references (Counter's | does that). Matches: sum over the "
    "hypothesis n-grams of min(count, largest reference count). Total: len(hypothesis) - n + 1.",
    reference=_clipped_counts_solution,
)


def _brevity_penalty_solution(c, r):
    if c == 0:
        return 0.0
    return 1.0 if c > r else math.exp(1 - r / c)


def _check_bp(fn: Callable[[int, int], float]) -> None:
    for c, r in [(10, 10), (12, 10), (5, 10), (9, 10), (1, 4), (0, 3)]:
        want, got = _brevity_penalty_solution(c, r), float(fn(c, r))
        if c < r and c > 0 and abs(got - (1 - c / r)) < 1e-12:
            raise AssertionError("1 - c/r is not the brevity penalty: it is exp(1 - r/c) when c <= r")
        if c < r and c > 0 and abs(got - math.exp(1 - c / r)) < 1e-12:
            raise AssertionError("the ratio is inverted: exp(1 - r/c), reference length over hypothesis length")
        assert abs(got - want) < 1e-12, f"BP(c={c}, r={r}) should be {want:.6f}, got {got:.6f}"


brevity_penalty = Exercise(
    "brevity penalty",
    _check_bp,
    hint_text="1 when the hypothesis is longer than the reference (c > r); exp(1 - r / c) otherwise; 0 for an empty hypothesis.",
    reference=_brevity_penalty_solution,
)


def _corpus_bleu_solution(hypotheses, references, max_order=4):
    matches, totals = [0] * max_order, [0] * max_order
    c = r = 0
    for hyp, refs in zip(hypotheses, references):
        c += len(hyp)
        r += min((len(ref) for ref in refs), key=lambda L: (abs(L - len(hyp)), L))  # closest, ties to shorter
        for n in range(1, max_order + 1):
            m, t = _clipped_counts_solution(hyp, refs, n)
            matches[n - 1] += m  # summed over the corpus, then divided: micro-average
            totals[n - 1] += t
    if min(matches) == 0:
        return 0.0
    log_mean = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_order  # geometric mean
    return _brevity_penalty_solution(c, r) * math.exp(log_mean)


def _check_corpus_bleu(fn: Callable) -> None:
    hyps = ["the cat sat on the mat".split(), "a dog is on the mat there".split(), "the cat is there".split()]
    refs = [["the cat sat on a mat".split()], ["there is a dog on the mat".split(), "a dog is on a mat".split()],
            ["the cat is over there".split()]]  # fmt: skip
    want = metrics.corpus_bleu(hyps, refs).score
    got = float(fn(hyps, refs))
    mean = sum(metrics.corpus_bleu([h], [r]).score for h, r in zip(hyps, refs)) / len(hyps)
    if abs(got - mean) < 1e-9:
        raise AssertionError("that is the mean of sentence scores: sum matches and totals over the corpus first")
    arithmetic = metrics.corpus_bleu(hyps, refs)
    if abs(got - arithmetic.bp * sum(arithmetic.precisions) / 4) < 1e-9:
        raise AssertionError("use the geometric mean of the precisions: exp(mean of their logs)")
    assert abs(got - want) < 1e-9, f"expected BLEU {want:.6f}, got {got:.6f}"


corpus_bleu = Exercise(
    "corpus BLEU",
    _check_corpus_bleu,
    hint_text="Add up clipped matches and totals per order over all sentences, and the hypothesis length c and closest "
    "reference length r. BLEU = BP(c, r) * exp(mean over n of log(matches_n / totals_n)).",
    reference=_corpus_bleu_solution,
)


def _closest_solution(hyp_len, ref_lens):
    return min(ref_lens, key=lambda L: (abs(L - hyp_len), L))


def _check_closest(fn: Callable) -> None:
    for hyp_len, ref_lens, want in [(5, [4, 6], 4), (5, [6, 4], 4), (5, [9, 5, 2], 5), (3, [10, 1], 1), (7, [8], 8)]:
        got = fn(hyp_len, ref_lens)
        assert got == want, f"hypothesis length {hyp_len}, references {ref_lens}: expected {want}, got {got}"


closest_ref_length = Exercise(
    "closest reference length",
    _check_closest,
    hint_text="Pick the reference length with the smallest |ref_len - hyp_len|; on a tie, the shorter one.",
    reference=_closest_solution,
)
