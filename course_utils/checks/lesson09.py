"""Exercises of lesson 09 (BLEU).

The lesson's sections check their own code with ``clipped_counts``, ``brevity_penalty`` and ``corpus_bleu``. The
exercises at the end: a hypothesis that fools the low orders (``zero_bleu``), sacrebleu's ``exp`` smoothing
(``exp_smoothing``), and corpus BLEU statistics from scratch on a multi-reference corpus in sacrebleu's stream layout
(``stream_bleu``), checked against sacrebleu, and a paired bootstrap interval for the difference in BLEU between two
systems (``paired_bootstrap``). ``KNOWN_WRONG`` maps each exercise (its attribute name) to one typical wrong answer,
which the lesson's last cell runs through its checker.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from typing import Callable, Sequence

import numpy as np

from course_utils import metrics
from course_utils.exercises import Exercise

__all__ = ["clipped_counts", "brevity_penalty", "corpus_bleu", "zero_bleu", "exp_smoothing", "paired_bootstrap",
           "stream_bleu"]

PAPINENI_HYP = "the the the the the the the".split()
PAPINENI_REFS = ["the cat is on the mat".split(), "there is a cat on the mat".split()]


def _ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


# --- section 2: clipped counts ----------------------------------------------------------------------------


def _clipped_counts_solution(hypothesis, references, n):
    grams = Counter(tuple(hypothesis[i:i + n]) for i in range(len(hypothesis) - n + 1))
    most = Counter()
    for ref in references:  # the most times each n-gram appears in any single reference
        most |= Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    matches = sum(min(count, most[g]) for g, count in grams.items())
    return matches, max(0, len(hypothesis) - n + 1)


def _check_clipped(fn: Callable) -> None:
    got = tuple(fn(list(PAPINENI_HYP), [list(r) for r in PAPINENI_REFS], 1))
    if got == (7, 7):
        raise AssertionError("no clipping: 'the' may count at most as often as in one reference (2), not 7 times")
    if got == (3, 7):
        raise AssertionError("you clipped by the SUM over the references (2 + 1): clip by the largest count in any "
                             "single reference")  # fmt: skip
    if got == (1, 7):
        raise AssertionError("you clipped by the smallest count over the references: use the largest")
    if got[0] == 2 and got[1] == 1:
        raise AssertionError("the total counts every n-gram of the hypothesis, repeats included (7), not the distinct "
                             "ones (1)")  # fmt: skip
    if got == (2, 6):
        raise AssertionError("a hypothesis of 7 tokens has 7 - n + 1 = 7 unigrams: the total is off by one")
    assert got == (2, 7), f"Papineni's example should give (2, 7), got {got}"
    hyp = "there is a cat on the mat the".split()  # "there" and "a" occur only in the second reference
    for n in (1, 2, 3, 4):
        result = metrics.corpus_bleu([hyp], [PAPINENI_REFS], max_order=n)
        want = (result.counts[n - 1], result.totals[n - 1])
        got = tuple(fn(list(hyp), [list(r) for r in PAPINENI_REFS], n))
        if n == 1 and got == (_clipped_counts_solution(hyp, PAPINENI_REFS[:1], 1)[0], want[1]):
            raise AssertionError("only the first reference was used: an n-gram matches if it occurs in ANY reference")
        if got == (want[0], want[1] - 1):
            raise AssertionError(f"a hypothesis of {len(hyp)} tokens has {len(hyp)} - n + 1 n-grams of order n: "
                                 f"the total {got[1]} for n={n} is off by one")  # fmt: skip
        assert got == want, f"for n={n} expected {want}, got {got}"
    assert tuple(fn(["mat"], [list(r) for r in PAPINENI_REFS], 3)) == (0, 0), (
        "a one-token hypothesis has no trigram: (0, 0), not a negative total"
    )


clipped_counts = Exercise(
    "clipped n-gram counts",
    _check_clipped,
    hint_text="Level 1: a hypothesis n-gram can be credited at most as many times as it occurs in ONE reference; the "
    "total is how many n-grams the hypothesis has.\nLevel 2: count the hypothesis n-grams; for each n-gram find its "
    "largest count over the references; the matches are the sum of the smaller of the two counts; the total is the "
    "number of positions an n-gram can start at (never negative).",
    reference=_clipped_counts_solution,
)


# --- section 3: brevity penalty ------------------------------------------------------------------------------


def _brevity_penalty_solution(c, r):
    if c == 0:
        return 0.0
    return 1.0 if c > r else math.exp(1 - r / c)


def _check_bp(fn: Callable[[int, int], float]) -> None:
    for c, r in [(10, 10), (12, 10), (5, 10), (9, 10), (1, 4), (0, 3)]:
        try:
            got = float(fn(c, r))
        except ZeroDivisionError:
            raise AssertionError(f"BP(c={c}, r={r}) divided by zero: an empty hypothesis gets BP 0") from None
        want = _brevity_penalty_solution(c, r)
        if 0 < c < r and abs(got - (1 - c / r)) < 1e-12:
            raise AssertionError("1 - c/r is not the brevity penalty: it is exp(1 - r/c) when c <= r")
        if 0 < c < r and abs(got - math.exp(1 - c / r)) < 1e-12:
            raise AssertionError("the ratio is inverted: exp(1 - r/c), reference length over hypothesis length")
        if c > r and abs(got - math.exp(1 - r / c)) < 1e-12:
            raise AssertionError(f"BP(c={c}, r={r}) = {got:.4f} rewards a long hypothesis: BP is 1 when c > r")
        assert abs(got - want) < 1e-12, f"BP(c={c}, r={r}) should be {want:.6f}, got {got:.6f}"


brevity_penalty = Exercise(
    "brevity penalty",
    _check_bp,
    hint_text="Level 1: only hypotheses that are too short are penalised, and the shorter, the harder.\nLevel 2: "
    "1 when c > r; otherwise the exponential of 1 minus the reference length over the hypothesis length; an empty "
    "hypothesis gets 0.",
    reference=_brevity_penalty_solution,
)


# --- section 4: corpus BLEU ------------------------------------------------------------------------------------


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


# the closest reference lengths (8, 4 on a tie with 6, 5, 5) add up to r = 22; the first (25), the shortest (19),
# the longest (28) and ties-to-the-longer (24) give other sums, all above c = 18, so BP < 1 in every case
_BLEU_HYPS = ["the cat sat on the red mat".split(), "a dog sleeps on sofa".split(), "the cat is there".split(),
              "good morning".split()]  # fmt: skip
_BLEU_REFS = [
    ["a cat was sitting on the old red mat".split(), "the cat sat on mat".split(), "the cat sat down on the red mat".split()],
    ["a dog sleeps on the sofa".split(), "a dog sleeps there".split(), "there is a dog sleeping on the big sofa".split()],
    ["the cat is over there".split()],
    ["good morning to you all".split()],
]  # fmt: skip


def _bleu_with_ref_len(ref_len: Callable[[int, list[int]], int]) -> float:
    result = metrics.corpus_bleu(_BLEU_HYPS, _BLEU_REFS)
    r = sum(ref_len(len(h), [len(x) for x in refs]) for h, refs in zip(_BLEU_HYPS, _BLEU_REFS))
    return _brevity_penalty_solution(result.hyp_len, r) * result.score / result.bp


def _check_corpus_bleu(fn: Callable) -> None:
    want = metrics.corpus_bleu(_BLEU_HYPS, _BLEU_REFS)
    got = float(fn([list(h) for h in _BLEU_HYPS], [[list(r) for r in refs] for refs in _BLEU_REFS]))
    mean = sum(metrics.corpus_bleu([h], [r]).score for h, r in zip(_BLEU_HYPS, _BLEU_REFS)) / len(_BLEU_HYPS)
    if abs(got - mean) < 1e-9:
        raise AssertionError("that is the mean of sentence scores: sum matches and totals over the corpus first")
    if abs(got - want.bp * sum(want.precisions) / 4) < 1e-9:
        raise AssertionError("use the geometric mean of the precisions: exp(mean of their logs)")
    if abs(got - want.score / want.bp) < 1e-9:
        raise AssertionError("the brevity penalty is missing: these hypotheses are shorter than their references")
    for what, rule in [("the shortest", lambda c, lens: min(lens)), ("the longest", lambda c, lens: max(lens)),
                       ("the first", lambda c, lens: lens[0]),
                       ("on a tie the LONGER", lambda c, lens: min(lens, key=lambda L: (abs(L - c), -L)))]:  # fmt: skip
        if abs(got - _bleu_with_ref_len(rule)) < 1e-9:
            raise AssertionError(f"r uses {what} reference length: it is the length of the reference closest to the "
                                 "hypothesis, the shorter one on a tie")  # fmt: skip
    assert abs(got - want.score) < 1e-9, f"expected BLEU {want.score:.6f}, got {got:.6f}"


corpus_bleu = Exercise(
    "corpus BLEU",
    _check_corpus_bleu,
    hint_text="Level 1: corpus BLEU pools statistics over the sentences before combining them: clipped matches and "
    "totals per order, hypothesis length c, reference length r.\nLevel 2: per sentence, add its clipped counts to the "
    "corpus sums and add to r the reference length closest to the hypothesis (the shorter on a tie); at the end, "
    "multiply the brevity penalty by the exponential of the mean log-precision.",
    reference=_corpus_bleu_solution,
)


# --- exercise 1: every word and every pair match, yet BLEU is 0 ------------------------------------------------------


def _zero_bleu_solution():
    # every word and every adjacent pair occurs in a reference, but the two 4-grams occur in none
    return "there is on the cat".split()


def _check_zero_bleu(hypothesis) -> None:
    if callable(hypothesis):
        hypothesis = hypothesis()
    if isinstance(hypothesis, str):
        raise AssertionError("give a list of tokens, e.g. 'a b c'.split(), not a string")
    hyp = list(hypothesis)
    assert all(isinstance(t, str) for t in hyp), "every token must be a string"
    if len(hyp) < 4:
        raise AssertionError(f"{len(hyp)} tokens have no 4-gram at all, so BLEU is 0 for a trivial reason: use at "
                             "least 4 tokens")  # fmt: skip
    if any(hyp == ref for ref in PAPINENI_REFS):
        raise AssertionError("that is one of the references: its BLEU is 1")
    known = set(PAPINENI_REFS[0]) | set(PAPINENI_REFS[1])
    unknown = [t for t in hyp if t not in known]
    if unknown:
        raise AssertionError(f"{unknown[0]!r} occurs in no reference, so the unigram precision is below 1")
    most = _ngrams(PAPINENI_REFS[0], 1) | _ngrams(PAPINENI_REFS[1], 1)
    for (word,), count in _ngrams(hyp, 1).items():
        if count > most[(word,)]:
            raise AssertionError(f"{word!r} appears {count} times but at most {most[(word,)]} times in a single "
                                 f"reference: clipping credits only {most[(word,)]} of them, so p1 < 1")  # fmt: skip
    pairs = _ngrams(PAPINENI_REFS[0], 2) | _ngrams(PAPINENI_REFS[1], 2)
    bad = [g for g in _ngrams(hyp, 2) if g not in pairs]
    if bad:
        raise AssertionError(f"the pair {' '.join(bad[0])!r} occurs in no reference, so the bigram precision is "
                             "below 1")  # fmt: skip
    result = metrics.corpus_bleu([hyp], [PAPINENI_REFS])
    if result.score > 0:
        four = [g for g in _ngrams(hyp, 4) if any(g in _ngrams(r, 4) for r in PAPINENI_REFS)]
        raise AssertionError(f"unsmoothed corpus BLEU is {result.score:.3f}: every order from 1 to 4 has a match "
                             f"(the 4-gram {' '.join(four[0])!r} occurs in a reference). Break every 3- or "
                             "4-gram")  # fmt: skip


zero_bleu = Exercise(
    "every word and pair match, yet BLEU is 0",
    _check_zero_bleu,
    hint_text="Level 1: BLEU is a geometric mean over the orders 1 to 4: a single order without any match makes it 0, "
    "however good the other orders are.\nLevel 2: chain pairs that occur in the references (each word no more often "
    "than in one reference) so that the chain leaves one reference for the other between two pairs: then its "
    "3-grams or 4-grams occur nowhere. Short chains are easier: you need at least 4 tokens.",
    reference=_zero_bleu_solution,
)


# --- exercise 2: sacrebleu's exp smoothing -------------------------------------------------------------------------


def _exp_smoothing_solution(matches, totals):
    # matches[n-1], totals[n-1]: corpus counts of order n (every total > 0) -> smoothed precisions, in [0, 1]
    precisions, factor = [], 1.0
    for m, t in zip(matches, totals):
        if m == 0:
            factor *= 2  # the k-th order without a match gets 1 / (2**k * total)
            precisions.append(1.0 / (factor * t))
        else:
            precisions.append(m / t)
    return precisions


_SMOOTH_CASES = [([3, 1, 0, 0], [5, 4, 3, 2]), ([5, 0, 0, 0], [6, 5, 4, 3]), ([7, 3, 1, 0], [9, 8, 7, 6]),
                 ([4, 2, 1, 1], [6, 5, 4, 3]), ([2, 0, 1, 0], [9, 8, 7, 6])]  # fmt: skip


def _sacrebleu_precisions(matches: list[int], totals: list[int]) -> list[float]:
    from sacrebleu.metrics import BLEU

    result = BLEU.compute_bleu(list(matches), list(totals), sys_len=totals[0], ref_len=totals[0], smooth_method="exp")
    return [p / 100 for p in result.precisions]


def _check_exp_smoothing(fn: Callable) -> None:
    for matches, totals in _SMOOTH_CASES:
        got = [float(p) for p in fn(list(matches), list(totals))]
        want = _sacrebleu_precisions(matches, totals)
        assert len(got) == len(want), f"return one precision per order ({len(want)}), got {len(got)}"
        if max(got) > 1.0 + 1e-12:
            raise AssertionError(f"got precisions {[round(p, 4) for p in got]}: return them between 0 and 1, not "
                                 "in percent")  # fmt: skip
        zeros = [i for i, m in enumerate(matches) if m == 0]
        if not zeros:
            assert all(math.isclose(g, w) for g, w in zip(got, want)), (
                f"orders with matches keep matches / totals: expected {want}, got {got}"
            )
            continue
        if any(got[i] == 0 for i in zeros):
            raise AssertionError("an order without matches must not stay at 0 (that makes BLEU 0): smoothing gives "
                                 "it a small positive precision")  # fmt: skip

        def variant(value: Callable[[int, int, int], float]) -> list[float]:
            out, k = [], 0
            for n, (m, t) in enumerate(zip(matches, totals), start=1):
                k += m == 0
                out.append(m / t if m else value(k, n, t))
            return out

        if all(math.isclose(g, w) for g, w in zip(got, variant(lambda k, n, t: 1 / (2 * t)))) and len(zeros) > 1:
            raise AssertionError("every order without a match got 1 / (2 * total): the factor doubles with each "
                                 "further order without a match, 1 / (2**k * total) for the k-th")  # fmt: skip
        if all(math.isclose(g, w) for g, w in zip(got, variant(lambda k, n, t: 1 / (2 ** (k - 1) * t)))):
            raise AssertionError("the first order without a match gets 1 / (2 * total), not 1 / total: double the "
                                 "factor before using it")  # fmt: skip
        if all(math.isclose(g, w) for g, w in zip(got, variant(lambda k, n, t: 1 / 2**k))):
            raise AssertionError("divide by the order's total too: 1 / (2**k * total), not 1 / 2**k")
        if all(math.isclose(g, w) for g, w in zip(got, variant(lambda k, n, t: 1 / (2**n * t)))):
            raise AssertionError("k counts the orders WITHOUT a match seen so far, not the order n itself")
        assert all(math.isclose(g, w) for g, w in zip(got, want)), (
            f"for matches {matches} and totals {totals} sacrebleu's exp smoothing gives "
            f"{[round(w, 6) for w in want]}, got {[round(g, 6) for g in got]}"
        )


exp_smoothing = Exercise(
    "sacrebleu's exp smoothing",
    _check_exp_smoothing,
    hint_text="Level 1: only the orders with zero matches change; the others keep matches / total. The replacement "
    "shrinks for each further order without a match.\nLevel 2: walk through the orders keeping a factor that starts "
    "at 1; at an order without a match, double the factor first, then use 1 / (factor * total) as its precision.",
    reference=_exp_smoothing_solution,
)


# --- exercise 3: corpus BLEU statistics from sacrebleu's reference streams -----------------------------------------


def _stream_bleu_solution(hypotheses, reference_streams):
    # hypotheses: one string per sentence; reference_streams[k][i]: k-th reference of sentence i, or None
    matches, totals, hyp_len, ref_len = [0] * 4, [0] * 4, 0, 0
    for i, hyp_text in enumerate(hypotheses):
        hyp = hyp_text.split()
        refs = [stream[i].split() for stream in reference_streams if stream[i] is not None]
        hyp_len += len(hyp)
        ref_len += min((len(r) for r in refs), key=lambda L: (abs(L - len(hyp)), L))  # closest, ties to shorter
        for n in range(1, 5):
            grams = Counter(tuple(hyp[j:j + n]) for j in range(len(hyp) - n + 1))
            most = Counter()
            for r in refs:
                most |= Counter(tuple(r[j:j + n]) for j in range(len(r) - n + 1))
            matches[n - 1] += sum(min(c, most[g]) for g, c in grams.items())
            totals[n - 1] += max(0, len(hyp) - n + 1)
    if min(matches) == 0:
        score = 0.0
    else:
        bp = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / hyp_len)
        score = 100 * bp * math.exp(sum(math.log(m / t) for m, t in zip(matches, totals)) / 4)
    return score, matches, totals, hyp_len, ref_len


# six sentences, three reference streams, None where a sentence has fewer references. The closest reference lengths
# add up to 31; the first (36), the shortest (26), the longest (39) and ties-to-the-longer (33) give other sums, and
# the 29 hypothesis tokens make BP < 1. "the" occurs 4 times in the first hypothesis, 0, 1 and 2 times in its
# references: clipped to 2, not to their sum (3)
_STREAM_HYPS = [
    "the the cat sat on the the red mat", "a dog sleeps on sofa", "good morning everyone", "it is raining in the city",
    "we like green tea", "thank you",
]  # fmt: skip
_STREAMS = [
    ["a cat was sitting on an old red mat", "a dog sleeps on the sofa", "good morning to you all",
     "it is raining in the city", "we like green tea a lot", "thank you very much"],
    ["the cat sat on mat", "a dog sleeps there", None, "rain falls on the city", None, "thanks a lot"],
    ["the cat sat down on the red mat", "there is a dog sleeping on the big sofa", None, None, "we love green tea", None],
]  # fmt: skip


def _sacrebleu_stats(hypotheses: list[str], streams: list[list[str | None]]) -> tuple:
    import sacrebleu

    r = sacrebleu.corpus_bleu(hypotheses, streams, tokenize="none", smooth_method="none")
    return r.score, list(r.counts), list(r.totals), r.sys_len, r.ref_len


def _random_corpus(seed: int) -> tuple[list[str], list[list[str | None]]]:
    import random

    rnd = random.Random(seed)
    words = "a b c d e".split()
    sentence = lambda: " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 9)))  # noqa: E731
    n_sent, n_streams = rnd.randint(2, 6), rnd.randint(1, 3)
    hyps = [sentence() for _ in range(n_sent)]
    streams = [[sentence() if k == 0 or rnd.random() < 0.6 else None for _ in range(n_sent)] for k in range(n_streams)]
    return hyps, streams


def _check_stream_bleu(fn: Callable) -> None:
    hyps, streams = list(_STREAM_HYPS), [list(s) for s in _STREAMS]
    try:
        out = fn(list(hyps), [list(s) for s in streams])
    except AttributeError as err:
        if "NoneType" in str(err):
            raise AssertionError(f"{err}: None in a stream means that sentence has no such reference; skip it") from None
        raise
    assert isinstance(out, tuple) and len(out) == 5, "return a tuple (score, counts, totals, hyp_len, ref_len)"
    score, counts, totals, hyp_len, ref_len = float(out[0]), list(out[1]), list(out[2]), int(out[3]), int(out[4])
    want = _sacrebleu_stats(hyps, streams)
    # a common misreading: zip(hypotheses, reference_streams), taking stream i as the references of sentence i
    misread_refs = [[r for r in streams[i] if r is not None] for i in range(min(len(hyps), len(streams)))]
    width = max(len(refs) for refs in misread_refs)
    misread = _stream_bleu_solution(hyps[: len(misread_refs)], [[refs[k] if k < len(refs) else None for refs in
                                                                   misread_refs] for k in range(width)])  # fmt: skip
    if (counts, totals) == (misread[1], misread[2]) and counts != want[1]:
        raise AssertionError("reference_streams[k] is a STREAM: the k-th reference of every sentence, not the "
                             "references of sentence k. Sentence i's references are stream[i] for each stream")  # fmt: skip
    assert len(counts) == 4 and len(totals) == 4, "counts and totals hold one number per order, 1 to 4"
    if hyp_len != want[3]:
        raise AssertionError(f"hyp_len is the number of hypothesis tokens in the corpus, {want[3]}, got {hyp_len}")
    tokens = [h.split() for h in hyps]
    if totals != want[2]:
        distinct = [sum(len(_ngrams(h, n)) for h in tokens) for n in range(1, 5)]
        if totals == distinct:
            raise AssertionError("totals count every hypothesis n-gram, repeats included, not the distinct ones")
        if totals == [sum(len(h) - n + 1 for h in tokens) for n in range(1, 5)]:
            raise AssertionError("a hypothesis shorter than n has no n-gram: its total is 0, not negative")
        raise AssertionError(f"totals should be {want[2]}, got {totals}")
    if counts != want[1]:
        refs_of = [[s[i].split() for s in streams if s[i] is not None] for i in range(len(hyps))]
        unclipped = [sum(sum(c for g, c in _ngrams(h, n).items() if any(g in _ngrams(r, n) for r in refs))
                         for h, refs in zip(tokens, refs_of)) for n in range(1, 5)]  # fmt: skip
        summed = [sum(sum(min(c, sum(_ngrams(r, n)[g] for r in refs)) for g, c in _ngrams(h, n).items())
                      for h, refs in zip(tokens, refs_of)) for n in range(1, 5)]  # fmt: skip
        if counts == unclipped:
            raise AssertionError("no clipping: 'the' appears 4 times in the first hypothesis but at most twice in "
                                 "one reference")  # fmt: skip
        if counts == summed:
            raise AssertionError("you clipped by the SUM of the counts over the references: clip by the largest "
                                 "count in a single reference")  # fmt: skip
        raise AssertionError(f"clipped matches should be {want[1]}, got {counts}")
    if ref_len != want[4]:
        lens = [[len(s[i].split()) for s in streams if s[i] is not None] for i in range(len(hyps))]
        c = [len(h) for h in tokens]
        for what, rule in [("the shortest", lambda n, ls: min(ls)), ("the longest", lambda n, ls: max(ls)),
                           ("the first", lambda n, ls: ls[0]),
                           ("on a tie the LONGER", lambda n, ls: min(ls, key=lambda L: (abs(L - n), -L)))]:  # fmt: skip
            if ref_len == sum(rule(n, ls) for n, ls in zip(c, lens)):
                raise AssertionError(f"ref_len adds up {what} reference length: use the one closest to each "
                                     "hypothesis, the shorter on a tie")  # fmt: skip
        raise AssertionError(f"ref_len should be {want[4]}, got {ref_len}")
    if math.isclose(score, want[0] / 100, rel_tol=1e-9):
        raise AssertionError("sacrebleu reports BLEU between 0 and 100: multiply by 100")
    precisions = [m / t for m, t in zip(counts, totals)]
    bp = math.exp(1 - ref_len / hyp_len) if hyp_len <= ref_len else 1.0
    if any(math.isclose(score, s * bp * sum(precisions) / 4, rel_tol=1e-9) for s in (1, 100)):
        raise AssertionError("use the geometric mean of the precisions, exp(mean of their logs), not their mean")
    if any(math.isclose(score, s * want[0] / 100 / bp, rel_tol=1e-9) for s in (1, 100)):
        raise AssertionError("the brevity penalty is missing: the hypotheses are shorter than the references")
    assert math.isclose(score, want[0], rel_tol=1e-9), f"BLEU should be {want[0]:.4f}, got {score:.4f}"
    for seed in range(20):
        hyps, streams = _random_corpus(seed)
        got = fn(list(hyps), [list(s) for s in streams])
        want = _sacrebleu_stats(hyps, streams)
        got_stats = (float(got[0]), list(got[1]), list(got[2]), int(got[3]), int(got[4]))
        assert math.isclose(got_stats[0], want[0], rel_tol=1e-9, abs_tol=1e-9) and got_stats[1:] == want[1:], (
            f"on the corpus {hyps} with streams {streams} sacrebleu gives {want}, you gave {got_stats}"
        )


stream_bleu = Exercise(
    "corpus BLEU from reference streams",
    _check_stream_bleu,
    hint_text="Level 1: first rebuild, for each sentence, the list of its references from the streams; then it is "
    "corpus BLEU as in section 4, except that you return the pooled statistics too and the score in percent.\nLevel "
    "2: sentence i's references are the i-th entries of the streams that are not None, split on spaces. Keep five "
    "running sums (clipped matches and totals per order, hypothesis length, closest reference length); BLEU is 0 if "
    "an order has no match, else 100 * BP * exp(mean log-precision).",
    reference=_stream_bleu_solution,
)


# --- exercise 3: a paired bootstrap interval for the difference in BLEU ----------------------------------------------


def _paired_bootstrap_solution(stats_a, stats_b, n_resamples, seed):
    # stats_*: (n, 10) per-sentence statistics: matches 1-4, totals 1-4, hypothesis length, closest reference length
    def bleu(sums):  # (R, 10) pooled statistics -> (R,) unsmoothed corpus BLEU
        matches, totals, c, r = sums[:, :4], sums[:, 4:8], sums[:, 8], sums[:, 9]
        ok = (matches > 0).all(axis=1)
        log_p = np.log(np.where(ok[:, None], matches, 1) / np.maximum(totals, 1)).mean(axis=1)
        bp = np.where(c > r, 1.0, np.exp(1 - r / np.maximum(c, 1)))
        return np.where(ok, bp * np.exp(log_p), 0.0)

    # Why paired: a sentence that is hard for one system is usually hard for the other. Scoring both on the SAME
    # draw cancels that shared difficulty, so the interval measures their difference; drawing separately for each
    # adds the spread of each system's own score, and the interval comes out much wider.
    rng = np.random.default_rng(seed)
    n = len(stats_a)
    idx = rng.integers(0, n, size=(n_resamples, n))  # n sentences WITH replacement, the same for both systems
    deltas = bleu(stats_b[idx].sum(axis=1)) - bleu(stats_a[idx].sum(axis=1))
    low, high = np.quantile(deltas, [0.025, 0.975])  # the middle 95 % of the resampled differences
    return float(low), float(high)


def _bootstrap_systems(seed: int, n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """Two systems on the same n sentences: b repairs some of a's errors and makes a few of its own."""
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(40)]
    refs, a, b = [], [], []
    for i in range(n):
        ref = list(rng.choice(words, size=int(rng.integers(5, 13))))
        out = list(ref)
        for j in rng.choice(len(out), size=int(rng.integers(0, 4)), replace=False):
            out[j] = "x"
        worse = list(out)
        worse[int(rng.integers(len(worse)))] = "y"
        refs.append([ref])
        a.append(out)
        b.append(ref if i % 10 == 0 else worse if i % 31 == 0 else out)
    return metrics.bleu_statistics(a, refs), metrics.bleu_statistics(b, refs)


@functools.lru_cache(maxsize=None)
def _bootstrap_reference(seed: int, confidence: float, paired: bool = True) -> tuple[float, float]:
    stats_a, stats_b = _bootstrap_systems(seed)
    if paired:
        r = metrics.paired_bootstrap(stats_a, stats_b, n_resamples=20_000, confidence=confidence, seed=123)
        return r.low, r.high
    rng, n, deltas = np.random.default_rng(123), len(stats_a), []
    for _ in range(10):
        ia, ib = rng.integers(0, n, size=(2, 2000, n))
        deltas.append(metrics.bleu_from_statistics(stats_b[ib].sum(1)) - metrics.bleu_from_statistics(stats_a[ia].sum(1)))
    tail = (1 - confidence) / 2
    low, high = np.quantile(np.concatenate(deltas), [tail, 1 - tail])
    return float(low), float(high)


def _interval(fn: Callable, stats_a: np.ndarray, stats_b: np.ndarray, n_resamples: int, seed: int) -> tuple:
    out = fn(stats_a.copy(), stats_b.copy(), n_resamples, seed)
    if not isinstance(out, (tuple, list, np.ndarray)) or len(out) != 2:
        raise AssertionError(f"return the interval as a pair (low, high), got {out!r}")
    low, high = float(out[0]), float(out[1])
    if not (math.isfinite(low) and math.isfinite(high)):
        raise AssertionError(f"the interval ({low}, {high}) is not finite")
    if low > high:
        raise AssertionError(f"low ({low:.4f}) is above high ({high:.4f}): return (low, high)")
    return low, high


def _check_paired_bootstrap(fn: Callable) -> None:
    stats_a, stats_b = _bootstrap_systems(0)
    same_low, same_high = _interval(fn, stats_a, stats_a, 500, 0)
    if abs(same_low) > 1e-12 or abs(same_high) > 1e-12:
        raise AssertionError(f"two identical systems gave the interval ({same_low:.4f}, {same_high:.4f}), not (0, 0): "
                             "resample the SAME sentences for both systems (paired), so that their difference is "
                             "measured on one draw of the test set")  # fmt: skip
    low, high = _interval(fn, stats_a, stats_b, 4000, 0)
    if _interval(fn, stats_a, stats_b, 4000, 0) != (low, high):
        raise AssertionError("two calls with the same seed gave different intervals: draw from "
                             "np.random.default_rng(seed)")  # fmt: skip
    ref_low, ref_high = _bootstrap_reference(0, 0.95)
    delta = float(metrics.bleu_from_statistics(stats_b.sum(0)) - metrics.bleu_from_statistics(stats_a.sum(0)))
    width, tol = ref_high - ref_low, 0.055 * (ref_high - ref_low)  # the reference itself varies by about 0.015 width

    def near(lo: float, hi: float, tolerance: float = tol) -> bool:
        return abs(low - lo) <= tolerance and abs(high - hi) <= tolerance

    if high - low < 1e-12:
        raise AssertionError("every resample gave the same difference: draw n sentence indices WITH replacement "
                             "(a permutation of the test set is the test set again)")  # fmt: skip
    if near(ref_low, ref_high):
        return
    if near(-ref_high, -ref_low):
        raise AssertionError("the sign is flipped: the interval is for BLEU(b) - BLEU(a)")
    if near(100 * ref_low, 100 * ref_high, 100 * tol):
        raise AssertionError("return the difference on BLEU's 0-1 scale, as the statistics give it, not in percent")
    if near(*_bootstrap_reference(0, 0.90)):
        raise AssertionError("that is a 90 % interval: a 95 % interval leaves 2.5 % of the resampled differences on "
                             "each side, the 2.5th and 97.5th percentiles")  # fmt: skip
    if near(*_bootstrap_reference(0, 0.95, paired=False), tolerance=2 * tol):
        raise AssertionError("the interval is too wide: the two systems were resampled with different sentence "
                             "indices; draw one set of indices per resample and use it for both")  # fmt: skip
    raise AssertionError(f"on the checker's two systems (corpus BLEU difference {delta:+.4f}) the 95 % interval is "
                         f"about ({ref_low:+.4f}, {ref_high:+.4f}); yours is ({low:+.4f}, {high:+.4f}). Per resample, "
                         "add up the statistics of the drawn sentences and compute corpus BLEU from the sums, for "
                         "each system")  # fmt: skip


paired_bootstrap = Exercise(
    "paired bootstrap interval for a BLEU difference",
    _check_paired_bootstrap,
    hint_text="Level 1: the test set is one sample of the sentences the systems could be tested on. Draw many "
    "test sets of the same size from it, with replacement, and score both systems on each draw.\nLevel 2: draw an "
    "(n_resamples, n) array of sentence indices from a generator seeded with seed; for each row, add up the rows of "
    "stats_a (and, with the same indices, of stats_b), compute corpus BLEU from the sums (section 4's formula, 0 if "
    "an order has no match), subtract, and take the 2.5th and 97.5th percentiles of the differences.",
    reference=_paired_bootstrap_solution,
)


# --- the last cell of the lesson: one known-wrong answer per exercise --------------------------------------------------


def _wrong_clipped(hypothesis, references, n):  # clips by the sum over the references
    grams = _ngrams(hypothesis, n)
    matches = sum(min(c, sum(_ngrams(r, n)[g] for r in references)) for g, c in grams.items())
    return matches, max(0, len(hypothesis) - n + 1)


def _wrong_unpaired(stats_a, stats_b, n_resamples, seed):  # resamples the two systems independently
    rng = np.random.default_rng(seed)
    n = len(stats_a)
    idx_a, idx_b = rng.integers(0, n, size=(2, n_resamples, n))
    deltas = (metrics.bleu_from_statistics(stats_b[idx_b].sum(axis=1))
              - metrics.bleu_from_statistics(stats_a[idx_a].sum(axis=1)))  # fmt: skip
    low, high = np.quantile(deltas, [0.025, 0.975])
    return float(low), float(high)


def _wrong_exp_smoothing(matches, totals):  # every order without a match gets 1 / (2 * total)
    return [m / t if m else 1 / (2 * t) for m, t in zip(matches, totals)]


def _wrong_stream_bleu(hypotheses, reference_streams):  # reads stream i as the references of sentence i
    misread = [[r for r in stream if r is not None] for stream in reference_streams]
    width = max(len(refs) for refs in misread)
    n = min(len(hypotheses), len(misread))
    return _stream_bleu_solution(hypotheses[:n], [[refs[k] if k < len(refs) else None for refs in misread[:n]]
                                                  for k in range(width)])  # fmt: skip


KNOWN_WRONG = {
    "clipped_counts": _wrong_clipped,
    "brevity_penalty": lambda c, r: 1.0 if c >= r else math.exp(1 - c / r),  # ratio inverted
    "corpus_bleu": lambda hyps, refs: sum(metrics.corpus_bleu([h], [r]).score for h, r in zip(hyps, refs)) / len(hyps),
    "zero_bleu": "a cat on the mat".split(),  # its 4-gram "a cat on the" occurs in a reference
    "exp_smoothing": _wrong_exp_smoothing,
    "paired_bootstrap": _wrong_unpaired,
    "stream_bleu": _wrong_stream_bleu,
}
