"""Language-model helpers: next-token sampling (temperature, top-k), perplexity, and sample metrics.

A language model gives, at every step, a probability for each possible next token. These helpers
turn the model's scores (logits) into a sampled token, and measure what comes out.

Example:
    >>> import numpy as np
    >>> probs = softmax_with_temperature(np.array([[2.0, 1.0, 0.0]]), temperature=1.0)
    >>> probs.round(3)
    array([[0.665, 0.245, 0.09 ]])
    >>> perplexity(np.log([0.5, 0.5, 0.5]))
    2.0
"""

from __future__ import annotations

import ast
import math
import warnings
from typing import Sequence

import numpy as np

__all__ = [
    "softmax_with_temperature",
    "top_k_filter",
    "sample_tokens",
    "perplexity",
    "bits_per_token",
    "parsable_line_share",
    "distinct_ngram_ratio",
    "long_range_targets",
]


def _as_logits(logits: object) -> np.ndarray:
    arr = np.asarray(logits, dtype=np.float64)
    if arr.ndim not in (1, 2) or arr.shape[-1] < 1:
        raise ValueError(f"logits must have shape (V,) or (B, V) with V >= 1, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("logits contain NaN or infinite values")
    return arr


def softmax_with_temperature(logits: object, temperature: float) -> np.ndarray:
    """Probabilities ``softmax(logits / temperature)``, row by row.

    A temperature below 1 sharpens the distribution (towards the argmax), above 1 flattens it
    (towards uniform). The division applies to the *logits*, not to the probabilities.

    Args:
        logits: scores, shape (V,) or (B, V).
        temperature: a positive number.

    Returns:
        Probabilities of the same shape, each row summing to 1.

    Example:
        >>> softmax_with_temperature([0.0, 0.0], 0.5)
        array([0.5, 0.5])
    """
    if not isinstance(temperature, (int, float)) or isinstance(temperature, bool) or not temperature > 0:
        raise ValueError(f"temperature must be a positive number, got {temperature!r}")
    z = _as_logits(logits) / float(temperature)
    z = z - z.max(axis=-1, keepdims=True)  # subtract the max: same result, no overflow in exp
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def top_k_filter(probs: object, k: int) -> np.ndarray:
    """Keep the ``k`` most probable tokens of each row, set the rest to 0, and renormalise.

    Ties at the k-th value are broken by the lower token id, so exactly ``k`` tokens stay.

    Example:
        >>> top_k_filter([0.5, 0.3, 0.2], 2)
        array([0.625, 0.375, 0.   ])
    """
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim not in (1, 2):
        raise ValueError(f"probs must have shape (V,) or (B, V), got {p.shape}")
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= p.shape[-1]:
        raise ValueError(f"k must be an int between 1 and the vocabulary size {p.shape[-1]}, got {k!r}")
    if np.any(p < 0):
        raise ValueError("probs must be non-negative")
    order = np.argsort(-p, axis=-1, kind="stable")[..., :k]
    keep = np.zeros_like(p, dtype=bool)
    np.put_along_axis(keep, order, True, axis=-1)
    out = np.where(keep, p, 0.0)
    total = out.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ValueError("a row has no probability mass in its top k tokens")
    return out / total


def sample_tokens(
    logits: object,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    rng: np.random.Generator,
) -> np.ndarray:
    """Sample one token id per row from ``softmax(logits / temperature)``, optionally top-k filtered.

    ``temperature=0`` means greedy decoding: the argmax of every row.

    Args:
        logits: scores, shape (B, V) (or (V,) for a single row).
        temperature: 0 for greedy, else a positive number.
        top_k: keep only the k most probable tokens before sampling (None keeps all).
        rng: a NumPy random generator (pass a seeded one for reproducible samples).

    Returns:
        Token ids, shape (B,) (or a 0-d array for a single row).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> sample_tokens([[0.0, 5.0, 1.0]], temperature=0, rng=rng)
        array([1])
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    z = _as_logits(logits)
    if temperature == 0:
        return np.argmax(z, axis=-1)
    probs = softmax_with_temperature(z, temperature)
    if top_k is not None:
        probs = top_k_filter(probs, top_k)
    rows = probs.reshape(-1, probs.shape[-1])
    # inverse-CDF sampling, one uniform number per row (vectorised over the batch)
    cdf = np.cumsum(rows, axis=-1)
    u = rng.random((rows.shape[0], 1)) * cdf[:, -1:]
    ids = np.minimum((cdf <= u).sum(axis=-1), rows.shape[-1] - 1)
    return ids.reshape(probs.shape[:-1])


def perplexity(log_probs: Sequence[float] | np.ndarray) -> float:
    """Perplexity from the natural-log probabilities the model gave to each true token.

    ``exp(-mean(log_probs))``: the number of equally likely choices that would be as surprising.

    Example:
        >>> perplexity(np.log([0.25, 0.25]))
        4.0
    """
    lp = np.asarray(log_probs, dtype=np.float64).ravel()
    if lp.size == 0:
        raise ValueError("log_probs is empty")
    if np.any(lp > 1e-12) or not np.all(np.isfinite(lp)):
        raise ValueError("log_probs must be natural-log probabilities: finite and <= 0")
    return float(np.round(math.exp(-lp.mean()), 12))


def bits_per_token(mean_nll_nats: float) -> float:
    """Convert a mean cross-entropy in nats (Keras' loss) into bits per token.

    Example:
        >>> bits_per_token(math.log(2))
        1.0
    """
    if not math.isfinite(mean_nll_nats) or mean_nll_nats < 0:
        raise ValueError(f"a cross-entropy must be finite and >= 0, got {mean_nll_nats!r}")
    return mean_nll_nats / math.log(2)


def _line_parses(line: str) -> bool:
    stripped = line.strip()
    candidates = [stripped]
    if stripped.endswith(":"):
        # a compound statement's header ("def f(x):", "else:") parses with a body after it
        candidates.append(stripped + " pass")
        candidates.append("if 1:\n pass\n" + stripped + " pass")  # else:/elif .../except ...: headers
        candidates.append("try:\n pass\n" + stripped + " pass")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. SyntaxWarning for an invalid escape in generated text
        for candidate in candidates:
            try:
                ast.parse(candidate)
                return True
            except (SyntaxError, ValueError):
                continue
    return False


def parsable_line_share(text: str) -> float:
    """Share of the non-blank lines of ``text`` that Python's parser accepts on their own.

    A line ending with ``:`` (a ``def``, ``if``, ``else`` header) counts when it parses with a body.
    Lines inside a multi-line string or bracket do not parse alone: the measure is strict, and it is
    meant for comparing generated text with real text measured the same way.

    Example:
        >>> parsable_line_share("x = 1\\ndef f(a):\\n    return a +")
        0.6666666666666666
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        raise ValueError("text has no non-blank line to parse")
    return sum(_line_parses(line) for line in lines) / len(lines)


def distinct_ngram_ratio(text: str, n: int = 4) -> float:
    """Distinct character n-grams divided by all character n-grams: low when the text repeats itself.

    Example:
        >>> distinct_ngram_ratio("abababab", 2)
        0.2857142857142857
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    grams = [text[i : i + n] for i in range(len(text) - n + 1)]
    if not grams:
        raise ValueError(f"text is shorter than n={n}")
    return len(set(grams)) / len(grams)


_CLOSERS = {")": "(", "]": "[", "}": "{"}


def long_range_targets(text: str, min_distance: int) -> dict[str, list[int]]:
    """Positions of characters in Python source that depend on something ``min_distance`` or more characters back.

    Three kinds, found by simple scanning (no parser), and only from what lies inside ``text`` (a bracket, a line or
    a string that started before ``text`` is ignored):

    - ``"closing bracket"``: a ``)``, ``]`` or ``}`` whose matching opening bracket is at least ``min_distance``
      characters earlier;
    - ``"closing quote"``: a ``'`` or ``"`` that closes a string opened at least ``min_distance`` characters earlier
      on the same line (lines with a triple quote stop the scan; so does a ``#`` outside a string);
    - ``"end of indentation after ':'"``: the first non-space character of a line that follows a line ending in
      ``:``, when it is indented by at least ``min_distance`` spaces.

    An n-gram model of order ``min_distance`` sees ``min_distance - 1`` characters of context, so it cannot see what
    decides these characters.

    Example:
        >>> text = "x = f(a, b)\\nif x:\\n        return 'abc'\\n"
        >>> long_range_targets(text, 3)
        {'closing bracket': [10], 'closing quote': [37], "end of indentation after ':'": [26]}
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not isinstance(min_distance, int) or isinstance(min_distance, bool) or min_distance < 1:
        raise ValueError(f"min_distance must be a positive int, got {min_distance!r}")
    found: dict[str, list[int]] = {"closing bracket": [], "closing quote": [], "end of indentation after ':'": []}
    stack: list[tuple[str, int]] = []
    for t, c in enumerate(text):
        if c in "([{":
            stack.append((c, t))
        elif c in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[c]:
                if t - stack.pop()[1] >= min_distance:
                    found["closing bracket"].append(t)
            else:
                stack = []  # a closer without its opener here: the brackets opened before text
    lines = text.split("\n")
    start = 0
    for i, line in enumerate(lines):
        if i >= 1:  # line i starts inside text
            quote, opened, j = None, 0, 0
            while j < len(line):
                c = line[j]
                if quote is None:
                    if c == "#" or line[j : j + 3] in ('"""', "'''"):
                        break
                    if c in "'\"":
                        quote, opened = c, j
                elif c == "\\":
                    j += 1  # an escaped character
                elif c == quote:
                    if j - opened >= min_distance:
                        found["closing quote"].append(start + j)
                    quote = None
                j += 1
        if i >= 2 and lines[i - 1].rstrip().endswith(":"):  # the previous line started inside text too
            indent = len(line) - len(line.lstrip(" "))
            if indent >= min_distance and indent < len(line):
                found["end of indentation after ':'"].append(start + indent)
        start += len(line) + 1
    return found
