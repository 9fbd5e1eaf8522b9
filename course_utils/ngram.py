"""An interpolated Kneser-Ney n-gram language model over token ids: the strong count baseline of lesson 03.

Kneser and Ney (1995) smooth n-gram counts in two ways, which Chen and Goodman (1999) found to work best together
("interpolated Kneser-Ney"):

- **absolute discounting**: every seen n-gram gives up a fixed amount ``D`` (between 0 and 1) of its count, and the
  mass set free goes to the next lower order, mixed in for every next token;
- **continuation counts** for the lower orders: a lower order is only consulted as the "otherwise" of a longer
  context, so it counts in how many different contexts a token sequence appears, not how often. (In text, "ld"
  follows many letters; "Zealand" follows almost only "New ".)

With ``c(h w)`` the count of context ``h`` followed by token ``w`` (raw counts at the highest order in use,
continuation counts below it), ``c(h .)`` its total over ``w`` and ``N(h .)`` the number of different ``w`` seen
after ``h``:

    P(w | h) = max(c(h w) - D, 0) / c(h .)  +  D * N(h .) / c(h .) * P(w | h without its first token)

down to a uniform distribution over the vocabulary below the unigram. An unseen context hands all its mass to the
lower order. Each order has one discount ``D = n1 / (n1 + 2 n2)`` (Ney, Essen and Kneser 1994), from the numbers
``n1`` and ``n2`` of n-grams counted once and twice. Every conditional distribution sums to 1 over the vocabulary,
so bits per token are comparable with a neural model's cross-entropy.

Example:
    >>> lm = KneserNeyLM([0, 1, 2, 0, 1, 2, 0, 1], vocab_size=4, order=3)
    >>> round(float(lm.distribution([0, 1]).sum()), 12)
    1.0
    >>> lm.distribution([0, 1]).argmax()  # after 0 1 the training text always continued with 2
    np.int64(2)
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["KneserNeyLM"]

_Level = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]


def _as_ids(ids: Sequence[int] | np.ndarray, vocab_size: int, what: str, ndim: tuple[int, ...]) -> np.ndarray:
    arr = np.asarray(ids)
    if arr.ndim not in ndim:
        raise ValueError(f"{what} must have {' or '.join(f'{d}' for d in ndim)} dimension(s), got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{what} must hold integer token ids, got dtype {arr.dtype}")
    if arr.size and (arr.min() < 0 or arr.max() >= vocab_size):
        bad = int(arr[(arr < 0) | (arr >= vocab_size)].ravel()[0])
        raise ValueError(f"{what} holds the id {bad}, outside 0..{vocab_size - 1} (vocab_size={vocab_size})")
    return arr.astype(np.int64)


def _discount(counts: np.ndarray) -> float:
    n1, n2 = int((counts == 1).sum()), int((counts == 2).sum())
    if n1 == 0:
        return 0.5
    return min(max(n1 / (n1 + 2 * n2), 0.05), 0.95)


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    # values[i] where keys[i] == query (keys sorted and unique), 0 where the query is absent
    if keys.size == 0:
        return np.zeros(query.shape, dtype=values.dtype)
    idx = np.minimum(np.searchsorted(keys, query), keys.size - 1)
    return np.where(keys[idx] == query, values[idx], 0)


class KneserNeyLM:
    """Interpolated Kneser-Ney n-gram model of token ids ``0 .. vocab_size - 1``.

    Args:
        ids: the training token ids, a 1-D sequence.
        vocab_size: the number of possible tokens; tokens never seen in training get a share of the uniform floor.
        order: the longest n-gram used (``order - 1`` tokens of context). ``order=1`` is a smoothed unigram model.

    An n-gram is stored as one integer (its ids written in base ``2**bits``), so ``order`` times the bits per id
    must fit in 62 bits: order 8 for a vocabulary of up to 128 tokens. Methods ``log2_probs`` and
    ``distribution`` accept ``order=`` up to the built order, so one model built at a high order also serves every
    lower one (to choose the order on held-out text).

    Example:
        >>> lm = KneserNeyLM([0, 1, 0, 1, 0, 1], vocab_size=3, order=2)
        >>> lm.log2_probs([0, 1, 0]).round(2)  # log2 P(1 | 0), log2 P(0 | 1)
        array([-0.17, -0.26])
    """

    def __init__(self, ids: Sequence[int] | np.ndarray, vocab_size: int, order: int) -> None:
        if not isinstance(vocab_size, (int, np.integer)) or isinstance(vocab_size, bool) or vocab_size < 1:
            raise ValueError(f"vocab_size must be a positive int, got {vocab_size!r}")
        if not isinstance(order, (int, np.integer)) or isinstance(order, bool) or order < 1:
            raise ValueError(f"order must be a positive int, got {order!r}")
        self.vocab_size, self.order = int(vocab_size), int(order)
        self._bits = max(1, (self.vocab_size - 1).bit_length())
        if self.order * self._bits > 62:
            raise ValueError(
                f"order {order} with {self._bits} bits per id needs {self.order * self._bits} bits per n-gram; "
                "at most 62 fit: lower the order"
            )
        x = _as_ids(ids, self.vocab_size, "ids", (1,))
        if len(x) < self.order:
            raise ValueError(f"the training ids ({len(x)} tokens) are shorter than the order {order}")
        raw: list[tuple[np.ndarray, np.ndarray]] = [(np.zeros(0, np.int64), np.zeros(0, np.int64))]
        grams = np.zeros(0, np.int64)
        for k in range(1, self.order + 1):
            # keys of the k-grams ending at each position: the (k-1)-gram before, shifted, plus the new id
            grams = x.copy() if k == 1 else (grams[:-1] << self._bits) | x[k - 1 :]
            raw.append(np.unique(grams, return_counts=True))
        self._levels: dict[tuple[int, bool], _Level] = {}
        for k in range(1, self.order + 1):
            self._levels[k, True] = self._level(*raw[k])
            if k < self.order:
                # continuation count: how many different ids precede the k-gram (distinct (k+1)-grams ending in it)
                suffixes = raw[k + 1][0] & ((1 << (self._bits * k)) - 1)
                self._levels[k, False] = self._level(*np.unique(suffixes, return_counts=True))

    def _level(self, keys: np.ndarray, counts: np.ndarray) -> _Level:
        contexts, inverse = np.unique(keys >> self._bits, return_inverse=True)
        total = np.bincount(inverse, weights=counts).astype(np.int64)  # c(h .)
        types = np.bincount(inverse).astype(np.int64)  # N(h .)
        return keys, counts.astype(np.int64), contexts, total, types, _discount(counts)

    def discount(self, k: int, *, raw: bool = True) -> float:
        """The discount ``D`` used at n-gram length ``k`` (raw counts, or continuation counts if ``raw=False``).

        Example:
            >>> KneserNeyLM([0, 1, 1, 0], vocab_size=2, order=2).discount(2)  # three bigrams, each seen once
            0.95
        """
        if (k, raw) not in self._levels:
            raise ValueError(f"no level k={k} with raw={raw} in a model of order {self.order}")
        return self._levels[k, raw][5]

    def _check_order(self, order: int | None) -> int:
        if order is None:
            return self.order
        if not isinstance(order, (int, np.integer)) or isinstance(order, bool) or not 1 <= order <= self.order:
            raise ValueError(f"order must be an int between 1 and the built order {self.order}, got {order!r}")
        return int(order)

    def log2_probs(self, ids: Sequence[int] | np.ndarray, *, order: int | None = None) -> np.ndarray:
        """``log2 P(ids[t] | the up to order - 1 ids before it)`` for every ``t >= 1``.

        ``ids`` is one sequence, shape ``(L,)`` (result ``(L - 1,)``), or a batch of windows, shape ``(N, L)``
        (result ``(N, L - 1)``). The context never reaches before the first id of a window, so scoring the windows
        of a text gives the model the same context as a recurrent model that starts every window from a zero state.

        Example:
            >>> KneserNeyLM([0, 1, 2], vocab_size=3, order=2).log2_probs([[0, 1], [1, 2]]).shape
            (2, 1)
        """
        n = self._check_order(order)
        x = _as_ids(ids, self.vocab_size, "ids", (1, 2))
        single = x.ndim == 1
        x = x[None, :] if single else x
        if x.shape[1] < 2:
            raise ValueError("each sequence must hold at least 2 ids (a context and an id to score)")
        out = np.log2(self._probs(x, n)[:, 1:])
        return out[0] if single else out

    def _probs(self, x: np.ndarray, n: int) -> np.ndarray:
        # P(x[:, t] | x[:, max(0, t - n + 1) : t]) for every position t of every row, shape (N, L)
        length = x.shape[1]
        p = np.full(x.shape, 1.0 / self.vocab_size)  # below the unigram: uniform over the vocabulary
        position = np.arange(length)
        top = np.minimum(n, position + 1)  # the highest order each position can use (its context length + 1)
        zero = np.zeros((x.shape[0], 1), np.int64)
        grams = x
        for k in range(1, n + 1):
            contexts = np.zeros_like(x) if k == 1 else np.concatenate([zero, grams[:, :-1]], 1)
            if k > 1:  # key of the k-gram ending at t: the (k-1)-gram ending at t-1, shifted, plus x[t]
                grams = (contexts << self._bits) | x
            for raw in (True, False):
                use = (position + 1 >= k) & ((top == k) if raw else (top > k))  # (L,)
                if not use.any():
                    continue
                keys, counts, ctx_keys, total, types, d = self._levels[k, raw]
                g, h = grams[:, use], contexts[:, use]
                t = _lookup(ctx_keys, total, h)
                c = _lookup(keys, counts, g)
                w = _lookup(ctx_keys, types, h)
                mixed = (np.maximum(c - d, 0.0) + d * w * p[:, use]) / np.maximum(t, 1)
                p[:, use] = np.where(t > 0, mixed, p[:, use])  # an unseen context keeps the lower order's estimate
        return p

    def distribution(self, context: Sequence[int] | np.ndarray, *, order: int | None = None) -> np.ndarray:
        """``P(next id | context)`` over the whole vocabulary, shape ``(vocab_size,)``; only the last
        ``order - 1`` ids of ``context`` matter.

        Example:
            >>> KneserNeyLM([0, 1, 2], vocab_size=3, order=2).distribution([]).round(3)
            array([0.333, 0.333, 0.333])
        """
        n = self._check_order(order)
        c = _as_ids(context, self.vocab_size, "context", (1,))
        h = c[max(0, len(c) - (n - 1)) :] if n > 1 else c[:0]
        rows = np.concatenate([np.tile(h, (self.vocab_size, 1)), np.arange(self.vocab_size)[:, None]], 1)
        return self._probs(rows, n)[:, -1]  # one row per candidate next id: the context, then the candidate
