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

__all__ = [
    "BLEUResult",
    "corpus_bleu",
    "sentence_bleu",
    "ngram_counts",
    "exact_match",
    "reference_streams",
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
