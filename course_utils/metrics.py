"""Corpus and sentence BLEU on pre-tokenized text, written to agree with sacrebleu.

BLEU (Papineni et al., 2002) = BP * exp( (1/N) * sum_{n=1..N} log p_n ), where p_n is the clipped
n-gram precision over the whole corpus and BP = exp(1 - r/c) when the hypotheses are shorter than
the references (c <= r), 1 otherwise. The smoothing methods have sacrebleu's names and defaults.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np

__all__ = [
    "BLEUResult",
    "corpus_bleu",
    "sentence_bleu",
    "ngram_counts",
    "exact_match",
    "reference_streams",
    "bleu_statistics",
    "bleu_from_statistics",
    "BootstrapResult",
    "paired_bootstrap",
    "SMOOTHING_DEFAULTS",
]

Smoothing = Literal["none", "floor", "add-k", "exp"]
#: default smoothing values, as in sacrebleu: floor adds 0.1 to a zero count, add-k adds 1 for n >= 2
SMOOTHING_DEFAULTS: dict[str, float | None] = {"none": None, "floor": 0.1, "add-k": 1.0, "exp": None}


@dataclass(frozen=True)
class BLEUResult:
    """BLEU and the statistics it is made of. ``score`` and ``precisions`` are in [0, 1]."""

    score: float
    precisions: list[float]
    counts: list[int]  # matched (clipped) n-grams per order
    totals: list[int]  # n-grams in the hypotheses per order
    bp: float
    hyp_len: int
    ref_len: int

    def __str__(self) -> str:
        p = "/".join(f"{100 * x:.1f}" for x in self.precisions)
        return f"BLEU = {100 * self.score:.2f} {p} (BP = {self.bp:.3f} ratio = {self.hyp_len / max(self.ref_len, 1):.3f} hyp_len = {self.hyp_len} ref_len = {self.ref_len})"


def ngram_counts(tokens: Sequence[str], n: int) -> Counter:
    """Counts of the n-grams (as tuples) of a token list.

    Example:
        >>> ngram_counts(["the", "cat", "the", "cat"], 2)[("the", "cat")]
        2
    """
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _check_tokens(x: object, what: str) -> Sequence[str]:
    if isinstance(x, str):
        raise ValueError(f"{what} is a string; pass a list of tokens (e.g. text.split())")
    if not isinstance(x, (list, tuple)):
        raise ValueError(f"{what} must be a list of tokens, got {type(x).__name__}")
    if not all(issubclass(t, str) for t in set(map(type, x))):
        bad = next(t for t in x if not isinstance(t, str))
        raise ValueError(f"{what} contains {bad!r}; tokens must be strings")
    return x


def _all_ngrams(tokens: Sequence[str], max_order: int) -> Counter:
    """Counts of every n-gram of order 1..max_order, in one Counter keyed by tuples."""
    counts: Counter = Counter()
    for n in range(1, min(max_order, len(tokens)) + 1):
        counts.update(zip(*[tokens[i:] for i in range(n)]))
    return counts


def _check_corpus(hypotheses: Sequence, references: Sequence) -> None:
    if isinstance(hypotheses, str) or isinstance(references, str):
        raise ValueError("hypotheses and references must be lists, not strings")
    if len(hypotheses) != len(references):
        raise ValueError(
            f"{len(hypotheses)} hypotheses but {len(references)} reference lists: references[i] must hold "
            "the references of hypotheses[i]"
        )
    if not hypotheses:
        raise ValueError("the corpus is empty")


def _closest_ref_len(hyp_len: int, ref_lens: list[int]) -> int:
    return min(ref_lens, key=lambda r: (abs(r - hyp_len), r))  # ties go to the shorter reference


def corpus_bleu(
    hypotheses: Sequence[Sequence[str]],
    references: Sequence[Sequence[Sequence[str]]],
    max_order: int = 4,
    smoothing: Smoothing = "none",
    *,
    smoothing_value: float | None = None,
    effective_order: bool = False,
) -> BLEUResult:
    """Corpus BLEU: n-gram matches and totals are summed over all sentences before dividing.

    Args:
        hypotheses: one token list per sentence.
        references: ``references[i]`` is the list of reference token lists of ``hypotheses[i]``.
        max_order: the largest n-gram order N.
        smoothing: ``"none"``, ``"floor"``, ``"add-k"`` or ``"exp"`` (sacrebleu's methods).
        smoothing_value: overrides the default of ``floor`` (0.1) or ``add-k`` (1).
        effective_order: average only over orders that have at least one n-gram (for single sentences).

    Example:
        >>> hyp = "the cat sat on the mat".split()
        >>> round(corpus_bleu([hyp], [["the cat sat on the mat".split()]]).score, 6)
        1.0
        >>> corpus_bleu([hyp], [["the cat is on the mat".split()]]).counts
        [5, 3, 1, 0]
    """
    _check_corpus(hypotheses, references)
    if max_order < 1:
        raise ValueError(f"max_order must be >= 1, got {max_order}")
    if smoothing not in SMOOTHING_DEFAULTS:
        raise ValueError(f"smoothing must be one of {list(SMOOTHING_DEFAULTS)}, got {smoothing!r}")
    value = SMOOTHING_DEFAULTS[smoothing] if smoothing_value is None else float(smoothing_value)

    counts, totals = [0] * max_order, [0] * max_order
    hyp_len = ref_len = 0
    for i, (hyp, refs) in enumerate(zip(hypotheses, references)):
        hyp = _check_tokens(hyp, f"hypotheses[{i}]")
        if isinstance(refs, str) or not isinstance(refs, (list, tuple)):
            raise ValueError(f"references[{i}] must be a list of reference token lists")
        if len(refs) == 0:
            raise ValueError(f"sentence {i} has no reference")
        refs = [_check_tokens(r, f"references[{i}][{j}]") for j, r in enumerate(refs)]
        hyp_len += len(hyp)
        ref_len += _closest_ref_len(len(hyp), [len(r) for r in refs])
        max_ref = _all_ngrams(refs[0], max_order)
        for r in refs[1:]:
            max_ref |= _all_ngrams(r, max_order)  # the most times each n-gram occurs in one reference
        for gram, c in _all_ngrams(hyp, max_order).items():
            m = max_ref.get(gram)
            if m:
                counts[len(gram) - 1] += c if c < m else m  # clipping
        for n in range(1, min(max_order, len(hyp)) + 1):
            totals[n - 1] += len(hyp) - n + 1

    bp = 1.0 if hyp_len > ref_len else (math.exp(1 - ref_len / hyp_len) if hyp_len > 0 else 0.0)
    precisions = [0.0] * max_order
    if not any(counts):
        return BLEUResult(0.0, precisions, counts, totals, bp, hyp_len, ref_len)

    log_sum, used, exp_factor = 0.0, max_order, 1.0
    for n in range(1, max_order + 1):
        matched, total = float(counts[n - 1]), float(totals[n - 1])
        if smoothing == "add-k" and n > 1:
            matched, total = matched + value, total + value
        if total == 0:
            if effective_order:
                used = n - 1
            break
        if matched == 0:
            if smoothing == "exp":
                exp_factor *= 2
                precisions[n - 1] = 1.0 / (exp_factor * total)
            elif smoothing == "floor":
                precisions[n - 1] = value / total
        else:
            precisions[n - 1] = matched / total
    for p in precisions[:used]:
        log_sum += math.log(p) if p > 0 else -1e10  # a zero precision makes BLEU (numerically) zero
    score = bp * math.exp(log_sum / used)
    return BLEUResult(score, precisions, counts, totals, bp, hyp_len, ref_len)


def sentence_bleu(
    hypothesis: Sequence[str],
    references: Sequence[Sequence[str]],
    max_order: int = 4,
    smoothing: Smoothing = "exp",
    *,
    smoothing_value: float | None = None,
    effective_order: bool = True,
) -> BLEUResult:
    """BLEU of one sentence, smoothed (``exp`` by default) and with effective order, as sacrebleu's ``sentence_bleu``.

    With ``effective_order`` (the default, as in sacrebleu), a hypothesis shorter than ``max_order`` tokens is
    scored on the orders it has: "on the mat" is the geometric mean of p1, p2, p3 times the brevity penalty.

    Example:
        >>> round(sentence_bleu("the cat".split(), ["the cat sat".split()]).score, 4)
        0.6065
        >>> sentence_bleu("on the mat".split(), ["the cat is on the mat".split()], effective_order=False).score
        0.0
    """
    if isinstance(references, str) or (references and isinstance(references[0], str)):
        raise ValueError("references must be a list of reference token lists, e.g. [ref.split()]")
    return corpus_bleu([hypothesis], [references], max_order, smoothing, smoothing_value=smoothing_value,
                       effective_order=effective_order)  # fmt: skip


def exact_match(hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[Sequence[str]]]) -> float:
    """Share of hypotheses equal, token for token, to at least one of their references (between 0 and 1).

    Example:
        >>> refs = [["a b".split(), "a c".split()], ["d".split()]]
        >>> exact_match(["a c".split(), "e".split()], refs)
        0.5
    """
    _check_corpus(hypotheses, references)
    hits = 0
    for i, (hyp, refs) in enumerate(zip(hypotheses, references)):
        hyp = list(_check_tokens(hyp, f"hypotheses[{i}]"))
        if isinstance(refs, str) or not isinstance(refs, (list, tuple)) or len(refs) == 0:
            raise ValueError(f"references[{i}] must be a non-empty list of reference token lists")
        hits += any(hyp == list(_check_tokens(r, f"references[{i}][{j}]")) for j, r in enumerate(refs))
    return hits / len(hypotheses)


def reference_streams(references: Sequence[Sequence[Sequence[str]]]) -> list[list[str | None]]:
    """Per-sentence reference token lists -> sacrebleu's layout: one stream per reference index, ``None`` for gaps.

    ``streams[k][i]`` is the k-th reference of sentence i joined with spaces, or ``None`` when sentence i has
    fewer than k + 1 references (sacrebleu skips ``None``; an empty string would count as a reference of
    length 0). Pass the result to ``sacrebleu.corpus_bleu(hypotheses, streams, tokenize="none")``.

    Example:
        >>> reference_streams([["a b".split(), "a c".split()], ["d".split()]])
        [['a b', 'd'], ['a c', None]]
    """
    if isinstance(references, str) or not references:
        raise ValueError("references must be a non-empty list with one list of reference token lists per sentence")
    for i, refs in enumerate(references):
        if isinstance(refs, str) or not isinstance(refs, (list, tuple)) or len(refs) == 0:
            raise ValueError(f"references[{i}] must be a non-empty list of reference token lists")
        for j, r in enumerate(refs):
            _check_tokens(r, f"references[{i}][{j}]")
    width = max(len(refs) for refs in references)
    return [[" ".join(refs[k]) if k < len(refs) else None for refs in references] for k in range(width)]


def bleu_statistics(
    hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[Sequence[str]]], max_order: int = 4
) -> np.ndarray:
    """Per-sentence BLEU statistics, shape (sentences, 2 * max_order + 2), integers.

    Columns: clipped matches of orders 1..N, totals of orders 1..N, hypothesis length, closest reference
    length. Corpus BLEU depends only on the column sums (:func:`bleu_from_statistics`), which is what makes
    resampling sentences cheap.

    Example:
        >>> bleu_statistics(["the cat sat".split()], [["the cat is here".split()]]).tolist()
        [[2, 1, 0, 0, 3, 2, 1, 0, 3, 4]]
    """
    _check_corpus(hypotheses, references)
    rows = []
    for hyp, refs in zip(hypotheses, references):
        r = corpus_bleu([hyp], [refs], max_order)
        rows.append([*r.counts, *r.totals, r.hyp_len, r.ref_len])
    return np.asarray(rows, dtype=np.int64)


def bleu_from_statistics(sums: np.ndarray, max_order: int = 4) -> np.ndarray:
    """Unsmoothed corpus BLEU (0 to 1) from summed statistics: one score per row of ``sums`` (..., 2N + 2).

    Equals ``corpus_bleu(...).score`` (no smoothing) of the sentences whose :func:`bleu_statistics` rows were
    added up; 0 when some order has no match.

    Example:
        >>> stats = bleu_statistics(["the cat sat on the mat".split()], [["the cat is on the mat".split()]])
        >>> float(bleu_from_statistics(stats.sum(axis=0)))
        0.0
    """
    sums = np.asarray(sums, dtype=np.float64)
    if sums.shape[-1:] != (2 * max_order + 2,):
        raise ValueError(f"statistics must have {2 * max_order + 2} columns for max_order={max_order}, got shape "
                         f"{sums.shape}")  # fmt: skip
    matches, totals = sums[..., :max_order], sums[..., max_order : 2 * max_order]
    c, r = sums[..., -2], sums[..., -1]
    ok = np.all(matches > 0, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.where(ok[..., None], np.log(np.where(ok[..., None], matches / totals, 1.0)), 0.0).mean(axis=-1)
        bp = np.where(c > r, 1.0, np.exp(1 - r / np.where(c > 0, c, 1.0)))
    return np.where(ok, bp * np.exp(log_p), 0.0)


@dataclass(frozen=True)
class BootstrapResult:
    """BLEU(b) - BLEU(a) on the whole corpus and its paired-bootstrap percentile interval (0-1 scale)."""

    bleu_a: float
    bleu_b: float
    delta: float  # bleu_b - bleu_a
    low: float
    high: float
    share_b_better: float  # share of resamples in which b scores higher than a
    n_resamples: int
    confidence: float

    def __str__(self) -> str:
        return (f"BLEU b - a = {self.delta:+.4f}, {100 * self.confidence:.0f}% interval [{self.low:+.4f}, "
                f"{self.high:+.4f}] ({self.n_resamples} paired resamples; b higher in {self.share_b_better:.1%})")


def paired_bootstrap(
    hypotheses_a: Sequence[Sequence[str]] | np.ndarray,
    hypotheses_b: Sequence[Sequence[str]] | np.ndarray,
    references: Sequence[Sequence[Sequence[str]]] | None = None,
    *,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> BootstrapResult:
    """Paired bootstrap (Koehn, 2004) of the difference in corpus BLEU between two systems on the same sentences.

    Each resample draws as many sentences as the test set has, with replacement, and recomputes corpus BLEU
    of BOTH systems on the SAME draw (paired: a sentence that is hard for one system is hard for the other,
    and that shared difficulty cancels in the difference). The interval holds the middle ``confidence``
    share of the resampled differences (percentile interval). It describes the uncertainty due to the choice
    of test sentences only, not that of training (another seed gives another model).

    Pass token lists with ``references`` or, without ``references``, two :func:`bleu_statistics` arrays.

    Example:
        >>> refs = [["a b c d".split()], ["e f g h".split()], ["a b e f".split()]]
        >>> a = ["a b c d".split(), "e f g x".split(), "a b e x".split()]
        >>> b = ["a b c d".split(), "e f g h".split(), "a b e x".split()]
        >>> result = paired_bootstrap(a, b, refs, n_resamples=200)
        >>> round(result.delta, 4), result.low <= result.delta <= result.high
        (0.2042, True)
    """
    if references is None:
        stats_a, stats_b = np.asarray(hypotheses_a), np.asarray(hypotheses_b)
        if stats_a.ndim != 2 or stats_a.shape != stats_b.shape or stats_a.shape[1] % 2:
            raise ValueError(f"without references, pass two bleu_statistics arrays of one shape, got "
                             f"{stats_a.shape} and {stats_b.shape}")  # fmt: skip
    else:
        if len(hypotheses_a) != len(hypotheses_b):
            raise ValueError(f"the systems have {len(hypotheses_a)} and {len(hypotheses_b)} outputs: a paired "
                             "bootstrap needs both on the same sentences")  # fmt: skip
        stats_a, stats_b = bleu_statistics(hypotheses_a, references), bleu_statistics(hypotheses_b, references)
    if not isinstance(n_resamples, (int, np.integer)) or isinstance(n_resamples, bool) or n_resamples < 1:
        raise ValueError(f"n_resamples must be an int >= 1, got {n_resamples!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), got {confidence!r}")
    n, max_order = len(stats_a), (stats_a.shape[1] - 2) // 2
    if n == 0:
        raise ValueError("the corpus is empty")
    rng = np.random.default_rng(seed)
    deltas = np.empty(n_resamples)
    for start in range(0, n_resamples, 250):  # 250 resamples at a time: bounded memory
        size = min(250, n_resamples - start)
        idx = rng.integers(0, n, size=(size, n))  # the same sentences for both systems
        deltas[start : start + size] = (bleu_from_statistics(stats_b[idx].sum(axis=1), max_order)
                                        - bleu_from_statistics(stats_a[idx].sum(axis=1), max_order))  # fmt: skip
    bleu_a = float(bleu_from_statistics(stats_a.sum(axis=0), max_order))
    bleu_b = float(bleu_from_statistics(stats_b.sum(axis=0), max_order))
    tail = (1 - confidence) / 2
    low, high = np.quantile(deltas, [tail, 1 - tail])
    return BootstrapResult(bleu_a, bleu_b, bleu_b - bleu_a, float(low), float(high), float(np.mean(deltas > 0)),
                           int(n_resamples), float(confidence))  # fmt: skip
